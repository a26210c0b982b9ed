import type { Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigServerClient } from '../../core/configserver';
import { screenshot } from '../support/browser';
import type { OpenConsole } from '../support/console';
import { openFastLabConsole, openPlans } from '../support/wizard';

/**
 * The notices of ended jobs when many end at once (a plan's dry runs, a lab's batch): a few on
 * screen, newest first, the rest folded into one line that opens the Jobs screen; each dismissable;
 * succeeded ones go by themselves once the pointer leaves them.
 */
let ui: OpenConsole;
let admin: ConfigServerClient;

beforeAll(async () => {
  const lab = { url: '', token: '' };
  ({ ui } = await openFastLabConsole({ onLab: (url, token) => Object.assign(lab, { url, token }) }));
  await openPlans(ui);
  admin = new ConfigServerClient(lab);
}, 180_000);

type Box = { x: number; y: number; width: number; height: number };
const overlaps = (a: Box, b: Box) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/**
 * The rows (their part inside the page's scrolled area, which is what the operator sees) that a
 * notice lies over, by their text; none is the answer wanted.
 */
async function rowsUnderNotices(notices: Locator, rows: Locator): Promise<string[]> {
  const page = notices.page();
  const seen = (await page.locator('main#main').boundingBox())!;
  const boxes = await Promise.all((await notices.all()).map(async (n) => (await n.boundingBox())!));
  const covered: string[] = [];
  for (const row of await rows.all()) {
    const box = await row.boundingBox();
    if (!box || !overlaps(box, seen)) continue;
    const top = Math.max(box.y, seen.y);
    const shown = { ...box, y: top, height: Math.min(box.y + box.height, seen.y + seen.height) - top };
    if (boxes.some((b) => overlaps(b, shown))) covered.push((await row.textContent())!.trim().slice(0, 60));
  }
  return covered;
}

afterAll(async () => {
  admin?.close();
  await ui?.close();
});

describe('the notices of ended jobs', () => {
  it('fold ten jobs ending together into three notices and "and 7 more"', async () => {
    const region = ui.page.getByRole('region', { name: 'Ended jobs' });
    const notices = region.getByRole('status');
    // A dry run refuses a plan whose pairs have no recovery point yet: wait until they have one.
    await expect
      .poll(async () => (await admin.planReadiness('lab-linux', 'test')).ready, {
        timeout: 120_000,
        interval: 1000,
      })
      .toBe(true);
    const jobs = [];
    for (let i = 0; i < 10; i++)
      jobs.push(await admin.createJob({ kind: 'test-failover', planId: 'lab-linux', dryRun: true }));
    // Held under the pointer from the first notice on: on a slow machine the ten may take longer to
    // end than a success's notice stays.
    await notices.first().hover({ timeout: 60_000 });
    await region.getByText('and 7 more ended jobs').waitFor({ timeout: 60_000 });
    expect(await notices.count()).toBe(3);
    const ended = await Promise.all(jobs.map((j) => admin.getJob(j.id)));
    expect(ended.every((j) => j.state === 'succeeded')).toBe(true);
    // They cover a corner, not the screen: less than half the window's height.
    const box = (await region.boundingBox())!;
    expect(box.height).toBeLessThan(900 / 2);
    // Beside the sidebar, whose foot says whether the console is connected: never over it.
    const status = (await ui.page.getByText('Connected', { exact: true }).boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(status.x + status.width);
    // Each says which plan its job ran for.
    for (const notice of await notices.all()) expect(await notice.textContent()).toContain('plan lab-linux');
    await screenshot(ui.page, 'e2e-ended-jobs-folded');
    // Over no row of the plans the operator is looking at.
    const planRows = ui.page.getByRole('table', { name: 'Plans' }).getByRole('row');
    expect(await rowsUnderNotices(region, planRows)).toEqual([]);

    // A dismissed notice makes room for the next folded one.
    await notices.first().getByRole('button', { name: 'Dismiss' }).click();
    await region.getByText('and 6 more ended jobs').waitFor();
    expect(await notices.count()).toBe(3);
    await region.getByRole('button', { name: 'Open Jobs' }).click();
    const list = ui.page.getByRole('list', { name: 'Job list' });
    await list.waitFor();
    // The list says which plan each job ran for, as the notices do.
    await expect.poll(async () => (await list.getByText('plan lab-linux').count()) >= 10).toBe(true);
    await screenshot(ui.page, 'e2e-jobs-with-plans');
    expect(await region.getByText(/more ended jobs?$/).count()).toBe(0);
    expect(await notices.count()).toBe(3);
    // Over no job of the list, at the console's size and at a small laptop's.
    const jobRows = list.getByRole('listitem');
    expect(await rowsUnderNotices(region, jobRows)).toEqual([]);
    await ui.page.setViewportSize({ width: 1024, height: 768 });
    expect(await rowsUnderNotices(region, jobRows)).toEqual([]);
    await screenshot(ui.page, 'e2e-jobs-with-notices-1024');
    await ui.page.setViewportSize({ width: 1440, height: 900 });
    // Kept while the pointer is on them; gone a few seconds after it leaves.
    await ui.page.waitForTimeout(11_000);
    expect(await notices.count()).toBe(3);
    await ui.page.mouse.move(1000, 200);
    await expect.poll(() => notices.count(), { timeout: 10_000 }).toBe(0);
  });
});
