import { isIP } from 'node:net';
import { z } from 'zod';
import { ApiError } from '../../shared/errors';
import { sayClient } from '../../shared/i18n/client-words';
import type { HypervReplicationState } from '../../shared/schemas/inventory';
import {
  AUTH_TYPE,
  CONTROLLER_TYPE,
  type EnumTable,
  REPLICATION_HEALTH,
  REPLICATION_MODE,
  REPLICATION_STATE,
  SNAPSHOT_TYPE,
  SWITCH_TYPE,
  VM_STATE,
} from './enums';
import { asArray, enumName, PowerShellRunner, parseDate, type RemoteExec } from './powershell';
import { OPS, type OpName } from './scripts';

// ---------------------------------------------------------------------------------------------
// tolerant field parsers: 5.1 gives numbers or names for enums, \/Date()\/ or ISO for dates

const en = (table: EnumTable, what: string) =>
  z.unknown().transform((v, ctx) => {
    try {
      return enumName(table, v, what);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: (err as Error).message });
      return z.NEVER;
    }
  });
const enOrNull = (table: EnumTable, what: string) =>
  z.unknown().transform((v, ctx) => {
    if (v === null || v === undefined || v === '') return null;
    try {
      return enumName(table, v, what);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: (err as Error).message });
      return z.NEVER;
    }
  });
const date = z.unknown().transform((v, ctx) => {
  try {
    return parseDate(v);
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: (err as Error).message });
    return z.NEVER;
  }
});
const str = z.string();
const strOrNull = z
  .string()
  .nullish()
  .transform((v) => (v === undefined || v === '' ? null : v));
const num = z.coerce.number();
const numOrNull = z
  .union([z.number(), z.string(), z.null()])
  .optional()
  .transform((v) => (v === null || v === undefined || v === '' ? null : Number(v)));
const int = z.coerce.number().int();
const bool = z.union([z.boolean(), z.null()]).transform((v) => v === true);
/** A string array, accepting 5.1's {"value":[…],"Count":n} and a lone string. */
const strings = z.unknown().transform((v) => asArray(v).filter((s): s is string => typeof s === 'string'));

const hostRow = z.object({
  ComputerName: str,
  Fqdn: strOrNull,
  OsCaption: strOrNull,
  OsVersion: strOrNull,
  LogicalProcessorCount: int,
  CpuCores: numOrNull,
  MemoryCapacity: num,
  ReplicationEnabled: bool,
  AuthType: enOrNull(AUTH_TYPE, 'replica server authentication type'),
  KerberosPort: numOrNull,
  CertificatePort: numOrNull,
  CertificateThumbprint: strOrNull,
});

const vmRow = z.object({
  Id: str,
  Name: str,
  State: en(VM_STATE, 'VM state'),
  Generation: int,
  ProcessorCount: int,
  MemoryStartup: num,
  MemoryAssigned: num,
  UptimeSec: num,
  ComputerName: str,
  ReplicationMode: en(REPLICATION_MODE, 'replication mode'),
  ReplicationState: en(REPLICATION_STATE, 'replication state'),
  ReplicationHealth: en(REPLICATION_HEALTH, 'replication health'),
});

const diskRow = z.object({
  VMId: str,
  VMName: str,
  Path: strOrNull,
  ControllerType: en(CONTROLLER_TYPE, 'controller type'),
  ControllerNumber: int,
  ControllerLocation: int,
  Size: numOrNull,
});

const nicRow = z.object({
  VMId: str,
  VMName: str,
  Name: str,
  MacAddress: strOrNull,
  SwitchName: strOrNull,
  IPAddresses: strings,
});

const switchRow = z.object({ Id: str, Name: str, SwitchType: en(SWITCH_TYPE, 'switch type') });

const snapshotRow = z.object({
  Id: str,
  Name: str,
  VMId: str,
  VMName: str,
  SnapshotType: en(SNAPSHOT_TYPE, 'snapshot type'),
  CreationTime: date,
  ParentSnapshotName: strOrNull,
});

