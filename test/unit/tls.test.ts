import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { matchesPin, normalizeThumbprint, probeCertificate } from '../../core/tls';
import type { ApiError } from '../../shared/errors';

/** One TLS identity module for every endpoint: one thumbprint form, one probe, one pin check. */
describe('TLS pinning', () => {
  let dir: string;
  let server: tls.Server;
  let url: string;
  let cert: X509Certificate;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'siteshift-tls-'));
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-days',
        '2',
        '-subj',
        '/CN=pin-test/O=Siteshift',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    const pem = readFileSync(join(dir, 'cert.pem'));
    cert = new X509Certificate(pem);
    server = tls.createServer({ cert: pem, key: readFileSync(join(dir, 'key.pem')) }, (s) => s.end());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `https://127.0.0.1:${(server.address() as { port: number }).port}/sdk`;
  });

  afterAll(() => {
    server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('has one canonical thumbprint form: lower-case hex pairs joined by colons', () => {
    const hex = 'AB'.repeat(32);
    expect(normalizeThumbprint(hex)).toBe(`${'ab:'.repeat(31)}ab`);
    expect(normalizeThumbprint(` ${'ab:'.repeat(31)}ab `)).toBe(`${'ab:'.repeat(31)}ab`);
    expect(() => normalizeThumbprint('ab:cd')).toThrow('expected 64 hex digits, colons optional');
  });

  it('probes the certificate without trusting it, in the canonical form, with its subject and PEM', async () => {
    const probe = await probeCertificate(url);
    expect(probe.thumbprint).toBe(cert.fingerprint256.toLowerCase());
    expect(probe.subject).toBe('CN=pin-test, O=Siteshift');
    expect(new X509Certificate(probe.pem).fingerprint256).toBe(cert.fingerprint256);
  });

  it('compares a pin whatever form either side is written in', async () => {
    const probe = await probeCertificate(new URL(url));
    expect(matchesPin(probe.thumbprint, cert.fingerprint256.replace(/:/g, ''))).toBe(true);
    expect(matchesPin(probe.thumbprint, 'ab'.repeat(32))).toBe(false);
  });

  it('says when nothing answers, and when the peer does not speak TLS', async () => {
    const closed = createNetServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as { port: number }).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const refused = (await probeCertificate(`https://127.0.0.1:${port}`).catch((e) => e)) as ApiError;
    expect(refused.code).toBe('unreachable');
    expect(refused.message).toContain(`cannot reach 127.0.0.1:${port}`);

    const plain = createNetServer((s) => s.end('HTTP/1.1 400 Bad Request\r\n\r\n'));
    await new Promise<void>((r) => plain.listen(0, '127.0.0.1', r));
    const p2 = (plain.address() as { port: number }).port;
    const notTls = (await probeCertificate(`https://127.0.0.1:${p2}`).catch((e) => e)) as ApiError;
    expect(notTls.code).toBe('unreachable');
    plain.close();
  });
});
