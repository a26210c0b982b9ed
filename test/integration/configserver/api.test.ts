import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigServerClient } from '../../../core/configserver';
import { ApiError } from '../../../shared/errors';
import { openTestDb, raw, startTestServer, stats, type TestDb, type TestServer, waitFor } from './harness';

let tdb: TestDb;
let t: TestServer;

beforeAll(async () => {
  tdb = await openTestDb('pglite');
  t = await startTestServer(tdb.db);
  await t.admin.addSite('ams', 'primary');
  await t.admin.addSite('rtm', 'secondary');
});

afterAll(async () => {
  await t?.close();
  await tdb?.drop();
});

async function refused(p: Promise<unknown>): Promise<ApiError & { status?: number }> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err, 'the call should have been refused').toBeInstanceOf(ApiError);
  return err as ApiError & { status?: number };
}

describe('public routes', () => {
  it('/healthz answers without a token', async () => {
    const h = await t.admin.healthz();
    expect(h.status).toBe('ok');
    expect(h.database).toBe('pglite');
  });

  it('serves the OpenAPI document with the zod schemas and a docs page', async () => {
    const doc = (await (await fetch(`${t.url}/openapi.json`)).json()) as {
      openapi: string;
      paths: Record<
        string,
        Record<
          string,
          { requestBody?: { content: Record<string, { schema: { properties?: Record<string, unknown> } }> } }
        >
      >;
    };
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.paths['/api/v1/sites']?.post).toBeDefined();
    expect(doc.paths['/agent/v1/pairs/{id}/stats']?.post).toBeDefined();
    const body = doc.paths['/api/v1/sites']!.post!.requestBody!.content['application/json']!.schema;
    expect(Object.keys(body.properties ?? {})).toEqual(['name', 'role']);
    // Named schemas (Worded) are written in place: no reference to definitions the document lacks.
    expect(JSON.stringify(doc)).not.toContain('#/$defs/');
    const check = JSON.stringify(doc.paths['/api/v1/plans/{id}/readiness']);
    expect(check).toContain('"messageWords":{"type":"object"');
    const docs = await fetch(`${t.url}/docs/`);
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain('<html');
  });

  it('/metrics needs a viewer token and speaks the Prometheus text format', async () => {
    expect((await fetch(`${t.url}/metrics`)).status).toBe(401);
    const text = await (
      await fetch(`${t.url}/metrics`, { headers: { authorization: `Bearer ${t.secrets.viewer}` } })
    ).text();
    expect(text).toContain('# TYPE siteshift_http_requests_total counter');
    expect(text).toMatch(
      /siteshift_http_requests_total\{method="POST",route="\/api\/v1\/sites",status="201"\} \d+/,
    );
    expect(text).toContain('process_resident_memory_bytes');
    // Where the memory is (bench:server --memory reads these): PGlite's WebAssembly memory is at
    // least its module's 128 MB minimum, on the database thread with a heap of its own, so not in
    // the main thread's external memory.
    const gauge = (name: string) => Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(text)?.[1]);
    expect(gauge('siteshift_pglite_wasm_memory_bytes')).toBeGreaterThanOrEqual(128 * 1024 * 1024);
    expect(gauge('siteshift_pglite_heap_total_bytes')).toBeGreaterThan(0);
    expect(gauge('nodejs_external_memory_bytes')).toBeLessThan(gauge('siteshift_pglite_wasm_memory_bytes'));
    expect(gauge('nodejs_heap_total_bytes')).toBeGreaterThan(0);
    expect(gauge('nodejs_array_buffers_bytes')).toBeGreaterThan(0);
  });

  it('an unknown route is a readable 404', async () => {
    const r = await raw(t.url, 'GET', '/api/v1/nothing', { token: t.secrets.admin });
    expect(r.status).toBe(404);
    expect(r.json.error?.message).toContain('no route GET /api/v1/nothing');
  });
});

