import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LabEstate } from '../../core/lab';
import type { OpenConsole } from '../support/console';
import { addFreeWindowsVms } from '../support/plans';
import {
  jobSucceeds,
  openFastLabConsole,
  openPlans,
  shootBothThemes,
  wizardNext,
  wizardStep,
} from '../support/wizard';

/**
 * The console's wizards end to end on the lab, as an operator drives them (by role and accessible
 * name): protect two new machines, test failover, cleanup, planned failover, rollback, unplanned
 * failover with the split-brain warning, commit; each ends on a finished job. Refusals on the way:
 * a plan name that is taken, a failing readiness check, a typed plan name that does not match.
 */
let estate: LabEstate;
let ui: OpenConsole;
let fresh: string[];
const long = { timeout: 120_000 };

beforeAll(async () => {
  ({ ui, estate } = await openFastLabConsole());
}, 180_000);

afterAll(async () => {
  await ui?.close();
});

async function confirmAndRun(title: string, plan: string, button: RegExp, shot: string) {
  const region = ui.page.getByRole('region', { name: title });
  await wizardStep(ui.page, title, /: Run$/).waitFor();
  await shootBothThemes(ui.page, `${shot}-run`);
  const field = region.getByLabel(/^Type the plan name/);
  await field.fill(plan.toUpperCase());
  await region.getByRole('button', { name: button }).click();
  await region.getByText(`That is not the plan name: type ${plan} exactly`).waitFor();
  await shootBothThemes(ui.page, `${shot}-run-mismatch`);
  await field.fill(plan);
  await region.getByRole('button', { name: button }).click();
}