const replicationRow = z.object({
  VMId: str,
  VMName: str,
  State: en(REPLICATION_STATE, 'replication state'),
  Health: en(REPLICATION_HEALTH, 'replication health'),
  Mode: en(REPLICATION_MODE, 'replication mode'),
  PrimaryServer: strOrNull,
  ReplicaServer: strOrNull,
  ReplicaPort: numOrNull,
  AuthType: enOrNull(AUTH_TYPE, 'authentication type'),
  CertificateThumbprint: strOrNull,
  FrequencySec: numOrNull,
  RecoveryHistory: numOrNull,
  VSSSnapshotFrequencyHour: numOrNull,
  CompressionEnabled: bool,
  LastReplicationTime: date,
});

const measureRow = z.object({
  VMId: str,
  VMName: str,
  State: en(REPLICATION_STATE, 'replication state'),
  Health: en(REPLICATION_HEALTH, 'replication health'),
  LastReplicationTime: date,
  PendingReplicationSize: numOrNull,
  AverageReplicationSize: numOrNull,
  SuccessfulReplicationCount: numOrNull,
  MissedReplicationCount: numOrNull,
});

const connectionRow = z.object({ ReplicaServer: str, ReplicaPort: num, Auth: str });

const volumeRow = z.object({
  StorageLocation: strOrNull,
  DeviceID: strOrNull,
  FreeSpace: numOrNull,
  Size: numOrNull,
});

const inventoryRow = z.object({
  Switches: z.unknown(),
  VMs: z.unknown(),
  Replication: z.unknown(),
  Measure: z.unknown(),
});

// ---------------------------------------------------------------------------------------------
// public types

export type ReplicationStateName = HypervReplicationState;
export type ReplicationHealthName = 'NotApplicable' | 'Normal' | 'Warning' | 'Critical';
export type ReplicationModeName = 'None' | 'Primary' | 'Replica' | 'TestReplica' | 'ExtendedReplica';

export interface HvHost {
  name: string;
  fqdn: string | null;
  os: string | null;
  osVersion: string | null;
  logicalProcessors: number;
  cpuCores: number;
  memoryBytes: number;
  replicaServer: {
    enabled: boolean;
    auth: string | null;
    kerberosPort: number | null;
    certificatePort: number | null;
    certificateThumbprint: string | null;
  };
}

export interface HvVm {
  id: string;
  name: string;
  state: string;
  generation: number;
  cpus: number;
  memoryStartupBytes: number;
  memoryAssignedBytes: number;
  uptimeSec: number;
  host: string;
  replicationMode: ReplicationModeName;
  replicationState: ReplicationStateName;
  replicationHealth: ReplicationHealthName;
}

export interface HvDisk {
  vmId: string;
  vmName: string;
  path: string | null;
  controllerType: string;
  controllerNumber: number;
  controllerLocation: number;
  sizeBytes: number | null;
}

export interface HvNic {
  vmId: string;
  vmName: string;
  name: string;
  /** 00:15:5D:01:02:03, or null while Hyper-V has not assigned a dynamic address. */
  mac: string | null;
  switchName: string | null;
  ipAddresses: string[];
}

export interface HvSwitch {
  id: string;
  name: string;
  kind: string;
}

export interface HvSnapshot {
  id: string;
  name: string;
  vmId: string;
  vmName: string;
  /** Replica and AppConsistentReplica are the recovery points of a replica VM. */
  type: string;
  created: string | null;
  parent: string | null;
}

export interface HvReplication {
  vmId: string;
  vmName: string;
  state: ReplicationStateName;
  health: ReplicationHealthName;
  mode: ReplicationModeName;
  primaryServer: string | null;
  replicaServer: string | null;
  replicaPort: number | null;
  auth: string | null;
  certificateThumbprint: string | null;
  frequencySec: number | null;
  recoveryHistory: number | null;
  vssSnapshotFrequencyHours: number | null;
  compression: boolean;
  lastReplicationTime: string | null;
}

