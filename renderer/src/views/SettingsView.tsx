import { useEffect, useRef, useState } from 'react';
import type {
  ConnectionTarget,
  ConnectionTestResult,
  PresentedIdentity,
  Trust,
} from '../../../shared/schemas/connection';
import { Empty, ErrorState, PageHeader } from '../components/states';
import { t, tServer, useT } from '../i18n';
import { errorText, useConsole } from '../store';
import { PreferencesPanel, secretsNote } from './PreferencesPanel';

type Kind = 'vsphere' | 'hyperv' | 'configserver';

interface Form {
  kind: Kind;
  name: string;
  site: 'primary' | 'secondary';
  url: string;
  host: string;
  port: string;
  username: string;
  password: string;
  privateKey: string;
  token: string;
}

const emptyForm: Form = {
  kind: 'vsphere',
  name: '',
  site: 'primary',
  url: 'https://',
  host: '',
  port: '22',
  username: '',
  password: '',
  privateKey: '',
  token: '',
};

function toTarget(f: Form): ConnectionTarget {
  if (f.kind === 'configserver') return { kind: 'configserver', url: f.url.trim() };
  return f.kind === 'vsphere'
    ? { kind: 'vsphere', url: f.url.trim(), username: f.username }
    : { kind: 'hyperv', host: f.host.trim(), port: Number(f.port) || 22, username: f.username };
}

function toTrust(identity: PresentedIdentity): Trust {
  if (identity.kind === 'thumbprint') return { kind: 'thumbprint', thumbprint: identity.thumbprint };
  if (identity.kind === 'host-key')
    return {
      kind: 'host-key',
      fingerprint: identity.fingerprint,
      ...(identity.algorithm ? { algorithm: identity.algorithm } : {}),
    };
  return { kind: 'loopback' };
}

function identityText(identity: PresentedIdentity): string {
  if (identity.kind === 'thumbprint') return t('conn.identity.thumbprint', { value: identity.thumbprint });
  if (identity.kind === 'host-key') return t('conn.identity.hostKey', { value: identity.fingerprint });
  return t('conn.identity.loopback');
}

/**
 * The console's own web address is not a configuration server (the lab's server has a port of its
 * own): say so rather than testing it.
 */
function ownAddress(form: Form): string | null {
  if (form.kind !== 'configserver' || window.siteshift) return null;
  try {
    if (new URL(form.url.trim()).host === window.location.host)
      return t('conn.ownAddress', {
        address: window.location.host,
        server: '`siteshift server`',
        lab: '`siteshift lab`',
      });
  } catch {
    // Not a URL: the test says what is wrong with it.
  }
  return null;
}

