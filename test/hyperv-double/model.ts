import { randomUUID } from 'node:crypto';

/**
 * An in-memory Hyper-V host: VMs, switches, snapshots and Hyper-V Replica, enough to answer the
 * scripts Siteshift sends. It keeps its own enum tables on purpose: it plays Windows, and must
 * not borrow the connector's idea of what Windows says.
 */

// Hyper-V enums as Windows numbers them.
export const VM_STATE: Record<string, number> = {
  Other: 1,
  Running: 2,
  Off: 3,
  Stopping: 4,
  Saved: 6,
  Paused: 9,
  Starting: 10,
};
export const REPL_STATE: Record<string, number> = {
  Disabled: 0,
  ReadyForInitialReplication: 1,
  InitialReplicationInProgress: 2,
  WaitingForInitialReplication: 3,
  Replicating: 4,
  PreparedForFailover: 5,
  FailedOverWaitingCompletion: 6,
  FailedOver: 7,
  Suspended: 8,
  Error: 9,
  WaitingForStartResynchronize: 10,
  Resynchronizing: 11,
  ResynchronizeSuspended: 12,
};
export const REPL_HEALTH: Record<string, number> = { NotApplicable: 0, Normal: 1, Warning: 2, Critical: 3 };
export const REPL_MODE: Record<string, number> = {
  None: 0,
  Primary: 1,
  Replica: 2,
  TestReplica: 3,
  ExtendedReplica: 4,
};
export const CONTROLLER: Record<string, number> = { IDE: 0, SCSI: 1 };
export const SWITCH: Record<string, number> = { Private: 0, Internal: 1, External: 2 };
export const AUTH: Record<string, number> = { Kerberos: 1, Certificate: 2, CertificateAndKerberos: 3 };
export const SNAPSHOT: Record<string, number> = { Standard: 0, Replica: 4, AppConsistentReplica: 5 };

/** A terminating PowerShell error, rendered by the server as 5.1 does (CLIXML, exit code 1). */
export class PsError extends Error {
  constructor(
    message: string,
    readonly cmdlet: string | null,
    readonly category: string,
    readonly errorId: string,
    readonly target = '',
    readonly exceptionType = 'VirtualizationException',
  ) {
    super(message);
  }
}

/** A value ConvertTo-Json writes as \/Date(ms)\/. */
export class PsDate {
  constructor(readonly ms: number) {}
  toJSON(): string {
    return `@@PSDATE:${this.ms}@@`;
  }
}
/** DateTime.MinValue: Hyper-V's "never". */
const NEVER = -62135596800000;

/** An enum value; serialised as its number or its name depending on the double's style. */
export class PsEnum {
  constructor(
    readonly table: Record<string, number>,
    readonly name: string,
  ) {}
}

export interface DiskRec {
  path: string;
  controllerType: 'IDE' | 'SCSI';
  controllerNumber: number;
  controllerLocation: number;
  sizeBytes: number | null;
}
export interface NicRec {
  name: string;
  mac: string;
  switchName: string | null;
  ips: string[];
}
export interface SnapRec {
  id: string;
  name: string;
  type: 'Standard' | 'Replica' | 'AppConsistentReplica';
  created: number;
  parent: string | null;
}
export interface ReplRec {
  mode: 'Primary' | 'Replica';
  state: string;
  health: string;
  primaryServer: string;
  replicaServer: string;
  replicaPort: number;
  auth: 'Kerberos' | 'Certificate';
  thumbprint: string | null;
  compression: boolean;
  frequencySec: number;
  recoveryHistory: number;
  vssHours: number | null;
  lastReplicationTime: number | null;
  doneAt: number | null;
  pendingBytes: number;
  successCount: number;
  missedCount: number;
  /** On a replica: the recovery point failed over to, kept until Complete-VMFailover. */
  failedOverTo?: string | null;
}
export interface VmRec {
  id: string;
  name: string;
  state: string;
  generation: number;
  cpus: number;
  memoryStartup: number;
  startedAt: number | null;
  disks: DiskRec[];
  nics: NicRec[];
  snapshots: SnapRec[];
  repl: ReplRec | null;
  /** Set on the "<name> - Test" VM of a test failover: the replica VM it was made from. */
  testOf?: string;
  testVmId?: string;
}
export interface SwitchRec {
  id: string;
  name: string;
  type: 'Private' | 'Internal' | 'External';
}

export interface SeedVm {
  name: string;
  id?: string;
  state?: 'Running' | 'Off';
  generation?: number;
  cpus?: number;
  memoryMB?: number;
  disks?: Array<{ path: string; sizeGB: number | null; controllerType?: 'IDE' | 'SCSI' }>;
  nics?: Array<{ name?: string; switch?: string | null; mac?: string; ips?: string[] }>;
}

export interface HostSeed {
  name: string;
  fqdn?: string;
  os?: string;
  cores?: number;
  logicalProcessors?: number;
  memoryGB?: number;
  replicaServer?: {
    enabled: boolean;
    auth: 'Kerberos' | 'Certificate' | 'CertificateAndKerberos';
    kerberosPort?: number;
    certificatePort?: number;
    thumbprint?: string | null;
    storage?: string;
  };
  switches?: Array<{ name: string; type?: 'Private' | 'Internal' | 'External' }>;
  vms?: SeedVm[];
}

