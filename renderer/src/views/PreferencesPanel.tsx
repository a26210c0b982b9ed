import { useState } from 'react';
import {
  keyFingerprintSchema,
  type SettingsPatch,
  type Theme,
  type TrustedKey,
  type UpdateChannel,
} from '../../../shared/schemas/settings';
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

        <ExportKeys />

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

/**
 * Exports: the key that signs this console's exports (by the path of its file: the key itself
 * never enters the settings) and the keys whose signatures the offline viewer trusts.
 */
function ExportKeys() {
  const { settings, updateSettings } = useConsole();
  const [path, setPath] = useState('');
  const [name, setName] = useState('');
  const [fingerprint, setFingerprint] = useState('');
  const [error, setError] = useState<string | null>(null);
  if (!settings) return null;
  const signing = settings.exportSigning;
  const trusted = settings.settings.export.trustedKeys;
  const change = async (patch: SettingsPatch['export']) => {
    setError(null);
    try {
      await updateSettings({ export: patch });
      return true;
    } catch (err) {
      setError(errorText(err));
      return false;
    }
  };
  const trust = async (key: TrustedKey) => {
    if (trusted.some((k) => k.fingerprint === key.fingerprint)) {
      setError(`The key ${key.fingerprint} is already trusted.`);
      return false;
    }
    return change({ trustedKeys: [...trusted, key] });
  };
  const ownTrusted = signing.fingerprint && trusted.some((k) => k.fingerprint === signing.fingerprint);
  const fpCheck = fingerprint.trim() ? keyFingerprintSchema.safeParse(fingerprint) : null;

  return (
    <section className="card export-keys" aria-label="Exports">
      <h2>Exports</h2>
      {error && (
        <p className="pref-note pref-warning" role="alert">
          {error}
        </p>
      )}
      <h3 className="pref-subtitle">Signing key</h3>
      <p className="pref-note small" data-testid="signing-status">
        {signing.fingerprint ? (
          <>
            Exports are signed with <span className="mono">{signing.keyPath}</span>, key{' '}
            <span className="mono">{signing.fingerprint}</span>.
          </>
        ) : signing.problem ? (
          <span className="pref-warning">{signing.problem}</span>
        ) : (
          <>
            Exports are not signed. Name an Ed25519 private key (PEM) to sign them; create one with{' '}
            <span className="mono">openssl genpkey -algorithm ed25519 -out export-signing.pem</span>. The key
            stays in its file.
          </>
        )}
      </p>
      {signing.warning && (
        <p className="pref-note small pref-warning" role="status">
          {signing.warning}
        </p>
      )}
      <form
        className="pref-row export-key-form"
        onSubmit={(e) => {
          e.preventDefault();
          void change({ signingKeyPath: path.trim() }).then((ok) => ok && setPath(''));
        }}
      >
        <input
          className="input mono"
          aria-label="Signing key file"
          placeholder="/home/me/keys/export-signing.pem"
          value={path}
          onChange={(e) => setPath(e.target.value)}
        />
        <button type="submit" className="btn" disabled={!path.trim()}>
          Use this key
        </button>
        {signing.keyPath && (
          <button type="button" className="btn" onClick={() => void change({ signingKeyPath: null })}>
            Stop signing
          </button>
        )}
      </form>
      {signing.fingerprint && !ownTrusted && (
        <button
          type="button"
          className="btn btn-small"
          onClick={() => void trust({ fingerprint: signing.fingerprint!, name: 'This console' })}
        >
          Trust my signing key when opening exports
        </button>
      )}

      <h3 className="pref-subtitle">Trusted keys</h3>
      <p className="pref-note small">
        An opened export shows as trusted only when it is intact and signed by one of these keys. Get a
        key&apos;s fingerprint from whoever signs the exports (it is printed by{' '}
        <span className="mono">siteshift export … --sign-key</span>), not from the file itself.
      </p>
      {trusted.length === 0 ? (
        <p className="pref-note small muted">No key is trusted yet.</p>
      ) : (
        <table className="table" data-testid="trusted-keys">
          <thead>
            <tr>
              <th>Name</th>
              <th>Fingerprint</th>
              <th aria-label="Actions" />
            </tr>
          </thead>
          <tbody>
            {trusted.map((k) => (
              <tr key={k.fingerprint}>
                <td>{k.name}</td>
                <td className="mono">{k.fingerprint}</td>
                <td>
                  <button
                    type="button"
                    className="btn btn-small"
                    aria-label={`Stop trusting ${k.name}`}
                    onClick={() =>
                      void change({ trustedKeys: trusted.filter((x) => x.fingerprint !== k.fingerprint) })
                    }
                  >
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form
        className="pref-row export-key-form"
        aria-label="Trust a key"
        onSubmit={(e) => {
          e.preventDefault();
          void trust({ name: name.trim(), fingerprint: fingerprint.trim() }).then((ok) => {
            if (ok) {
              setName('');
              setFingerprint('');
            }
          });
        }}
      >
        <input
          className="input"
          aria-label="Key name"
          placeholder="Whose key (e.g. DR team)"
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
        <input
          className="input mono"
          aria-label="Key fingerprint"
          placeholder="SHA256:…"
          value={fingerprint}
          onChange={(e) => setFingerprint(e.target.value)}
        />
        <button type="submit" className="btn" disabled={!name.trim() || !fpCheck?.success}>
          Trust
        </button>
      </form>
      {fpCheck && !fpCheck.success && (
        <p className="pref-note small pref-warning">{fpCheck.error.issues[0]?.message}</p>
      )}
    </section>
  );
}
