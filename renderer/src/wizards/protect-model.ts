import {
  hypervReplicaPolicy,
  type MasterTarget,
  type PlanSpec,
  type PlanSpecInput,
  planNameSchema,
  planStructureIssues,
  usableSlots,
} from '../../../shared/configserver';
import { t, tServer } from '../i18n';
import { formatNumber } from '../i18n/format';
import type { SiteChoices, SiteVm } from './site';

/**
 * The Protect wizard's draft and its rules, as pure functions the wizard and the unit tests share.
 * Each rule speaks in plain words at one field; the server's validation and readiness checks run
 * again on the plan before anything changes.
 */
export interface ProtectDraft {
  sourceSite: string;
  vms: string[];
  targetSite: string;
  masterTarget: string;
  placementKind: 'cluster' | 'host';
  cluster: string;
  host: string;
  datastore: string;
  folder: string;
  networks: Record<string, string>;
  testNetwork: string;
  name: string;
  rpoThresholdMinutes: string;
  retentionHours: string;
  appConsistentEveryMinutes: string;
  parallelism: string;
  /** Per machine: boot group and the machines it waits for. */
  machines: Record<string, { bootGroup: number; dependsOn: string[] }>;
  /**
   * The stored plan an edit started from: what the wizard does not edit (recovered names, re-IP,
   * steps between boot groups) is kept from it. Null when the wizard creates a plan.
   */
  base: PlanSpec | null;
}

export const emptyProtectDraft = (): ProtectDraft => ({
  sourceSite: '',
  vms: [],
  targetSite: '',
  masterTarget: '',
  placementKind: 'cluster',
  cluster: '',
  host: '',
  datastore: '',
  folder: '/Recovered',
  networks: {},
  testNetwork: '',
  name: '',
  rpoThresholdMinutes: '15',
  retentionHours: '24',
  appConsistentEveryMinutes: '60',
  parallelism: '4',
  machines: {},
  base: null,
});

/** The wizard's draft of a stored plan (Edit on the Plans page). */
export function draftFromPlan(plan: PlanSpec): ProtectDraft {
  const p = plan.target.placement;
  return {
    ...emptyProtectDraft(),
    sourceSite: plan.source.site,
    vms: plan.machines.map((m) => m.vm),
    targetSite: plan.target.site,
    masterTarget: plan.target.masterTarget ?? '',
    placementKind: p?.host !== undefined ? 'host' : 'cluster',
    cluster: p?.cluster ?? '',
    host: p?.host ?? '',
    datastore: p?.datastore ?? '',
    folder: p?.folder ?? '',
    networks: { ...plan.target.networks },
    testNetwork: plan.target.testNetwork ?? '',
    name: plan.name,
    rpoThresholdMinutes: String(plan.policy.rpoThresholdMinutes),
    retentionHours: String(plan.policy.retentionHours),
    appConsistentEveryMinutes: String(plan.policy.appConsistentEveryMinutes),
    parallelism: String(plan.parallelism),
    machines: Object.fromEntries(
      plan.machines.map((m) => [m.vm, { bootGroup: m.bootGroup, dependsOn: [...m.dependsOn] }]),
    ),
    base: plan,
  };
}

/** One problem at one field: an error stops the wizard, a warning is shown and lets it go on. */
export interface FieldIssue {
  field: string;
  severity: 'error' | 'warning';
  message: string;
}

export interface ProtectContext {
  source: SiteChoices | null;
  target: SiteChoices | null;
  masterTargets: MasterTarget[];
  /** Names of the plans the server already has (the wizard creates, never replaces). */
  planNames: string[];
  /** VM names of the source site that a pair already protects, with their plan. */
  protectedVms: Map<string, string>;
  /** Editing a stored plan (its name is fixed) rather than creating one. */
  editing?: boolean;
  /** The edited plan's machines that a pair protects: their replica disks exist already. */
  pairedInPlan?: ReadonlySet<string>;
}

export function chosenVms(draft: ProtectDraft, ctx: ProtectContext): SiteVm[] {
  const byName = new Map((ctx.source?.vms ?? []).map((v) => [v.name, v]));
  return draft.vms.flatMap((n) => (byName.has(n) ? [byName.get(n)!] : []));
}

/** The chosen machines that replicate through a master target (vSphere). */
export const vsphereVms = (draft: ProtectDraft, ctx: ProtectContext): SiteVm[] =>
  chosenVms(draft, ctx).filter((v) => v.platform === 'vsphere');

