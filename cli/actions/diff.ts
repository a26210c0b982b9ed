import { createPublicKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { keyFingerprint, openExport } from '../../core/topology/export';
import { diffExports } from '../../shared/export/diff';
import type { OpenedExport, TrustedExportKey } from '../../shared/export/open';
import { type ExportVerification, exportChangeLabel } from '../../shared/export/schema';
import { keyFingerprintSchema } from '../../shared/schemas/settings';
import { countOf } from '../../shared/topology/display';
import { CliError, printJson, printTable } from '../io';

/** What `siteshift diff` and `siteshift verify` do (their options: cli/commands/diff.ts). */

async function open(path: string, trusted: readonly TrustedExportKey[] | null): Promise<OpenedExport> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new CliError(`cannot read ${path}: ${(err as Error).message}`, 2);
  }
  try {
    return await openExport(text, path, trusted);
  } catch (err) {
    throw new CliError((err as Error).message, 2);
  }
}

/**
 * A key to trust, given as its fingerprint (SHA256:…, as `siteshift export --sign-key` prints it)
 * or as a PEM file holding the public key (or the private key, whose public half is taken).
 */
async function trustedKeyOf(value: string): Promise<TrustedExportKey> {
  if (value.startsWith('SHA256:')) {
    const parsed = keyFingerprintSchema.safeParse(value);
    if (!parsed.success) throw new CliError(`--trusted-key ${value}: ${parsed.error.issues[0]?.message}`, 2);
    return { fingerprint: parsed.data, name: parsed.data };
  }
  let pem: Buffer;
  try {
    pem = await readFile(value);
  } catch (err) {
    throw new CliError(
      `--trusted-key ${value} is neither a key fingerprint (SHA256:…) nor a readable key file: ${(err as Error).message}`,
      2,
    );
  }
  try {
    const key = createPublicKey(pem);
    if (key.asymmetricKeyType !== 'ed25519')
      throw new Error(
        `it holds a key of type ${key.asymmetricKeyType ?? 'unknown'}; exports are signed with Ed25519`,
      );
    return {
      fingerprint: keyFingerprint(key.export({ type: 'spki', format: 'der' })),
      name: basename(value),
    };
  } catch (err) {
    throw new CliError(`--trusted-key ${value} is not a usable public key: ${(err as Error).message}`, 2);
  }
}

async function trustedKeys(values: string[] | undefined): Promise<TrustedExportKey[] | null> {
  if (!values?.length) return null;
  return Promise.all(values.map(trustedKeyOf));
}

/** Intact (digest, signature) and, when keys are given, signed by one of them. */
function reliable(v: ExportVerification): boolean {
  if (v.digest !== 'valid' || v.signature === 'invalid') return false;
  return v.trust !== 'untrusted';
}

/** `siteshift diff A B`; exit 1 when the exports differ. */
export async function compareExports(
  a: string,
  b: string,
  opts: { json?: boolean; trustedKey?: string[] },
): Promise<void> {
  const trusted = await trustedKeys(opts.trustedKey);
  const [ea, eb] = await Promise.all([open(a, trusted), open(b, trusted)]);
  for (const [path, e] of [
    [a, ea],
    [b, eb],
  ] as const) {
    if (trusted && !reliable(e.verification))
      throw new CliError(`${path}: ${e.verification.message} (refused: --trusted-key was given)`, 2);
    if (!reliable(e.verification) || e.verification.signature !== 'valid')
      process.stderr.write(`siteshift: warning: ${path}: ${e.verification.message}\n`);
  }
  const diff = diffExports(ea.document, eb.document);
  if (opts.json) {
    printJson({ ...diff, verification: { a: ea.verification, b: eb.verification } });
  } else if (diff.changes.length === 0) {
    process.stdout.write(
      `No differences between ${a} (${diff.a.exportedAt}) and ${b} (${diff.b.exportedAt}).\n`,
    );
  } else {
    process.stdout.write(
      `${countOf(diff.changes.length, 'difference')} from ${a} (${diff.a.exportedAt}) to ${b} (${diff.b.exportedAt}):\n\n`,
    );
    printTable(
      diff.changes.map((c) => ({
        change: exportChangeLabel[c.kind],
        where: c.scope,
        what: c.subject,
        before: c.before,
        after: c.after,
      })),
    );
  }
  if (diff.changes.length > 0) throw new CliError('', 1);
}

/** `siteshift verify FILE…`; exit 1 when one of them cannot be relied on. */
export async function verifyExports(
  files: string[],
  opts: { json?: boolean; trustedKey?: string[] },
): Promise<void> {
  const trusted = await trustedKeys(opts.trustedKey);
  const results: Array<{ file: string; exportedAt: string; verification: ExportVerification }> = [];
  for (const file of files) {
    const e = await open(file, trusted);
    results.push({ file, exportedAt: e.document.exportedAt, verification: e.verification });
  }
  if (opts.json) printJson(results);
  else
    for (const r of results)
      process.stdout.write(
        `${reliable(r.verification) ? 'OK  ' : 'FAIL'} ${r.file} (exported ${r.exportedAt}): ${r.verification.message}\n`,
      );
  if (results.some((r) => !reliable(r.verification))) throw new CliError('', 1);
}
