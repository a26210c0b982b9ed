import { z } from 'zod';
import { wordedSchema } from '../i18n/worded';
import { hostText, nameText, urlWithoutCredentials, usernameText } from './text';

export const connectionIdSchema = z.string().min(1).max(128);

export const siteRoleSchema = z.enum(['primary', 'secondary']);
export type SiteRole = z.infer<typeof siteRoleSchema>;

/** SHA-256 certificate thumbprint: 64 hex digits, colons optional, any case; stored as lower-case with colons. */
export const thumbprintSchema = z
  .string()
  .trim()
  .transform((s) => s.replace(/:/g, '').toLowerCase())
  .refine((s) => /^[0-9a-f]{64}$/.test(s), 'a SHA-256 thumbprint is 64 hex digits (colons optional)')
  .transform((s) => s.match(/../g)!.join(':'));

/** OpenSSH host-key fingerprint, e.g. SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s */
export const hostKeyFingerprintSchema = z
  .string()
  .trim()
  .regex(/^SHA256:[A-Za-z0-9+/]{43}=?$/, 'a host key fingerprint looks like SHA256:<43 base64 characters>')
  .transform((s) => s.replace(/=$/, ''));

const common = {
  name: nameText(100),
  site: siteRoleSchema,
};

const vsphereTarget = z.strictObject({
  kind: z.literal('vsphere'),
  url: urlWithoutCredentials(/^https$/, 'a vCenter URL starts with https://'),
  username: usernameText,
});
const hypervTarget = z.strictObject({
  kind: z.literal('hyperv'),
  host: hostText,
  port: z.number().int().min(1).max(65535).default(22),
  username: usernameText,
});
const configServerTarget = z.strictObject({
  kind: z.literal('configserver'),
  url: urlWithoutCredentials(/^https?$/, 'a configuration server URL starts with http:// or https://'),
});

/** Trust decision saved with the connection; null until the operator confirmed an identity. */
export const trustSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('thumbprint'), thumbprint: thumbprintSchema }),
  z.strictObject({
    kind: z.literal('host-key'),
    fingerprint: hostKeyFingerprintSchema,
    /** The key's type (ssh-ed25519, ssh-rsa …): the session asks the host for that key. */
    algorithm: z.string().trim().min(1).optional(),
  }),
  /** Plain http on 127.0.0.1 (a local configuration server): nothing to pin. */
  z.strictObject({ kind: z.literal('loopback') }),
]);
export type Trust = z.infer<typeof trustSchema>;

const secretsSchema = z.strictObject({
  password: z.string().min(1).max(1024).optional(),
  privateKey: z.string().min(1).max(16_384).optional(),
  token: z.string().min(1).max(1024).optional(),
});

export const connectionTargetSchema = z.discriminatedUnion('kind', [
  vsphereTarget,
  hypervTarget,
  configServerTarget,
]);
export type ConnectionTarget = z.infer<typeof connectionTargetSchema>;

/** What the API returns: never a secret, only whether one is stored. */
export const connectionSchema = z.object({
  id: connectionIdSchema,
  ...common,
  target: connectionTargetSchema,
  trust: trustSchema.nullable(),
  hasSecret: z.boolean(),
  /** Lab connections are created by the embedded lab and cannot be removed. */
  lab: z.boolean(),
});
export type Connection = z.infer<typeof connectionSchema>;

export const connectionAddInputSchema = z.strictObject({
  ...common,
  target: connectionTargetSchema,
  secrets: secretsSchema,
  /** The identity the operator confirmed (from connections:test); required unless loopback. */
  trust: trustSchema,
});
export type ConnectionAddInput = z.input<typeof connectionAddInputSchema>;

export const connectionTestInputSchema = z.strictObject({
  target: connectionTargetSchema,
  secrets: secretsSchema,
  /** Omit to ask the endpoint who it is (trust on first use): nothing secret is sent then. */
  trust: trustSchema.optional(),
});
export type ConnectionTestInput = z.input<typeof connectionTestInputSchema>;

export const presentedIdentitySchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('thumbprint'), thumbprint: z.string(), subject: z.string().optional() }),
  z.object({ kind: z.literal('host-key'), fingerprint: z.string(), algorithm: z.string().optional() }),
  z.object({ kind: z.literal('loopback') }),
]);
export type PresentedIdentity = z.infer<typeof presentedIdentitySchema>;

/** The pin that trusts what an endpoint presented (after the operator confirmed it). */
export function trustOf(identity: PresentedIdentity): Trust {
  if (identity.kind === 'thumbprint') return { kind: 'thumbprint', thumbprint: identity.thumbprint };
  if (identity.kind === 'host-key')
    return {
      kind: 'host-key',
      fingerprint: identity.fingerprint,
      ...(identity.algorithm ? { algorithm: identity.algorithm } : {}),
    };
  return { kind: 'loopback' };
}

export const connectionTestResultSchema = z.discriminatedUnion('status', [
  /** Identity verified and credentials accepted. */
  z.object({
    status: z.literal('ok'),
    identity: presentedIdentitySchema,
    product: z.string(),
    /** The words of `product` when the console said it (Hyper-V on …), not the endpoint (vCenter's name). */
    productWords: wordedSchema.optional(),
  }),
  /** No trust given: this is who answered; confirm it and test again. No credential was sent. */
  z.object({ status: z.literal('confirm-identity'), identity: presentedIdentitySchema }),
  /** The pinned identity does not match what the endpoint presents now. */
  z.object({ status: z.literal('identity-changed'), identity: presentedIdentitySchema, pinned: z.string() }),
]);
export type ConnectionTestResult = z.infer<typeof connectionTestResultSchema>;
