import { randomUUID } from 'node:crypto';
import { isIP } from 'node:net';

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
/** Microsoft.HyperV.PowerShell.SnapshotType (3 and 4 are not used). */
export const SNAPSHOT: Record<string, number> = {
  Standard: 0,
  Recovery: 1,
  Planned: 2,
  Missing: 5,
  Replica: 6,
  AppConsistentReplica: 7,
  SyncedReplica: 8,
};
export const RELATIONSHIP: Record<string, number> = { Simple: 0, Extended: 1 };
export const IC_STATUS: Record<string, number> = {
  Ok: 2,
  Degraded: 3,
  Error: 6,
  NoContact: 12,
  LostCommunication: 13,
};

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
/** A TimeSpan: the one member the scripts read is TotalSeconds. */
export class PsTimeSpan {
  constructor(readonly ms: number) {}
  get TotalSeconds(): number {
    return this.ms / 1000;
  }
}

/** An object with exactly the members the table documents for `type` (VirtualMachine …). */
export class PsObject {
  constructor(
    readonly type: string,
    readonly members: Record<string, unknown>,
  ) {}
}

/** A row of output that the script's own function `fn` projects from `args`. */
export class Projected {
  constructor(
    readonly fn: string,
    readonly args: unknown[],
  ) {}
}

/** What a cmdlet wrote that the script did not capture: it lands on stdout before the JSON. */
export interface Written {
  cmdlet: string;
  switch: string;
  text: string;
}

/** What the model needs from the script it answers: its text, and what its guards evaluate to. */
export interface RunContext {
  script: string;
  /** Parameters of the invocations of a cmdlet in the script (names lower-case, values as text). */
  invocations(cmdlet: string): Array<Record<string, string | true>>;
  /** Evaluates the script's `if(<cond>){throw "…"}` after `$x=@(<cmdlet> …)`, with the given bindings. */
  guard(after: string, vars: Record<string, unknown>): string | null;
  /** The rows the script's `$x=@(<cmdlet> …|Where-Object{…})` keeps of `rows`; null without one. */
  select(cmdlet: string, rows: unknown[], vars: Record<string, unknown>): unknown[] | null;
}

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
  /** On a replica that extends replication onward: the second (Extended) relationship. */
  extended?: ReplRec;
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
  /** The guest's Shutdown integration service (default ok). */
  shutdownService?: 'ok' | 'disabled' | 'no-contact' | 'absent';
  /** How the VM last went off: through the guest, or powered off (crash-consistent). */
  lastStop?: 'shut-down' | 'turned-off';
}
export interface SwitchRec {
  id: string;
  name: string;
  type: 'Private' | 'Internal' | 'External';
}

export interface SeedVm {
  name: string;
  shutdownService?: 'ok' | 'disabled' | 'no-contact' | 'absent';
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
  /** Local volumes (Win32_LogicalDisk); default C: 500 GB with 200 free, D: 4 TB with 3 TB free. */
  volumes?: Array<{ device: string; sizeGB: number; freeGB: number }>;
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

/** For runs without a script (seeding the doubles): no invocations, no guards. */
export const NO_SCRIPT: RunContext = {
  script: '',
  invocations: () => [],
  guard: () => null,
  select: () => null,
};

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
  /** Local volumes, settable by tests (a replica volume running full). */
  volumes: Array<{ device: string; sizeBytes: number; freeBytes: number }>;
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
    this.volumes = (
      seed.volumes ?? [
        { device: 'C:', sizeGB: 500, freeGB: 200 },
        { device: 'D:', sizeGB: 4096, freeGB: 3072 },
      ]
    ).map((v) => ({ device: v.device, sizeBytes: v.sizeGB * 1024 ** 3, freeBytes: v.freeGB * 1024 ** 3 }));
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
        shutdownService: v.shutdownService,
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

  /** Test hook: a standard checkpoint (Checkpoint-VM), named as the operator likes. */
  checkpoint(vmName: string, name: string): SnapRec {
    const vm = this.vmByName(vmName);
    if (!vm) throw new Error(`no VM ${vmName} on ${this.name}`);
    const snap: SnapRec = {
      id: randomUUID(),
      name,
      type: 'Standard',
      created: this.clock(),
      parent: vm.snapshots.at(-1)?.name ?? null,
    };
    vm.snapshots.push(snap);
    return snap;
  }

