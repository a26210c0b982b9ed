import http from 'node:http';
import https from 'node:https';
import tls from 'node:tls';
import { errorPayloadSchema } from '../../shared/error-schemas';
import { ApiError } from '../../shared/errors';
import { networkHint, sayClient } from '../../shared/i18n/client-words';
import { normalizeThumbprint, probeCertificate, thumbprintOf } from '../tls';

/**
 * HTTP to the configuration server with per-connection trust: either the system CAs (plus an
 * optional private CA), or a pinned SHA-256 certificate thumbprint as for vCenter. TLS
 * verification is never switched off: a pinned certificate is fetched once, checked against the
 * thumbprint, then used as the trust anchor with the thumbprint checked on every connection.
 */
export interface ServerTls {
  /** SHA-256 of the server certificate, hex with or without colons. */
  thumbprint?: string;
  /** PEM of a private CA that signed the server certificate. */
  ca?: string;
}

export interface TlsOptions {
  ca?: string | string[];
  checkServerIdentity?: (host: string, cert: tls.PeerCertificate) => Error | undefined;
}

export class Transport {
  private readonly base: URL;
  private tlsReady: Promise<TlsOptions> | null = null;
  private agent: http.Agent | https.Agent | null = null;

  constructor(
    url: string,
    private readonly tlsConfig: ServerTls = {},
    private readonly timeoutMs = 30_000,
  ) {
    this.base = new URL(url);
    if (this.base.protocol !== 'http:' && this.base.protocol !== 'https:') {
      throw new ApiError('invalid-input', sayClient('client.serverUrl', { url }));
    }
  }

  get url(): URL {
    return this.base;
  }

  /** TLS options for a connection (also used by the event stream's WebSocket). */
  tlsOptions(): Promise<TlsOptions> {
    if (this.base.protocol !== 'https:') return Promise.resolve({});
    this.tlsReady ??= this.prepareTls().catch((err) => {
      this.tlsReady = null;
      throw err;
    });
    return this.tlsReady;
  }

  private async prepareTls(): Promise<TlsOptions> {
    const pin = this.tlsConfig.thumbprint ? normalizeThumbprint(this.tlsConfig.thumbprint) : null;
    if (!pin) return this.tlsConfig.ca ? { ca: [...tls.rootCertificates, this.tlsConfig.ca] } : {};
    const probe = await probeCertificate(this.base, { timeoutMs: this.timeoutMs });
    if (probe.thumbprint !== pin) {
      throw new ApiError(
        'identity-changed',
        sayClient('client.serverPinMismatch', { presented: probe.thumbprint, pinned: pin }),
        { presented: probe.thumbprint },
      );
    }
    return {
      ca: [...tls.rootCertificates, probe.pem, ...(this.tlsConfig.ca ? [this.tlsConfig.ca] : [])],
      // The pin is the identity: host names need not match (servers are often reached by IP).
      checkServerIdentity: (_host, cert) => {
        const presented = thumbprintOf(cert.raw);
        return presented === pin
          ? undefined
          : new ApiError('identity-changed', sayClient('client.serverCertificateChanged', { presented }));
      },
    };
  }

  private async getAgent(): Promise<http.Agent | https.Agent> {
    if (this.agent) return this.agent;
    if (this.base.protocol === 'https:')
      this.agent = new https.Agent({ keepAlive: true, maxSockets: 16, ...(await this.tlsOptions()) });
    else this.agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
    return this.agent;
  }

  async request<T>(
    method: string,
    path: string,
    headers: Record<string, string>,
    body?: unknown,
    signal?: AbortSignal,
    /** For a call known to take long before its first byte (an endpoint's inventory read). */
    timeoutMs = this.timeoutMs,
  ): Promise<T> {
    const agent = await this.getAgent();
    const target = new URL(path, this.base);
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const mod = target.protocol === 'https:' ? https : http;
    return new Promise<T>((resolve, reject) => {
      const req = mod.request(
        target,
        {
          method,
          agent,
          signal,
          timeout: timeoutMs,
          headers: {
            accept: 'application/json',
            ...headers,
            ...(payload
              ? { 'content-type': 'application/json', 'content-length': String(payload.length) }
              : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let json: unknown = null;
            try {
              json = text ? JSON.parse(text) : null;
            } catch {
              // Not JSON (a proxy's error page): reported below with the status.
            }
            const status = res.statusCode ?? 0;
            if (status >= 200 && status < 300) return resolve(json as T);
            const parsed = errorPayloadSchema.safeParse((json as { error?: unknown } | null)?.error);
            if (parsed.success) return reject(Object.assign(ApiError.fromPayload(parsed.data), { status }));
            reject(
              Object.assign(
                new ApiError(
                  status === 401 ? 'unauthorized' : 'remote-error',
                  sayClient('client.serverHttp', {
                    status: String(status),
                    host: target.host,
                    body: text.slice(0, 200),
                  }),
                ),
                {
                  status,
                },
              ),
            );
          });
          res.on('error', reject);
        },
      );
      req.on('timeout', () =>
        req.destroy(
          new ApiError(
            'timeout',
            sayClient('client.serverTimeout', { method, path: target.pathname, ms: timeoutMs }),
          ),
        ),
      );
      req.on('error', (err: NodeJS.ErrnoException) => {
        if (err instanceof ApiError) return reject(err);
        if (err.name === 'AbortError') return reject(new ApiError('aborted', sayClient('client.cancelled')));
        const tlsProblem =
          err.code?.startsWith('ERR_TLS') || /certificate|self.signed|SSL/i.test(err.message);
        if (tlsProblem)
          return reject(
            new ApiError('untrusted-identity', sayClient('client.serverUntrusted', { error: err.message })),
          );
        // The library's text says what failed (connect ECONNREFUSED 10.0.0.5:8443); the hint what to do.
        const hint = networkHint(err.code);
        const where = { origin: this.base.origin, error: err.message };
        reject(
          new ApiError(
            'unreachable',
            hint
              ? sayClient('client.serverUnreachableHint', { ...where, hint })
              : sayClient('client.serverUnreachable', where),
          ),
        );
      });
      if (payload) req.end(payload);
      else req.end();
    });
  }

  close(): void {
    this.agent?.destroy();
    this.agent = null;
  }
}