export interface HvReplicationStats {
  vmId: string;
  vmName: string;
  state: ReplicationStateName;
  health: ReplicationHealthName;
  lastReplicationTime: string | null;
  pendingBytes: number | null;
  averageBytes: number | null;
  successCount: number | null;
  missedCount: number | null;
}

export interface HvRawInventory {
  host: HvHost;
  switches: HvSwitch[];
  vms: HvVm[];
  disks: HvDisk[];
  nics: HvNic[];
  replication: HvReplication[];
  stats: HvReplicationStats[];
}

/** A VM by its id (a GUID, preferred: names are not unique) or by its exact name. */
export type VmRef = { id: string } | { name: string };

export type ReplicationFrequencySec = 30 | 300 | 900;

/** What Hyper-V Replica sends and keeps, set when replication is enabled and changeable after. */
export interface ReplicationSettings {
  frequencySec?: ReplicationFrequencySec;
  /** Additional recovery points kept on the replica, 0–24. */
  recoveryHistory?: number;
  /** App-consistent (VSS) snapshot every N hours, 1–12; omit for crash-consistent only. */
  vssFrequencyHours?: number;
}

/** The settings as Hyper-V accepts them (frequency 300 s and no history unless given), or a clear refusal. */
function checkReplicationSettings(o: ReplicationSettings): {
  frequencySec: ReplicationFrequencySec;
  recoveryHistory: number;
} {
  const frequencySec = o.frequencySec ?? 300;
  if (![30, 300, 900].includes(frequencySec)) {
    throw new ApiError('invalid-input', sayClient('client.hyperv.frequency', { seconds: frequencySec }));
  }
  const recoveryHistory = o.recoveryHistory ?? 0;
  if (!Number.isInteger(recoveryHistory) || recoveryHistory < 0 || recoveryHistory > 24) {
    throw new ApiError('invalid-input', sayClient('client.hyperv.history', { count: recoveryHistory }));
  }
  if (
    o.vssFrequencyHours !== undefined &&
    (!Number.isInteger(o.vssFrequencyHours) || o.vssFrequencyHours < 1 || o.vssFrequencyHours > 12)
  ) {
    throw new ApiError('invalid-input', sayClient('client.hyperv.vss', { hours: o.vssFrequencyHours }));
  }
  if (o.vssFrequencyHours !== undefined && recoveryHistory === 0) {
    throw new ApiError(
      'invalid-input',
      sayClient('client.hyperv.vssHistory', { hours: o.vssFrequencyHours }),
    );
  }
  return { frequencySec, recoveryHistory };
}

export interface EnableReplicationOptions extends ReplicationSettings {
  replicaServer: string;
  /** Default 80 (Kerberos over HTTP) or 443 (certificate over HTTPS). */
  replicaPort?: number;
  auth: 'Kerberos' | 'Certificate';
  /** Required with auth Certificate. */
  certificateThumbprint?: string;
  compression?: boolean;
}

export type FailoverOptions =
  /** Planned failover, on the primary: the VM must be off; sends the last changes. */
  | { mode: 'prepare' }
  /** On the replica: fail over to the latest (or the given) recovery point. */
  | { mode: 'failover'; recoverySnapshot?: { id: string } | { name: string } }
  /** On the replica: create the "<name> - Test" VM from the latest (or given) point. */
  | { mode: 'test'; recoverySnapshot?: { id: string } | { name: string } };

export interface ReverseOptions {
  /** Defaults to the former primary. */
  replicaServer?: string;
  replicaPort?: number;
  auth?: 'Kerberos' | 'Certificate';
  certificateThumbprint?: string;
}

export interface CallOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
}

const THUMBPRINT = /^[0-9A-Fa-f]{40}$/;
const HOSTNAME = /^[A-Za-z0-9]([A-Za-z0-9.-]{0,252})$/;

