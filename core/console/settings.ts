import { mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { ApiError } from '../../shared/errors';
import { sayClient } from '../../shared/i18n/client-words';
import {
  defaultSettings,
  type Settings,
  type SettingsPatch,
  type SettingsState,
  settingsSchema,
} from '../../shared/schemas/settings';
import { writeFileDurably } from './atomic-file';

const fileSchema = z.object({ version: z.literal(1), settings: settingsSchema });

/**
 * The operator's settings in `settings.json`: validated on read (a damaged file is reported, not
 * silently replaced) and written durably, so that a crash never leaves half a file.
 */
export class SettingsStore {
  private cache: Settings | undefined;

  constructor(readonly path: string) {}

  async get(): Promise<Settings> {
    if (this.cache) return this.cache;
    let raw: string;
    try {
      raw = await readFile(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      this.cache = defaultSettings;
      return this.cache;
    }
    let parsed: z.ZodSafeParseResult<z.infer<typeof fileSchema>>;
    try {
      parsed = fileSchema.safeParse(JSON.parse(raw));
    } catch {
      parsed = { success: false } as never;
    }
    if (!parsed.success) {
      throw new ApiError('invalid-input', sayClient('client.settingsFile', { path: this.path }));
    }
    this.cache = parsed.data.settings;
    return this.cache;
  }

  async update(patch: SettingsPatch): Promise<Settings> {
    const current = await this.get();
    const next = settingsSchema.parse({
      ...current,
      ...(patch.theme ? { theme: patch.theme } : {}),
      ...(patch.language ? { language: patch.language } : {}),
      ...(patch.secretFallback ? { secretFallback: patch.secretFallback } : {}),
      updates: { ...current.updates, ...patch.updates },
      export: {
        signingKeyPath:
          patch.export?.signingKeyPath !== undefined
            ? patch.export.signingKeyPath
            : current.export.signingKeyPath,
        trustedKeys: patch.export?.trustedKeys ?? current.export.trustedKeys,
      },
    });
    await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
    await writeFileDurably(this.path, `${JSON.stringify({ version: 1, settings: next }, null, 2)}\n`);
    this.cache = next;
    return next;
  }
}

/**
 * What a host adds to the settings: where secrets go, whether and from where it updates, where
 * its logs are. The desktop shell and the web host each provide one.
 */
export interface SettingsHost {
  secrets(settings: Settings): SettingsState['secrets'];
  updates(settings: Settings): SettingsState['updates'];
  logsDir: string;
  /** Called after the operator changed settings (the shell re-themes, switches the updater …). */
  applied?(settings: Settings): void | Promise<void>;
}
