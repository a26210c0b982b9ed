import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleConnectors } from '../../core/console/connectors';
import { startWebHost, type WebHost } from '../../core/console/webhost';
import { openVsphere, VmOperations, vmRef } from '../../core/vsphere';
import type { VsphereInventory } from '../../shared/schemas/inventory';
import { tempBackend } from '../support/backend';
import { launchBrowser, screenshot, watchProblems } from '../support/browser';
import { ensureRendererBuilt } from '../support/renderer';
import { startVcsim, type Vcsim } from '../vcsim/harness';

let browser: Browser;
let host: WebHost;
let env: Awaited<ReturnType<typeof tempBackend>>;
let page: Page;
let vcsim: Vcsim;
let problems: string[];

beforeAll(async () => {
  const rendererDir = await ensureRendererBuilt();
  vcsim = await startVcsim({ clusters: 1, clusterHosts: 2, vmsPerPool: 3 });
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
  await vcsim?.stop();
});

const nav = (name: string) =>
  page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name }).click();

describe('a vCenter in the console (vcsim)', () => {
  it('adds the vCenter after the operator confirms its certificate thumbprint', async () => {
    await nav('Settings');
    await page.getByRole('button', { name: 'Add connection' }).click();
    const form = page.getByRole('form', { name: 'Add connection' });
    await form.getByLabel('Name', { exact: true }).fill('vCenter primary');
    await form.getByLabel('URL').fill(vcsim.url);
    await form.getByLabel('User', { exact: true }).fill(vcsim.username);
    await form.getByLabel('Password', { exact: true }).fill(vcsim.password);
    await form.getByRole('button', { name: 'Test connection' }).click();
    await form.getByText(/SHA-256 certificate thumbprint/).waitFor();
    const shown = (await form.getByRole('alert').first().textContent()) ?? '';
    expect(shown.replace(/:/g, '').toLowerCase()).toContain(vcsim.thumbprint.replace(/:/g, '').toLowerCase());
    await screenshot(page, 'e2e-vcenter-thumbprint');
    await form.getByRole('button', { name: 'Trust this identity' }).click();
    await form.getByRole('button', { name: 'Test connection' }).click();
    await form.getByText(/Identity verified/).waitFor({ timeout: 30_000 });
    await form.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('table', { name: 'Connections' }).getByText('vCenter primary').waitFor();
  });

  it('shows the inventory tree and VM table, and a VM powered off in vCenter turns Off within 2 s', async () => {
    await nav('Inventory');
    await page.getByRole('tab', { name: /vCenter primary/ }).click();
    await page
      .getByRole('navigation', { name: 'Inventory tree' })
      .getByText('DC0', { exact: false })
      .first()
      .waitFor();

    const direct = await openVsphere(
      { kind: 'vsphere', url: vcsim.url, username: vcsim.username },
      { password: vcsim.password },
      { kind: 'thumbprint', thumbprint: vcsim.thumbprint },
    );
    try {
      const doc = (await direct.fetchInventory()) as VsphereInventory;
      const vm = doc.vms.find((v) => v.powerState === 'poweredOn')!;
      const power = page.getByTestId(`power-${vm.name}`);
      await expect.poll(() => power.textContent(), { timeout: 15_000 }).toBe('On');
      await screenshot(page, 'e2e-vcenter-inventory');

      await new VmOperations(direct.client).powerOff(vmRef(vm.id));
      const changedAt = Date.now();
      await expect.poll(() => power.textContent(), { timeout: 2_000, interval: 50 }).toBe('Off');
      expect(Date.now() - changedAt).toBeLessThan(2_000);
    } finally {
      await direct.close();
    }
    expect(problems).toEqual([]);
  });
});