export interface Timing {
  /** How long initial replication and resynchronisation take. */
  initialReplicationMs: number;
  resyncMs: number;
  /** Real seconds per replication-frequency second (0.01: a 30 s cycle takes 300 ms). */
  cycleScale: number;
  /** Bytes of changes a running VM produces per second, for pending-size figures. */
  churnBytesPerSec: number;
}

export const DEFAULT_TIMING: Timing = {
  initialReplicationMs: 300,
  resyncMs: 300,
  cycleScale: 0.01,
  churnBytesPerSec: 2_000_000,
};

/** The network between doubles: replica server names resolve here, and the link can be cut. */
export class Fabric {
  private readonly hosts = new Map<string, HypervModel>();
  linkDown = false;

  register(model: HypervModel): void {
    for (const n of [model.name, model.fqdn]) this.hosts.set(n.toLowerCase(), model);
  }

  resolve(name: string): HypervModel | undefined {
    return this.hosts.get(name.toLowerCase());
  }

  advanceAll(now: number): void {
    for (const m of new Set(this.hosts.values())) m.advance(now);
  }
}

function cmdletId(cmdlet: string): string {
  return `Microsoft.HyperV.PowerShell.Commands.${cmdlet.replace('-', '')}`;
}

function invalidState(cmdlet: string, vm: VmRec, why: string): PsError {
  return new PsError(
    `'${vm.name}' ${why} (Virtual machine ID ${vm.id.toUpperCase()})\nThe operation cannot be performed while the object is in its current state.`,
    cmdlet,
    'InvalidOperation',
    `InvalidState,${cmdletId(cmdlet)}`,
    vm.name,
  );
}

function formatWhen(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
}

function baseName(path: string): string {
  return path.split('\\').pop() ?? path;
}

export class HypervModel {
  readonly name: string;
  readonly fqdn: string;
  os: string;
  cores: number;
  logicalProcessors: number;
  memoryBytes: number;
  replicaServer: Required<NonNullable<HostSeed['replicaServer']>>;
  readonly switches: SwitchRec[] = [];
  readonly vms: VmRec[] = [];
  /** Commands the model ran, in order, for the tests. */
  readonly applied: Array<{ op: string; vm: string | null }> = [];

  constructor(
    seed: HostSeed,
    readonly fabric: Fabric,
    readonly timing: Timing = DEFAULT_TIMING,
    readonly clock: () => number = Date.now,
  ) {
    this.name = seed.name;
    this.fqdn = seed.fqdn ?? `${seed.name.toLowerCase()}.lab.local`;
    this.os = seed.os ?? 'Microsoft Windows Server 2022 Datacenter';
    this.cores = seed.cores ?? 16;
    this.logicalProcessors = seed.logicalProcessors ?? this.cores * 2;
    this.memoryBytes = (seed.memoryGB ?? 256) * 1024 ** 3;
    const rs = seed.replicaServer ?? { enabled: false, auth: 'Kerberos' };
    this.replicaServer = {
      enabled: rs.enabled,
      auth: rs.auth,
      kerberosPort: rs.kerberosPort ?? 80,
      certificatePort: rs.certificatePort ?? 443,
      thumbprint: rs.thumbprint ?? null,
      storage: rs.storage ?? 'D:\\Replica',
    };
    for (const s of seed.switches ?? [])
      this.switches.push({ id: randomUUID(), name: s.name, type: s.type ?? 'External' });
    let macSeq = 1;
    for (const v of seed.vms ?? []) {
      const running = (v.state ?? 'Running') === 'Running';
      this.vms.push({
        id: v.id ?? randomUUID(),
        name: v.name,
        state: running ? 'Running' : 'Off',
        generation: v.generation ?? 2,
        cpus: v.cpus ?? 2,
        memoryStartup: (v.memoryMB ?? 4096) * 1024 ** 2,
        startedAt: running ? this.clock() - 3_600_000 : null,
        disks: (v.disks ?? []).map((d, i) => {
          const type = d.controllerType ?? ((v.generation ?? 2) === 1 ? 'IDE' : 'SCSI');
          return {
            path: d.path,
            controllerType: type,
            controllerNumber: type === 'IDE' ? Math.floor(i / 2) : 0,
            controllerLocation: type === 'IDE' ? i % 2 : i,
            sizeBytes: d.sizeGB === null ? null : d.sizeGB * 1024 ** 3,
          };
        }),
        nics: (v.nics ?? []).map((n) => ({
          name: n.name ?? 'Network Adapter',
          mac: n.mac ?? `00155D${(macSeq++).toString(16).toUpperCase().padStart(6, '0')}`,
          switchName: n.switch === undefined ? (this.switches[0]?.name ?? null) : n.switch,
          ips: running ? (n.ips ?? []) : [],
        })),
        snapshots: [],
        repl: null,
      });
    }
    fabric.register(this);
  }

  // ---- lookups

