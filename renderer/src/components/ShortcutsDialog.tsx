import { useEffect } from 'react';
import { type KeyOf, useT } from '../i18n';
import { useConsole } from '../store';

const mac = typeof navigator !== 'undefined' && /Mac/.test(navigator.platform);
const mod = mac ? '⌘' : 'Ctrl';

const shortcuts: Array<[string, KeyOf<'shortcuts.'>]> = [
  [`${mod}+O`, 'shortcuts.open'],
  [`${mod}+Shift+O`, 'shortcuts.compare'],
  [`${mod}+E`, 'shortcuts.export'],
  [`${mod}+,`, 'shortcuts.settings'],
  [`${mod}+=  /  ${mod}+-  /  ${mod}+0`, 'shortcuts.zoom'],
  [`${mod}+/`, 'shortcuts.list'],
  ['Esc', 'shortcuts.close'],
];

/** Help › Keyboard Shortcuts (desktop menu). */
export function ShortcutsDialog() {
  const shortcutsOpen = useConsole((s) => s.shortcutsOpen);
  const setShortcutsOpen = useConsole((s) => s.setShortcutsOpen);
  const t = useT();
  useEffect(() => {
    if (!shortcutsOpen) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') setShortcutsOpen(false);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [shortcutsOpen, setShortcutsOpen]);
  if (!shortcutsOpen) return null;
  return (
    <div className="dialog-backdrop">
      <div className="card dialog" role="dialog" aria-modal="true" aria-label={t('shortcuts.title')}>
        <h2>{t('shortcuts.title')}</h2>
        <table className="table">
          <tbody>
            {shortcuts.map(([keys, what]) => (
              <tr key={what}>
                <td className="mono">{keys}</td>
                <td>{t(what)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <div className="form-actions">
          <button type="button" className="btn btn-primary" onClick={() => setShortcutsOpen(false)}>
            {t('common.close')}
          </button>
        </div>
      </div>
    </div>
  );
}
