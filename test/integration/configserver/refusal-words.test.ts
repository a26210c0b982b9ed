import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { tServer, useLocale } from '../../../renderer/src/i18n';
import { errorText } from '../../../renderer/src/store';
import type { ApiError } from '../../../shared/errors';
import { englishOf } from '../../support/words';
import { openTestDb, raw, refused, startTestServer, type TestDb, type TestServer } from './harness';

/**
 * The server's refusals carry their words end to end: the HTTP error body has messageWords beside
 * the English message, the core client keeps them on its ApiError, and a Dutch console words them.
 * The English the CLI prints is exactly the words' English.
 */
describe('refusal words', () => {
  let tdb: TestDb;
  let t: TestServer;

  beforeAll(async () => {
    tdb = await openTestDb('pglite');
    // No runner: a job stays queued, so the next one on its pairs is refused.
    t = await startTestServer(tdb.db, { runJobs: false });
    await t.admin.addSite('ams', 'primary');
    await t.admin.addSite('rtm', 'secondary');
  }, 120_000);

  afterAll(async () => {
    await t?.close();
    await tdb?.drop();
  });

  afterEach(() => useLocale.setState({ locale: 'en' }));

  /** The refusal has words, their English is its message, and Dutch words it otherwise. */
  function worded(err: ApiError, key: string): void {
    expect(err.messageWords?.key).toBe(key);
    expect(englishOf(err.messageWords!)).toBe(err.message);
    useLocale.setState({ locale: 'nl' });
    const dutch = errorText(err);
    expect(dutch).not.toBe(err.message);
    expect(dutch).toBe(tServer(err.message, err.messageWords));
    // In English the words read as the message, a moment among them on the console's clock.
    useLocale.setState({ locale: 'en' });
    expect(errorText(err)).toBe(tServer(err.message, err.messageWords));
  }

  it('an unknown plan, in the error body and on the client error', async () => {
    const body = await raw(t.url, 'GET', '/api/v1/plans/nope', { token: t.secrets.viewer });
    expect(body.status).toBe(404);
    expect(body.json.error?.messageWords).toEqual({ key: 'refusal.noPlan', params: { ref: 'nope' } });
    expect(body.json.error?.message).toBe("no protection plan with id or name 'nope'");
    const err = await refused(t.as.viewer.getPlan('nope'));
    worded(err, 'refusal.noPlan');
    expect(errorText(err)).toBe(err.message);
    useLocale.setState({ locale: 'nl' });
    expect(errorText(err)).toBe("geen beveiligingsplan met id of naam 'nope'");
  });

  it('a plan edit against a plan changed since it was read', async () => {
    const spec = { name: 'edited', source: { site: 'ams' }, target: { site: 'rtm' } };
    const { plan } = await t.as.operator.applyPlan(spec);
    await t.as.operator.applyPlan({ ...spec, policy: { rpoThresholdMinutes: 30 } }, plan.updatedAt);
    const err = await refused(
      t.as.operator.applyPlan({ ...spec, policy: { rpoThresholdMinutes: 5 } }, plan.updatedAt),
    );
    expect(err.status).toBe(409);
    worded(err, 'refusal.planChanged');
    expect(err.message).toMatch(/^plan 'edited' was changed at .* since you reviewed it/);
    useLocale.setState({ locale: 'nl' });
    expect(errorText(err)).toMatch(/^plan 'edited' is om .* gewijzigd sinds u het bekeek/);
    const gone = await refused(t.as.operator.applyPlan({ ...spec, name: 'never-was' }, plan.updatedAt));
    worded(gone, 'refusal.planRemoved');
  });

  it('a plan file refused with its issues, each in the words it was found in', async () => {
    const err = await refused(
      t.as.operator.applyPlan({ name: 'bad', source: { site: 'ams' }, target: { site: 'nowhere' } }),
    );
    expect(err.status).toBe(400);
    worded(err, 'refusal.planInvalid');
    expect(err.message).toMatch(/^the plan is not valid: target\.site: /);
    expect(JSON.stringify(err.messageWords)).toContain('"key":"refusal.planIssue"');
    useLocale.setState({ locale: 'nl' });
    expect(errorText(err)).toMatch(/^het plan is niet geldig: target\.site: /);
  });

  it('a job on pairs a queued job already acts on, and a job that already ended', async () => {
    const pair = await t.as.operator.addPair({
      sourceSite: 'ams',
      targetSite: 'rtm',
      sourceVmId: 'vm-busy',
      sourceVmName: 'busy-1',
      osFamily: 'linux',
    });
    const first = await t.as.operator.createJob({ kind: 'resync', pairIds: [pair.id] });
    const busy = await refused(t.as.operator.createJob({ kind: 'resync', pairIds: [pair.id] }));
    expect(busy.status).toBe(409);
    worded(busy, 'refusal.jobOnPairs');
    expect(busy.message).toContain(first.id);
    worded(await refused(t.as.operator.acknowledgeJob(first.id)), 'refusal.jobNotWaiting');
    await t.as.operator.cancelJob(first.id);
    worded(await refused(t.as.operator.cancelJob(first.id)), 'refusal.jobEnded');
    worded(await refused(t.as.operator.getJob('job_nope')), 'refusal.noJob');
    worded(
      await refused(t.as.operator.createJob({ kind: 'planned-failover', pairIds: [pair.id] })),
      'refusal.planNeeded',
    );
    worded(
      await refused(t.as.operator.createJob({ kind: 'remove', pairIds: [pair.id] })),
      'refusal.noWorkflow',
    );
  });

  it('the role a call needs, a request body the schema refuses, and a zod message kept as sent', async () => {
    const taken = await refused(t.admin.addSite('ams', 'primary'));
    expect(taken.status).toBe(409);
    worded(taken, 'refusal.exists');
    expect(taken.message).toBe("a site named 'ams' already exists");
    useLocale.setState({ locale: 'nl' });
    expect(errorText(taken)).toBe("een locatie met de naam 'ams' bestaat al");
    useLocale.setState({ locale: 'en' });
    const role = await refused(t.as.operator.addSite('x', 'primary'));
    expect(role.status).toBe(403);
    worded(role, 'refusal.role.admin');
    const bad = await raw(t.url, 'POST', '/api/v1/sites', {
      token: t.secrets.admin,
      body: JSON.stringify({ name: 7 }),
    });
    expect(bad.status).toBe(400);
    const words = bad.json.error?.messageWords;
    expect(words?.key).toBe('refusal.request.body');
    expect(bad.json.error?.message).toBe(`request body: ${words?.params?.issues}`);
    expect(englishOf(words!)).toBe(bad.json.error?.message);
    // Refused before any route runs: an unknown route, a body that is not JSON.
    for (const [method, path, body, key] of [
      ['GET', '/api/v1/nothing', undefined, 'refusal.noRoute'],
      ['POST', '/api/v1/sites', '{"name":', 'refusal.notJson'],
    ] as const) {
      const r = await raw(t.url, method, path, { token: t.secrets.admin, body });
      expect(r.json.error?.messageWords?.key).toBe(key);
      expect(englishOf(r.json.error!.messageWords!)).toBe(r.json.error?.message);
    }
  });

  it('documents messageWords in the error body of every route in the OpenAPI document', async () => {
    const doc = (await (await fetch(`${t.url}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
    };
    const refusedAnswer = JSON.stringify(doc.paths['/api/v1/plans/{id}']!.get!.responses['4XX']);
    expect(refusedAnswer).toContain('"messageWords":{"type":"object"');
  });
});