describe('authentication and roles', () => {
  it('refuses calls without a token, with an unknown token and with a revoked one', async () => {
    const none = await raw(t.url, 'GET', '/api/v1/sites');
    expect(none.status).toBe(401);
    expect(none.json.error?.message).toContain('Authorization: Bearer');
    const bad = await raw(t.url, 'GET', '/api/v1/sites', { token: 'sst_not-a-token' });
    expect(bad.status).toBe(401);
    const created = await t.admin.createToken('short-lived', 'viewer');
    const c = new ConfigServerClient({ url: t.url, token: created.secret });
    expect((await c.whoami()).role).toBe('viewer');
    await t.admin.revokeToken('short-lived');
    expect((await refused(c.whoami())).status).toBe(401);
    c.close();
  });

  it('shows a token secret once and stores only a hash', async () => {
    const created = await t.admin.createToken('hash-check', 'operator');
    expect(created.secret).toMatch(/^sst_/);
    const listed = await t.admin.listTokens();
    expect(JSON.stringify(listed)).not.toContain(created.secret);
    const rows = await t.server.db.query<{ hash: string }>(
      "SELECT hash FROM tokens WHERE name = 'hash-check'",
    );
    expect(rows[0]!.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(rows[0]!.hash).not.toContain(created.secret);
  });

  it('viewers read but cannot change anything', async () => {
    expect((await t.as.viewer.listSites()).map((s) => s.name)).toEqual(['ams', 'rtm']);
    expect((await refused(t.as.viewer.addSite('x', 'primary'))).status).toBe(403);
    expect(
      (await refused(t.as.viewer.applyPlan({ name: 'p', source: { site: 'ams' }, target: { site: 'rtm' } })))
        .status,
    ).toBe(403);
    expect((await refused(t.as.viewer.createJob({ kind: 'resync' }))).status).toBe(403);
    expect((await refused(t.as.viewer.listTokens())).status).toBe(403);
    expect((await refused(t.as.viewer.audit())).status).toBe(403);
    expect((await refused(t.as.viewer.agentPairs())).status).toBe(403);
  });

  it('operators run protection but do not manage sites, endpoints, tokens or settings', async () => {
    const { plan, created } = await t.as.operator.applyPlan({
      name: 'op-plan',
      source: { site: 'ams' },
      target: { site: 'rtm' },
    });
    expect(created).toBe(true);
    expect(plan.policy.rpoThresholdMinutes).toBe(15);
    const e = await refused(t.as.operator.addSite('x', 'primary'));
    expect(e.status).toBe(403);
    expect(e.message).toContain("role 'operator'");
    expect((await refused(t.as.operator.createToken('x', 'admin'))).status).toBe(403);
    expect((await refused(t.as.operator.putSettings(await t.admin.getSettings()))).status).toBe(403);
    expect((await refused(t.as.operator.removeEndpoint('nope'))).status).toBe(403);
  });

  it('agent tokens reach the agent API only', async () => {
    expect(await t.as.agent.agentPairs()).toBeInstanceOf(Array);
    expect((await refused(t.as.agent.listSites())).status).toBe(403);
    expect(
      (await refused(t.as.agent.applyPlan({ name: 'a', source: { site: 'ams' }, target: { site: 'rtm' } })))
        .status,
    ).toBe(403);
  });

  it('audits every mutating call, refused and failed ones included; reads are not audited', async () => {
    await refused(t.as.viewer.addSite('audited', 'primary'));
    await refused(t.admin.addSite('ams', 'primary'));
    const entries = await t.admin.audit(50);
    const refusedEntry = entries.find((e) => e.action === 'POST /api/v1/sites' && e.outcome === 'refused');
    expect(refusedEntry?.actor).toBe('test-viewer (viewer)');
    expect(refusedEntry?.status).toBe(403);
    const conflict = entries.find((e) => e.action === 'POST /api/v1/sites' && e.status === 409);
    expect(conflict?.outcome).toBe('failed');
    expect(conflict?.detail).toContain("a site named 'ams' already exists");
    expect(entries.some((e) => e.action.startsWith('GET'))).toBe(false);
    const ok = entries.find((e) => e.action === 'POST /api/v1/tokens' && e.outcome === 'ok');
    expect(ok?.target).toBeTruthy();
  });
});

describe('request validation', () => {
  it('refuses malformed JSON', async () => {
    const r = await raw(t.url, 'POST', '/api/v1/sites', { token: t.secrets.admin, body: '{"name": "x",' });
    expect(r.status).toBe(400);
    expect(r.json.error?.code).toBe('invalid-input');
    expect(r.json.error?.message).toContain('not valid JSON');
  });

  it('refuses wrong types with the field named', async () => {
    const r = await raw(t.url, 'POST', '/api/v1/sites', {
      token: t.secrets.admin,
      body: JSON.stringify({ name: 'x', role: 'tertiary' }),
    });
    expect(r.status).toBe(400);
    expect(r.json.error?.message).toMatch(/^request body: role: /);
  });

  it('refuses unknown fields', async () => {
    const r = await raw(t.url, 'POST', '/api/v1/sites', {
      token: t.secrets.admin,
      body: JSON.stringify({ name: 'x', role: 'primary', colour: 'red' }),
    });
    expect(r.status).toBe(400);
    expect(r.json.error?.message).toContain('colour');
    const q = await raw(t.url, 'GET', '/api/v1/pairs?colour=red', { token: t.secrets.admin });
    expect(q.status).toBe(400);
    expect(q.json.error?.message).toMatch(/^query: /);
  });

  it('refuses oversized bodies (413) and non-JSON bodies (415)', async () => {
    const big = JSON.stringify({ name: 'x'.repeat(1_100_000), role: 'primary' });
    const r = await raw(t.url, 'POST', '/api/v1/sites', { token: t.secrets.admin, body: big });
    expect(r.status).toBe(413);
    expect(r.json.error?.message).toContain('too large');
    const form = await raw(t.url, 'POST', '/api/v1/sites', {
      token: t.secrets.admin,
      body: 'name=x',
      contentType: 'application/x-www-form-urlencoded',
    });
    expect(form.status).toBe(415);
  });

  it('refuses an empty body where one is required', async () => {
    const r = await raw(t.url, 'POST', '/api/v1/plans', { token: t.secrets.operator });
    expect(r.status).toBe(400);
    expect(r.json.error?.code).toBe('invalid-input');
  });

  it('endpoint input needs a pin or trust-on-first-use, and a credential', async () => {
    const r = await raw(t.url, 'POST', '/api/v1/endpoints', {
      token: t.secrets.admin,
      body: JSON.stringify({
        site: 'ams',
        name: 'vc',
        target: { kind: 'vsphere', url: 'https://vc/sdk', username: 'u' },
        secrets: {},
      }),
    });
    expect(r.status).toBe(400);
    expect(r.json.error?.message).toContain('trustOnFirstUse');
    expect(r.json.error?.message).toContain('password or a private key');
  });
});

describe('master targets and pairs', () => {
  it('allocates SCSI slots, skips unit 7, refuses the 61st disk and the wrong OS', async () => {
    const mt = await t.admin.addMasterTarget({
      site: 'rtm',
      vm: 'mt-lnx',
      vmId: 'vm-900',
      osFamily: 'linux',
    });
    expect(mt.slotsFree).toBe(60);
    const disks = Array.from({ length: 10 }, (_, i) => `d${i}`);
    const pair = await t.as.operator.addPair({
      sourceSite: 'ams',
      targetSite: 'rtm',
      sourceVmId: 'vm-1',
      sourceVmName: 'lnx-1',
      osFamily: 'linux',
      masterTarget: mt.id,
      disks,
    });
    expect(pair.state).toBe('enabling');
    let after = await t.as.viewer.getMasterTarget('mt-lnx');
    expect(after.slotsUsed).toBe(10);
    expect(after.slots.some((s) => s.unit === 7)).toBe(false);
    expect(after.slots.find((s) => s.diskKey === 'd7')).toMatchObject({ controller: 0, unit: 8 });
    for (let i = 0; i < 5; i++) {
      await t.as.operator.addPair({
        sourceSite: 'ams',
        targetSite: 'rtm',
        sourceVmId: `vm-${10 + i}`,
        sourceVmName: `lnx-${10 + i}`,
        osFamily: 'linux',
        masterTarget: mt.id,
        disks: Array.from({ length: 10 }, (_, j) => `d${j}`),
      });
    }
    after = await t.as.viewer.getMasterTarget(mt.id);
    expect(after.slotsFree).toBe(0);
    const full = await refused(
      t.as.operator.addPair({
        sourceSite: 'ams',
        targetSite: 'rtm',
        sourceVmId: 'vm-99',
        sourceVmName: 'lnx-99',
        osFamily: 'linux',
        masterTarget: mt.id,
      }),
    );
    expect(full.status).toBe(409);
    expect(full.message).toContain('no free SCSI slot');
    expect((await t.as.viewer.listPairs()).some((p) => p.sourceVmId === 'vm-99')).toBe(false);
    const wrongOs = await refused(
      t.as.operator.addPair({
        sourceSite: 'ams',
        targetSite: 'rtm',
        sourceVmId: 'vm-98',
        sourceVmName: 'win-98',
        osFamily: 'windows',
        masterTarget: mt.id,
      }),
    );
    expect(wrongOs.message).toContain('choose a windows master target');
    await t.as.operator.removePair(pair.id);
    expect((await t.as.viewer.getMasterTarget(mt.id)).slotsFree).toBe(10);
  });

  it('enforces the state machine: an illegal transition is 409 and changes nothing', async () => {
    const pair = await t.as.operator.addPair({
      sourceSite: 'ams',
      targetSite: 'rtm',
      sourceVmId: 'vm-sm',
      sourceVmName: 'sm-1',
      osFamily: 'windows',
    });
    const e = await refused(t.as.operator.transitionPair(pair.id, 'failed-over'));
    expect(e.status).toBe(409);
    expect(e.message).toBe(
      "sm-1 is being enabled; from there its pair cannot move to 'failed over', only to 'initial replication' or 'error'",
    );
    const same = await t.as.viewer.getPair(pair.id);
    expect(same.state).toBe('enabling');
    expect(same.stateChangedAt).toBe(pair.stateChangedAt);
    const moved = await t.as.operator.transitionPair(pair.id, 'initial-replication', 'by hand');
    expect(moved.state).toBe('initial-replication');
    await refused(t.as.operator.transitionPair(pair.id, 'committed'));
    expect((await t.as.viewer.getPair(pair.id)).state).toBe('initial-replication');
    expect((await refused(t.as.viewer.getPair('pair_nope'))).status).toBe(404);
  });

  it('walks a pair through failover, commit and reprotect, turning its direction', async () => {
    const pair = await t.as.operator.addPair({
      sourceSite: 'ams',
      targetSite: 'rtm',
      sourceVmId: 'vm-fo',
      sourceVmName: 'fo-1',
      osFamily: 'windows',
    });
    for (const to of [
      'initial-replication',
      'protected',
      'failover-pending',
      'failed-over',
      'committed',
      'reprotecting',
    ] as const) {
      await t.as.operator.transitionPair(pair.id, to);
    }
    const reprotecting = await t.as.viewer.getPair(pair.id);
    expect(reprotecting.direction).toBe('reverse');
    expect((await refused(t.as.operator.removePair(pair.id))).message).toBe(
      'fo-1 is being reprotected; finish or roll back that operation first',
    );
  });

  it('queues a resync job, runs it on the job runner and publishes its steps', async () => {
    const pair = await t.as.operator.addPair({
      sourceSite: 'ams',
      targetSite: 'rtm',
      sourceVmId: 'vm-job',
      sourceVmName: 'job-1',
      osFamily: 'linux',
    });
    await t.as.agent.reportProgress(pair.id, 'initial-replication-started');
    await t.as.agent.reportProgress(pair.id, 'initial-replication-complete');
    await t.as.agent.reportStats(pair.id, stats());
    const job = await t.as.operator.createJob({ kind: 'resync', pairIds: [pair.id] });
    expect(job.state).toBe('queued');
    expect(job.createdBy).toBe('test-operator');
    expect(job.steps).toHaveLength(1);
    const done = await waitFor(async () => {
      const j = await t.as.viewer.getJob(job.id);
      return j.state === 'succeeded' || j.state === 'failed' ? j : null;
    }, 'the resync job');
    expect(done.state).toBe('succeeded');
    expect(done.progress).toBe(1);
    expect(done.steps[0]!.log.map((l) => l.message).join('\n')).toContain('resync started');
    expect((await t.as.viewer.getPair(pair.id)).state).toBe('resyncing');
    expect((await refused(t.as.operator.cancelJob(job.id))).message).toContain('already ended');
    const unknownPair = await refused(t.as.operator.createJob({ kind: 'resync', pairIds: ['pair_nope'] }));
    expect(unknownPair.status).toBe(404);
    const noPlan = await refused(t.as.operator.createJob({ kind: 'planned-failover', pairIds: [pair.id] }));
    expect(noPlan.status).toBe(400);
    expect(noPlan.message).toContain('this workflow runs on a plan');
    const noWorkflow = await refused(t.as.operator.createJob({ kind: 'remove', pairIds: [pair.id] }));
    expect(noWorkflow.status).toBe(409);
    expect(noWorkflow.message).toContain("no 'remove' workflow");
  });
});
