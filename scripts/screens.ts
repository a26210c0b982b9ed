/**
 * The README's screenshots, taken the way an operator opens the console on a bigger lab: `siteshift
 * lab --vms 300 --web --memory` (with a data folder of its own, removed at the end, so no one's
 * settings change: test/support/lab-process.ts), then
 * Chromium at 1440×900 on each screen. `npm run screens` writes docs/screens/*.png.
 *
 * `--all --out DIR` shoots every screen and wizard at 1440×900 and 1024×768, in English and Dutch,
 * light and dark (named screen-width-language-theme.png), to look at layout and translation;
 * language and theme follow the browser's, as the console does until the operator chooses.
 * Run `npm run build:renderer` first: the lab serves dist/renderer.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { launchBrowser } from '../test/support/browser';
import { startLabProcess } from '../test/support/lab-process';

const args = process.argv.slice(2);
const all = args.includes('--all');
const only = (flag: string) => {
  const i = args.indexOf(flag);
  return i >= 0 ? args[i + 1]! : null;
};
const outIndex = args.indexOf('--out');
const out = outIndex >= 0 ? args[outIndex + 1]! : 'docs/screens';

type Lang = 'en' | 'nl';
/** The few words the script clicks, in the console's two languages. */
const words = {
  en: {
    protectMachines: 'Protect machines…',
    testFailover: /^Test failover /,
    tabs: 'Endpoints',
    cancel: 'Cancel',
    addConnection: 'Add connection',
  },
  nl: {
    protectMachines: 'Machines beveiligen…',
    testFailover: /^Testfailover /,
    tabs: 'Eindpunten',
    cancel: 'Annuleren',
    addConnection: 'Verbinding toevoegen',
  },
} as const;

/**
 * What does not fit (with --all): a page that scrolls sideways, and words the console cut short
 * (a clipped label, a header ending in "…"). Data cells of the tables are left out: their tooltip
 * carries the whole value.
 */
async function misfits(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const content = document.querySelector('main.content');
    if (content && content.scrollWidth > content.clientWidth + 1)
      out.push(`the page scrolls sideways: ${content.scrollWidth} > ${content.clientWidth}`);
    for (const el of document.querySelectorAll<HTMLElement>('main *, aside *')) {
      // Table cells have a tooltip with the whole value; screen-reader-only text is meant to be 1 px.
      if (el.closest('.vtable-row, [data-testid="topology-map"], .sr-only')) continue;
      const style = getComputedStyle(el);
      if (style.overflowX === 'visible' || el.children.length > 0) continue;
      const text = (el.textContent ?? '').trim();
      const clippedX = el.scrollWidth > el.clientWidth + 1;
      const clippedY = el.scrollHeight > el.clientHeight + 1 && style.overflowY !== 'auto';
      if (text && (clippedX || clippedY))
        out.push(`cut: <${el.tagName.toLowerCase()} class="${el.className}"> ${text.slice(0, 60)}`);
    }
    for (const el of document.querySelectorAll<HTMLInputElement>('main input[placeholder]')) {
      const probe = document.createElement('span');
      const style = getComputedStyle(el);
      probe.style.font = style.font;
      probe.style.position = 'absolute';
      probe.style.whiteSpace = 'pre';
      probe.textContent = el.placeholder;
      document.body.append(probe);
      const room =
        el.clientWidth - Number.parseFloat(style.paddingLeft) - Number.parseFloat(style.paddingRight);
      if (!el.value && probe.offsetWidth > room + 1) out.push(`cut placeholder: ${el.placeholder}`);
      probe.remove();
    }
    return out;
  });
}

const navButton = (page: Page, index: number) => page.locator('nav .nav-item').nth(index);

/** Protection, scrolled (its page scrolls) so that the part `selector` names is in view. */
async function protection(page: Page, selector?: string, block?: ScrollLogicalPosition): Promise<void> {
  await navButton(page, 2).click();
  await page.locator('.vtable-row').first().waitFor({ timeout: 60_000 });
  if (selector)
    await page
      .locator(selector)
      .last()
      .evaluate((el, b) => el.scrollIntoView({ block: b }), block);
}

