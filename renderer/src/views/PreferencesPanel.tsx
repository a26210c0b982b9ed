import { useState } from 'react';
import {
  keyFingerprintSchema,
  type Language,
  type SettingsPatch,
  type SettingsState,
  type Theme,
  type TrustedKey,
  type UpdateChannel,
  type UpdateStatus,
} from '../../../shared/schemas/settings';
import { languageNames, locales, resolveLanguage, t, tServer, useT } from '../i18n';
import { Trans } from '../i18n/Trans';
import { errorText, useConsole } from '../store';

/**
 * Where secrets go and why, in the console's language: the host reports the facts (storage, why
 * there is no keychain, the key file), the words are the console's.
 */
export function secretsNote(secrets: SettingsState['secrets']): string {
  const reason =
    secrets.reason?.kind === 'browser'
      ? t('prefs.secrets.reason.browser')
      : secrets.reason?.backend
        ? t('prefs.secrets.reason.no-keyringBackend', { backend: secrets.reason.backend })
        : secrets.reason
          ? t('prefs.secrets.reason.no-keyring')
          : null;
  const where =
    secrets.storage === 'key-file'
      ? t('prefs.secrets.storage.key-file', { path: secrets.keyFile ?? '' })
      : t(`prefs.secrets.storage.${secrets.storage}`);
  return reason ? `${reason} ${where}` : where;
}

/** Where updating stands, in the console's language; the updater's own error text stays as sent. */
export function updatesNote(status: UpdateStatus): string {
  switch (status.kind) {
    case 'policy-unreadable':
      // A shape fault the console can word: a part that must be a JSON object and is not.
      if (status.problem === 'invalid' && status.expected === 'object')
        return status.field
          ? t('prefs.updates.status.policy.notObject', { file: status.file, field: status.field })
          : t('prefs.updates.status.policy.rootNotObject', { file: status.file });
      return t(`prefs.updates.status.policy.${status.problem}`, {
        file: status.file,
        detail: status.detail ?? '',
      });
    case 'no-server':
      return t('prefs.updates.status.no-server', { file: status.file });
    case 'checking':
      return t('prefs.updates.status.checking', {
        url: status.url,
        channel: t(`prefs.updates.${status.channel}`),
      });
    case 'available':
    case 'downloaded':
      return status.version
        ? t(`prefs.updates.status.${status.kind}`, { version: status.version })
        : t(`prefs.updates.status.${status.kind}.unnamed`);
    case 'error':
      return t('prefs.updates.status.error', { detail: status.detail });
    default:
      return t(`prefs.updates.status.${status.kind}`);
  }
}

/**
 * The console's own settings under the connections: appearance, where secrets are kept, updates
 * and logs. Choices that weaken protection (the key-file fallback) need an explicit confirmation.
 */
