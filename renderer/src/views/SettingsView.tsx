import { useState } from 'react';
import type {
  ConnectionTarget,
  ConnectionTestResult,
  PresentedIdentity,
  Trust,
} from '../../../shared/schemas/connection';
import { Empty, ErrorState, PageHeader } from '../components/states';
import { errorText, useConsole } from '../store';
import { PreferencesPanel } from './PreferencesPanel';

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
  if (identity.kind === 'thumbprint') return `SHA-256 certificate thumbprint ${identity.thumbprint}`;
  if (identity.kind === 'host-key') return `SSH host key ${identity.fingerprint}`;
  return 'identity of a server on this machine (plain http on 127.0.0.1, nothing to pin)';
}

/** The connection manager: test first, confirm the identity, then save. */
export function SettingsView() {
  const { api, connections, loadConnections, loadTopology, loadInfo, settings } = useConsole();
  const [form, setForm] = useState<Form>(emptyForm);
  const [adding, setAdding] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<ConnectionTestResult | null>(null);
  const [trust, setTrust] = useState<Trust | null>(null);
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
      const r = await api['connections:test']({
        target: toTarget(form),
        secrets: secrets(),
        ...(trust ? { trust } : {}),
      });
      setResult(r);
    } catch (err) {
      setError(errorText(err));
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
      await Promise.all([loadConnections(), loadTopology(), loadInfo()]);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  function cancel() {
    setAdding(false);
    setResult(null);
    setTrust(null);
    setError(null);
  }

  async function check(id: string) {
    if (!api) return;
    setChecks((c) => ({ ...c, [id]: { busy: true, text: 'Testing…', tone: 'ok' } }));
    try {
      const r = await api['connections:check']({ id });
      const next =
        r.status === 'ok'
          ? { text: `OK — ${r.product}`, tone: 'ok' as const }
          : r.status === 'identity-changed'
            ? {
                text: `Identity changed: the endpoint now presents ${identityText(r.identity)}, not the pinned ${r.pinned}. Do not trust it until its administrator confirms the change.`,
                tone: 'danger' as const,
              }
            : { text: `No identity pinned: ${identityText(r.identity)}`, tone: 'warning' as const };
      setChecks((c) => ({ ...c, [id]: { busy: false, ...next } }));
    } catch (err) {
      setChecks((c) => ({ ...c, [id]: { busy: false, text: errorText(err), tone: 'danger' } }));
    }
  }

  async function remove(id: string) {
    if (!api) return;
    try {
      await api['connections:remove']({ id });
      await Promise.all([loadConnections(), loadTopology(), loadInfo()]);
    } catch (err) {
      setError(errorText(err));
    }
  }

  return (
    <section className="page" aria-label="Settings">
      <PageHeader
        title="Connections"
        subtitle="vCenter, ESXi and Hyper-V endpoints; identities are pinned and secrets sealed"
        actions={
          !adding && (
            <button type="button" className="btn btn-primary" onClick={() => setAdding(true)}>
              Add connection
            </button>
          )
        }
      />
      {connections.error && <ErrorState message={connections.error} onRetry={() => void loadConnections()} />}
      {connections.data?.length === 0 && (
        <Empty title="No connections">Add a vCenter or a Hyper-V host to begin.</Empty>
      )}
      {connections.data && connections.data.length > 0 && (
        <table className="table" aria-label="Connections">
          <thead>
            <tr>
              <th>Name</th>
              <th>Kind</th>
              <th>Site</th>
              <th>Endpoint</th>
              <th>Identity</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {connections.data.map((c) => [
              <tr key={c.id}>
                <td>
                  {c.name} {c.lab && <span className="badge badge-unknown">lab</span>}
                </td>
                <td>
                  {c.target.kind === 'vsphere'
                    ? 'vCenter / ESXi'
                    : c.target.kind === 'hyperv'
                      ? 'Hyper-V'
                      : 'Configuration server'}
                </td>
                <td>{c.site}</td>
                <td className="mono">
                  {c.target.kind === 'hyperv' ? `${c.target.host}:${c.target.port}` : c.target.url}
                </td>
                <td className="mono small">
                  {c.trust?.kind === 'thumbprint'
                    ? c.trust.thumbprint
                    : c.trust?.kind === 'host-key'
                      ? c.trust.fingerprint
                      : c.lab
                        ? 'simulated'
                        : '—'}
                </td>
                <td className="row-actions">
                  <button
                    type="button"
                    className="btn btn-small"
                    disabled={checks[c.id]?.busy}
                    onClick={() => void check(c.id)}
                  >
                    Test
                  </button>
                  {!c.lab && (
                    <button type="button" className="btn btn-small" onClick={() => void remove(c.id)}>
                      Remove
                    </button>
                  )}
                </td>
              </tr>,
              checks[c.id] && (
                <tr key={`${c.id}-check`} className="check-row">
                  <td
                    colSpan={6}
                    className={`check check-${checks[c.id]!.tone}`}
                    role="status"
                    aria-label={`${c.name} test result`}
                  >
                    {checks[c.id]!.text}
                  </td>
                </tr>
              ),
            ])}
          </tbody>
        </table>
      )}
      {connections.data?.some((c) => c.lab) && (
        <p className="muted">
          The embedded lab is shown while no connection of your own is saved; adding one replaces it.
        </p>
      )}

      {adding && (
        <form
          className="card form"
          aria-label="Add connection"
          onSubmit={(e) => {
            e.preventDefault();
            void (trust && result?.status === 'ok' ? save() : test());
          }}
        >
          <h2>Add connection</h2>
          {settings && settings.secrets.storage !== 'os-keychain' && (
            <p className="pref-note pref-warning small" role="note" aria-label="Where this secret goes">
              {settings.secrets.note}
            </p>
          )}
          <div className="form-grid">
            <label>
              Kind
              <select
                className="input"
                value={form.kind}
                onChange={(e) => update({ kind: e.target.value as Kind })}
              >
                <option value="vsphere">vCenter / ESXi</option>
                <option value="hyperv">Hyper-V host (SSH)</option>
                <option value="configserver">Configuration server</option>
              </select>
            </label>
            <label>
              Name
              <input
                className="input"
                required
                value={form.name}
                onChange={(e) => update({ name: e.target.value })}
              />
            </label>
            <label>
              Site
              <select
                className="input"
                value={form.site}
                onChange={(e) => update({ site: e.target.value as Form['site'] })}
              >
                <option value="primary">Primary</option>
                <option value="secondary">Secondary</option>
              </select>
            </label>
            {form.kind !== 'hyperv' ? (
              <label className="wide">
                URL
                <input
                  className="input"
                  required
                  value={form.url}
                  onChange={(e) => update({ url: e.target.value })}
                />
              </label>
            ) : (
              <>
                <label>
                  Host
                  <input
                    className="input"
                    required
                    value={form.host}
                    onChange={(e) => update({ host: e.target.value })}
                  />
                </label>
                <label>
                  Port
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
                API token
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
                  User
                  <input
                    className="input"
                    required
                    value={form.username}
                    onChange={(e) => update({ username: e.target.value })}
                  />
                </label>
                <label>
                  Password
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
                Private key (OpenSSH, instead of a password)
                <textarea
                  className="input mono"
                  rows={3}
                  value={form.privateKey}
                  onChange={(e) => update({ privateKey: e.target.value })}
                />
              </label>
            )}
          </div>

          {result?.status === 'confirm-identity' && (
            <div className="banner banner-info" role="alert">
              <p>
                This endpoint presents the {identityText(result.identity)}. Compare it with the one its
                administrator gave you before trusting it. Nothing secret has been sent yet.
              </p>
              <button
                type="button"
                className="btn btn-primary"
                onClick={() => setTrust(toTrust(result.identity))}
                disabled={trust !== null}
              >
                {trust ? 'Trusted — test again to sign in' : 'Trust this identity'}
              </button>
            </div>
          )}
          {result?.status === 'identity-changed' && (
            <div className="banner banner-danger" role="alert">
              Warning: the endpoint's identity changed. It now presents the {identityText(result.identity)},
              not the pinned {result.pinned}. Someone may be intercepting the connection; do not continue
              until its administrator confirms the change.
            </div>
          )}
          {result?.status === 'ok' && (
            <div className="banner banner-ok" role="status">
              Connected to {result.product}. Identity verified.
            </div>
          )}
          {error && <ErrorState message={error} />}

          <div className="form-actions">
            <button type="button" className="btn" onClick={cancel}>
              Cancel
            </button>
            <button type="button" className="btn" disabled={busy} onClick={() => void test()}>
              {busy ? 'Testing…' : 'Test connection'}
            </button>
            <button
              type="submit"
              className="btn btn-primary"
              disabled={busy || !trust || result?.status !== 'ok'}
            >
              Save
            </button>
          </div>
        </form>
      )}
      <PreferencesPanel />
    </section>
  );
}
