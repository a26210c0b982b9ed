import {
  type MasterTarget,
  type PlanSpecInput,
  planNameSchema,
  planStructureIssues,
  usableSlots,
} from '../../../shared/configserver';
import { t } from '../i18n';
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
});

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
}

export function chosenVms(draft: ProtectDraft, ctx: ProtectContext): SiteVm[] {
  const byName = new Map((ctx.source?.vms ?? []).map((v) => [v.name, v]));
  return draft.vms.flatMap((n) => (byName.has(n) ? [byName.get(n)!] : []));
}

/** The source networks the chosen machines use: each needs a target network. */
export function sourceNetworks(draft: ProtectDraft, ctx: ProtectContext): string[] {
  return [...new Set(chosenVms(draft, ctx).flatMap((v) => v.networks))].sort();
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
  const win = vms.filter((v) => v.osFamily === 'windows').length;
  const lnx = vms.length - win;
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
  const vms = chosenVms(draft, ctx);
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
  const disks = vms.reduce((n, v) => n + v.disks, 0);
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
    const need = chosenVms(draft, ctx).reduce((n, v) => n + v.diskBytes, 0);
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
  else if (ctx.planNames.some((p) => p.toLowerCase() === name.toLowerCase()))
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
  const machines = draft.vms.map((vm) => ({ vm, ...machineOf(draft, vm) }));
  for (const issue of planStructureIssues({ machines, steps: [] })) {
    const i = issue.path[1];
    const vm = typeof i === 'number' ? machines[i]?.vm : undefined;
    out.push({ field: vm ? `machine:${vm}` : 'machines', severity: 'error', message: issue.message });
  }
  return out;
}

export const machineOf = (draft: ProtectDraft, vm: string) =>
  draft.machines[vm] ?? { bootGroup: 1, dependsOn: [] };

/** The steps' names, in the console's language. */
export const protectSteps = (): string[] =>
  (['machines', 'target', 'mappings', 'policy', 'readiness', 'dryRun', 'run'] as const).map((s) =>
    t(`step.${s}`),
  );

/** The issues of one step (0-based), or of every step up to it. */
export function protectIssues(step: number, draft: ProtectDraft, ctx: ProtectContext): FieldIssue[] {
  const rules = [machinesIssues, targetIssues, mappingIssues, policyIssues];
  return rules[step]?.(draft, ctx) ?? [];
}

/** The plan file the draft stands for (what plans:validate, plans:apply and Save as file get). */
export function protectPlan(draft: ProtectDraft, ctx: ProtectContext): PlanSpecInput {
  const folder = draft.folder.trim();
  const networks = Object.fromEntries(
    sourceNetworks(draft, ctx).flatMap((n) => (draft.networks[n] ? [[n, draft.networks[n]!]] : [])),
  );
  return {
    name: draft.name.trim(),
    source: { site: draft.sourceSite },
    target: {
      site: draft.targetSite,
      masterTarget: draft.masterTarget,
      placement: {
        ...(draft.placementKind === 'cluster' ? { cluster: draft.cluster } : { host: draft.host }),
        datastore: draft.datastore,
        ...(folder ? { folder } : {}),
      },
      networks,
      ...(draft.testNetwork ? { testNetwork: draft.testNetwork } : {}),
    },
    policy: {
      rpoThresholdMinutes: Number(draft.rpoThresholdMinutes),
      retentionHours: Number(draft.retentionHours),
      appConsistentEveryMinutes: Number(draft.appConsistentEveryMinutes),
    },
    parallelism: Number(draft.parallelism),
    machines: draft.vms.map((vm) => {
      const m = machineOf(draft, vm);
      return { vm, bootGroup: m.bootGroup, ...(m.dependsOn.length ? { dependsOn: m.dependsOn } : {}) };
    }),
  };
}

/**
 * Which wizard step a server issue (at a plan path such as `target.placement.datastore`) belongs
 * to, so the readiness step can send the operator back to the field.
 */
export function stepOfPlanPath(path: string): number {
  if (path.startsWith('machines') && /dependsOn|bootGroup/.test(path)) return 3;
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
