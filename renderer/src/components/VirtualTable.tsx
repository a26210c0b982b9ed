import { useVirtualizer } from '@tanstack/react-virtual';
import { type PointerEvent as ReactPointerEvent, useLayoutEffect, useRef, useState } from 'react';
import { useT } from '../i18n';
import { Empty } from './states';

export interface Column<T> {
  title: string;
  /** CSS grid width before the operator resizes it: `1.6fr` or `90px`. */
  width: string;
  /** Narrowest the column gets, in px; the table scrolls sideways rather than squeeze it more. */
  min?: number;
  render: (row: T) => React.ReactNode;
  /** The full text for the cell's tooltip, where a cell may be cut short. */
  tooltip?: (row: T) => string;
  /**
   * A column the table may leave out where it is too narrow for every column's minimum (a 1024 px
   * window): the highest number goes first. Columns without it always show.
   */
  drop?: number;
}

const ROW = 34;
const HEAD = 36;

function defaultMin(width: string): number {
  return width.endsWith('px') ? Number.parseInt(width, 10) : 120;
}

let measure: CanvasRenderingContext2D | null | undefined;
/**
 * The width a column title needs to show whole in the header's two lines, in the header's font:
 * never a cut word ("Kiezen", not "Kiez…"), never a third line ("vCPU · geheugen · schijven").
 */
function titleMin(title: string, font: string): number {
  if (measure === undefined) measure = document.createElement('canvas').getContext('2d');
  if (!measure) return 0;
  measure.font = font;
  const words = title.split(/\s+/);
  const width = (from: number, to: number) => measure!.measureText(words.slice(from, to).join(' ')).width;
  // The narrowest split in two lines: the wider of its two halves.
  let best = width(0, words.length);
  for (let k = 1; k < words.length; k++) best = Math.min(best, Math.max(width(0, k), width(k, words.length)));
  return Math.ceil(best) + 2;
}

/** The columns that fit in `width` px: those with `drop` leave, highest first, until the rest fit. */
export function fitting<T>(columns: Column<T>[], mins: number[], width: number): number[] {
  const kept = columns.map((_, i) => i);
  const need = (idx: number[]) => idx.reduce((n, i) => n + mins[i]!, 0) + 8 * idx.length + 24;
  const droppable = kept
    .filter((i) => columns[i]!.drop !== undefined)
    .sort((a, b) => columns[b]!.drop! - columns[a]!.drop!);
  for (const i of droppable) {
    if (width <= 0 || need(kept) <= width) break;
    kept.splice(kept.indexOf(i), 1);
  }
  return kept;
}

/**
 * Only the visible rows exist in the DOM: 5,000 VMs scroll like 50. `scroll="own"` fills its
 * container and scrolls inside it (one scroll container: the page around it does not scroll);
 * `scroll="page"` lets the page scroll it, for screens with more than one table. Columns keep a
 * minimum width and are resized by dragging their header's edge or with the arrow keys on it.
 */
