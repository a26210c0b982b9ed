import { execFileSync } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { gzipSync } from 'node:zlib';
import { VimClient } from '../../core/vsphere';

/**
 * A TLS endpoint on 127.0.0.1 that answers SOAP requests from a script (recorded or broken
 * responses) and records every plaintext byte it receives, so tests can prove that nothing —
 * no credential — reached a server whose certificate was not trusted.
 */

export interface FakeRequest {
  headers: string;
  body: string;
}

export interface FakeResponse {
  status?: number;
  body: string;
  headers?: Record<string, string>;
  /** Close the connection after this many bytes of the body (a truncated answer). */
  truncateAt?: number;
  /** Send the body gzip-compressed (Content-Encoding: gzip), as vCenter does when asked. */
  gzip?: boolean;
}

export interface FakeSdk {
  url: string;
  thumbprint: string;
  requests: FakeRequest[];
  /** Plaintext bytes received over all connections. */
  bytesReceived(): number;
  close(): Promise<void>;
}

let cached: { key: string; cert: string } | undefined;

/** A throw-away self-signed certificate for 127.0.0.1 (openssl is part of every Debian install). */
export function selfSignedCert(): { key: string; cert: string } {
  if (cached) return cached;
  const dir = mkdtempSync(join(tmpdir(), 'siteshift-cert-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
        '-days',
        '2',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
      ],
      { stdio: 'ignore' },
    );
    cached = {
      key: readFileSync(join(dir, 'key.pem'), 'utf8'),
      cert: readFileSync(join(dir, 'cert.pem'), 'utf8'),
    };
    return cached;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function startFakeSdk(
  respond: (req: FakeRequest, index: number) => FakeResponse,
): Promise<FakeSdk> {
  const { key, cert } = selfSignedCert();
  const requests: FakeRequest[] = [];
  let received = 0;
  const sockets = new Set<tls.TLSSocket>();
  const server = tls.createServer({ key, cert }, (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    let buf = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      received += chunk.length;
      buf = Buffer.concat([buf, chunk]);
      for (;;) {
        const end = buf.indexOf('\r\n\r\n');
        if (end === -1) return;
        const headers = buf.subarray(0, end).toString('latin1');
        const length = Number(/content-length:\s*(\d+)/i.exec(headers)?.[1] ?? 0);
        if (buf.length < end + 4 + length) return;
        const body = buf.subarray(end + 4, end + 4 + length).toString('utf8');
        buf = buf.subarray(end + 4 + length);
        const req = { headers, body };
        requests.push(req);
        const res = respond(req, requests.length - 1);
        const payload = res.gzip ? gzipSync(res.body) : Buffer.from(res.body, 'utf8');
        const head = [
          `HTTP/1.1 ${res.status ?? 200} ${res.status && res.status >= 400 ? 'Error' : 'OK'}`,
          'Content-Type: text/xml; charset=utf-8',
          `Content-Length: ${payload.length}`,
          ...(res.gzip ? ['Content-Encoding: gzip'] : []),
          ...Object.entries(res.headers ?? {}).map(([k, v]) => `${k}: ${v}`),
          '',
          '',
        ].join('\r\n');
        if (res.truncateAt !== undefined) {
          socket.end(Buffer.concat([Buffer.from(head, 'latin1'), payload.subarray(0, res.truncateAt)]));
          return;
        }
        socket.write(Buffer.concat([Buffer.from(head, 'latin1'), payload]));
      }
    });
  });
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', () => res()));
  const port = (server.address() as AddressInfo).port;
  const der = new X509Certificate(cert).raw;
  return {
    url: `https://127.0.0.1:${port}/sdk`,
    thumbprint: createHash('sha256').update(der).digest('hex').match(/../g)!.join(':'),
    requests,
    bytesReceived: () => received,
    close: () =>
      new Promise<void>((res) => {
        for (const s of sockets) s.destroy();
        server.close(() => res());
      }),
  };
}

const ENV_OPEN =
  '<?xml version="1.0" encoding="UTF-8"?>\n<soapenv:Envelope xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/"\n xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"\n xmlns:xsd="http://www.w3.org/2001/XMLSchema"\n xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n<soapenv:Body>\n';
const ENV_CLOSE = '\n</soapenv:Body>\n</soapenv:Envelope>';

/** A response body in vCenter's own layout (xsi prefix, newlines around the body). */
export function soapBody(inner: string): string {
  return `${ENV_OPEN}${inner}${ENV_CLOSE}`;
}

/** The method name of a recorded SOAP request. */
export function methodOf(req: FakeRequest): string {
  return /<soapenv:Body><(\w+)/.exec(req.body)?.[1] ?? '';
}

export const SERVICE_CONTENT = soapBody(
  '<RetrieveServiceContentResponse xmlns="urn:vim25"><returnval><rootFolder type="Folder">group-d1</rootFolder><propertyCollector type="PropertyCollector">propertyCollector</propertyCollector><viewManager type="ViewManager">ViewManager</viewManager><about><name>VMware vCenter Server</name><fullName>VMware vCenter Server 8.0.3 build-24022515</fullName><vendor>VMware, Inc.</vendor><version>8.0.3</version><build>24022515</build><apiType>VirtualCenter</apiType><apiVersion>8.0.3.0</apiVersion><instanceUuid>4f5b2b9e-9d0c-4c4a-9f43-5f1b4c2f2a11</instanceUuid></about><sessionManager type="SessionManager">SessionManager</sessionManager></returnval></RetrieveServiceContentResponse>',
);

export const LOGIN = soapBody(
  '<LoginResponse xmlns="urn:vim25"><returnval><key>52f3a3c1-0000-0000-0000-000000000001</key><userName>VSPHERE.LOCAL\\admin</userName></returnval></LoginResponse>',
);

/** The answer of a call that returns nothing, as vCenter writes it. */
export const emptyAnswer = (method: string): string =>
  soapBody(`<${method}Response xmlns="urn:vim25"></${method}Response>`);

/** A client logged in to a fake (admin/pw, the fake's certificate pinned); `close` stops both. */
export async function connectToFake(
  fake: FakeSdk,
): Promise<{ client: VimClient; close: () => Promise<void> }> {
  const client = await VimClient.connect({
    url: fake.url,
    trust: { kind: 'thumbprint', thumbprint: fake.thumbprint },
    username: 'admin',
    password: 'pw',
  });
  return {
    client,
    close: async () => {
      client.transport.close();
      await fake.close();
    },
  };
}

/**
 * A fake vCenter that answers the service content (`serviceContent`, default SERVICE_CONTENT)
 * and the login itself and every other call with `answer` (method, request body, index among
 * those calls; nothing: the empty answer), with a client logged in to it.
 */
export async function fakeVcenter(
  answer: (method: string, body: string, index: number) => FakeResponse | undefined,
  serviceContent = SERVICE_CONTENT,
): Promise<{ fake: FakeSdk; client: VimClient; close: () => Promise<void> }> {
  let calls = 0;
  const fake = await startFakeSdk((req) => {
    const m = methodOf(req);
    if (m === 'RetrieveServiceContent') return { body: serviceContent };
    if (m === 'Login') return { body: LOGIN, headers: { 'Set-Cookie': 'vmware_soap_session="abc"; Path=/' } };
    return answer(m, req.body, calls++) ?? { body: emptyAnswer(m) };
  });
  return { fake, ...(await connectToFake(fake)) };
}
