import type { ExportDocument } from '../../../shared/export/schema';
import {
  type ExportWordKey,
  exportEntry,
  exportWord,
  exportWordsEn,
} from '../../../shared/i18n/export-words';
import { formatDuration, formatNumber, formatStamp } from '../../../shared/i18n/format';
import type { Locale } from '../../../shared/i18n/locale';
import { saidIn } from '../../../shared/i18n/said-words';
import type { Values } from '../../../shared/i18n/speak';
import type { HealthLevel } from '../../../shared/schemas/health';
import {
  healthName,
  kindName,
  mapWord,
  pairStateName,
  siteName,
  valueWords,
} from '../../../shared/topology/map-text';
import { type Diagram, escapeXml as esc } from './svg';

/**
 * One self-contained HTML file: inline styles and script, the SVG diagram inline, the export
 * embedded as JSON, a search box and a table of every object. Its Content-Security-Policy forbids
 * every load from anywhere (default-src 'none'), so it opens the same with or without a network.
 * Its words are the exporter's language (shared/i18n/export-words.ts, map-words.ts).
 */

const css = `
*{box-sizing:border-box}body{margin:0;font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;background:#f4f6f9;color:#1b2330}
header{position:sticky;top:0;z-index:2;background:#1b2330;color:#fff;padding:10px 20px;display:flex;gap:16px;align-items:center;flex-wrap:wrap}
header h1{font-size:17px;margin:0}header .meta{color:#c9d1dc;font-size:12px}
header input{margin-left:auto;min-width:280px;padding:6px 10px;border-radius:6px;border:1px solid #5b6675;font:inherit}
.banner{background:#fff4d6;border-bottom:1px solid #e6c66a;padding:8px 20px;font-size:13px}
main{padding:16px 20px}section{background:#fff;border:1px solid #dde3ea;border-radius:8px;margin:0 0 16px;padding:12px 16px}
h2{font-size:15px;margin:0 0 8px}.diagram{overflow:auto;max-height:70vh;border:1px solid #e3e8ee;border-radius:6px;background:#f4f6f9}
table{border-collapse:collapse;width:100%;font-size:12.5px}th,td{text-align:left;padding:4px 8px;border-bottom:1px solid #eef1f5;vertical-align:top}
th{position:sticky;top:0;background:#f7f9fb}tr.hidden{display:none}td.h-critical{color:#d64545;font-weight:600}td.h-warning{color:#b87500;font-weight:600}
.count{color:#5b6675;font-size:12px;margin-left:8px}header .count{color:#c9d1dc}.tablewrap{max-height:60vh;overflow:auto}
g.node.match rect:first-of-type{stroke:#f0a000;stroke-width:4}g.node.dim{opacity:.25}
`;

const script = `
(function(){
  var input=document.getElementById('search');var rows=[].slice.call(document.querySelectorAll('tr[data-text]'));
  var nodes=[].slice.call(document.querySelectorAll('g.node'));var count=document.getElementById('match-count');
  function run(){
    var q=input.value.trim().toLowerCase();var hits={};var n=0;var first=null;
    rows.forEach(function(r){var ok=!q||r.getAttribute('data-text').indexOf(q)>=0;r.classList.toggle('hidden',!ok);
      if(ok&&q){n++;var id=r.getAttribute('data-node');if(id)hits[id]=1;if(!first)first=r;}});
    nodes.forEach(function(g){var m=!!q&&(hits[g.getAttribute('data-id')]||g.getAttribute('data-label').indexOf(q)>=0);
      g.classList.toggle('match',m);g.classList.toggle('dim',!!q&&!m);});
    var lang=document.documentElement.lang;var form=new Intl.PluralRules(lang).select(n)==='one'?'one':'other';
    count.textContent=q?count.getAttribute('data-'+form).replace('{count}',n.toLocaleString(lang)):'';
    var target=document.querySelector('g.node.match');if(target&&target.scrollIntoView)target.scrollIntoView({block:'nearest',inline:'center'});
  }
  input.addEventListener('input',run);
})();
`;

const percent = new Set(['cpu', 'memory', 'cacheFree']);
const seconds = new Set(['rpoSec', 'rpoThresholdSec']);

/**
 * An object's facts in the export's language: each by its name in the book, the values the console
 * words (power, connection, protection, status, OS) in its words, numbers and durations by the
 * locale; names, addresses and Hyper-V's own state words as the source reports them.
 */
