import { randomBytes } from 'node:crypto';
import { DEFAULT_TIMING, Fabric, type HostSeed, HypervModel, type Timing } from './model';
import { type EnumStyle, generateEd25519, HypervDouble } from './server';

export type { HostSeed, SeedVm, Timing, VmRec } from './model';
export { DEFAULT_TIMING, Fabric, HypervModel, PsError } from './model';
export type { CommandLogEntry, EnumStyle, Fault, FaultKind, HypervDoubleOptions } from './server';
export { generateEd25519, HypervDouble } from './server';
export { checkScript, TABLE } from './strict';

export const PRIMARY_SEED: HostSeed = {
  name: 'HV-PRIMARY',
  fqdn: 'hv-primary.lab.local',
  cores: 16,
  logicalProcessors: 32,
  memoryGB: 256,
  replicaServer: { enabled: true, auth: 'Kerberos', kerberosPort: 80, storage: 'D:\\Replica' },
  switches: [{ name: 'LAN', type: 'External' }],
  vms: [
    {
      name: 'web01',
      state: 'Running',
      cpus: 2,
      memoryMB: 4096,
      disks: [{ path: 'C:\\VMs\\web01\\web01.vhdx', sizeGB: 60 }],
      nics: [{ switch: 'LAN', ips: ['10.0.0.11', 'fe80::215:5dff:fe01:101'] }],
    },
    {
      name: 'db01',
      state: 'Running',
      cpus: 4,
      memoryMB: 16384,
      disks: [
        { path: 'C:\\VMs\\db01\\db01-os.vhdx', sizeGB: 80 },
        { path: 'E:\\VMs\\db01\\db01-data.vhdx', sizeGB: 500 },
      ],
      nics: [{ switch: 'LAN', ips: ['10.0.0.21'] }],
    },
    {
      name: 'app01',
      state: 'Off',
      generation: 1,
      cpus: 1,
      memoryMB: 2048,
      disks: [{ path: 'C:\\VMs\\app01\\app01.vhdx', sizeGB: 40 }],
      nics: [{ switch: 'LAN' }],
    },
  ],
};

export const REPLICA_SEED: HostSeed = {
  name: 'HV-REPLICA',
  fqdn: 'hv-replica.lab.local',
  cores: 16,
  logicalProcessors: 32,
  memoryGB: 256,
  replicaServer: { enabled: true, auth: 'Kerberos', kerberosPort: 80, storage: 'D:\\Replica' },
  switches: [{ name: 'LAN', type: 'External' }],
  vms: [],
};

export interface HypervDoubleEndpoint {
  /** Where to connect: always 127.0.0.1. */
  host: string;
  port: number;
  /** The Hyper-V host name the model answers with (HV-PRIMARY / HV-REPLICA). */
  hostName: string;
  /** Its FQDN: the name to give as replica server. */
  fqdn: string;
  fingerprint: string;
  double: HypervDouble;
  model: HypervModel;
}

export interface HypervDoublePair {
  primary: HypervDoubleEndpoint;
  replica: HypervDoubleEndpoint;
  /** Accepted by both doubles. The password and key are generated per run. */
  credentials: { username: string; password: string; privateKey: string; publicKey: string };
  fabric: Fabric;
  stop(): Promise<void>;
}

export interface StartPairOptions {
  enums?: EnumStyle;
  timing?: Partial<Timing>;
  primarySeed?: HostSeed;
  replicaSeed?: HostSeed;
  username?: string;
  strictTemplates?: boolean;
  /** OpenSSH's MaxSessions on both doubles (default 10). */
  maxSessions?: number;
  /** Host key types both doubles offer (default ed25519 only). */
  hostKeyTypes?: Array<'ed25519' | 'rsa'>;
  /**
   * Primary VMs to put under replication at start (enabled, initial copy started), for the lab:
   * they reach Replicating after timing.initialReplicationMs.
   */
  replicating?: string[];
}

/**
 * Starts a primary and a replica Hyper-V host double on 127.0.0.1 that replicate between each
 * other, seeded with three VMs on the primary and one switch on each.
 */
export async function startHypervDoublePair(opts: StartPairOptions = {}): Promise<HypervDoublePair> {
  const fabric = new Fabric();
  const timing = { ...DEFAULT_TIMING, ...opts.timing };
  const username = opts.username ?? 'LAB\\siteshift';
  const password = randomBytes(18).toString('base64url');
  const clientKey = generateEd25519();
  const common = {
    username,
    password,
    authorizedKeys: [clientKey.public],
    enums: opts.enums,
    strictTemplates: opts.strictTemplates,
    maxSessions: opts.maxSessions,
    hostKeyTypes: opts.hostKeyTypes,
  };
  const primaryModel = new HypervModel(structuredClone(opts.primarySeed ?? PRIMARY_SEED), fabric, timing);
  const replicaModel = new HypervModel(structuredClone(opts.replicaSeed ?? REPLICA_SEED), fabric, timing);
  for (const name of opts.replicating ?? []) {
    primaryModel.run('Enable-VMReplication', {
      vm: { name },
      replicaServer: replicaModel.fqdn,
      replicaPort: 80,
      auth: 'Kerberos',
      compression: true,
      frequencySec: 300,
      recoveryHistory: 4,
      vssFrequencyHours: 4,
    });
    primaryModel.run('Start-VMInitialReplication', { vm: { name } });
  }
  const primary = await HypervDouble.start({ ...common, model: primaryModel });
  let replica: HypervDouble;
  try {
    replica = await HypervDouble.start({ ...common, model: replicaModel });
  } catch (err) {
    await primary.stop();
    throw err;
  }
  const endpoint = (d: HypervDouble, m: HypervModel): HypervDoubleEndpoint => ({
    host: '127.0.0.1',
    get port() {
      return d.port;
    },
    hostName: m.name,
    fqdn: m.fqdn,
    get fingerprint() {
      return d.fingerprint;
    },
    double: d,
    model: m,
  });
  return {
    primary: endpoint(primary, primaryModel),
    replica: endpoint(replica, replicaModel),
    credentials: { username, password, privateKey: clientKey.private, publicKey: clientKey.public },
    fabric,
    async stop() {
      await Promise.all([primary.stop(), replica.stop()]);
    },
  };
}
