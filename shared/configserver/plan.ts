import { z } from 'zod';
import { type PlanFileWordKey, planFileWordsEn } from '../i18n/plan-file-words';
import { type Said, sayer, type Text, type Worded, wordedSchema } from '../i18n/worded';

/**
 * A protection/recovery plan as the operator writes it (a JSON or YAML file) and as the server
 * stores it: one schema for both (DESIGN.md: "Plans are files as well as rows"). The field names
 * are the contract of the plan file; shared/configserver/plan.schema.json is generated from this
 * schema (npm run schema:plan) and a unit test keeps it in step.
 *
 * Parts a plan needs only to run a workflow (master target, placement, test network) are
 * optional here, so that a plan can be written step by step and plans stored before this model
 * stay readable; the readiness checks (server/readiness.ts) fail a workflow that needs them.
 */

const text = (max: number) => z.string().trim().min(1).max(max);

const said = sayer(planFileWordsEn);
/** A schema message from the plan file's word book: planSchemaIssues finds its words by its text. */
const schemaMessage = (key: PlanFileWordKey & `planfile.schema.${string}`) => planFileWordsEn[key];
/** A refinement's issue with its words, which planSchemaIssues carries on as messageWords. */
const wordedIssue = (path: PropertyKey[], s: Said) =>
  ({ code: 'custom', path, message: s.text, params: { words: s.words } }) as const;

export const planNameSchema = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[^/\\?#%]+$/, { error: schemaMessage('planfile.schema.name') })
  .describe('unique name of the plan');

const vmNameSchema = text(255).describe('the VM name as the site endpoint reports it');

export const planPolicySchema = z
  .strictObject({
    rpoThresholdMinutes: z
      .number()
      .int()
      .min(1)
      .max(24 * 60)
      .default(15)
      .describe('alert when the replica is older than this'),
    retentionHours: z
      .number()
      .int()
      .min(1)
      .max(24 * 30)
      .default(24)
      .describe('how far back recovery points are kept'),
    appConsistentEveryMinutes: z
      .number()
      .int()
      .min(5)
      .max(24 * 60)
      .default(60)
      .describe('interval between application-consistent recovery points'),
  })
  .describe('replication policy of every machine of the plan');
export type PlanPolicy = z.infer<typeof planPolicySchema>;

export const defaultPlanPolicy: PlanPolicy = {
  rpoThresholdMinutes: 15,
  retentionHours: 24,
  appConsistentEveryMinutes: 60,
};

/** The replication frequencies Hyper-V Replica offers (Enable-VMReplication -ReplicationFrequencySec). */
export const hypervFrequencies = [30, 300, 900] as const;

/**
 * A plan's policy as Hyper-V Replica settings: send every cycle well inside the RPO threshold (the
 * largest frequency below it), keep one recovery point an hour up to Hyper-V's 24, and an
 * app-consistent (VSS) point every 1-12 hours. The protect workflow enables replication with these;
 * the console shows them before it does.
 */
export function hypervReplicaPolicy(policy: PlanPolicy): {
  frequencySec: (typeof hypervFrequencies)[number];
  recoveryHistory: number;
  vssFrequencyHours: number;
} {
  const rpoSec = policy.rpoThresholdMinutes * 60;
  return {
    frequencySec: [...hypervFrequencies].reverse().find((f) => f < rpoSec) ?? 30,
    recoveryHistory: Math.min(24, policy.retentionHours),
    vssFrequencyHours: Math.min(12, Math.max(1, Math.round(policy.appConsistentEveryMinutes / 60))),
  };
}

/** Where recovered VMs are created: on a cluster or on one host (exactly one of them). */
export const planPlacementSchema = z
  .strictObject({
    cluster: text(255).optional().describe('target cluster name (or give host)'),
    host: text(255).optional().describe('target host name (or give cluster)'),
    datastore: text(255).describe('datastore for replica disks and recovered VMs'),
    folder: z
      .string()
      .trim()
      .regex(/^\/.*[^/]$|^\/$/, { error: schemaMessage('planfile.schema.folder') })
      .optional()
      .describe("VM folder under the datacenter's VM folder, e.g. /Recovered"),
  })
  .superRefine((p, ctx) => {
    if ((p.cluster === undefined) === (p.host === undefined))
      ctx.addIssue(
        p.cluster === undefined
          ? wordedIssue(['cluster'], said('planfile.schema.placementNone'))
          : wordedIssue(['host'], said('planfile.schema.placementBoth')),
      );
  });
export type PlanPlacement = z.infer<typeof planPlacementSchema>;

const ipv4 = z.ipv4({ error: schemaMessage('planfile.schema.ipv4') });

export const planReipSchema = z
  .strictObject({
    nic: z.number().int().min(0).max(9).default(0).describe('index of the NIC to re-address (0 = first)'),
    address: z
      .cidrv4({ error: schemaMessage('planfile.schema.cidr') })
      .describe('new address with prefix length'),
    gateway: ipv4.optional().describe('default gateway; inside the address prefix'),
    dns: z.array(ipv4).max(4).default([]).describe('DNS servers, in order'),
    domain: z
      .string()
      .max(253)
      .regex(
        /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/,
        { error: schemaMessage('planfile.schema.domain') },
      )
      .optional()
      .describe(
        "DNS domain of the re-addressed guest: a Linux guest's domain (default localdomain), a Windows guest's DNS suffix",
      ),
    workgroup: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,14}$/, { error: schemaMessage('planfile.schema.workgroup') })
      .optional()
      .describe(
        'Windows guests: the workgroup the recovered server joins (Sysprep takes it out of its domain); default WORKGROUP',
      ),
  })
  .superRefine((r, ctx) => {
    if (r.gateway && !sameSubnet(r.address, r.gateway))
      ctx.addIssue(
        wordedIssue(['gateway'], said('planfile.reip.gateway', { gateway: r.gateway, address: r.address })),
      );
  });