  findVm(ref: unknown, cmdlet: string): VmRec {
    const r = (ref ?? {}) as { id?: unknown; name?: unknown };
    if (typeof r.id === 'string' && r.id) {
      const vm = this.vms.find((v) => v.id.toLowerCase() === r.id!.toString().toLowerCase());
      if (!vm) {
        throw new PsError(
          `Hyper-V was unable to find a virtual machine with ID "${r.id}".`,
          'Get-VM',
          'InvalidArgument',
          `InvalidParameter,${cmdletId('Get-VM')}`,
          String(r.id),
        );
      }
      return vm;
    }
    const name = typeof r.name === 'string' ? r.name : '';
    // PowerShell's -eq: exact text, any case, no wildcards.
    const hits = this.vms.filter((v) => v.name.toLowerCase() === name.toLowerCase());
    if (hits.length === 0) {
      throw new PsError(
        `Hyper-V was unable to find a virtual machine with name "${name}".`,
        null,
        'OperationStopped',
        `Hyper-V was unable to find a virtual machine with name "${name}".`,
        name,
        'RuntimeException',
      );
    }
    if (hits.length > 1) {
      throw new PsError(
        `More than one virtual machine is named "${name}"; use its id.`,
        null,
        'OperationStopped',
        'Ambiguous',
        name,
        'RuntimeException',
      );
    }
    void cmdlet;
    return hits[0]!;
  }

  vmByName(name: string): VmRec | undefined {
    return this.vms.find((v) => v.name.toLowerCase() === name.toLowerCase());
  }

  private partnerOf(vm: VmRec): { model: HypervModel; vm: VmRec } | null {
    if (!vm.repl) return null;
    const otherName = vm.repl.mode === 'Primary' ? vm.repl.replicaServer : vm.repl.primaryServer;
    const model = this.fabric.resolve(otherName);
    const other = model?.vms.find((v) => v.id === vm.id);
    return model && other ? { model, vm: other } : null;
  }

  // ---- time

  /** Moves replication forward to `now`: finished initial copies and resyncs, replication cycles. */
  advance(now: number): void {
    for (const vm of this.vms) {
      const r = vm.repl;
      if (r?.mode !== 'Primary') continue;
      const partner = this.partnerOf(vm);
      if (
        (r.state === 'InitialReplicationInProgress' || r.state === 'Resynchronizing') &&
        r.doneAt !== null
      ) {
        if (now >= r.doneAt && !this.fabric.linkDown && partner?.vm.repl) {
          r.state = 'Replicating';
          r.health = 'Normal';
          r.doneAt = null;
          r.lastReplicationTime = now;
          r.successCount++;
          r.pendingBytes = 0;
          partner.vm.repl.state = 'Replicating';
          partner.vm.repl.health = 'Normal';
          partner.vm.repl.lastReplicationTime = now;
          partner.model.addRecoveryPoint(partner.vm, now);
        }
        continue;
      }
      if (r.state !== 'Replicating' || r.lastReplicationTime === null) continue;
      const cycleMs = Math.max(1, r.frequencySec * 1000 * this.timing.cycleScale);
      const elapsed = now - r.lastReplicationTime;
      const running = vm.state === 'Running';
      if (this.fabric.linkDown || !partner?.vm.repl || partner.vm.repl.state !== 'Replicating') {
        r.pendingBytes = running
          ? Math.round((elapsed / 1000) * this.timing.churnBytesPerSec)
          : r.pendingBytes;
        const missed = Math.floor(elapsed / cycleMs);
        r.missedCount = Math.max(r.missedCount, missed);
        r.health = missed >= 6 ? 'Critical' : missed >= 2 ? 'Warning' : r.health;
        continue;
      }
      const cycles = Math.floor(elapsed / cycleMs);
      if (cycles < 1) {
        r.pendingBytes = running ? Math.round((elapsed / 1000) * this.timing.churnBytesPerSec) : 0;
        continue;
      }
      r.lastReplicationTime += cycles * cycleMs;
      r.successCount += cycles;
      r.health = 'Normal';
      r.pendingBytes = 0;
      partner.vm.repl.lastReplicationTime = r.lastReplicationTime;
      partner.vm.repl.health = 'Normal';
      partner.model.addRecoveryPoint(partner.vm, r.lastReplicationTime);
    }
  }

  addRecoveryPoint(vm: VmRec, at: number): void {
    const r = vm.repl!;
    const points = vm.snapshots.filter((s) => s.type !== 'Standard');
    const appConsistent = r.vssHours !== null && points.length % 3 === 0;
    const type = appConsistent ? 'AppConsistentReplica' : 'Replica';
    const label = appConsistent ? 'Application-consistent Replica' : 'Standard Replica';
    vm.snapshots.push({
      id: randomUUID(),
      name: `${vm.name} - ${label} - (${formatWhen(at)}.${String(at % 1000).padStart(3, '0')})`,
      type,
      created: at,
      parent: points.at(-1)?.name ?? null,
    });
    // The latest point plus RecoveryHistory more.
    const keep = r.recoveryHistory + 1;
    const all = vm.snapshots.filter((s) => s.type !== 'Standard');
    for (const old of all.slice(0, Math.max(0, all.length - keep)))
      vm.snapshots.splice(vm.snapshots.indexOf(old), 1);
  }

  /** Test hook: the change log overflowed; Hyper-V now wants a resynchronisation. */
  requireResync(vmName: string): void {
    const vm = this.vmByName(vmName);
    if (!vm?.repl) throw new Error(`${vmName} is not replicating on ${this.name}`);
    vm.repl.state = 'WaitingForStartResynchronize';
    vm.repl.health = 'Critical';
  }

  // ---- operations

