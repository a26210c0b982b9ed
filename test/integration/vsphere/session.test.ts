import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type MoRef,
  NotAuthenticated,
  SessionRenewed,
  VimClient,
  type VsphereInventorySource,
  vmRef,
} from '../../../core/vsphere';
import { waitForProperties } from '../../../core/vsphere/tasks';
import { text } from '../../../core/vsphere/xml';
import type { ApiError } from '../../../shared/errors';
import {
  connectToFake,
  emptyAnswer,
  LOGIN,
  methodOf,
  SERVICE_CONTENT,
  soapBody,
  startFakeSdk,
} from '../../vcsim/fake-sdk';
import { openSim, startVcsim, type Vcsim } from '../../vcsim/harness';

const NOT_AUTHENTICATED = soapBody(
  '<soapenv:Fault><faultcode>ServerFaultCode</faultcode><faultstring>The session is not authenticated.</faultstring><detail><NotAuthenticatedFault xmlns="urn:vim25" xsi:type="NotAuthenticated"><object type="Folder">group-d1</object><privilegeId>System.View</privilegeId></NotAuthenticatedFault></detail></soapenv:Fault>',
);
const CURRENT_TIME = soapBody(
  '<CurrentTimeResponse xmlns="urn:vim25"><returnval>2026-11-29T18:00:00Z</returnval></CurrentTimeResponse>',
);
const SI: MoRef = { type: 'ServiceInstance', value: 'ServiceInstance' };

/**
 * A fake vCenter with real sessions: Login hands out a new cookie, `expire()` forgets them all
 * (as a vCenter restart does), and a call without a live cookie is NotAuthenticated.
 */
async function sessionVcenter(answer: (method: string, body: string) => string) {
  const live = new Set<string>();
  let logins = 0;
  const fake = await startFakeSdk((req) => {
    const m = methodOf(req);
    if (m === 'RetrieveServiceContent') return { body: SERVICE_CONTENT };
    if (m === 'Login') {
      const cookie = `s${++logins}`;
      live.add(cookie);
      return { body: LOGIN, headers: { 'Set-Cookie': `vmware_soap_session="${cookie}"; Path=/` } };
    }
    const cookie = /vmware_soap_session="([^"]+)"/.exec(req.headers)?.[1];
    if (!cookie || !live.has(cookie)) return { status: 500, body: NOT_AUTHENTICATED };
    return { body: answer(m, req.body) };
  });
  return {
    fake,
    ...(await connectToFake(fake)),
    logins: () => logins,
    expire: () => live.clear(),
  };
}

