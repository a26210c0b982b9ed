import https from 'node:https';
import type { Duplex } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import tls from 'node:tls';
import { createGunzip } from 'node:zlib';
import { ApiError } from '../../shared/errors';
import { sayClient } from '../../shared/i18n/client-words';
import {
  isIpHost,
  normalizeThumbprint,
  type PresentedCertificate,
  probeCertificate as probeTls,
  subjectOf,
  thumbprintOf,
} from '../tls';

/**
 * How the endpoint's certificate is trusted, per connection. TLS verification is never turned
 * off for the process: a pinned thumbprint replaces chain validation for this one agent only.
 */
export type TlsTrust =
  | { kind: 'thumbprint'; thumbprint: string }
  | { kind: 'ca'; ca: string | Buffer | Array<string | Buffer> };

export interface TransportOptions {
  url: string;
  trust: TlsTrust;
  /** Per request, from the first byte sent to the last byte received. */
  timeoutMs?: number;
  /** Connect + TLS handshake. */
  connectTimeoutMs?: number;
  userAgent?: string;
}

export interface SoapHttpResponse {
  status: number;
  body: string;
  setCookie: string[];
}

/** Turns socket/TLS errors into operator-readable ApiErrors (what happened, what to do). */
export function networkError(err: unknown, url: string): ApiError {
  if (err instanceof ApiError) return err;
  const e = err as NodeJS.ErrnoException & { reason?: string };
  const code = e?.code ?? '';
  const where = new URL(url).host;
  switch (code) {
    case 'ECONNREFUSED':
      return new ApiError('unreachable', sayClient('client.vsphere.refused', { host: where }));
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new ApiError('unreachable', sayClient('client.vsphere.noName', { url }));
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return new ApiError('unreachable', sayClient('client.vsphere.unreachable', { host: where }));
    case 'ECONNRESET':
    case 'EPIPE':
      return new ApiError('unreachable', sayClient('client.vsphere.reset', { host: where }));
    case 'ETIMEDOUT':
      return new ApiError('timeout', sayClient('client.vsphere.timeout', { host: where }));
    case 'ABORT_ERR':
      return new ApiError('aborted', sayClient('client.cancelled'));
    default:
      if (code.startsWith('ERR_TLS') || code.includes('CERT') || code.startsWith('ERR_SSL')) {
        return new ApiError(
          'untrusted-identity',
          sayClient('client.vsphere.untrusted', { host: where, code }),
        );
      }
      return new ApiError(
        'unreachable',
        sayClient('client.vsphere.other', { host: where, error: e?.message ?? String(err) }),
      );
  }
}