export function VirtualTable<T extends { id: string }>({
  rows,
  columns,
  label,
  scroll = 'own',
  holdOrder,
}: {
  rows: T[];
  columns: Column<T>[];
  /** The table's accessible name. */
  label?: string;
  scroll?: 'own' | 'page';
  /** Called with true while the pointer or the focus is in the table (live lists hold their order). */
  holdOrder?: (held: boolean) => void;
}) {
  const box = useRef<HTMLElement>(null);
  const t = useT();
  const [sized, setSized] = useState<Record<string, number>>({});
  const [margin, setMargin] = useState(0);
  const pageScroller = () => (box.current?.closest('.content') as HTMLElement | null) ?? null;
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => (scroll === 'own' ? box.current : pageScroller()),
    estimateSize: () => ROW,
    overscan: 12,
    scrollMargin: scroll === 'own' ? HEAD : margin,
  });
  // Where the rows start within the page's scroll area moves when content above them changes.
  useLayoutEffect(() => {
    if (scroll !== 'page') return;
    const scroller = pageScroller();
    if (!scroller || !box.current) return;
    const top =
      box.current.getBoundingClientRect().top -
      scroller.getBoundingClientRect().top +
      scroller.scrollTop +
      HEAD;
    if (Math.abs(top - margin) > 1) setMargin(top);
  });
  // The table's own width decides which optional columns show; the page never scrolls sideways for it.
  const [width, setWidth] = useState(0);
  const [font, setFont] = useState('');
  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    const head = el.querySelector('.vtable-head');
    if (head) setFont(getComputedStyle(head).font);
    const observer = new ResizeObserver(([entry]) => setWidth(Math.floor(entry!.contentRect.width)));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  const allMins = columns.map((c) =>
    Math.max(c.min ?? defaultMin(c.width), font ? titleMin(c.title, font) : 0),
  );
  const kept = fitting(columns, allMins, width);
  const shown = kept.map((i) => columns[i]!);
  const mins = kept.map((i) => allMins[i]!);
  const template = shown
    .map((c, i) => {
      const px = sized[c.title];
      return px ? `${px}px` : `minmax(${mins[i]}px, ${c.width})`;
    })
    .join(' ');
  const minWidth = shown.reduce((n, c, i) => n + (sized[c.title] ?? mins[i]!), 0) + 8 * shown.length + 24;

  const resize = (index: number, px: number) => {
    const c = shown[index]!;
    setSized((s) => ({ ...s, [c.title]: Math.max(mins[index]!, Math.round(px)) }));
  };
  const startDrag = (index: number, e: ReactPointerEvent<HTMLElement>) => {
    const cell = (e.currentTarget.parentElement as HTMLElement).getBoundingClientRect();
    const from = e.clientX;
    const start = cell.width;
    const move = (ev: PointerEvent) => resize(index, start + ev.clientX - from);
    const up = () => {
      window.removeEventListener('pointermove', move);
      window.removeEventListener('pointerup', up);
    };
    window.addEventListener('pointermove', move);
    window.addEventListener('pointerup', up);
    e.preventDefault();
  };

  return (
    // A table that scrolls itself is a region the keyboard reaches (it scrolls with the arrows).
    <section
      className={`vtable vtable-${scroll}`}
      data-rows={rows.length}
      ref={box}
      aria-label={scroll === 'own' ? label : undefined}
      tabIndex={scroll === 'own' ? 0 : undefined}
      onPointerEnter={() => holdOrder?.(true)}
      onPointerLeave={() => holdOrder?.(false)}
      onFocus={() => holdOrder?.(true)}
      onBlur={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) holdOrder?.(false);
      }}
    >
      <div className="vtable-inner" style={{ minWidth }}>
        <div className="vtable-head" style={{ gridTemplateColumns: template }}>
          {shown.map((c, i) => (
            <div key={c.title} className="vtable-th">
              <span className="vtable-title">{c.title}</span>
              {/* biome-ignore lint/a11y/useSemanticElements: an <hr> cannot be focused or dragged */}
              <span
                className="col-resize"
                role="separator"
                aria-orientation="vertical"
                aria-label={t('table.resize', { column: c.title })}
                aria-valuemin={mins[i]}
                aria-valuenow={sized[c.title] ?? mins[i]}
                tabIndex={0}
                onPointerDown={(e) => startDrag(i, e)}
                onKeyDown={(e) => {
                  if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
                  e.preventDefault();
                  const now =
                    sized[c.title] ??
                    (e.currentTarget.parentElement as HTMLElement).getBoundingClientRect().width;
                  resize(i, now + (e.key === 'ArrowRight' ? 16 : -16));
                }}
              />
            </div>
          ))}
        </div>
        {rows.length === 0 && <Empty title={t('table.noRows')} />}
        <div className="vtable-rows" style={{ height: virtualizer.getTotalSize() }}>
          {virtualizer.getVirtualItems().map((item) => {
            const row = rows[item.index]!;
            return (
              <div
                key={row.id}
                className="vtable-row"
                style={{
                  transform: `translateY(${item.start - virtualizer.options.scrollMargin}px)`,
                  gridTemplateColumns: template,
                }}
              >
                {shown.map((c) => (
                  <div key={c.title} title={c.tooltip?.(row)}>
                    {c.render(row)}
                  </div>
                ))}
              </div>
            );
          })}
        </div>
      </div>
    </section>
  );
}
