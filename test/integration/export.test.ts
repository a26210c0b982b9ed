import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigServerClient } from '../../core/configserver';
import {
  buildExport,
  loadSigningKey,
  openExport,
  readDeployment,
  renderExport,
} from '../../core/topology/export';
import { type Lab, startLab } from '../../server/lab';
import { exportFormatSchema } from '../../shared/export/schema';
import { allReadableBytes, labInventories, pdfText, secretForms } from '../support/export';

/** Exports of a real configuration server (the lab on PGlite), through the core and the `siteshift` command. */
const root = resolve(__dirname, '../..');
const bin = join(root, 'bin/siteshift.mjs');
const run = promisify(execFile);

const PLANTED_PASSWORD = 'Planted-Endpoint-Password-8c1f2e';
let lab: Lab;
let admin: ConfigServerClient;
let dir: string;
let tokenSecret: string;
let keyPem: string;
let keySeed: Buffer;

beforeAll(async () => {
  lab = await startLab({ vms: 48, agent: false });
  admin = new ConfigServerClient({ url: lab.url, token: lab.adminToken });
  tokenSecret = (await admin.createToken('export-viewer', 'viewer')).secret;
  await admin.addEndpoint({
    site: 'lab-amsterdam',
    name: 'vcsa-planted',
    target: { kind: 'vsphere', url: lab.estate.primary.source.url, username: 'planted@vsphere.local' },
    secrets: { password: PLANTED_PASSWORD },
    trustOnFirstUse: true,
  });
  dir = await mkdtemp(join(tmpdir(), 'siteshift-export-'));
  const { privateKey } = generateKeyPairSync('ed25519');
  keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  // The raw 32-byte seed is the last 32 bytes of the PKCS#8 DER.
  keySeed = (privateKey.export({ type: 'pkcs8', format: 'der' }) as Buffer).subarray(-32);
  await writeFile(join(dir, 'sign.pem'), keyPem, { mode: 0o600 });
});

