import { type ChildProcess, execFile, spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type OpenOptions, openVsphere, type VsphereInventorySource } from '../../core/vsphere';

/**
 * govmomi's vCenter simulator, built from Debian's packages (golang-go,
 * golang-github-vmware-govmomi-dev) into .vcsim-bin/ and started per test file on a random
 * port with TLS and the model size the test asks for. It runs in strict mode (sim/strict.go):
 * a request missing a property vCenter requires is refused with InvalidRequest, as vCenter does.
 */

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
export const projectRoot = resolve(here, '../..');
const binDir = join(projectRoot, '.vcsim-bin');

export interface VcsimModel {
  datacenters?: number;
  /** Datacenters placed inside a folder (with their own host/vm/network/datastore sub-folders). */
  folders?: number;
  clusters?: number;
  /** Hosts per cluster. */
  clusterHosts?: number;
  /** Standalone hosts per datacenter. */
  standaloneHosts?: number;
  /** Child resource pools per cluster. */
  pools?: number;
  /** VMs per resource pool (each cluster's root pool and each standalone host's pool count). */
  vmsPerPool?: number;
  datastores?: number;
  /** Distributed port groups per datacenter. */
  portgroups?: number;
  /** When set, only this user and password log in; otherwise any non-empty pair does. */
  username?: string;
  password?: string;
  /** Refuse requests missing a required property, as vCenter does (default true). */
  strict?: boolean;
  /** VMs (by name) whose runtime.connectionState is orphaned, as when their host lost them. */
  orphanedVms?: string[];
  /**
   * Model.DelayConfig.MethodDelay: milliseconds a method takes (e.g. { CreateVM_Task: 3000,
   * PowerOnVM_Task: 2000 }), for realistic task durations. vcsim sleeps before it serves the call.
   */
  methodDelay?: Record<string, number>;
  /**
   * Methods whose requests the simulator logs as they arrive, before their delay: `calls()` lists
   * them and `nextLog(/^call: CreateVM_Task$/)` fires while the call is in flight on the vCenter.
   */
  logCalls?: string[];
}

export interface Vcsim {
  url: string;
  /** SHA-256 thumbprint of the simulator's certificate, colon-separated lower-case hex. */
  thumbprint: string;
  username: string;
  password: string;
  model: Required<
    Omit<VcsimModel, 'username' | 'password' | 'strict' | 'orphanedVms' | 'methodDelay' | 'logCalls'>
  >;
  /** The last few KB the simulator wrote to stderr (its panics land here). */
  logs(): string;
  /** Every request strict mode refused so far ("Required property … is missing …"). */
  refusals(): string[];
  /** The requests for the model's `logCalls` methods received so far, by method name, in order. */
  calls(): string[];
  /** True once the simulator logs a line matching `pattern` after this call; false after `timeoutMs`. */
  nextLog(pattern: RegExp, timeoutMs: number): Promise<boolean>;
  stop(): Promise<void>;
}

const DEFAULTS: Required<
  Omit<VcsimModel, 'username' | 'password' | 'strict' | 'orphanedVms' | 'methodDelay' | 'logCalls'>
> = {
  datacenters: 1,
  folders: 0,
  clusters: 1,
  clusterHosts: 3,
  standaloneHosts: 1,
  pools: 0,
  vmsPerPool: 2,
  datastores: 1,
  portgroups: 1,
};

function goEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    GOPATH: '/usr/share/gocode',
    GO111MODULE: 'off',
    GOCACHE:
      process.env.GOCACHE ??
      (process.env.HOME
        ? join(process.env.HOME, '.cache', 'go-build')
        : join(tmpdir(), 'siteshift-go-build')),
  };
}

/** The binary is newer than every Go file of its program. */
function newerThan(bin: string, srcDir: string): boolean {
  if (!existsSync(bin)) return false;
  const built = statSync(bin).mtimeMs;
  return readdirSync(srcDir)
    .filter((f) => f.endsWith('.go'))
    .every((f) => statSync(join(srcDir, f)).mtimeMs <= built);
}

export type GoProgram = 'sim' | 'reference' | 'govmomi-ops';

/**
 * Builds one Go program under test/vcsim/<name> into .vcsim-bin/<name>, unless the binary is
 * newer than its source. Test files start in parallel: one of them takes a lock directory and
 * builds (to a temp name, then renamed), the others wait for it instead of compiling too.
 */
