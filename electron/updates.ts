import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { Logger } from '../core/log';
import type { Settings, SettingsState, UpdateStatus } from '../shared/schemas/settings';

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

type PolicyProblem = Extract<UpdateStatus, { kind: 'policy-unreadable' }>;

export function readUpdatePolicy(path = policyPath()): { url: string | null; problem: PolicyProblem | null } {
  let raw: string;
  try {
    raw = readFileSync(path, 'utf8');
  } catch {
    return { url: null, problem: null };
  }
  const problem = (
    kind: PolicyProblem['problem'],
    detail: string | null = null,
    fault: Pick<PolicyProblem, 'field' | 'expected'> = {},
  ): PolicyProblem => ({
    kind: 'policy-unreadable',
    file: path,
    problem: kind,
    detail,
    ...fault,
  });
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { url: null, problem: problem('not-json') };
  }
  const parsed = policySchema.safeParse(json);
  if (parsed.success) return { url: parsed.data.updates?.url ?? null, problem: null };
  const issue = parsed.error.issues[0];
  if (issue?.path.join('.') === 'updates.url') return { url: null, problem: problem('bad-url') };
  // Any other shape fault keeps the validator's own text (it names what it expected), and says
  // where and what type it expected, for the console to word.
  return {
    url: null,
    problem: problem('invalid', `${issue?.path.join('.') || '(root)'}: ${issue?.message}`, {
      field: issue?.path.join('.') || null,
      expected: issue?.code === 'invalid_type' ? issue.expected : null,
    }),
  };
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
  private status: UpdateStatus | null = null;
  private updater: Updater | null = null;
  private readonly policy: ReturnType<typeof readUpdatePolicy>;

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

  private describe(settings: Settings): UpdateStatus {
    if (this.policy.problem) return this.policy.problem;
    if (!this.options.packaged) return { kind: 'development' };
    if (!this.policy.url) return { kind: 'no-server', file: this.options.policyFile ?? policyPath() };
    if (!settings.updates.enabled) return { kind: 'off' };
    return this.status ?? { kind: 'checking', url: this.policy.url, channel: settings.updates.channel };
  }

  async apply(settings: Settings): Promise<void> {
    const url = this.policy.url;
    if (!this.options.packaged || !url || !settings.updates.enabled) return;
    if (!this.updater) {
      this.updater = await this.options.loadUpdater();
      this.updater.on('update-available', (info) => this.set({ kind: 'available', version: version(info) }));
      this.updater.on('update-not-available', () => this.set({ kind: 'up-to-date' }));
      this.updater.on('update-downloaded', (info) =>
        this.set({ kind: 'downloaded', version: version(info) }),
      );
      this.updater.on('error', (err) =>
        this.set({ kind: 'error', detail: String((err as Error)?.message ?? err) }),
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
      .catch((err: unknown) => this.set({ kind: 'error', detail: String((err as Error)?.message ?? err) }));
  }

  private set(status: UpdateStatus): void {
    this.status = status;
    this.options.logger.info({ status }, 'updater');
  }
}

/** The version the update server named; null when it named none (the console says 'a new version'). */
function version(info: unknown): string | null {
  const v = (info as { version?: unknown } | null)?.version;
  return v == null ? null : String(v);
}