  run(op: string, p: Record<string, unknown>): { value: unknown; warnings: string[] } {
    const now = this.clock();
    this.fabric.advanceAll(now);
    const warnings: string[] = [];
    const vmOf = (cmdlet: string) => this.findVm(p.vm, cmdlet);
    const vmsOf = (cmdlet: string) => (p.vm ? [vmOf(cmdlet)] : this.vms);
    const record = (vm: VmRec | null) => this.applied.push({ op, vm: vm?.name ?? null });
    const replOut = (vm: VmRec) => (vm.repl ? [this.replRow(vm)] : []);
    switch (op) {
      case 'Get-VMHost':
        return { value: [this.hostRow()], warnings };
      case 'Get-VM':
        return { value: vmsOf('Get-VM').map((v) => this.vmRow(v, now)), warnings };
      case 'Get-VMHardDiskDrive':
        return { value: vmsOf('Get-VM').flatMap((v) => v.disks.map((d) => this.diskRow(v, d))), warnings };
      case 'Get-VMNetworkAdapter':
        return { value: vmsOf('Get-VM').flatMap((v) => v.nics.map((n) => this.nicRow(v, n))), warnings };
      case 'Get-VMSwitch':
        return { value: this.switches.map((s) => this.switchRow(s)), warnings };
      case 'Get-VMSnapshot':
        return {
          value: vmsOf('Get-VM').flatMap((v) => v.snapshots.map((s) => this.snapRow(v, s))),
          warnings,
        };
      case 'Get-VMReplication':
        return {
          value: vmsOf('Get-VM')
            .filter((v) => v.repl)
            .map((v) => this.replRow(v)),
          warnings,
        };
      case 'Measure-VMReplication':
        return {
          value: vmsOf('Get-VM')
            .filter((v) => v.repl)
            .map((v) => this.measureRow(v)),
          warnings,
        };
      case 'Get-SiteshiftInventory':
        return {
          value: {
            Switches: this.switches.map((s) => this.switchRow(s)),
            VMs: this.vms.map((v) => this.vmRow(v, now)),
            Replication: this.vms.filter((v) => v.repl).map((v) => this.replRow(v)),
            Measure: this.vms.filter((v) => v.repl).map((v) => this.measureRow(v)),
          },
          warnings,
        };
      case 'Enable-VMReplication': {
        const vm = vmOf(op);
        this.enableReplication(vm, p, now);
        record(vm);
        return { value: replOut(vm), warnings };
      }
      case 'Start-VMInitialReplication': {
        const vm = vmOf(op);
        const r = vm.repl;
        if (r?.mode !== 'Primary' || r.state !== 'ReadyForInitialReplication') {
          throw invalidState(
            op,
            vm,
            `cannot start initial replication: replication is ${r ? `${r.state} (${r.mode})` : 'not enabled'}.`,
          );
        }
        this.requireLink(op, vm, r.replicaServer);
        r.state = 'InitialReplicationInProgress';
        r.doneAt = now + this.timing.initialReplicationMs;
        record(vm);
        return { value: replOut(vm), warnings };
      }
      case 'Suspend-VMReplication': {
        const vm = vmOf(op);
        const r = vm.repl;
        if (!r || !['Replicating', 'Resynchronizing', 'InitialReplicationInProgress'].includes(r.state)) {
          throw invalidState(
            op,
            vm,
            `cannot suspend replication: replication is ${r?.state ?? 'not enabled'}.`,
          );
        }
        r.state = r.state === 'Resynchronizing' ? 'ResynchronizeSuspended' : 'Suspended';
        r.health = 'Warning';
        record(vm);
        return { value: replOut(vm), warnings };
      }
      case 'Resume-VMReplication': {
        const vm = vmOf(op);
        const r = vm.repl;
        const resync = p.resynchronize === true;
        if (!r) throw invalidState(op, vm, 'cannot resume replication: replication is not enabled.');
        if (resync) {
          if (
            !['WaitingForStartResynchronize', 'ResynchronizeSuspended', 'Suspended'].includes(r.state) ||
            r.mode !== 'Primary'
          ) {
            throw invalidState(op, vm, `cannot resynchronize: replication is ${r.state} (${r.mode}).`);
          }
          this.requireLink(op, vm, r.replicaServer);
          r.state = 'Resynchronizing';
          r.health = 'Warning';
          r.doneAt = now + this.timing.resyncMs;
        } else if (r.state === 'WaitingForStartResynchronize') {
          throw new PsError(
            `Resynchronization is required for '${vm.name}'. Resume replication with -Resynchronize.`,
            op,
            'InvalidOperation',
            `InvalidState,${cmdletId(op)}`,
            vm.name,
          );
        } else if (r.state === 'Suspended' || r.state === 'ResynchronizeSuspended') {
          r.state = r.state === 'Suspended' ? 'Replicating' : 'Resynchronizing';
          r.health = 'Normal';
          if (r.state === 'Resynchronizing') r.doneAt = now + this.timing.resyncMs;
          else r.lastReplicationTime = r.lastReplicationTime ?? now;
        } else {
          throw invalidState(op, vm, `cannot resume replication: replication is ${r.state}, not suspended.`);
        }
        record(vm);
        return { value: replOut(vm), warnings };
      }
      case 'Start-VMFailover': {
        const vm = vmOf(op);
        this.startFailover(vm, p, now);
        record(vm);
        return { value: replOut(vm), warnings };
      }
      case 'Complete-VMFailover': {
        const vm = vmOf(op);
        const r = vm.repl;
        if (r?.mode !== 'Replica' || r.state !== 'FailedOverWaitingCompletion') {
          throw invalidState(
            op,
            vm,
            `cannot complete failover: replication is ${r ? `${r.state} (${r.mode})` : 'not enabled'}.`,
          );
        }
        r.state = 'FailedOver';
        r.health = 'Normal';
        r.failedOverTo = null;
        vm.snapshots = vm.snapshots.filter((s) => s.type === 'Standard');
        record(vm);
        return { value: replOut(vm), warnings };
      }
      case 'Stop-VMFailover': {
        const vm = vmOf(op);
        this.stopFailover(vm);
        record(vm);
        return { value: replOut(vm), warnings };
      }
      case 'Set-VMReplication': {
        const vm = vmOf(op);
        this.reverse(vm, p, now);
        record(vm);
        return { value: replOut(vm), warnings };
      }
      case 'Remove-VMReplication': {
        const vm = vmOf(op);
        if (!vm.repl) throw invalidState(op, vm, 'cannot remove replication: replication is not enabled.');
        if (vm.testVmId)
          throw invalidState(
            op,
            vm,
            'cannot remove replication while a test failover is running; stop it first.',
          );
        vm.repl = null;
        vm.snapshots = vm.snapshots.filter((s) => s.type === 'Standard');
        record(vm);
        return { value: [], warnings };
      }
      case 'Start-VM': {
        const vm = vmOf(op);
        const r = vm.repl;
        if (r?.mode === 'Replica' && !['FailedOverWaitingCompletion', 'FailedOver'].includes(r.state)) {
          throw new PsError(
            `'${vm.name}' failed to start. (Virtual machine ID ${vm.id.toUpperCase()})\n'${vm.name}' is a Replica virtual machine and cannot be started; fail it over first.`,
            op,
            'InvalidOperation',
            `InvalidState,${cmdletId(op)}`,
            vm.name,
          );
        }
        if (r?.mode === 'Primary' && r.state === 'PreparedForFailover') {
          throw invalidState(
            op,
            vm,
            'failed to start: it is prepared for planned failover; cancel it with Stop-VMFailover first.',
          );
        }
        if (vm.state === 'Running') warnings.push('The virtual machine is already in the specified state.');
        else {
          vm.state = 'Running';
          vm.startedAt = now;
          for (const n of vm.nics) {
            if (/^0+$/.test(n.mac))
              n.mac = `00155D${Math.floor(Math.random() * 0xffffff)
                .toString(16)
                .toUpperCase()
                .padStart(6, '0')}`;
          }
        }
        record(vm);
        return { value: [this.vmRow(vm, now)], warnings };
      }
      case 'Stop-VM': {
        const vm = vmOf(op);
        if (vm.state === 'Off') warnings.push('The virtual machine is already in the specified state.');
        else {
          vm.state = 'Off';
          vm.startedAt = null;
          for (const n of vm.nics) n.ips = [];
        }
        record(vm);
        return { value: [this.vmRow(vm, now)], warnings };
      }
      default:
        throw new PsError(
          `The host double does not implement the operation "${op}".`,
          null,
          'NotImplemented',
          'NotImplemented',
          op,
          'NotImplementedException',
        );
    }
  }

