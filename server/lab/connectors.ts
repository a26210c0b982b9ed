import { createHash } from 'node:crypto';
import type { ConnectionSecrets, Connector, EndpointSource } from '../../core/inventory/source';
import type { LabEstate } from '../../core/lab';
import { LabInventorySource } from '../../core/lab';
import { ApiError } from '../../shared/errors';
import type {
  ConnectionTarget,
  ConnectionTestResult,
  PresentedIdentity,
  Trust,
} from '../../shared/schemas/connection';
import type { InventoryDocument } from '../../shared/schemas/inventory';

/**
 * Connectors for the lab's in-memory estate, behaving like the real ones at the interface: an
 * identity to pin (derived from the endpoint, stable across runs), trust on first use, a refused
 * login without a credential, a changed identity when the pin does not match.
 */
function identityFor(doc: InventoryDocument): PresentedIdentity {
  if (doc.source.kind === 'vsphere') {
    const digest = createHash('sha256').update(`lab-cert:${doc.source.about.instanceUuid}`).digest('hex');
    return {
      kind: 'thumbprint',
      thumbprint: digest.match(/../g)!.join(':'),
      subject: new URL(doc.source.url).hostname,
    };
  }
  const digest = createHash('sha256')
    .update(`lab-hostkey:${doc.source.host}`)
    .digest('base64')
    .replace(/=+$/, '');
  return { kind: 'host-key', fingerprint: `SHA256:${digest}`, algorithm: 'ssh-ed25519' };
}

function pinMatches(identity: PresentedIdentity, trust: Trust): boolean {
  if (identity.kind === 'thumbprint' && trust.kind === 'thumbprint')
    return identity.thumbprint === trust.thumbprint;
  if (identity.kind === 'host-key' && trust.kind === 'host-key')
    return identity.fingerprint === trust.fingerprint;
  return false;
}

function pinText(trust: Trust): string {
  return trust.kind === 'thumbprint'
    ? trust.thumbprint
    : trust.kind === 'host-key'
      ? trust.fingerprint
      : 'loopback';
}

export function labConnectors(estate: LabEstate): { vsphere: Connector; hyperv: Connector } {
  const docs: InventoryDocument[] = [
    estate.primary,
    estate.secondary,
    estate.hypervPrimary,
    estate.hypervReplica,
  ];
  const find = (target: ConnectionTarget): InventoryDocument => {
    const doc = docs.find((d) =>
      d.source.kind === 'vsphere' && target.kind === 'vsphere'
        ? new URL(d.source.url).host === new URL(target.url).host
        : d.source.kind === 'hyperv' && target.kind === 'hyperv' && d.source.host === target.host,
    );
    if (!doc)
      throw new ApiError(
        'unreachable',
        `no lab endpoint answers at ${target.kind === 'hyperv' ? target.host : target.kind === 'vsphere' ? target.url : target.url}`,
      );
    return doc;
  };
  const product = (doc: InventoryDocument) =>
    doc.source.kind === 'vsphere'
      ? doc.source.about.fullName
      : `Microsoft Hyper-V on ${doc.source.host} (Siteshift lab)`;
  const test = async (
    target: ConnectionTarget,
    secrets: ConnectionSecrets,
    trust: Trust | undefined,
  ): Promise<ConnectionTestResult> => {
    const doc = find(target);
    const identity = identityFor(doc);
    if (!trust) return { status: 'confirm-identity', identity };
    if (!pinMatches(identity, trust)) return { status: 'identity-changed', identity, pinned: pinText(trust) };
    if (!secrets.password && !secrets.privateKey)
      throw new ApiError('invalid-login', 'the lab endpoint needs a password (any non-empty one)');
    return { status: 'ok', identity, product: product(doc) };
  };
  const open = async (
    target: ConnectionTarget,
    secrets: ConnectionSecrets,
    trust: Trust,
  ): Promise<EndpointSource> => {
    const result = await test(target, secrets, trust);
    if (result.status !== 'ok')
      throw new ApiError('identity-changed', 'the lab endpoint identity does not match the pin');
    return new LabInventorySource(find(target));
  };
  return {
    vsphere: { kind: 'vsphere', test, open },
    hyperv: { kind: 'hyperv', test, open },
  };
}
