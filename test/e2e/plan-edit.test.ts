import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigServerClient } from '../../core/configserver';
import type { LabEstate } from '../../core/lab';
import type { Job } from '../../shared/schemas/job';
import { axeViolations } from '../support/axe';
import { mapStandsStill, screenshot } from '../support/browser';
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
 * Hyper-V machines and stored plans in the console, on the lab, as an operator drives them (by
 * role and accessible name): a Hyper-V VM picked on the map is protected through the Protect
 * wizard (replica server, policy as Hyper-V Replica takes it, readiness, dry run, typed name) to a
 * finished job, a vSphere VM beside it is refused with what to do; a plan is edited (policy and
 * boot order), its changes reviewed and applied; an edit the server refuses (a machine taken out
 * while its test failover runs) shows the server's words at the field.
 */
let estate: LabEstate;
let ui: OpenConsole;
let admin: ConfigServerClient;
const long = { timeout: 120_000 };
const hvVm = 'ams-hv-lab-01';

beforeAll(async () => {
  ({ ui, estate } = await openFastLabConsole({
    timing: { hypervInitialCopyMs: 1500 },
    onLab: (url, token) => {
      admin = new ConfigServerClient({ url, token });
    },
  }));
}, 180_000);

afterAll(async () => {
  admin?.close();
  await ui?.close();
});

const map = () => ui.page.getByTestId('topology-map');
const node = (name: RegExp) => map().getByRole('button', { name });

/** Types the plan name, starts protect and follows the job the wizard hands over until it succeeds. */
async function protectNow(title: string, plan: string) {
  const wizard = ui.page.getByRole('region', { name: title });
  await wizard.getByLabel(/^Type the plan name/).fill(plan);
  await wizard.getByRole('button', { name: /^Protect now$/ }).click();
  return jobSucceeds(ui.page, /^Protect$/, 120_000);
}

/**
 * From an applied edit on to protect: the button that leads there, then readiness (ready; `note`
 * shown there) and the dry run, once finished: its region.
 */
async function protectAfterEdit(title: string, button: string, note?: RegExp) {
  const wizard = ui.page.getByRole('region', { name: title });
  await wizard.getByRole('button', { name: button }).click();
  await wizardStep(ui.page, title, 'Step 6 of 8: Readiness').waitFor();
  if (note) await wizard.getByText(note).waitFor();
  await wizard
    .getByRole('region', { name: 'Readiness checks' })
    .getByText(/^Ready/)
    .waitFor(long);
  await wizardNext(ui.page, title, /Step 7 of 8: Dry run/);
  const dry = wizard.getByRole('region', { name: 'Dry run' });
  await dry.getByText(/^Dry run finished: \d+ changes? would be made/).waitFor(long);
  return dry;
}

