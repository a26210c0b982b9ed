import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { realConnectors } from '../../../core/connectors';
import { tServer, useLocale } from '../../../renderer/src/i18n';
import { ApiError } from '../../../shared/errors';
import { type HypervDoublePair, startHypervDoublePair } from '../../hyperv-double';
import { englishOf } from '../../support/words';
import { startVcsim, type Vcsim } from '../../vcsim/harness';
import { openTestDb, startTestServer, type TestDb, type TestServer } from './harness';

/**
 * Endpoint verification with the real connectors: the vSphere one against govmomi's simulator
 * over TLS, the Hyper-V one against the SSH host double. Nothing is saved unless the endpoint
 * proved its identity and accepted the login.
 */
let tdb: TestDb;
let t: TestServer;
let vc: Vcsim;
let hv: HypervDoublePair;

beforeAll(async () => {
  [vc, hv, tdb] = await Promise.all([
    startVcsim({ username: 'admin@lab', password: 'vc-secret' }),
    startHypervDoublePair(),
    openTestDb('pglite'),
  ]);
  t = await startTestServer(tdb.db, {
    runJobs: false,
    connectors: realConnectors,
  });
  await t.admin.addSite('ams', 'primary');
  await t.admin.addSite('rtm', 'secondary');
});

afterAll(async () => {
  await t?.close();
  await tdb?.drop();
  await vc?.stop();
  await hv?.stop();
});

async function refused(p: Promise<unknown>): Promise<ApiError & { status?: number }> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApiError);
  return err as ApiError & { status?: number };
}

describe('vSphere endpoints (vcsim)', () => {
  it('refuses a wrong pinned thumbprint and saves nothing', async () => {
    const e = await refused(
      t.admin.addEndpoint({
        site: 'ams',
        name: 'vc-wrong-pin',
        target: { kind: 'vsphere', url: vc.url, username: vc.username },
        secrets: { password: vc.password },
        trust: { kind: 'thumbprint', thumbprint: '00'.repeat(32) },
      }),
    );
    expect(e.status).toBe(409);
    expect(e.code).toBe('identity-changed');
    expect(e.message).toContain(vc.thumbprint);
    expect((await t.admin.listEndpoints()).map((x) => x.name)).not.toContain('vc-wrong-pin');
  });

  it('refuses a wrong password and saves nothing', async () => {
    const e = await refused(
      t.admin.addEndpoint({
        site: 'ams',
        name: 'vc-bad-login',
        target: { kind: 'vsphere', url: vc.url, username: vc.username },
        secrets: { password: 'wrong' },
        trust: { kind: 'thumbprint', thumbprint: vc.thumbprint },
      }),
    );
    expect(e.code).toBe('invalid-login');
    expect((await t.admin.listEndpoints()).map((x) => x.name)).not.toContain('vc-bad-login');
  });

  it('verifies, pins on first use, stores the password sealed and tests again later', async () => {
    const ep = await t.admin.addEndpoint({
      site: 'ams',
      name: 'vc',
      target: { kind: 'vsphere', url: vc.url, username: vc.username },
      secrets: { password: vc.password },
      trustOnFirstUse: true,
    });
    expect(ep.trust).toEqual({ kind: 'thumbprint', thumbprint: vc.thumbprint });
    expect(ep.product.length).toBeGreaterThan(0);
    expect(JSON.stringify(ep)).not.toContain(vc.password);
    const dump = JSON.stringify(await t.server.db.query('SELECT * FROM endpoints'));
    expect(dump).not.toContain(vc.password);
    const test = await t.admin.testEndpoint('vc');
    expect(test.status).toBe('ok');
    // The CLI prints the English; a console words it, vCenter's product name as sent.
    expect(test.message).toBe(`vc answered as ${test.product}`);
    expect(englishOf(test.messageWords!)).toBe(test.message);
    useLocale.setState({ locale: 'nl' });
    expect(tServer(test.message, test.messageWords)).toBe(`vc antwoordde als ${test.product}`);
    useLocale.setState({ locale: 'en' });
  });

  it("serves the endpoint's inventory to a viewer, read with the stored credentials (what an export carries)", async () => {
    const inventory = await t.as.viewer.endpointInventory('vc');
    expect(inventory.source).toMatchObject({ kind: 'vsphere', url: vc.url });
    if (inventory.source.kind !== 'vsphere') throw new Error('expected a vSphere inventory');
    expect(inventory.vms.map((v) => v.name)).toContain('DC0_H0_VM0');
    expect(JSON.stringify(inventory)).not.toContain(vc.password);
    expect((await refused(t.as.agent.endpointInventory('vc'))).status).toBe(403);
    const missing = await refused(t.as.viewer.endpointInventory('no-such-endpoint'));
    expect(missing.status).toBe(404);
  });

  it('adds a master target found by VM name on the site vCenter', async () => {
    const vmName = 'DC0_H0_VM0';
    const mt = await t.admin.addMasterTarget({ site: 'ams', vm: vmName });
    expect(mt.vmName).toBe(vmName);
    expect(mt.vmId).toMatch(/^vm-/);
    expect(mt.endpointId).not.toBeNull();
    expect(mt.slotsFree).toBe(60);
    const missing = await refused(t.admin.addMasterTarget({ site: 'ams', vm: 'no-such-vm' }));
    expect(missing.status).toBe(404);
    expect(missing.message).toContain("no VM named 'no-such-vm'");
    const noEndpoint = await refused(t.admin.addMasterTarget({ site: 'rtm', vm: vmName }));
    expect(noEndpoint.message).toContain('no vSphere endpoint');
  });
});