  /** Test hook: a replica VM extends replication to a third server (Enable-VMReplication on the replica). */
  extendReplication(vmName: string, server: string): void {
    const vm = this.vmByName(vmName);
    if (vm?.repl?.mode !== 'Replica') throw new Error(`${vmName} is not a replica on ${this.name}`);
    vm.repl.extended = {
      ...vm.repl,
      primaryServer: this.fqdn,
      replicaServer: server,
      state: 'Replicating',
      health: 'Normal',
      extended: undefined,
    };
  }

  /** Test hook: the change log overflowed; Hyper-V now wants a resynchronisation. */
  requireResync(vmName: string): void {
    const vm = this.vmByName(vmName);
    if (!vm?.repl) throw new Error(`${vmName} is not replicating on ${this.name}`);
    vm.repl.state = 'WaitingForStartResynchronize';
    vm.repl.health = 'Critical';
  }

  // ---- operations

  run(
    op: string,
    p: Record<string, unknown>,
    ctx: RunContext = NO_SCRIPT,
  ): { value: unknown; warnings: string[]; written?: Written } {
    const now = this.clock();
    this.fabric.advanceAll(now);
    const warnings: string[] = [];
    const vmOf = (cmdlet: string) => this.findVm(p.vm, cmdlet);
    const vmsOf = (cmdlet: string) => (p.vm ? [vmOf(cmdlet)] : this.vms);
    const record = (vm: VmRec | null) => this.applied.push({ op, vm: vm?.name ?? null });
    const replOut = (vm: VmRec) => this.replicationRows([vm], ctx, false);
    const vmOut = (vm: VmRec) => [new Projected('P-VM', [this.vmObject(vm, now)])];
    switch (op) {
      case 'Get-VMHost':
        return { value: [new Projected('P-Host', [])], warnings };
      case 'Get-VM':
        return { value: vmsOf('Get-VM').flatMap((v) => vmOut(v)), warnings };
      case 'Get-VMHardDiskDrive':
        return {
          value: vmsOf('Get-VM').flatMap((v) =>
            v.disks.map((d) => new Projected('P-Disk', [this.diskObject(v, d)])),
          ),
          warnings,
        };
      case 'Get-VMNetworkAdapter':
        return {
          value: vmsOf('Get-VM').flatMap((v) =>
            v.nics.map((n) => new Projected('P-Nic', [this.nicObject(v, n)])),
          ),
          warnings,
        };
      case 'Get-VMSwitch':
        return { value: this.switches.map((s) => new Projected('P-Sw', [this.switchObject(s)])), warnings };
      case 'Get-VMSnapshot':
        return {
          value: vmsOf('Get-VM').flatMap((v) =>
            v.snapshots.map((s) => new Projected('P-Snap', [this.snapshotObject(v, s)])),
          ),
          warnings,
        };
      case 'Get-VMReplication':
        return { value: this.replicationRows(vmsOf('Get-VM'), ctx, false), warnings };
      case 'Measure-VMReplication':
        return { value: this.replicationRows(vmsOf('Get-VM'), ctx, true), warnings };
      case 'Test-VMReplicationConnection':
        this.testConnection(p);
        record(null);
        return { value: [new Projected('P-Conn', [p])], warnings };
      case 'Get-SiteshiftReplicaStorage': {
        const rs = this.hostObjects().replicaServer;
        return {
          value: this.volumes.map(
            (v) =>
              new Projected('P-Vol', [
                new PsObject('Win32_LogicalDisk', {
                  DeviceID: v.device,
                  FreeSpace: v.freeBytes,
                  Size: v.sizeBytes,
                }),
                rs,
              ]),
          ),
          warnings,
        };
      }
      case 'Get-SiteshiftInventory':
        return {
          value: {
            Switches: this.switches.map((s) => new Projected('P-Sw', [this.switchObject(s)])),
            VMs: this.vms.flatMap((v) => vmOut(v)),
            Replication: this.replicationRows(this.vms, ctx, false),
            Measure: this.replicationRows(this.vms, ctx, true),
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
          const partner = this.partnerOf(vm);
          if (partner?.vm.repl) partner.vm.repl.state = 'Resynchronizing';
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
        this.startFailover(vm, p, now, ctx);
        record(vm);
        // -AsTest writes the test VM to the output, whatever the help page says.
        const test = vm.testVmId ? this.vms.find((v) => v.id === vm.testVmId) : undefined;
        const written =
          p.mode === 'test' && test ? { cmdlet: op, switch: 'AsTest', text: this.formatVm(test) } : undefined;
        return { value: replOut(vm), warnings, written };
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
        if (p.reverse) this.reverse(vm, p, now);
        else this.setReplication(vm, p);
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
        return { value: vmOut(vm), warnings };
      }
      case 'Stop-VM': {
        const vm = vmOf(op);
        if (vm.state === 'Off') warnings.push('The virtual machine is already in the specified state.');
        else if (p.turnOff === true) this.powerOff(vm, 'turned-off');
        else {
          // The script's own guard, evaluated over the VM's documented integration services.
          const refusal = ctx.guard('Get-VMIntegrationService', {
            v: this.vmObject(vm, now),
            i: this.integrationServices(vm),
          });
          if (refusal !== null)
            throw new PsError(refusal, null, 'OperationStopped', refusal, vm.name, 'RuntimeException');
          const force = ctx.invocations('Stop-VM').some((a) => a.force === true && a.turnoff === undefined);
          const svc = vm.shutdownService ?? 'ok';
          if (svc === 'ok') this.powerOff(vm, 'shut-down');
          else if (force) {
            // What Stop-VM -Force does without the guest's Shutdown service: it powers the VM off.
            this.powerOff(vm, 'turned-off');
          } else {
            throw new PsError(
              `'${vm.name}' failed to shut down: the Shutdown integration service is not available in the virtual machine. (Virtual machine ID ${vm.id.toUpperCase()})`,
              op,
              'InvalidOperation',
              `InvalidState,${cmdletId(op)}`,
              vm.name,
            );
          }
        }
        record(vm);
        return { value: vmOut(vm), warnings };
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

  private powerOff(vm: VmRec, how: 'shut-down' | 'turned-off'): void {
    vm.state = 'Off';
    vm.startedAt = null;
    vm.lastStop = how;
    for (const n of vm.nics) n.ips = [];
  }

  /** Kerberos finds the server by its name and a certificate is issued to the FQDN: no IPs. */
  private requireServerName(cmdlet: string, vm: VmRec, server: string): void {
    if (isIP(server) !== 0) {
      throw new PsError(
        `The Replica server name '${server}' is an IP address. Specify the fully qualified domain name of the Replica server.`,
        cmdlet,
        'InvalidArgument',
        `InvalidParameter,${cmdletId(cmdlet)}`,
        vm.name,
      );
    }
  }

  /** Test-VMReplicationConnection: the server must resolve, answer, and take this authentication on this port. */
  private testConnection(p: Record<string, unknown>): void {
    const op = 'Test-VMReplicationConnection';
    const server = String(p.replicaServer ?? '');
    const port = Number(p.replicaPort);
    const auth = String(p.auth ?? '');
    if (isIP(server) !== 0)
      throw new PsError(
        `The Replica server name '${server}' is an IP address. Specify the fully qualified domain name of the Replica server.`,
        op,
        'InvalidArgument',
        `InvalidParameter,${cmdletId(op)}`,
        server,
      );
    const other = this.fabric.resolve(server);
    if (!other || this.fabric.linkDown)
      throw new PsError(
        `Hyper-V cannot connect to the specified Replica server '${server}'. Error: The connection with the server was lost or could not be established. (0x00002EFD). Verify that the specified server is enabled as a Replica server, allows inbound traffic on port ${port}, and supports the same authentication scheme.`,
        op,
        'ConnectionError',
        `ConnectionError,${cmdletId(op)}`,
        server,
      );
    const rs = other.replicaServer;
    const listening = auth === 'Kerberos' ? rs.kerberosPort : rs.certificatePort;
    if (!rs.enabled || !(rs.auth === 'CertificateAndKerberos' || rs.auth === auth) || listening !== port)
      throw new PsError(
        `Hyper-V cannot connect to the specified Replica server '${server}': it does not accept ${auth} authentication on port ${port}. Verify that the specified server is enabled as a Replica server, allows inbound traffic on port ${port}, and supports the same authentication scheme.`,
        op,
        'InvalidOperation',
        `InvalidOperation,${cmdletId(op)}`,
        server,
      );
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

  /** ReplicationFrequencySec and RecoveryHistory as the cmdlets' parameter validation takes them. */
  private replicationSettings(op: string, p: Record<string, unknown>): { freq: number; history: number } {
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
    return { freq, history };
  }

  private enableReplication(vm: VmRec, p: Record<string, unknown>, now: number): void {
    const op = 'Enable-VMReplication';
    const { freq, history } = this.replicationSettings(op, p);
    if (vm.repl)
      throw invalidState(
        op,
        vm,
        `cannot enable replication: replication is already enabled (${vm.repl.mode}).`,
      );
    if (vm.testOf)
      throw invalidState(op, vm, 'cannot enable replication on a test failover virtual machine.');
    if (p.vssFrequencyHours && history === 0) {
      throw new PsError(
        `Hyper-V failed to enable replication for virtual machine '${vm.name}': application-consistent snapshots (VSSSnapshotFrequencyHour) need additional recovery points; set RecoveryHistory to 1 or more.`,
        op,
        'InvalidArgument',
        `InvalidParameter,${cmdletId(op)}`,
        vm.name,
      );
    }
    const server = String(p.replicaServer ?? '');
    this.requireServerName(op, vm, server);
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

  private startFailover(vm: VmRec, p: Record<string, unknown>, now: number, ctx: RunContext): void {
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
      // The script picks the snapshot itself (Get-VMSnapshot | Where-Object …) and hands it to
      // -VMRecoverySnapshot: run its selection and its guard over the VM's snapshots.
      const vars = { v: this.vmObject(vm, now), p };
      const rows = vm.snapshots.map((s) => this.snapshotObject(vm, s));
      const chosen = ctx.select('Get-VMSnapshot', rows, vars);
      if (chosen === null && ctx.script) {
        throw new PsError(
          'host double: the Start-VMFailover script does not select the recovery point with Get-VMSnapshot.',
          null,
          'ParserError',
          'NoSelection',
          vm.name,
          'ParseException',
        );
      }
      const refusal = ctx.guard('Get-VMSnapshot', { ...vars, s: chosen ?? [] });
      if (refusal !== null) {
        throw new PsError(refusal, null, 'OperationStopped', refusal, vm.name, 'RuntimeException');
      }
      const id = chosen ? String((chosen[0] as PsObject | undefined)?.members.Id ?? '') : (wanted.id ?? '');
      const picked = chosen
        ? vm.snapshots.find((s) => s.id === id)
        : points.find((s) =>
            wanted.id ? s.id.toLowerCase() === wanted.id.toLowerCase() : s.name === wanted.name,
          );
      if (!picked) {
        throw new PsError(
          `Recovery point "${wanted.name ?? ''}${wanted.id ?? ''}" of "${vm.name}" was not found.`,
          null,
          'OperationStopped',
          'RecoveryPointNotFound',
          vm.name,
          'RuntimeException',
        );
      }
      if (picked.type === 'Standard') {
        throw new PsError(
          `Cannot fail over '${vm.name}' to '${picked.name}': the snapshot is a ${picked.type} checkpoint, not a Replica recovery point. (Virtual machine ID ${vm.id.toUpperCase()})`,
          op,
          'InvalidArgument',
          `InvalidParameter,${cmdletId(op)}`,
          vm.name,
        );
      }
      point = picked;
    }
    if (vm.state !== 'Off') {
      throw invalidState(
        op,
        vm,
        `cannot fail over: the Replica virtual machine is ${vm.state.toLowerCase()}; it must be off.`,
      );
    }
    // Failover (test or not) needs a replica that has received changes and is in one of these states.
    const failoverStates = ['Replicating', 'Resynchronizing', 'Suspended', 'WaitingForUpdateCompletion'];
    if (mode === 'test') {
      if (vm.testVmId)
        throw invalidState(op, vm, 'cannot start a test failover: a test failover is already running.');
      if (r.state === 'Resynchronizing') {
        throw invalidState(op, vm, 'cannot start a test failover while replication is resynchronizing.');
      }
      if (!point || r.lastReplicationTime === null || !failoverStates.includes(r.state)) {
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
    if (!failoverStates.includes(r.state)) {
      throw invalidState(op, vm, `cannot fail over: replication is ${r.state}.`);
    }
    if (!point || r.lastReplicationTime === null)
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

  /**
   * Set-VMReplication without -Reverse, on the primary: the relationship's frequency, recovery
   * history and VSS frequency change at both ends (-DisableVSSSnapshotReplication: none).
   */
  private setReplication(vm: VmRec, p: Record<string, unknown>): void {
    const op = 'Set-VMReplication';
    const r = vm.repl;
    if (r?.mode !== 'Primary')
      throw invalidState(
        op,
        vm,
        `cannot change replication settings here: ${r ? `this is the ${r.mode} virtual machine` : 'replication is not enabled'}; change them on the primary server.`,
      );
    const { freq, history } = this.replicationSettings(op, p);
    const vssHours = p.disableVss ? null : p.vssFrequencyHours ? Number(p.vssFrequencyHours) : r.vssHours;
    if (vssHours !== null && history === 0) {
      throw new PsError(
        `Hyper-V failed to modify replication settings for virtual machine '${vm.name}': application-consistent snapshots (VSSSnapshotFrequencyHour) need additional recovery points; set RecoveryHistory to 1 or more.`,
        op,
        'InvalidArgument',
        `InvalidParameter,${cmdletId(op)}`,
        vm.name,
      );
    }
    const replica = this.requireLink(op, vm, r.replicaServer).vms.find((v) => v.id === vm.id)?.repl;
    for (const rec of [r, replica]) {
      if (!rec) continue;
      rec.frequencySec = freq;
      rec.recoveryHistory = history;
      rec.vssHours = vssHours;
    }
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
    this.requireServerName(op, vm, server);
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
    if (auth === 'Certificate' && !(typeof p.certificateThumbprint === 'string' && p.certificateThumbprint)) {
      // The certificate the old primary used belongs to the other host.
      throw new PsError(
        `Hyper-V cannot reverse replication for '${vm.name}': certificate-based authentication needs the thumbprint of a certificate of this server (CertificateThumbprint).`,
        op,
        'InvalidArgument',
        `InvalidParameter,${cmdletId(op)}`,
        vm.name,
      );
    }
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
      thumbprint: auth === 'Certificate' ? String(p.certificateThumbprint) : null,
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

  // ---- objects, with the documented members only (test/hyperv-double/reference/hyperv-module.json)

  vmObject(v: VmRec, now: number): PsObject {
    return new PsObject('VirtualMachine', {
      Id: v.id,
      VMId: v.id,
      Name: v.name,
      State: new PsEnum(VM_STATE, v.state),
      Generation: v.generation,
      ProcessorCount: v.cpus,
      MemoryStartup: v.memoryStartup,
      MemoryAssigned: v.state === 'Running' ? v.memoryStartup : 0,
      Uptime: new PsTimeSpan(v.startedAt === null ? 0 : now - v.startedAt),
      ComputerName: this.name,
      ReplicationMode: new PsEnum(REPL_MODE, v.testOf ? 'TestReplica' : (v.repl?.mode ?? 'None')),
      ReplicationState: new PsEnum(REPL_STATE, v.repl?.state ?? 'Disabled'),
      ReplicationHealth: new PsEnum(REPL_HEALTH, v.repl?.health ?? 'NotApplicable'),
    });
  }

  private hostObjects(): { host: PsObject; replicaServer: PsObject } {
    const rs = this.replicaServer;
    return {
      host: new PsObject('VMHost', {
        ComputerName: this.name,
        FullyQualifiedDomainName: this.fqdn,
        LogicalProcessorCount: this.logicalProcessors,
        MemoryCapacity: this.memoryBytes,
      }),
      replicaServer: new PsObject('VMReplicationServer', {
        ReplicationEnabled: rs.enabled,
        AllowedAuthenticationType: new PsEnum(AUTH, rs.auth),
        KerberosAuthenticationPort: rs.kerberosPort,
        CertificateAuthenticationPort: rs.certificatePort,
        CertificateThumbprint: rs.thumbprint,
        DefaultStorageLocation: rs.storage,
      }),
    };
  }

  /** The cmdlets the scripts' projection functions call themselves. */
  readonly cmdlets = (name: string, named: Record<string, unknown>, positional: unknown[]): unknown => {
    switch (name.toLowerCase()) {
      case 'get-vmhost':
        return this.hostObjects().host;
      case 'get-vmreplicationserver':
        return this.hostObjects().replicaServer;
      case 'get-ciminstance': {
        const cls = String(named.classname ?? positional[0] ?? '');
        if (cls === 'Win32_OperatingSystem')
          return new PsObject('Win32_OperatingSystem', { Caption: this.os, Version: '10.0.20348' });
        if (cls === 'Win32_Processor') {
          // Two sockets.
          const half = Math.floor(this.cores / 2);
          return [half, this.cores - half].map((n) => new PsObject('Win32_Processor', { NumberOfCores: n }));
        }
        throw new PsError(`Invalid class "${cls}"`, 'Get-CimInstance', 'MetadataError', 'HRESULT 0x80041010');
      }
      case 'get-vhd': {
        const path = String(named.path ?? '');
        const disk = this.vms
          .flatMap((v) => v.disks)
          .find((d) => d.path.toLowerCase() === path.toLowerCase());
        if (!disk || disk.sizeBytes === null) {
          throw new PsError(
            `Getting the mounted storage instance for the path '${path}' failed. The system cannot find the file specified.`,
            'Get-VHD',
            'ObjectNotFound',
            'ObjectNotFound,Microsoft.Vhd.PowerShell.Cmdlets.GetVHD',
            path,
          );
        }
        return new PsObject('VirtualHardDisk', { Path: disk.path, Size: disk.sizeBytes });
      }
      default:
        throw new PsError(
          `The term '${name}' is not recognized as the name of a cmdlet, function, script file, or operable program.`,
          null,
          'ObjectNotFound',
          'CommandNotFoundException',
          name,
          'CommandNotFoundException',
        );
    }
  };

  private diskObject(v: VmRec, d: DiskRec): PsObject {
    return new PsObject('HardDiskDrive', {
      VMId: v.id,
      VMName: v.name,
      Path: d.path,
      ControllerType: new PsEnum(CONTROLLER, d.controllerType),
      ControllerNumber: d.controllerNumber,
      ControllerLocation: d.controllerLocation,
    });
  }

  private nicObject(v: VmRec, n: NicRec): PsObject {
    return new PsObject('VMNetworkAdapter', {
      VMId: v.id,
      VMName: v.name,
      Name: n.name,
      MacAddress: n.mac,
      SwitchName: n.switchName,
      IPAddresses: n.ips,
    });
  }

  private switchObject(s: SwitchRec): PsObject {
    return new PsObject('VMSwitch', { Id: s.id, Name: s.name, SwitchType: new PsEnum(SWITCH, s.type) });
  }

  snapshotObject(v: VmRec, s: SnapRec): PsObject {
    return new PsObject('VMSnapshot', {
      Id: s.id,
      Name: s.name,
      VMId: v.id,
      VMName: v.name,
      SnapshotType: new PsEnum(SNAPSHOT, s.type),
      CreationTime: new PsDate(s.created),
      ParentSnapshotName: s.parent,
    });
  }

  /** The relationships Get-VMReplication writes: the Simple one, and the Extended one if any. */
  private relationships(v: VmRec, only: string | true | undefined): Array<{ rel: string; r: ReplRec }> {
    if (!v.repl) return [];
    const all = [{ rel: 'Simple', r: v.repl }];
    if (v.repl.extended) all.push({ rel: 'Extended', r: v.repl.extended });
    return typeof only === 'string' ? all.filter((x) => x.rel.toLowerCase() === only.toLowerCase()) : all;
  }

  private replicationObject(v: VmRec, rel: string, r: ReplRec): PsObject {
    return new PsObject('VMReplication', {
      VMId: v.id,
      VMName: v.name,
      ReplicationState: new PsEnum(REPL_STATE, r.state),
      ReplicationHealth: new PsEnum(REPL_HEALTH, r.health),
      ReplicationMode: new PsEnum(REPL_MODE, r.mode),
      ReplicationRelationshipType: new PsEnum(RELATIONSHIP, rel),
      PrimaryServerName: r.primaryServer,
      ReplicaServerName: r.replicaServer,
      ReplicaServerPort: r.replicaPort,
      AuthenticationType: new PsEnum(AUTH, r.auth),
      CertificateThumbprint: r.thumbprint,
      ReplicationFrequencySec: r.frequencySec,
      RecoveryHistory: r.recoveryHistory,
      VSSSnapshotFrequencyHour: r.vssHours ?? 0,
      CompressionEnabled: r.compression,
      // The module writes $null for "never" (WMI's zero FILETIME, 1601-01-01).
      LastReplicationTime: r.lastReplicationTime === null ? null : new PsDate(r.lastReplicationTime),
    });
  }

  private statisticsObject(v: VmRec, rel: string, r: ReplRec): PsObject {
    return new PsObject('VMReplicationHealth', {
      VMName: v.name,
      ReplicationState: new PsEnum(REPL_STATE, r.state),
      ReplicationHealth: new PsEnum(REPL_HEALTH, r.health),
      ReplicationMode: new PsEnum(REPL_MODE, r.mode),
      ReplicationRelationshipType: new PsEnum(RELATIONSHIP, rel),
      LastReplicationTime: r.lastReplicationTime === null ? null : new PsDate(r.lastReplicationTime),
      PendingReplicationSize: r.mode === 'Primary' || rel === 'Extended' ? r.pendingBytes : 0,
      AverageReplicationSize: r.successCount ? 4_194_304 : 0,
      SuccessfulReplicationCount: r.successCount,
      MissedReplicationCount: r.missedCount,
    });
  }

  /** The script's P-Repl / P-Meas rows of the VMs among `vms` that replicate, as Repls writes them. */
  private replicationRows(vms: VmRec[], ctx: RunContext, measure: boolean): Projected[] {
    const cmdlet = measure ? 'Measure-VMReplication' : 'Get-VMReplication';
    const only = ctx.invocations(cmdlet)[0]?.replicationrelationshiptype;
    return vms
      .filter((v) => v.repl && (v.repl.mode === 'Primary' || v.repl.mode === 'Replica'))
      .flatMap((v) =>
        this.relationships(v, only).map(({ rel, r }) =>
          measure
            ? new Projected('P-Meas', [this.statisticsObject(v, rel, r), this.vmObject(v, this.clock())])
            : new Projected('P-Repl', [this.replicationObject(v, rel, r), this.vmObject(v, this.clock())]),
        ),
      );
  }

  /** The integration services of a VM as Get-VMIntegrationService writes them (only Shutdown is modelled). */
  integrationServices(v: VmRec): PsObject[] {
    const svc = v.shutdownService ?? 'ok';
    if (svc === 'absent') return [];
    return [
      new PsObject('VMIntegrationComponent', {
        Name: 'Shutdown',
        Enabled: svc !== 'disabled',
        PrimaryOperationalStatus:
          v.state !== 'Running' || svc === 'no-contact'
            ? new PsEnum(IC_STATUS, 'NoContact')
            : new PsEnum(IC_STATUS, 'Ok'),
        SecondaryOperationalStatus: null,
      }),
    ];
  }

  /** 5.1's default table view of a VM, as Format-Table writes it to stdout. */
  formatVm(v: VmRec): string {
    const name = v.name.padEnd(Math.max(4, v.name.length));
    return [
      '',
      `${'Name'.padEnd(name.length)} State CPUUsage(%) MemoryAssigned(M) Uptime   Status             Version`,
      `${'----'.padEnd(name.length)} ----- ----------- ----------------- ------   ------             -------`,
      `${name} ${v.state.padEnd(5)} 0           0                 00:00:00 Operating normally 10.0`,
      '',
      '',
    ].join('\r\n');
  }
}