  private requireLink(cmdlet: string, vm: VmRec, server: string): HypervModel {
    const other = this.fabric.resolve(server);
    if (!other || this.fabric.linkDown) {
      throw new PsError(
        `Hyper-V failed to ${cmdlet === 'Enable-VMReplication' ? 'enable replication' : 'replicate changes'} for virtual machine '${vm.name}': The connection with the server was lost or could not be established. (0x00002EFD). Verify that the Replica server '${server}' is reachable.`,
        cmdlet,
        'ConnectionError',
        `ConnectionError,${cmdletId(cmdlet)}`,
        vm.name,
      );
    }
    return other;
  }

  private enableReplication(vm: VmRec, p: Record<string, unknown>, now: number): void {
    const op = 'Enable-VMReplication';
    const freq = Number(p.frequencySec ?? 300);
    if (![30, 300, 900].includes(freq)) {
      throw new PsError(
        `Cannot validate argument on parameter 'ReplicationFrequencySec'. The argument "${p.frequencySec}" does not belong to the set "30,300,900" specified by the ValidateSet attribute. Supply an argument that is in the set and then try the command again.`,
        op,
        'InvalidData',
        `ParameterArgumentValidationError,${cmdletId(op)}`,
        '',
        'ParameterBindingValidationException',
      );
    }
    const history = Number(p.recoveryHistory ?? 0);
    if (!Number.isInteger(history) || history < 0 || history > 24) {
      throw new PsError(
        `Cannot validate argument on parameter 'RecoveryHistory'. The ${history} argument is greater than the maximum allowed range of 24. Supply an argument that is less than or equal to 24 and then try the command again.`,
        op,
        'InvalidData',
        `ParameterArgumentValidationError,${cmdletId(op)}`,
        '',
        'ParameterBindingValidationException',
      );
    }
    if (vm.repl)
      throw invalidState(
        op,
        vm,
        `cannot enable replication: replication is already enabled (${vm.repl.mode}).`,
      );
    if (vm.testOf)
      throw invalidState(op, vm, 'cannot enable replication on a test failover virtual machine.');
    const server = String(p.replicaServer ?? '');
    const target = this.requireLink(op, vm, server);
    if (target === this) throw invalidState(op, vm, 'cannot replicate to its own host.');
    const auth = p.auth === 'Certificate' ? 'Certificate' : 'Kerberos';
    const port = Number(p.replicaPort ?? (auth === 'Certificate' ? 443 : 80));
    const rs = target.replicaServer;
    const accepts = rs.auth === 'CertificateAndKerberos' || rs.auth === auth;
    const expectedPort = auth === 'Kerberos' ? rs.kerberosPort : rs.certificatePort;
    if (!rs.enabled || !accepts || port !== expectedPort) {
      throw new PsError(
        `Hyper-V failed to enable replication for virtual machine '${vm.name}': The Replica server '${server}' is not configured to accept replication with ${auth} authentication on port ${port}. Enable it as a Replica server (Set-VMReplicationServer) with a matching authentication type and port.`,
        op,
        'InvalidArgument',
        `InvalidParameter,${cmdletId(op)}`,
        vm.name,
      );
    }
    if (
      auth === 'Certificate' &&
      !(typeof p.certificateThumbprint === 'string' && /^[0-9A-Fa-f]{40}$/.test(p.certificateThumbprint))
    ) {
      throw new PsError(
        `Hyper-V failed to enable replication for virtual machine '${vm.name}': a certificate thumbprint is required for certificate-based authentication.`,
        op,
        'InvalidArgument',
        `InvalidParameter,${cmdletId(op)}`,
        vm.name,
      );
    }
    if (target.vms.some((v) => v.id === vm.id)) {
      throw new PsError(
        `Hyper-V failed to enable replication for virtual machine '${vm.name}': a virtual machine with the same ID already exists on the Replica server '${server}'.`,
        op,
        'ResourceExists',
        `ObjectAlreadyExists,${cmdletId(op)}`,
        vm.name,
      );
    }
    const base: Omit<ReplRec, 'mode' | 'state' | 'health'> = {
      primaryServer: this.fqdn,
      replicaServer: target.fqdn,
      replicaPort: port,
      auth,
      thumbprint: auth === 'Certificate' ? String(p.certificateThumbprint) : null,
      compression: p.compression !== false,
      frequencySec: freq,
      recoveryHistory: history,
      vssHours: p.vssFrequencyHours ? Number(p.vssFrequencyHours) : null,
      lastReplicationTime: null,
      doneAt: null,
      pendingBytes: 0,
      successCount: 0,
      missedCount: 0,
    };
    vm.repl = { ...base, mode: 'Primary', state: 'ReadyForInitialReplication', health: 'Warning' };
    target.vms.push(
      target.replicaOf(vm, {
        ...base,
        mode: 'Replica',
        state: 'WaitingForInitialReplication',
        health: 'Warning',
      }),
    );
    void now;
  }