function formatMac(mac: string | null): string | null {
  if (!mac) return null;
  const hex = mac.replace(/[^0-9A-Fa-f]/g, '').toUpperCase();
  if (hex.length !== 12 || /^0+$/.test(hex)) return null;
  return hex.match(/../g)!.join(':');
}

/**
 * The scripts ask for the Simple relationship only (a replica extending replication onward also
 * has an Extended one), so a VM has at most one row.
 */
function pickSimple(rows: HvReplication[]): HvReplication | null {
  return rows[0] ?? null;
}

/**
 * Enable-/Set-VMReplication need the replica server's DNS name: Kerberos finds the server's
 * service principal by name and a certificate is issued to the FQDN, so an IP address fails on
 * the host after the change has begun.
 */
function checkReplicaServerName(name: string | undefined): void {
  if (name && isIP(name.replace(/^\[|\]$/g, '')) !== 0) {
    throw new ApiError('invalid-input', sayClient('client.hyperv.replicaIp', { name }));
  }
  if (!name || !HOSTNAME.test(name)) {
    throw new ApiError('invalid-input', sayClient('client.hyperv.replicaName', { name: name ?? '' }));
  }
}

function refParam(vm: VmRef): { id?: string; name?: string } {
  if ('id' in vm) {
    if (!/^[0-9A-Fa-f]{8}-([0-9A-Fa-f]{4}-){3}[0-9A-Fa-f]{12}$/.test(vm.id)) {
      throw new ApiError('invalid-input', sayClient('client.hyperv.vmId', { id: vm.id }));
    }
    return { id: vm.id };
  }
  if (!vm.name) throw new ApiError('invalid-input', sayClient('client.hyperv.vmName'));
  return { name: vm.name };
}

/**
 * Typed Hyper-V and Hyper-V Replica cmdlets on one host. Every method is one PowerShell run with
 * a fixed script; mutating methods return the state the host reports after the change.
 */
export class HypervClient {
  private readonly runner: PowerShellRunner;

  constructor(transport: RemoteExec) {
    this.runner = new PowerShellRunner(transport);
  }

  get endpoint(): string {
    return this.runner.endpoint;
  }

  private async call<T>(
    op: OpName,
    params: unknown,
    schema: z.ZodType<T>,
    opts: CallOptions = {},
  ): Promise<T[]> {
    const t = OPS[op];
    const { value } = await this.runner.run(op, params, t.body, { ...opts, mutates: t.mutates });
    return this.parseRows(op, asArray(value), schema);
  }

  private parseRows<T>(op: string, rows: unknown[], schema: z.ZodType<T>): T[] {
    return rows.map((row, i) => {
      const r = schema.safeParse(row);
      if (!r.success) {
        const issue = r.error.issues[0];
        throw new ApiError(
          'protocol-error',
          sayClient('client.hyperv.unreadableObject', {
            op,
            endpoint: this.endpoint,
            item: i + 1,
            path: issue?.path.join('.') || 'value',
            issue: issue?.message ?? '',
          }),
          { op, issues: r.error.issues },
        );
      }
      return r.data;
    });
  }

  private one<T>(op: string, rows: T[]): T {
    if (rows.length !== 1) {
      throw new ApiError(
        'protocol-error',
        sayClient('client.hyperv.notOne', { op, endpoint: this.endpoint, count: rows.length }),
      );
    }
    return rows[0]!;
  }

  // ---- reads

  async getVMHost(opts?: CallOptions): Promise<HvHost> {
    return this.one('Get-VMHost', (await this.call('Get-VMHost', {}, hostRow, opts)).map(toHost));
  }

  async getVMs(vm?: VmRef, opts?: CallOptions): Promise<HvVm[]> {
    return (await this.call('Get-VM', { vm: vm ? refParam(vm) : null }, vmRow, opts)).map(toVm);
  }

  async getVM(vm: VmRef, opts?: CallOptions): Promise<HvVm> {
    return this.one('Get-VM', await this.getVMs(vm, opts));
  }

