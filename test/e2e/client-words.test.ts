import { mkdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Lab, startLab } from '../../server/lab';
import { type OpenConsole, openConsole } from '../support/console';
import { closedPort } from '../support/net';

/**
 * What the console says itself in Dutch, not a server: the connection test's answer ("OK — the
 * lab") and the core client's error when a configuration server cannot be reached, the system's
 * own words (connect ECONNREFUSED …) kept as sent inside a Dutch sentence with a Dutch hint.
 */
let c: OpenConsole;
/** A configuration server of its own (PGlite in memory), stopped halfway through as a server goes away. */
let lab: Lab | null = null;

beforeAll(async () => {
  await mkdir('test-results', { recursive: true });
  c = await openConsole({}, 'nl-NL');
}, 120_000);
afterAll(async () => {
  await c?.close();
  await lab?.stop();
});

describe("the console's own words in Dutch", () => {
  it('words a connection test: the lab that answers, and a configuration server nobody listens for', async () => {
    const { page } = c;
    await page
      .getByRole('navigation', { name: 'Hoofdmenu' })
      .getByRole('button', { name: 'Instellingen' })
      .click();
    const connections = page.getByRole('table', { name: 'Verbindingen' });
    await connections.getByRole('button', { name: 'Testen' }).first().click();
    const answer = page.getByRole('status', { name: /^Testresultaat van / });
    await expect.poll(() => answer.textContent()).toBe('OK — Siteshift-lab (gesimuleerd)');

    const port = await closedPort();
    await page.getByRole('button', { name: 'Verbinding toevoegen' }).click();
    const form = page.getByRole('form', { name: 'Verbinding toevoegen' });
    await form.getByLabel('Soort').selectOption('configserver');
    await form.getByLabel('Naam').fill('dr-cs');
    await form.getByLabel('URL').fill(`http://127.0.0.1:${port}`);
    await form.getByLabel('API-token').fill('ss_test');
    await form.getByRole('button', { name: 'Verbinding testen' }).click();
    const error = form.getByRole('alert');
    await error.waitFor();
    // What failed, then why: the sentence and the hint in Dutch; the system's own message, as it said it.
    expect(await error.getByRole('strong').textContent()).toBe('De verbindingstest is mislukt.');
    const text = (await error.locator('.state-message').textContent()) ?? '';
    expect(text).toBe(
      `kan de configuratieserver op http://127.0.0.1:${port} niet bereiken: connect ECONNREFUSED 127.0.0.1:${port}; op dat adres en die poort luistert niets; controleer ze, en of de server draait`,
    );
    expect(text).not.toMatch(/cannot reach|nothing listens/);
    await error.scrollIntoViewIfNeeded();
    await page.screenshot({ path: 'test-results/client-words-nl-unreachable.png' });
    await form.getByRole('button', { name: 'Annuleren' }).click();
    expect(c.problems).toEqual([]);
  }, 120_000);

  it('connects to a configuration server in Dutch, and says so in Dutch when the server goes away', async () => {
    const { page } = c;
    lab = await startLab({ vms: 8, agent: false });
    await page.getByRole('button', { name: 'Verbinding toevoegen' }).click();
    const form = page.getByRole('form', { name: 'Verbinding toevoegen' });
    await form.getByLabel('Soort').selectOption('configserver');
    await form.getByLabel('Naam').fill('DR');
    await form.getByLabel('URL').fill(lab.url);
    await form.getByLabel('API-token').fill('geen-token');
    await form.getByRole('button', { name: 'Verbinding testen' }).click();
    await form
      .getByRole('alert')
      .filter({ hasText: 'De configuratieserver weigerde het token: controleer het, of maak een nieuw.' })
      .waitFor();
    await form.getByLabel('API-token').fill(lab.adminToken);
    await form.getByRole('button', { name: 'Verbinding testen' }).click();
    await form
      .getByRole('status')
      .filter({
        hasText:
          /^Verbonden met Siteshift-configuratieserver .+ \(admin-token "lab-console .+"\)\. Identiteit gecontroleerd\.$/,
      })
      .waitFor();
    await form.getByRole('button', { name: 'Opslaan' }).click();
    await page
      .getByRole('navigation', { name: 'Hoofdmenu' })
      .getByRole('button', { name: 'Beveiliging' })
      .click();
    // The protection snapshots follow the new connection without a refresh.
    await page.getByRole('region', { name: 'Paren' }).waitFor();

    await lab.stop();
    lab = null;
    const lost = page.getByRole('alert').filter({
      hasText:
        'DR kon niet worden gelezen: De gebeurtenisstroom van DR is verbroken; er wordt opnieuw verbonden.',
    });
    await lost.waitFor({ timeout: 30_000 });
    expect((await page.locator('main').textContent()) ?? '').not.toMatch(
      /Lost the event stream|reconnecting/,
    );
    await page.screenshot({ path: 'test-results/client-words-nl-server-gone.png' });
    expect(c.problems).toEqual([]);
  }, 180_000);
});
