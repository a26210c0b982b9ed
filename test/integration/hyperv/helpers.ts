import { HypervClient } from '../../../core/hyperv/client';
import { SshSession, type SshSessionOptions } from '../../../core/hyperv/ssh';
import type { HypervDoubleEndpoint, HypervDoublePair } from '../../hyperv-double';

/** A session on one double of the pair, pinned to its host key, with password authentication. */
export function sessionTo(
  pair: HypervDoublePair,
  ep: HypervDoubleEndpoint,
  extra: Partial<SshSessionOptions> = {},
): SshSession {
  return new SshSession({
    host: ep.host,
    port: ep.port,
    username: pair.credentials.username,
    password: pair.credentials.password,
    hostKey: ep.fingerprint,
    connectAttempts: 2,
    backoffBaseMs: 50,
    ...extra,
  });
}

export function clientOf(session: SshSession): HypervClient {
  return new HypervClient(session);
}

/** Polls until `check` holds, for state the double moves forward on its own (initial copy, resync). */
export async function waitFor<T>(
  read: () => Promise<T>,
  check: (v: T) => boolean,
  timeoutMs = 10_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (check(v)) return v;
    if (Date.now() > until)
      throw new Error(`condition not reached in ${timeoutMs} ms; last value: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