  async getHardDiskDrives(vm?: VmRef, opts?: CallOptions): Promise<HvDisk[]> {
    return (await this.call('Get-VMHardDiskDrive', { vm: vm ? refParam(vm) : null }, diskRow, opts)).map(
      toDisk,
    );
  }

  async getNetworkAdapters(vm?: VmRef, opts?: CallOptions): Promise<HvNic[]> {
    return (await this.call('Get-VMNetworkAdapter', { vm: vm ? refParam(vm) : null }, nicRow, opts)).map(
      toNic,
    );
  }

  async getSwitches(opts?: CallOptions): Promise<HvSwitch[]> {
    return (await this.call('Get-VMSwitch', {}, switchRow, opts)).map(toSwitch);
  }

  async getSnapshots(vm?: VmRef, opts?: CallOptions): Promise<HvSnapshot[]> {
    return (await this.call('Get-VMSnapshot', { vm: vm ? refParam(vm) : null }, snapshotRow, opts)).map(
      toSnapshot,
    );
  }

  /** Replication of every replication-enabled VM, or of one VM (null when it has none). */
  async getReplications(opts?: CallOptions): Promise<HvReplication[]> {
    return (await this.call('Get-VMReplication', { vm: null }, replicationRow, opts)).map(toReplication);
  }

  async getReplication(vm: VmRef, opts?: CallOptions): Promise<HvReplication | null> {
    const rows = (await this.call('Get-VMReplication', { vm: refParam(vm) }, replicationRow, opts)).map(
      toReplication,
    );
    return pickSimple(rows);
  }

  async measureReplication(vm?: VmRef, opts?: CallOptions): Promise<HvReplicationStats[]> {
    return (await this.call('Measure-VMReplication', { vm: vm ? refParam(vm) : null }, measureRow, opts)).map(
      toStats,
    );
  }

  /** Everything the inventory document needs: four operations, run side by side on the session. */
  async getInventory(opts?: CallOptions): Promise<HvRawInventory> {
    const op = 'Get-SiteshiftInventory';
    const t = OPS[op];
    const [main, host, disks, nics] = await Promise.all([
      this.runner.run(op, {}, t.body, { ...opts, mutates: false }),
      this.getVMHost(opts),
      this.getHardDiskDrives(undefined, opts),
      this.getNetworkAdapters(undefined, opts),
    ]);
    const top = this.one(op, this.parseRows(op, asArray(main.value), inventoryRow));
    return {
      host,
      switches: this.parseRows(op, asArray(top.Switches), switchRow).map(toSwitch),
      vms: this.parseRows(op, asArray(top.VMs), vmRow).map(toVm),
      disks,
      nics,
      replication: this.parseRows(op, asArray(top.Replication), replicationRow).map(toReplication),
      stats: this.parseRows(op, asArray(top.Measure), measureRow).map(toStats),
    };
  }

  /**
   * On a primary: Test-VMReplicationConnection to a replica server, the check Hyper-V Manager runs
   * before enabling replication. Throws the host's error when the server cannot be reached, does
   * not accept the authentication type or does not listen on the port.
   */
  async testReplicationConnection(
    o: {
      replicaServer: string;
      replicaPort: number;
      auth: 'Kerberos' | 'Certificate';
      certificateThumbprint?: string;
    },
    opts?: CallOptions,
  ): Promise<void> {
    checkReplicaServerName(o.replicaServer);
    if (o.auth === 'Certificate' && !(o.certificateThumbprint && THUMBPRINT.test(o.certificateThumbprint)))
      throw new ApiError('invalid-input', sayClient('client.hyperv.needThumbprint'));
    this.one(
      'Test-VMReplicationConnection',
      await this.call(
        'Test-VMReplicationConnection',
        {
          replicaServer: o.replicaServer,
          replicaPort: o.replicaPort,
          auth: o.auth,
          certificateThumbprint: o.certificateThumbprint ?? null,
        },
        connectionRow,
        opts,
      ),
    );
  }