export async function buildGoProgram(name: GoProgram): Promise<string> {
  const src = join(here, name);
  const bin = join(binDir, name);
  if (newerThan(bin, src)) return bin;
  mkdirSync(binDir, { recursive: true });
  const lock = join(binDir, `${name}.lock`);
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), String(process.pid));
      break;
    } catch {
      // Another process builds. Its lock is stale when that process is gone (killed mid-build).
      if (!lockOwnerAlive(lock)) rmSync(lock, { recursive: true, force: true });
      else await new Promise((r) => setTimeout(r, 500));
      if (newerThan(bin, src)) return bin;
    }
  }
  try {
    if (newerThan(bin, src)) return bin;
    await compile(name, bin);
    return bin;
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function lockOwnerAlive(lock: string): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(join(lock, 'pid'), 'utf8'));
  } catch {
    // Just created, pid not written yet: give it a moment unless it is old.
    return existsSync(lock) && Date.now() - statSync(lock).mtimeMs < 10_000;
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function compile(name: string, bin: string): Promise<void> {
  try {
    await run('go', ['version'], { env: goEnv() });
  } catch {
    throw new Error(
      'the Go toolchain is missing: install the Debian packages golang-go and golang-github-vmware-govmomi-dev to run the vSphere tests',
    );
  }
  if (!existsSync('/usr/share/gocode/src/github.com/vmware/govmomi/simulator')) {
    throw new Error(
      'govmomi sources are missing: install the Debian package golang-github-vmware-govmomi-dev',
    );
  }
  const tmp = `${bin}.${process.pid}.${Date.now()}.tmp`;
  try {
    await run('go', ['build', '-o', tmp, '.'], {
      cwd: join(here, name),
      env: goEnv(),
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (err) {
    rmSync(tmp, { force: true });
    const e = err as { stderr?: string; message: string };
    throw new Error(`building test/vcsim/${name} failed: ${e.stderr || e.message}`);
  }
  renameSync(tmp, bin);
}

const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

export async function startVcsim(
  model: VcsimModel = {},
  options: { startTimeoutMs?: number } = {},
): Promise<Vcsim> {
  const bin = await buildGoProgram('sim');
  const m = {
    ...DEFAULTS,
    ...Object.fromEntries(Object.entries(model).filter(([, v]) => v !== undefined)),
  } as Vcsim['model'] & VcsimModel;
  const args = [
    `-dc=${m.datacenters}`,
    `-folder=${m.folders}`,
    `-cluster=${m.clusters}`,
    `-host=${m.clusterHosts}`,
    `-standalone-host=${m.standaloneHosts}`,
    `-pool=${m.pools}`,
    `-vm=${m.vmsPerPool}`,
    `-ds=${m.datastores}`,
    `-pg=${m.portgroups}`,
  ];
  if (model.username) args.push(`-username=${model.username}`);
  args.push(`-strict=${model.strict ?? true}`);
  if (model.methodDelay && Object.keys(model.methodDelay).length > 0)
    args.push(
      `-method-delay=${Object.entries(model.methodDelay)
        .map(([k, v]) => `${k}=${Math.round(v)}`)
        .join(',')}`,
    );
  if (model.orphanedVms?.length) args.push(`-orphaned=${model.orphanedVms.join(',')}`);
  if (model.logCalls?.length) args.push(`-log-calls=${model.logCalls.join(',')}`);
  const child = spawn(bin, args, {
    env: { ...process.env, VCSIM_PASSWORD: model.password ?? '' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  live.add(child);
  let stderr = '';
  let partial = '';
  const refusals: string[] = [];
  const calls: string[] = [];
  const lineListeners = new Set<(line: string) => void>();
  child.stderr!.on('data', (c: Buffer) => {
    const chunk = c.toString();
    // Keep only the tail: vcsim logs every request on a big run.
    stderr = (stderr + chunk).slice(-4000);
    const lines = (partial + chunk).split('\n');
    partial = lines.pop()!;
    for (const line of lines) {
      if (line.startsWith('strict: refused: ')) refusals.push(line.slice(17));
      else if (line.startsWith('call: ')) calls.push(line.slice(6));
      for (const l of lineListeners) l(line);
    }
  });
  const exited = new Promise<void>((res) => child.once('exit', () => res()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.stdin!.end();
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
    live.delete(child);
  };
  try {
    const info = await new Promise<{ url: string; thumbprint: string }>((res, rej) => {
      const timer = setTimeout(
        () => rej(new Error(`vcsim did not start within ${options.startTimeoutMs ?? 120_000} ms: ${stderr}`)),
        options.startTimeoutMs ?? 120_000,
      );
      const lines = createInterface({ input: child.stdout! });
      lines.once('line', (line) => {
        clearTimeout(timer);
        try {
          res(JSON.parse(line));
        } catch {
          rej(new Error(`vcsim printed ${line} instead of its address`));
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        rej(new Error(`vcsim exited with ${code} before listening: ${stderr}`));
      });
    });
    return {
      url: info.url,
      thumbprint: info.thumbprint,
      username: model.username ?? 'user',
      password: model.password ?? 'pass',
      model: {
        datacenters: m.datacenters,
        folders: m.folders,
        clusters: m.clusters,
        clusterHosts: m.clusterHosts,
        standaloneHosts: m.standaloneHosts,
        pools: m.pools,
        vmsPerPool: m.vmsPerPool,
        datastores: m.datastores,
        portgroups: m.portgroups,
      },
      logs: () => stderr,
      refusals: () => [...refusals],
      calls: () => [...calls],
      nextLog: (pattern, timeoutMs) =>
        new Promise<boolean>((res) => {
          const done = (hit: boolean) => {
            clearTimeout(timer);
            lineListeners.delete(listener);
            res(hit);
          };
          const listener = (line: string) => {
            if (pattern.test(line)) done(true);
          };
          const timer = setTimeout(() => done(false), timeoutMs);
          lineListeners.add(listener);
        }),
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** A vSphere source on the simulator, logged in as its user with its certificate pinned. */
export function openSim(
  sim: Pick<Vcsim, 'url' | 'username' | 'password' | 'thumbprint'>,
  options?: OpenOptions,
): Promise<VsphereInventorySource> {
  return openVsphere(
    { kind: 'vsphere', url: sim.url, username: sim.username },
    { password: sim.password },
    { kind: 'thumbprint', thumbprint: sim.thumbprint },
    undefined,
    options,
  );
}

/** The simulator's inventory, read once through a source opened and closed for it. */
export async function readSim(sim: Pick<Vcsim, 'url' | 'username' | 'password' | 'thumbprint'>) {
  const source = await openSim(sim);
  try {
    return await source.fetchInventory();
  } finally {
    await source.close();
  }
}
