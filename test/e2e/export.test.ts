import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildExport, renderExport } from '../../core/topology/export';
import { openExport } from '../../shared/export/open';
import type { VsphereInventory } from '../../shared/schemas/inventory';
import { launchBrowser, screenshot } from '../support/browser';
import { type OpenConsole, openConsole } from '../support/console';
import { knownParts } from '../support/export';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'siteshift-e2e-export-'));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the HTML export', () => {
  it('opens in Chromium with the network off, draws the diagram and finds a VM with its search box', async () => {
    const { parts, estate } = await knownParts(300);
    const html = await renderExport(buildExport(parts), 'html');
    const file = join(dir, 'estate.html');
    await writeFile(file, html);

    const browser = await launchBrowser();
    try {
      const context = await browser.newContext({ offline: true, viewport: { width: 1440, height: 900 } });
      const requests: string[] = [];
      context.on('request', (r) => {
        if (!r.url().startsWith('file:')) requests.push(r.url());
      });
      await context.route('**/*', (route) =>
        route.request().url().startsWith('file:') ? route.continue() : route.abort(),
      );
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('pageerror', (e) => problems.push(e.message));
      page.on('console', (m) => {
        if (m.type() === 'error') problems.push(m.text());
      });
      await page.goto(`file://${resolve(file)}`);
      const nodes = page.locator('#diagram g.node');
      expect(await nodes.count()).toBeGreaterThan(20);
      await page.locator('#diagram svg').waitFor({ state: 'visible' });
      const box = await page.locator('#diagram svg').boundingBox();
      expect(box!.width).toBeGreaterThan(600);

      // An unprotected VM, drawn inside its host's group: the search finds its row and lights the group.
      const vm = estate.primary.vms[150]!;
      await page.getByRole('searchbox', { name: 'Find a VM, host or plan' }).fill(vm.name);
      await expect.poll(() => page.locator('#match-count').textContent()).toBe('1 match');
      const row = page.locator('#objects tbody tr:not(.hidden)');
      expect(await row.count()).toBe(1);
      expect(await row.first().textContent()).toContain(vm.name);
      expect(await page.locator('#diagram g.node.match').count()).toBe(1);
      await screenshot(page, 'export-html-offline');
      expect(requests).toEqual([]);
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});

describe('File → Export, Open export, drag and drop, and Compare in the console', () => {
  let ui: OpenConsole;
  let first: string;
  let second: string;

  beforeAll(async () => {
    ui = await openConsole({ lab: { server: true } });
    // The lab server, the layout worker and the exports share two cores with the rest of the suite.
    ui.page.setDefaultTimeout(90_000);
  });
  afterAll(async () => {
    await ui?.close();
  });

  async function exportJson(page: Page, name: string): Promise<string> {
    await page.getByRole('button', { name: 'File ▾' }).click();
    await page.getByRole('menuitem', { name: 'Export…', exact: true }).click();
    await page.getByRole('dialog', { name: 'Export the estate' }).waitFor();
    await page.getByRole('radio', { name: /JSON/ }).check();
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: 60_000 }),
      page.getByRole('button', { name: 'Export', exact: true }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^siteshift-.*\.siteshift\.json$/);
    const path = join(dir, name);
    await download.saveAs(path);
    await page.getByText(/Saved siteshift-.*\.siteshift\.json/).waitFor();
    return path;
  }

  it('exports what the console shows, with the lab server plans, as a verifiable JSON', async () => {
    const { page } = ui;
    // The console's lab configuration server (PGlite) starts first: slow on a busy machine.
    await page.getByTestId('topology-map').waitFor({ timeout: 170_000 });
    first = await exportJson(page, 'first.siteshift.json');
    await screenshot(page, 'export-dialog');
    await page.getByRole('button', { name: 'Close' }).click();
    const opened = await openExport(await readFile(first, 'utf8'));
    expect(opened.verification.digest).toBe('valid');
    expect(opened.document.inventories.map((i) => i.name)).toContain('Lab vCenter Amsterdam');
    // The lab server's endpoints are the console's own lab connections: each estate once, not twice.
    expect(opened.document.inventories).toHaveLength(4);
    expect(opened.document.inventories.every((i) => i.via === undefined && i.error === null)).toBe(true);
    expect(opened.document.deployments[0]!.plans.length).toBeGreaterThan(0);
    expect(opened.document.exporter.host).toBe('console (test)');
  }, 300_000);

  it('draws the map as the operator left it: the same boxes at the same places, what was opened open', async () => {
    const { page } = ui;
    const map = page.getByTestId('topology-map');
    // The lab configuration server's part of the map (it starts after the inventories).
    await map
      .getByRole('button', { name: /^Master target / })
      .first()
      .waitFor({ timeout: 170_000 });
    const cluster = map.getByRole('button', { name: /^Cluster .*, collapsed/ }).first();
    const name = (await cluster.getAttribute('aria-label'))!.split(',')[0]!;
    await cluster.click();
    const opened = map.getByRole('button', { name: new RegExp(`^${name}, .*, expanded`) });
    await opened.waitFor();
    const clusterId = (await opened.getAttribute('data-id'))!;
    await page.waitForTimeout(500);
    // Where React Flow put each box: its translate() is the layout's position.
    const onScreen = await map.locator('.react-flow__node').evaluateAll((els) =>
      Object.fromEntries(
        els.map((el) => {
          const m = /translate\(([-\d.]+)px, ?([-\d.]+)px\)/.exec((el as HTMLElement).style.transform)!;
          return [el.getAttribute('data-id')!, { x: Number(m[1]), y: Number(m[2]) }];
        }),
      ),
    );

    await page.getByRole('button', { name: 'File ▾' }).click();
    await page.getByRole('menuitem', { name: 'Export…', exact: true }).click();
    await page.getByRole('radio', { name: /SVG/ }).check();
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: 60_000 }),
      page.getByRole('button', { name: 'Export', exact: true }).click(),
    ]);
    const path = join(dir, 'map.svg');
    await download.saveAs(path);
    await page.getByRole('button', { name: 'Close' }).click();
    const svg = await readFile(path, 'utf8');
    const inSvg: Record<string, { x: number; y: number }> = {};
    // An export names its configuration servers by their place in the file (cs:export-0), the
    // console by its connection (cs:lab-configserver): the boxes are the same.
    for (const m of svg.matchAll(
      /<g class="node" data-id="([^"]+)"[^>]* transform="translate\(([-\d.]+),([-\d.]+)\)">/g,
    ))
      inSvg[m[1]!.replace(/&amp;/g, '&').replace(/^cs:export-0/, 'cs:lab-configserver')] = {
        x: Number(m[2]),
        y: Number(m[3]),
      };
    expect(Object.keys(inSvg).sort()).toEqual(Object.keys(onScreen).sort());
    // One shift for the picture's margin and title, the same for every box.
    const id0 = Object.keys(onScreen)[0]!;
    const dx = inSvg[id0]!.x - onScreen[id0]!.x;
    const dy = inSvg[id0]!.y - onScreen[id0]!.y;
    for (const [id, p] of Object.entries(onScreen)) {
      expect(inSvg[id]!.x - p.x, id).toBeCloseTo(dx, 0);
      expect(inSvg[id]!.y - p.y, id).toBeCloseTo(dy, 0);
    }
    // The opened cluster is drawn open, the others folded with their counts.
    const own = svg.slice(svg.indexOf(`data-id="${clusterId}"`));
    expect(own.slice(0, own.indexOf('</g>'))).toContain('▾');
    const folded = svg.match(/<g class="node" data-id="[^"]+" data-kind="cluster"[\s\S]*?<\/g>/g)!;
    expect(folded.filter((g) => g.includes('▸') && / hosts? · /.test(g)).length).toBe(folded.length - 1);
  }, 300_000);

  it('opens the export read-only under the offline banner, with topology, inventory and plans', async () => {
    const { page } = ui;
    await page.getByTestId('open-export-input').setInputFiles(first);
    await page
      .getByTestId('offline-banner')
      .getByText(/Offline snapshot of/)
      .waitFor();
    await page
      .getByTestId('verification')
      .getByText(/Digest verified.*not signed/)
      .waitFor();
    await page.getByTestId('topology-map').getByText('Lab vCenter Amsterdam').waitFor({ timeout: 60_000 });
    // React Flow fits the view after its first measurement: let it settle before the picture.
    await page.waitForTimeout(1500);
    expect(await page.getByRole('button', { name: 'Refresh' }).count()).toBe(0);
    await screenshot(page, 'export-offline-topology');

    await page.getByRole('tab', { name: /Inventory/ }).click();
    await page.getByLabel('Find in the snapshot inventory').fill('ams-');
    expect(await page.getByTestId('snapshot-inventory').locator('tbody tr').count()).toBeGreaterThan(10);
    await screenshot(page, 'export-offline-inventory');

    await page.getByRole('tab', { name: /Plans/ }).click();
    expect(await page.getByTestId('snapshot-plan').count()).toBeGreaterThan(0);
    await screenshot(page, 'export-offline-plans');

    await page.getByRole('tab', { name: /Protected machines/ }).click();
    await screenshot(page, 'export-offline-pairs');

    await page.getByRole('tab', { name: /Master targets/ }).click();
    const mt = page.getByTestId('snapshot-master-target');
    const exported = (await openExport(await readFile(first, 'utf8'))).document.deployments[0]!.masterTargets;
    expect(await mt.count()).toBe(exported.length);
    expect(await mt.locator('tbody tr').count()).toBe(exported.reduce((n, m) => n + m.slots.length, 0));
    await screenshot(page, 'export-offline-master-targets');
    await page.getByRole('button', { name: 'Close snapshot' }).click();
    await page.getByTestId('offline-banner').waitFor({ state: 'detached' });
  }, 120_000);

  async function drop(page: Page, files: Array<{ name: string; text: string }>) {
    await page.evaluate((list) => {
      const dt = new DataTransfer();
      for (const f of list) dt.items.add(new File([f.text], f.name, { type: 'application/json' }));
      window.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
      window.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    }, files);
  }

  it('warns clearly when a dropped export was altered, and refuses a damaged one', async () => {
    const { page } = ui;
    const text = await readFile(first, 'utf8');
    await drop(page, [
      { name: 'tampered.siteshift.json', text: text.replace('Lab vCenter Amsterdam', 'Lab vCenter Evil') },
    ]);
    const warning = page.getByTestId('verification');
    await warning.getByText(/Do not trust this file/).waitFor();
    await warning.getByText(/altered or damaged after it was exported/).waitFor();
    await screenshot(page, 'export-offline-tampered');
    await page.getByRole('button', { name: 'Close snapshot' }).click();

    await drop(page, [{ name: 'damaged.siteshift.json', text: text.slice(0, 2000) }]);
    await page
      .getByRole('alert')
      .getByText(/damaged\.siteshift\.json is not a readable Siteshift export/)
      .waitFor();
    expect(await page.getByTestId('offline-banner').count()).toBe(0);
    await screenshot(page, 'export-damaged');
    await page.getByRole('button', { name: 'Dismiss' }).click();

    await drop(page, [{ name: 'package.json', text: '{"name":"x","version":"1.0.0"}' }]);
    await page
      .getByRole('alert')
      .getByText(/no "kind": "siteshift-export" marker/)
      .waitFor();
    await page.getByRole('button', { name: 'Dismiss' }).click();
  }, 60_000);

  it('compares two exports taken before and after a change to the estate', async () => {
    const { page } = ui;
    const [primary] = await ui.env.backend.labSources();
    const doc = (await primary!.source!.fetchInventory()) as VsphereInventory;
    const vm = doc.vms[3]!;
    primary!.source!.mutate('vms', vm.id, (v) => {
      const disks = v.disks as VsphereInventory['vms'][number]['disks'];
      disks[0]!.capacityBytes += 20 * 1024 ** 3;
    });
    second = await exportJson(page, 'second.siteshift.json');
    await page.getByRole('button', { name: 'Close' }).click();

    await page.getByTestId('compare-exports-input').setInputFiles([second, first]);
    const table = page.getByTestId('diff-table');
    await table.waitFor();
    const row = table.locator('tr.change-disk-resized');
    expect(await row.count()).toBe(1);
    expect(await row.textContent()).toContain(vm.name);
    await screenshot(page, 'export-diff');
    await page.getByRole('button', { name: 'Close comparison' }).click();
  }, 180_000);

  it('signs with the key chosen in Settings → Exports and shows a file signed by a trusted key as trusted', async () => {
    const { page } = ui;
    const keyPath = join(dir, 'export-signing.pem');
    const { generateKeyPairSync, createPublicKey } = await import('node:crypto');
    const { privateKey } = generateKeyPairSync('ed25519');
    await writeFile(keyPath, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    const { keyFingerprint } = await import('../../core/topology/export');
    const fp = keyFingerprint(createPublicKey(privateKey).export({ type: 'spki', format: 'der' }));

    await ui.nav('Settings');
    const card = page.getByRole('region', { name: 'Exports' });
    await card.scrollIntoViewIfNeeded();
    // A path that holds no key is refused in the card, saying what is wrong.
    await card.getByLabel('Signing key file').fill(join(dir, 'no-such-key.pem'));
    await card.getByRole('button', { name: 'Use this key' }).click();
    await card
      .getByRole('alert')
      .getByText(/Cannot read the export signing key .*no-such-key\.pem/)
      .waitFor();
    await card.getByLabel('Signing key file').fill(keyPath);
    await card.getByRole('button', { name: 'Use this key' }).click();
    await card.getByTestId('signing-status').getByText(fp).waitFor();
    await card.getByRole('button', { name: 'Trust my signing key when opening exports' }).click();
    await card.getByTestId('trusted-keys').getByText('This console').waitFor();
    await card.screenshot({ path: 'test-results/settings-exports.png' });
    expect(JSON.stringify(await ui.env.backend.settings.get())).not.toContain('PRIVATE KEY');

    const signed = await exportJson(page, 'signed.siteshift.json');
    await page.getByTestId('export-signing').getByText(fp).waitFor();
    await page.getByText(/Saved siteshift-.*signed with SHA256:/).waitFor();
    await screenshot(page, 'export-dialog-signed');
    await page.getByRole('button', { name: 'Close' }).click();
    const opened = await openExport(await readFile(signed, 'utf8'));
    expect(opened.verification).toMatchObject({ signature: 'valid', keyFingerprint: fp });

    await page.getByTestId('open-export-input').setInputFiles(signed);
    const banner = page.getByTestId('verification');
    await banner.getByText(/signed by This console \(key SHA256:.*\), a key you trust/).waitFor();
    expect(await banner.getAttribute('class')).toContain('banner-ok');
    await page.getByTestId('topology-map').getByText('Lab vCenter Amsterdam').waitFor({ timeout: 60_000 });
    await screenshot(page, 'export-offline-trusted');

    // Trust withdrawn (from the desktop or another window): the open file is judged again at once.
    await ui.env.backend.updateSettings({ export: { trustedKeys: [] } });
    await banner.getByText(/not one of the keys you trust/).waitFor();
    expect(await banner.getAttribute('class')).toContain('banner-warning');
    await screenshot(page, 'export-offline-untrusted');
    await page.getByRole('button', { name: 'Close snapshot' }).click();
    await ui.env.backend.updateSettings({ export: { signingKeyPath: null } });
  }, 240_000);

  it('cancels an export under way from the dialog, and nothing is downloaded', async () => {
    const { page } = ui;
    // An export that waits until it is cancelled stands in for a slow vCenter or server.
    const handlers = ui.env.backend.handlers as unknown as Record<
      string,
      (input: unknown, ctx: { signal: AbortSignal }) => Promise<unknown>
    >;
    const real = handlers['export:create']!;
    let aborted = false;
    handlers['export:create'] = (_input, { signal }) =>
      new Promise((_resolve, reject) => {
        signal.addEventListener('abort', () => {
          aborted = true;
          reject(signal.reason);
        });
      });
    const downloads: string[] = [];
    page.on('download', (d) => downloads.push(d.suggestedFilename()));
    try {
      await page.getByRole('button', { name: 'File ▾' }).click();
      await page.getByRole('menuitem', { name: 'Export…', exact: true }).click();
      const dialog = page.getByRole('dialog', { name: 'Export the estate' });
      await dialog.getByRole('button', { name: 'Export', exact: true }).click();
      await dialog.getByRole('button', { name: 'Cancel export' }).click();
      await dialog.getByText('Export cancelled: nothing was saved.').waitFor();
      await expect.poll(() => aborted).toBe(true);
      await screenshot(page, 'export-dialog-cancelled');
      await dialog.getByRole('button', { name: 'Close' }).click();
      expect(downloads).toEqual([]);
      expect(await page.getByRole('alert').count()).toBe(0);
    } finally {
      handlers['export:create'] = real;
    }
  }, 60_000);

  it('reacts to the desktop menu: app:command export opens the dialog, open-export with a path opens the file', async () => {
    const { page } = ui;
    const backend = ui.env.backend as unknown as { emit(name: string, payload: unknown): void };
    backend.emit('app:command', { command: 'export' });
    await page.getByRole('dialog', { name: 'Export the estate' }).waitFor();
    await page.getByRole('button', { name: 'Close' }).click();
    backend.emit('app:command', { command: 'open-export', path: first });
    await page
      .getByTestId('offline-banner')
      .getByText(/first\.siteshift\.json/)
      .waitFor();
    // File › Compare Exports… in the desktop shell picks the files with its own dialog.
    backend.emit('app:command', { command: 'compare-exports', paths: [second, first] });
    await page.getByTestId('diff-table').locator('tr.change-disk-resized').waitFor();
    backend.emit('app:command', { command: 'compare-exports', paths: [first] });
    await page
      .getByRole('alert')
      .getByText(/Choose exactly two exports/)
      .waitFor();
    await page.getByRole('button', { name: 'Dismiss' }).click();
    await page.getByRole('button', { name: 'Close comparison' }).click();
    backend.emit('app:command', { command: 'open-export', path: first });
    await page
      .getByTestId('offline-banner')
      .getByText(/first\.siteshift\.json/)
      .waitFor();
    // Settings from the menu leaves the snapshot for the live Settings screen.
    backend.emit('app:command', { command: 'settings' });
    await page.getByTestId('offline-banner').waitFor({ state: 'detached' });
    expect(ui.problems).toEqual([]);
  }, 60_000);
});