  /**
   * On a replica server: its default storage location and the free space of the volume that
   * holds it (null when no location is set or its volume is not a local drive).
   */
  async replicaStorage(
    opts?: CallOptions,
  ): Promise<{ path: string; volume: string; freeBytes: number; sizeBytes: number } | null> {
    const rows = await this.call('Get-SiteshiftReplicaStorage', {}, volumeRow, opts);
    const path = rows.find((r) => r.StorageLocation)?.StorageLocation ?? null;
    if (!path) return null;
    const drive = /^([A-Za-z]:)/.exec(path)?.[1]?.toUpperCase();
    const vol = rows.find((r) => r.DeviceID?.toUpperCase() === drive);
    if (!vol || vol.FreeSpace === null) return null;
    return { path, volume: vol.DeviceID!, freeBytes: vol.FreeSpace, sizeBytes: vol.Size ?? 0 };
  }

  // ---- replication

  private async replicationChange(
    op: OpName,
    params: Record<string, unknown>,
    opts?: CallOptions,
  ): Promise<HvReplication> {
    const rows = (await this.call(op, params, replicationRow, opts)).map(toReplication);
    const simple = pickSimple(rows);
    if (!simple)
      throw new ApiError(
        'protocol-error',
        sayClient('client.hyperv.noReplication', { op, endpoint: this.endpoint }),
      );
    return simple;
  }

  async enableReplication(
    vm: VmRef,
    o: EnableReplicationOptions,
    opts?: CallOptions,
  ): Promise<HvReplication> {
    checkReplicaServerName(o.replicaServer);
    const { frequencySec, recoveryHistory } = checkReplicationSettings(o);
    if (o.auth === 'Certificate' && !(o.certificateThumbprint && THUMBPRINT.test(o.certificateThumbprint))) {
      throw new ApiError('invalid-input', sayClient('client.hyperv.needThumbprint'));
    }
    const replicaPort = o.replicaPort ?? (o.auth === 'Certificate' ? 443 : 80);
    if (!Number.isInteger(replicaPort) || replicaPort < 1 || replicaPort > 65535) {
      throw new ApiError('invalid-input', sayClient('client.hyperv.port', { port: String(replicaPort) }));
    }
    return this.replicationChange(
      'Enable-VMReplication',
      {
        vm: refParam(vm),
        replicaServer: o.replicaServer,
        replicaPort,
        auth: o.auth,
        certificateThumbprint: o.certificateThumbprint ?? null,
        compression: o.compression ?? true,
        frequencySec,
        recoveryHistory,
        vssFrequencyHours: o.vssFrequencyHours ?? null,
      },
      opts,
    );
  }

  /**
   * Set-VMReplication on the primary of a replication that runs: how often it sends, how many
   * recovery points the replica keeps and how often one is app-consistent. Without
   * vssFrequencyHours the replica's points are crash-consistent only (VSS snapshots stop).
   */
  async setReplicationSettings(
    vm: VmRef,
    o: ReplicationSettings,
    opts?: CallOptions,
  ): Promise<HvReplication> {
    const { frequencySec, recoveryHistory } = checkReplicationSettings(o);
    return this.replicationChange(
      'Set-VMReplication',
      {
        vm: refParam(vm),
        reverse: false,
        frequencySec,
        recoveryHistory,
        vssFrequencyHours: o.vssFrequencyHours ?? null,
        disableVss: o.vssFrequencyHours === undefined,
        replicaServer: null,
        replicaPort: null,
        auth: null,
        certificateThumbprint: null,
      },
      opts,
    );
  }

  startInitialReplication(vm: VmRef, opts?: CallOptions): Promise<HvReplication> {
    return this.replicationChange('Start-VMInitialReplication', { vm: refParam(vm) }, opts);
  }

