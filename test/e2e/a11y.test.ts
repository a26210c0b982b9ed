import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations } from '../support/axe';
import { screenshot } from '../support/browser';
import { type OpenConsole, openConsole } from '../support/console';

/**
 * axe-core on every screen of the console, in the light and the dark theme: no violation at all
 * (WCAG 2 A and AA rules and axe's best practices; test/support/axe.ts); the page itself loads
 * nothing new.
 */
let ui: OpenConsole;

beforeAll(async () => {
  ui = await openConsole();
});

afterAll(async () => {
  await ui?.close();
});

const screens = ['Topology', 'Inventory', 'Protection', 'Plans', 'Jobs', 'Settings'];

const violations = () => axeViolations(ui.page);

describe('accessibility', () => {
  for (const theme of ['light', 'dark'] as const) {
    it(`every screen has no axe violation in the ${theme} theme`, async () => {
      await ui.page.evaluate((t) => {
        document.documentElement.dataset.theme = t;
      }, theme);
      const found: string[] = [];
      for (const screen of screens) {
        await ui.nav(screen);
        await ui.page.getByRole('heading', { level: 1 }).first().waitFor();
        // The live data of the screen, where it has some, before judging it.
        if (screen === 'Topology') await ui.page.getByTestId('topology-map').waitFor({ timeout: 30_000 });
        if (screen === 'Inventory')
          await ui.page
            .getByTestId(/^power-/)
            .first()
            .waitFor({ timeout: 30_000 });
        found.push(...(await violations()).map((v) => `${screen}: ${v}`));
        await screenshot(ui.page, `a11y-${screen.toLowerCase()}-${theme}`);
      }
      expect(found).toEqual([]);
    });
  }
});
