import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleConnectors } from '../../core/console/connectors';
import { startWebHost, type WebHost } from '../../core/console/webhost';
import { type HypervDoublePair, startHypervDoublePair } from '../hyperv-double';
import { tempBackend } from '../support/backend';
import { launchBrowser, screenshot, watchProblems } from '../support/browser';
import { ensureRendererBuilt } from '../support/renderer';

let browser: Browser;
let host: WebHost;
let env: Awaited<ReturnType<typeof tempBackend>>;
let page: Page;
let hv: HypervDoublePair;
let problems: string[];

beforeAll(async () => {
  const rendererDir = await ensureRendererBuilt();
  hv = await startHypervDoublePair({ replicating: ['db01'] });
  env = await tempBackend({ connectors: consoleConnectors });
  host = await startWebHost({ backend: env.backend, port: 0, rendererDir });
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  problems = watchProblems(page);
  await page.goto(host.url);
  await page.getByText('Connected', { exact: true }).waitFor();
});

afterAll(async () => {
  await browser?.close();
  await host?.close();
  await env?.dispose();
  await hv?.stop();
});

async function fill(label: string, value: string) {
  await page.getByRole('form', { name: 'Add connection' }).getByLabel(label, { exact: true }).fill(value);
}

describe('adding a Hyper-V host from the connection manager', () => {
  it('shows the host key for confirmation, then signs in, saves, and replaces the lab', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Settings' }).click();
    await page.getByRole('button', { name: 'Add connection' }).click();
    const form = page.getByRole('form', { name: 'Add connection' });
    await form.getByLabel('Kind').selectOption('hyperv');
    await fill('Name', 'Hyper-V primary');
    await fill('Host', hv.primary.host);
    await fill('Port', String(hv.primary.port));
    await fill('User', hv.credentials.username);
    await fill('Password', 'wrong-password');

    await form.getByRole('button', { name: 'Test connection' }).click();
    await form.getByText(hv.primary.fingerprint, { exact: false }).waitFor();
    await screenshot(page, 'e2e-confirm-host-key');
    await form.getByRole('button', { name: 'Trust this identity' }).click();

    await form.getByRole('button', { name: 'Test connection' }).click();
    await form
      .getByRole('alert')
      .filter({ hasText: /password|credential|authentic/i })
      .waitFor();
    await screenshot(page, 'e2e-wrong-password');

    // Correcting the password keeps the confirmed identity: no second confirmation.
    await fill('Password', hv.credentials.password);
    await form.getByRole('button', { name: 'Test connection' }).click();
    await form.getByText(/Identity verified/).waitFor();
    await form.getByRole('button', { name: 'Save' }).click();

    const table = page.getByRole('table', { name: 'Connections' });
    await table.getByText('Hyper-V primary').waitFor();
    await expect.poll(() => table.getByText('Lab vCenter Amsterdam').count()).toBe(0);
    await table.getByText(hv.primary.fingerprint).waitFor();
    await expect.poll(() => page.getByText('LAB ESTATE').count()).toBe(0);
    await screenshot(page, 'e2e-connection-saved');
  });

  it('shows the host and its VMs in inventory and on the map', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Inventory' }).click();
    await page.getByRole('tab', { name: /Hyper-V primary/ }).click();
    await page.getByText('db01', { exact: true }).waitFor();
    await page.getByText('web01', { exact: true }).waitFor();
    await screenshot(page, 'e2e-hyperv-inventory');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Topology' }).click();
    await page.getByTestId('topology-map').getByText('HV-PRIMARY').waitFor();
  });

  it('warns that the identity changed when the host presents a new key, and keeps the old pin', async () => {
    await hv.primary.double.rotateHostKey();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Settings' }).click();
    const row = page
      .getByRole('table', { name: 'Connections' })
      .getByRole('row', { name: /Hyper-V primary/ });
    await row.getByRole('button', { name: 'Test' }).click();
    await row.getByText(/Identity changed/).waitFor();
    await row
      .getByText(/Identity changed/)
      .getByText(hv.primary.double.fingerprint, { exact: false })
      .count();
    await screenshot(page, 'e2e-identity-changed');
    expect(problems).toEqual([]);
  });
});