/** The chosen vSphere machines whose replica disks protect still has to create. */
const newVsphereVms = (draft: ProtectDraft, ctx: ProtectContext): SiteVm[] =>
  vsphereVms(draft, ctx).filter((v) => !ctx.pairedInPlan?.has(v.name));

/** The chosen machines that replicate with Hyper-V Replica. */
export const hypervVms = (draft: ProtectDraft, ctx: ProtectContext): SiteVm[] =>
  chosenVms(draft, ctx).filter((v) => v.platform === 'hyperv');

/**
 * Whether the plan needs the vSphere parts (master target, placement, network mappings): when it
 * has a vSphere machine, or no Hyper-V machine yet.
 */
export const needsVsphere = (draft: ProtectDraft, ctx: ProtectContext): boolean =>
  vsphereVms(draft, ctx).length > 0 || hypervVms(draft, ctx).length === 0;

/** The source networks the chosen vSphere machines use: each needs a target network. */
export function sourceNetworks(draft: ProtectDraft, ctx: ProtectContext): string[] {
  return [...new Set(vsphereVms(draft, ctx).flatMap((v) => v.networks))].sort();
}

export function machinesIssues(draft: ProtectDraft, ctx: ProtectContext): FieldIssue[] {
  const out: FieldIssue[] = [];
  if (!draft.sourceSite)
    out.push({ field: 'sourceSite', severity: 'error', message: t('protect.err.sourceSite') });
  if (draft.vms.length === 0) {
    out.push({ field: 'vms', severity: 'error', message: t('protect.err.noVms') });
    return out;
  }
  const known = new Set((ctx.source?.vms ?? []).map((v) => v.name));
  const missing = draft.vms.filter((n) => !known.has(n));
  if (ctx.source && missing.length)
    out.push({
      field: 'vms',
      severity: 'error',
      message: t('protect.err.notOnSite', {
        count: missing.length,
        names: missing.join(', '),
        site: draft.sourceSite,
      }),
    });
  const taken = draft.vms.filter((n) => ctx.protectedVms.has(n));
  if (taken.length)
    out.push({
      field: 'vms',
      severity: 'error',
      message: t('protect.err.alreadyProtected', {
        count: taken.length,
        list: taken
          .map((n) => t('protect.inPlan', { vm: n, plan: ctx.protectedVms.get(n) ?? '' }))
          .join(', '),
      }),
    });
  const vms = chosenVms(draft, ctx);
  const diskless = vms.filter((v) => v.disks === 0).map((v) => v.name);
  if (diskless.length)
    out.push({
      field: 'vms',
      severity: 'error',
      message: t('protect.err.noDisk', { count: diskless.length, names: diskless.join(', ') }),
    });
  const mixed = mixedMessage(draft, ctx);
  if (mixed) out.push({ field: 'vms', severity: 'error', message: mixed });
  const win = vms.filter((v) => v.osFamily === 'windows').length;
  const lnx = vms.filter((v) => v.osFamily === 'linux').length;
  if (win > 0 && lnx > 0)
    out.push({
      field: 'vms',
      severity: 'error',
      message: t('protect.err.mixedOs', {
        windows: t('protect.windowsMachines', { count: win }),
        linux: t('protect.linuxMachines', { count: lnx }),
      }),
    });
  return out;
}

/**
 * One data path per plan, as SRM keeps one replication type per protection group and ASR one
 * scenario per replication policy: vSphere and Hyper-V machines chosen together are refused, with
 * what to do. A stored plan that mixes them already (written as a file; the server runs each
 * machine through its own platform) can still be edited. Null when the choice is not mixed.
 */
export function mixedMessage(draft: ProtectDraft, ctx: ProtectContext): string | null {
  const vms = chosenVms(draft, ctx);
  const hv = vms.filter((v) => v.platform === 'hyperv').length;
  if (hv === 0 || hv === vms.length) return null;
  if (draft.base) {
    const platform = new Map((ctx.source?.vms ?? []).map((v) => [v.name, v.platform]));
    const before = new Set(draft.base.machines.map((m) => platform.get(m.vm)));
    if (before.has('vsphere') && before.has('hyperv')) return null;
  }
  return t('protect.err.mixedPlatform', {
    vsphere: t('protect.vsphereMachines', { count: vms.length - hv }),
    hyperv: t('protect.hypervMachines', { count: hv }),
  });
}

