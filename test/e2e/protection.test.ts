import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigServerClient } from '../../core/configserver';
import { type Lab, startLab } from '../../server/lab';
import { labSiteNames } from '../../server/lab/seed';
import { screenshot } from '../support/browser';
import { type OpenConsole, openConsole } from '../support/console';

// A real configuration server (PGlite in memory) seeded with the lab sites, its lab agent driving
// the pairs over the agent API; the console connects to it as an operator would, from Settings.
let lab: Lab;
let ui: OpenConsole;

beforeAll(async () => {
  // A fast copy (20 Gbit/s a pair): the test watches progress move, not the lab's realistic pace.
  lab = await startLab({ vms: 24, agent: { tickMs: 500, rateMbps: 20_000 } });
  ui = await openConsole();
});

afterAll(async () => {
  await ui?.close();
  await lab?.stop();
});

describe('a configuration server in the console', () => {
  it('connects with a token after confirming the endpoint', async () => {
    await ui.nav('Settings');
    await ui.page.getByRole('button', { name: 'Add connection' }).click();
    const form = ui.page.getByRole('form', { name: 'Add connection' });
    await form.getByLabel('Kind').selectOption('configserver');
    await form.getByLabel('Name', { exact: true }).fill('DR configuration server');
    // The console's own address is not a configuration server: refused before anything is sent.
    await form.getByLabel('URL').fill(new URL(ui.host.url).origin);
    await form.getByRole('button', { name: 'Test connection' }).click();
    await form
      .getByRole('alert')
      .filter({ hasText: /this console's own address/ })
      .waitFor();
    await form.getByLabel('URL').fill(lab.url);
    await form.getByLabel('API token').fill('not-a-token');
    // Plain http on 127.0.0.1 has no identity to compare: no trust step, straight to the token.
    await form.getByRole('button', { name: 'Test connection' }).click();
    await form
      .getByRole('alert')
      .filter({ hasText: /refused the token/ })
      .waitFor();
    expect(await form.getByRole('button', { name: 'Trust this identity' }).count()).toBe(0);
    await form.getByLabel('API token').fill(lab.adminToken);
    await form.getByRole('button', { name: 'Test connection' }).click();
    await form.getByText(/Siteshift configuration server .* \(admin token/).waitFor();
    await form.getByRole('button', { name: 'Save' }).click();
    await ui.page.getByRole('table', { name: 'Connections' }).getByText('DR configuration server').waitFor();
  });

  it('lists pairs, process server health and master target slots, updating live', async () => {
    await ui.nav('Protection');
    const pairs = ui.page.getByRole('region', { name: 'Pairs' });
    await pairs.getByText(/of \d+ pairs/).waitFor({ timeout: 20_000 });
    const total = Number((await pairs.getByText(/of \d+ pairs/).textContent())!.match(/of (\d+) pairs/)![1]);
    expect(total).toBe(lab.seed.pairs);
    await ui.page
      .getByRole('region', { name: /^Process server / })
      .first()
      .waitFor();
    await ui.page
      .getByRole('region', { name: /^Master target rtm-mt-win-01/ })
      .getByText(/SCSI slots used/)
      .waitFor();

    // The lab agent reports every 500 ms: initial replication progress moves without a reload.
    const state = pairs.getByTestId(/^pair-state-/).first();
    const before = await state.textContent();
    await expect
      .poll(
        () =>
          pairs
            .getByTestId(/^pair-state-/)
            .first()
            .textContent(),
        { timeout: 15_000 },
      )
      .not.toBe(before);
    await screenshot(ui.page, 'e2e-protection-server');
  });

  it('shows jobs started elsewhere (here through the API), with their steps, live', async () => {
    const admin = new ConfigServerClient({ url: lab.url, token: lab.adminToken });
    try {
      const [pair] = await admin.listPairs();
      const job = await admin.createJob({ kind: 'resync', pairIds: [pair!.id] });
      await ui.nav('Jobs');
      // Started outside this console, it appears in the list and is shown in detail (the newest).
      const item = ui.page
        .getByRole('list', { name: 'Job list' })
        .getByRole('button', { name: /^Resync/ })
        .first();
      await item.waitFor({ timeout: 15_000 });
      // When it started, on the locale's clock, then whose token started it: the lab's token is
      // named with the moment it was made, a second time that ran into the name ("lab-console
      // 7:10:42 AM"); the list leaves it out and the detail says what it is.
      expect(await item.locator('.muted').textContent()).toMatch(
        /^\d{1,2}:\d\d:\d\d\s[AP]M · by lab-console$/,
      );
      // A job for no plan says what it acts on: the pair's machine.
      await item.getByText(`for ${pair!.sourceVmName}`, { exact: true }).waitFor();
      const detail = ui.page.getByRole('article', { name: `Job ${job.id}` });
      await detail.getByRole('heading', { name: 'Resync' }).waitFor({ timeout: 15_000 });
      await detail.getByText(/^Started .+ by lab-console \(token of \d{1,2}:\d\d:\d\d\s[AP]M\) · /).waitFor();
      await expect
        .poll(() => detail.locator('.badge').textContent(), { timeout: 20_000 })
        .toMatch(/succeeded|failed/);
      const steps = detail.getByRole('table', { name: 'Steps' });
      expect(await steps.getByRole('progressbar').count()).toBe(job.steps.length);
      // The log's times are on the same clock as the list's: one way to write a time of day.
      const logged = await detail
        .getByRole('region', { name: 'Log' })
        .locator('.log-line > .muted')
        .allTextContents();
      expect(logged.length).toBeGreaterThan(0);
      for (const time of logged) expect(time).toMatch(/^\d{1,2}:\d\d:\d\d\s[AP]M$/);
      expect(await detail.getByRole('button', { name: 'Cancel job' }).count()).toBe(0);
      await screenshot(ui.page, 'e2e-jobs');

      // Master targets configured one after another read apart by the master target each configures.
      const mt = await admin.configureMasterTarget(
        { site: labSiteNames.secondary, vm: 'rtm-mt-win-01' },
        { dryRun: true },
      );
      const mtItem = ui.page
        .getByRole('list', { name: 'Job list' })
        .getByRole('button', { name: /^Configure master target/ })
        .first();
      await mtItem.getByText('for rtm-mt-win-01', { exact: true }).waitFor({ timeout: 15_000 });
      await mtItem.click();
      await ui.page
        .getByRole('article', { name: `Job ${mt.id}` })
        .locator('header')
        .getByText('for rtm-mt-win-01', { exact: true })
        .waitFor();
    } finally {
      admin.close();
    }
  });

  it('draws the configuration server, its master targets and the pairs on the map', async () => {
    await ui.nav('Topology');
    const map = ui.page.getByTestId('topology-map');
    await map.getByText('DR configuration server').waitFor({ timeout: 20_000 });
    await map.getByText('rtm-mt-win-01').first().waitFor();
    await expect
      .poll(
        () =>
          ui.page
            .locator('.react-flow__edge.edge-replicates')
            .evaluateAll(
              (es) => es.filter((e) => / to rtm-mt-\w+-01: /.test(e.getAttribute('aria-label') ?? '')).length,
            ),
        { timeout: 10_000 },
      )
      .toBeGreaterThan(0);
    await screenshot(ui.page, 'e2e-topology-server');
    expect(ui.problems).toEqual([]);
  });
});
