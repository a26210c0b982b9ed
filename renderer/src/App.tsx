import { lazy, Suspense } from 'react';
import { FileMenu } from './components/FileMenu';
import { ShortcutsDialog } from './components/ShortcutsDialog';
import { type KeyOf, useT } from './i18n';
import { formatMoment } from './i18n/format';
import { useOffline } from './offline';
import { useConsole, type View } from './store';
import { EndedJobs } from './views/EndedJobs';
import { JobsIndicator, JobsView } from './views/JobsView';
import { TopologyView } from './views/TopologyView';
import { useWizard } from './wizards/store';

// The map is the first screen: the other screens load when first opened, so the page evaluates
// less code before it asks for the topology.
const InventoryView = lazy(() => import('./views/InventoryView').then((m) => ({ default: m.InventoryView })));
const PlansView = lazy(() => import('./views/PlansView').then((m) => ({ default: m.PlansView })));
const ProtectionView = lazy(() =>
  import('./views/ProtectionView').then((m) => ({ default: m.ProtectionView })),
);
const SettingsView = lazy(() => import('./views/SettingsView').then((m) => ({ default: m.SettingsView })));
const WizardView = lazy(() => import('./wizards/WizardView').then((m) => ({ default: m.WizardView })));
const SnapshotView = lazy(() => import('./views/OfflineView').then((m) => ({ default: m.SnapshotView })));
const DiffView = lazy(() => import('./views/OfflineView').then((m) => ({ default: m.DiffView })));

const nav: Array<{ view: View; label: KeyOf<'nav.'>; icon: string }> = [
  { view: 'topology', label: 'nav.topology', icon: '◈' },
  { view: 'inventory', label: 'nav.inventory', icon: '▤' },
  { view: 'protection', label: 'nav.protection', icon: '◉' },
  { view: 'plans', label: 'nav.plans', icon: '☰' },
  { view: 'jobs', label: 'nav.jobs', icon: '▶' },
  { view: 'settings', label: 'nav.settings', icon: '⚙' },
];

export function App() {
  // One field each: the store changes with every live event, the shell only with these.
  const view = useConsole((s) => s.view);
  const setView = useConsole((s) => s.setView);
  const info = useConsole((s) => s.info);
  const transport = useConsole((s) => s.transport);
  const fatal = useConsole((s) => s.fatal);
  const staleSince = useConsole((s) => s.staleSince);
  const offline = useOffline((s) => s.mode);
  const closeOffline = useOffline((s) => s.close);
  const wizard = useWizard((s) => s.active);
  const t = useT();
  if (fatal) {
    return (
      <div className="fatal" role="alert">
        <h1>{t('shell.cannotStart')}</h1>
        <p>{fatal}</p>
      </div>
    );
  }
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        {t('shell.skip')}
      </a>
      <aside className="sidebar">
        <div className="brand">
          <span className="brand-mark">⇄</span> Siteshift
        </div>
        <FileMenu />
        <nav aria-label={t('nav.main')}>
          {nav.map((item) => (
            <button
              type="button"
              key={item.view}
              className={item.view === view && offline === 'none' ? 'nav-item active' : 'nav-item'}
              aria-current={item.view === view && offline === 'none' ? 'page' : undefined}
              onClick={() => {
                closeOffline();
                setView(item.view);
              }}
            >
              <span className="nav-icon" aria-hidden="true">
                {item.icon}
              </span>
              {t(item.label)}
            </button>
          ))}
          {wizard && view !== 'wizard' && (
            <button
              type="button"
              className="nav-item nav-wizard"
              onClick={() => {
                closeOffline();
                setView('wizard');
              }}
            >
              <span className="nav-icon" aria-hidden="true">
                ✎
              </span>
              {t('nav.backToWizard')}
            </button>
          )}
        </nav>
        <div className="sidebar-foot">
          <JobsIndicator />
          {info?.lab && <div className="lab-badge">{t('shell.lab')}</div>}
          <div className={`transport transport-${transport}`}>
            {transport === 'open'
              ? t('shell.connected')
              : transport === 'connecting'
                ? t('shell.connecting')
                : t('shell.disconnected')}
          </div>
          <div className="version">{info ? `v${info.version} · ${info.host}` : ''}</div>
        </div>
      </aside>
      <main
        className={staleSince !== null && offline === 'none' ? 'content stale' : 'content'}
        id="main"
        tabIndex={-1}
      >
        {offline === 'none' && <StaleBanner />}
        <Suspense fallback={null}>
          {offline === 'snapshot' && <SnapshotView />}
          {offline === 'diff' && <DiffView />}
          {offline === 'none' && (
            <>
              {view === 'topology' && <TopologyView />}
              {view === 'inventory' && <InventoryView />}
              {view === 'protection' && <ProtectionView />}
              {view === 'plans' && <PlansView />}
              {view === 'wizard' && <WizardView />}
              {view === 'jobs' && <JobsView />}
              {view === 'settings' && <SettingsView />}
            </>
          )}
        </Suspense>
      </main>
      <ShortcutsDialog />
      <EndedJobs />
    </div>
  );
}

/**
 * Across the top of every screen while the console host does not answer: what is shown is as old
 * as that, and Refresh says it is retrying rather than seeming to do nothing.
 */
function StaleBanner() {
  const t = useT();
  const staleSince = useConsole((s) => s.staleSince);
  const retrying = useConsole((s) => s.retrying);
  const refreshAll = useConsole((s) => s.refreshAll);
  if (staleSince === null) return null;
  return (
    <div className="stale-banner" role="alert">
      <p>
        <strong>{t('stale.since', { time: formatMoment(staleSince) })}</strong> {t('stale.text')}{' '}
        {retrying ? t('stale.retrying') : t('stale.background')}
      </p>
      <button type="button" className="btn btn-small" disabled={retrying} onClick={() => void refreshAll()}>
        {retrying ? t('stale.retryingButton') : t('stale.retryNow')}
      </button>
    </div>
  );
}