  private replicaOf(vm: VmRec, repl: ReplRec): VmRec {
    return {
      id: vm.id,
      name: vm.name,
      state: 'Off',
      generation: vm.generation,
      cpus: vm.cpus,
      memoryStartup: vm.memoryStartup,
      startedAt: null,
      disks: vm.disks.map((d) => ({
        ...d,
        path: `${this.replicaServer.storage}\\Hyper-V Replica\\Virtual hard disks\\${vm.id.toUpperCase()}\\${baseName(d.path)}`,
      })),
      nics: vm.nics.map((n) => ({
        name: n.name,
        mac: n.mac,
        switchName: n.switchName && this.switches.some((s) => s.name === n.switchName) ? n.switchName : null,
        ips: [],
      })),
      snapshots: [],
      repl,
    };
  }

  private startFailover(vm: VmRec, p: Record<string, unknown>, now: number): void {
    const op = 'Start-VMFailover';
    const r = vm.repl;
    const mode = p.mode === 'prepare' ? 'prepare' : p.mode === 'test' ? 'test' : 'failover';
    if (!r) throw invalidState(op, vm, 'cannot fail over: replication is not enabled.');
    if (mode === 'prepare') {
      if (r.mode !== 'Primary')
        throw invalidState(
          op,
          vm,
          'cannot prepare for planned failover: it is not a primary virtual machine.',
        );
      if (vm.state !== 'Off') {
        throw new PsError(
          `'${vm.name}' cannot be prepared for planned failover because it is ${vm.state.toLowerCase()}. Shut down the virtual machine and try again. (Virtual machine ID ${vm.id.toUpperCase()})`,
          op,
          'InvalidOperation',
          `InvalidState,${cmdletId(op)}`,
          vm.name,
        );
      }
      if (r.state !== 'Replicating')
        throw invalidState(op, vm, `cannot prepare for planned failover: replication is ${r.state}.`);
      this.requireLink(op, vm, r.replicaServer);
      const partner = this.partnerOf(vm);
      r.state = 'PreparedForFailover';
      r.health = 'Normal';
      r.lastReplicationTime = now;
      r.pendingBytes = 0;
      if (partner?.vm.repl) {
        partner.vm.repl.lastReplicationTime = now;
        partner.model.addRecoveryPoint(partner.vm, now);
      }
      return;
    }
    if (r.mode !== 'Replica') {
      throw invalidState(
        op,
        vm,
        `cannot ${mode === 'test' ? 'test fail over' : 'fail over'}: failover runs on the Replica virtual machine, and this is the ${r.mode}. Use -Prepare on the primary.`,
      );
    }
    const points = vm.snapshots.filter((s) => s.type !== 'Standard');
    let point: SnapRec | undefined = points.at(-1);
    const wanted = p.snapshot as { id?: string; name?: string } | null | undefined;
    if (wanted) {
      point = points.find((s) =>
        wanted.id ? s.id.toLowerCase() === wanted.id.toLowerCase() : s.name === wanted.name,
      );
      if (!point) {
        throw new PsError(
          `Recovery point "${wanted.name ?? ''}${wanted.id ?? ''}" of "${vm.name}" was not found.`,
          null,
          'OperationStopped',
          'RecoveryPointNotFound',
          vm.name,
          'RuntimeException',
        );
      }
    }
    if (mode === 'test') {
      if (vm.testVmId)
        throw invalidState(op, vm, 'cannot start a test failover: a test failover is already running.');
      if (
        !point ||
        !['Replicating', 'Suspended', 'Error', 'WaitingForStartResynchronize'].includes(r.state)
      ) {
        throw invalidState(
          op,
          vm,
          `cannot start a test failover: replication is ${r.state} and no recovery point exists yet.`,
        );
      }
      const test: VmRec = {
        id: randomUUID(),
        name: `${vm.name} - Test`,
        state: 'Off',
        generation: vm.generation,
        cpus: vm.cpus,
        memoryStartup: vm.memoryStartup,
        startedAt: null,
        disks: vm.disks.map((d) => ({ ...d, path: d.path.replace(/(\.a?vhdx?)$/i, ` - Test$1`) })),
        nics: vm.nics.map((n) => ({ ...n, switchName: null, ips: [] })),
        snapshots: [],
        repl: null,
        testOf: vm.id,
      };
      this.vms.push(test);
      vm.testVmId = test.id;
      return;
    }
    if (!['Replicating', 'Suspended', 'Error', 'WaitingForStartResynchronize'].includes(r.state)) {
      throw invalidState(op, vm, `cannot fail over: replication is ${r.state}.`);
    }
    if (!point)
      throw invalidState(
        op,
        vm,
        'cannot fail over: initial replication has not completed, so no recovery point exists.',
      );
    r.state = 'FailedOverWaitingCompletion';
    r.health = 'Normal';
    r.failedOverTo = point.id;
    r.lastReplicationTime = point.created;
  }