/** The TLS identity probe (core/tls.ts), with vSphere's wording of network errors. */
export function probeCertificate(
  url: string,
  options: { timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<PresentedCertificate> {
  return probeTls(url, { ...options, networkError });
}

/**
 * Connections to one endpoint at most. A task wait holds its connection for as long as the task
 * runs (a WaitForUpdatesEx long poll, and vcsim's delayed methods hold the call itself), so the
 * pool must not be what limits the work: the job runner's task cap (`--endpoint-task-cap`, up to
 * 256) and a plan's parallelism bound the calls in flight. A pool smaller than those queued every
 * read and task behind the running tasks (8 held a plan of parallelism 10 to 8 tasks at once).
 */
const MAX_SOCKETS = 512;

/**
 * Agent whose sockets are handed to HTTP only after the certificate matched the pinned
 * thumbprint, so a request (and the credentials in it) is never written to an unverified peer.
 */
class PinnedAgent extends https.Agent {
  constructor(
    private readonly pinned: string,
    private readonly connectTimeoutMs: number,
    private readonly url: string,
  ) {
    // Session resumption is off so that every connection presents (and is checked against) a certificate.
    super({ keepAlive: true, maxSockets: MAX_SOCKETS, maxCachedSessions: 0, scheduling: 'lifo' });
  }

  override createConnection(
    options: https.RequestOptions,
    callback?: (err: Error | null, stream: Duplex) => void,
  ): Duplex | null | undefined {
    const host = options.host ?? '127.0.0.1';
    const socket = tls.connect({
      host,
      port: Number(options.port ?? 443),
      servername: isIpHost(host) ? undefined : host,
      // Chain validation is replaced by the thumbprint comparison below, for this agent only.
      rejectUnauthorized: false,
      ALPNProtocols: ['http/1.1'],
    });
    const timer = setTimeout(
      () => socket.destroy(Object.assign(new Error('connect timeout'), { code: 'ETIMEDOUT' })),
      this.connectTimeoutMs,
    );
    const fail = (err: Error) => {
      clearTimeout(timer);
      callback?.(networkError(err, this.url), socket);
    };
    socket.once('error', fail);
    socket.once('secureConnect', () => {
      clearTimeout(timer);
      socket.removeListener('error', fail);
      const cert = socket.getPeerCertificate();
      const presented = cert?.raw ? thumbprintOf(cert.raw) : '';
      if (presented !== this.pinned) {
        socket.destroy();
        callback?.(
          new ApiError(
            'identity-changed',
            sayClient('client.vsphere.changed', {
              host: new URL(this.url).host,
              presented: presented || sayClient('client.vsphere.noCertificateShown'),
              pinned: this.pinned,
            }),
            { presented, pinned: this.pinned, subject: subjectOf(cert) },
          ),
          socket,
        );
        return;
      }
      callback?.(null, socket);
    });
    return undefined;
  }
}

/** HTTPS POST of SOAP envelopes over one keep-alive agent, with this connection's trust. */
export class SoapTransport {
  readonly url: string;
  private readonly agent: https.Agent;
  private readonly timeoutMs: number;
  private readonly userAgent: string;

  constructor(options: TransportOptions) {
    const u = new URL(options.url);
    if (u.protocol !== 'https:')
      throw new ApiError('invalid-input', sayClient('client.vsphere.url', { url: options.url }));
    if (u.pathname === '/' || u.pathname === '') u.pathname = '/sdk';
    this.url = u.toString();
    this.timeoutMs = options.timeoutMs ?? 120_000;
    this.userAgent = options.userAgent ?? 'siteshift';
    const connectTimeoutMs = options.connectTimeoutMs ?? 15_000;
    if (options.trust.kind === 'thumbprint') {
      this.agent = new PinnedAgent(normalizeThumbprint(options.trust.thumbprint), connectTimeoutMs, this.url);
    } else {
      this.agent = new https.Agent({
        keepAlive: true,
        maxSockets: MAX_SOCKETS,
        ca: options.trust.ca,
        scheduling: 'lifo',
      });
    }
  }

  post(body: string, headers: Record<string, string>, signal?: AbortSignal): Promise<SoapHttpResponse> {
    return new Promise((resolve, reject) => {
      const cutOff = (received: number) =>
        reject(
          signal?.aborted
            ? new ApiError('aborted', sayClient('client.cancelled'))
            : new ApiError(
                'protocol-error',
                sayClient('client.vsphere.cutOff', { host: new URL(this.url).host, bytes: received }),
              ),
        );
      const req = https.request(
        this.url,
        {
          method: 'POST',
          agent: this.agent,
          headers: {
            'Content-Type': 'text/xml; charset=utf-8',
            'Content-Length': Buffer.byteLength(body),
            'User-Agent': this.userAgent,
            // As pyvmomi and govmomi do: an estate's properties are many MB of repetitive XML.
            'Accept-Encoding': 'gzip',
            ...headers,
          },
          signal,
        },
        (res) => {
          // Decoded as it arrives: no list of chunks and no concatenated copy of a page of many
          // MB in malloc'd memory (which the allocator keeps after a big read); the pieces join
          // in V8's heap, which gives its pages back.
          const decoder = new StringDecoder('utf8');
          let text = '';
          let received = 0;
          res.on('data', (c: Buffer) => {
            received += c.length;
          });
          const gzip = /\bgzip\b/i.test(String(res.headers['content-encoding'] ?? ''));
          const body = gzip ? res.pipe(createGunzip()) : res;
          body.on('data', (c: Buffer) => {
            text += decoder.write(c);
          });
          body.on('end', () => {
            if (!res.complete) return cutOff(received);
            const setCookie = res.headers['set-cookie'] ?? [];
            resolve({ status: res.statusCode ?? 0, body: text + decoder.end(), setCookie });
          });
          if (gzip) {
            body.on('error', (err) =>
              reject(
                new ApiError(
                  'protocol-error',
                  sayClient('client.vsphere.gzip', { host: new URL(this.url).host, error: err.message }),
                ),
              ),
            );
          }
          res.on('aborted', () => cutOff(received));
          res.on('error', (err) =>
            signal?.aborted ? reject(networkError(err, this.url)) : cutOff(received),
          );
        },
      );
      req.setTimeout(this.timeoutMs, () => {
        req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' }));
      });
      req.on('error', (err) => {
        if (signal?.aborted) reject(new ApiError('aborted', sayClient('client.cancelled')));
        else reject(networkError(err, this.url));
      });
      req.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
