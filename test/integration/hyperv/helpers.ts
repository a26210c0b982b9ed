import { HypervClient } from '../../../core/hyperv/client';
import { SshSession, type SshSessionOptions } from '../../../core/hyperv/ssh';
import {
  type HostSeed,
  type HypervDoubleEndpoint,
  type HypervDoublePair,
  REPLICA_SEED,
} from '../../hyperv-double';

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

/** The seeded replica host, accepting certificate (port 443) as well as Kerberos (port 80) replication. */
export const CERTIFICATE_REPLICA_SEED: HostSeed = {
  ...REPLICA_SEED,
  replicaServer: {
    enabled: true,
    auth: 'CertificateAndKerberos',
    kerberosPort: 80,
    certificatePort: 443,
    thumbprint: 'C0FFEE'.padEnd(40, '0'),
  },
};