  private stopFailover(vm: VmRec): void {
    const op = 'Stop-VMFailover';
    const r = vm.repl;
    if (vm.testVmId) {
      const i = this.vms.findIndex((v) => v.id === vm.testVmId);
      if (i >= 0) this.vms.splice(i, 1);
      vm.testVmId = undefined;
      return;
    }
    if (r?.mode === 'Primary' && r.state === 'PreparedForFailover') {
      r.state = 'Replicating';
      return;
    }
    if (r?.mode === 'Replica' && r.state === 'FailedOverWaitingCompletion') {
      vm.state = 'Off';
      vm.startedAt = null;
      r.state = 'Replicating';
      r.failedOverTo = null;
      return;
    }
    throw invalidState(
      op,
      vm,
      `cannot cancel failover: replication is ${r ? `${r.state} (${r.mode})` : 'not enabled'} and no test failover is running.`,
    );
  }

  private reverse(vm: VmRec, p: Record<string, unknown>, now: number): void {
    const op = 'Set-VMReplication';
    const r = vm.repl;
    if (r?.mode !== 'Replica' || !['FailedOverWaitingCompletion', 'FailedOver'].includes(r.state)) {
      throw invalidState(
        op,
        vm,
        `cannot reverse replication: reverse runs on a failed-over Replica virtual machine; replication is ${r ? `${r.state} (${r.mode})` : 'not enabled'}.`,
      );
    }
    const server = typeof p.replicaServer === 'string' && p.replicaServer ? p.replicaServer : r.primaryServer;
    const target = this.requireLink(op, vm, server);
    const old = target.vms.find((v) => v.id === vm.id);
    if (!old) {
      throw new PsError(
        `Hyper-V cannot reverse replication for '${vm.name}': the virtual machine does not exist on '${server}'.`,
        op,
        'ObjectNotFound',
        `ObjectNotFound,${cmdletId(op)}`,
        vm.name,
      );
    }
    if (old.state !== 'Off') {
      throw invalidState(
        op,
        vm,
        `cannot reverse replication: the former primary on '${server}' is running; turn it off first.`,
      );
    }
    const rs = target.replicaServer;
    const auth = p.auth === 'Certificate' ? 'Certificate' : p.auth === 'Kerberos' ? 'Kerberos' : r.auth;
    const port = p.replicaPort
      ? Number(p.replicaPort)
      : auth === 'Kerberos'
        ? rs.kerberosPort
        : rs.certificatePort;
    if (
      !rs.enabled ||
      !(rs.auth === 'CertificateAndKerberos' || rs.auth === auth) ||
      port !== (auth === 'Kerberos' ? rs.kerberosPort : rs.certificatePort)
    ) {
      throw new PsError(
        `Hyper-V cannot reverse replication for '${vm.name}': '${server}' is not configured as a Replica server for ${auth} authentication on port ${port}.`,
        op,
        'InvalidArgument',
        `InvalidParameter,${cmdletId(op)}`,
        vm.name,
      );
    }
    const planned = old.repl?.mode === 'Primary' && old.repl.state === 'PreparedForFailover';
    const shared = {
      primaryServer: this.fqdn,
      replicaServer: target.fqdn,
      replicaPort: port,
      auth,
      thumbprint:
        auth === 'Certificate'
          ? typeof p.certificateThumbprint === 'string'
            ? p.certificateThumbprint
            : r.thumbprint
          : null,
      compression: r.compression,
      frequencySec: r.frequencySec,
      recoveryHistory: r.recoveryHistory,
      vssHours: r.vssHours,
      doneAt: null,
      pendingBytes: 0,
      successCount: 0,
      missedCount: 0,
    };
    // Reversing commits the failover: the recovery points of the old direction go.
    vm.snapshots = vm.snapshots.filter((s) => s.type === 'Standard');
    old.snapshots = old.snapshots.filter((s) => s.type === 'Standard');
    if (planned) {
      // The prepared primary already holds every change: replication simply carries on backwards.
      vm.repl = {
        ...shared,
        mode: 'Primary',
        state: 'Replicating',
        health: 'Normal',
        lastReplicationTime: now,
      };
      old.repl = {
        ...shared,
        mode: 'Replica',
        state: 'Replicating',
        health: 'Normal',
        lastReplicationTime: now,
      };
      target.addRecoveryPoint(old, now);
    } else {
      vm.repl = {
        ...shared,
        mode: 'Primary',
        state: 'ReadyForInitialReplication',
        health: 'Warning',
        lastReplicationTime: null,
      };
      old.repl = {
        ...shared,
        mode: 'Replica',
        state: 'WaitingForInitialReplication',
        health: 'Warning',
        lastReplicationTime: null,
      };
    }
  }

