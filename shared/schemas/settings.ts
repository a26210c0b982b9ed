import { z } from 'zod';
import { wordedSchema } from '../i18n/worded';

export const themeSchema = z.enum(['system', 'light', 'dark']);
export type Theme = z.infer<typeof themeSchema>;

/** The console's language: `system` follows the browser's (in the desktop app, the system's), else English. */
export const languageSchema = z.enum(['system', 'en', 'nl']);
export type Language = z.infer<typeof languageSchema>;

/** electron-updater channels: `stable` reads latest.yml, `beta` reads beta.yml on the organisation's server. */
export const updateChannelSchema = z.enum(['stable', 'beta']);
export type UpdateChannel = z.infer<typeof updateChannelSchema>;

/**
 * Where secrets go when the OS keychain cannot seal them (Linux without a keyring: Electron's
 * `basic_text`, and the web host): kept in memory only, or sealed with a key file (0600) that the
 * operator chose explicitly.
 */
export const secretFallbackSchema = z.enum(['memory', 'key-file']);
export type SecretFallback = z.infer<typeof secretFallbackSchema>;

/** SHA256:<base64 without padding> of a public key's SPKI DER, as Siteshift and `ssh-keygen -l` print it. */
export const keyFingerprintSchema = z
  .string()
  .trim()
  .regex(
    /^SHA256:[A-Za-z0-9+/]{43}$/,
    'a key fingerprint is "SHA256:" followed by 43 base64 characters, as Siteshift prints it beside a signed export',
  );

/** A public key whose signature on an export the operator accepts, by fingerprint, with a name to show. */
export const trustedKeySchema = z.strictObject({
  fingerprint: keyFingerprintSchema,
  name: z.string().trim().min(1, 'give the key a name (whose key it is)').max(100),
});
export type TrustedKey = z.infer<typeof trustedKeySchema>;

/** An absolute path: the console and the shell may run in different working folders. */
const absolutePath = z
  .string()
  .trim()
  .min(1)
  .max(4096)
  .regex(
    /^(\/|[A-Za-z]:[\\/]|\\\\)/,
    'give the full path of the key file (starting with / or a drive letter)',
  );

export const exportSettingsSchema = z.strictObject({
  /**
   * The Ed25519 private key (PEM) that signs the console's exports, by path: the key stays in its
   * file, read at each export, and never enters the settings, a log or an export.
   */
  signingKeyPath: absolutePath.nullable(),
  trustedKeys: z.array(trustedKeySchema).max(100),
});
export type ExportSettings = z.infer<typeof exportSettingsSchema>;

/** What the operator chooses; stored in `settings.json` in the data folder. */
export const settingsSchema = z.strictObject({
  theme: themeSchema,
  // Settings files written before the console spoke Dutch have no language.
  language: languageSchema.default('system'),
  updates: z.strictObject({ enabled: z.boolean(), channel: updateChannelSchema }),
  secretFallback: secretFallbackSchema,
  // Settings files written before exports were signed have no such section.
  export: exportSettingsSchema.default({ signingKeyPath: null, trustedKeys: [] }),
});
export type Settings = z.infer<typeof settingsSchema>;

export const defaultSettings: Settings = {
  theme: 'system',
  language: 'system',
  updates: { enabled: false, channel: 'stable' },
  secretFallback: 'memory',
  export: { signingKeyPath: null, trustedKeys: [] },
};

export const settingsPatchSchema = z.strictObject({
  theme: themeSchema.optional(),
  language: languageSchema.optional(),
  updates: z
    .strictObject({ enabled: z.boolean().optional(), channel: updateChannelSchema.optional() })
    .optional(),
  secretFallback: secretFallbackSchema.optional(),
  export: z
    .strictObject({
      signingKeyPath: absolutePath.nullable().optional(),
      trustedKeys: z
        .array(trustedKeySchema)
        .max(100)
        .refine((keys) => new Set(keys.map((k) => k.fingerprint)).size === keys.length, {
          message: 'each key is trusted once',
        })
        .optional(),
    })
    .optional(),
});
export type SettingsPatch = z.infer<typeof settingsPatchSchema>;