describe('Hyper-V endpoints (SSH host double)', () => {
  it('pins a given host key, or refuses a different one', async () => {
    const wrong = await refused(
      t.admin.addEndpoint({
        site: 'rtm',
        name: 'hv-wrong',
        target: {
          kind: 'hyperv',
          host: hv.replica.host,
          port: hv.replica.port,
          username: hv.credentials.username,
        },
        secrets: { password: hv.credentials.password },
        trust: { kind: 'host-key', fingerprint: hv.primary.fingerprint },
      }),
    );
    expect(wrong.code).toBe('identity-changed');
    const ep = await t.admin.addEndpoint({
      site: 'rtm',
      name: 'hv-replica',
      target: {
        kind: 'hyperv',
        host: hv.replica.host,
        port: hv.replica.port,
        username: hv.credentials.username,
      },
      secrets: { password: hv.credentials.password },
      trust: { kind: 'host-key', fingerprint: hv.replica.fingerprint },
    });
    expect(ep.product).toContain('Hyper-V');
    expect(ep.trust).toEqual({ kind: 'host-key', fingerprint: hv.replica.fingerprint });
  });

  it('trusts on first use with a private key', async () => {
    const ep = await t.admin.addEndpoint({
      site: 'ams',
      name: 'hv-primary',
      target: {
        kind: 'hyperv',
        host: hv.primary.host,
        port: hv.primary.port,
        username: hv.credentials.username,
      },
      secrets: { privateKey: hv.credentials.privateKey },
      trustOnFirstUse: true,
    });
    expect(ep.trust).toEqual({
      kind: 'host-key',
      fingerprint: hv.primary.fingerprint,
      algorithm: 'ssh-ed25519',
    });
  });

  it('reports an endpoint that stopped answering, and removes it', async () => {
    const down = await startHypervDoublePair();
    await t.admin.addEndpoint({
      site: 'ams',
      name: 'hv-temp',
      target: {
        kind: 'hyperv',
        host: down.primary.host,
        port: down.primary.port,
        username: down.credentials.username,
      },
      secrets: { password: down.credentials.password },
      trustOnFirstUse: true,
    });
    await down.stop();
    const result = await t.admin.testEndpoint('hv-temp');
    expect(result.status).toBe('unreachable');
    expect(result.message.length).toBeGreaterThan(0);
    // Why, as the connector said it: worded in a Dutch console.
    expect(englishOf(result.messageWords!)).toBe(result.message);
    // Its inventory cannot be read either: a 502 with the reason, not an empty inventory.
    const gone = await refused(t.as.viewer.endpointInventory('hv-temp'));
    expect(gone.status).toBe(502);
    expect(gone.code).toBe('unreachable');
    const hvInventory = await t.as.viewer.endpointInventory('hv-primary');
    expect(hvInventory.source.kind).toBe('hyperv');
    expect(hvInventory.vms.length).toBeGreaterThan(0);
    await t.admin.removeEndpoint('hv-temp');
    expect((await t.admin.listEndpoints()).map((e) => e.name)).not.toContain('hv-temp');
    expect((await refused(t.as.operator.removeEndpoint('hv-primary'))).status).toBe(403);
  });
});