export function targetIssues(draft: ProtectDraft, ctx: ProtectContext): FieldIssue[] {
  const out: FieldIssue[] = [];
  if (!draft.targetSite)
    out.push({
      field: 'targetSite',
      severity: 'error',
      message: t('protect.err.targetSite'),
    });
  else if (draft.targetSite === draft.sourceSite)
    out.push({
      field: 'targetSite',
      severity: 'error',
      message: t('protect.err.sameSite'),
    });
  const hv = hypervVms(draft, ctx);
  if (hv.length > 0 && draft.targetSite && ctx.target) {
    const hosts = ctx.target.hypervHosts;
    const names = hosts.map((h) => h.name).join(', ');
    if (hosts.length === 0)
      out.push({
        field: 'replicaServer',
        severity: 'error',
        message: t('protect.err.noReplicaHost', { site: draft.targetSite }),
      });
    else if (hosts.length > 1)
      out.push({
        field: 'replicaServer',
        severity: 'error',
        message: t('protect.err.manyReplicaHosts', { site: draft.targetSite, hosts: names }),
      });
    else if (!hosts[0]!.replicaServer.enabled)
      out.push({
        field: 'replicaServer',
        severity: 'error',
        message: t('protect.err.notReplicaServer', { host: names }),
      });
  }
  if (!needsVsphere(draft, ctx)) return out;
  if (!draft.masterTarget) {
    out.push({
      field: 'masterTarget',
      severity: 'error',
      message: t('protect.err.masterTarget'),
    });
    return out;
  }
  const mt = ctx.masterTargets.find((m) => m.name === draft.masterTarget);
  if (!mt) return out;
  const vms = vsphereVms(draft, ctx);
  const family = vms[0]?.osFamily;
  if (family && mt.osFamily !== family)
    out.push({
      field: 'masterTarget',
      severity: 'error',
      message: t('protect.err.mtFamily', {
        mt: mt.name,
        mtFamily: familyName(mt.osFamily),
        family: familyName(family),
      }),
    });
  const disks = newVsphereVms(draft, ctx).reduce((n, v) => n + v.disks, 0);
  if (disks > mt.slotsFree)
    out.push({
      field: 'masterTarget',
      severity: 'error',
      message: t('protect.err.mtSlots', {
        mt: mt.name,
        slots: t('protect.freeSlots', { count: mt.slotsFree }),
        usable: usableSlots,
        disks: t('protect.disks', { count: disks }),
      }),
    });
  return out;
}

export function mappingIssues(draft: ProtectDraft, ctx: ProtectContext): FieldIssue[] {
  const out: FieldIssue[] = [];
  // Hyper-V Replica keeps each VM's adapters and stores it on the replica server: nothing to map.
  if (!needsVsphere(draft, ctx)) return out;
  if (draft.placementKind === 'cluster' && !draft.cluster)
    out.push({
      field: 'cluster',
      severity: 'error',
      message: t('protect.err.cluster'),
    });
  if (draft.placementKind === 'host' && !draft.host)
    out.push({ field: 'host', severity: 'error', message: t('protect.err.host') });
  if (!draft.datastore)
    out.push({
      field: 'datastore',
      severity: 'error',
      message: t('protect.err.datastore'),
    });
  else {
    const ds = ctx.target?.datastores.find((d) => d.name === draft.datastore);
    const need = newVsphereVms(draft, ctx).reduce((n, v) => n + v.diskBytes, 0);
    // Replica disks are thin: the full size is what they can grow to, which is what must fit.
    if (ds && need > ds.freeBytes)
      out.push({
        field: 'datastore',
        severity: 'error',
        message: t('protect.err.datastoreSmall', { ds: ds.name, free: gib(ds.freeBytes), need: gib(need) }),
      });
  }
  const folder = draft.folder.trim();
  if (folder && !/^\/.*[^/]$|^\/$/.test(folder))
    out.push({
      field: 'folder',
      severity: 'error',
      message: t('protect.err.folder'),
    });
  else if (folder && ctx.target && !ctx.target.folders.includes(folder))
    out.push({
      field: 'folder',
      severity: 'warning',
      message: t('protect.warn.folder', { folder, site: draft.targetSite }),
    });
  for (const net of sourceNetworks(draft, ctx)) {
    if (!draft.networks[net])
      out.push({
        field: `network:${net}`,
        severity: 'error',
        message: t('protect.err.network', { net }),
      });
  }
  if (!draft.testNetwork)
    out.push({
      field: 'testNetwork',
      severity: 'warning',
      message: t('protect.warn.noTestNetwork'),
    });
  else if (Object.values(draft.networks).includes(draft.testNetwork))
    out.push({
      field: 'testNetwork',
      severity: 'warning',
      message: t('protect.warn.testNetworkShared', { net: draft.testNetwork }),
    });
  return out;
}

