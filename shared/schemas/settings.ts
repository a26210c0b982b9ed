import { z } from 'zod';

export const themeSchema = z.enum(['system', 'light', 'dark']);
export type Theme = z.infer<typeof themeSchema>;

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

/** What the operator chooses; stored in `settings.json` in the data folder. */
export const settingsSchema = z.strictObject({
  theme: themeSchema,
  updates: z.strictObject({ enabled: z.boolean(), channel: updateChannelSchema }),
  secretFallback: secretFallbackSchema,
});
export type Settings = z.infer<typeof settingsSchema>;

export const defaultSettings: Settings = {
  theme: 'system',
  updates: { enabled: false, channel: 'stable' },
  secretFallback: 'memory',
};

export const settingsPatchSchema = z.strictObject({
  theme: themeSchema.optional(),
  updates: z
    .strictObject({ enabled: z.boolean().optional(), channel: updateChannelSchema.optional() })
    .optional(),
  secretFallback: secretFallbackSchema.optional(),
});
export type SettingsPatch = z.infer<typeof settingsPatchSchema>;

export const secretStorageSchema = z.enum(['os-keychain', 'key-file', 'memory']);
export type SecretStorage = z.infer<typeof secretStorageSchema>;

/** The settings and what the host makes of them (read-only facts the operator cannot change here). */
export const settingsStateSchema = z.object({
  settings: settingsSchema,
  secrets: z.object({
    /** Where new secrets are sealed now. */
    storage: secretStorageSchema,
    keychainAvailable: z.boolean(),
    /** One sentence for the operator: where secrets go and why. */
    note: z.string(),
  }),
  updates: z.object({
    /** Only the installed desktop console updates itself. */
    supported: z.boolean(),
    /** The generic-provider URL set by the organisation's policy file; null when none is set. */
    url: z.string().nullable(),
    /** The last thing the updater said, for the operator. */
    status: z.string().nullable(),
  }),
  /** The folder holding the rotated logs. */
  logsDir: z.string(),
});
export type SettingsState = z.infer<typeof settingsStateSchema>;