export type PlanReip = z.infer<typeof planReipSchema>;

export const planMachineSchema = z
  .strictObject({
    vm: vmNameSchema,
    bootGroup: z.number().int().min(1).max(100).default(1).describe('recovery order: group 1 boots first'),
    dependsOn: z
      .array(vmNameSchema)
      .max(100)
      .default([])
      .describe('VMs of this plan that must be powered on first (same or earlier boot group)'),
    recoveredName: text(80).optional().describe('name of the recovered VM (default: the source name)'),
    reip: planReipSchema.optional().describe('re-address the recovered VM'),
  })
  .describe('one protected machine');
export type PlanMachine = z.infer<typeof planMachineSchema>;

export const planScriptSchema = z.strictObject({
  command: text(1000).describe('command line the configuration server runs; exit code 0 means success'),
  timeoutSeconds: z.number().int().min(1).max(86_400).describe('the run fails when it takes longer'),
});

/**
 * Between boot groups: a message (the job waits for an operator to acknowledge it) or a script
 * (only admins may define one; every run is audited). One object with exactly one of the two,
 * rather than a zod union, so that a mistake is reported on its own field.
 */
export const planStepSchema = z
  .strictObject({
    after: z.number().int().min(1).max(100).describe('runs after this boot group has powered on'),
    message: text(2000).optional().describe('shown to the operator; the job waits for an acknowledgement'),
    script: planScriptSchema.optional().describe('a command the configuration server runs (admins only)'),
  })
  .superRefine((s, ctx) => {
    if ((s.message === undefined) === (s.script === undefined))
      ctx.addIssue(
        wordedIssue(
          [],
          said(s.message === undefined ? 'planfile.schema.stepNone' : 'planfile.schema.stepBoth'),
        ),
      );
  });
export type PlanStep = z.infer<typeof planStepSchema>;
export type PlanScriptStep = PlanStep & { script: z.infer<typeof planScriptSchema> };
export type PlanMessageStep = PlanStep & { message: string };
export const isScriptStep = (s: PlanStep): s is PlanScriptStep => s.script !== undefined;
export const isMessageStep = (s: PlanStep): s is PlanMessageStep => s.message !== undefined;

export const planTargetSchema = z
  .strictObject({
    site: text(100).describe('receiving site'),
    masterTarget: text(255)
      .optional()
      .describe('master target (a registered VM on the target site) holding the replica disks'),
    placement: planPlacementSchema.optional(),
    networks: z
      .record(text(255), text(255))
      .default({})
      .describe('source network name → target network name; every source network needs one'),
    testNetwork: text(255).optional().describe('isolated target network used by test failover'),
  })
  .describe('where the machines are replicated to and recovered');
