import type { Browser, Page } from 'playwright-core';
import type { ConsoleBackendOptions } from '../../core/console/backend';
import { startWebHost, type WebHost } from '../../core/console/webhost';
import { tempBackend } from './backend';
import { launchBrowser, watchProblems } from './browser';
import { ensureRendererBuilt } from './renderer';

export interface OpenConsole {
  page: Page;
  browser: Browser;
  host: WebHost;
  env: Awaited<ReturnType<typeof tempBackend>>;
  /** Console errors, CSP violations and uncaught exceptions seen so far. */
  problems: string[];
  /** Clicks an entry of the sidebar. */
  nav(name: string): Promise<void>;
  close(): Promise<void>;
}

/** The console as an operator opens it: a backend, the web host and a Chromium page on its URL. */
export async function openConsole(
  options: Partial<ConsoleBackendOptions> = {},
  /** The browser's language (the console follows it until a language is chosen); English unless given. */
  browserLocale = 'en-US',
): Promise<OpenConsole> {
  const rendererDir = await ensureRendererBuilt();
  const env = await tempBackend(options);
  const host = await startWebHost({ backend: env.backend, port: 0, rendererDir });
  const browser = await launchBrowser();
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: browserLocale });
  const problems = watchProblems(page);
  await page.goto(host.url);
  await page.locator('.transport-open').waitFor();
  return {
    page,
    browser,
    host,
    env,
    problems,
    nav: (name) => page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name }).click(),
    async close() {
      await browser.close();
      await host.close();
      await env.dispose();
    },
  };
}

/**
 * The console host stops answering, as when `npm run start:web` is stopped; the returned function
 * starts it again on the same address and token, as a restart would, and the page reconnects.
 */
export async function stopHost(ui: OpenConsole): Promise<() => Promise<void>> {
  const { port, token } = ui.host;
  await ui.host.close();
  return async () => {
    ui.host = await startWebHost({
      backend: ui.env.backend,
      port,
      token,
      rendererDir: await ensureRendererBuilt(),
    });
  };
}
