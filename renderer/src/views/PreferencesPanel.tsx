import { useState } from 'react';
import type { SettingsPatch, Theme, UpdateChannel } from '../../../shared/schemas/settings';
import { errorText, useConsole } from '../store';

/**
 * The console's own settings under the connections: appearance, where secrets are kept, updates
 * and logs. Choices that weaken protection (the key-file fallback) need an explicit confirmation.
 */
export function PreferencesPanel() {
  const { settings, updateSettings } = useConsole();
  const [error, setError] = useState<string | null>(null);
  const [confirmKeyFile, setConfirmKeyFile] = useState(false);
  if (!settings) return null;
  const s = settings.settings;
  const change = async (patch: SettingsPatch) => {
    setError(null);
    try {
      await updateSettings(patch);
    } catch (err) {
      setError(errorText(err));
    }
  };

  return (
    <div className="preferences">
      <h2 className="section-title">Preferences</h2>
      {error && (
        <div className="banner banner-danger" role="alert">
          <p>{error}</p>
        </div>
      )}
      <div className="cards preferences-cards">
        <section className="card" aria-label="Appearance">
          <h2>Appearance</h2>
          <label className="pref-row">
            Theme
            <select
              className="input"
              value={s.theme}
              onChange={(e) => void change({ theme: e.target.value as Theme })}
            >
              <option value="system">Follow the system</option>
              <option value="light">Light</option>
              <option value="dark">Dark</option>
            </select>
          </label>
        </section>

        <section className="card" aria-label="Secrets">
          <h2>Secrets</h2>
          <p
            className={settings.secrets.storage === 'memory' ? 'pref-note pref-warning' : 'pref-note'}
            role="status"
          >
            {settings.secrets.note}
          </p>
          {!settings.secrets.keychainAvailable && (
            <fieldset className="pref-choice">
              <legend>Without a keychain, keep secrets</legend>
              <label>
                <input
                  type="radio"
                  name="secret-fallback"
                  checked={s.secretFallback === 'memory' && !confirmKeyFile}
                  onChange={() => {
                    setConfirmKeyFile(false);
                    void change({ secretFallback: 'memory' });
                  }}
                />
                in memory only (enter them again after each start)
              </label>
              <label>
                <input
                  type="radio"
                  name="secret-fallback"
                  checked={s.secretFallback === 'key-file' || confirmKeyFile}
                  onChange={() => setConfirmKeyFile(true)}
                />
                sealed with a key file in my data folder
              </label>
              {confirmKeyFile && s.secretFallback !== 'key-file' && (
                <div className="banner banner-warning" role="alertdialog" aria-label="Confirm key file">
                  <p>
                    The key file protects secrets only as well as your account does: anyone who can read your
                    files (a backup, another administrator) can open them. Use it only where the workstation
                    is yours alone.
                  </p>
                  <div className="form-actions">
                    <button
                      type="button"
                      className="btn btn-primary"
                      onClick={() => {
                        setConfirmKeyFile(false);
                        void change({ secretFallback: 'key-file' });
                      }}
                    >
                      Use the key file
                    </button>
                    <button type="button" className="btn" onClick={() => setConfirmKeyFile(false)}>
                      Keep them in memory
                    </button>
                  </div>
                </div>
              )}
            </fieldset>
          )}
        </section>

        <section className="card" aria-label="Updates">
          <h2>Updates</h2>
          <label className="pref-check">
            <input
              type="checkbox"
              checked={s.updates.enabled}
              disabled={!settings.updates.supported || !settings.updates.url}
              onChange={(e) => void change({ updates: { enabled: e.target.checked } })}
            />
            Download and install updates automatically
          </label>
          <label className="pref-row">
            Channel
            <select
              className="input"
              value={s.updates.channel}
              disabled={!settings.updates.supported || !settings.updates.url}
              onChange={(e) => void change({ updates: { channel: e.target.value as UpdateChannel } })}
            >
              <option value="stable">Stable</option>
              <option value="beta">Beta</option>
            </select>
          </label>
          <p className="pref-note small">
            Update server (set by your organisation):{' '}
            <span className="mono">{settings.updates.url ?? 'none'}</span>
          </p>
          {settings.updates.status && (
            <p className="pref-note small muted" role="status">
              {settings.updates.status}
            </p>
          )}
        </section>

        <section className="card" aria-label="Logs">
          <h2>Logs</h2>
          <p className="pref-note small">
            Structured logs, rotated daily and at 10 MB, secrets removed:
            <br />
            <span className="mono">{settings.logsDir}</span>
          </p>
        </section>
      </div>
    </div>
  );
}