export function PreferencesPanel() {
  const { settings, updateSettings } = useConsole();
  const [error, setError] = useState<string | null>(null);
  const [confirmKeyFile, setConfirmKeyFile] = useState(false);
  const t = useT();
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
      <h2 className="section-title">{t('prefs.title')}</h2>
      {error && (
        <div className="banner banner-danger" role="alert">
          <p>{error}</p>
        </div>
      )}
      <div className="cards preferences-cards">
        <section className="card" aria-label={t('prefs.appearance')}>
          <h2>{t('prefs.appearance')}</h2>
          <label className="pref-row">
            {t('prefs.theme')}
            <select
              className="input"
              value={s.theme}
              onChange={(e) => void change({ theme: e.target.value as Theme })}
            >
              <option value="system">{t('prefs.theme.system')}</option>
              <option value="light">{t('prefs.theme.light')}</option>
              <option value="dark">{t('prefs.theme.dark')}</option>
            </select>
          </label>
          <label className="pref-row">
            {t('prefs.language')}
            <select
              className="input"
              value={s.language}
              onChange={(e) => void change({ language: e.target.value as Language })}
            >
              <option value="system">
                {t('prefs.language.system', { current: languageNames[resolveLanguage('system')] })}
              </option>
              {locales.map((l) => (
                // Each language in its own words, so that an operator who cannot read the current one finds theirs.
                <option key={l} value={l} lang={l}>
                  {languageNames[l]}
                </option>
              ))}
            </select>
          </label>
        </section>

        <section className="card" aria-label={t('prefs.secrets')}>
          <h2>{t('prefs.secrets')}</h2>
          <p
            className={settings.secrets.storage === 'memory' ? 'pref-note pref-warning' : 'pref-note'}
            role="status"
          >
            {secretsNote(settings.secrets)}
          </p>
          {!settings.secrets.keychainAvailable && (
            <fieldset className="pref-choice">
              <legend>{t('prefs.secrets.fallback')}</legend>
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
                {t('prefs.secrets.memory')}
              </label>
              <label>
                <input
                  type="radio"
                  name="secret-fallback"
                  checked={s.secretFallback === 'key-file' || confirmKeyFile}
                  onChange={() => setConfirmKeyFile(true)}
                />
                {t('prefs.secrets.keyFile')}
              </label>
              {confirmKeyFile && s.secretFallback !== 'key-file' && (
                <div
                  className="banner banner-warning"
                  role="alertdialog"
                  aria-label={t('prefs.secrets.confirm')}
                >
                  <p>{t('prefs.secrets.confirmText')}</p>
                  <div className="form-actions">
                    <button
                      type="button"
                      className="btn btn-primary"
                      onClick={() => {
                        setConfirmKeyFile(false);
                        void change({ secretFallback: 'key-file' });
                      }}
                    >
                      {t('prefs.secrets.useKeyFile')}
                    </button>
                    <button type="button" className="btn" onClick={() => setConfirmKeyFile(false)}>
                      {t('prefs.secrets.keepMemory')}
                    </button>
                  </div>
                </div>
              )}
            </fieldset>
          )}
        </section>

        <section className="card" aria-label={t('prefs.updates')}>
          <h2>{t('prefs.updates')}</h2>
          <label className="pref-check">
            <input
              type="checkbox"
              checked={s.updates.enabled}
              disabled={!settings.updates.supported || !settings.updates.url}
              onChange={(e) => void change({ updates: { enabled: e.target.checked } })}
            />
            {t('prefs.updates.auto')}
          </label>
          <label className="pref-row">
            {t('prefs.updates.channel')}
            <select
              className="input"
              value={s.updates.channel}
              disabled={!settings.updates.supported || !settings.updates.url}
              onChange={(e) => void change({ updates: { channel: e.target.value as UpdateChannel } })}
            >
              <option value="stable">{t('prefs.updates.stable')}</option>
              <option value="beta">{t('prefs.updates.beta')}</option>
            </select>
          </label>
          <p className="pref-note small">
            {t('prefs.updates.server')}{' '}
            <span className="mono">{settings.updates.url ?? t('common.none')}</span>
          </p>
          {settings.updates.status && (
            <p className="pref-note small muted" role="status">
              {updatesNote(settings.updates.status)}
            </p>
          )}
        </section>

        <ExportKeys />

        <section className="card" aria-label={t('prefs.logs')}>
          <h2>{t('prefs.logs')}</h2>
          <p className="pref-note small">
            {t('prefs.logs.where')}
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
  const t = useT();
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
      setError(t('prefs.exports.alreadyTrusted', { fingerprint: key.fingerprint }));
      return false;
    }
    return change({ trustedKeys: [...trusted, key] });
  };
  const ownTrusted = signing.fingerprint && trusted.some((k) => k.fingerprint === signing.fingerprint);
  const fpCheck = fingerprint.trim() ? keyFingerprintSchema.safeParse(fingerprint) : null;

  return (
    <section className="card export-keys" aria-label={t('prefs.exports')}>
      <h2>{t('prefs.exports')}</h2>
      {error && (
        <p className="pref-note pref-warning" role="alert">
          {error}
        </p>
      )}
      <h3 className="pref-subtitle">{t('prefs.exports.signingKey')}</h3>
      <p className="pref-note small" data-testid="signing-status">
        {signing.fingerprint ? (
          <Trans
            k="prefs.exports.signedWith"
            values={{
              path: <span className="mono">{signing.keyPath}</span>,
              fingerprint: <span className="mono">{signing.fingerprint}</span>,
            }}
          />
        ) : signing.problem ? (
          <span className="pref-warning">{tServer(signing.problem, signing.problemWords)}</span>
        ) : (
          <Trans
            k="prefs.exports.unsigned"
            values={{
              command: (
                <span className="mono">openssl genpkey -algorithm ed25519 -out export-signing.pem</span>
              ),
            }}
          />
        )}
      </p>
      {signing.warning && (
        <p className="pref-note small pref-warning" role="status">
          {tServer(signing.warning, signing.warningWords)}
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
          aria-label={t('prefs.exports.keyFile')}
          placeholder="/home/me/keys/export-signing.pem"
          value={path}
          onChange={(e) => setPath(e.target.value)}
        />
        <button type="submit" className="btn" disabled={!path.trim()}>
          {t('prefs.exports.useKey')}
        </button>
        {signing.keyPath && (
          <button type="button" className="btn" onClick={() => void change({ signingKeyPath: null })}>
            {t('prefs.exports.stopSigning')}
          </button>
        )}
      </form>
      {signing.fingerprint && !ownTrusted && (
        <button
          type="button"
          className="btn btn-small"
          onClick={() =>
            void trust({ fingerprint: signing.fingerprint!, name: t('prefs.exports.thisConsole') })
          }
        >
          {t('prefs.exports.trustMine')}
        </button>
      )}

      <h3 className="pref-subtitle">{t('prefs.exports.trustedKeys')}</h3>
      <p className="pref-note small">
        <Trans
          k="prefs.exports.trustedHelp"
          values={{ command: <span className="mono">siteshift export … --sign-key</span> }}
        />
      </p>
      {trusted.length === 0 ? (
        <p className="pref-note small muted">{t('prefs.exports.noneTrusted')}</p>
      ) : (
        <table className="table" data-testid="trusted-keys">
          <thead>
            <tr>
              <th>{t('common.name')}</th>
              <th>{t('prefs.exports.fingerprint')}</th>
              <th aria-label={t('common.actions')} />
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
                    aria-label={t('prefs.exports.stopTrusting', { name: k.name })}
                    onClick={() =>
                      void change({ trustedKeys: trusted.filter((x) => x.fingerprint !== k.fingerprint) })
                    }
                  >
                    {t('common.remove')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form
        className="pref-row export-key-form"
        aria-label={t('prefs.exports.trustAKey')}
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
          aria-label={t('prefs.exports.keyName')}
          placeholder={t('prefs.exports.keyNamePlaceholder')}
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
        <input
          className="input mono"
          aria-label={t('prefs.exports.keyFingerprint')}
          placeholder="SHA256:…"
          value={fingerprint}
          onChange={(e) => setFingerprint(e.target.value)}
        />
        <button type="submit" className="btn" disabled={!name.trim() || !fpCheck?.success}>
          {t('prefs.exports.trust')}
        </button>
      </form>
      {fpCheck && !fpCheck.success && (
        <p className="pref-note small pref-warning">{t('prefs.exports.badFingerprint')}</p>
      )}
    </section>
  );
}
