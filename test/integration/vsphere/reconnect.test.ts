import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  faultFromDetail,
  isFault,
  type MoRef,
  openVsphere,
  PropertyCollector,
  type VimClient,
  type VsphereChange,
  type VsphereInventorySource,
  vmRef,
} from '../../../core/vsphere';
import { asObject, text } from '../../../core/vsphere/xml';
import { startVcsim, type Vcsim } from '../../vcsim/harness';
import { type Relay, relay } from '../../vcsim/relay';

/** Every call the client sends (method, the object it is on, WaitForUpdatesEx's version). */
interface Sent {
  method: string;
  self: MoRef;
  version?: string;
}

/** Records the client's calls; `fail` may answer one instead of sending it. */
function spy(client: VimClient, fail?: (s: Sent) => Error | undefined): Sent[] {
  const sent: Sent[] = [];
  const invoke = client.invoke.bind(client);
  const call = client.call.bind(client);
  const record = (method: string, self: MoRef, args: Parameters<VimClient['invoke']>[2] = []) => {
    const version = args.find(([k]) => k === 'version')?.[1];
    const s: Sent = { method, self, version: typeof version === 'string' ? version : undefined };
    sent.push(s);
    return fail?.(s);
  };
  client.invoke = (method, self, args, ...rest) => {
    const err = record(method, self, args);
    return err ? Promise.reject(err) : invoke(method, self, args, ...rest);
  };
  // Destroy calls go through `call` (no re-login for an object that dies with its session).
  client.call = (method, self, args, ...rest) => {
    if (method.startsWith('Destroy')) record(method, self, args);
    return call(method, self, args, ...rest);
  };
  return sent;
}

