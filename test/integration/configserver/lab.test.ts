import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigServerClient } from '../../../core/configserver';
import { type Lab, LabAgent, startLab } from '../../../server/lab';
import { waitFor } from './harness';

/** The lab: seeded through the REST API, driven through the agent API by the lab agent. */
let dir: string;
let lab: Lab;
let client: ConfigServerClient;
let agentClient: ConfigServerClient;
let agent: LabAgent;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'siteshift-lab-'));
  lab = await startLab({ vms: 12, dataDir: dir, agent: false });
  client = new ConfigServerClient({ url: lab.url, token: lab.adminToken });
  const token = await client.createToken('lab-agent-test', 'agent');
  agentClient = new ConfigServerClient({ url: lab.url, token: token.secret });
  // Fast lab time and no random errors: each tick is a step the test controls.
  agent = new LabAgent(agentClient, { rateMbps: 10_000_000, tickMs: 1000, errorChance: 0, burstChance: 0 });
});

afterAll(async () => {
  await agent?.stop();
  agentClient?.close();
  client?.close();
  await lab?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('lab', () => {
  it('seeds two sites, their endpoints, a process server, master targets, plans and pairs', async () => {
    expect(lab.seed.seeded).toBe(true);
    const sites = await client.listSites();
    expect(sites.map((s) => `${s.name}:${s.role}`).sort()).toEqual([
      'lab-amsterdam:primary',
      'lab-rotterdam:secondary',
    ]);
    const endpoints = await client.listEndpoints();
    expect(endpoints.map((e) => e.target.kind).sort()).toEqual(['hyperv', 'hyperv', 'vsphere', 'vsphere']);
    expect(endpoints.every((e) => e.hasSecret && e.trust.kind !== 'loopback')).toBe(true);
    const mts = await client.listMasterTargets();
    // The secondary's master targets receive; the primary's are there for reprotect and failback.
    expect(mts.map((m) => `${m.name}:${m.osFamily}`).sort()).toEqual([
      'ams-mt-lnx-01:linux',
      'ams-mt-win-01:windows',
      'rtm-mt-lnx-01:linux',
      'rtm-mt-win-01:windows',
    ]);
    expect(mts.reduce((n, m) => n + m.slotsUsed, 0)).toBeGreaterThanOrEqual(12);
    expect((await client.listPlans()).map((p) => p.name).sort()).toEqual(['lab-linux', 'lab-windows']);
    const pairs = await client.listPairs();
    expect(pairs).toHaveLength(12 + 5);
    expect(pairs.every((p) => p.state === 'enabling')).toBe(true);
    const windows = pairs.filter((p) => p.masterTargetId === mts.find((m) => m.name === 'rtm-mt-win-01')!.id);
    expect(windows.length).toBeGreaterThan(0);
    expect(windows.every((p) => p.osFamily === 'windows')).toBe(true);
  });

  it('the lab agent drives every pair to protected, with recovery points and process-server health', async () => {
    for (let i = 0; i < 4; i++) await agent.tick();
    const pairs = await client.listPairs();
    expect(pairs.map((p) => p.state)).toEqual(pairs.map(() => 'protected'));
    expect(pairs.every((p) => p.stats !== null && p.health === 'ok')).toBe(true);
    for (let i = 0; i < 15; i++) await agent.tick();
    // Once protected a pair sends what its VM writes (0.5-8 MiB/s, up to 1.5x in a tick), not the
    // link's capacity, and says so in bytes per second.
    const sending = (await client.listPairs()).map((p) => p.stats!.throughputBps);
    expect(Math.max(...sending)).toBeLessThanOrEqual(12 * 1024 ** 2);
    expect(Math.min(...sending)).toBeGreaterThan(0);
    const points = await client.recoveryPoints(pairs[0]!.id);
    expect(points.length).toBeGreaterThan(0);
    const ps = (await client.listProcessServers())[0]!;
    expect(ps.health).not.toBeNull();
    expect(ps.lastHeartbeatAt).not.toBeNull();
    const agents = await client.listAgents();
    expect(agents.filter((a) => a.kind === 'mobility')).toHaveLength(pairs.length);
    expect(agents.filter((a) => a.kind === 'process-server')).toHaveLength(1);
    expect(agent.failures).toBe(0);
  });

  it('a churn burst makes the server demand a resync, which the lab then runs', async () => {
    const burst = new LabAgent(agentClient, {
      rateMbps: 10_000_000,
      errorChance: 0,
      burstChance: 1,
      seed: 3,
    });
    await burst.tick();
    const needing = (await client.listPairs()).filter((p) => p.state === 'resync-required');
    expect(needing.length).toBeGreaterThan(0);
    expect((await client.listAlerts()).some((a) => a.key.endsWith(':resync'))).toBe(true);
    await lab.server.sweep(); // lab settings start resyncs at once
    expect((await client.listPairs()).some((p) => p.state === 'resyncing')).toBe(true);
    for (let i = 0; i < 3; i++) await agent.tick();
    const after = await client.listPairs();
    expect(after.every((p) => p.state === 'protected')).toBe(true);
    expect((await client.listAlerts()).some((a) => a.key.endsWith(':resync'))).toBe(false);
  });

  it('a recoverable error waits for the retry time the server gives', async () => {
    const flaky = new LabAgent(agentClient, {
      rateMbps: 10_000_000,
      errorChance: 1,
      burstChance: 0,
      seed: 5,
    });
    await flaky.tick();
    const pairs = await client.listPairs();
    expect(pairs.every((p) => p.retry?.attempt === 1 && p.retry.recoverable)).toBe(true);
    const before = flaky.requests;
    await flaky.tick(); // everyone is waiting for nextAt: only the pair list and PS health are sent
    expect(flaky.requests - before).toBeLessThanOrEqual(2);
  });

  it('a restarted lab on the same folder keeps its state and is not seeded again', async () => {
    const pairs = (await client.listPairs()).length;
    await agent.stop();
    agentClient.close();
    client.close();
    await lab.stop();
    lab = await startLab({
      vms: 12,
      dataDir: dir,
      agent: { tickMs: 200, rateMbps: 10_000_000, errorChance: 0, burstChance: 0 },
    });
    expect(lab.seed.seeded).toBe(false);
    client = new ConfigServerClient({ url: lab.url, token: lab.adminToken });
    agentClient = new ConfigServerClient({ url: lab.url, token: lab.adminToken });
    expect((await client.listPairs()).length).toBe(pairs);
    // The built-in agent is running: reports keep arriving (pairs wait for their retry time, the
    // process server reports every round).
    const ps = (await client.listProcessServers())[0]!;
    await waitFor(
      async () => (await client.listProcessServers())[0]!.lastHeartbeatAt !== ps.lastHeartbeatAt,
      'a fresh process-server report',
      15_000,
    );
  });

  it('refuses a second lab on the same folder, and revokes the tokens a crashed lab left behind', async () => {
    await expect(startLab({ vms: 12, dataDir: dir, agent: false })).rejects.toThrow(
      /in use by another Siteshift server \(process \d+/,
    );
    const leftover = lab.adminToken;
    // A crash: the server goes away without revoking the tokens it minted.
    client.close();
    agentClient.close();
    await lab.agent?.stop();
    await lab.server.close();
    lab = await startLab({ vms: 12, dataDir: dir, agent: false });
    client = new ConfigServerClient({ url: lab.url, token: lab.adminToken });
    agentClient = new ConfigServerClient({ url: lab.url, token: lab.adminToken });
    const stale = new ConfigServerClient({ url: lab.url, token: leftover });
    await expect(stale.whoami()).rejects.toMatchObject({ code: 'unauthorized' });
    stale.close();
    const live = (await client.listTokens()).filter((t) => !t.revokedAt && t.createdBy === 'lab');
    expect(live.map((t) => t.name.split(' ')[0]).sort()).toEqual(['lab-agent', 'lab-console']);
  });
});
