import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotAuthenticated, PropertyCollector, VimClient, vsphereConnector } from '../../../core/vsphere';
import { ApiError } from '../../../shared/errors';
import { LOGIN, methodOf, SERVICE_CONTENT, soapBody, startFakeSdk } from '../../vcsim/fake-sdk';
import { startVcsim, type Vcsim } from '../../vcsim/harness';

const OTHER_THUMBPRINT = `${'ab:'.repeat(31)}ab`;

describe('vSphere connection: identity, credentials, reachability (vcsim)', () => {
  let sim: Vcsim;
  beforeAll(async () => {
    sim = await startVcsim({ username: 'admin@vsphere.local', password: 'S3cret!pw' });
  });
  afterAll(async () => {
    await sim?.stop();
  });
  const target = () => ({ kind: 'vsphere' as const, url: sim.url, username: sim.username });

  it('trust on first use reports the presented SHA-256 thumbprint', async () => {
    const r = await vsphereConnector.test(target(), { password: sim.password }, undefined);
    expect(r).toMatchObject({
      status: 'confirm-identity',
      identity: { kind: 'thumbprint', thumbprint: sim.thumbprint },
    });
  });

  it('with the confirmed thumbprint (any case, colons optional) and the right password it is ok', async () => {
    const pinned = sim.thumbprint.replace(/:/g, '').toUpperCase();
    const r = await vsphereConnector.test(
      target(),
      { password: sim.password },
      { kind: 'thumbprint', thumbprint: pinned },
    );
    expect(r.status).toBe('ok');
    if (r.status === 'ok') expect(r.product).toMatch(/VMware vCenter Server/);
  });

  it('a wrong password is InvalidLogin with a readable message', async () => {
    const err = await vsphereConnector
      .test(target(), { password: 'wrong' }, { kind: 'thumbprint', thumbprint: sim.thumbprint })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe('invalid-login');
    expect((err as ApiError).message).toMatch(/user name or password was refused/);
  });

  it('a changed certificate is reported as identity-changed, not reconnected', async () => {
    const r = await vsphereConnector.test(
      target(),
      { password: sim.password },
      { kind: 'thumbprint', thumbprint: OTHER_THUMBPRINT },
    );
    expect(r).toMatchObject({
      status: 'identity-changed',
      identity: { thumbprint: sim.thumbprint },
      pinned: OTHER_THUMBPRINT,
    });
    const err = await vsphereConnector
      .open(target(), { password: sim.password }, { kind: 'thumbprint', thumbprint: OTHER_THUMBPRINT })
      .catch((e: unknown) => e);
    expect((err as ApiError).code).toBe('identity-changed');
  });

  it('a malformed thumbprint or a missing password is refused with what to do', async () => {
    const bad = await vsphereConnector
      .open(target(), { password: 'x' }, { kind: 'thumbprint', thumbprint: 'abc' })
      .catch((e: unknown) => e);
    expect((bad as ApiError).code).toBe('invalid-input');
    expect((bad as ApiError).message).toMatch(/64 hex digits/);
    const nopw = await vsphereConnector
      .open(target(), {}, { kind: 'thumbprint', thumbprint: sim.thumbprint })
      .catch((e: unknown) => e);
    expect((nopw as ApiError).message).toMatch(/no password/);
  });

  it('an expired session is logged in again once and the call retried', async () => {
    const client = await VimClient.connect({
      url: sim.url,
      trust: { kind: 'thumbprint', thumbprint: sim.thumbprint },
      username: sim.username,
      password: sim.password,
    });
    try {
      // The server forgets the session behind the client's back.
      await client.call('Logout', client.serviceContent.sessionManager, []);
      const pc = new PropertyCollector(client);
      const root = client.serviceContent.rootFolder;
      const stale = await client
        .call('CreateContainerView', client.serviceContent.viewManager, [
          ['container', root],
          ['type', ['Datacenter']],
          ['recursive', true],
        ])
        .catch((e: unknown) => e);
      expect(stale).toBeInstanceOf(NotAuthenticated);
      // Through invoke, the same call logs in again and succeeds.
      const view = await pc.createContainerView(root, ['Datacenter']);
      expect(view.type).toBe('ContainerView');
      await pc.destroyView(view);
    } finally {
      await client.close();
    }
  });
});

describe('vSphere connection: nothing is sent to an untrusted endpoint', () => {
  it('TOFU and a pinned mismatch send no byte (not even the SOAP request)', async () => {
    const fake = await startFakeSdk(() => ({ body: SERVICE_CONTENT }));
    try {
      const t = { kind: 'vsphere' as const, url: fake.url, username: 'admin' };
      const tofu = await vsphereConnector.test(t, { password: 'never-sent' }, undefined);
      expect(tofu).toMatchObject({ status: 'confirm-identity', identity: { thumbprint: fake.thumbprint } });
      const err = await vsphereConnector
        .open(t, { password: 'never-sent' }, { kind: 'thumbprint', thumbprint: OTHER_THUMBPRINT })
        .catch((e: unknown) => e);
      expect((err as ApiError).code).toBe('identity-changed');
      expect(fake.bytesReceived()).toBe(0);
      expect(fake.requests).toHaveLength(0);
    } finally {
      await fake.close();
    }
  });

  it('with the right pin the login reaches the server, with the session cookie kept verbatim', async () => {
    const cookie = 'vmware_soap_session="52f3a3c1-aaaa-bbbb"';
    const fake = await startFakeSdk((req) => {
      if (methodOf(req) === 'RetrieveServiceContent') return { body: SERVICE_CONTENT };
      if (methodOf(req) === 'Login')
        return { body: LOGIN, headers: { 'Set-Cookie': `${cookie}; Path=/; HttpOnly; Secure` } };
      return {
        body: soapBody(
          '<CurrentTimeResponse xmlns="urn:vim25"><returnval>2026-01-01T00:00:00Z</returnval></CurrentTimeResponse>',
        ),
      };
    });
    try {
      const client = await VimClient.connect({
        url: fake.url,
        trust: { kind: 'thumbprint', thumbprint: fake.thumbprint },
        username: 'admin',
        password: 'pw',
      });
      expect(await client.invoke('CurrentTime', { type: 'ServiceInstance', value: 'ServiceInstance' })).toBe(
        '2026-01-01T00:00:00Z',
      );
      const last = fake.requests.at(-1)!;
      expect(last.headers).toContain(`Cookie: ${cookie}`);
      // The API version comes from about.apiVersion.
      expect(last.headers).toContain('SOAPAction: "urn:vim25/8.0.3.0"');
      client.transport.close();
    } finally {
      await fake.close();
    }
  });
});

describe('vSphere connection: unreachable', () => {
  it('a closed port is "unreachable" with a hint', async () => {
    const srv = createServer();
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
    const port = (srv.address() as { port: number }).port;
    await new Promise<void>((r) => srv.close(() => r()));
    const err = await vsphereConnector
      .test(
        { kind: 'vsphere', url: `https://127.0.0.1:${port}/sdk`, username: 'u' },
        { password: 'p' },
        undefined,
      )
      .catch((e: unknown) => e);
    expect((err as ApiError).code).toBe('unreachable');
    expect((err as ApiError).message).toMatch(/refused the connection/);
  });
});