const intRule = (
  field: string,
  raw: string,
  label: string,
  min: number,
  max: number,
  unit: string,
): FieldIssue[] => {
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(n))
    return [{ field, severity: 'error', message: t('protect.err.wholeNumber', { label, unit }) }];
  if (n < min || n > max)
    return [{ field, severity: 'error', message: t('protect.err.between', { label, min, max, unit }) }];
  return [];
};

export function policyIssues(draft: ProtectDraft, ctx: ProtectContext): FieldIssue[] {
  const out: FieldIssue[] = [];
  const name = draft.name.trim();
  if (!name) out.push({ field: 'name', severity: 'error', message: t('protect.err.name') });
  else if (!planNameSchema.safeParse(name).success)
    out.push({
      field: 'name',
      severity: 'error',
      message: name.length > 100 ? t('protect.err.nameLong') : t('protect.err.nameChars'),
    });
  else if (!ctx.editing && ctx.planNames.some((p) => p.toLowerCase() === name.toLowerCase()))
    out.push({
      field: 'name',
      severity: 'error',
      message: t('protect.err.nameTaken', { name }),
    });
  out.push(
    ...intRule(
      'rpoThresholdMinutes',
      draft.rpoThresholdMinutes,
      t('protect.rpo'),
      1,
      1440,
      t('unit.minutes'),
    ),
  );
  out.push(
    ...intRule('retentionHours', draft.retentionHours, t('protect.retention'), 1, 720, t('unit.hours')),
  );
  out.push(
    ...intRule(
      'appConsistentEveryMinutes',
      draft.appConsistentEveryMinutes,
      t('protect.appInterval'),
      5,
      1440,
      t('unit.minutes'),
    ),
  );
  out.push(...intRule('parallelism', draft.parallelism, t('protect.parallelism'), 1, 64, t('unit.machines')));
  // What Hyper-V Replica can do with the policy: said at the field, where the number is typed.
  if (hypervVms(draft, ctx).length > 0 && !out.some((i) => i.severity === 'error')) {
    const hv = hypervReplicaPolicy(policyOf(draft));
    if (Number(draft.retentionHours) > hv.recoveryHistory)
      out.push({
        field: 'retentionHours',
        severity: 'warning',
        message: t('protect.warn.hvRetention', { hours: hv.recoveryHistory }),
      });
    const minutes = Number(draft.appConsistentEveryMinutes);
    if (minutes !== hv.vssFrequencyHours * 60)
      out.push({
        field: 'appConsistentEveryMinutes',
        severity: 'warning',
        message: t('protect.warn.hvVss', { hours: hv.vssFrequencyHours }),
      });
  }
  const machines = draft.vms.map((vm) => ({ vm, ...machineOf(draft, vm) }));
  for (const issue of planStructureIssues({ machines, steps: [] })) {
    const i = issue.path[1];
    const vm = typeof i === 'number' ? machines[i]?.vm : undefined;
    out.push({
      field: vm ? `machine:${vm}` : 'machines',
      severity: 'error',
      message: tServer(issue.message, issue.words),
    });
  }
  return out;
}

export const machineOf = (draft: ProtectDraft, vm: string) =>
  draft.machines[vm] ?? { bootGroup: 1, dependsOn: [] };

/** The policy as numbers (each field checked by policyIssues first). */
export const policyOf = (draft: ProtectDraft) => ({
  rpoThresholdMinutes: Number(draft.rpoThresholdMinutes),
  retentionHours: Number(draft.retentionHours),
  appConsistentEveryMinutes: Number(draft.appConsistentEveryMinutes),
});

export type ProtectStepId =
  | 'machines'
  | 'target'
  | 'mappings'
  | 'policy'
  | 'review'
  | 'readiness'
  | 'dryRun'
  | 'run';

/**
 * The wizard's steps: an edit ends on the review of its changes; once applied with machines that
 * no pair protects yet, it goes on to readiness, dry run and run as a new plan does.
 */
export const protectStepIds = (editing = false, protectAfterEdit = false): ProtectStepId[] =>
  editing
    ? [
        'machines',
        'target',
        'mappings',
        'policy',
        'review',
        ...(protectAfterEdit ? (['readiness', 'dryRun', 'run'] as const) : []),
      ]
    : ['machines', 'target', 'mappings', 'policy', 'readiness', 'dryRun', 'run'];

/** The steps' names, in the console's language. */
export const protectSteps = (editing = false, protectAfterEdit = false): string[] =>
  protectStepIds(editing, protectAfterEdit).map((s) => t(`step.${s}`));

