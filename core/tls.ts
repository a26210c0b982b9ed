import { createHash } from 'node:crypto';
import tls from 'node:tls';
import { ApiError } from '../shared/errors';
import { networkHint, sayClient } from '../shared/i18n/client-words';

/**
 * Pinned TLS identities, one way for every endpoint (vCenter/ESXi, the configuration server): a
 * certificate is identified by the SHA-256 of its DER bytes in one canonical form, probed without
 * sending a byte, and compared with the pin. Verification is never switched off for a process;
 * only the probe socket skips chain validation, and a pinned connection checks the thumbprint
 * before anything is written to it.
 */

/**
 * Canonical form of a thumbprint: 64 hex digits, lower case, colon-separated pairs (what
 * `thumbprintSchema` stores and what vCenter and browsers show). Accepts colons or not, any case.
 */
export function normalizeThumbprint(input: string): string {
  const hex = input.trim().replace(/:/g, '').toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(hex)) {
    throw new ApiError('invalid-input', sayClient('client.notThumbprint', { input }));
  }
  return hex.match(/../g)!.join(':');
}

/** The canonical thumbprint of a DER certificate. */
export function thumbprintOf(der: Buffer): string {
  return createHash('sha256').update(der).digest('hex').match(/../g)!.join(':');
}

/** True when a presented thumbprint is the pinned one, whatever form either is written in. */
export function matchesPin(presented: string, pinned: string): boolean {
  return normalizeThumbprint(presented) === normalizeThumbprint(pinned);
}

export interface PresentedCertificate {
  /** Canonical SHA-256 thumbprint. */
  thumbprint: string;
  /** "CN=…, O=…" when the certificate has a subject. */
  subject?: string;
  /** The certificate itself, to use as the trust anchor of later connections. */
  pem: string;
}

export function isIpHost(host: string): boolean {
  return /^[\d.]+$/.test(host) || host.includes(':');
}

/** The subject of a presented certificate as "CN=…, O=…". */
export function subjectOf(cert: tls.PeerCertificate | undefined): string | undefined {
  const subject = cert?.subject;
  if (!subject || typeof subject !== 'object') return undefined;
  return Object.entries(subject)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : v}`)
    .join(', ');
}

function pemOf(der: Buffer): string {
  return `-----BEGIN CERTIFICATE-----\n${der
    .toString('base64')
    .match(/.{1,64}/g)!
    .join('\n')}\n-----END CERTIFICATE-----\n`;
}

/**
 * Connects with TLS, reads the certificate the server presents and hangs up without sending a
 * byte: the trust-on-first-use probe, and the first step of a pinned connection. `networkError`
 * turns socket errors into the caller's operator-readable ApiErrors.
 */
export function probeCertificate(
  url: string | URL,
  options: {
    timeoutMs?: number;
    signal?: AbortSignal;
    networkError?: (err: unknown, url: string) => ApiError;
  } = {},
): Promise<PresentedCertificate> {
  const u = new URL(url);
  const port = Number(u.port || 443);
  const host = u.hostname.replace(/^\[|\]$/g, '');
  const timeoutMs = options.timeoutMs ?? 10_000;
  const toApiError =
    options.networkError ??
    ((err: unknown) => {
      const e = err as NodeJS.ErrnoException;
      if (err instanceof ApiError) return err;
      if (e.code === 'ETIMEDOUT')
        return new ApiError('timeout', sayClient('client.tlsTimeout', { host: u.host, ms: timeoutMs }));
      const hint = networkHint(e.code);
      return new ApiError(
        'unreachable',
        hint
          ? sayClient('client.hostUnreachableHint', { host: u.host, error: e.message, hint })
          : sayClient('client.hostUnreachable', { host: u.host, error: e.message }),
      );
    });
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(new ApiError('aborted', sayClient('client.cancelled')));
      return;
    }
    const socket = tls.connect({
      host,
      port,
      servername: isIpHost(host) ? undefined : host,
      // Only this probe socket skips chain validation: it reads the certificate and closes
      // without sending a byte, so nothing can leak to an impostor.
      rejectUnauthorized: false,
      timeout: timeoutMs,
    });
    const onAbort = () => socket.destroy(new ApiError('aborted', sayClient('client.cancelled')));
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const done = () => options.signal?.removeEventListener('abort', onAbort);
    socket.once('secureConnect', () => {
      const cert = socket.getPeerCertificate();
      done();
      socket.destroy();
      if (!cert?.raw) {
        reject(new ApiError('protocol-error', sayClient('client.noCertificate', { host: u.host })));
        return;
      }
      resolve({ thumbprint: thumbprintOf(cert.raw), subject: subjectOf(cert), pem: pemOf(cert.raw) });
    });
    socket.once('timeout', () => socket.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
    socket.once('error', (err) => {
      done();
      reject(toApiError(err, String(url)));
    });
  });
}
