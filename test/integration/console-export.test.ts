import { generateKeyPairSync } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Lab, startLab } from '../../server/lab';
import { createDispatcher, type Dispatch } from '../../shared/dispatch';
import { openExport } from '../../shared/export/open';
import type { ExportCreated } from '../../shared/export/schema';
import { tempBackend } from '../support/backend';
import { allReadableBytes, secretForms } from '../support/export';

/**
 * File → Export of a console whose only connection is a configuration server: the export carries
 * the whole deployment, the inventories included, read by the server with its own credentials
 * (the console holds none of them), signed with the key chosen in Settings.
 */
let lab: Lab;
let env: Awaited<ReturnType<typeof tempBackend>>;
let call: Dispatch;

beforeAll(async () => {
  lab = await startLab({ vms: 12, agent: false });
  env = await tempBackend({ lab: false });
  call = createDispatcher(env.backend.handlers);
  await call('connections:add', {
    name: 'DR server',
    site: 'primary',
    target: { kind: 'configserver', url: lab.url },
    secrets: { token: lab.adminToken },
    trust: { kind: 'loopback' },
  });
}, 180_000);
afterAll(async () => {
  await env?.dispose();
  await lab?.stop();
});

describe('console export of a configuration server', () => {
  it('carries the inventories the server reads of its endpoints, signed, with no token or password', async () => {
    const key = join(env.dataDir, 'export-signing.pem');
    await writeFile(key, generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }), {
      mode: 0o600,
    });
    await call('settings:update', { export: { signingKeyPath: key } });
    const created = (await call('export:create', { format: 'json' })) as ExportCreated;
    expect(created.signedBy).toMatch(/^SHA256:/);
    const bytes = Buffer.from(created.contentBase64, 'base64');
    const { document, verification } = await openExport(bytes.toString('utf8'), 'console.siteshift.json', [
      { name: 'me', fingerprint: created.signedBy! },
    ]);
    expect(verification).toMatchObject({ digest: 'valid', signature: 'valid', trust: 'trusted' });
    expect(document.deployments).toHaveLength(1);
    const endpoints = document.deployments[0]!.endpoints;
    expect(endpoints).toHaveLength(4);
    expect(document.inventories.map((i) => i.name).sort()).toEqual(endpoints.map((e) => e.name).sort());
    expect(
      document.inventories.every(
        (i) => i.inventory !== null && i.via?.server === document.deployments[0]!.url,
      ),
    ).toBe(true);
    expect(document.topology.nodes.filter((n) => n.kind === 'vm').length).toBeGreaterThanOrEqual(12);
    // The lab endpoints' password is 'lab' (too common to search for); the token is searched in every format.
    for (const format of ['json', 'html', 'pdf'] as const) {
      const file =
        format === 'json'
          ? bytes
          : Buffer.from(((await call('export:create', { format })) as ExportCreated).contentBase64, 'base64');
      const all = allReadableBytes(file);
      for (const form of secretForms(lab.adminToken))
        expect(all.includes(form), `${format} holds the token`).toBe(false);
    }
  }, 180_000);
});
