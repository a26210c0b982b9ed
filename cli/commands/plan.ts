import type { Command } from 'commander';
import type { ReadinessKind } from '../../shared/configserver';
import { readinessKinds } from '../../shared/names';
import type { Format } from '../actions/plan';
import { type ConnOpts, run, withConn } from '../conn';
import { printTable } from '../io';
import { choice } from '../options';

/**
 * `siteshift plan`: plans as files (what the verbs do: cli/actions/plan.ts, loaded when one runs).
 */
const actions = () => import('../actions/plan');

export function registerPlan(program: Command): void {
  const plan = program.command('plan').description('protection/recovery plans written as JSON or YAML files');

  withConn(
    plan
      .command('apply')
      .description(
        'validate a plan file against the sites, show the changes, then create or update the plan',
      ),
  )
    .requiredOption('-f, --file <file>', 'plan file (.yaml, .yml or .json)')
    .option('--yes', 'apply without asking', false)
    .action(async (opts: ConnOpts & { file: string; yes: boolean }) => (await actions()).apply(opts));

  withConn(
    plan
      .command('validate')
      .description('check a plan file and show what apply would change; changes nothing'),
  )
    .requiredOption('-f, --file <file>', 'plan file (.yaml, .yml or .json)')
    .action(async (opts: ConnOpts & { file: string }) => (await actions()).validate(opts));

  withConn(plan.command('list').description('list plans')).action(async (opts: ConnOpts) =>
    run(
      opts,
      (c) => c.listPlans(),
      (rows) =>
        printTable(
          rows.map((p) => ({
            name: p.name,
            source: p.source.site,
            target: p.target.site,
            masterTarget: p.target.masterTarget ?? null,
            machines: p.machines.length,
            bootGroups: new Set(p.machines.map((m) => m.bootGroup)).size,
            updated: p.updatedAt,
          })),
        ),
    ),
  );

  withConn(plan.command('show <plan>').description('one plan, as its file (YAML) with its ids')).action(
    async (name: string, opts: ConnOpts) => {
      const { renderPlanFile } = await actions();
      await run(
        opts,
        (c) => c.getPlan(name),
        (p) =>
          process.stdout.write(
            `# plan ${p.id}, created ${p.createdAt}, updated ${p.updatedAt}\n${renderPlanFile(p, 'yaml')}`,
          ),
      );
    },
  );

  withConn(plan.command('export <plan>').description('write a plan back as a file that plan apply reads'))
    .option('-o, --output <file>', 'write to this file instead of stdout')
    .option(
      '--format <format>',
      'yaml or json (default: from the file extension, else yaml)',
      choice('--format', ['yaml', 'json']),
    )
    .action(async (name: string, opts: ConnOpts & { output?: string; format?: Format }) =>
      (await actions()).exportPlan(name, opts),
    );

  withConn(
    plan
      .command('edit <plan>')
      .description(
        'open the plan as a file in $VISUAL or $EDITOR, then show the changes and apply them (refused if the plan changed meanwhile)',
      ),
  )
    .option('--format <format>', 'yaml or json (default: yaml)', choice('--format', ['yaml', 'json']))
    .option('--yes', 'apply without asking', false)
    .action(async (name: string, opts: ConnOpts & { format?: Format; yes: boolean }) =>
      (await actions()).editPlan(name, opts),
    );

  withConn(plan.command('remove <plan>').description('remove a plan that has no pairs left'))
    .option('--yes', 'do not ask for the plan name to be typed', false)
    .action(async (name: string, opts: ConnOpts & { yes: boolean }) => (await actions()).remove(name, opts));

  withConn(
    plan
      .command('check <plan>')
      .description('readiness checks before a workflow; exits 0 when ready, 1 when a check fails'),
  )
    .option(
      '--for <kind>',
      `workflow to check for: ${readinessKinds.join(', ')}`,
      choice('--for', readinessKinds),
      'protect',
    )
    .action(async (name: string, opts: ConnOpts & { for: ReadinessKind }) =>
      (await actions()).check(name, opts),
    );
}