describe('wizards', () => {
  it('protect: machines → target → mappings → policy → readiness → dry run → run, with its refusals', async () => {
    const { page } = ui;
    const title = 'Protect machines';
    await openPlans(ui);
    // The lab seed protects every VM it has: these two arrive after it, unprotected.
    fresh = addFreeWindowsVms(estate, 'ams-w-new', 2);
    for (const name of fresh) {
      const vm = estate.primary.vms.find((v) => v.name === name)!;
      vm.powerState = 'poweredOn';
      vm.disks[0]!.capacityBytes = 2 * 1024 ** 3;
      // Their own disk files (the helper's clones share their model's, which reprotect would find locked).
      vm.disks[0]!.fileName = `[ams-vsan-01] ${name}/${name}.vmdk`;
    }
    await page.getByRole('button', { name: 'Protect machines…' }).click();
    const wizard = page.getByRole('region', { name: title });
    await wizardStep(page, title, 'Step 1 of 7: Machines').waitFor();
    const machines = wizard.getByRole('region', { name: 'Machines' });
    await machines.getByRole('checkbox', { name: `Protect ${fresh[0]}` }).waitFor(long);
    // Nothing chosen: Next says what is missing, in words.
    await wizard.getByRole('button', { name: 'Next' }).click();
    await wizard.getByText('Choose at least one machine to protect.').waitFor();
    await machines.getByLabel('Filter machines').fill('ams-w-new');
    for (const vm of fresh) await machines.getByRole('checkbox', { name: `Protect ${vm}` }).check();
    await shootBothThemes(page, 'protect-1-machines');
    await wizardNext(ui.page, title, /Step 2 of 7: Target/);

    await wizard.getByLabel('Target site').selectOption('lab-rotterdam');
    await wizard.getByLabel('Master target').selectOption('rtm-mt-lnx-01');
    await wizard
      .getByText(/rtm-mt-lnx-01 is a Linux master target; Windows machines need a Windows one/)
      .waitFor();
    await wizard.getByLabel('Master target').selectOption('rtm-mt-win-01');
    await shootBothThemes(page, 'protect-2-target');
    await wizardNext(ui.page, title, /Step 3 of 7: Mappings/);

    await wizard.getByLabel('Cluster', { exact: true }).selectOption('DR', long);
    await wizard.getByLabel('Datastore').selectOption('rtm-vsan-01');
    const nets = wizard.getByRole('table', { name: 'Network mappings' }).getByRole('combobox');
    for (let i = 0; i < (await nets.count()); i++) await nets.nth(i).selectOption('dvPG-DR-210');
    await wizard.getByLabel('Isolated test network').selectOption('dvPG-Bubble-299');
    await shootBothThemes(page, 'protect-3-mappings');
    await wizardNext(ui.page, title, /Step 4 of 7: Policy and boot order/);

    await wizard.getByLabel('Plan name').fill('lab-windows');
    await wizard.getByText(/A plan named lab-windows already exists on this server/).waitFor();
    await wizard.getByLabel('Plan name').fill('e2e-new');
    await wizard.getByLabel('RPO threshold (minutes)').fill('0');
    await wizard.getByText('RPO threshold: between 1 and 1,440 minutes.').waitFor();
    await wizard.getByLabel('RPO threshold (minutes)').fill('10');
    await wizard.getByRole('button', { name: `Boot ${fresh[1]} later` }).click();
    // Dragged onto the other machine, a machine joins its boot group; + moves it on again.
    const boot = wizard.getByRole('table', { name: 'Boot order' });
    const row = (vm: string) =>
      boot.getByRole('row').filter({ has: page.getByRole('button', { name: `Boot ${vm} later` }) });
    await row(fresh[1]!).dragTo(row(fresh[0]!));
    await expect.poll(() => row(fresh[1]!).locator('td.boot-group').textContent()).toContain('1');
    await wizard.getByRole('button', { name: `Boot ${fresh[1]} later` }).click();
    await expect.poll(() => row(fresh[1]!).locator('td.boot-group').textContent()).toContain('2');
    await wizard.getByLabel(`Machines ${fresh[1]} waits for`).selectOption(fresh[0]!);
    await shootBothThemes(page, 'protect-4-policy');

    // A master target that is powered off fails readiness: the wizard does not go on.
    const mt = estate.secondary.vms.find((v) => v.name === 'rtm-mt-win-01')!;
    mt.powerState = 'poweredOff';
    await wizardNext(ui.page, title, /Step 5 of 7: Readiness/);
    const readiness = wizard.getByRole('region', { name: 'Readiness checks' });
    await readiness.getByText(/^Not ready: \d+ checks? failed/).waitFor(long);
    expect(await wizard.getByRole('button', { name: 'Next: dry run' }).isDisabled()).toBe(true);
    await wizard.getByText('Fix the failed checks, then check again.').waitFor();
    await shootBothThemes(page, 'protect-5-readiness-fail');
    mt.powerState = 'poweredOn';
    await readiness.getByRole('button', { name: 'Check again' }).click();
    await readiness.getByText(/^Ready/).waitFor(long);
    await shootBothThemes(page, 'protect-5-readiness');
    await wizardNext(ui.page, title, /Step 6 of 7: Dry run/);
    const dry = wizard.getByRole('region', { name: 'Dry run' });
    await dry.getByText(/^Dry run finished: \d+ changes? would be made/).waitFor(long);
    expect(await dry.textContent()).toContain(`would protect ${fresh[0]}`);
    await shootBothThemes(page, 'protect-6-dry-run');
    await wizardNext(ui.page, title, /Step 7 of 7: Run/);
    await confirmAndRun(title, 'e2e-new', /^Protect now$/, 'protect-7');
    await jobSucceeds(ui.page, /^Protect$/);
    await shootBothThemes(page, 'protect-job');
  }, 400_000);

  it('test failover, then cleanup of exactly what the test created', async () => {
    const { page } = ui;
    await openPlans(ui);
    const title = 'Test failover';
    await page.getByRole('button', { name: 'Test failover e2e-new' }).waitFor(long);
    await page.getByRole('button', { name: 'Test failover e2e-new' }).click();
    await wizardStep(page, title, 'Step 1 of 5: Plan').waitFor();
    await shootBothThemes(page, 'test-1-plan');
    await wizardNext(ui.page, title, /Step 2 of 5: Recovery point/);
    const wizard = page.getByRole('region', { name: title });
    // A machine protected a moment ago may have no point yet: the wizard reads them again.
    const chosenPoints = wizard.getByRole('table', { name: 'Chosen recovery points' });
    await chosenPoints.waitFor(long);
    await expect
      .poll(() => chosenPoints.getByText(/^(crash|app)-consistent/).count(), {
        timeout: 180_000,
        interval: 1000,
      })
      .toBe(fresh.length);
    await shootBothThemes(page, 'test-2-point');
    await wizardNext(ui.page, title, /Step 3 of 5: Readiness/);
    await wizard
      .getByRole('region', { name: 'Readiness checks' })
      .getByText(/^Ready/)
      .waitFor(long);
    await shootBothThemes(page, 'test-3-readiness');
    await wizardNext(ui.page, title, /Step 4 of 5: Dry run/);
    await wizard.getByText(/^Dry run finished/).waitFor(long);
    await shootBothThemes(page, 'test-4-dry-run');
    await wizardNext(ui.page, title, /Step 5 of 5: Run/);
    await confirmAndRun(title, 'e2e-new', /^Start test failover$/, 'test-5');
    await jobSucceeds(ui.page, /^Test failover$/);

    await openPlans(ui);
    const cleanup = 'Clean up a test failover';
    await page.getByRole('button', { name: 'Clean up test e2e-new' }).click();
    await wizardStep(page, cleanup, 'Step 1 of 3: Plan').waitFor();
    await shootBothThemes(page, 'cleanup-1-plan');
    await wizardNext(ui.page, cleanup, /Step 2 of 3: Dry run/);
    const dry = page.getByRole('region', { name: cleanup }).getByRole('region', { name: 'Dry run' });
    await dry.getByText(/^Dry run finished/).waitFor(long);
    expect(await dry.textContent()).toMatch(new RegExp(`would delete ${fresh[0]}-test`));
    await shootBothThemes(page, 'cleanup-2-dry-run');
    await wizardNext(ui.page, cleanup, /Step 3 of 3: Run/);
    await confirmAndRun(cleanup, 'e2e-new', /^Clean up now$/, 'cleanup-3');
    await jobSucceeds(ui.page, /^Cleanup test$/);
  }, 400_000);

  it('planned failover, then rollback', async () => {
    const { page } = ui;
    await openPlans(ui);
    await page.getByRole('button', { name: 'Failover e2e-new', exact: true }).click();
    const title = 'Planned failover';
    await wizardStep(page, title, 'Step 1 of 5: Plan').waitFor();
    await shootBothThemes(page, 'failover-1-plan');
    await wizardNext(ui.page, title, /Step 2 of 5: Shutdown/);
    await shootBothThemes(page, 'failover-2-shutdown');
    await wizardNext(ui.page, title, /Step 3 of 5: Readiness/);
    const wizard = page.getByRole('region', { name: title });
    await wizard
      .getByRole('region', { name: 'Readiness checks' })
      .getByText(/^Ready/)
      .waitFor(long);
    await wizardNext(ui.page, title, /Step 4 of 5: Dry run/);
    await wizard.getByText(/^Dry run finished/).waitFor(long);
    await shootBothThemes(page, 'failover-4-dry-run');
    await wizardNext(ui.page, title, /Step 5 of 5: Run/);
    await confirmAndRun(title, 'e2e-new', /^Start planned failover$/, 'failover-5');
    await jobSucceeds(ui.page, /^Planned failover$/);

    await openPlans(ui);
    const rollback = 'Roll back a failover';
    await page.getByRole('button', { name: 'Roll back e2e-new' }).click();
    await wizardStep(page, rollback, 'Step 1 of 3: Plan').waitFor();
    await shootBothThemes(page, 'rollback-1-plan');
    await wizardNext(ui.page, rollback, /Step 2 of 3: Dry run/);
    await page
      .getByRole('region', { name: rollback })
      .getByText(/^Dry run finished/)
      .waitFor(long);
    await wizardNext(ui.page, rollback, /Step 3 of 3: Run/);
    await confirmAndRun(rollback, 'e2e-new', /^Roll back now$/, 'rollback-3');
    await jobSucceeds(ui.page, /^Rollback$/);
  }, 400_000);

  it('unplanned failover warns of a split brain and needs it accepted; then commit', async () => {
    const { page } = ui;
    for (const name of fresh) estate.primary.vms.find((v) => v.name === name)!.powerState = 'poweredOn';
    await openPlans(ui);
    await page.getByRole('button', { name: 'Failover e2e-new', exact: true }).waitFor(long);
    await page.getByRole('button', { name: 'Failover e2e-new', exact: true }).click();
    const wizard = page.getByRole('region', { name: /failover$/ });
    await wizard.getByRole('radio', { name: /^Unplanned/ }).check();
    const title = 'Unplanned failover';
    await wizardNext(ui.page, title, /Step 2 of 5: Recovery point/);
    const split = page.getByRole('region', { name: title }).getByRole('region', { name: 'Split brain' });
    await split.getByText(/Split brain risk\./).waitFor(long);
    await page
      .getByRole('region', { name: title })
      .getByRole('radio', { name: /^Latest app-consistent/ })
      .check();
    const points = page
      .getByRole('region', { name: title })
      .getByRole('table', { name: 'Chosen recovery points' });
    await expect
      .poll(() => points.getByText(/^app-consistent/).count(), { timeout: 180_000, interval: 1000 })
      .toBe(fresh.length);
    await page.getByRole('region', { name: title }).getByRole('button', { name: 'Next' }).click();
    await split.getByText(/Shut them down and run a planned failover, or accept the split brain/).waitFor();
    await shootBothThemes(page, 'unplanned-2-split-brain');
    await split.getByRole('checkbox', { name: /I accept the split brain/ }).check();
    await wizardNext(ui.page, title, /Step 3 of 5: Readiness/);
    await page
      .getByRole('region', { name: title })
      .getByText(/^Ready/)
      .waitFor(long);
    await wizardNext(ui.page, title, /Step 4 of 5: Dry run/);
    await page
      .getByRole('region', { name: title })
      .getByText(/^Dry run finished/)
      .waitFor(long);
    await wizardNext(ui.page, title, /Step 5 of 5: Run/);
    await confirmAndRun(title, 'e2e-new', /^Start unplanned failover$/, 'unplanned-5');
    await jobSucceeds(ui.page, /^Unplanned failover$/);

    await openPlans(ui);
    const commit = 'Commit a failover';
    await page.getByRole('button', { name: 'Commit e2e-new' }).click();
    await wizardStep(page, commit, 'Step 1 of 3: Plan').waitFor();
    await shootBothThemes(page, 'commit-1-plan');
    await wizardNext(ui.page, commit, /Step 2 of 3: Dry run/);
    await page
      .getByRole('region', { name: commit })
      .getByText(/^Dry run finished/)
      .waitFor(long);
    await shootBothThemes(page, 'commit-2-dry-run');
    await wizardNext(ui.page, commit, /Step 3 of 3: Run/);
    await confirmAndRun(commit, 'e2e-new', /^Commit now$/, 'commit-3');
    await jobSucceeds(ui.page, /^Commit$/);
    expect(ui.problems).toEqual([]);
  }, 400_000);

  it('configure master target: a failing check stops it until fixed; then checked, dry-run and configured', async () => {
    const { page } = ui;
    // A new VM on the receiving site becomes a second Linux master target.
    const model = estate.secondary.vms.find((v) => v.name === 'rtm-mt-lnx-01')!;
    const vm = structuredClone(model);
    vm.id = 'vm-rtm-mt-lnx-02';
    vm.name = 'rtm-mt-lnx-02';
    vm.powerState = 'poweredOn';
    vm.disks = vm.disks.map((d) => ({
      ...d,
      fileName: d.fileName.replaceAll('rtm-mt-lnx-01', 'rtm-mt-lnx-02'),
    }));
    estate.secondary.vms.push(vm);
    await openPlans(ui);
    const title = 'Configure master target';
    await page.getByRole('button', { name: 'Configure master target…' }).click();
    const wizard = page.getByRole('region', { name: title });
    await wizardStep(page, title, 'Step 1 of 4: Machine').waitFor();
    await wizard.getByRole('button', { name: 'Next' }).click();
    await wizard.getByText('Choose the VM that becomes the master target.').waitFor();
    await wizard.getByLabel('VM', { exact: true }).selectOption('rtm-mt-lnx-02', long);
    // Asked to be a Windows master target, a Linux VM fails its check, and the wizard stops there.
    await wizard.getByLabel('OS family').selectOption('windows');
    await shootBothThemes(page, 'master-target-1-machine');
    await wizardNext(ui.page, title, /Step 2 of 4: Check/);
    const checks = wizard.getByRole('region', { name: 'Readiness checks' });
    await checks.getByText(/^Not ready: \d+ checks? failed/).waitFor(long);
    expect(await wizard.getByRole('button', { name: 'Next: dry run' }).count()).toBe(0);
    await wizard.getByText('Fix the failed checks, then check again.').waitFor();
    await shootBothThemes(page, 'master-target-2-check-fail');
    await wizard.getByRole('button', { name: 'Back' }).click();
    await wizard.getByLabel('OS family').selectOption('');
    await wizardNext(ui.page, title, /Step 2 of 4: Check/);
    await checks.getByText(/^Ready/).waitFor(long);
    await wizard.getByRole('region', { name: 'Slot map' }).waitFor();
    await shootBothThemes(page, 'master-target-2-check');
    await wizardNext(ui.page, title, /Step 3 of 4: Dry run/);
    await wizard.getByText(/^Dry run finished/).waitFor(long);
    await shootBothThemes(page, 'master-target-3-dry-run');
    await wizardNext(ui.page, title, /Step 4 of 4: Run/);
    const field = wizard.getByLabel(/^Type the master target name/);
    await field.fill('rtm-mt-lnx-01');
    await wizard.getByRole('button', { name: 'Configure now' }).click();
    await wizard.getByText('That is not the master target name: type rtm-mt-lnx-02 exactly').waitFor();
    await shootBothThemes(page, 'master-target-4-run-mismatch');
    await field.fill('rtm-mt-lnx-02');
    await wizard.getByRole('button', { name: 'Configure now' }).click();
    await jobSucceeds(ui.page, /^Configure master target$/);
    expect(ui.problems).toEqual([]);
  }, 300_000);

  it('reprotect after the commit, then guided failback home, showing where the plan is', async () => {
    const { page } = ui;
    await openPlans(ui);
    const title = 'Reprotect';
    await page.getByRole('button', { name: 'Reprotect e2e-new' }).click();
    await wizardStep(page, title, 'Step 1 of 5: Plan').waitFor();
    await wizardNext(ui.page, title, /Step 2 of 5: Master target/);
    await shootBothThemes(page, 'reprotect-2-master-target');
    await wizardNext(ui.page, title, /Step 3 of 5: Readiness/);
    const wizard = page.getByRole('region', { name: title });
    await wizard
      .getByRole('region', { name: 'Readiness checks' })
      .getByText(/^Ready/)
      .waitFor(long);
    await shootBothThemes(page, 'reprotect-3-readiness');
    await wizardNext(ui.page, title, /Step 4 of 5: Dry run/);
    await wizard.getByText(/^Dry run finished/).waitFor(long);
    await shootBothThemes(page, 'reprotect-4-dry-run');
    await wizardNext(ui.page, title, /Step 5 of 5: Run/);
    await confirmAndRun(title, 'e2e-new', /^Reprotect now$/, 'reprotect-5');
    await jobSucceeds(ui.page, /^Reprotect$/);

    await openPlans(ui);
    const failback = 'Guided failback';
    await page.getByRole('button', { name: 'Fail back e2e-new' }).click();
    await wizardStep(page, failback, 'Step 1 of 6: Plan').waitFor();
    await wizardNext(ui.page, failback, /Step 2 of 6: Where you are/);
    // Reprotected: phase 1 is done, the failover back is next, read from the pairs on the server.
    const progress = page.getByRole('region', { name: 'Failback progress' });
    await progress
      .getByRole('listitem')
      .filter({ hasText: 'Phase 1: Reprotect' })
      .getByText('(done)')
      .waitFor();
    await progress
      .getByRole('listitem')
      .filter({ hasText: 'Phase 2: Fail over back' })
      .getByText('(you are here)')
      .waitFor();
    await progress.getByText(/Safe now:.*plan the outage window/).waitFor();
    await shootBothThemes(page, 'failback-2-where');
    await wizardNext(ui.page, failback, /Step 3 of 6: Options/);
    await wizardNext(ui.page, failback, /Step 4 of 6: Readiness/);
    const fb = page.getByRole('region', { name: failback });
    await fb
      .getByRole('region', { name: 'Readiness checks' })
      .getByText(/^Ready/)
      .waitFor(long);
    await wizardNext(ui.page, failback, /Step 5 of 6: Dry run/);
    await fb.getByText(/^Dry run finished/).waitFor(long);
    await shootBothThemes(page, 'failback-5-dry-run');
    await wizardNext(ui.page, failback, /Step 6 of 6: Run/);
    await confirmAndRun(failback, 'e2e-new', /^Start failback$/, 'failback-6');
    await jobSucceeds(ui.page, /^Failback$/);
    expect(ui.problems).toEqual([]);
  }, 400_000);

  it('keyboard only: test failover and its cleanup on lab-linux, by Tab, Enter and typing', async () => {
    const { page } = ui;
    await openPlans(ui);
    await page.locator('body').focus();
    await tabTo('Test failover lab-linux');
    await page.keyboard.press('Enter');
    const title = 'Test failover';
    await wizardStep(page, title, 'Step 1 of 5: Plan').waitFor();
    // The new step's heading takes the focus, so a screen reader announces where the operator is.
    expect(await focusedName()).toBe('Step 1 of 5: Plan');
    await tabTo('Next');
    await page.keyboard.press('Enter');
    await wizardStep(page, title, /Step 2 of 5/).waitFor();
    const wizard = page.getByRole('region', { name: title });
    const points = wizard.getByRole('table', { name: 'Chosen recovery points' });
    await points.waitFor(long);
    await expect
      .poll(() => points.getByText('none matches').count(), { timeout: 180_000, interval: 1000 })
      .toBe(0);
    await tabTo('Next');
    await shootBothThemes(page, 'keyboard-focus-next');
    await page.keyboard.press('Enter');
    await wizard
      .getByRole('region', { name: 'Readiness checks' })
      .getByText(/^Ready/)
      .waitFor(long);
    await tabTo('Next: dry run');
    await page.keyboard.press('Enter');
    await wizard.getByText(/^Dry run finished/).waitFor(long);
    await tabTo('Next: run');
    await page.keyboard.press('Enter');
    await tabTo(/^Type the plan name/);
    await page.keyboard.type('lab-linux');
    await page.keyboard.press('Enter');
    await jobSucceeds(ui.page, /^Test failover$/);

    await openPlans(ui);
    await page.locator('body').focus();
    await tabTo('Clean up test lab-linux');
    await page.keyboard.press('Enter');
    const cleanup = 'Clean up a test failover';
    await wizardStep(page, cleanup, 'Step 1 of 3: Plan').waitFor();
    await tabTo('Next');
    await page.keyboard.press('Enter');
    await page
      .getByRole('region', { name: cleanup })
      .getByText(/^Dry run finished/)
      .waitFor(long);
    await tabTo('Next: run');
    await page.keyboard.press('Enter');
    await tabTo(/^Type the plan name/);
    await page.keyboard.type('lab-linux');
    await page.keyboard.press('Enter');
    await jobSucceeds(ui.page, /^Cleanup test$/);
    expect(ui.problems).toEqual([]);
  }, 400_000);
});

/** The accessible name of the focused element, as a screen reader would announce it (roughly). */
function focusedName(): Promise<string> {
  return ui.page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el) return '';
    const label =
      el.getAttribute('aria-label') ?? (el as HTMLInputElement).labels?.[0]?.textContent ?? el.textContent;
    return (label ?? '').trim();
  });
}

/** Presses Tab until the element named `name` has the focus (it must be reachable by keyboard). */
async function tabTo(name: string | RegExp): Promise<void> {
  for (let i = 0; i < 300; i++) {
    const now = await focusedName();
    if (typeof name === 'string' ? now === name : name.test(now)) return;
    await ui.page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${String(name)}`);
}