export type PlanTarget = z.infer<typeof planTargetSchema>;

// The fields of the plan file, without the cross-field rules (planSchema extends this shape).
const planSpecShape = {
  name: planNameSchema,
  source: z.strictObject({ site: text(100).describe('protected site') }),
  target: planTargetSchema,
  policy: planPolicySchema.default(defaultPlanPolicy),
  parallelism: z
    .number()
    .int()
    .min(1)
    .max(64)
    .default(4)
    .describe('machines recovered at the same time within a boot group'),
  machines: z.array(planMachineSchema).max(5000).default([]),
  steps: z.array(planStepSchema).max(200).default([]),
};

/** The plan file. Cross-field rules that need no inventory are checked here too. */
export const planSpecSchema = z
  .strictObject(planSpecShape)
  .superRefine((plan, ctx) => {
    for (const issue of planStructureIssues(plan))
      ctx.addIssue(wordedIssue(issue.path, { text: issue.message, words: issue.words }));
  })
  .describe('Siteshift protection/recovery plan');
export type PlanSpec = z.infer<typeof planSpecSchema>;
export type PlanSpecInput = z.input<typeof planSpecSchema>;

/** The plan as the server holds it: the file plus the ids it resolved and its timestamps. */
export const planSchema = z.object({
  id: z.string().min(1).max(64),
  ...planSpecShape,
  sourceSiteId: z.string(),
  targetSiteId: z.string(),
  /** Null while target.masterTarget is not set. */
  masterTargetId: z.string().nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type Plan = z.infer<typeof planSchema>;

/** The file fields of a stored plan, in file order (what `plan export` writes). */
export function planSpecOf(plan: Plan | PlanSpec): PlanSpec {
  const t = plan.target;
  return {
    name: plan.name,
    source: { site: plan.source.site },
    target: {
      site: t.site,
      ...(t.masterTarget !== undefined ? { masterTarget: t.masterTarget } : {}),
      ...(t.placement !== undefined ? { placement: t.placement } : {}),
      networks: t.networks,
      ...(t.testNetwork !== undefined ? { testNetwork: t.testNetwork } : {}),
    },
    policy: plan.policy,
    parallelism: plan.parallelism,
    machines: plan.machines,
    steps: plan.steps,
  };
}

// ---------------------------------------------------------------- issues

/** One finding about a plan, at a field path such as `machines[3].dependsOn[0]`. */
export const planIssueSchema = z.object({
  severity: z.enum(['error', 'warning']),
  path: z.string(),
  message: z.string(),
  /** The message's words (shared/i18n/plan-words.ts), from which a console words it; absent where there are none. */
  messageWords: wordedSchema.optional(),
});
export type PlanIssue = z.infer<typeof planIssueSchema>;

/** `machines[3].dependsOn[0]`: how every plan message names a field. */
export function formatPlanPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out || '(plan)';
}

/** Schema errors as plan issues, each naming its field, with their words where the book has them. */
export function planSchemaIssues(err: z.ZodError): PlanIssue[] {
  return err.issues.map((i) => {
    const words = zodIssueWords(i);
    return {
      severity: 'error',
      path: formatPlanPath(i.path),
      message: i.message,
      ...(words ? { messageWords: words } : {}),
    };
  });
}

const schemaKeys = new Map<string, PlanFileWordKey>(
  Object.entries(planFileWordsEn)
    .filter(([key]) => key.startsWith('planfile.schema.'))
    .map(([key, text]) => [text, key as PlanFileWordKey] as const),
);
const isWorded = (v: unknown): v is Worded => wordedSchema.safeParse(v).success;
const typeWord = (name: string): Text => {
  const key = `planfile.type.${name}`;
  return key in planFileWordsEn ? said(key as PlanFileWordKey) : { text: name };
};
// zod's English quotes a string value and prints any other as it is.
const quoted = (v: unknown) => (typeof v === 'string' ? `"${v}"` : String(v));

/**
 * The words of one zod issue: a refinement's own (wordedIssue), a schema message by its text, or
 * zod's issue by its code, said in zod's English. Words whose English is not the issue's message
 * (a shape of issue this does not know) are dropped: the console then shows the message as sent.
 */
export function zodIssueWords(issue: z.core.$ZodIssue): Worded | null {
  const words = zodIssueSaid(issue);
  return words && words.text === issue.message ? words.words : null;
}

function zodIssueSaid(issue: z.core.$ZodIssue): Said | null {
  if (issue.code === 'custom' && isWorded(issue.params?.words))
    return { text: issue.message, words: issue.params.words };
  const schemaKey = schemaKeys.get(issue.message);
  if (schemaKey) return said(schemaKey);
  switch (issue.code) {
    case 'invalid_type': {
      // zod keeps what it received only in the message.
      const received = /, received (\S+)$/.exec(issue.message)?.[1];
      if (received === undefined) return null;
      return received === 'undefined'
        ? said('planfile.zod.missing', { expected: typeWord(issue.expected) })
        : said('planfile.zod.type', { expected: typeWord(issue.expected), received: typeWord(received) });
    }
    case 'too_small':
    case 'too_big': {
      if (issue.exact || !issue.inclusive) return null;
      const small = issue.code === 'too_small';
      const bound = Number(small ? issue.minimum : issue.maximum);
      if (issue.origin === 'number')
        return small
          ? said('planfile.zod.min', { minimum: bound })
          : said('planfile.zod.max', { maximum: bound });
      if (issue.origin === 'string') {
        if (small)
          return bound === 1
            ? said('planfile.zod.empty')
            : said('planfile.zod.minLength', { minimum: bound });
        return said('planfile.zod.maxLength', { maximum: bound });
      }
      if (issue.origin === 'array')
        return small
          ? said('planfile.zod.minItems', { minimum: bound })
          : said('planfile.zod.maxItems', { maximum: bound });
      return null;
    }
    case 'unrecognized_keys':
      return said(issue.keys.length === 1 ? 'planfile.zod.unknownKey' : 'planfile.zod.unknownKeys', {
        keys: issue.keys.map(quoted).join(', '),
      });
    case 'invalid_value':
      return issue.values.length === 1
        ? said('planfile.zod.value', { value: quoted(issue.values[0]) })
        : said('planfile.zod.oneOf', { values: issue.values.map(quoted).join('|') });
    default:
      return said('planfile.zod.invalid');
  }
}

/**
 * Rules over the plan alone: unique VMs and recovered names, dependencies inside the plan and
 * not in a later boot group, no cycle, steps after an existing boot group.
 */
export function planStructureIssues(plan: {
  machines: ReadonlyArray<Pick<PlanMachine, 'vm' | 'bootGroup' | 'dependsOn' | 'recoveredName'>>;
  steps: ReadonlyArray<Pick<PlanStep, 'after'>>;
}): Array<{ path: PropertyKey[]; message: string; words: Worded }> {
  const issues: Array<{ path: PropertyKey[]; message: string; words: Worded }> = [];
  const add = (path: PropertyKey[], s: Said) => issues.push({ path, message: s.text, words: s.words });
  const index = new Map<string, number>();
  plan.machines.forEach((m, i) => {
    const seen = index.get(m.vm);
    if (seen !== undefined)
      add(['machines', i, 'vm'], said('planfile.vm.twice', { vm: m.vm, index: String(seen) }));
    else index.set(m.vm, i);
  });
  const recovered = new Map<string, number>();
  plan.machines.forEach((m, i) => {
    const name = m.recoveredName ?? m.vm;
    const seen = recovered.get(name.toLowerCase());
    if (seen !== undefined)
      add(
        ['machines', i, m.recoveredName ? 'recoveredName' : 'vm'],
        said('planfile.vm.recoveredTwice', { index: String(seen), name }),
      );
    else recovered.set(name.toLowerCase(), i);
  });
  plan.machines.forEach((m, i) => {
    m.dependsOn.forEach((dep, j) => {
      const at = ['machines', i, 'dependsOn', j];
      const target = index.get(dep);
      if (dep === m.vm) add(at, said('planfile.dep.self', { vm: dep }));
      else if (target === undefined) add(at, said('planfile.dep.outside', { vm: dep }));
      else if (plan.machines[target]!.bootGroup > m.bootGroup)
        add(
          at,
          said('planfile.dep.later', {
            dep,
            depGroup: plan.machines[target]!.bootGroup,
            vm: m.vm,
            group: m.bootGroup,
          }),
        );
    });
  });
  const cycle = dependencyCycle(plan.machines);
  if (cycle)
    add(
      ['machines', index.get(cycle[0]!)!, 'dependsOn'],
      said('planfile.dep.cycle', { cycle: cycle.join(' → ') }),
    );
  const groups = new Set(plan.machines.map((m) => m.bootGroup));
  plan.steps.forEach((s, i) => {
    if (!groups.has(s.after))
      add(
        ['steps', i, 'after'],
        plan.machines.length === 0
          ? said('planfile.step.noMachines', { group: s.after })
          : said('planfile.step.noGroup', {
              group: s.after,
              groups: [...groups].sort((a, b) => a - b).join(', '),
            }),
      );
  });
  return issues;
}

/** The first dependency cycle found (names, first repeated at the end), or null. */
export function dependencyCycle(
  machines: ReadonlyArray<Pick<PlanMachine, 'vm' | 'dependsOn'>>,
): string[] | null {
  const deps = new Map(machines.map((m) => [m.vm, m.dependsOn]));
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (vm: string): string[] | null => {
    const s = state.get(vm);
    if (s === 'done') return null;
    if (s === 'visiting') return [...stack.slice(stack.indexOf(vm)), vm];
    state.set(vm, 'visiting');
    stack.push(vm);
    for (const d of deps.get(vm) ?? []) {
      if (!deps.has(d) || d === vm) continue;
      const found = visit(d);
      if (found) return found;
    }
    stack.pop();
    state.set(vm, 'done');
    return null;
  };
  for (const m of machines) {
    const found = visit(m.vm);
    if (found) return found;
  }
  return null;
}

/**
 * Power-on order inside each boot group: dependencies first (a topological order, stable in
 * file order), so a workflow can start machines in waves without reading dependsOn itself.
 */
export function bootOrder(
  plan: Pick<PlanSpec, 'machines'>,
): Array<{ group: number; machines: PlanMachine[] }> {
  const groups = [...new Set(plan.machines.map((m) => m.bootGroup))].sort((a, b) => a - b);
  return groups.map((group) => {
    const inGroup = plan.machines.filter((m) => m.bootGroup === group);
    const names = new Set(inGroup.map((m) => m.vm));
    const placed = new Set<string>();
    const out: PlanMachine[] = [];
    while (out.length < inGroup.length) {
      const ready = inGroup.filter(
        (m) => !placed.has(m.vm) && m.dependsOn.every((d) => !names.has(d) || placed.has(d)),
      );
      // A cycle cannot pass validation; should one reach here, keep file order rather than loop.
      const next = ready.length > 0 ? ready : inGroup.filter((m) => !placed.has(m.vm));
      for (const m of next) {
        placed.add(m.vm);
        out.push(m);
      }
    }
    return { group, machines: out };
  });
}

/** Whether an IPv4 address lies inside the prefix of a CIDR. */
export function sameSubnet(cidr: string, address: string): boolean {
  const [base, bits] = cidr.split('/');
  const n = Number(bits);
  const a = ipv4ToInt(base!);
  const b = ipv4ToInt(address);
  if (a === null || b === null || !Number.isInteger(n)) return false;
  const mask = n === 0 ? 0 : (0xffffffff << (32 - n)) >>> 0;
  return (a & mask) >>> 0 === (b & mask) >>> 0;
}

function ipv4ToInt(ip: string): number | null {
  const parts = ip.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) return null;
  return ((parts[0]! << 24) | (parts[1]! << 16) | (parts[2]! << 8) | parts[3]!) >>> 0;
}

