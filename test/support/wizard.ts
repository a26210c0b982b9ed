import { mkdir } from 'node:fs/promises';
import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import { createLabEstate, type LabEstate, type LabTiming, setLabTiming } from '../../core/lab';
import { startLab } from '../../server/lab';
import { labServerConnection } from '../../server/lab/console';
import { type OpenConsole, openConsole } from './console';

/**
 * The console on a 12-VM lab whose operations take 20 ms and whose agent copies fast and never
 * fails: the wizards are under test, not the agent's pace (its 60-500 GiB disks take minutes on a
 * busy host). `timing` overrides the lab's timing; `onLab` gets the lab server's URL and admin token.
 */
export async function openFastLabConsole(
  options: { timing?: Partial<LabTiming>; onLab?: (url: string, adminToken: string) => void } = {},
): Promise<{ ui: OpenConsole; estate: LabEstate }> {
  const estate = createLabEstate({ vms: 12 });
  setLabTiming(estate, {
    powerOnMs: 20,
    powerOffMs: 20,
    shutdownGuestMs: 20,
    createVmMs: 20,
    deleteVmMs: 20,
    reconfigureMs: 20,
    createDiskMs: 20,
    deleteFileMs: 20,
    snapshotMs: 20,
    ...options.timing,
  });
  const ui = await openConsole({
    lab: { estate },
    startLabServer: async (dataDir, labEstate) => {
      const lab = await startLab({
        dataDir,
        estate: labEstate,
        agent: { tickMs: 250, rateMbps: 50_000_000, burstChance: 0, errorChance: 0 },
        log: () => undefined,
      });
      options.onLab?.(lab.url, lab.adminToken);
      return { connection: labServerConnection(lab.url, async () => lab.adminToken), stop: () => lab.stop() };
    },
  });
  return { ui, estate };
}

/**
 * Screenshots of a wizard step in the light and the dark theme (1440×900, the console's
 * viewport), named test-results/wizard-NAME-light.png and -dark.png.
 */
export async function shootBothThemes(page: Page, name: string): Promise<void> {
  await mkdir('test-results', { recursive: true });
  for (const theme of ['light', 'dark'] as const) {
    await page.evaluate((t) => {
      document.documentElement.dataset.theme = t;
    }, theme);
    await page.screenshot({ path: `test-results/wizard-${name}-${theme}.png` });
  }
  await page.evaluate(() => {
    document.documentElement.dataset.theme = 'light';
  });
}

/** The wizard region and its current step heading ("Step 2 of 7: Target"). */
export function wizardStep(page: Page, title: string, step: RegExp | string): Locator {
  return page.getByRole('region', { name: title }).getByRole('heading', { name: step });
}

/** Next in a wizard, then wait for the step it leads to. */
export async function wizardNext(page: Page, title: string, step: RegExp): Promise<void> {
  await page.getByRole('region', { name: title }).getByRole('button', { name: /^Next/ }).click();
  await wizardStep(page, title, step).waitFor();
}

/** The Plans screen, once the lab's plans are listed. */
export async function openPlans(ui: OpenConsole): Promise<void> {
  await ui.nav('Plans');
  await ui.page
    .getByRole('table', { name: 'Plans' })
    .getByRole('rowheader', { name: 'lab-windows' })
    .waitFor({ timeout: 120_000 });
}

/** The job a wizard handed over, on the Jobs screen: it must end succeeded (its text says why not). */
export async function jobSucceeds(page: Page, heading: RegExp, timeout = 180_000): Promise<Locator> {
  const job = page.getByRole('article', { name: /^Job / });
  await job.getByRole('heading', { name: heading }).waitFor({ timeout: 120_000 });
  await expect
    .poll(() => job.locator('header .badge').textContent(), { timeout, interval: 500 })
    .toMatch(/succeeded|failed|cancelled/);
  const state = await job.locator('header .badge').textContent();
  if (state !== 'succeeded') throw new Error(`${heading} ended ${state}: ${await job.textContent()}`);
  return job;
}