  // ---- rows, projected like the connector's scripts project them

  private hostRow() {
    const rs = this.replicaServer;
    return {
      ComputerName: this.name,
      Fqdn: this.fqdn,
      OsCaption: this.os,
      OsVersion: '10.0.20348',
      LogicalProcessorCount: this.logicalProcessors,
      CpuCores: this.cores,
      MemoryCapacity: this.memoryBytes,
      ReplicationEnabled: rs.enabled,
      AuthType: new PsEnum(AUTH, rs.auth),
      KerberosPort: rs.kerberosPort,
      CertificatePort: rs.certificatePort,
      CertificateThumbprint: rs.thumbprint,
    };
  }

  private vmRow(v: VmRec, now: number) {
    return {
      Id: v.id,
      Name: v.name,
      State: new PsEnum(VM_STATE, v.state),
      Generation: v.generation,
      ProcessorCount: v.cpus,
      MemoryStartup: v.memoryStartup,
      MemoryAssigned: v.state === 'Running' ? v.memoryStartup : 0,
      UptimeSec: v.startedAt === null ? 0 : Math.floor((now - v.startedAt) / 1000),
      ComputerName: this.name,
      ReplicationMode: new PsEnum(REPL_MODE, v.testOf ? 'TestReplica' : (v.repl?.mode ?? 'None')),
      ReplicationState: new PsEnum(REPL_STATE, v.repl?.state ?? 'Disabled'),
      ReplicationHealth: new PsEnum(REPL_HEALTH, v.repl?.health ?? 'NotApplicable'),
    };
  }

  private diskRow(v: VmRec, d: DiskRec) {
    return {
      VMId: v.id,
      VMName: v.name,
      Path: d.path,
      ControllerType: new PsEnum(CONTROLLER, d.controllerType),
      ControllerNumber: d.controllerNumber,
      ControllerLocation: d.controllerLocation,
      Size: d.sizeBytes,
    };
  }

  private nicRow(v: VmRec, n: NicRec) {
    return {
      VMId: v.id,
      VMName: v.name,
      Name: n.name,
      MacAddress: n.mac,
      SwitchName: n.switchName,
      IPAddresses: n.ips,
    };
  }

  private switchRow(s: SwitchRec) {
    return { Id: s.id, Name: s.name, SwitchType: new PsEnum(SWITCH, s.type) };
  }

  private snapRow(v: VmRec, s: SnapRec) {
    return {
      Id: s.id,
      Name: s.name,
      VMId: v.id,
      VMName: v.name,
      SnapshotType: new PsEnum(SNAPSHOT, s.type),
      CreationTime: new PsDate(s.created),
      ParentSnapshotName: s.parent,
    };
  }

  private replRow(v: VmRec) {
    const r = v.repl!;
    return {
      VMId: v.id,
      VMName: v.name,
      State: new PsEnum(REPL_STATE, r.state),
      Health: new PsEnum(REPL_HEALTH, r.health),
      Mode: new PsEnum(REPL_MODE, r.mode),
      PrimaryServer: r.primaryServer,
      ReplicaServer: r.replicaServer,
      ReplicaPort: r.replicaPort,
      AuthType: new PsEnum(AUTH, r.auth),
      CertificateThumbprint: r.thumbprint,
      FrequencySec: r.frequencySec,
      RecoveryHistory: r.recoveryHistory,
      VSSSnapshotFrequencyHour: r.vssHours ?? 0,
      CompressionEnabled: r.compression,
      LastReplicationTime: new PsDate(r.lastReplicationTime ?? NEVER),
    };
  }

  private measureRow(v: VmRec) {
    const r = v.repl!;
    return {
      VMId: v.id,
      VMName: v.name,
      State: new PsEnum(REPL_STATE, r.state),
      Health: new PsEnum(REPL_HEALTH, r.health),
      LastReplicationTime: new PsDate(r.lastReplicationTime ?? NEVER),
      PendingReplicationSize: r.mode === 'Primary' ? r.pendingBytes : 0,
      AverageReplicationSize: r.successCount ? 4_194_304 : 0,
      SuccessfulReplicationCount: r.successCount,
      MissedReplicationCount: r.missedCount,
    };
  }
}
