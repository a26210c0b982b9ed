import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { Logger } from '../core/log';
import type { Settings, SettingsState } from '../shared/schemas/settings';

/**
 * The organisation's policy file, machine-wide and written by its administrators (not by
 * Siteshift): today it names the update server. `SITESHIFT_POLICY_FILE` points elsewhere (tests,
 * portable installs).
 */
const policySchema = z.object({
  updates: z
    .object({ url: z.url({ protocol: /^https$/, error: 'the update URL must be https' }) })
    .optional(),
});

export function policyPath(platform: NodeJS.Platform = process.platform): string {
  if (process.env.SITESHIFT_POLICY_FILE) return process.env.SITESHIFT_POLICY_FILE;
  if (platform === 'win32')
    return join(process.env.ProgramData ?? 'C:\\ProgramData', 'Siteshift', 'policy.json');
  if (platform === 'darwin') return '/Library/Application Support/Siteshift/policy.json';
  return '/etc/siteshift/policy.json';
}

export function readUpdatePolicy(path = policyPath()): { url: string | null; problem: string | null } {
  let raw: string;
  try {
    raw = readFileSync(path, 'utf8');
  } catch {
    return { url: null, problem: null };
  }
  try {
    const parsed = policySchema.safeParse(JSON.parse(raw));
    if (!parsed.success) return { url: null, problem: `${path}: ${parsed.error.issues[0]?.message}` };
    return { url: parsed.data.updates?.url ?? null, problem: null };
  } catch {
    return { url: null, problem: `${path} is not valid JSON` };
  }
}

/** The part of electron-updater's autoUpdater the shell uses (a stand-in in tests). */
export interface Updater {
  autoDownload: boolean;
  autoInstallOnAppQuit: boolean;
  allowDowngrade: boolean;
  allowPrerelease: boolean;
  channel: string | null;
  setFeedURL(options: { provider: 'generic'; url: string; channel?: string }): void;
  checkForUpdates(): Promise<unknown>;
  on(event: string, listener: (...args: unknown[]) => void): unknown;
}

/**
 * Updates are off until the operator opts in, and then come only from the organisation's server
 * (electron-updater's generic provider: latest.yml or beta.yml beside the installers). The
 * updater module is loaded only once enabled, so a console that never opts in never contacts it.
 */
export class UpdateService {
  private status: string | null = null;
  private updater: Updater | null = null;
  private readonly policy: { url: string | null; problem: string | null };

  constructor(
    private readonly options: {
      packaged: boolean;
      loadUpdater: () => Promise<Updater>;
      logger: Logger;
      policyFile?: string;
    },
  ) {
    this.policy = readUpdatePolicy(options.policyFile);
  }

  state(settings: Settings): SettingsState['updates'] {
    return { supported: this.options.packaged, url: this.policy.url, status: this.describe(settings) };
  }

  private describe(settings: Settings): string {
    if (this.policy.problem)
      return `The organisation's update policy cannot be read: ${this.policy.problem}.`;
    if (!this.options.packaged)
      return 'Updates apply to the installed console only (this is a development build).';
    if (!this.policy.url)
      return `Your organisation has not set an update server (${policyPath()}); Siteshift does not update itself.`;
    if (!settings.updates.enabled) return 'Automatic updates are off.';
    return this.status ?? `Checking ${this.policy.url} on the ${settings.updates.channel} channel…`;
  }

  async apply(settings: Settings): Promise<void> {
    const url = this.policy.url;
    if (!this.options.packaged || !url || !settings.updates.enabled) return;
    if (!this.updater) {
      this.updater = await this.options.loadUpdater();
      this.updater.on('update-available', (info) =>
        this.set(`Version ${version(info)} is available; downloading.`),
      );
      this.updater.on('update-not-available', () => this.set('Siteshift is up to date.'));
      this.updater.on('update-downloaded', (info) =>
        this.set(`Version ${version(info)} is ready and will be installed when Siteshift quits.`),
      );
      this.updater.on('error', (err) =>
        this.set(`The update check failed: ${(err as Error)?.message ?? err}`),
      );
    }
    const updater = this.updater;
    updater.autoDownload = true;
    updater.autoInstallOnAppQuit = true;
    updater.allowDowngrade = false;
    updater.allowPrerelease = settings.updates.channel === 'beta';
    const channel = settings.updates.channel === 'stable' ? 'latest' : 'beta';
    updater.setFeedURL({ provider: 'generic', url, channel });
    updater.channel = channel;
    this.options.logger.info({ url, channel }, 'checking for updates');
    await updater
      .checkForUpdates()
      .catch((err: unknown) => this.set(`The update check failed: ${(err as Error).message}`));
  }

  private set(status: string): void {
    this.status = status;
    this.options.logger.info({ status }, 'updater');
  }
}

function version(info: unknown): string {
  return String((info as { version?: unknown } | null)?.version ?? 'a new version');
}