async function until(cond: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const poweredOff = (changes: VsphereChange[], id: string) =>
  changes.find((c) => c.type === 'upsert' && c.id === id && c.value.powerState === 'poweredOff');

describe('vSphere live updates survive a network cut and a lost session', () => {
  let sim: Vcsim;
  let direct: VsphereInventorySource;
  const net = { start: async () => {}, cut: async () => {}, port: () => 0 } as Relay;
  const sources: VsphereInventorySource[] = [];
  const trust = () => ({ kind: 'thumbprint' as const, thumbprint: sim.thumbprint });
  const viaRelay = () =>
    openVsphere(
      { kind: 'vsphere', url: `https://127.0.0.1:${net.port()}/sdk`, username: sim.username },
      { password: sim.password },
      trust(),
      undefined,
      { watch: { maxWaitSeconds: 1, backoffMs: [200, 400, 800] } },
    ).then((s) => {
      sources.push(s);
      return s;
    });
  /**
   * vcsim, unlike vCenter, hands the updates to whichever wait is pending, even one whose
   * connection is gone, and forgets them. A change made while the network is cut is made only
   * after the cut-off wait ended (it ends within maxWaitSeconds), so that a retry can see it.
   */
  const cutOffWaitEnded = () => sim.nextLog(/WaitForUpdates MaxWaitSeconds exceeded/, 10_000);

  beforeAll(async () => {
    sim = await startVcsim({ clusters: 1, clusterHosts: 1, standaloneHosts: 0, vmsPerPool: 3 });
    Object.assign(net, relay(new URL(sim.url)));
    await net.start();
    direct = await openVsphere(
      { kind: 'vsphere', url: sim.url, username: sim.username },
      { password: sim.password },
      trust(),
    );
  });
  afterAll(async () => {
    for (const s of sources) await s.close().catch(() => {});
    await direct?.close();
    await net.cut().catch(() => {});
    await sim?.stop();
  });

  it('a wait cut mid-way is retried on the same collector from its version: only the change arrives, nothing is re-created', async () => {
    const source = await viaRelay();
    const inv = await source.fetchInventory();
    const sent = spy(source.client);
    const changes: VsphereChange[] = [];
    const errors: Error[] = [];
    const stop = source.watch(
      (c) => changes.push(c),
      (e) => errors.push(e),
    );
    try {
      // The first (full) answer came and the next wait, from its version, is pending.
      await until(
        () => sent.some((s) => s.method === 'WaitForUpdatesEx' && s.version),
        10_000,
        'a second wait',
      );
      const collector = sent.find((s) => s.method === 'WaitForUpdatesEx')!.self;
      const ended = cutOffWaitEnded();
      await net.cut();
      await until(() => errors.length > 0, 10_000, 'the interruption reported');
      expect(errors[0]?.message).toMatch(/live updates interrupted, reconnecting/);
      await ended;
      const before = sent.length;
      const vm = inv.vms[0]!;
      await direct.vm.powerOff(vmRef(vm.id));
      await net.start();
      await until(() => !!poweredOff(changes, vm.id), 15_000, 'the change made during the cut');
      // Only what changed, not the estate again.
      expect(changes.filter((c) => c.type === 'upsert').map((c) => c.id)).toEqual([vm.id]);
      const after = sent.slice(before);
      expect(after.map((s) => s.method).filter((m) => m !== 'WaitForUpdatesEx')).toEqual([]);
      for (const s of after) {
        expect(s.self).toEqual(collector);
        expect(s.version).toBeTruthy();
      }
    } finally {
      stop();
    }
  });

  it('a destroy that cannot reach vCenter is queued and sent once it answers again', async () => {
    const source = await viaRelay();
    await source.fetchInventory();
    const sent = spy(source.client);
    const stop = source.watch(() => {});
    await until(
      () => sent.some((s) => s.method === 'WaitForUpdatesEx' && s.version),
      10_000,
      'a second wait',
    );
    const collector = sent.find((s) => s.method === 'WaitForUpdatesEx')!.self;
    await net.cut();
    stop();
    await until(() => source.client.pendingDisposals === 2, 10_000, 'the two destroy calls queued');
    await net.start();
    // Any answer from vCenter sends the queue.
    await source.client.invoke('CurrentTime', { type: 'ServiceInstance', value: 'ServiceInstance' });
    await until(() => source.client.pendingDisposals === 0, 10_000, 'the queue sent');
    const destroyed = sent.filter((s) => s.method === 'DestroyPropertyCollector').map((s) => s.self);
    expect(destroyed).toEqual([collector, collector]);
    expect(sent.filter((s) => s.method === 'DestroyView')).toHaveLength(2);
    const gone = await source.client
      .call('WaitForUpdatesEx', collector, [
        ['version', ''],
        ['options', { maxWaitSeconds: 0 }],
      ])
      .then(
        () => null,
        (err: unknown) => err,
      );
    expect(isFault(gone, 'ManagedObjectNotFound')).toBe(true);
  });

  it('an expired session gets a new collector (the old one died with it) and the watch goes on', async () => {
    const source = await viaRelay();
    const inv = await source.fetchInventory();
    const sent = spy(source.client);
    const changes: VsphereChange[] = [];
    const stop = source.watch((c) => changes.push(c));
    try {
      await until(
        () => sent.some((s) => s.method === 'WaitForUpdatesEx' && s.version),
        10_000,
        'a second wait',
      );
      const collector = sent.find((s) => s.method === 'WaitForUpdatesEx')!.self;
      const sm = source.client.serviceContent.sessionManager;
      const [o] = await new PropertyCollector(source.client).retrieveObjects(
        [sm],
        [{ type: 'SessionManager', pathSet: ['currentSession'] }],
      );
      const key = text(asObject(o!.props.get('currentSession')).key);
      // Ended by vCenter, as an idle timeout or an administrator would.
      await direct.client.invoke('TerminateSession', sm, [['sessionId', [key]]]);
      const onNew = () =>
        sent.filter((s) => s.method === 'WaitForUpdatesEx' && s.version && s.self.value !== collector.value);
      await until(() => onNew().length > 0, 15_000, 'waiting on a new collector');
      // The first at the start, one after the session ended.
      expect(sent.filter((s) => s.method === 'CreatePropertyCollector')).toHaveLength(2);
      const vm = inv.vms[1]!;
      await direct.vm.powerOff(vmRef(vm.id));
      await until(() => !!poweredOff(changes, vm.id), 15_000, 'the change after the new login');
      // Nothing to destroy: the old collector ended with its session.
      expect(sent.filter((s) => s.method.startsWith('Destroy'))).toEqual([]);
    } finally {
      stop();
    }
  });

  it('InvalidCollectorVersion: the collector is destroyed and made again, and the watch goes on', async () => {
    const source = await viaRelay();
    const inv = await source.fetchInventory();
    let refused = false;
    const sent = spy(source.client, (s) => {
      if (s.method !== 'WaitForUpdatesEx' || !s.version || refused) return undefined;
      refused = true;
      return faultFromDetail('WaitForUpdatesEx', 'InvalidCollectorVersion', '', undefined);
    });
    const changes: VsphereChange[] = [];
    const errors: Error[] = [];
    const stop = source.watch(
      (c) => changes.push(c),
      (e) => errors.push(e),
    );
    try {
      await until(
        () => sent.filter((s) => s.method === 'CreatePropertyCollector').length === 2,
        10_000,
        'a new collector',
      );
      const first = sent.find((s) => s.method === 'WaitForUpdatesEx')!.self;
      expect(sent.filter((s) => s.method === 'DestroyPropertyCollector').map((s) => s.self)).toEqual([first]);
      expect(errors[0]?.message).toMatch(/live updates restart/);
      await until(
        () => sent.filter((s) => s.method === 'WaitForUpdatesEx' && s.version).length >= 2,
        10_000,
        'waiting again',
      );
      const vm = inv.vms[2]!;
      await direct.vm.powerOff(vmRef(vm.id));
      await until(() => !!poweredOff(changes, vm.id), 15_000, 'the change');
    } finally {
      stop();
    }
  });
});
