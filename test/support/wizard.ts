import { mkdir } from 'node:fs/promises';
import type { Locator, Page } from 'playwright-core';

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
