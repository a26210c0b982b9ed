import { Command } from 'commander';
import { appVersion } from '../core/version';
import { registerDeployment } from './commands/deployment';
import { registerDiff } from './commands/diff';
import { registerExport } from './commands/export';
import { registerInventory } from './commands/inventory';
import { registerInventoryHyperv } from './commands/inventory-hyperv';
import { registerInventoryVsphere } from './commands/inventory-vsphere';
import { registerJobs } from './commands/jobs';
import { registerMasterTarget } from './commands/master-target';
import { registerPlan } from './commands/plan';
import { registerWeb } from './commands/web';

export function buildProgram(): Command {
  const program = new Command('siteshift')
    .description('Siteshift: disaster recovery for VMware and Hyper-V estates')
    .version(appVersion, '-V, --version', 'print the version')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });

  program
    .command('version')
    .description('print the version')
    .action(() => {
      process.stdout.write(`siteshift ${appVersion}\n`);
    });

  const inventory = registerInventory(program);
  registerInventoryHyperv(inventory);
  registerInventoryVsphere(inventory);
  registerWeb(program);
  registerDeployment(program);
  registerExport(program);
  registerDiff(program);
  registerPlan(program);
  registerJobs(program);
  registerMasterTarget(program);
  return program;
}
