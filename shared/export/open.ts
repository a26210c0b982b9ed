import canonicalize from 'canonicalize';
import { ApiError } from '../errors';
import {
  EXPORT_KIND,
  EXPORT_SCHEMA_VERSION,
  type ExportDocument,
  type ExportIntegrity,
  type ExportVerification,
  exportDocumentSchema,
} from './schema';

/**
 * Reading an export, in one place for the CLI and the console. It runs where the file is: the
 * console reads a dropped or picked file in the renderer (a 5,000-VM export is larger than a
 * console call may carry), the CLI in Node. Both have WebCrypto (SHA-256, Ed25519), so the same
 * code checks digest and signature on both sides.
 */

/** The bytes the digest and the signature cover: the document without `integrity`, RFC 8785. */
export function canonicalContent(content: Record<string, unknown>): Uint8Array {
  const { integrity: _integrity, ...rest } = content;
  const text = canonicalize(rest);
  if (text === undefined) throw new Error('the export content cannot be serialised');
  return new TextEncoder().encode(text);
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
export async function openExport(
  text: string,
  name = 'The file',
  trustedKeys: readonly TrustedExportKey[] | null = null,
): Promise<OpenedExport> {
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
      `it has no "kind": "${EXPORT_KIND}" marker, so it is some other JSON file (export one with "siteshift export" or File → Export)`,
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
  return { document: parsed.data, verification: await verifyExport(obj, trustedKeys) };
}

function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  const s = atob(text);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

function hex(buffer: ArrayBuffer): string {
  return [...new Uint8Array(buffer)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** SHA256:<base64> of a public key's SPKI DER, as `ssh-keygen -l` prints fingerprints. */
export async function keyFingerprintOf(spkiDer: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', spkiDer));
  return `SHA256:${toBase64(digest).replace(/=+$/, '')}`;
}

/** Checks digest and signature over the file's own content (as read, before any parsing defaults). */
export async function verifyExport(
  raw: Record<string, unknown>,
  trustedKeys: readonly TrustedExportKey[] | null = null,
): Promise<ExportVerification> {
  const integrity = raw.integrity as ExportIntegrity;
  const bytes = canonicalContent(raw) as Uint8Array<ArrayBuffer>;
  const digestOk = hex(await crypto.subtle.digest('SHA-256', bytes)) === integrity.digest;
  const sig = integrity.signature;
  let signature: ExportVerification['signature'] = 'unsigned';
  let fingerprint: string | null = null;
  if (sig) {
    try {
      const der = fromBase64(sig.publicKey);
      fingerprint = await keyFingerprintOf(der);
      const key = await crypto.subtle.importKey('spki', der, { name: 'Ed25519' }, false, ['verify']);
      signature = (await crypto.subtle.verify('Ed25519', key, fromBase64(sig.value), bytes))
        ? 'valid'
        : 'invalid';
    } catch {
      signature = 'invalid';
    }
  }
  return judgeTrust(
    {
      digest: digestOk ? 'valid' : 'mismatch',
      signature,
      keyFingerprint: fingerprint,
      trust: 'not-checked',
      signer: null,
      message: '',
    },
    trustedKeys,
  );
}

/** A key the reader accepts exports from (the console's Settings, the CLI's --trusted-key). */
export interface TrustedExportKey {
  fingerprint: string;
  name: string;
}

/**
 * Says how far to rely on a file, given the keys the reader trusts (null: none were given, so
 * trust is not judged). Pure, so the console re-judges an open file when its trusted keys change.
 */
export function judgeTrust(
  v: ExportVerification,
  trustedKeys: readonly TrustedExportKey[] | null,
): ExportVerification {
  const known = v.keyFingerprint ? trustedKeys?.find((k) => k.fingerprint === v.keyFingerprint) : undefined;
  const trust: ExportVerification['trust'] =
    trustedKeys === null ? 'not-checked' : v.signature === 'valid' && known ? 'trusted' : 'untrusted';
  let message: string;
  if (v.digest !== 'valid') {
    message =
      'The content does not match its SHA-256 digest: this file was altered or damaged after it was exported. Do not rely on it.';
  } else if (v.signature === 'invalid') {
    message =
      'The signature does not match the content: this file was altered after it was signed, or the signature is forged. Do not rely on it.';
  } else if (v.signature === 'valid' && known) {
    message = `Digest verified; signed by ${known.name} (key ${v.keyFingerprint}), a key you trust.`;
  } else if (v.signature === 'valid' && trustedKeys === null) {
    message = `Digest verified; signed by the key ${v.keyFingerprint}. Check that this is your organisation's export key.`;
  } else if (v.signature === 'valid') {
    message = `Digest verified, but it is signed by the key ${v.keyFingerprint}, which is not one of the keys you trust: anyone can sign with a key of their own. If it is your organisation's export key, add it to your trusted keys.`;
  } else if (trustedKeys !== null) {
    message =
      'Digest verified (the file is intact), but it is not signed, so it cannot come from a key you trust: anyone could have written it.';
  } else {
    message = 'Digest verified (the file is intact), but it is not signed: anyone could have written it.';
  }
  return { ...v, trust, signer: known && v.signature === 'valid' ? known.name : null, message };
}