// ---------------------------------------------------------------- diff

/** One changed field between the stored plan and the file, at a plan path. */
export const planChangeSchema = z.object({
  path: z.string(),
  kind: z.enum(['added', 'removed', 'changed']),
  from: z.unknown().optional(),
  to: z.unknown().optional(),
});
export type PlanChange = z.infer<typeof planChangeSchema>;

/**
 * What applying `next` over `current` changes. Machines are matched by vm name (not by position)
 * so that inserting one machine shows one addition, not every later machine changed.
 */
export function diffPlans(current: PlanSpec | null, next: PlanSpec): PlanChange[] {
  const changes: PlanChange[] = [];
  const walk = (path: string, a: unknown, b: unknown) => {
    if (deepEqual(a, b)) return;
    if (a === undefined) return void changes.push({ path, kind: 'added', to: b });
    if (b === undefined) return void changes.push({ path, kind: 'removed', from: a });
    if (isRecord(a) && isRecord(b)) {
      for (const key of new Set([...Object.keys(a), ...Object.keys(b)]))
        walk(path ? `${path}.${key}` : key, a[key], b[key]);
      return;
    }
    changes.push({ path, kind: 'changed', from: a, to: b });
  };
  const base = current ?? undefined;
  const { machines: am = [], ...aRest } = base ?? ({} as Partial<PlanSpec>);
  const { machines: bm, ...bRest } = next;
  walk('', base ? aRest : {}, bRest);
  const before = new Map(am.map((m) => [m.vm, m]));
  bm.forEach((m, i) => {
    const old = before.get(m.vm);
    if (!old) changes.push({ path: `machines[${i}]`, kind: 'added', to: m });
    else walk(`machines[${i}]`, old, m);
    before.delete(m.vm);
  });
  for (const m of before.values()) changes.push({ path: `machines(${m.vm})`, kind: 'removed', from: m });
  return changes;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  if (isRecord(a) && isRecord(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) if (!deepEqual(a[k], b[k])) return false;
    return true;
  }
  return false;
}