  suspendReplication(vm: VmRef, opts?: CallOptions): Promise<HvReplication> {
    return this.replicationChange('Suspend-VMReplication', { vm: refParam(vm) }, opts);
  }

  resumeReplication(
    vm: VmRef,
    o: { resynchronize?: boolean } = {},
    opts?: CallOptions,
  ): Promise<HvReplication> {
    return this.replicationChange(
      'Resume-VMReplication',
      { vm: refParam(vm), resynchronize: o.resynchronize === true },
      opts,
    );
  }

  startFailover(vm: VmRef, o: FailoverOptions, opts?: CallOptions): Promise<HvReplication> {
    const snapshot = o.mode !== 'prepare' && o.recoverySnapshot ? o.recoverySnapshot : null;
    return this.replicationChange('Start-VMFailover', { vm: refParam(vm), mode: o.mode, snapshot }, opts);
  }

  completeFailover(vm: VmRef, opts?: CallOptions): Promise<HvReplication> {
    return this.replicationChange('Complete-VMFailover', { vm: refParam(vm) }, opts);
  }

  /** Cancels a failover (or -Prepare on the primary), or removes the test VM of a test failover. */
  stopFailover(vm: VmRef, opts?: CallOptions): Promise<HvReplication> {
    return this.replicationChange('Stop-VMFailover', { vm: refParam(vm) }, opts);
  }

  /**
   * Set-VMReplication -Reverse on the failed-over replica: it becomes the primary. With certificate
   * authentication the host needs the thumbprint of this (former replica) host's certificate: the
   * one the old primary used is not valid here.
   */
  async reverseReplication(vm: VmRef, o: ReverseOptions = {}, opts?: CallOptions): Promise<HvReplication> {
    if (o.replicaServer !== undefined) checkReplicaServerName(o.replicaServer);
    if (o.certificateThumbprint !== undefined && !THUMBPRINT.test(o.certificateThumbprint)) {
      throw new ApiError(
        'invalid-input',
        sayClient('client.hyperv.badThumbprint', { thumbprint: o.certificateThumbprint }),
      );
    }
    if (!o.certificateThumbprint && o.auth !== 'Kerberos') {
      const auth = o.auth ?? (await this.getReplication(vm, opts))?.auth;
      if (auth === 'Certificate' || auth === 'CertificateAndKerberos') {
        throw new ApiError(
          'invalid-input',
          sayClient('client.hyperv.reverseThumbprint', {
            vm: 'id' in vm ? vm.id : vm.name,
            endpoint: this.endpoint,
          }),
        );
      }
    }
    return this.replicationChange(
      'Set-VMReplication',
      {
        vm: refParam(vm),
        reverse: true,
        frequencySec: null,
        recoveryHistory: null,
        vssFrequencyHours: null,
        disableVss: false,
        replicaServer: o.replicaServer ?? null,
        replicaPort: o.replicaPort ?? null,
        auth: o.auth ?? null,
        certificateThumbprint: o.certificateThumbprint ?? null,
      },
      opts,
    );
  }

  async removeReplication(vm: VmRef, opts?: CallOptions): Promise<void> {
    await this.call('Remove-VMReplication', { vm: refParam(vm) }, replicationRow, opts);
  }

  // ---- power

  async startVM(vm: VmRef, opts?: CallOptions): Promise<HvVm> {
    return this.one('Start-VM', (await this.call('Start-VM', { vm: refParam(vm) }, vmRow, opts)).map(toVm));
  }

  /** Shuts the guest down (turnOff: false) or powers it off. */
  async stopVM(vm: VmRef, o: { turnOff?: boolean } = {}, opts?: CallOptions): Promise<HvVm> {
    return this.one(
      'Stop-VM',
      (await this.call('Stop-VM', { vm: refParam(vm), turnOff: o.turnOff === true }, vmRow, opts)).map(toVm),
    );
  }
}

// ---------------------------------------------------------------------------------------------
// row → public type

