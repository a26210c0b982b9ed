import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigServerClient } from '../../core/configserver';
import { type Lab, startLab } from '../../server/lab';
import { labServerConnection } from '../../server/lab/console';
import { screenshot } from '../support/browser';
import { type OpenConsole, openConsole, stopHost } from '../support/console';

/**
 * What the console shows when things go wrong: a job that fails, and a console host that goes
 * away (the data on screen goes stale, says since when, and comes back when the host does).
 * The lab server has no agent: its pairs stay without a recovery point, so a test failover fails.
 */
let ui: OpenConsole;
let lab: Lab | null = null;

beforeAll(async () => {
  ui = await openConsole({
    lab: {},
    startLabServer: async (dataDir, estate) => {
      lab = await startLab({ dataDir, estate, agent: false, log: () => undefined });
      const running = lab;
      return {
        connection: labServerConnection(running.url, async () => running.adminToken),
        stop: () => running.stop(),
      };
    },
  });
  // The lab server (PGlite, seeded) starts with the console's lab: wait until Protection reads it.
  await ui.nav('Protection');
  await ui.page
    .getByRole('region', { name: 'Summary' })
    .getByText('machines at risk')
    .waitFor({ timeout: 280_000 });
}, 300_000);

afterAll(async () => {
  await ui?.close();
});

describe('error states', () => {
  it('shows a failed job as failed, with its error, and tells the operator it ended', async () => {
    await ui.nav('Jobs');
    await ui.page.getByRole('list', { name: 'Job list' }).waitFor();
    const admin = new ConfigServerClient({ url: lab!.url, token: lab!.adminToken });
    try {
      const job = await admin.createJob({ kind: 'test-failover', planId: 'lab-linux' });
      const detail = ui.page.getByRole('article', { name: `Job ${job.id}` });
      await detail.getByRole('heading', { name: 'Test failover' }).waitFor({ timeout: 30_000 });
      await expect
        .poll(() => detail.locator('header .badge').textContent(), { timeout: 60_000 })
        .toBe('failed');
      const error = (await admin.getJob(job.id)).error!;
      expect(error.length).toBeGreaterThan(0);
      await detail
        .getByRole('alert')
        .filter({ hasText: error.slice(0, 40) })
        .first()
        .waitFor();
      // The notice every screen shows when a job this console watched ends.
      const notice = ui.page.getByRole('region', { name: 'Ended jobs' }).getByRole('status');
      await notice.filter({ hasText: 'Test failover failed' }).waitFor({ timeout: 30_000 });
      await screenshot(ui.page, 'e2e-job-failed');
      await notice.getByRole('button', { name: 'Dismiss' }).click();
      expect(await notice.count()).toBe(0);
    } finally {
      admin.close();
    }
  });

  it('marks everything stale when the console host goes away, retries on Refresh, and recovers', async () => {
    await ui.nav('Protection');
    const summary = ui.page.getByRole('region', { name: 'Summary' });
    await summary.getByText('machines at risk').waitFor();
    const restart = await stopHost(ui);

    const banner = ui.page.getByRole('alert').filter({ hasText: /^Stale since \d{1,2}:\d\d:\d\d\s[AP]M\./ });
    await banner.waitFor({ timeout: 10_000 });
    // What was read before stays on screen, greyed, not passed off as live.
    await summary.getByText('machines at risk').waitFor();
    expect(await ui.page.locator('main.content.stale').count()).toBe(1);
    await banner.getByRole('button', { name: 'Retry now' }).click();
    await banner
      .getByText(/Retrying/)
      .first()
      .waitFor();
    await screenshot(ui.page, 'e2e-stale-protection');

    // The map is drawn from what the console had, not left "Loading the map layout…".
    await ui.nav('Topology');
    await ui.page.getByTestId('topology-map').waitFor({ timeout: 30_000 });
    expect(await ui.page.getByText('Loading the map layout').count()).toBe(0);
    await screenshot(ui.page, 'e2e-stale-topology');

    // The host comes back on the same address: the banner goes and the screens read again.
    await restart();
    await banner.waitFor({ state: 'detached', timeout: 30_000 });
    expect(await ui.page.locator('main.content.stale').count()).toBe(0);
  });
});