/** Each screen: how to reach it from anywhere, and what shows it is drawn. */
const screens: Array<{ name: string; docs: boolean; show: (page: Page, lang: Lang) => Promise<void> }> = [
  {
    name: 'topology',
    docs: true,
    show: async (page) => {
      await navButton(page, 0).click();
      await page.getByTestId('map-node').first().waitFor({ timeout: 120_000 });
      // The map as it opens: a readable zoom on what needs attention.
      await page.waitForTimeout(1500);
    },
  },
  {
    name: 'inventory',
    docs: true,
    show: async (page, lang) => {
      await navButton(page, 1).click();
      await page.getByRole('tablist', { name: words[lang].tabs }).getByRole('tab').first().click();
      await page.locator('.vtable-row').first().waitFor({ timeout: 60_000 });
    },
  },
  {
    name: 'inventory-hyperv',
    docs: false,
    show: async (page, lang) => {
      await navButton(page, 1).click();
      await page.getByRole('tablist', { name: words[lang].tabs }).getByRole('tab').nth(2).click();
      await page.locator('.vtable-row').first().waitFor({ timeout: 60_000 });
    },
  },
  { name: 'protection', docs: true, show: (page) => protection(page) },
  // The table of pairs, then the Hyper-V Replica card at the page's end.
  { name: 'protection-pairs', docs: false, show: (page) => protection(page, '.table-pane', 'start') },
  { name: 'protection-hyperv', docs: false, show: (page) => protection(page, 'main section.card', 'end') },
  {
    name: 'plans',
    docs: false,
    show: async (page) => {
      await navButton(page, 3).click();
      await page.locator('main table').first().waitFor({ timeout: 60_000 });
    },
  },
  {
    name: 'wizard-protect',
    docs: false,
    show: async (page, lang) => {
      await navButton(page, 3).click();
      await page.getByRole('button', { name: words[lang].protectMachines }).click();
      await page.locator('.vtable-row, main table tbody tr').first().waitFor({ timeout: 60_000 });
    },
  },
  {
    name: 'wizard-test-failover',
    docs: false,
    show: async (page, lang) => {
      await navButton(page, 3).click();
      await page.getByRole('button', { name: words[lang].testFailover }).first().click();
      await page.waitForTimeout(1500);
    },
  },
  {
    name: 'jobs',
    docs: true,
    show: async (page) => {
      await navButton(page, 4).click();
      const first = page.locator('.job-item').first();
      await first.waitFor({ timeout: 60_000 });
      await first.click();
    },
  },
  {
    name: 'settings',
    docs: true,
    show: async (page) => {
      await navButton(page, 5).click();
      await page.locator('main table').first().waitFor({ timeout: 60_000 });
    },
  },
  {
    name: 'settings-add',
    docs: false,
    show: async (page, lang) => {
      await navButton(page, 5).click();
      await page.getByRole('button', { name: words[lang].addConnection }).click();
      await page.waitForTimeout(300);
    },
  },
];

const lab = await startLabProcess(['--vms', '300', '--memory'], {
  log: (text) => process.stderr.write(text),
});
const { url } = lab;
const browser = await launchBrowser().catch(async (err) => {
  await lab.stop();
  throw err;
});
try {
  await mkdir(out, { recursive: true });
  // --width, --lang and --theme narrow --all to one size, language or theme.
  const sizes = (
    all
      ? [
          { width: 1440, height: 900 },
          { width: 1024, height: 768 },
        ]
      : [{ width: 1440, height: 900 }]
  ).filter((s) => !only('--width') || String(s.width) === only('--width'));
  const langs = (all ? (['en', 'nl'] as const) : (['en'] as const)).filter(
    (l) => !only('--lang') || l === only('--lang'),
  );
  const themes = (all ? (['light', 'dark'] as const) : (['light'] as const)).filter(
    (t) => !only('--theme') || t === only('--theme'),
  );
  for (const viewport of sizes)
    for (const lang of langs)
      for (const theme of themes) {
        const page = await browser.newPage({
          viewport,
          locale: lang === 'nl' ? 'nl-NL' : 'en-US',
          colorScheme: theme,
        });
        await page.goto(url);
        await page.locator('.transport-open').waitFor({ timeout: 60_000 });
        for (const screen of screens) {
          if (!all && !screen.docs) continue;
          await screen.show(page, lang);
          const file = all ? `${screen.name}-${viewport.width}-${lang}-${theme}.png` : `${screen.name}.png`;
          await page.screenshot({ path: join(out, file) });
          process.stdout.write(`${join(out, file)}\n`);
          if (all) for (const m of await misfits(page)) process.stdout.write(`  ${m}\n`);
          // A wizard ends by leaving it: the next screen starts from the sidebar.
          const cancel = page.getByRole('button', { name: words[lang].cancel, exact: true });
          if (screen.name.startsWith('wizard') && (await cancel.count())) await cancel.first().click();
          if (screen.name === 'settings-add' && (await cancel.count())) await cancel.first().click();
        }
        await page.close();
      }
} finally {
  await browser.close();
  await lab.stop();
}
