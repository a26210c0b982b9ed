import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

let source: Promise<string> | null = null;

/**
 * axe-core's violations on the page as it is now (WCAG 2 A and AA rules and axe's best
 * practices), one line per node: "rule: selector". axe runs in the page through the DevTools
 * protocol, which the console's Content-Security-Policy does not govern.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  source ??= readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  await page.evaluate(await source);
  const result = await page.evaluate(() =>
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
