import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VsphereInventory } from '../../shared/schemas/inventory';
import { screenshot } from '../support/browser';
import { type OpenConsole, openConsole } from '../support/console';

let ui: OpenConsole;

beforeAll(async () => {
  ui = await openConsole();
});

afterAll(async () => {
  await ui?.close();
});

describe('the console in Chromium through the web host', () => {
  it('renders the shell with its sidebar and the lab badge', async () => {
    const nav = ui.page.getByRole('navigation', { name: 'Main' });
    for (const item of ['Topology', 'Inventory', 'Protection', 'Jobs', 'Settings']) {
      await nav.getByRole('button', { name: item }).waitFor();
    }
    await ui.page.getByText('LAB ESTATE').waitFor();
    await ui.page.getByText('Connected', { exact: true }).waitFor();
    expect(new URL(ui.page.url()).search).toBe('');
  });

  it('shows the lab topology: both sites, hosts and replication edges', async () => {
    const map = ui.page.getByTestId('topology-map');
    await map.waitFor({ timeout: 30_000 });
    await map.getByText('Primary site').waitFor();
    await map.getByText('Secondary site').waitFor();
    await map.getByText('Lab vCenter Amsterdam').waitFor();
    await map.getByText('hv-rtm-01.lab.local').first().waitFor();
    // Clusters and hosts are folded: the five Hyper-V pairs run as one edge between the two hosts.
    expect(await ui.page.getByTestId('map-node').count()).toBeGreaterThan(8);
    expect(await ui.page.locator('.react-flow__edge.edge-replicates').count()).toBe(1);
    expect(
      await ui.page.locator('.react-flow__edge.edge-replicates').first().getAttribute('aria-label'),
    ).toMatch(/^Replication from hv-ams-01\.lab\.local to hv-rtm-01\.lab\.local: 5 pairs/);
    await ui.page.getByText(/5 replicating/).waitFor();
    await screenshot(ui.page, 'e2e-topology');
  });

  it('lists the inventory and shows a VM powered off through live updates', async () => {
    await ui.page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('button', { name: 'Inventory' })
      .click();
    await ui.page.getByRole('tab', { name: /Lab vCenter Amsterdam/ }).waitFor();
    const [primary] = await ui.env.backend.labSources();
    const doc = await primary!.source!.fetchInventory();
    const vm = (doc as VsphereInventory).vms.find((v) => v.powerState === 'poweredOn');
    const power = ui.page.getByTestId(`power-${vm!.name}`);
    await expect.poll(() => power.textContent()).toBe('On');
    await screenshot(ui.page, 'e2e-inventory');

    primary!.source!.mutate('vms', vm!.id, (v) => {
      v.powerState = 'poweredOff';
    });
    const changedAt = Date.now();
    await expect.poll(() => power.textContent(), { timeout: 2_000, interval: 50 }).toBe('Off');
    expect(Date.now() - changedAt).toBeLessThan(2_000);
  });

  it('shows Hyper-V replication health the way operators read it', async () => {
    await ui.page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('button', { name: 'Protection' })
      .click();
    const table = ui.page.locator('table');
    await table.getByText('ams-hv-sql-01').waitFor();
    await expect.poll(() => table.locator('.badge-critical').count()).toBe(1);
    await expect.poll(() => table.locator('.badge-warning').count()).toBe(1);
    await screenshot(ui.page, 'e2e-protection');
  });

  it('shows the connection manager with the lab connections and the add form', async () => {
    await ui.page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Settings' }).click();
    const list = ui.page.getByRole('table', { name: 'Connections' });
    await list.getByText('Lab vCenter Rotterdam').waitFor();
    await expect.poll(() => list.getByRole('button', { name: 'Remove' }).count()).toBe(0);
    await ui.page.getByRole('button', { name: 'Add connection' }).click();
    await ui.page.getByRole('form', { name: 'Add connection' }).waitFor();
    await screenshot(ui.page, 'e2e-settings');
  });

  it('shows the empty Jobs state', async () => {
    await ui.page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Jobs' }).click();
    await ui.page.getByText('No jobs yet').waitFor();
  });

  it('logged no console error and no CSP violation', () => {
    expect(ui.problems).toEqual([]);
  });

  it('explains a missing token instead of showing a broken console', async () => {
    const other = await ui.browser.newPage();
    await other.goto(`http://127.0.0.1:${ui.host.port}/`);
    await other
      .getByRole('alert')
      .getByText(/without a valid token/)
      .waitFor();
    await screenshot(other, 'e2e-no-token');
    await other.close();
  });
});
