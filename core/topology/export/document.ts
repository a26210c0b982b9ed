import { createHash, createPrivateKey, createPublicKey, type KeyObject, sign } from 'node:crypto';
import { ApiError } from '../../../shared/errors';
import { canonicalContent } from '../../../shared/export/open';
import type { ExportContent, ExportDocument, ExportIntegrity } from '../../../shared/export/schema';

/** Loads an Ed25519 private key (PEM, PKCS#8 or OpenSSH-free PEM as `openssl genpkey -algorithm ed25519` writes). */
export function loadSigningKey(pem: string | Buffer, what = 'the signing key'): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch (err) {
    throw new ApiError(
      'invalid-input',
      `${what} is not a PEM private key (${(err as Error).message}); create one with: openssl genpkey -algorithm ed25519 -out export-signing.pem`,
    );
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new ApiError(
      'invalid-input',
      // "a key of type …": an article before the type would be wrong for half of them (an rsa, an ec).
      `${what} holds a key of type ${key.asymmetricKeyType ?? 'unknown'}; exports are signed with Ed25519 (openssl genpkey -algorithm ed25519)`,
    );
  }
  return key;
}

export function keyFingerprint(publicKeyDer: Buffer): string {
  return `SHA256:${createHash('sha256').update(publicKeyDer).digest('base64').replace(/=+$/, '')}`;
}

/** Seals the content: digest always, signature when a key is given. The private key never enters the document. */
export function sealExport(content: ExportContent, signingKey?: KeyObject): ExportDocument {
  const bytes = Buffer.from(canonicalContent(content as unknown as Record<string, unknown>));
  const integrity: ExportIntegrity = {
    canonicalization: 'rfc8785',
    algorithm: 'sha256',
    digest: createHash('sha256').update(bytes).digest('hex'),
    signature: null,
  };
  if (signingKey) {
    const der = createPublicKey(signingKey).export({ type: 'spki', format: 'der' });
    integrity.signature = {
      algorithm: 'ed25519',
      publicKey: der.toString('base64'),
      keyFingerprint: keyFingerprint(der),
      value: sign(null, bytes, signingKey).toString('base64'),
    };
  }
  return { ...content, integrity };
}

export function serializeExport(doc: ExportDocument): string {
  return `${JSON.stringify(doc, null, 1)}\n`;
}

export { type OpenedExport, openExport, verifyExport } from '../../../shared/export/open';
