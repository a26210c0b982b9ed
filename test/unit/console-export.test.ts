import { generateKeyPairSync } from 'node:crypto';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsoleExport } from '../../core/console/export';
import { createLabEstate } from '../../core/lab/estate';
import { createDispatcher } from '../../shared/dispatch';
import { openExport } from '../../shared/export/open';
import type { ExportCreated, ExportInventory } from '../../shared/export/schema';
import { sayClient } from '../../shared/i18n/client-words';
import type { Connection } from '../../shared/schemas/connection';
import type { SettingsState } from '../../shared/schemas/settings';
import { tempBackend } from '../support/backend';
import { knownDeployment, labInventories } from '../support/export';

let dir: string;
let keyPath: string;
let fingerprint: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'siteshift-console-export-'));
  keyPath = join(dir, 'export-signing.pem');
  const { privateKey } = generateKeyPairSync('ed25519');
  await writeFile(keyPath, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  await chmod(keyPath, 0o600);
  const { keyFingerprint } = await import('../../core/topology/export');
  const { createPublicKey } = await import('node:crypto');
  fingerprint = keyFingerprint(createPublicKey(privateKey).export({ type: 'spki', format: 'der' }));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** A saved vCenter connection of the primary site. */
const vcenter = (id: string, name: string, url: string): Connection => ({
  id,
  name,
  site: 'primary',
  target: { kind: 'vsphere', url, username: 'u' },
  trust: null,
  hasSecret: true,
  lab: false,
});

const decode = (file: ExportCreated) => Buffer.from(file.contentBase64, 'base64').toString('utf8');

describe('File → Export in the console', () => {
  it('adds what each configuration server reads of its endpoints, but not what the console read itself', async () => {
    const estate = createLabEstate({ vms: 12 });
    const [primary, secondary] = await labInventories(estate);
    const deployment = knownDeployment(estate);
    const direct = vcenter('c-primary', 'vcsa-ams (direct)', primary!.address);
    const unreachable: Connection = {
      ...direct,
      id: 'c-secondary',
      name: 'vcsa-rtm (direct)',
      site: 'secondary',
      target: { kind: 'vsphere', url: secondary!.address, username: 'u' },
    };
    const server: Connection = {
      ...direct,
      id: 'c-server',
      name: 'cs-ams',
      target: { kind: 'configserver', url: deployment.url },
    };
    const asked: string[][] = [];
    const file = await createConsoleExport(
      {
        host: 'test',
        connections: async () => [direct, unreachable, server],
        inventory: async (c) =>
          c.id === direct.id
            ? { inventory: primary!.inventory, error: null }
            : { inventory: null, error: 'connect ETIMEDOUT' },
        deployment: async () => deployment,
        serverInventories: async (_c, _d, skip) => {
          asked.push([...skip]);
          const via = { server: deployment.url, endpointId: 'e' };
          return [
            { ...secondary!, connectionId: 'endpoint:e2', name: 'vcsa-rtm', via },
            {
              connectionId: 'endpoint:e3',
              name: 'hv-gone',
              site: 'primary',
              kind: 'hyperv',
              address: 'hv-gone:22',
              inventory: null,
              error: 'cs-ams: unreachable',
              via,
            } satisfies ExportInventory,
          ];
        },
      },
      'json',
    );
    // The server was told which addresses the console read itself (the primary vCenter).
    expect(asked).toEqual([[primary!.address.toLowerCase().replace(/\/+$/, '')]]);
    const { document } = await openExport(decode(file));
    expect(document.inventories.map((i) => [i.name, i.error === null, i.via?.server ?? null])).toEqual([
      ['vcsa-ams (direct)', true, null],
      // The console could not reach the secondary vCenter; the server could, and its read replaces the failure.
      ['vcsa-rtm', true, deployment.url],
      ['hv-gone', false, deployment.url],
    ]);
    expect(file.signedBy).toBeNull();
    expect(document.topology.nodes.filter((n) => n.kind === 'vm').length).toBeGreaterThan(12);
  });

  it("writes why a source was not read in the export's language, the system's own text as sent", async () => {
    const estate = createLabEstate({ vms: 4 });
    const [primary] = await labInventories(estate);
    const gone = vcenter('c-gone', 'vcsa-gone', primary!.address);
    const why = sayClient('client.vsphere.timeout', { host: 'vcsa-gone.example' });
    const sources = {
      host: 'test',
      connections: async () => [gone],
      inventory: async () => ({ inventory: null, error: why.text, errorWords: why.words }),
      deployment: async () => knownDeployment(estate),
      serverInventories: async () => [],
    };
    const json = await openExport(decode(await createConsoleExport(sources, 'json')));
    expect(json.document.inventories[0]).toMatchObject({ error: why.text, errorWords: why.words });
    const html = decode(await createConsoleExport(sources, 'html', undefined, { locale: 'nl' }));
    expect(html).toContain(
      'vcsa-gone.example antwoordde niet op tijd: controleer of de host aan staat en bereikbaar is',
    );
    // The sources table says it in Dutch; the English stays only in the file's own data.
    expect(html).toMatch(/<td class="h-critical">[^<]*vcsa-gone\.example antwoordde niet op tijd/);
    expect(html).not.toMatch(/<td class="h-critical">[^<]*did not answer in time/);
  });

  it('signs with the key named in Settings, refuses a key that cannot sign, and never keeps the key', async () => {
    const { backend, dispose, dataDir } = await tempBackend();
    try {
      const call = createDispatcher(backend.handlers);
      const unsigned = (await call('export:create', { format: 'json' })) as ExportCreated;
      expect(unsigned.signedBy).toBeNull();

      await expect(
        call('settings:update', { export: { signingKeyPath: join(dir, 'missing.pem') } }),
      ).rejects.toThrow(/Cannot read the export signing key .*missing\.pem \(ENOENT\)/);
      await expect(
        call('settings:update', { export: { signingKeyPath: 'keys/relative.pem' } }),
      ).rejects.toThrow(/full path of the key file/);
      const rsa = join(dir, 'rsa.pem');
      await writeFile(
        rsa,
        generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
          type: 'pkcs8',
          format: 'pem',
        }),
        { mode: 0o600 },
      );
      await expect(call('settings:update', { export: { signingKeyPath: rsa } })).rejects.toThrow(
        /holds a key of type rsa; exports are signed with Ed25519/,
      );

      const state = (await call('settings:update', { export: { signingKeyPath: keyPath } })) as SettingsState;
      expect(state.exportSigning).toEqual({ keyPath, fingerprint, problem: null, warning: null });
      const signed = (await call('export:create', { format: 'json' })) as ExportCreated;
      expect(signed.signedBy).toBe(fingerprint);
      const opened = await openExport(decode(signed), 'x', [{ name: 'me', fingerprint }]);
      expect(opened.verification).toMatchObject({ signature: 'valid', trust: 'trusted', signer: 'me' });

      // The settings file names the key's path; the key itself is nowhere in it.
      const { readFile } = await import('node:fs/promises');
      const settingsText = await readFile(join(dataDir, 'settings.json'), 'utf8');
      const pemBody = (await readFile(keyPath, 'utf8')).split('\n')[1]!;
      expect(settingsText).toContain(keyPath);
      expect(settingsText).not.toContain(pemBody);

      // Others can read the key: it still signs, with a warning saying what to do.
      await chmod(keyPath, 0o644);
      const loose = (await call('settings:get', {})) as SettingsState;
      expect(loose.exportSigning.warning).toMatch(/Other users of this computer can read .* chmod 600/);
      await chmod(keyPath, 0o600);

      // A key that disappears after it was chosen refuses the export instead of writing it unsigned.
      const moved = join(dir, 'moved.pem');
      const { rename } = await import('node:fs/promises');
      await rename(keyPath, moved);
      try {
        expect(((await call('settings:get', {})) as SettingsState).exportSigning.problem).toMatch(
          /Cannot read the export signing key/,
        );
        await expect(call('export:create', { format: 'json' })).rejects.toThrow(
          /Cannot read the export signing key .*Settings → Exports/,
        );
      } finally {
        await rename(moved, keyPath);
      }
    } finally {
      await dispose();
    }
  });

  it("words the picture in the language the console asks for, else the operator's Language setting", async () => {
    const { backend, dispose } = await tempBackend();
    try {
      const call = createDispatcher(backend.handlers);
      const svg = async (input: Record<string, unknown>) =>
        decode((await call('export:create', { format: 'svg', ...input })) as ExportCreated);
      expect(await svg({ locale: 'nl' })).toContain('Siteshift-topologie, momentopname van');
      expect(await svg({ locale: 'en' })).toContain('Siteshift topology, snapshot of');
      // Settings say Dutch: an export asked for without a language (an older console) is Dutch.
      await call('settings:update', { language: 'nl' });
      expect(await svg({})).toContain('xml:lang="nl"');
      await call('settings:update', { language: 'system' });
      expect(await svg({})).toContain('xml:lang="en"');
      await expect(call('export:create', { format: 'svg', locale: 'fr' })).rejects.toThrow(/locale/);
    } finally {
      await dispose();
    }
  });

  it('keeps trusted keys with a name, refusing a malformed fingerprint or the same key twice', async () => {
    const { backend, dispose } = await tempBackend();
    try {
      const call = createDispatcher(backend.handlers);
      const key = { name: 'DR team', fingerprint };
      const state = (await call('settings:update', { export: { trustedKeys: [key] } })) as SettingsState;
      expect(state.settings.export.trustedKeys).toEqual([key]);
      await expect(
        call('settings:update', { export: { trustedKeys: [{ name: 'x', fingerprint: 'SHA256:short' }] } }),
      ).rejects.toThrow(/43 base64 characters/);
      await expect(call('settings:update', { export: { trustedKeys: [key, key] } })).rejects.toThrow(
        /each key is trusted once/,
      );
    } finally {
      await dispose();
    }
  });
});