// ---------------------------------------------------------------- API payloads

export const planValidateInputSchema = z.strictObject({ plan: z.unknown() });

/** What the server says about a plan file before it is applied. */
export const planValidationSchema = z.object({
  /** False when any issue is an error: apply would be refused. */
  valid: z.boolean(),
  issues: z.array(planIssueSchema),
  /** The plan as the server would store it (defaults filled), when it passed the schema. */
  plan: z.strictObject(planSpecShape).nullable(),
  /** The stored plan of the same name, or null when apply would create it. */
  current: z.strictObject(planSpecShape).nullable(),
  /** updatedAt of the stored plan: pass it to apply as expectUpdatedAt (null when none is stored). */
  currentUpdatedAt: z.iso.datetime().nullable(),
  changes: z.array(planChangeSchema),
});
export type PlanValidation = z.infer<typeof planValidationSchema>;

export const planApplyInputSchema = z.strictObject({
  plan: z.unknown(),
  /**
   * The updatedAt of the plan the operator reviewed (null: it did not exist). When the stored
   * plan changed since, apply is refused instead of overwriting someone else's change.
   */
  expectUpdatedAt: z.iso.datetime().nullable().optional(),
});

export const planApplyResultSchema = z.object({
  created: z.boolean(),
  plan: planSchema,
  changes: z.array(planChangeSchema),
  issues: z.array(planIssueSchema),
});

