import { createHash, createPrivateKey, createPublicKey, type KeyObject, sign } from 'node:crypto';
import { ApiError } from '../../../shared/errors';
import { canonicalContent } from '../../../shared/export/open';
import type { ExportContent, ExportDocument, ExportIntegrity } from '../../../shared/export/schema';
import { sayClient } from '../../../shared/i18n/client-words';
import type { Text } from '../../../shared/i18n/worded';

/**
 * Loads an Ed25519 private key (PEM, PKCS#8 or OpenSSH-free PEM as `openssl genpkey -algorithm
 * ed25519` writes). `what` names the key in the error: worded when the console names it.
 */
export function loadSigningKey(pem: string | Buffer, what: string | Text = 'the signing key'): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch (err) {
    throw new ApiError(
      'invalid-input',
      sayClient('client.signingKeyNotPem', { what, error: (err as Error).message }),
    );
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new ApiError(
      'invalid-input',
      sayClient('client.signingKeyType', { what, type: key.asymmetricKeyType ?? 'unknown' }),
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
