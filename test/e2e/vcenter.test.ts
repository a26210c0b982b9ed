import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { realConnectors } from '../../core/connectors';
import { VmOperations, vmRef } from '../../core/vsphere';
import type { VsphereInventory } from '../../shared/schemas/inventory';
import { screenshot } from '../support/browser';
import { type OpenConsole, openConsole } from '../support/console';
import { openSim, startVcsim, type Vcsim } from '../vcsim/harness';

let vcsim: Vcsim;
let ui: OpenConsole;

beforeAll(async () => {
  vcsim = await startVcsim({ clusters: 1, clusterHosts: 2, vmsPerPool: 3 });
  ui = await openConsole({ connectors: realConnectors });
});

afterAll(async () => {
  await ui?.close();
  await vcsim?.stop();
});

describe('a vCenter in the console (vcsim)', () => {
  it('adds the vCenter after the operator confirms its certificate thumbprint', async () => {
    await ui.nav('Settings');
    await ui.page.getByRole('button', { name: 'Add connection' }).click();
    const form = ui.page.getByRole('form', { name: 'Add connection' });
    await form.getByLabel('Name', { exact: true }).fill('vCenter primary');
    await form.getByLabel('URL').fill(vcsim.url);
    await form.getByLabel('User', { exact: true }).fill(vcsim.username);
    await form.getByLabel('Password', { exact: true }).fill(vcsim.password);
    await form.getByRole('button', { name: 'Test connection' }).click();
    await form.getByText(/SHA-256 certificate thumbprint/).waitFor();
    const shown = (await form.getByRole('alert').first().textContent()) ?? '';
    expect(shown.replace(/:/g, '').toLowerCase()).toContain(vcsim.thumbprint.replace(/:/g, '').toLowerCase());
    await screenshot(ui.page, 'e2e-vcenter-thumbprint');
    await form.getByRole('button', { name: 'Trust this identity' }).click();
    await form.getByRole('button', { name: 'Test connection' }).click();
    await form.getByText(/Identity verified/).waitFor({ timeout: 30_000 });
    await form.getByRole('button', { name: 'Save' }).click();
    await ui.page.getByRole('table', { name: 'Connections' }).getByText('vCenter primary').waitFor();
  });

  it('shows the inventory tree and VM table, and a VM powered off in vCenter turns Off within 2 s', async () => {
    await ui.nav('Inventory');
    await ui.page.getByRole('tab', { name: /vCenter primary/ }).click();
    await ui.page
      .getByRole('navigation', { name: 'Inventory tree' })
      .getByText('DC0', { exact: false })
      .first()
      .waitFor();

    const direct = await openSim(vcsim);
    try {
      const doc = (await direct.fetchInventory()) as VsphereInventory;
      const vm = doc.vms.find((v) => v.powerState === 'poweredOn')!;
      const power = ui.page.getByTestId(`power-${vm.name}`);
      await expect.poll(() => power.textContent(), { timeout: 15_000 }).toBe('On');
      await screenshot(ui.page, 'e2e-vcenter-inventory');

      await new VmOperations(direct.client).powerOff(vmRef(vm.id));
      const changedAt = Date.now();
      await expect.poll(() => power.textContent(), { timeout: 2_000, interval: 50 }).toBe('Off');
      expect(Date.now() - changedAt).toBeLessThan(2_000);
    } finally {
      await direct.close();
    }
    expect(ui.problems).toEqual([]);
  });
});
