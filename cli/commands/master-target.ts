import type { Command } from 'commander';
import { withConn } from '../conn';
import { CliError } from '../io';
import { choice } from '../options';

/**
 * `siteshift master-target check|configure`: a VM of the receiving site as master target (what
 * they do: cli/actions/master-target.ts, loaded when one runs).
 */
const actions = () => import('../actions/master-target');
type ConfigureOpts = import('../actions/master-target').ConfigureOpts;

function parseControllers(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 4)
    throw new CliError(`--controllers must be 1, 2, 3 or 4 (SCSI buses 0 … n-1), not "${value}"`, 2);
  return n;
}

function withVm(cmd: Command): Command {
  return withConn(cmd)
    .requiredOption('--site <name>', 'receiving site the VM is on')
    .requiredOption('--vm <name>', "the VM's name on the site's vCenter")
    .option('--endpoint <idOrName>', 'vCenter endpoint holding the VM (default: any of the site)')
    .option('--name <name>', 'master target name, as plans name it (default: the VM name)')
    .option(
      '--os-family <family>',
      'windows | linux: refuse a VM of the other family (default: read from its guest OS)',
      choice('--os-family', ['windows', 'linux']),
    )
    .option('--retention-datastore <name>', "datastore for recovery points (default: the VM's first disk's)")
    .option(
      '--controllers <n>',
      'SCSI controllers to have ready, buses 0 … n-1 (default: what its replica slots need)',
      parseControllers,
    );
}

export function registerMasterTarget(program: Command): void {
  const mt = program.commands.find((c) => c.name() === 'master-target');
  if (!mt) throw new Error('the master-target command must be registered first');

  withVm(
    mt
      .command('check')
      .description(
        'check a VM as master target: OS family, power, slot map, controllers, retention; changes nothing',
      ),
  ).action(async (opts: ConfigureOpts) => (await actions()).check(opts));

  withVm(
    mt
      .command('configure')
      .description(
        'mark a VM of the receiving site as master target: slot map, OS family, retention datastore, SCSI controllers (a job; admin)',
      ),
  )
    .option('--dry-run', 'show the steps and changes without making them', false)
    .action(async (opts: ConfigureOpts) => (await actions()).configure(opts));
}
