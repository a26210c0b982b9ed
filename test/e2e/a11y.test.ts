import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot } from '../support/browser';
import { type OpenConsole, openConsole } from '../support/console';

/**
 * axe-core on every screen of the console, in the light and the dark theme: no violation at all
 * (WCAG 2 A and AA rules and axe's best practices). axe runs in the page through the DevTools
 * protocol, which the console's Content-Security-Policy does not govern; the page itself loads
 * nothing new.
 */
let ui: OpenConsole;
let axeSource: string;

beforeAll(async () => {
  axeSource = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  ui = await openConsole();
});

afterAll(async () => {
  await ui?.close();
});

const screens = ['Topology', 'Inventory', 'Protection', 'Plans', 'Jobs', 'Settings'];

async function violations(): Promise<string[]> {
  await ui.page.evaluate(axeSource);
  const result = await ui.page.evaluate(() =>
    (
      window as unknown as {
        axe: {
          run(
            ctx: Document,
            o: object,
          ): Promise<{ violations: Array<{ id: string; nodes: Array<{ target: string[] }> }> }>;
        };
      }
    ).axe.run(document, { resultTypes: ['violations'] }),
  );
  return result.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')}`));
}

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