function toHost(r: z.infer<typeof hostRow>): HvHost {
  return {
    name: r.ComputerName,
    fqdn: r.Fqdn,
    os: r.OsCaption,
    osVersion: r.OsVersion,
    logicalProcessors: r.LogicalProcessorCount,
    cpuCores: r.CpuCores ?? r.LogicalProcessorCount,
    memoryBytes: r.MemoryCapacity,
    replicaServer: {
      enabled: r.ReplicationEnabled,
      auth: r.ReplicationEnabled ? r.AuthType : null,
      kerberosPort: r.KerberosPort,
      certificatePort: r.CertificatePort,
      certificateThumbprint: r.CertificateThumbprint,
    },
  };
}

function toVm(r: z.infer<typeof vmRow>): HvVm {
  return {
    id: r.Id.toLowerCase(),
    name: r.Name,
    state: r.State,
    generation: r.Generation,
    cpus: r.ProcessorCount,
    memoryStartupBytes: r.MemoryStartup,
    memoryAssignedBytes: r.MemoryAssigned,
    uptimeSec: Math.max(0, Math.floor(r.UptimeSec)),
    host: r.ComputerName,
    replicationMode: r.ReplicationMode as ReplicationModeName,
    replicationState: r.ReplicationState as ReplicationStateName,
    replicationHealth: r.ReplicationHealth as ReplicationHealthName,
  };
}

function toDisk(r: z.infer<typeof diskRow>): HvDisk {
  return {
    vmId: r.VMId.toLowerCase(),
    vmName: r.VMName,
    path: r.Path,
    controllerType: r.ControllerType,
    controllerNumber: r.ControllerNumber,
    controllerLocation: r.ControllerLocation,
    sizeBytes: r.Size,
  };
}

function toNic(r: z.infer<typeof nicRow>): HvNic {
  return {
    vmId: r.VMId.toLowerCase(),
    vmName: r.VMName,
    name: r.Name,
    mac: formatMac(r.MacAddress),
    switchName: r.SwitchName,
    ipAddresses: r.IPAddresses,
  };
}

function toSwitch(r: z.infer<typeof switchRow>): HvSwitch {
  return { id: r.Id.toLowerCase(), name: r.Name, kind: r.SwitchType };
}

function toSnapshot(r: z.infer<typeof snapshotRow>): HvSnapshot {
  return {
    id: r.Id.toLowerCase(),
    name: r.Name,
    vmId: r.VMId.toLowerCase(),
    vmName: r.VMName,
    type: r.SnapshotType,
    created: r.CreationTime,
    parent: r.ParentSnapshotName,
  };
}

function toReplication(r: z.infer<typeof replicationRow>): HvReplication {
  return {
    vmId: r.VMId.toLowerCase(),
    vmName: r.VMName,
    state: r.State as ReplicationStateName,
    health: r.Health as ReplicationHealthName,
    mode: r.Mode as ReplicationModeName,
    primaryServer: r.PrimaryServer,
    replicaServer: r.ReplicaServer,
    replicaPort: r.ReplicaPort,
    auth: r.AuthType,
    certificateThumbprint: r.CertificateThumbprint,
    frequencySec: r.FrequencySec,
    recoveryHistory: r.RecoveryHistory,
    vssSnapshotFrequencyHours: r.VSSSnapshotFrequencyHour,
    compression: r.CompressionEnabled,
    lastReplicationTime: r.LastReplicationTime,
  };
}

function toStats(r: z.infer<typeof measureRow>): HvReplicationStats {
  return {
    vmId: r.VMId.toLowerCase(),
    vmName: r.VMName,
    state: r.State as ReplicationStateName,
    health: r.Health as ReplicationHealthName,
    lastReplicationTime: r.LastReplicationTime,
    pendingBytes: r.PendingReplicationSize,
    averageBytes: r.AverageReplicationSize,
    successCount: r.SuccessfulReplicationCount,
    missedCount: r.MissedReplicationCount,
  };
}