function attrText(locale: Locale, attributes: Record<string, string | number | boolean | null>): string {
  const value = (k: string, v: string | number | true): string => {
    if (v === true) return exportWord(locale, 'value.yes');
    if (typeof v === 'number') {
      if (seconds.has(k)) return formatDuration(locale, v);
      if (percent.has(k)) return `${formatNumber(locale, v)}%`;
      if (k === 'backlogMin')
        return formatNumber(locale, v, { style: 'unit', unit: 'minute', unitDisplay: 'short' });
      return formatNumber(locale, v);
    }
    return valueWords(locale, k, v) ?? v;
  };
  return (
    Object.entries(attributes)
      // configServer is the export's own name for a server's connection (export-0): no fact to read.
      .filter(
        (e): e is [string, string | number | true] =>
          e[0] !== 'configServer' && e[1] !== null && e[1] !== '' && e[1] !== false,
      )
      .map(([k, v]) => {
        const name = `attr.${k}` in exportWordsEn ? exportWord(locale, `attr.${k}` as ExportWordKey) : k;
        return `${name}: ${value(k, v)}`;
      })
      .join(' · ')
  );
}

export function renderHtml(doc: ExportDocument, diagram: Diagram, locale: Locale = 'en'): string {
  const w = (key: ExportWordKey, values?: Values) => exportWord(locale, key, values);
  const num = (n: number) => formatNumber(locale, n);
  const site = (s: string | null | undefined) =>
    s === 'primary' || s === 'secondary' ? siteName(locale, s) : (s ?? '');
  const health = (h: string) =>
    ['ok', 'warning', 'critical', 'unknown'].includes(h) ? healthName(locale, h as HealthLevel) : h;
  const when = formatStamp(locale, doc.exportedAt);
  const shown = new Set(diagram.graph.nodes.map((n) => n.id));
  const byId = new Map(doc.topology.nodes.map((n) => [n.id, n]));
  const replicaOwner = new Map<string, string>();
  for (const n of diagram.graph.nodes) if (n.replica) replicaOwner.set(n.replica.id, n.id);
  // Where a row's object is drawn: its own box, the VM its Hyper-V replica folds into, or the
  // folded cluster or host that holds it (the search lights that box).
  const displayId = (id: string): string => {
    for (let at: string | null | undefined = id; at; at = byId.get(at)?.parent) {
      if (shown.has(at)) return at;
      const owner = replicaOwner.get(at);
      if (owner) return owner;
    }
    return '';
  };
  const objectRows = doc.topology.nodes
    .filter((n) => n.kind !== 'site')
    .map((n) => {
      const parent = n.parent ? (byId.get(n.parent)?.label ?? '') : '';
      const kind = kindName(locale, n.kind);
      const detail = attrText(locale, n.attributes);
      const text = `${kind} ${n.label} ${site(n.site)} ${parent} ${detail}`.toLowerCase();
      return `<tr data-text="${esc(text)}" data-node="${esc(displayId(n.id))}"><td>${esc(kind)}</td><td>${esc(n.label)}</td><td>${esc(site(n.site))}</td><td>${esc(parent)}</td><td class="h-${n.health}">${esc(health(n.health))}</td><td class="details">${esc(detail)}</td></tr>`;
    })
    .join('\n');

  const planRows: string[] = [];
  const pairRows: string[] = [];
  for (const d of doc.deployments) {
    const siteName = (id: unknown) => d.sites.find((s) => s.id === id)?.name ?? String(id ?? '');
    for (const p of d.plans) {
      const count = d.pairs.filter((x) => x.planId === p.id).length;
      const mt = d.masterTargets.find((m) => m.id === p.masterTargetId)?.name ?? p.target?.masterTarget ?? '';
      const from = p.source?.site ?? siteName(p.sourceSiteId);
      const to = p.target?.site ?? siteName(p.targetSiteId);
      const groups = p.machines
        ? new Set(p.machines.map((m) => m.bootGroup ?? 1)).size
        : (p.bootGroups ?? []).length;
      const text = `${p.name} ${from} ${to} ${mt}`.toLowerCase();
      planRows.push(
        `<tr data-text="${esc(text)}"><td>${esc(p.name)}</td><td>${esc(d.name)}</td><td>${esc(from)} → ${esc(to)}</td><td>${esc(mt)}</td><td>${num(count)}</td><td>${num(groups)}</td></tr>`,
      );
    }
    for (const p of d.pairs) {
      const plan = d.plans.find((x) => x.id === p.planId)?.name ?? '';
      const rpo = p.stats ? formatDuration(locale, p.stats.rpoSec) : '-';
      const state = pairStateName(locale, p.state);
      const direction =
        p.direction === 'forward' || p.direction === 'reverse' ? w(`direction.${p.direction}`) : p.direction;
      const text = `${p.sourceVmName} ${state} ${plan}`.toLowerCase();
      pairRows.push(
        `<tr data-text="${esc(text)}"><td>${esc(p.sourceVmName)}</td><td>${esc(plan)}</td><td>${esc(state)}</td><td class="h-${esc(p.health)}">${esc(health(p.health))}</td><td>${esc(rpo)} / ${esc(formatDuration(locale, p.rpoThresholdSec))}</td><td>${esc(direction)}</td></tr>`,
      );
    }
  }

  // What each part of the snapshot was read from, and what could not be read: an auditor must
  // see a missing vCenter as missing, not as an empty estate.
  const sourceRows = [
    ...doc.inventories.map((i) => {
      const read = i.error
        ? w('html.notRead', { error: saidIn(locale, i.error, i.errorWords) })
        : mapWord(locale, 'map.vms', { count: i.inventory?.vms.length ?? 0 });
      const via = i.via ? w('html.through', { server: i.via.server }) : w('html.directly');
      return `<tr data-text="${esc(`${i.name} ${i.address} ${read}`.toLowerCase())}"><td>${esc(w(`sourceKind.${i.kind}`))}</td><td>${esc(i.name)}</td><td>${esc(site(i.site))}</td><td>${esc(i.address)}</td><td>${esc(via)}</td><td${i.error ? ' class="h-critical"' : ''}>${esc(read)}</td></tr>`;
    }),
    ...doc.deployments.map((d) => {
      const read = d.error
        ? w('html.notRead', { error: saidIn(locale, d.error, d.errorWords) })
        : [
            w('count.plans', { count: d.plans.length }),
            w('count.pairs', { count: d.pairs.length }),
            w('count.points', { count: d.recoveryPoints.length }),
          ].join(', ');
      return `<tr data-text="${esc(`${d.name} ${d.url} ${read}`.toLowerCase())}"><td>${esc(w('sourceKind.configserver'))}</td><td>${esc(d.name)}</td><td></td><td>${esc(d.url)}</td><td>${esc(w('html.directly'))}</td><td${d.error ? ' class="h-critical"' : ''}>${esc(read)}</td></tr>`;
    }),
  ];

  // `<` is escaped so that no string in the data can close the script element.
  const data = JSON.stringify(doc).replace(/</g, '\\u003c');
  const signed = doc.integrity.signature
    ? w('html.signed', { key: doc.integrity.signature.keyFingerprint })
    : w('html.unsigned');
  const matches = exportEntry(locale, 'html.matches');
  const th = (...keys: ExportWordKey[]) => keys.map((k) => `<th>${esc(w(k))}</th>`).join('');
  const heading = (key: ExportWordKey, rows: number) =>
    `<h2>${esc(w(key))} <span class="count">${num(rows)}</span></h2>`;
  return `<!doctype html>
<html lang="${locale}"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(w('html.title', { when }))}</title><style>${css}</style></head>
<body>
<header><h1>${esc(w('html.heading'))}</h1><span class="meta">${esc(w('html.meta', { when, version: doc.exporter.version, signed }))}</span>
<input id="search" type="search" placeholder="${esc(w('html.findPlaceholder'))}" aria-label="${esc(w('html.find'))}" autocomplete="off"><span id="match-count" class="count" aria-live="polite" data-one="${esc(matches.one)}" data-other="${esc(matches.other)}"></span></header>
<div class="banner">${esc(w('html.banner', { when, digest: doc.integrity.digest }))}</div>
<main>
<section><h2>${esc(w('html.topology'))}</h2><div class="diagram" id="diagram">${diagram.svg}</div></section>
<section>${heading('html.sources', sourceRows.length)}<div class="tablewrap"><table id="sources"><thead><tr>${th('col.kind', 'col.name', 'col.site', 'col.address', 'html.col.read', 'html.col.result')}</tr></thead><tbody>${sourceRows.join('\n')}</tbody></table></div></section>
<section>${heading('html.plans', planRows.length)}<div class="tablewrap"><table><thead><tr>${th('col.plan', 'col.configServer', 'html.col.sites', 'html.col.masterTarget', 'col.machines', 'html.col.bootGroups')}</tr></thead><tbody>${planRows.join('\n')}</tbody></table></div></section>
<section>${heading('html.pairs', pairRows.length)}<div class="tablewrap"><table><thead><tr>${th('col.vm', 'col.plan', 'col.state', 'html.col.health', 'col.rpo', 'html.col.direction')}</tr></thead><tbody>${pairRows.join('\n')}</tbody></table></div></section>
<section>${heading('html.objects', doc.topology.nodes.length - 2)}<div class="tablewrap"><table id="objects"><thead><tr>${th('col.kind', 'col.name', 'col.site', 'html.col.in', 'html.col.health', 'html.col.details')}</tr></thead><tbody>
${objectRows}
</tbody></table></div></section>
</main>
<script type="application/json" id="siteshift-export">${data}</script>
<script>${script}</script>
</body></html>
`;
}
