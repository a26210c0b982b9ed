import { mkdir, rm } from 'node:fs/promises';
import type { Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsoleBackend } from '../../core/console/backend';
import { webHostSettings } from '../../core/console/secret-storage';
import { type OpenConsole, openConsole } from '../support/console';

/** Relative luminance (0 black … 1 white) of an element's computed background or text colour. */
async function luminance(el: Locator, property: 'background-color' | 'color' = 'background-color') {
  const css = await el.evaluate((node, p) => getComputedStyle(node).getPropertyValue(p), property);
  const [r, g, b] = (css.match(/[\d.]+/g) ?? []).slice(0, 3).map((v) => {
    const c = Number(v) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

let c: OpenConsole;
let storage: ReturnType<typeof webHostSettings>;
const dataDir = `${process.env.TMPDIR ?? '/tmp'}/siteshift-e2e-settings-${process.pid}`;

beforeAll(async () => {
  await mkdir('test-results', { recursive: true });
  // The web host's settings: no keychain, so secrets stay in memory unless the key file is chosen.
  storage = webHostSettings(dataDir, '/home/operator/.config/siteshift/logs');
  c = await openConsole({ vault: storage.vault, settingsHost: storage.settingsHost });
});
afterAll(async () => {
  await c?.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('Settings: preferences', () => {
  it('shows where secrets go, lets the operator choose the theme and, after confirming, the key file', async () => {
    const { page } = c;
    await c.nav('Settings');
    const secrets = page.getByRole('region', { name: 'Secrets' });
    await expect.poll(() => secrets.getByRole('status').textContent()).toMatch(/kept in memory only/);
    await page.getByRole('heading', { name: 'Preferences' }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: 'test-results/settings-preferences-light.png', fullPage: true });

    await page
      .getByRole('region', { name: 'Appearance' })
      .getByRole('combobox', { name: /^Theme/ })
      .selectOption('dark');
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    expect((await c.env.backend.settings.get()).theme).toBe('dark');
    // Everything the dark theme opens is dark too: the File menu and its Export dialog included.
    await page.getByRole('button', { name: 'File ▾' }).click();
    expect(await luminance(page.getByRole('menu', { name: 'File' }))).toBeLessThan(0.2);
    await page.getByRole('menuitem', { name: 'Export…', exact: true }).click();
    const exportDialog = page.getByRole('dialog', { name: 'Export the estate' });
    expect(await luminance(exportDialog)).toBeLessThan(0.2);
    expect(await luminance(exportDialog, 'color')).toBeGreaterThan(0.6);
    await exportDialog.getByRole('button', { name: 'Close' }).click();

    // The key file needs an explicit confirmation; cancelling keeps memory only.
    await secrets.getByLabel(/sealed with a key file/).check();
    const confirm = page.getByRole('alertdialog', { name: 'Confirm key file' });
    await confirm.waitFor();
    await page.screenshot({ path: 'test-results/settings-preferences-dark-confirm.png', fullPage: true });
    await confirm.getByRole('button', { name: 'Keep them in memory' }).click();
    expect((await c.env.backend.settings.get()).secretFallback).toBe('memory');
    await secrets.getByLabel(/sealed with a key file/).check();
    await confirm.getByRole('button', { name: 'Use the key file' }).click();
    await expect
      .poll(() => secrets.getByRole('status').textContent())
      .toBe(
        `The browser console has no access to an OS keychain. As you chose, secrets are sealed with the key file ${dataDir}/vault.key (readable only by you); anyone who can read your files can read that key.`,
      );
    expect(storage.vault.kind).toBe('key-file');
    // The host reports facts, the console words them: in Dutch the same note is Dutch.
    await page
      .getByRole('region', { name: 'Appearance' })
      .getByRole('combobox', { name: /^Language/ })
      .selectOption('nl');
    const geheimen = page.getByRole('region', { name: 'Geheimen' });
    await expect
      .poll(() => geheimen.getByRole('status').textContent())
      .toBe(
        `De browserconsole heeft geen toegang tot een sleutelhanger van het besturingssysteem. Zoals u koos, worden geheimen verzegeld met het sleutelbestand ${dataDir}/vault.key (alleen door u leesbaar); wie uw bestanden kan lezen, kan ook die sleutel lezen.`,
      );
    await geheimen.scrollIntoViewIfNeeded();
    await page.screenshot({ path: 'test-results/settings-secrets-nl.png' });
    const nlUpdates = page.getByRole('region', { name: 'Updates' });
    expect(await nlUpdates.getByRole('status').textContent()).toBe(
      'De browserconsole wordt bijgewerkt met het pakket waaruit ze draait (npm).',
    );
    await nlUpdates.scrollIntoViewIfNeeded();
    await page.screenshot({ path: 'test-results/settings-updates-nl.png' });
    await page
      .getByRole('region', { name: 'Weergave' })
      .getByRole('combobox', { name: /^Taal/ })
      .selectOption('en');
    await page.getByRole('region', { name: 'Secrets' }).waitFor();

    // Updates cannot be switched on where the host does not update itself, and it says why.
    const updates = page.getByRole('region', { name: 'Updates' });
    expect(await updates.getByRole('checkbox').isDisabled()).toBe(true);
    expect(await updates.getByRole('status').textContent()).toBe(
      'The browser console is updated with the package it runs from (npm).',
    );
    expect(c.problems).toEqual([]);
  });

  it('answers the desktop menu: Settings and Keyboard Shortcuts arrive as app:command', async () => {
    const { page } = c;
    // Adding a connection says where its secret will go when there is no keychain.
    await c.nav('Settings');
    await page.getByRole('button', { name: 'Add connection' }).click();
    expect(await page.getByRole('note', { name: 'Where this secret goes' }).textContent()).toMatch(
      /no access to an OS keychain/,
    );
    await page.screenshot({ path: 'test-results/settings-add-connection-secret-note.png' });
    await c.nav('Topology');
    const emit = (
      c.env.backend as unknown as {
        emit: ConsoleBackend['onEvent'] extends never ? never : (n: string, p: unknown) => void;
      }
    ).emit.bind(c.env.backend);
    emit('app:command', { command: 'keyboard-shortcuts' });
    const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await dialog.waitFor();
    await page.screenshot({ path: 'test-results/keyboard-shortcuts.png' });
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    emit('app:command', { command: 'settings' });
    await page.getByRole('heading', { name: 'Preferences' }).waitFor();
    expect(c.problems).toEqual([]);
  });
});
