import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHypervConnector } from '../../../core/hyperv/connector';
import { probeHostKey } from '../../../core/hyperv/ssh';
import type { ApiError } from '../../../shared/errors';
import { generateEd25519, type HypervDoublePair, startHypervDoublePair } from '../../hyperv-double';
import { rejection } from '../../support/net';
import { clientOf, sessionTo } from './helpers';

describe('SSH session to a Hyper-V host', () => {
  let pair: HypervDoublePair;

  beforeAll(async () => {
    pair = await startHypervDoublePair();
  });
  afterAll(async () => {
    await pair?.stop();
  });

  it('trust on first use reads the host key and hangs up before authentication', async () => {
    const d = pair.primary.double;
    const attempts = d.authAttempts;
    const key = await probeHostKey('127.0.0.1', pair.primary.port);
    expect(key.fingerprint).toBe(pair.primary.fingerprint);
    expect(key.fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    expect(key.algorithm).toBe('ssh-ed25519');

    const connector = createHypervConnector();
    const target = {
      kind: 'hyperv' as const,
      host: '127.0.0.1',
      port: pair.primary.port,
      username: pair.credentials.username,
    };
    const result = await connector.test(target, { password: pair.credentials.password }, undefined);
    expect(result).toEqual({
      status: 'confirm-identity',
      identity: { kind: 'host-key', fingerprint: pair.primary.fingerprint, algorithm: 'ssh-ed25519' },
    });
    // Not a single authentication request reached the host: the password never left.
    expect(d.authAttempts).toBe(attempts);
  });

  it('connects with the pinned key and a password, and with a private key', async () => {
    const s = sessionTo(pair, pair.primary);
    try {
      expect((await clientOf(s).getVMHost()).name).toBe('HV-PRIMARY');
      expect(s.presentedKey?.fingerprint).toBe(pair.primary.fingerprint);
    } finally {
      await s.close();
    }
    const k = sessionTo(pair, pair.primary, { password: undefined, privateKey: pair.credentials.privateKey });
    try {
      expect((await clientOf(k).getVMs()).length).toBeGreaterThan(0);
    } finally {
      await k.close();
    }
  });

  it('refuses a wrong password without retrying it', async () => {
    const d = pair.primary.double;
    const failed = d.failedLogins.length;
    const s = sessionTo(pair, pair.primary, { password: 'not-the-password', connectAttempts: 4 });
    const err = await rejection(clientOf(s).getVMs());
    expect(err.code).toBe('invalid-login');
    expect(err.message).toMatch(/refused the credentials of user "LAB\\siteshift"/);
    expect(d.failedLogins.length - failed).toBe(1);
    await s.close();

    const other = generateEd25519();
    const k = sessionTo(pair, pair.primary, { password: undefined, privateKey: other.private });
    expect((await rejection(k.connect())).code).toBe('invalid-login');
    await k.close();
  });

  it('refuses a host whose key changed, with a clear message, before sending credentials', async () => {
    const pairB = await startHypervDoublePair();
    try {
      const d = pairB.primary.double;
      const pinned = pairB.primary.fingerprint;
      await d.rotateHostKey();
      expect(d.fingerprint).not.toBe(pinned);
      const attempts = d.authAttempts;

      const s = sessionTo(pairB, pairB.primary, { hostKey: pinned });
      const err = await rejection(clientOf(s).getVMs());
      expect(err.code).toBe('identity-changed');
      expect(err.message).toContain(`expected ${pinned}, the host presented ${d.fingerprint}`);
      expect(err.message).toMatch(/confirm the new fingerprint/);
      await s.close();

      const connector = createHypervConnector();
      const target = {
        kind: 'hyperv' as const,
        host: '127.0.0.1',
        port: pairB.primary.port,
        username: pairB.credentials.username,
      };
      const result = await connector.test(
        target,
        { password: pairB.credentials.password },
        { kind: 'host-key', fingerprint: pinned },
      );
      expect(result).toEqual({
        status: 'identity-changed',
        identity: { kind: 'host-key', fingerprint: d.fingerprint, algorithm: 'ssh-ed25519' },
        pinned,
      });
      expect(d.authAttempts).toBe(attempts);
    } finally {
      await pairB.stop();
    }
  });

  it('rejects a malformed pin or missing credentials before connecting', () => {
    expect(() => sessionTo(pair, pair.primary, { hostKey: 'SHA256:short' })).toThrow(
      /not an OpenSSH SHA256 fingerprint/,
    );
    expect(() => sessionTo(pair, pair.primary, { password: undefined })).toThrow(
      /No password or private key/,
    );
  });

  it('a connection dropped before the command ran: clear error, nothing applied, next command reconnects', async () => {
    const s = sessionTo(pair, pair.primary);
    const c = clientOf(s);
    try {
      await c.getVMHost();
      const connections = s.connections;
      pair.primary.double.injectFault({ op: 'Stop-VM', kind: 'drop-before' });
      const err = await rejection(c.stopVM({ name: 'web01' }));
      expect(err.code).toBe('unreachable');
      expect(err.message).toMatch(
        /connection to 127\.0\.0\.1:\d+ was lost while Stop-VM was running; it may or may not have taken effect/,
      );
      expect(s.activeChannels).toBe(0);
      // The host never ran it, and the connector did not repeat it behind the operator's back.
      expect(pair.primary.model.vmByName('web01')!.state).toBe('Running');
      expect(pair.primary.model.applied.filter((a) => a.op === 'Stop-VM')).toHaveLength(0);
      expect((await c.getVM({ name: 'web01' })).state).toBe('Running');
      expect(s.connections).toBe(connections + 1);
    } finally {
      await s.close();
    }
  });

  it('a connection dropped after a change ran is reported, not retried; a dropped read is retried once', async () => {
    const s = sessionTo(pair, pair.primary);
    const c = clientOf(s);
    try {
      pair.primary.double.injectFault({ op: 'Start-VM', kind: 'drop-after' });
      const err = await rejection(c.startVM({ name: 'app01' }));
      expect(err.code).toBe('unreachable');
      expect(pair.primary.model.applied.filter((a) => a.op === 'Start-VM' && a.vm === 'app01')).toHaveLength(
        1,
      );
      expect((await c.getVM({ name: 'app01' })).state).toBe('Running');
      await c.stopVM({ name: 'app01' }, { turnOff: true });

      pair.primary.double.injectFault({ op: 'Get-VMSwitch', kind: 'drop-before' });
      const switches = await c.getSwitches();
      expect(switches.map((x) => x.name)).toEqual(['LAN']);
    } finally {
      await s.close();
    }
  });

  it('times out a command that does not finish, and frees its channel', async () => {
    const s = sessionTo(pair, pair.primary);
    const c = clientOf(s);
    try {
      pair.primary.double.injectFault({ op: 'Get-VMSwitch', kind: 'delay', ms: 1500 });
      const err = await rejection(c.getSwitches({ timeoutMs: 200 }));
      expect(err.code).toBe('timeout');
      expect(err.message).toMatch(
        /Get-VMSwitch on 127\.0\.0\.1:\d+ did not finish within 0 s|did not finish within/,
      );
      expect(s.activeChannels).toBe(0);
      expect((await c.getSwitches()).length).toBe(1);

      const ac = new AbortController();
      pair.primary.double.injectFault({ op: 'Get-VMSwitch', kind: 'delay', ms: 1500 });
      const pending = c.getSwitches({ signal: ac.signal });
      setTimeout(() => ac.abort(), 100);
      expect((await rejection(pending)).code).toBe('aborted');
    } finally {
      await s.close();
    }
  });

  it('closing the session cancels what is still running and refuses new commands', async () => {
    const s = sessionTo(pair, pair.primary);
    const c = clientOf(s);
    await c.getVMHost();
    pair.primary.double.injectFault({ op: 'Get-VMSnapshot', kind: 'delay', ms: 1000 });
    const pending = c.getSnapshots();
    await new Promise((r) => setTimeout(r, 100));
    await s.close();
    const err = await rejection(pending);
    expect(err.code).toBe('aborted');
    expect(err.message).toMatch(/Get-VMSnapshot was cancelled: the session to .* was closed/);
    expect((await rejection(c.getVMs())).code).toBe('aborted');
  });

  it('keeps many commands on one connection with a bounded number of channels', async () => {
    const d = pair.replica.double;
    const s = sessionTo(pair, pair.replica, { maxChannels: 3 });
    const c = clientOf(s);
    try {
      await c.getVMHost();
      const connections = d.connections;
      d.maxActiveChannels = 0;
      d.injectFault({ op: 'Get-VM', kind: 'delay', ms: 60, times: 12 });
      const results = await Promise.all(Array.from({ length: 12 }, () => c.getVMs()));
      expect(results).toHaveLength(12);
      expect(d.maxActiveChannels).toBe(3);
      expect(d.connections).toBe(connections);
      expect(s.activeChannels).toBe(0);
    } finally {
      await s.close();
    }
  });

  it('a host allowing fewer channels than asked refuses the extra ones with a clear error', async () => {
    const tight = await startHypervDoublePair({ maxSessions: 2 });
    const s = sessionTo(tight, tight.primary, { maxChannels: 3 });
    try {
      const c = clientOf(s);
      await c.getVMHost();
      tight.primary.double.injectFault({ op: 'Get-VM', kind: 'delay', ms: 400, times: 3 });
      const results = await Promise.allSettled([c.getVMs(), c.getVMs(), c.getVMs()]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(2);
      const failed = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect((failed.reason as ApiError).code).toBe('unreachable');
      expect((failed.reason as ApiError).message).toMatch(/did not accept Get-VM: no command channel/);
      expect(s.activeChannels).toBe(0);
      // Within the host's limit everything goes through on the same connection.
      const ok = sessionTo(tight, tight.primary, { maxChannels: 2 });
      await Promise.all([clientOf(ok).getVMs(), clientOf(ok).getVMs(), clientOf(ok).getVMs()]);
      await ok.close();
    } finally {
      await s.close();
      await tight.stop();
    }
  });

  it('notices a hung host through keep-alives', async () => {
    const pairC = await startHypervDoublePair();
    const s = sessionTo(pairC, pairC.primary, {
      keepaliveIntervalMs: 100,
      keepaliveCountMax: 2,
      connectAttempts: 1,
    });
    try {
      const c = clientOf(s);
      await c.getVMHost();
      // A change, so that the connector reports the loss instead of repeating the command.
      pairC.primary.double.injectFault({ op: 'Start-VM', kind: 'delay', ms: 5000 });
      const pending = c.startVM({ name: 'app01' }, { timeoutMs: 20_000 });
      setTimeout(() => pairC.primary.double.freezeConnections(), 50);
      const started = Date.now();
      const err = await rejection(pending);
      expect(err.code, err.message).toBe('unreachable');
      expect(err.message).toMatch(/was lost while Start-VM was running/);
      expect(Date.now() - started).toBeLessThan(3000);
      expect(s.isConnected).toBe(false);
    } finally {
      await s.close();
      await pairC.stop();
    }
  });

  it('gives up reconnecting after the configured attempts, with backoff', async () => {
    const port = await new Promise<number>((resolve) => {
      const srv = createServer();
      srv.listen(0, '127.0.0.1', () => {
        const p = (srv.address() as { port: number }).port;
        srv.close(() => resolve(p));
      });
    });
    const s = sessionTo(pair, { ...pair.primary, port } as typeof pair.primary, {
      connectAttempts: 3,
      backoffBaseMs: 100,
    });
    const started = Date.now();
    const err = await rejection(s.connect());
    expect(err.code).toBe('unreachable');
    expect(err.message).toMatch(/nothing listens on that port.*ECONNREFUSED.*Gave up after 3 attempts/);
    // Two waits: ~100 ms and ~200 ms, each with ±25 % jitter.
    expect(Date.now() - started).toBeGreaterThanOrEqual(220);
    await s.close();
  });
});
