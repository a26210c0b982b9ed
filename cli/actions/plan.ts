import { readFile, writeFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parseDocument, stringify as toYaml } from 'yaml';
import {
  type Plan,
  type PlanChange,
  type PlanIssue,
  planSchemaIssues,
  planSpecOf,
  planSpecSchema,
  type ReadinessKind,
  type ReadinessReport,
} from '../../shared/configserver';
import { type ConnOpts, client } from '../conn';
import { CliError, confirm, confirmByTyping, printJson } from '../io';

/**
 * What the `siteshift plan` verbs do (their options: cli/commands/plan.ts). apply validates a JSON
 * or YAML file (schema here, then the server against the sites' inventories), shows what changes
 * and stores it after a yes; export writes a plan back in the same format, so export → edit →
 * apply round-trips.
 */

export type Format = 'yaml' | 'json';

const formatOf = (file: string): Format | null => {
  const ext = extname(file).toLowerCase();
  return ext === '.json' ? 'json' : ext === '.yaml' || ext === '.yml' ? 'yaml' : null;
};

/** Reads a plan file: JSON by its extension, YAML otherwise (YAML also reads JSON). */
export async function readPlanFile(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new CliError(
      `cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
  if (formatOf(file) === 'json') {
    try {
      return JSON.parse(text);
    } catch (err) {
      throw new CliError(`${file} is not valid JSON: ${(err as Error).message}`);
    }
  }
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0)
    throw new CliError(`${file} is not valid YAML: ${doc.errors.map((e) => e.message).join('; ')}`);
  return doc.toJS();
}

export function renderPlanFile(plan: Plan, format: Format): string {
  const spec = planSpecOf(plan);
  return format === 'json' ? `${JSON.stringify(spec, null, 2)}\n` : toYaml(spec, { lineWidth: 0 });
}

function printIssues(file: string, issues: PlanIssue[]): void {
  for (const i of issues)
    process.stderr.write(
      `${file}: ${i.severity === 'error' ? 'error' : 'warning'}: ${i.path}: ${i.message}\n`,
    );
}

const show = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

export function formatChanges(changes: PlanChange[]): string {
  return changes
    .map((c) =>
      c.kind === 'added'
        ? `  + ${c.path}: ${show(c.to)}`
        : c.kind === 'removed'
          ? `  - ${c.path}: ${show(c.from)}`
          : `  ~ ${c.path}: ${show(c.from)} → ${show(c.to)}`,
    )
    .join('\n');
}

const statusWord = { pass: 'PASS', warn: 'WARN', fail: 'FAIL' } as const;
export const kindWords: Record<ReadinessKind, string> = {
  protect: 'protect',
  test: 'a test failover',
  planned: 'a planned failover',
  unplanned: 'an unplanned failover',
  failback: 'failback',
};

export function formatReadiness(r: ReadinessReport): string {
  const head = `Plan ${r.plan} for ${kindWords[r.kind]}: ${r.ready ? 'READY' : 'NOT READY'} (${r.counts.fail} fail, ${r.counts.warn} warn, ${r.counts.pass} pass)`;
  const lines = r.checks.map((c) => {
    const line = `  ${statusWord[c.status]}  ${c.title}: ${c.message}`;
    return c.fix ? `${line}\n        fix: ${c.fix}` : line;
  });
  return [head, ...lines].join('\n');
}

export async function apply(opts: ConnOpts & { file: string; yes: boolean }): Promise<void> {
  const raw = await readPlanFile(opts.file);
  const local = planSpecSchema.safeParse(raw);
  if (!local.success) {
    printIssues(opts.file, planSchemaIssues(local.error));
    throw new CliError(`${opts.file} is not a valid plan; nothing was applied`);
  }
  const c = await client(opts);
  try {
    const v = await c.validatePlan(raw);
    printIssues(opts.file, v.issues);
    if (!v.valid)
      throw new CliError(
        `${opts.file}: ${v.issues.filter((i) => i.severity === 'error').length} error(s); nothing was applied`,
      );
    const name = local.data.name;
    if (v.current && v.changes.length === 0) {
      if (opts.json) printJson({ applied: false, changes: [], issues: v.issues });
      else process.stdout.write(`plan ${name} is up to date\n`);
      return;
    }
    if (!opts.json)
      process.stdout.write(
        v.current
          ? `plan ${name} changes:\n${formatChanges(v.changes)}\n`
          : `plan ${name} will be created with ${local.data.machines.length} machine(s)\n`,
      );
    if (!opts.yes && !(await confirm(`${v.current ? 'Update' : 'Create'} plan ${name}?`)))
      throw new CliError('nothing was applied');
    const result = await c.applyPlan(raw, v.currentUpdatedAt);
    if (opts.json) printJson({ applied: true, ...result });
    else process.stdout.write(`plan ${name} ${result.created ? 'created' : 'updated'} (${result.plan.id})\n`);
  } finally {
    c.close();
  }
}

export async function validate(opts: ConnOpts & { file: string }): Promise<void> {
  const raw = await readPlanFile(opts.file);
  const c = await client(opts);
  try {
    const v = await c.validatePlan(raw);
    if (opts.json) printJson(v);
    else {
      printIssues(opts.file, v.issues);
      if (v.valid)
        process.stdout.write(
          v.current === null
            ? `${opts.file} is valid; apply would create the plan\n`
            : v.changes.length === 0
              ? `${opts.file} is valid and matches the stored plan\n`
              : `${opts.file} is valid; apply would change:\n${formatChanges(v.changes)}\n`,
        );
    }
    if (!v.valid)
      throw new CliError(`${opts.file}: ${v.issues.filter((i) => i.severity === 'error').length} error(s)`);
  } finally {
    c.close();
  }
}

export async function exportPlan(
  name: string,
  opts: ConnOpts & { output?: string; format?: Format },
): Promise<void> {
  const c = await client(opts);
  try {
    const p = await c.getPlan(name);
    const format =
      opts.format ?? (opts.output ? formatOf(opts.output) : null) ?? (opts.json ? 'json' : 'yaml');
    const text = renderPlanFile(p, format);
    if (opts.output) {
      await writeFile(opts.output, text);
      process.stderr.write(`plan ${p.name} written to ${opts.output}\n`);
    } else process.stdout.write(text);
  } finally {
    c.close();
  }
}

export async function remove(name: string, opts: ConnOpts & { yes: boolean }): Promise<void> {
  const c = await client(opts);
  try {
    const p = await c.getPlan(name);
    if (!opts.yes) await confirmByTyping(p.name, `Remove plan ${p.name}`);
    const removed = await c.removePlan(p.id);
    if (opts.json) printJson(removed);
    else process.stdout.write(`plan ${removed.name} removed\n`);
  } finally {
    c.close();
  }
}

export async function check(name: string, opts: ConnOpts & { for: ReadinessKind }): Promise<void> {
  const c = await client(opts);
  try {
    const report = await c.planReadiness(name, opts.for);
    if (opts.json) printJson(report);
    else process.stdout.write(`${formatReadiness(report)}\n`);
    if (!report.ready)
      throw new CliError(
        `plan ${report.plan} is not ready for ${kindWords[report.kind]}: ${report.counts.fail} check(s) failed`,
      );
  } finally {
    c.close();
  }
}