async function waitJob(id: string): Promise<Job> {
  for (;;) {
    const job = await admin.getJob(id);
    if (['succeeded', 'failed', 'cancelled'].includes(job.state)) return job;
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('Hyper-V machines and stored plans in the console', () => {
  it("ticks a Hyper-V VM on Inventory's Hyper-V table and opens the Protect wizard with it", async () => {
    const { page } = ui;
    await ui.nav('Inventory');
    await page.getByRole('tab', { name: /Lab Hyper-V Amsterdam/ }).click(long);
    await page.getByRole('checkbox', { name: `Select ${hvVm}` }).check(long);
    await screenshot(page, 'e2e-inventory-hyperv-selected');
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Protect 1 selected…' }).click();
    const wizard = page.getByRole('region', { name: 'Protect machines' });
    await wizardStep(page, 'Protect machines', 'Step 1 of 7: Machines').waitFor(long);
    await wizard
      .getByRole('region', { name: 'Machines' })
      .getByText(/^1 chosen .* 1 Hyper-V/)
      .waitFor(long);
    await wizard.getByRole('button', { name: 'Cancel' }).click();
    // The replica host's VMs are replicas: protected from their primary, never ticked here.
    await ui.nav('Inventory');
    await page.getByRole('tab', { name: /Lab Hyper-V Rotterdam/ }).click(long);
    await page.getByRole('tabpanel').getByText('ams-hv-sql-01', { exact: true }).waitFor(long);
    expect(await page.getByRole('checkbox', { name: /^Select / }).count()).toBe(0);
  }, 300_000);

  it('protects a Hyper-V VM picked on the map, through its replica server, to a finished job', async () => {
    const { page } = ui;
    const title = 'Protect machines';
    await openPlans(ui);
    // A vSphere VM no pair protects (it arrives after the lab seed), chosen beside the Hyper-V one.
    const [vsphereVm] = addFreeWindowsVms(estate, 'ams-w-mix', 1) as [string];
    await ui.nav('Topology');
    const host = node(/^Hyper-V host hv-ams-01/);
    await host.waitFor(long);
    await host.click();
    await expect.poll(() => host.getAttribute('aria-expanded')).toBe('true');
    const details = page.getByRole('region', { name: 'Map details' });
    // Focus brings the VM into view (React Flow pans to it); the click waits for the map to stand
    // still (one during the opened host's fit lands beside the node on a loaded machine).
    const vm = node(new RegExp(`^Hyper-V VM ${hvVm},`));
    await vm.focus();
    await mapStandsStill(page);
    await vm.click();
    await details.getByText('Not protected').waitFor();
    await screenshot(page, 'e2e-map-hyperv-vm');
    await details.getByRole('button', { name: /^Protect/ }).click();

    const wizard = page.getByRole('region', { name: title });
    await wizardStep(page, title, 'Step 1 of 7: Machines').waitFor(long);
    const machines = wizard.getByRole('region', { name: 'Machines' });
    await machines.getByLabel('Filter machines').fill(hvVm);
    await expect
      .poll(() => machines.getByRole('checkbox', { name: `Protect ${hvVm}` }).isChecked(), long)
      .toBe(true);
    // Beside a vSphere VM: refused, with what to do, and a button that does it.
    await machines.getByLabel('Filter machines').fill(vsphereVm);
    await machines.getByRole('checkbox', { name: `Protect ${vsphereVm}` }).check();
    await wizard.getByRole('button', { name: 'Next' }).click();
    await wizard
      .getByText(/^✕ You chose 1 vSphere machine and 1 Hyper-V machine\. They replicate differently/)
      .waitFor();
    await shootBothThemes(page, 'hyperv-1-mixed');
    expect(await axeViolations(page)).toEqual([]);
    await wizard.getByRole('button', { name: 'Keep only the Hyper-V machine' }).click();
    await machines.getByLabel('Filter machines').fill('');
    await machines.getByText(/^1 chosen .* 1 Hyper-V/).waitFor();
    await shootBothThemes(page, 'hyperv-1-machines');
    await wizardNext(ui.page, title, /Step 2 of 7: Target/);

    // No master target: the target site's Hyper-V Replica server.
    const replica = wizard.getByRole('region', { name: 'Replica server (Hyper-V Replica)' });
    await replica.getByText(/hv-rtm-01\.lab\.local/).waitFor(long);
    await replica.getByText('accepts replication (Certificate, port 443)').waitFor();
    expect(await wizard.getByLabel('Master target').count()).toBe(0);
    await shootBothThemes(page, 'hyperv-2-target');
    expect(await axeViolations(page)).toEqual([]);
    await wizardNext(ui.page, title, /Step 3 of 7: Mappings/);
    await wizard.getByText(/^Nothing to map: Hyper-V Replica keeps the machine’s network adapters/).waitFor();
    await shootBothThemes(page, 'hyperv-3-mappings');
    await wizardNext(ui.page, title, /Step 4 of 7: Policy and boot order/);

    await wizard.getByLabel('Plan name').fill('e2e-hyperv');
    await wizard.getByLabel(/^Retention/).fill('48');
    await wizard
      .getByText(
        'Hyper-V Replica keeps at most 24 hourly recovery points: the Hyper-V machines keep 24 hours.',
      )
      .waitFor();
    await wizard.getByText(/Hyper-V Replica sends changes every 5 min, keeps 24 recovery points/).waitFor();
    await shootBothThemes(page, 'hyperv-4-policy');
    expect(await axeViolations(page)).toEqual([]);
    await wizardNext(ui.page, title, /Step 5 of 7: Readiness/);
    await wizard
      .getByRole('region', { name: 'Readiness checks' })
      .getByText(/^Ready/)
      .waitFor(long);
    await shootBothThemes(page, 'hyperv-5-readiness');
    await wizardNext(ui.page, title, /Step 6 of 7: Dry run/);
    const dry = wizard.getByRole('region', { name: 'Dry run' });
    await dry.getByText(/^Dry run finished: \d+ changes? would be made/).waitFor(long);
    expect(await dry.textContent()).toContain(`would enable Hyper-V Replica of ${hvVm}`);
    await shootBothThemes(page, 'hyperv-6-dry-run');
    await wizardNext(ui.page, title, /Step 7 of 7: Run/);
    await wizard
      .getByText(/Hyper-V Replica is enabled on the source host towards hv-rtm-01\.lab\.local/)
      .waitFor();
    await shootBothThemes(page, 'hyperv-7-run');
    const job = await protectNow(title, 'e2e-hyperv');
    await job
      .getByText(/Hyper-V: wait for initial replication/)
      .first()
      .waitFor();
    await shootBothThemes(page, 'hyperv-job');
    const pair = (await admin.listPairs()).find((p) => p.sourceVmName === hvVm);
    expect(pair).toMatchObject({ platform: 'hyperv', state: 'protected' });
  }, 400_000);

  it('edits a plan: policy and boot order, the changes reviewed, applied after the name is typed', async () => {
    const { page } = ui;
    await openPlans(ui);
    const stored = await admin.getPlan('lab-windows');
    const rpo = stored.policy.rpoThresholdMinutes;
    const vm = stored.machines[0]!.vm;
    const group = stored.machines[0]!.bootGroup;
    await page.getByRole('button', { name: 'Edit plan lab-windows' }).click();
    const title = 'Edit plan lab-windows';
    const wizard = page.getByRole('region', { name: title });
    await wizardStep(page, title, 'Step 1 of 5: Machines').waitFor(long);
    await wizard
      .getByRole('region', { name: 'Machines' })
      .getByText(/^\d+ chosen/)
      .waitFor(long);
    await shootBothThemes(page, 'edit-1-machines');
    await wizardNext(ui.page, title, /Step 2 of 5: Target/);
    expect(await wizard.getByLabel('Master target').inputValue()).toBe(stored.target.masterTarget);
    await wizardNext(ui.page, title, /Step 3 of 5: Mappings/);
    await wizardNext(ui.page, title, /Step 4 of 5: Policy and boot order/);
    expect(await wizard.getByLabel('Plan name').getAttribute('readonly')).not.toBeNull();
    await wizard.getByLabel('RPO threshold (minutes)').fill(String(rpo + 15));
    await wizard.getByRole('button', { name: `Boot ${vm} later` }).click();
    await shootBothThemes(page, 'edit-4-policy');
    await wizard.getByRole('button', { name: 'Review changes' }).click();
    await wizardStep(page, title, /Step 5 of 5: Review and apply/).waitFor();
    const changes = wizard.getByRole('table', { name: 'Changes' });
    await changes.waitFor(long);
    const rpoRow = changes.getByRole('row', { name: /policy\.rpoThresholdMinutes/ });
    expect(await rpoRow.getByRole('cell').allTextContents()).toEqual([String(rpo), String(rpo + 15)]);
    await changes.getByRole('row', { name: /machines\[0\]\.bootGroup/ }).waitFor();
    await shootBothThemes(page, 'edit-5-review');
    expect(await axeViolations(page)).toEqual([]);
    await wizard.getByLabel(/^Type the plan name/).fill('lab-window');
    await wizard.getByRole('button', { name: 'Apply changes' }).click();
    await wizard.getByText('That is not the plan name: type lab-windows exactly').waitFor();
    await wizard.getByLabel(/^Type the plan name/).fill('lab-windows');
    await wizard.getByRole('button', { name: 'Apply changes' }).click();
    await wizard.getByText('Plan lab-windows updated: 2 changes applied.').waitFor(long);
    await shootBothThemes(page, 'edit-6-applied');
    expect(await axeViolations(page)).toEqual([]);
    const after = await admin.getPlan('lab-windows');
    expect(after.policy.rpoThresholdMinutes).toBe(rpo + 15);
    expect(after.machines.find((m) => m.vm === vm)!.bootGroup).toBe(group + 1);
    await wizard.getByRole('button', { name: 'Back to plans' }).click();
    await page.getByRole('button', { name: 'Edit plan lab-windows' }).waitFor();
  }, 300_000);

  it('adds a machine to a plan in an edit, then protects it from the same wizard to a finished job', async () => {
    const { page } = ui;
    await openPlans(ui);
    // A vSphere VM that arrives after the lab seed: no pair protects it.
    const [added] = addFreeWindowsVms(estate, 'ams-w-add', 1) as [string];
    const vm = estate.primary.vms.find((v) => v.name === added)!;
    vm.powerState = 'poweredOn';
    vm.disks[0]!.capacityBytes = 2 * 1024 ** 3;
    vm.disks[0]!.fileName = `[ams-vsan-01] ${added}/${added}.vmdk`;
    await page.getByRole('button', { name: 'Edit plan lab-windows' }).click();
    const title = 'Edit plan lab-windows';
    const wizard = page.getByRole('region', { name: title });
    await wizardStep(page, title, 'Step 1 of 5: Machines').waitFor(long);
    const machines = wizard.getByRole('region', { name: 'Machines' });
    await machines.getByLabel('Filter machines').fill(added);
    await machines.getByRole('checkbox', { name: `Protect ${added}` }).check(long);
    await wizardNext(ui.page, title, /Step 2 of 5: Target/);
    await wizardNext(ui.page, title, /Step 3 of 5: Mappings/);
    await wizardNext(ui.page, title, /Step 4 of 5: Policy and boot order/);
    await wizard.getByRole('button', { name: 'Review changes' }).click();
    const changes = wizard.getByRole('table', { name: 'Changes' });
    await changes
      .getByRole('row', { name: new RegExp(`machines\\[\\d+\\] \\(${added}\\) added`) })
      .waitFor(long);
    await wizard.getByLabel(/^Type the plan name/).fill('lab-windows');
    await wizard.getByRole('button', { name: 'Apply changes' }).click();
    await wizard.getByText('Plan lab-windows updated: 1 change applied.').waitFor(long);
    await wizard.getByText(`${added} is in the plan but not protected yet`, { exact: false }).waitFor();
    await shootBothThemes(page, 'edit-7-unpaired');
    expect(await axeViolations(page)).toEqual([]);
    const dry = await protectAfterEdit(
      title,
      'Protect the new machine…',
      /Readiness is checked on the stored plan lab-windows, as applied/,
    );
    expect(await dry.textContent()).toContain(`would protect ${added}`);
    await wizardNext(ui.page, title, /Step 8 of 8: Run/);
    await wizard.getByText(/^Protect 1 machine \(1 disk, 2\.0 GiB\)/).waitFor();
    await shootBothThemes(page, 'edit-8-run');
    // An edit's Cancel never removes the plan.
    expect(await wizard.getByRole('button', { name: 'Cancel and remove the saved plan' }).count()).toBe(0);
    await protectNow(title, 'lab-windows');
    const pair = (await admin.listPairs({ plan: 'lab-windows' })).find((p) => p.sourceVmName === added);
    expect(pair?.state).toBe('protected');
  }, 300_000);

  it("edits a protected Hyper-V plan's policy, then protects it again and the host takes the new policy", async () => {
    const { page } = ui;
    // The Plans screen starts the lab's server (and so makes `admin`) when this test runs alone.
    await openPlans(ui);
    // The Hyper-V plan the map test protected; made here when this test runs alone.
    let plan = (await admin.listPairs()).find(
      (p) => p.sourceVmName === hvVm && p.state === 'protected',
    )?.planId;
    if (!plan) {
      await admin.applyPlan({
        name: 'e2e-hyperv-policy',
        source: { site: 'lab-amsterdam' },
        target: { site: 'lab-rotterdam' },
        machines: [{ vm: hvVm }],
      });
      const job = await admin.createJob({
        kind: 'protect',
        planId: 'e2e-hyperv-policy',
        dryRun: false,
        input: {},
      });
      expect((await waitJob(job.id)).state).toBe('succeeded');
      plan = 'e2e-hyperv-policy';
    }
    const { name } = await admin.getPlan(plan);
    const replication = () => estate.hypervPrimary.vms.find((v) => v.name === hvVm)!.replication!;
    expect(replication().frequencySec).toBe(300);
    await page.getByRole('button', { name: `Edit plan ${name}` }).click();
    const title = `Edit plan ${name}`;
    const wizard = page.getByRole('region', { name: title });
    await wizardStep(page, title, 'Step 1 of 5: Machines').waitFor(long);
    await wizard
      .getByRole('navigation', { name: 'Wizard steps' })
      .getByRole('button', { name: /Policy and boot order/ })
      .click();
    await wizardStep(page, title, /Step 4 of 5: Policy and boot order/).waitFor();
    await wizard.getByLabel('RPO threshold (minutes)').fill('60');
    await wizard.getByRole('button', { name: 'Review changes' }).click();
    await wizard
      .getByText(
        /keeps the Hyper-V Replica settings it was enabled with .* until the plan is protected again/,
      )
      .waitFor(long);
    await wizard.getByLabel(/^Type the plan name/).fill(name);
    await wizard.getByRole('button', { name: 'Apply changes' }).click();
    await wizard.getByText(`Plan ${name} updated: 1 change applied.`).waitFor(long);
    await wizard
      .getByText(/^The Hyper-V machines replicate with the settings they were enabled with/)
      .waitFor();
    await shootBothThemes(page, 'edit-hyperv-policy-applied');
    expect(await axeViolations(page)).toEqual([]);
    // Saved; the host still sends every 5 minutes until protect sets the new policy.
    expect(replication().frequencySec).toBe(300);
    const dry = await protectAfterEdit(title, 'Protect again with the new policy…');
    expect(await dry.textContent()).toContain(
      `would set Hyper-V Replica of ${hvVm} to the plan's policy (every 900 s`,
    );
    await shootBothThemes(page, 'edit-hyperv-policy-dry-run');
    await wizardNext(ui.page, title, /Step 8 of 8: Run/);
    const job = await protectNow(title, name);
    await job
      .getByText(new RegExp(`${hvVm}: Hyper-V Replica set to the plan's policy \\(every 900 s`))
      .waitFor();
    expect(replication()).toMatchObject({ state: 'Replicating', frequencySec: 900 });
  }, 300_000);

  it('an edit the server refuses shows its words at the field, and nothing changes', async () => {
    const { page } = ui;
    // The Plans screen starts the lab's server (and so makes `admin`) when this test runs alone.
    await openPlans(ui);
    // A test failover of lab-linux, started as the CLI would, once its pairs hold recovery points
    // (run alone, the lab has only just started): its machines stay in the plan.
    await expect
      .poll(async () => (await admin.planReadiness('lab-linux', 'test')).ready, { ...long, interval: 1000 })
      .toBe(true);
    const plan = await admin.getPlan('lab-linux');
    const started = await admin.createJob({
      kind: 'test-failover',
      planId: plan.id,
      dryRun: false,
      input: {},
    });
    const done = await waitJob(started.id);
    expect(done.state, done.error ?? '').toBe('succeeded');
    const tested = plan.machines[0]!.vm;
    await openPlans(ui);
    await page.getByRole('button', { name: 'Edit plan lab-linux' }).click();
    const title = 'Edit plan lab-linux';
    const wizard = page.getByRole('region', { name: title });
    await wizardStep(page, title, 'Step 1 of 5: Machines').waitFor(long);
    const machines = wizard.getByRole('region', { name: 'Machines' });
    await machines.getByLabel('Filter machines').fill(tested);
    await machines.getByRole('checkbox', { name: `Protect ${tested}` }).uncheck(long);
    await wizard
      .getByRole('navigation', { name: 'Wizard steps' })
      .getByRole('button', { name: /Review and apply/ })
      .click();
    await wizardStep(page, title, /Step 5 of 5: Review and apply/).waitFor();
    const message = `${tested} cannot leave the plan now: ${tested}'s test failover is running; clean up the test first`;
    await wizard.getByText('The configuration server refuses this change:').waitFor(long);
    await wizard.getByText(message).waitFor();
    expect(await wizard.getByRole('button', { name: 'Apply changes' }).count()).toBe(0);
    await shootBothThemes(page, 'edit-refused-review');
    expect(await axeViolations(page)).toEqual([]);
    await wizard.getByRole('button', { name: 'Go to Machines' }).click();
    await wizardStep(page, title, 'Step 1 of 5: Machines').waitFor();
    await wizard
      .getByRole('list', { name: 'Problems with the chosen machines' })
      .getByText(message)
      .waitFor();
    await shootBothThemes(page, 'edit-refused-field');
    expect(await axeViolations(page)).toEqual([]);
    expect((await admin.getPlan('lab-linux')).machines.map((m) => m.vm)).toContain(tested);
    await wizard.getByRole('button', { name: 'Cancel' }).click();
    await openPlans(ui);
  }, 300_000);
});