/** The issues of one step (0-based), or of every step up to it. */
export function protectIssues(step: number, draft: ProtectDraft, ctx: ProtectContext): FieldIssue[] {
  const rules = [machinesIssues, targetIssues, mappingIssues, policyIssues];
  return rules[step]?.(draft, ctx) ?? [];
}

/** The plan file the draft stands for (what plans:validate, plans:apply and Save as file get). */
export function protectPlan(draft: ProtectDraft, ctx: ProtectContext): PlanSpecInput {
  const folder = draft.folder.trim();
  // Mappings of the chosen machines' networks; an edit keeps the stored plan's other mappings.
  const used = new Set(sourceNetworks(draft, ctx));
  const kept = draft.base?.target.networks ?? {};
  const networks = Object.fromEntries(
    Object.entries(draft.networks).filter(([n, to]) => to && (used.has(n) || n in kept)),
  );
  const before = new Map((draft.base?.machines ?? []).map((m) => [m.vm, m]));
  return {
    name: draft.name.trim(),
    source: { site: draft.sourceSite },
    // A Hyper-V plan names only the target site: its replica server is the site's Hyper-V host.
    target: needsVsphere(draft, ctx)
      ? {
          site: draft.targetSite,
          masterTarget: draft.masterTarget,
          placement: {
            ...(draft.placementKind === 'cluster' ? { cluster: draft.cluster } : { host: draft.host }),
            datastore: draft.datastore,
            ...(folder ? { folder } : {}),
          },
          networks,
          ...(draft.testNetwork ? { testNetwork: draft.testNetwork } : {}),
        }
      : { site: draft.targetSite, networks: {} },
    policy: policyOf(draft),
    parallelism: Number(draft.parallelism),
    machines: draft.vms.map((vm) => {
      const m = machineOf(draft, vm);
      const { recoveredName, reip } = before.get(vm) ?? {};
      return {
        vm,
        bootGroup: m.bootGroup,
        ...(m.dependsOn.length ? { dependsOn: m.dependsOn } : {}),
        ...(recoveredName !== undefined ? { recoveredName } : {}),
        ...(reip !== undefined ? { reip } : {}),
      };
    }),
    ...(draft.base ? { steps: draft.base.steps } : {}),
  };
}

/**
 * The wizard field a server issue (at a plan path) belongs to, so an edit the server refuses is
 * shown at the field that causes it; null when no one field does.
 */
export function fieldOfPlanPath(path: string, draft: ProtectDraft): string | null {
  const machine = /^machines\[(\d+)\]/.exec(path);
  if (machine) {
    const vm = draft.vms[Number(machine[1])];
    if (!vm) return 'vms';
    return /dependsOn|bootGroup/.test(path) ? `machine:${vm}` : 'vms';
  }
  if (path.startsWith('machines')) return 'vms';
  const network = /^target\.networks\.(.+)$/.exec(path);
  if (network) return `network:${network[1]}`;
  const fields: Record<string, string> = {
    name: 'name',
    'source.site': 'sourceSite',
    'target.site': 'targetSite',
    'target.masterTarget': 'masterTarget',
    'target.placement.cluster': 'cluster',
    'target.placement.host': 'host',
    'target.placement.datastore': 'datastore',
    'target.placement.folder': 'folder',
    'target.testNetwork': 'testNetwork',
    'policy.rpoThresholdMinutes': 'rpoThresholdMinutes',
    'policy.retentionHours': 'retentionHours',
    'policy.appConsistentEveryMinutes': 'appConsistentEveryMinutes',
    parallelism: 'parallelism',
  };
  return fields[path] ?? null;
}

/**
 * Which wizard step a server issue (at a plan path such as `target.placement.datastore`) belongs
 * to, so the readiness step can send the operator back to the field.
 */
export function stepOfPlanPath(path: string): number {
  if (path.startsWith('machines') && /dependsOn|bootGroup/.test(path)) return 3;
  if (path.startsWith('policy') || path === 'parallelism' || path === 'name') return 3;
  if (path.startsWith('machines') || path.startsWith('source')) return 0;
  if (path.startsWith('target.masterTarget') || path === 'target.site' || path === 'target') return 1;
  if (path.startsWith('target')) return 2;
  return 3;
}

export function gib(bytes: number): string {
  const g = bytes / 1024 ** 3;
  const digits = g >= 100 ? 0 : 1;
  return `${formatNumber(g, { minimumFractionDigits: digits, maximumFractionDigits: digits })} GiB`;
}

const familyName = (family: 'windows' | 'linux') => (family === 'windows' ? 'Windows' : 'Linux');