// ---------------------------------------------------------------- JSON Schema

export const planJsonSchemaId = 'https://siteshift.dev/schemas/plan.schema.json';

/**
 * The plan file's JSON Schema (draft 2020-12) for editors and other tools, generated from
 * planSpecSchema so the two cannot drift; `npm run schema:plan` writes it to
 * shared/configserver/plan.schema.json. The "exactly one of" rules written as refinements are
 * added as oneOf, which zod cannot derive from a refinement.
 */
export function planJsonSchema(): Record<string, unknown> {
  const exactlyOne = (a: string, b: string) => [
    { required: [a], not: { required: [b] } },
    { required: [b], not: { required: [a] } },
  ];
  const schema = z.toJSONSchema(planSpecSchema, {
    io: 'input',
    target: 'draft-2020-12',
    unrepresentable: 'throw',
    override: (ctx) => {
      if (ctx.zodSchema === planPlacementSchema) ctx.jsonSchema.oneOf = exactlyOne('cluster', 'host');
      if (ctx.zodSchema === planStepSchema) ctx.jsonSchema.oneOf = exactlyOne('message', 'script');
    },
  }) as Record<string, unknown>;
  const { $schema, ...rest } = schema;
  return { $schema, $id: planJsonSchemaId, title: 'Siteshift plan', ...rest };
}
