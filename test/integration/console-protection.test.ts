import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigServerClient } from '../../core/configserver';
import { configServerTester, ProtectionHub } from '../../core/console/protection';
import { type Lab, startLab } from '../../server/lab';
import type { Connection } from '../../shared/schemas/connection';
import type { ProtectionChanged } from '../../shared/schemas/protection';

let lab: Lab;
let admin: ConfigServerClient;

beforeAll(async () => {
  lab = await startLab({ vms: 6, agent: false });
  admin = new ConfigServerClient({ url: lab.url, token: lab.adminToken });
});
afterAll(async () => {
  admin?.close();
  await lab?.stop();
});

const connection = (): Connection => ({
  id: 'cs-1',
  name: 'DR server',
  site: 'primary',
  target: { kind: 'configserver', url: lab.url },
  trust: { kind: 'loopback' },
  hasSecret: true,
  lab: false,
});

describe('console protection hub against a real configuration server', () => {
  it('tests identity before sending the token, then the token', async () => {
    const target = { kind: 'configserver' as const, url: lab.url };
    expect(await configServerTester.test(target, { token: lab.adminToken }, undefined)).toEqual({
      status: 'confirm-identity',
      identity: { kind: 'loopback' },
    });
    await expect(configServerTester.test(target, {}, { kind: 'loopback' })).rejects.toMatchObject({
      code: 'invalid-login',
    });
    await expect(
      configServerTester.test(target, { token: 'wrong' }, { kind: 'loopback' }),
    ).rejects.toMatchObject({
      code: 'invalid-login',
    });
    const ok = await configServerTester.test(target, { token: lab.adminToken }, { kind: 'loopback' });
    expect(ok).toMatchObject({ status: 'ok', product: expect.stringContaining('admin token') });
    await expect(
      configServerTester.test(
        { kind: 'configserver', url: 'http://10.1.2.3:8443' },
        { token: 'x' },
        { kind: 'loopback' },
      ),
    ).rejects.toMatchObject({ code: 'invalid-input', message: expect.stringContaining('https://') });
  });

  it("keeps the words of the server's refusal when it cannot load a snapshot (a revoked token)", async () => {
    const hub = new ProtectionHub({ changed: () => undefined, job: () => undefined });
    await expect(hub.snapshot(connection(), { token: 'sst_revoked' })).rejects.toMatchObject({
      message: 'the API token is unknown or revoked; ask an admin for a new one',
      messageWords: { key: 'refusal.tokenUnknown' },
    });
  });

  it('loads a snapshot and follows the event stream in batches', async () => {
    const changes: ProtectionChanged[] = [];
    const hub = new ProtectionHub({ changed: (c) => changes.push(c), job: () => undefined });
    try {
      const snapshot = await hub.snapshot(connection(), { token: lab.adminToken });
      expect(snapshot.pairs).toHaveLength(lab.seed.pairs);
      expect(snapshot.masterTargets.map((m) => m.name).sort()).toEqual([
        'ams-mt-lnx-01',
        'ams-mt-win-01',
        'rtm-mt-lnx-01',
        'rtm-mt-win-01',
      ]);
      const pair = snapshot.pairs.find((p) => p.state === 'enabling') ?? snapshot.pairs[0]!;
      const target = pair.state === 'enabling' ? 'initial-replication' : 'error';
      await admin.transitionPair(pair.id, target, 'test');
      await expect
        .poll(() => changes.flatMap((c) => c.upsert.pairs).find((p) => p.id === pair.id)?.state, {
          timeout: 5_000,
        })
        .toBe(target);
      expect(hub.snapshots()[0]!.pairs.find((p) => p.id === pair.id)?.state).toBe(target);
    } finally {
      hub.closeAll();
    }
  });
});
