import { createHash, createPrivateKey, createPublicKey, type KeyObject, sign, verify } from 'node:crypto';
import canonicalize from 'canonicalize';
import { ApiError } from '../../../shared/errors';
import {
  EXPORT_KIND,
  EXPORT_SCHEMA_VERSION,
  type ExportContent,
  type ExportDocument,
  type ExportIntegrity,
  type ExportVerification,
  exportDocumentSchema,
} from '../../../shared/export/schema';

/** The bytes the digest and the signature cover: the document without `integrity`, RFC 8785. */
function canonicalContent(content: Record<string, unknown>): Buffer {
  const { integrity: _integrity, ...rest } = content;
  const text = canonicalize(rest);
  if (text === undefined) throw new Error('the export content cannot be serialised');
  return Buffer.from(text, 'utf8');
}

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
      `${what} is a ${key.asymmetricKeyType ?? 'unknown'} key; exports are signed with Ed25519 (openssl genpkey -algorithm ed25519)`,
    );
  }
  return key;
}

export function keyFingerprint(publicKeyDer: Buffer): string {
  return `SHA256:${createHash('sha256').update(publicKeyDer).digest('base64').replace(/=+$/, '')}`;
}

/** Seals the content: digest always, signature when a key is given. The private key never enters the document. */
export function sealExport(content: ExportContent, signingKey?: KeyObject): ExportDocument {
  const bytes = canonicalContent(content as unknown as Record<string, unknown>);
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

export interface OpenedExport {
  document: ExportDocument;
  verification: ExportVerification;
}

const damaged = (name: string, why: string) =>
  new ApiError('invalid-input', `${name} is not a readable Siteshift export: ${why}.`);

/**
 * Reads an export file. A file that is not JSON, not a Siteshift export, of a newer schema, or
 * missing parts is refused with the reason; a well-formed file whose digest or signature does not
 * match is returned with a verification that says so (the operator decides, warned).
 */
export function openExport(text: string, name = 'The file'): OpenedExport {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw damaged(name, `it is not valid JSON (${(err as Error).message}); the file may be truncated`);
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw damaged(name, 'it is not a JSON object');
  const obj = raw as Record<string, unknown>;
  if (obj.kind !== EXPORT_KIND) {
    throw damaged(
      name,
      `it has no "kind": "${EXPORT_KIND}" marker, so it is some other JSON file (export one with "siteshift export")`,
    );
  }
  if (typeof obj.schemaVersion === 'number' && obj.schemaVersion > EXPORT_SCHEMA_VERSION) {
    throw damaged(
      name,
      `it was written with export schema ${obj.schemaVersion}, newer than this Siteshift reads (${EXPORT_SCHEMA_VERSION}); update Siteshift`,
    );
  }
  const parsed = exportDocumentSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? issue.path.join('.') : 'the document';
    throw damaged(name, `${where}: ${issue?.message ?? 'invalid'}`);
  }
  return { document: parsed.data, verification: verifyExport(obj) };
}

/** Checks digest and signature over the file's own content (as read, before any parsing defaults). */
export function verifyExport(raw: Record<string, unknown>): ExportVerification {
  const integrity = raw.integrity as ExportIntegrity;
  const bytes = canonicalContent(raw);
  const digestOk = createHash('sha256').update(bytes).digest('hex') === integrity.digest;
  const sig = integrity.signature;
  let signature: ExportVerification['signature'] = 'unsigned';
  let fingerprint: string | null = null;
  if (sig) {
    try {
      const der = Buffer.from(sig.publicKey, 'base64');
      const key = createPublicKey({ key: der, format: 'der', type: 'spki' });
      fingerprint = keyFingerprint(der);
      signature =
        key.asymmetricKeyType === 'ed25519' && verify(null, bytes, key, Buffer.from(sig.value, 'base64'))
          ? 'valid'
          : 'invalid';
    } catch {
      signature = 'invalid';
    }
  }
  let message: string;
  if (!digestOk) {
    message =
      'The content does not match its SHA-256 digest: this file was altered or damaged after it was exported. Do not rely on it.';
  } else if (signature === 'invalid') {
    message =
      'The signature does not match the content: this file was altered after it was signed, or the signature is forged. Do not rely on it.';
  } else if (signature === 'valid') {
    message = `Digest verified; signed by the key ${fingerprint}. Check that this is your organisation's export key.`;
  } else {
    message = 'Digest verified (the file is intact), but it is not signed: anyone could have written it.';
  }
  return { digest: digestOk ? 'valid' : 'mismatch', signature, keyFingerprint: fingerprint, message };
}
