import type { ExportDocument } from '../../../shared/export/schema';
import { displayKindLabel } from '../../../shared/topology/display';
import { type Diagram, escapeXml as esc } from './svg';

/**
 * One self-contained HTML file: inline styles and script, the SVG diagram inline, the export
 * embedded as JSON, a search box and a table of every object. Its Content-Security-Policy forbids
 * every load from anywhere (default-src 'none'), so it opens the same with or without a network.
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
    count.textContent=q?(n===1?'1 match':n+' matches'):'';
    var target=document.querySelector('g.node.match');if(target&&target.scrollIntoView)target.scrollIntoView({block:'nearest',inline:'center'});
  }
  input.addEventListener('input',run);
})();
`;

const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

function attrText(attributes: Record<string, string | number | boolean | null>): string {
  return Object.entries(attributes)
    .filter(([, v]) => v !== null && v !== '' && v !== false)
    .map(([k, v]) => `${k}: ${v}`)
    .join(' · ');
}

export function renderHtml(doc: ExportDocument, diagram: Diagram): string {
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
      const kind = displayKindLabel[n.kind] ?? n.kind;
      const detail = attrText(n.attributes);
      const text = `${kind} ${n.label} ${n.site ?? ''} ${parent} ${detail}`.toLowerCase();
      return `<tr data-text="${esc(text)}" data-node="${esc(displayId(n.id))}"><td>${esc(kind)}</td><td>${esc(n.label)}</td><td>${esc(n.site ?? '')}</td><td>${esc(parent)}</td><td class="h-${n.health}">${n.health}</td><td>${esc(detail)}</td></tr>`;
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
        `<tr data-text="${esc(text)}"><td>${esc(p.name)}</td><td>${esc(d.name)}</td><td>${esc(from)} → ${esc(to)}</td><td>${esc(mt)}</td><td>${count}</td><td>${groups}</td></tr>`,
      );
    }
    for (const p of d.pairs) {
      const plan = d.plans.find((x) => x.id === p.planId)?.name ?? '';
      const rpo = p.stats ? `${Math.round(p.stats.rpoSec)} s` : '-';
      const text = `${p.sourceVmName} ${p.state} ${plan}`.toLowerCase();
      pairRows.push(
        `<tr data-text="${esc(text)}"><td>${esc(p.sourceVmName)}</td><td>${esc(plan)}</td><td>${esc(p.state)}</td><td class="h-${esc(p.health)}">${esc(p.health)}</td><td>${rpo} / ${p.rpoThresholdSec} s</td><td>${esc(p.direction)}</td></tr>`,
      );
    }
  }

  // What each part of the snapshot was read from, and what could not be read: an auditor must
  // see a missing vCenter as missing, not as an empty estate.
  const sourceRows = [
    ...doc.inventories.map((i) => {
      const read = i.error ? `not read: ${i.error}` : `${i.inventory?.vms.length ?? 0} VMs`;
      const via = i.via ? `through ${i.via.server}` : 'directly';
      return `<tr data-text="${esc(`${i.name} ${i.address} ${read}`.toLowerCase())}"><td>${esc(i.kind)}</td><td>${esc(i.name)}</td><td>${esc(i.site)}</td><td>${esc(i.address)}</td><td>${esc(via)}</td><td${i.error ? ' class="h-critical"' : ''}>${esc(read)}</td></tr>`;
    }),
    ...doc.deployments.map((d) => {
      const read = d.error
        ? `not read: ${d.error}`
        : `${count(d.plans.length, 'plan')}, ${count(d.pairs.length, 'pair')}, ${count(d.recoveryPoints.length, 'recovery point')}`;
      return `<tr data-text="${esc(`${d.name} ${d.url} ${read}`.toLowerCase())}"><td>configuration server</td><td>${esc(d.name)}</td><td></td><td>${esc(d.url)}</td><td>directly</td><td${d.error ? ' class="h-critical"' : ''}>${esc(read)}</td></tr>`;
    }),
  ];

  // `<` is escaped so that no string in the data can close the script element.
  const data = JSON.stringify(doc).replace(/</g, '\\u003c');
  const signed = doc.integrity.signature
    ? `signed with key ${esc(doc.integrity.signature.keyFingerprint)}`
    : 'unsigned';
  const title = `Siteshift offline snapshot of ${doc.exportedAt}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title><style>${css}</style></head>
<body>
<header><h1>Siteshift — offline snapshot</h1><span class="meta">taken ${esc(doc.exportedAt)} · Siteshift ${esc(doc.exporter.version)} · ${signed}</span>
<input id="search" type="search" placeholder="Find a VM, host or plan…" aria-label="Find a VM, host or plan" autocomplete="off"><span id="match-count" class="count" aria-live="polite"></span></header>
<div class="banner">Offline snapshot of ${esc(doc.exportedAt)}: what the estate looked like then, not now. SHA-256 ${esc(doc.integrity.digest)}. Open the matching .siteshift.json in Siteshift to verify its digest and signature.</div>
<main>
<section><h2>Topology</h2><div class="diagram" id="diagram">${diagram.svg}</div></section>
<section><h2>Sources <span class="count">${sourceRows.length}</span></h2><div class="tablewrap"><table id="sources"><thead><tr><th>Kind</th><th>Name</th><th>Site</th><th>Address</th><th>Read</th><th>Result</th></tr></thead><tbody>${sourceRows.join('\n')}</tbody></table></div></section>
<section><h2>Plans <span class="count">${planRows.length}</span></h2><div class="tablewrap"><table><thead><tr><th>Plan</th><th>Configuration server</th><th>Sites</th><th>Master target</th><th>Machines</th><th>Boot groups</th></tr></thead><tbody>${planRows.join('\n')}</tbody></table></div></section>
<section><h2>Protected machines <span class="count">${pairRows.length}</span></h2><div class="tablewrap"><table><thead><tr><th>VM</th><th>Plan</th><th>State</th><th>Health</th><th>RPO / threshold</th><th>Direction</th></tr></thead><tbody>${pairRows.join('\n')}</tbody></table></div></section>
<section><h2>Every object <span class="count">${doc.topology.nodes.length - 2}</span></h2><div class="tablewrap"><table id="objects"><thead><tr><th>Kind</th><th>Name</th><th>Site</th><th>In</th><th>Health</th><th>Details</th></tr></thead><tbody>
${objectRows}
</tbody></table></div></section>
</main>
<script type="application/json" id="siteshift-export">${data}</script>
<script>${script}</script>
</body></html>
`;
}