export const secretStorageSchema = z.enum(['os-keychain', 'key-file', 'memory']);
export type SecretStorage = z.infer<typeof secretStorageSchema>;

/**
 * Where updating stands. `version` is null when the update server named none; `detail` is the
 * updater's or the policy validator's own text, shown as sent inside the console's sentence.
 */
export const updateStatusSchema = z.discriminatedUnion('kind', [
  /** The browser console: its npm package is updated, not the console itself. */
  z.object({ kind: z.literal('package-manager') }),
  /** A development build: only the installed console updates itself. */
  z.object({ kind: z.literal('development') }),
  z.object({
    kind: z.literal('policy-unreadable'),
    file: z.string(),
    problem: z.enum(['not-json', 'bad-url', 'invalid']),
    detail: z.string().nullable(),
    /**
     * For 'invalid': the field at fault (null: the whole file) and the JSON type the validator
     * expected there, when it names one, so that the console words the fault itself.
     */
    field: z.string().nullable().optional(),
    expected: z.string().nullable().optional(),
  }),
  /** The organisation's policy file (at `file`) names no update server. */
  z.object({ kind: z.literal('no-server'), file: z.string() }),
  z.object({ kind: z.literal('off') }),
  z.object({ kind: z.literal('checking'), url: z.string(), channel: updateChannelSchema }),
  z.object({ kind: z.literal('up-to-date') }),
  z.object({ kind: z.literal('available'), version: z.string().nullable() }),
  z.object({ kind: z.literal('downloaded'), version: z.string().nullable() }),
  z.object({ kind: z.literal('error'), detail: z.string() }),
]);
export type UpdateStatus = z.infer<typeof updateStatusSchema>;

/** The settings and what the host makes of them (read-only facts the operator cannot change here). */
export const settingsStateSchema = z.object({
  settings: settingsSchema,
  secrets: z
    .object({
      /** Where new secrets are sealed now. */
      storage: secretStorageSchema,
      keychainAvailable: z.boolean(),
      /**
       * Why there is no keychain (null when there is one): the console words it in the operator's
       * language. `backend` is the keyring library Electron looked for on Linux, null when none is named.
       */
      reason: z
        .object({ kind: z.enum(['browser', 'no-keyring']), backend: z.string().nullable() })
        .nullable(),
      /** The key file that seals secrets when `storage` is key-file; null otherwise. */
      keyFile: z.string().nullable(),
    })
    .refine((s) => (s.storage === 'key-file') === (s.keyFile !== null), {
      message: 'keyFile names the key file exactly when storage is key-file',
    })
    .refine((s) => s.keychainAvailable === (s.reason === null), {
      message: 'reason says why there is no keychain, and is null when there is one',
    }),
  updates: z.object({
    /** Only the installed desktop console updates itself. */
    supported: z.boolean(),
    /** The generic-provider URL set by the organisation's policy file; null when none is set. */
    url: z.string().nullable(),
    /** Where updating stands, as facts: the console words it in the operator's language. */
    status: updateStatusSchema.nullable(),
  }),
  /** The folder holding the rotated logs. */
  logsDir: z.string(),
  /** The signing key as the console finds it now (its file is read, the key never leaves it). */
  exportSigning: z.object({
    keyPath: z.string().nullable(),
    /** The public key's fingerprint when the file holds a usable Ed25519 key. */
    fingerprint: z.string().nullable(),
    /** Why exports cannot be signed with it (unreadable, not Ed25519); null when they can. */
    problem: z.string().nullable(),
    /** The words of `problem` (client-words.ts): a console words it in its language. */
    problemWords: wordedSchema.optional(),
    /** Something to fix that does not stop signing (the file is readable by other users). */
    warning: z.string().nullable(),
    warningWords: wordedSchema.optional(),
  }),
});
export type SettingsState = z.infer<typeof settingsStateSchema>;