afterAll(async () => {
  admin?.close();
  await lab?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function siteshift(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], {
      cwd: root,
      env: { ...process.env, SITESHIFT_DEBUG: '', ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('export of a configuration server', () => {
  it('carries plans, pairs, master target slots, readiness and endpoints, and no secret in any format', async () => {
    const deployment = await readDeployment(admin, 'lab server');
    // A viewer token reads all of it, readiness included.
    const viewer = new ConfigServerClient({ url: lab.url, token: tokenSecret });
    const asViewer = await readDeployment(viewer, 'lab server');
    viewer.close();
    expect(asViewer.plans.length).toBe(2);
    expect(asViewer.readiness.length).toBe(deployment.readiness.length);
    expect(deployment.plans.map((p) => p.name).sort()).toEqual(['lab-linux', 'lab-windows']);
    expect(deployment.pairs.length).toBeGreaterThan(10);
    expect(deployment.masterTargets.some((m) => m.slots.length > 0)).toBe(true);
    expect(deployment.endpoints.find((e) => e.name === 'vcsa-planted')).toMatchObject({
      username: 'planted@vsphere.local',
      kind: 'vsphere',
    });
    expect(deployment.readiness.filter((r) => r.planId === deployment.plans[0]!.id).length).toBeGreaterThan(
      0,
    );

    const doc = buildExport(
      {
        sources: [{ kind: 'configserver', name: 'lab', address: lab.url }],
        inventories: await labInventories(lab.estate),
        deployments: [deployment],
        host: 'test',
      },
      loadSigningKey(keyPem),
    );
    const secrets = [PLANTED_PASSWORD, lab.adminToken, tokenSecret];
    const keyForms = [
      keyPem
        .split('\n')
        .filter((l) => l && !l.startsWith('-----'))
        .join(''),
      keySeed.toString('base64'),
      keySeed.toString('hex'),
      keySeed.toString('base64url'),
    ];
    for (const format of exportFormatSchema.options) {
      const file = await renderExport(doc, format);
      const bytes = allReadableBytes(file);
      for (const secret of secrets)
        for (const form of secretForms(secret))
          expect(bytes.includes(form), `${format} holds ${form}`).toBe(false);
      for (const form of keyForms)
        expect(bytes.includes(form), `${format} holds the private key`).toBe(false);
      expect(bytes.includes(Buffer.from(keySeed)), `${format} holds the raw key`).toBe(false);
    }
    // The search is not blind: what must be there is found the same way.
    const json = (await renderExport(doc, 'json')).toString();
    expect(json).toContain('planted@vsphere.local');
    expect(pdfText(await renderExport(doc, 'pdf'))).toContain('Runbook: lab-windows');
  }, 120_000);

  it('siteshift export server writes a signed JSON; siteshift diff reports drift with exit codes 0, 1, 2', async () => {
    const a = join(dir, 'a.siteshift.json');
    const b = join(dir, 'b.siteshift.json');
    const env = { SITESHIFT_TOKEN: tokenSecret };
    const first = await siteshift(
      [
        'export',
        'server',
        '--server',
        lab.url,
        '--format',
        'json',
        '--out',
        a,
        '--sign-key',
        join(dir, 'sign.pem'),
      ],
      env,
    );
    expect(first.stderr).toMatch(/wrote .*a\.siteshift\.json \(json, [\d,]+ bytes\).*signed by SHA256:/);
    expect(first.code).toBe(0);
    const opened = await openExport(await readFile(a, 'utf8'));
    expect(opened.verification).toMatchObject({ digest: 'valid', signature: 'valid' });
    expect(opened.document.deployments[0]!.plans.length).toBe(2);
    // The whole deployment: the inventory of every endpoint, read by the server with its own credentials.
    const endpoints = opened.document.deployments[0]!.endpoints;
    expect(endpoints.length).toBe(5);
    expect(opened.document.inventories.map((i) => i.name).sort()).toEqual(
      endpoints.map((e) => e.name).sort(),
    );
    for (const inv of opened.document.inventories) {
      expect(inv.error, inv.name).toBeNull();
      expect(inv.via).toEqual({
        server: lab.url.endsWith('/') ? lab.url : `${lab.url}/`,
        endpointId: expect.any(String),
      });
    }
    const primary = opened.document.inventories.find((i) => i.name === 'vcsa-ams')!;
    expect(primary).toMatchObject({ site: 'primary', kind: 'vsphere' });
    expect(primary.inventory!.vms.length).toBe(lab.estate.primary.vms.length);
    expect(opened.document.topology.nodes.filter((n) => n.kind === 'vm').length).toBeGreaterThanOrEqual(48);
    expect(first.stderr).toMatch(/5 endpoints \(5 inventories read\)/);
    const written = await readFile(a);
    for (const secret of [PLANTED_PASSWORD, lab.adminToken, tokenSecret])
      for (const form of secretForms(secret))
        expect(written.includes(form), `a.siteshift.json holds ${form}`).toBe(false);

    const pair = (await admin.listPairs())[0]!;
    await admin.transitionPair(pair.id, 'error', 'export drift test');
    const second = await siteshift(['export', 'server', '--server', lab.url, '--out', b], env);
    expect(second.code).toBe(0);

    const same = await siteshift(['diff', a, a]);
    expect(same).toMatchObject({ code: 0 });
    expect(same.stdout).toMatch(/No differences/);

    const drift = await siteshift(['diff', a, b]);
    expect(drift.code).toBe(1);
    expect(drift.stdout).toMatch(/1 difference from/);
    expect(drift.stdout).toMatch(new RegExp(`pair state .*${pair.sourceVmName}\\s+${pair.state}\\s+error`));

    const asJson = await siteshift(['diff', a, b, '--json']);
    expect(asJson.code).toBe(1);
    expect(JSON.parse(asJson.stdout).changes).toEqual([
      {
        kind: 'pair-state',
        scope: expect.any(String),
        subject: pair.sourceVmName,
        before: pair.state,
        after: 'error',
      },
    ]);

    const damaged = join(dir, 'damaged.siteshift.json');
    await writeFile(damaged, (await readFile(a, 'utf8')).slice(0, 500));
    const bad = await siteshift(['diff', a, damaged]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(
      /damaged\.siteshift\.json is not a readable Siteshift export: it is not valid JSON/,
    );

    const tampered = join(dir, 'tampered.siteshift.json');
    await writeFile(tampered, (await readFile(a, 'utf8')).replace('"lab-windows"', '"lab-windowz"'));
    const warned = await siteshift(['diff', a, tampered]);
    expect(warned.stderr).toMatch(/tampered\.siteshift\.json: The content does not match its SHA-256 digest/);
  }, 180_000);

  it('siteshift verify and diff --trusted-key say whose key signed an export, and refuse one that is not trusted', async () => {
    const signed = join(dir, 'signed.siteshift.json');
    const other = join(dir, 'other.siteshift.json');
    const otherKey = join(dir, 'other.pem');
    await writeFile(
      otherKey,
      generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }),
      { mode: 0o600 },
    );
    const env = { SITESHIFT_TOKEN: tokenSecret };
    for (const [out, key] of [
      [signed, join(dir, 'sign.pem')],
      [other, otherKey],
    ] as const) {
      const r = await siteshift(
        ['export', 'server', '--server', lab.url, '--out', out, '--sign-key', key],
        env,
      );
      expect(r.code, r.stderr).toBe(0);
    }
    const fp = JSON.parse(await readFile(signed, 'utf8')).integrity.signature.keyFingerprint as string;
    // The public half of the signing key, as an operator would hand it around.
    const { createPublicKey } = await import('node:crypto');
    const pub = join(dir, 'sign.pub.pem');
    await writeFile(pub, createPublicKey(keyPem).export({ type: 'spki', format: 'pem' }));

    const plain = await siteshift(['verify', signed]);
    expect(plain.code).toBe(0);
    expect(plain.stdout).toMatch(/^OK {3}.*signed\.siteshift\.json .*signed by the key SHA256:/);

    const byFingerprint = await siteshift(['verify', signed, '--trusted-key', fp]);
    expect(byFingerprint.code).toBe(0);
    expect(byFingerprint.stdout).toContain(`signed by ${fp} (key ${fp}), a key you trust`);
    const byFile = await siteshift(['verify', signed, other, '--trusted-key', pub, '--json']);
    expect(byFile.code).toBe(1);
    const results = JSON.parse(byFile.stdout) as Array<{
      file: string;
      verification: { trust: string; signer: string | null };
    }>;
    expect(results.map((r) => [r.file, r.verification.trust, r.verification.signer])).toEqual([
      [signed, 'trusted', 'sign.pub.pem'],
      [other, 'untrusted', null],
    ]);

    const refused = await siteshift(['diff', signed, other, '--trusted-key', fp]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(
      /other\.siteshift\.json: .*not one of the keys you trust.*refused: --trusted-key was given/,
    );
    expect((await siteshift(['diff', signed, signed, '--trusted-key', fp])).code).toBe(0);

    const badKey = await siteshift(['verify', signed, '--trusted-key', 'SHA256:abc']);
    expect(badKey.code).toBe(2);
    expect(badKey.stderr).toMatch(
      /--trusted-key SHA256:abc: a key fingerprint is "SHA256:" followed by 43 base64 characters/,
    );
    const noFile = await siteshift(['verify', signed, '--trusted-key', join(dir, 'nope.pem')]);
    expect(noFile.code).toBe(2);
    expect(noFile.stderr).toMatch(/is neither a key fingerprint \(SHA256:…\) nor a readable key file/);

    const truncated = join(dir, 'truncated.siteshift.json');
    await writeFile(truncated, (await readFile(signed, 'utf8')).slice(0, 1000));
    const cut = await siteshift(['verify', truncated]);
    expect(cut.code).toBe(2);
    expect(cut.stderr).toMatch(
      /truncated\.siteshift\.json is not a readable Siteshift export: it is not valid JSON.*may be truncated/,
    );
    const tampered = join(dir, 'tampered-verify.siteshift.json');
    await writeFile(tampered, (await readFile(signed, 'utf8')).replace('"lab-windows"', '"lab-windowz"'));
    const t = await siteshift(['verify', tampered, '--trusted-key', fp]);
    expect(t.code).toBe(1);
    expect(t.stdout).toMatch(/^FAIL .*does not match its SHA-256 digest/);
  }, 180_000);

  it('siteshift export --language nl words the HTML and the runbook in Dutch; English by default', async () => {
    const nl = join(dir, 'lab-nl.html');
    const dutch = await siteshift(['export', 'lab', '--format', 'html', '--language', 'nl', '--out', nl]);
    expect(dutch.code, dutch.stderr).toBe(0);
    const html = await readFile(nl, 'utf8');
    expect(html).toMatch(/<html lang="nl">/);
    expect(html).toContain('<h2>Beveiligde machines');
    expect(html).not.toContain('<h2>Protected machines');
    const pdf = join(dir, 'lab-nl.pdf');
    expect(
      (await siteshift(['export', 'lab', '--format', 'pdf', '--language', 'nl', '--out', pdf])).code,
    ).toBe(0);
    expect(pdfText(await readFile(pdf))).toContain('Draaiboek: lab-windows');
    const en = join(dir, 'lab-en.html');
    expect((await siteshift(['export', 'lab', '--format', 'html', '--out', en])).code).toBe(0);
    expect(await readFile(en, 'utf8')).toContain('<h2>Protected machines');
  }, 180_000);

  it('refuses bad options with a sentence saying what to do', async () => {
    const noToken = await siteshift(['export', 'server', '--server', lab.url, '--out', join(dir, 'x.json')], {
      SITESHIFT_TOKEN: '',
    });
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toMatch(/SITESHIFT_TOKEN is not set or empty/);
    const format = await siteshift(['export', 'lab', '--format', 'docx', '--out', join(dir, 'x')]);
    expect(format.code).not.toBe(0);
    expect(format.stderr).toMatch(/--format must be one of json, html, svg, png, pdf, not "docx"/);
    const expand = await siteshift([
      'export',
      'lab',
      '--format',
      'svg',
      '--expand',
      'some',
      '--out',
      join(dir, 'x'),
    ]);
    expect(expand.code).toBe(2);
    expect(expand.stderr).toMatch(
      /--expand must be a whole number of VMs \(0 folds every host\) or "all", not "some"/,
    );
    const language = await siteshift([
      'export',
      'lab',
      '--format',
      'pdf',
      '--language',
      'fr',
      '--out',
      join(dir, 'x.pdf'),
    ]);
    expect(language.code).toBe(2);
    expect(language.stderr).toMatch(/--language must be one of en, nl, not "fr"/);
    await writeFile(
      join(dir, 'rsa.pem'),
      generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }),
    );
    const rsa = await siteshift(
      [
        'export',
        'server',
        '--server',
        lab.url,
        '--out',
        join(dir, 'y.json'),
        '--sign-key',
        join(dir, 'rsa.pem'),
      ],
      { SITESHIFT_TOKEN: tokenSecret },
    );
    expect(rsa.code).toBe(2);
    expect(rsa.stderr).toMatch(/holds a key of type rsa; exports are signed with Ed25519/);
  }, 120_000);
});
