import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { parseDocument, stringify as toYaml } from 'yaml';
import {
  diffPlans,
  type Plan,
  type PlanChange,
  type PlanIssue,
  type PlanSpec,
  planSchemaIssues,
  planSpecOf,
  planSpecSchema,
  type ReadinessKind,
  type ReadinessReport,
} from '../../shared/configserver';
import { countOf } from '../../shared/topology/display';
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
    await reviewAndApply(c, raw, local.data, opts.file, opts);
  } finally {
    c.close();
  }
}

/**
 * What apply and edit share: the server's validation (issues printed against the file), the
 * changes, the question, then apply. `opened` is the version an edit started from (a change made
 * since is refused); apply passes the version it validated. `why` ends each refusal.
 */
async function reviewAndApply(
  c: Awaited<ReturnType<typeof client>>,
  raw: unknown,
  spec: PlanSpec,
  file: string,
  opts: ConnOpts & { yes: boolean },
  edit?: { opened: string; why: string },
): Promise<void> {
  const why = edit?.why ?? '';
  const v = await c.validatePlan(raw);
  printIssues(file, v.issues);
  if (!v.valid)
    throw new CliError(
      `${file}: ${v.issues.filter((i) => i.severity === 'error').length} error(s); nothing was applied${why}`,
    );
  const name = spec.name;
  if (v.current && v.changes.length === 0) {
    if (opts.json) printJson({ applied: false, changes: [], issues: v.issues });
    else process.stdout.write(`plan ${name} is up to date\n`);
    return;
  }
  if (!opts.json)
    process.stdout.write(
      v.current
        ? `plan ${name} changes:\n${formatChanges(v.changes)}\n`
        : `plan ${name} will be created with ${countOf(spec.machines.length, 'machine')}\n`,
    );
  if (!opts.yes && !(await confirm(`${v.current ? 'Update' : 'Create'} plan ${name}?`)))
    throw new CliError(`nothing was applied${why}`);
  const result = await c.applyPlan(raw, edit ? edit.opened : v.currentUpdatedAt);
  if (opts.json) printJson({ applied: true, ...result });
  else process.stdout.write(`plan ${name} ${result.created ? 'created' : 'updated'} (${result.plan.id})\n`);
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

/**
 * `plan edit`: the stored plan as a file in $VISUAL or $EDITOR (as `kubectl edit` does), then the
 * same validation, changes and question as apply; applied with the version that was opened, so
 * a change someone made meanwhile is refused rather than overwritten. A file that does not pass
 * is kept for `plan apply -f` once fixed.
 */
export async function editPlan(
  name: string,
  opts: ConnOpts & { format?: Format; yes: boolean },
): Promise<void> {
  const editor = process.env.VISUAL || process.env.EDITOR;
  if (!editor)
    throw new CliError(
      'set VISUAL or EDITOR to the editor to use (e.g. EDITOR=nano), or export the plan, edit the file and apply it: siteshift plan export PLAN -o FILE, then siteshift plan apply -f FILE',
    );
  const c = await client(opts);
  let keep = false;
  const dir = await mkdtemp(join(tmpdir(), 'siteshift-plan-edit-'));
  let path = dir;
  try {
    const stored = await c.getPlan(name);
    const format = opts.format ?? 'yaml';
    path = join(dir, `${stored.name}.${format}`);
    const before = renderPlanFile(stored, format);
    await writeFile(
      path,
      format === 'yaml'
        ? `# plan ${stored.name} as stored (updated ${stored.updatedAt}); save and quit to apply, leave it unchanged to cancel\n${before}`
        : before,
    );
    const code = await new Promise<number | null>((resolve, reject) => {
      // Through the shell: EDITOR may carry arguments ("code --wait").
      const child = spawn(`${editor} "${path}"`, { shell: true, stdio: 'inherit' });
      child.on('error', reject);
      child.on('exit', resolve);
    });
    if (code !== 0) throw new CliError(`the editor (${editor}) exited with ${code}; nothing was applied`);
    const raw = await readPlanFile(path);
    const local = planSpecSchema.safeParse(raw);
    if (local.success && diffPlans(planSpecOf(stored), local.data).length === 0) {
      process.stdout.write(`plan ${stored.name} unchanged; nothing was applied\n`);
      return;
    }
    keep = true;
    if (!local.success) {
      printIssues(path, planSchemaIssues(local.error));
      throw new CliError(`the edited plan is not valid; nothing was applied (your edit is kept in ${path})`);
    }
    if (local.data.name !== stored.name)
      throw new CliError(
        `the edit renames the plan to ${local.data.name}; edit does not rename (apply the file to create a plan of that name: siteshift plan apply -f ${path})`,
      );
    // The version opened, not the one validated: a change made while the editor was open is refused.
    await reviewAndApply(c, raw, local.data, path, opts, {
      opened: stored.updatedAt,
      why: ` (your edit is kept in ${path})`,
    });
    keep = false;
  } catch (err) {
    if (keep && err instanceof Error && !(err instanceof CliError))
      err.message = `${err.message} (your edit is kept in ${path})`;
    throw err;
  } finally {
    c.close();
    if (!keep) await rm(dir, { recursive: true, force: true });
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
