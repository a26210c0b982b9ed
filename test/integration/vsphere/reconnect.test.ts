import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openVsphere, type VsphereChange, type VsphereInventorySource, vmRef } from '../../../core/vsphere';
import { startVcsim, type Vcsim } from '../../vcsim/harness';

/** A TCP relay in front of vcsim that the test can cut and restore, on the same port. */
function relay(target: URL) {
  let server: Server | undefined;
  const sockets = new Set<Socket>();
  let port = 0;
  const start = () =>
    new Promise<void>((resolve) => {
      server = createServer((client) => {
        const upstream = connect(Number(target.port), target.hostname);
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('close', () => sockets.delete(s));
          s.on('error', () => {});
        }
        client.pipe(upstream).pipe(client);
      });
      server.listen(port, '127.0.0.1', () => {
        port = (server!.address() as { port: number }).port;
        resolve();
      });
    });
  const cut = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server!.close(() => resolve());
    });
  return { start, cut, port: () => port };
}

describe('vSphere live updates survive a network cut (reconnect with backoff)', () => {
  let sim: Vcsim;
  let source: VsphereInventorySource;
  let direct: VsphereInventorySource;
  const net = { start: async () => {}, cut: async () => {}, port: () => 0 } as ReturnType<typeof relay>;

  beforeAll(async () => {
    sim = await startVcsim({ clusters: 1, clusterHosts: 1, standaloneHosts: 0, vmsPerPool: 2 });
    Object.assign(net, relay(new URL(sim.url)));
    await net.start();
    const viaRelay = `https://127.0.0.1:${net.port()}/sdk`;
    const trust = { kind: 'thumbprint' as const, thumbprint: sim.thumbprint };
    source = await openVsphere(
      { kind: 'vsphere', url: viaRelay, username: sim.username },
      { password: sim.password },
      trust,
      undefined,
      {
        watch: { maxWaitSeconds: 1, backoffMs: [200, 400, 800] },
      },
    );
    direct = await openVsphere(
      { kind: 'vsphere', url: sim.url, username: sim.username },
      { password: sim.password },
      trust,
    );
  });
  afterAll(async () => {
    await source?.close().catch(() => {});
    await direct?.close();
    await net.cut().catch(() => {});
    await sim?.stop();
  });

  it('reports the interruption, reconnects, and delivers what changed meanwhile', async () => {
    const inv = await source.fetchInventory();
    const changes: VsphereChange[] = [];
    const errors: Error[] = [];
    const stop = source.watch(
      (c) => changes.push(c),
      (e) => errors.push(e),
    );
    try {
      await new Promise((r) => setTimeout(r, 300));
      await net.cut();
      // Changed while the console cannot see vCenter.
      const vm = inv.vms[0]!;
      await direct.vm.powerOff(vmRef(vm.id));
      const deadline = Date.now() + 5000;
      while (errors.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(errors[0]?.message).toMatch(/live updates interrupted, reconnecting/);
      await net.start();
      const until = Date.now() + 8000;
      const hit = () =>
        changes.find((c) => c.type === 'upsert' && c.id === vm.id && c.value.powerState === 'poweredOff');
      while (!hit() && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
      expect(hit()).toBeDefined();
      // Only what changed is emitted on the resync, not the whole estate.
      expect(changes.filter((c) => c.type === 'upsert').map((c) => c.id)).toEqual([vm.id]);
    } finally {
      stop();
    }
  });
});
