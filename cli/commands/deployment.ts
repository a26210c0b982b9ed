import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { PairState, Role } from '../../shared/configserver';
import { pairStates, roles } from '../../shared/names';
import type { Trust } from '../../shared/schemas/connection';
import { type ConnOpts, run, withConn } from '../conn';
import { CliError, printTable, readSecret } from '../io';
import { choice, parsePort } from '../options';
import { registerLab } from './lab';
import { registerServer } from './server';

/**
 * Deployment verbs against a configuration server: sites, endpoints, tokens, master targets,
 * pairs, alerts (connection options: cli/conn.ts).
 */

/** Registers `server`, `lab` and the deployment verbs (one entry point for cli/program.ts). */
export function registerDeployment(program: Command): void {
  registerServer(program);
  registerLab(program);
  // ---------------------------------------------------------------- sites
  const site = program.command('site').description('sites of the deployment');
  withConn(site.command('add <name>').description('add a site'))
    .requiredOption('--role <role>', 'primary or secondary', choice('--role', ['primary', 'secondary']))
    .action(async (name: string, opts: ConnOpts & { role: 'primary' | 'secondary' }) =>
      run(
        opts,
        (c) => c.addSite(name, opts.role),
        (s) => process.stdout.write(`site ${s.name} (${s.role}) added: ${s.id}\n`),
      ),
    );
  withConn(site.command('list').description('list sites')).action(async (opts: ConnOpts) =>
    run(
      opts,
      (c) => c.listSites(),
      (rows) => printTable(rows, ['name', 'role', 'id', 'createdAt']),
    ),
  );

  // ---------------------------------------------------------------- endpoints
  const endpoint = program
    .command('endpoint')
    .description('vCenter/ESXi and Hyper-V endpoints (verified before they are saved)');
  const add = endpoint
    .command('add')
    .description('add an endpoint: siteshift endpoint add --site NAME vsphere|hyperv ...')
    .option('--site <name>', 'site the endpoint belongs to');
  // --site may come before the kind (as documented) or after it.
  const siteOf = (opts: { site?: string }): string => {
    const value = opts.site ?? (add.opts() as { site?: string }).site;
    if (!value) throw new CliError('give the site: siteshift endpoint add --site NAME vsphere|hyperv ...', 2);
    return value;
  };
  withConn(add.command('vsphere').description('add a vCenter or ESXi host'))
    .option('--site <name>', 'site the endpoint belongs to')
    .requiredOption('--url <url>', 'https://vcenter/sdk')
    .requiredOption('--username <user>', 'user name')
    .option('--name <name>', 'endpoint name (default: the host name)')
    .option('--password-env <var>', 'environment variable holding the password (else prompted)')
    .option('--thumbprint <hex>', 'SHA-256 certificate thumbprint to pin')
    .option('--trust-on-first-use', 'pin whatever certificate the endpoint presents now', false)
    .action(
      async (
        opts: ConnOpts & {
          site?: string;
          url: string;
          username: string;
          name?: string;
          passwordEnv?: string;
          thumbprint?: string;
          trustOnFirstUse: boolean;
        },
      ) => {
        if (!opts.thumbprint && !opts.trustOnFirstUse)
          throw new CliError('give --thumbprint HEX or --trust-on-first-use', 2);
        if (opts.thumbprint && opts.trustOnFirstUse)
          throw new CliError('give --thumbprint or --trust-on-first-use, not both', 2);
        let trust: Trust | undefined;
        if (opts.thumbprint) {
          const { thumbprintSchema } = await import('../../shared/schemas/connection');
          const parsed = thumbprintSchema.safeParse(opts.thumbprint);
          if (!parsed.success) throw new CliError(`--thumbprint: ${parsed.error.issues[0]?.message}`, 2);
          trust = { kind: 'thumbprint', thumbprint: parsed.data };
        }
        let host: string;
        try {
          host = new URL(opts.url).hostname;
        } catch {
          throw new CliError(`--url is not a URL: ${opts.url}`, 2);
        }
        const password = await readSecret(opts.passwordEnv, `password for ${opts.username}`);
        await run(
          opts,
          (c) =>
            c.addEndpoint({
              site: siteOf(opts),
              name: opts.name ?? host,
              target: { kind: 'vsphere', url: opts.url, username: opts.username },
              secrets: { password },
              trust,
              trustOnFirstUse: opts.trustOnFirstUse,
            }),
          (e) => process.stdout.write(`endpoint ${e.name} verified (${e.product}) and saved: ${e.id}\n`),
        );
      },
    );
  withConn(add.command('hyperv').description('add a Hyper-V host (PowerShell over SSH)'))
    .option('--site <name>', 'site the endpoint belongs to')
    .requiredOption('--host <host>', 'host name or address')
    .option('--port <port>', 'SSH port', parsePort, 22)
    .requiredOption('--username <user>', 'user name')
    .option('--name <name>', 'endpoint name (default: the host)')
    .option('--password-env <var>', 'environment variable holding the password')
    .option('--identity <file>', 'SSH private key file')
    .option('--host-key <fingerprint>', 'SHA256:... host key fingerprint to pin')
    .option(
      '--host-key-type <TYPE>',
      'the type of that key as ssh-keygen -lf prints it (ED25519, RSA, ECDSA); default ED25519',
      'ED25519',
    )
    .option('--trust-on-first-use', 'pin whatever host key the endpoint presents now', false)
    .action(
      async (
        opts: ConnOpts & {
          site?: string;
          host: string;
          port: number;
          username: string;
          name?: string;
          passwordEnv?: string;
          identity?: string;
          hostKey?: string;
          hostKeyType: string;
          trustOnFirstUse: boolean;
        },
      ) => {
        if (!opts.hostKey && !opts.trustOnFirstUse)
          throw new CliError('give --host-key SHA256:... or --trust-on-first-use', 2);
        if (opts.hostKey && opts.trustOnFirstUse)
          throw new CliError('give --host-key or --trust-on-first-use, not both', 2);
        if (opts.passwordEnv && opts.identity)
          throw new CliError('give --password-env or --identity, not both', 2);
        let trust: Trust | undefined;
        if (opts.hostKey) {
          const [{ hostKeyFingerprintSchema }, { hostKeyTypeOf }] = await Promise.all([
            import('../../shared/schemas/connection'),
            import('../../core/hyperv/ssh'),
          ]);
          const parsed = hostKeyFingerprintSchema.safeParse(opts.hostKey);
          if (!parsed.success) throw new CliError(`--host-key: ${parsed.error.issues[0]?.message}`, 2);
          const algorithm = hostKeyTypeOf(opts.hostKeyType);
          if (!algorithm)
            throw new CliError(`--host-key-type: "${opts.hostKeyType}" is not ED25519, RSA or ECDSA`, 2);
          trust = { kind: 'host-key', fingerprint: parsed.data, algorithm };
        }
        const secrets = opts.identity
          ? {
              privateKey: await readFile(opts.identity, 'utf8').catch(() => {
                throw new CliError(`cannot read the identity file ${opts.identity}`);
              }),
            }
          : { password: await readSecret(opts.passwordEnv, `password for ${opts.username}@${opts.host}`) };
        await run(
          opts,
          (c) =>
            c.addEndpoint({
              site: siteOf(opts),
              name: opts.name ?? opts.host,
              target: { kind: 'hyperv', host: opts.host, port: opts.port, username: opts.username },
              secrets,
              trust,
              trustOnFirstUse: opts.trustOnFirstUse,
            }),
          (e) => process.stdout.write(`endpoint ${e.name} verified (${e.product}) and saved: ${e.id}\n`),
        );
      },
    );
  withConn(endpoint.command('list').description('list endpoints')).action(async (opts: ConnOpts) =>
    run(
      opts,
      (c) => c.listEndpoints(),
      (rows) =>
        printTable(
          rows.map((e) => ({
            name: e.name,
            kind: e.target.kind,
            address: e.target.kind === 'vsphere' ? e.target.url : `${e.target.host}:${e.target.port}`,
            product: e.product,
            verified: e.verifiedAt,
            id: e.id,
          })),
        ),
    ),
  );
  withConn(
    endpoint
      .command('test <idOrName>')
      .description('connect with the pinned identity and stored credentials'),
  ).action(async (id: string, opts: ConnOpts) => {
    let failed = false;
    await run(
      opts,
      (c) => c.testEndpoint(id),
      (r) => {
        process.stdout.write(`${r.status}: ${r.message}\n`);
        failed = r.status !== 'ok';
      },
    );
    if (failed) throw new CliError('the endpoint test failed');
  });
  withConn(
    endpoint.command('remove <idOrName>').description('remove an endpoint and its stored credentials'),
  ).action(async (id: string, opts: ConnOpts) =>
    run(
      opts,
      (c) => c.removeEndpoint(id),
      (e) => process.stdout.write(`endpoint ${e.name} removed\n`),
    ),
  );

  // ---------------------------------------------------------------- tokens
  const token = program.command('token').description('API tokens (admin)');
  withConn(token.command('create').description('create a token; its secret is printed once'))
    .requiredOption('--role <role>', 'viewer, operator, admin or agent', choice('--role', roles))
    .option('--name <name>', 'a name to recognise it by in the audit log')
    .action(async (opts: ConnOpts & { role: Role; name?: string }) =>
      run(
        opts,
        (c) => c.createToken(opts.name ?? `${opts.role}-${new Date().toISOString().slice(0, 19)}`, opts.role),
        (t) => {
          process.stderr.write(
            `token ${t.token.name} (${t.token.role}) created: ${t.token.id}; the secret below is shown once:\n`,
          );
          process.stdout.write(`${t.secret}\n`);
        },
      ),
    );
  withConn(token.command('list').description('list tokens (never their secrets)')).action(
    async (opts: ConnOpts) =>
      run(
        opts,
        (c) => c.listTokens(),
        (rows) => printTable(rows, ['name', 'role', 'id', 'createdAt', 'lastUsedAt', 'revokedAt']),
      ),
  );
  withConn(token.command('revoke <idOrName>').description('revoke a token')).action(
    async (id: string, opts: ConnOpts) =>
      run(
        opts,
        (c) => c.revokeToken(id),
        (t) => process.stdout.write(`token ${t.name} revoked\n`),
      ),
  );

  // ---------------------------------------------------------------- master targets
  const mt = program
    .command('master-target')
    .description('master targets (replica disk holders on the receiving site)');
  withConn(mt.command('add').description("add a master target VM found on the site's vCenter"))
    .requiredOption('--site <name>', 'site of the master target')
    .requiredOption('--vm <name>', 'VM name on the vCenter')
    .option('--endpoint <idOrName>', 'vCenter endpoint holding the VM (default: any of the site)')
    .option('--name <name>', 'master target name (default: the VM name)')
    .action(async (opts: ConnOpts & { site: string; vm: string; endpoint?: string; name?: string }) =>
      run(
        opts,
        (c) => c.addMasterTarget({ site: opts.site, vm: opts.vm, endpoint: opts.endpoint, name: opts.name }),
        (m) =>
          process.stdout.write(
            `master target ${m.name} (${m.osFamily}) added: ${m.slotsFree} of 60 slots free, ${m.id}\n`,
          ),
      ),
    );
  withConn(mt.command('list').description('list master targets')).action(async (opts: ConnOpts) =>
    run(
      opts,
      (c) => c.listMasterTargets(),
      (rows) =>
        printTable(
          rows.map((m) => ({
            name: m.name,
            os: m.osFamily,
            vm: m.vmName,
            slotsUsed: m.slotsUsed,
            slotsFree: m.slotsFree,
            retention: m.retentionDatastore,
            id: m.id,
          })),
        ),
    ),
  );
  withConn(mt.command('show <idOrName>').description('one master target and its SCSI slot map')).action(
    async (id: string, opts: ConnOpts) =>
      run(
        opts,
        (c) => c.getMasterTarget(id),
        (m) => {
          process.stdout.write(
            `${m.name} (${m.osFamily}) VM ${m.vmName} [${m.vmId}], ${m.slotsUsed} used / ${m.slotsFree} free\n`,
          );
          if (m.retentionDatastore)
            process.stdout.write(
              `retention: ${m.retentionDatastore}, ${m.retentionFreeBytes ?? '?'} bytes free\n`,
            );
          for (let controller = 0; controller < 4; controller++) {
            const units = Array.from({ length: 16 }, (_, unit) =>
              unit === 7
                ? 'R'
                : m.slots.some((s) => s.controller === controller && s.unit === unit)
                  ? '#'
                  : m.reservedSlots.some((s) => s.controller === controller && s.unit === unit)
                    ? 'o'
                    : '.',
            );
            process.stdout.write(`SCSI${controller}: ${units.join('')}\n`);
          }
          process.stdout.write('(# replica disk, o its own disk, . free, R reserved unit 7)\n');
        },
      ),
  );

  // ---------------------------------------------------------------- pairs and alerts
  const pairs = program.command('pairs').description('protected machines');
  withConn(pairs.command('list').description('list pairs'))
    .option('--state <state>', 'only pairs in this state', choice('--state', pairStates))
    .option('--plan <idOrName>', 'only pairs of this plan')
    .action(async (opts: ConnOpts & { state?: PairState; plan?: string }) =>
      run(
        opts,
        (c) => c.listPairs({ state: opts.state, plan: opts.plan }),
        (rows) =>
          printTable(
            rows.map((p) => ({
              vm: p.sourceVmName,
              state: p.state,
              health: p.health,
              rpo: p.stats ? `${Math.round(p.stats.rpoSec)}s/${p.rpoThresholdSec}s` : null,
              direction: p.direction,
              id: p.id,
            })),
          ),
      ),
    );
  const alerts = program.command('alerts').description('alerts raised by the configuration server');
  withConn(alerts.command('list').description('list open alerts'))
    .option('--all', 'include cleared alerts', false)
    .action(async (opts: ConnOpts & { all: boolean }) =>
      run(
        opts,
        (c) => c.listAlerts({ all: opts.all }),
        (rows) =>
          printTable(
            rows.map((a) => ({
              severity: a.severity,
              message: a.message,
              raised: a.raisedAt,
              cleared: a.clearedAt,
            })),
          ),
      ),
    );
}