/** The connection manager: test first, confirm the identity, then save. */
export function SettingsView() {
  const { api, connections, loadConnections, refreshAll, loadInfo, settings } = useConsole();
  const [form, setForm] = useState<Form>(emptyForm);
  useT();
  const [adding, setAdding] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ title: string; message: string } | null>(null);
  const [removeError, setRemoveError] = useState<string | null>(null);
  const [result, setResult] = useState<ConnectionTestResult | null>(null);
  const [trust, setTrust] = useState<Trust | null>(null);
  const addButton = useRef<HTMLButtonElement>(null);
  const firstField = useRef<HTMLSelectElement>(null);
  const outcome = useRef<HTMLDivElement>(null);
  // What a test answered appears below the form: brought into view and focused, not left below the fold.
  useEffect(() => {
    if ((result || error) && outcome.current) {
      outcome.current.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
      outcome.current.focus({ preventScroll: true });
    }
  }, [result, error]);
  useEffect(() => {
    if (adding) firstField.current?.focus();
  }, [adding]);
  const [checks, setChecks] = useState<
    Record<string, { busy: boolean; text: string; tone: 'ok' | 'warning' | 'danger' }>
  >({});
  // A confirmed identity belongs to an endpoint: changing where we connect drops it, changing the
  // name or the password does not.
  const targetFields: Array<keyof Form> = ['kind', 'url', 'host', 'port'];
  const update = (patch: Partial<Form>) => {
    setForm({ ...form, ...patch });
    setResult(null);
    if (targetFields.some((f) => f in patch)) setTrust(null);
  };
  const secrets = () => {
    if (form.kind === 'configserver') return form.token ? { token: form.token } : {};
    if (form.kind === 'hyperv' && form.privateKey) return { privateKey: form.privateKey };
    return form.password ? { password: form.password } : {};
  };

  async function test() {
    if (!api) return;
    setBusy(true);
    setError(null);
    try {
      const own = ownAddress(form);
      if (own) {
        setError({ title: t('conn.testFailed'), message: own });
        return;
      }
      let r = await api['connections:test']({
        target: toTarget(form),
        secrets: secrets(),
        ...(trust ? { trust } : {}),
      });
      // A server on this machine over plain http has no identity to compare: nothing to confirm.
      if (r.status === 'confirm-identity' && r.identity.kind === 'loopback') {
        const loopback: Trust = { kind: 'loopback' };
        setTrust(loopback);
        r = await api['connections:test']({ target: toTarget(form), secrets: secrets(), trust: loopback });
      }
      setResult(r);
    } catch (err) {
      setError({ title: t('conn.testFailed'), message: errorText(err) });
    } finally {
      setBusy(false);
    }
  }

  async function save() {
    if (!api || !trust) return;
    setBusy(true);
    setError(null);
    try {
      await api['connections:add']({
        name: form.name,
        site: form.site,
        target: toTarget(form),
        secrets: secrets(),
        trust,
      });
      setForm(emptyForm);
      setAdding(false);
      setResult(null);
      setTrust(null);
      addButton.current?.focus();
      // Everything drawn from the connections (the map, the protection snapshots, jobs) follows them.
      await Promise.all([refreshAll(), loadInfo()]);
    } catch (err) {
      setError({ title: t('conn.saveFailed'), message: errorText(err) });
    } finally {
      setBusy(false);
    }
  }

  function cancel() {
    setAdding(false);
    setResult(null);
    setTrust(null);
    setError(null);
    addButton.current?.focus();
  }

  async function check(id: string) {
    if (!api) return;
    setChecks((c) => ({ ...c, [id]: { busy: true, text: t('conn.testing'), tone: 'ok' } }));
    try {
      const r = await api['connections:check']({ id });
      const next =
        r.status === 'ok'
          ? { text: t('conn.ok', { product: tServer(r.product, r.productWords) }), tone: 'ok' as const }
          : r.status === 'identity-changed'
            ? {
                text: t('conn.changed', { identity: identityText(r.identity), pinned: r.pinned }),
                tone: 'danger' as const,
              }
            : { text: t('conn.notPinned', { identity: identityText(r.identity) }), tone: 'warning' as const };
      setChecks((c) => ({ ...c, [id]: { busy: false, ...next } }));
    } catch (err) {
      setChecks((c) => ({ ...c, [id]: { busy: false, text: errorText(err), tone: 'danger' } }));
    }
  }

  async function remove(id: string) {
    if (!api) return;
    setRemoveError(null);
    try {
      await api['connections:remove']({ id });
      // Everything drawn from the connections (the map, the protection snapshots, jobs) follows them.
      await Promise.all([refreshAll(), loadInfo()]);
    } catch (err) {
      setRemoveError(errorText(err));
    }
  }

  return (
    <section className="page" aria-label={t('conn.settings')}>
      <PageHeader
        title={t('nav.settings')}
        subtitle={t('conn.subtitle')}
        actions={
          // Stays where it is while the form is open (focus is not dropped): a second press goes to the form.
          <button
            type="button"
            className="btn btn-primary"
            ref={addButton}
            aria-expanded={adding}
            onClick={() => (adding ? firstField.current?.focus() : setAdding(true))}
          >
            {t('conn.add')}
          </button>
        }
      />
      <h2 className="section-title">{t('conn.title')}</h2>
      {connections.error && (
        <ErrorState
          title={t('conn.loadFailed')}
          message={connections.error}
          onRetry={() => void loadConnections()}
        />
      )}
      {removeError && <ErrorState title={t('conn.removeFailed')} message={removeError} />}
      {connections.data?.length === 0 && <Empty title={t('conn.none')}>{t('conn.noneText')}</Empty>}
      {connections.data && connections.data.length > 0 && (
        <table className="table" aria-label={t('conn.title')}>
          <thead>
            <tr>
              <th>{t('common.name')}</th>
              <th>{t('conn.col.kind')}</th>
              <th>{t('conn.col.site')}</th>
              <th>{t('conn.col.endpoint')}</th>
              <th>{t('conn.col.identity')}</th>
              <th>
                <span className="sr-only">{t('common.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {connections.data.map((c) => [
              <tr key={c.id}>
                <td>
                  {c.name} {c.lab && <span className="badge badge-unknown">{t('conn.lab')}</span>}
                </td>
                <td>{t(`conn.kind.${c.target.kind}`)}</td>
                <td>{c.site === 'primary' ? t('conn.primary') : t('conn.secondary')}</td>
                <td className="mono">
                  {c.target.kind === 'hyperv' ? `${c.target.host}:${c.target.port}` : c.target.url}
                </td>
                <td className="mono small">
                  {c.trust?.kind === 'thumbprint'
                    ? c.trust.thumbprint
                    : c.trust?.kind === 'host-key'
                      ? c.trust.fingerprint
                      : c.lab
                        ? t('conn.simulated')
                        : '—'}
                </td>
                <td className="row-actions">
                  <button
                    type="button"
                    className="btn btn-small"
                    disabled={checks[c.id]?.busy}
                    onClick={() => void check(c.id)}
                  >
                    {t('conn.test')}
                  </button>
                  {!c.lab && (
                    <button type="button" className="btn btn-small" onClick={() => void remove(c.id)}>
                      {t('common.remove')}
                    </button>
                  )}
                </td>
              </tr>,
              checks[c.id] && (
                <tr key={`${c.id}-check`}>
                  <td
                    colSpan={6}
                    className={`check check-${checks[c.id]!.tone}`}
                    role="status"
                    aria-label={t('conn.testResult', { name: c.name })}
                  >
                    {checks[c.id]!.text}
                  </td>
                </tr>
              ),
            ])}
          </tbody>
        </table>
      )}
      {connections.data?.some((c) => c.lab) && <p className="muted">{t('conn.labNote')}</p>}

      {adding && (
        <form
          className="card form"
          aria-label={t('conn.add')}
          onSubmit={(e) => {
            e.preventDefault();
            void (trust && result?.status === 'ok' ? save() : test());
          }}
        >
          <h2>{t('conn.add')}</h2>
          {settings && settings.secrets.storage !== 'os-keychain' && (
            <p className="pref-note pref-warning small" role="note" aria-label={t('conn.secretWhere')}>
              {secretsNote(settings.secrets)}
            </p>
          )}
          <div className="form-grid">
            <label>
              {t('conn.kind')}
              <select
                ref={firstField}
                className="input"
                value={form.kind}
                onChange={(e) => update({ kind: e.target.value as Kind })}
              >
                <option value="vsphere">{t('conn.kind.vsphere')}</option>
                <option value="hyperv">{t('conn.kindHyperv')}</option>
                <option value="configserver">{t('conn.kind.configserver')}</option>
              </select>
            </label>
            <label>
              {t('common.name')}
              <input
                className="input"
                required
                value={form.name}
                onChange={(e) => update({ name: e.target.value })}
              />
            </label>
            <label>
              {t('conn.site')}
              <select
                className="input"
                value={form.site}
                onChange={(e) => update({ site: e.target.value as Form['site'] })}
              >
                <option value="primary">{t('conn.primary')}</option>
                <option value="secondary">{t('conn.secondary')}</option>
              </select>
            </label>
            {form.kind !== 'hyperv' ? (
              <label className="wide">
                {t('conn.url')}
                <input
                  className="input"
                  required
                  autoComplete="off"
                  value={form.url}
                  onChange={(e) => update({ url: e.target.value })}
                />
              </label>
            ) : (
              <>
                <label>
                  {t('conn.host')}
                  <input
                    className="input"
                    required
                    value={form.host}
                    onChange={(e) => update({ host: e.target.value })}
                  />
                </label>
                <label>
                  {t('conn.port')}
                  <input
                    className="input"
                    inputMode="numeric"
                    value={form.port}
                    onChange={(e) => update({ port: e.target.value })}
                  />
                </label>
              </>
            )}
            {form.kind === 'configserver' ? (
              <label className="wide">
                {t('conn.token')}
                <input
                  className="input mono"
                  type="password"
                  autoComplete="off"
                  value={form.token}
                  onChange={(e) => update({ token: e.target.value })}
                />
              </label>
            ) : (
              <>
                <label>
                  {t('conn.user')}
                  <input
                    className="input"
                    required
                    value={form.username}
                    onChange={(e) => update({ username: e.target.value })}
                  />
                </label>
                <label>
                  {t('conn.password')}
                  <input
                    className="input"
                    type="password"
                    autoComplete="off"
                    value={form.password}
                    onChange={(e) => update({ password: e.target.value })}
                  />
                </label>
              </>
            )}
            {form.kind === 'hyperv' && (
              <label className="wide">
                {t('conn.privateKey')}
                <textarea
                  className="input mono"
                  rows={3}
                  value={form.privateKey}
                  onChange={(e) => update({ privateKey: e.target.value })}
                />
              </label>
            )}
          </div>

          <div className="form-outcome" ref={outcome} tabIndex={-1}>
            {result?.status === 'confirm-identity' && (
              <div className="banner banner-info" role="alert">
                <p>{t('conn.presents', { identity: identityText(result.identity) })}</p>
                <button
                  type="button"
                  className="btn btn-primary"
                  onClick={() => setTrust(toTrust(result.identity))}
                  disabled={trust !== null}
                >
                  {trust ? t('conn.trusted') : t('conn.trust')}
                </button>
              </div>
            )}
            {result?.status === 'identity-changed' && (
              <div className="banner banner-danger" role="alert">
                {t('conn.warnChanged', { identity: identityText(result.identity), pinned: result.pinned })}
              </div>
            )}
            {result?.status === 'ok' && (
              <div className="banner banner-ok" role="status">
                {t('conn.connected', { product: tServer(result.product, result.productWords) })}
              </div>
            )}
            {error && <ErrorState title={error.title} message={error.message} />}
          </div>

          <div className="form-actions">
            <button type="button" className="btn" onClick={cancel}>
              {t('common.cancel')}
            </button>
            <button type="button" className="btn" disabled={busy} onClick={() => void test()}>
              {busy ? t('conn.testing') : t('conn.testConnection')}
            </button>
            <button
              type="submit"
              className="btn btn-primary"
              disabled={busy || !trust || result?.status !== 'ok'}
            >
              {t('conn.save')}
            </button>
          </div>
        </form>
      )}
      <PreferencesPanel />
    </section>
  );
}