describe('vSphere sessions that survive', () => {
  it('calls failing together share one new login, and none is sent without a cookie', async () => {
    const v = await sessionVcenter(() => CURRENT_TIME);
    try {
      expect(v.client.generation).toBe(1);
      v.expire();
      const results = await Promise.all(
        [0, 1, 2].map(() =>
          v.client.invoke('CurrentTime', SI).then(
            (r) => text(r),
            (e: ApiError) => e.message,
          ),
        ),
      );
      expect(results).toEqual(['2026-11-29T18:00:00Z', '2026-11-29T18:00:00Z', '2026-11-29T18:00:00Z']);
      expect(v.logins()).toBe(2);
      expect(v.client.generation).toBe(2);
      const withoutCookie = v.fake.requests.filter(
        (r) => methodOf(r) === 'CurrentTime' && !/vmware_soap_session=/.test(r.headers),
      );
      expect(withoutCookie).toEqual([]);
    } finally {
      await v.close();
    }
  });

  it("the shared login is not cancelled by one caller's abort", async () => {
    const v = await sessionVcenter(() => CURRENT_TIME);
    try {
      v.expire();
      const ac = new AbortController();
      const first = v.client.invoke('CurrentTime', SI, [], ac.signal).catch((e: ApiError) => e.code);
      const second = v.client.invoke('CurrentTime', SI).then((r) => text(r));
      setImmediate(() => ac.abort());
      expect(await second).toBe('2026-11-29T18:00:00Z');
      expect(['aborted', undefined]).toContain(
        await first.then((r) => (typeof r === 'string' ? r : undefined)),
      );
      expect(v.logins()).toBe(2);
    } finally {
      await v.close();
    }
  });

  it('does not re-send a call on an object of the old session after a re-login', async () => {
    const v = await sessionVcenter(() => CURRENT_TIME);
    try {
      v.expire();
      const view: MoRef = { type: 'ContainerView', value: 'session[abc]view-1' };
      const err = await v.client.invoke('DestroyView', view).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SessionRenewed);
      expect(err).toBeInstanceOf(NotAuthenticated);
      expect((err as ApiError).message).toMatch(/DestroyView: the vCenter session was renewed/);
      // Logged in again, but the DestroyView was sent once only.
      expect(v.logins()).toBe(2);
      expect(v.fake.requests.filter((r) => methodOf(r) === 'DestroyView')).toHaveLength(1);
    } finally {
      await v.close();
    }
  });

  it('an aborted task wait cancels the task in vCenter (CancelTask)', async () => {
    let version = 0;
    const v = await sessionVcenter((m) => {
      if (m === 'PowerOnVM_Task')
        return soapBody(
          '<PowerOnVM_TaskResponse xmlns="urn:vim25"><returnval type="Task">task-77</returnval></PowerOnVM_TaskResponse>',
        );
      if (m === 'CreatePropertyCollector')
        return soapBody(
          '<CreatePropertyCollectorResponse xmlns="urn:vim25"><returnval type="PropertyCollector">session[x]pc-1</returnval></CreatePropertyCollectorResponse>',
        );
      if (m === 'CreateFilter')
        return soapBody(
          '<CreateFilterResponse xmlns="urn:vim25"><returnval type="PropertyFilter">session[x]f-1</returnval></CreateFilterResponse>',
        );
      if (m === 'WaitForUpdatesEx')
        return soapBody(
          `<WaitForUpdatesExResponse xmlns="urn:vim25"><returnval><version>${++version}</version><filterSet><filter type="PropertyFilter">session[x]f-1</filter><objectSet><kind>modify</kind><obj type="Task">task-77</obj><changeSet><name>info.state</name><op>assign</op><val xsi:type="TaskInfoState">running</val></changeSet><changeSet><name>info.progress</name><op>assign</op><val xsi:type="xsd:int">${version % 100}</val></changeSet></objectSet></filterSet></returnval></WaitForUpdatesExResponse>`,
        );
      if (m === 'CancelTask') return soapBody('<CancelTaskResponse xmlns="urn:vim25"></CancelTaskResponse>');
      return emptyAnswer(m);
    });
    try {
      const ac = new AbortController();
      const ops = new (await import('../../../core/vsphere/vm')).VmOperations(v.client);
      const running = ops.powerOn(vmRef('vm-9'), {
        signal: ac.signal,
        onProgress: (p) => {
          if (p.state === 'running' && (p.progress ?? 0) >= 3) ac.abort();
        },
      });
      const err = (await running.catch((e: unknown) => e)) as ApiError;
      expect(err.code).toBe('aborted');
      expect(err.message).toMatch(/PowerOnVM_Task: stopped; vCenter was asked to cancel the task task-77/);
      const cancels = v.fake.requests.filter((r) => methodOf(r) === 'CancelTask');
      expect(cancels).toHaveLength(1);
      expect(cancels[0]!.body).toContain('<_this type="Task">task-77</_this>');
    } finally {
      await v.close();
    }
  });
});

describe('a wait survives a lost session (vcsim)', () => {
  let sim: Vcsim;
  let source: VsphereInventorySource;

  beforeAll(async () => {
    sim = await startVcsim({ clusters: 1, clusterHosts: 1, standaloneHosts: 0, vmsPerPool: 2 });
    source = await openSim(sim);
  });
  afterAll(async () => {
    await source?.close();
    await sim?.stop();
  });

  it('re-creates its private collector and filter after a re-login and sees the change', async () => {
    const inv = await source.fetchInventory();
    const vm = vmRef(inv.vms.find((x) => x.powerState === 'poweredOn')!.id);
    const client = source.client;
    const gen = client.generation;
    const waiting = waitForProperties(
      client,
      vm,
      ['runtime.powerState'],
      (p) => (text(p.get('runtime.powerState')) === 'poweredOff' ? 'off' : undefined),
      // One-second rounds: vcsim keeps a wait already sent on a logged-out session waiting.
      { timeoutMs: 20_000, maxWaitSeconds: 1 },
    );
    // The session ends under the waiter (as a vCenter restart or an expiry would end it)...
    await new Promise((r) => setTimeout(r, 300));
    await client.call('Logout', client.serviceContent.sessionManager, []);
    // ...and the VM goes off through a second session.
    const other = await VimClient.connect({
      url: sim.url,
      trust: { kind: 'thumbprint', thumbprint: sim.thumbprint },
      username: sim.username,
      password: sim.password,
    });
    try {
      const task = await other.invoke('PowerOffVM_Task', vm, []);
      expect(task).toBeDefined();
      expect(await waiting).toBe('off');
      expect(client.generation).toBe(gen + 1);
    } finally {
      await other.close();
    }
  }, 30_000);
});
