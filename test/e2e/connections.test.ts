import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { realConnectors } from '../../core/connectors';
import { type HypervDoublePair, startHypervDoublePair } from '../hyperv-double';
import { screenshot } from '../support/browser';
import { type OpenConsole, openConsole } from '../support/console';

let ui: OpenConsole;
let hv: HypervDoublePair;

beforeAll(async () => {
  hv = await startHypervDoublePair({ replicating: ['db01'] });
  ui = await openConsole({ connectors: realConnectors });
});

afterAll(async () => {
  await ui?.close();
  await hv?.stop();
});

const form = () => ui.page.getByRole('form', { name: 'Add connection' });
const fill = (label: string, value: string) => form().getByLabel(label, { exact: true }).fill(value);

describe('adding a Hyper-V host from the connection manager', () => {
  it('shows the host key for confirmation, then signs in, saves, and replaces the lab', async () => {
    await ui.nav('Settings');
    await ui.page.getByRole('button', { name: 'Add connection' }).click();
    await form().getByLabel('Kind').selectOption('hyperv');
    await fill('Name', 'Hyper-V primary');
    await fill('Host', hv.primary.host);
    await fill('Port', String(hv.primary.port));
    await fill('User', hv.credentials.username);
    await fill('Password', 'wrong-password');

    await form().getByRole('button', { name: 'Test connection' }).click();
    await form().getByText(hv.primary.fingerprint, { exact: false }).waitFor();
    await screenshot(ui.page, 'e2e-confirm-host-key');
    await form().getByRole('button', { name: 'Trust this identity' }).click();

    await form().getByRole('button', { name: 'Test connection' }).click();
    await form()
      .getByRole('alert')
      .filter({ hasText: /password|credential|authentic/i })
      .waitFor();
    await screenshot(ui.page, 'e2e-wrong-password');

    // Correcting the password keeps the confirmed identity: no second confirmation.
    await fill('Password', hv.credentials.password);
    await form().getByRole('button', { name: 'Test connection' }).click();
    await form()
      .getByText(/Identity verified/)
      .waitFor();
    await form().getByRole('button', { name: 'Save' }).click();

    const table = ui.page.getByRole('table', { name: 'Connections' });
    await table.getByText('Hyper-V primary').waitFor();
    await expect.poll(() => table.getByText('Lab vCenter Amsterdam').count()).toBe(0);
    await table.getByText(hv.primary.fingerprint).waitFor();
    await expect.poll(() => ui.page.getByText('LAB ESTATE').count()).toBe(0);
    await screenshot(ui.page, 'e2e-connection-saved');
  });

  it('shows the host and its VMs in inventory and on the map', async () => {
    await ui.nav('Inventory');
    await ui.page.getByRole('tab', { name: /Hyper-V primary/ }).click();
    await ui.page.getByText('db01', { exact: true }).waitFor();
    await ui.page.getByText('web01', { exact: true }).waitFor();
    await screenshot(ui.page, 'e2e-hyperv-inventory');
    await ui.nav('Topology');
    await ui.page.getByTestId('topology-map').getByText('HV-PRIMARY').waitFor();
  });

  it('warns that the identity changed when the host presents a new key, and keeps the old pin', async () => {
    const pinned = hv.primary.fingerprint;
    await hv.primary.double.rotateHostKey();
    await ui.nav('Settings');
    const table = ui.page.getByRole('table', { name: 'Connections' });
    await table
      .getByRole('row', { name: /^Hyper-V primary/ })
      .getByRole('button', { name: 'Test' })
      .click();
    const result = table.getByRole('status', { name: 'Hyper-V primary test result' });
    await result.getByText(/Identity changed/).waitFor();
    const text = (await result.textContent()) ?? '';
    expect(text).toContain(hv.primary.double.fingerprint);
    expect(text).toContain(pinned);
    expect(hv.primary.double.fingerprint).not.toBe(pinned);
    // The saved pin is unchanged: the console does not follow the new key.
    await table.getByText(pinned, { exact: true }).waitFor();
    await screenshot(ui.page, 'e2e-identity-changed');
    expect(ui.problems).toEqual([]);
  });
});
