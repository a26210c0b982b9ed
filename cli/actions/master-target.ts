import type { MasterTargetCheck, MasterTargetConfigureInput } from '../../shared/configserver';
import { type ConnOpts, client } from '../conn';
import { CliError } from '../io';
import { watchJob } from './jobs';

/**
 * What `siteshift master-target check|configure` do (their options:
 * cli/commands/master-target.ts). check prints the slot map and the checks and changes nothing;
 * configure prints the same, then runs the configure-master-target job (registers the VM with
 * its slot map, OS family and retention datastore, adds the SCSI controllers) and follows it;
 * exit 0 only when it succeeded.
 */

export interface ConfigureOpts extends ConnOpts {
  site: string;
  vm: string;
  endpoint?: string;
  name?: string;
  osFamily?: 'windows' | 'linux';
  retentionDatastore?: string;
  controllers?: number;
  dryRun?: boolean;
}

const useMark: Record<string, string> = { controller: 'C', 'own-disk': 'o', replica: '#', free: '.' };

export function printCheck(check: MasterTargetCheck, out: (s: string) => void): void {
  const vm = check.vm;
  out(
    `master target ${check.name}${check.existing ? ` (registered, ${check.existing.id})` : ' (new)'}${vm ? `: VM ${vm.name} [${vm.id}] on ${vm.endpointName}, ${vm.osFamily}, ${vm.powerState}` : ''}\n`,
  );
  for (let bus = 0; bus < 4; bus++) {
    const row = check.slots
      .filter((s) => s.controller === bus)
      .map((s) => (s.use === 'replica' && s.detached ? '+' : useMark[s.use]))
      .join('');
    const c = check.controllers[bus]!;
    out(
      `SCSI${bus}: ${row}  ${c.present ? (c.kind ?? 'present') : c.add ? 'added by configure' : 'no controller'}\n`,
    );
  }
  out(
    `(o own disk, # replica disk, + replica disk not attached now, . free, C unit 7: the controller) ${check.slotsFree} of 60 free\n`,
  );
  for (const s of check.slots.filter((x) => x.use === 'replica'))
    out(
      `  ${s.controller}:${s.unit} ${s.sourceVmName ?? s.pairId} ${s.diskKey ?? ''} ${s.fileName ?? '(file not recorded)'}\n`,
    );
  if (check.retention)
    out(
      `retention: ${check.retention.datastore}, ${check.retention.freeBytes} of ${check.retention.capacityBytes} bytes free\n`,
    );
  for (const c of check.checks)
    out(`${c.status.padEnd(4)} ${c.title}: ${c.message}${c.fix ? ` — fix: ${c.fix}` : ''}\n`);
  out(check.changes.length ? `changes:\n${check.changes.map((c) => `  ${c}\n`).join('')}` : 'no changes\n');
}

function inputOf(opts: ConfigureOpts): MasterTargetConfigureInput {
  return {
    site: opts.site,
    vm: opts.vm,
    ...(opts.endpoint ? { endpoint: opts.endpoint } : {}),
    ...(opts.name ? { name: opts.name } : {}),
    ...(opts.osFamily ? { osFamily: opts.osFamily } : {}),
    ...(opts.retentionDatastore ? { retentionDatastore: opts.retentionDatastore } : {}),
    ...(opts.controllers ? { controllers: opts.controllers } : {}),
  };
}

export async function check(opts: ConfigureOpts): Promise<void> {
  const c = await client(opts);
  try {
    const result = await c.checkMasterTarget(inputOf(opts));
    if (opts.json) process.stdout.write(`${JSON.stringify(result)}\n`);
    else printCheck(result, (s) => process.stdout.write(s));
    if (!result.ready) process.exitCode = 1;
  } finally {
    c.close();
  }
}

export async function configure(opts: ConfigureOpts): Promise<void> {
  const c = await client(opts);
  try {
    const input = inputOf(opts);
    const result = await c.checkMasterTarget(input);
    if (!opts.json) printCheck(result, (s) => process.stdout.write(s));
    if (!result.ready) {
      const failed = result.checks.filter((x) => x.status === 'fail').map((x) => x.message);
      throw new CliError(`${opts.vm} cannot be master target ${result.name}: ${failed.join('; ')}`, 1);
    }
    const job = await c.configureMasterTarget(input, { dryRun: opts.dryRun ?? false });
    const last = await watchJob(c, job.id, opts.json ?? false);
    if (last.state !== 'succeeded') process.exitCode = 1;
  } finally {
    c.close();
  }
}
