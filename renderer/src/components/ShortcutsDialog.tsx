import { useEffect } from 'react';
import { useConsole } from '../store';

const mac = typeof navigator !== 'undefined' && /Mac/.test(navigator.platform);
const mod = mac ? '⌘' : 'Ctrl';

const shortcuts: Array<[string, string]> = [
  [`${mod}+O`, 'Open an exported topology'],
  [`${mod}+Shift+O`, 'Compare two exports'],
  [`${mod}+E`, 'Export the topology'],
  [`${mod}+,`, 'Settings'],
  [`${mod}+=  /  ${mod}+-  /  ${mod}+0`, 'Zoom in, out, reset'],
  [`${mod}+/`, 'This list'],
  ['Esc', 'Close a dialog'],
];

/** Help › Keyboard Shortcuts (desktop menu). */
export function ShortcutsDialog() {
  const { shortcutsOpen, setShortcutsOpen } = useConsole();
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
      <div className="card dialog" role="dialog" aria-modal="true" aria-label="Keyboard shortcuts">
        <h2>Keyboard shortcuts</h2>
        <table className="table">
          <tbody>
            {shortcuts.map(([keys, what]) => (
              <tr key={what}>
                <td className="mono">{keys}</td>
                <td>{what}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <div className="form-actions">
          <button type="button" className="btn btn-primary" onClick={() => setShortcutsOpen(false)}>
            Close
          </button>
        </div>
      </div>
    </div>
  );
}
