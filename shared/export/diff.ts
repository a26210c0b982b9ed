import type { ExportChange, ExportDiff, ExportDocument, ExportInventory, ExportPair } from './schema';
import { exportChangeKindSchema } from './schema';

/**
 * Drift between two exports: VMs added, removed or moved, disks resized, networks changed, plans
 * changed, pairs whose state or RPO changed. Objects are matched by where they live (the
 * inventory's address, the server's URL) and their own id, never by the export's connection ids,
 * so a console export and a CLI export of the same estate compare cleanly.
 */

interface VmFacts {
  key: string;
  scope: string;
  name: string;
  uuid: string | null;
  place: string;
  disks: Map<string, { label: string; bytes: number | null }>;
  nics: Map<string, { label: string; network: string }>;
}

const norm = (address: string) => address.trim().toLowerCase().replace(/\/+$/, '');
const GiB = 1024 ** 3;
const size = (bytes: number | null) => (bytes === null ? 'unknown size' : `${(bytes / GiB).toFixed(1)} GiB`);

function vmsOf(inv: ExportInventory): VmFacts[] {
  const doc = inv.inventory;
  if (!doc) return [];
  const scope = inv.name;
  const base = norm(inv.address);
  if (doc.source.kind === 'vsphere') {
    const vs = doc as Extract<typeof doc, { source: { kind: 'vsphere' } }>;
    const netName = new Map(vs.networks.map((n) => [n.id, n.name]));
    const dsName = new Map(vs.datastores.map((d) => [d.id, d.name]));
    return vs.vms.map((vm) => {
      const stores = [
        ...new Set(vm.disks.map((d) => (d.datastore ? (dsName.get(d.datastore) ?? d.datastore) : '?'))),
      ];
      return {
        key: `${base}|${vm.id}`,
        scope,
        name: vm.name,
        uuid: vm.instanceUuid ?? vm.uuid,
        place: `host ${vm.hostName ?? vm.host ?? '-'}, datastore ${stores.join('+') || '-'}`,
        disks: new Map(vm.disks.map((d) => [String(d.key), { label: d.label, bytes: d.capacityBytes }])),
        nics: new Map(
          vm.nics.map((n) => [
            String(n.key),
            {
              label: `NIC ${n.mac ?? n.key}`,
              network: n.network ? (netName.get(n.network) ?? n.network) : '-',
            },
          ]),
        ),
      };
    });
  }
  const hv = doc as Extract<typeof doc, { source: { kind: 'hyperv' } }>;
  const hostName = new Map(hv.hosts.map((h) => [h.id, h.name]));
  return hv.vms.map((vm) => ({
    key: `${base}|${vm.id}`,
    scope,
    name: vm.name,
    uuid: null,
    place: `host ${hostName.get(vm.host) ?? vm.host}`,
    disks: new Map(
      vm.disks.map((d) => [
        `${d.controllerType}${d.controllerNumber}:${d.controllerLocation}`,
        { label: d.path, bytes: d.sizeBytes },
      ]),
    ),
    nics: new Map(vm.nics.map((n) => [n.name, { label: n.name, network: n.switch ?? '-' }])),
  }));
}

function namedSet(inv: ExportInventory, what: 'networks' | 'hosts'): Map<string, string> {
  const doc = inv.inventory;
  if (!doc) return new Map();
  const list =
    what === 'hosts'
      ? doc.hosts
      : doc.source.kind === 'vsphere'
        ? (doc as Extract<typeof doc, { source: { kind: 'vsphere' } }>).networks
        : (doc as Extract<typeof doc, { source: { kind: 'hyperv' } }>).switches;
  return new Map(list.map((x) => [`${norm(inv.address)}|${x.name}`, x.name]));
}

function compact(value: unknown): string {
  const s = JSON.stringify(value) ?? 'null';
  return s.length > 240 ? `${s.slice(0, 239)}…` : s;
}

/** Pair RPO moves all the time: a change counts when it crosses the threshold or moves by a quarter of it (at least a minute). */
function rpoChanged(a: ExportPair, b: ExportPair): boolean {
  const ra = a.stats?.rpoSec ?? null;
  const rb = b.stats?.rpoSec ?? null;
  if (a.rpoThresholdSec !== b.rpoThresholdSec) return true;
  if (ra === null || rb === null) return ra !== rb;
  const breachA = ra > a.rpoThresholdSec;
  const breachB = rb > b.rpoThresholdSec;
  return breachA !== breachB || Math.abs(ra - rb) >= Math.max(60, b.rpoThresholdSec / 4);
}

const rpoText = (p: ExportPair) =>
  `${p.stats ? `${Math.round(p.stats.rpoSec)} s` : 'no RPO yet'} (threshold ${p.rpoThresholdSec} s)`;

/**
 * Inventories one of the two exports could not read (the vCenter was down, the server could not
 * reach it): their VMs are unknown on that side, so comparing them would report every VM as
 * removed or added. They are left out, each with one change saying so, and the drift check still
 * fails (exit 1) because it could not say that nothing changed.
 */
function unreadInventories(
  a: ExportDocument,
  b: ExportDocument,
  add: (c: ExportChange) => void,
): Set<string> {
  const unread = new Set<string>();
  const state = (inv: ExportInventory | undefined) =>
    inv === undefined ? null : inv.inventory ? 'read' : `not read: ${inv.error ?? 'unknown reason'}`;
  const addresses = new Set([...a.inventories, ...b.inventories].map((i) => norm(i.address)));
  for (const address of addresses) {
    const ia = a.inventories.find((i) => norm(i.address) === address);
    const ib = b.inventories.find((i) => norm(i.address) === address);
    if (ia?.inventory && ib?.inventory) continue;
    if (ia && !ia.inventory) unread.add(address);
    if (ib && !ib.inventory) unread.add(address);
    if (unread.has(address))
      add({
        kind: 'source-unread',
        scope: (ib ?? ia)!.name,
        subject: (ib ?? ia)!.address,
        before: state(ia) ?? 'not in this export',
        after: state(ib) ?? 'not in this export',
      });
  }
  return unread;
}

export function diffExports(a: ExportDocument, b: ExportDocument): ExportDiff {
  const changes: ExportChange[] = [];
  const add = (c: ExportChange) => changes.push(c);
  const unread = unreadInventories(a, b, add);
  const compared = (inv: ExportInventory) => !unread.has(norm(inv.address));

  // ---- VMs, disks, NICs
  const before = new Map(
    a.inventories
      .filter(compared)
      .flatMap(vmsOf)
      .map((v) => [v.key, v]),
  );
  const after = new Map(
    b.inventories
      .filter(compared)
      .flatMap(vmsOf)
      .map((v) => [v.key, v]),
  );
  const removed = [...before.values()].filter((v) => !after.has(v.key));
  const added = [...after.values()].filter((v) => !before.has(v.key));
  // A VM that left one inventory and arrived in another with the same instance UUID moved.
  const addedByUuid = new Map(added.filter((v) => v.uuid).map((v) => [v.uuid!, v]));
  const movedAcross = new Set<string>();
  for (const v of removed) {
    const there = v.uuid ? addedByUuid.get(v.uuid) : undefined;
    if (there) {
      movedAcross.add(v.key).add(there.key);
      add({
        kind: 'vm-moved',
        scope: there.scope,
        subject: there.name,
        before: `${v.scope}: ${v.place}`,
        after: `${there.scope}: ${there.place}`,
      });
    } else {
      add({ kind: 'vm-removed', scope: v.scope, subject: v.name, before: v.place, after: null });
    }
  }
  for (const v of added) {
    if (!movedAcross.has(v.key))
      add({ kind: 'vm-added', scope: v.scope, subject: v.name, before: null, after: v.place });
  }
  for (const [key, old] of before) {
    const cur = after.get(key);
    if (!cur) continue;
    if (old.place !== cur.place)
      add({ kind: 'vm-moved', scope: cur.scope, subject: cur.name, before: old.place, after: cur.place });
    for (const [dk, d] of old.disks) {
      const n = cur.disks.get(dk);
      if (!n)
        add({
          kind: 'disk-removed',
          scope: cur.scope,
          subject: cur.name,
          before: `${d.label} ${size(d.bytes)}`,
          after: null,
        });
      else if (n.bytes !== d.bytes)
        add({
          kind: 'disk-resized',
          scope: cur.scope,
          subject: cur.name,
          before: `${d.label} ${size(d.bytes)}`,
          after: `${n.label} ${size(n.bytes)}`,
        });
    }
    for (const [dk, d] of cur.disks) {
      if (!old.disks.has(dk))
        add({
          kind: 'disk-added',
          scope: cur.scope,
          subject: cur.name,
          before: null,
          after: `${d.label} ${size(d.bytes)}`,
        });
    }
    for (const [nk, nic] of old.nics) {
      const n = cur.nics.get(nk);
      const was = `${nic.label} on ${nic.network}`;
      if (!n)
        add({
          kind: 'network-changed',
          scope: cur.scope,
          subject: cur.name,
          before: was,
          after: `${nic.label} removed`,
        });
      else if (n.network !== nic.network)
        add({
          kind: 'network-changed',
          scope: cur.scope,
          subject: cur.name,
          before: was,
          after: `${n.label} on ${n.network}`,
        });
    }
    for (const [nk, nic] of cur.nics) {
      if (!old.nics.has(nk))
        add({
          kind: 'network-changed',
          scope: cur.scope,
          subject: cur.name,
          before: `${nic.label} absent`,
          after: `${nic.label} on ${nic.network}`,
        });
    }
  }

  // ---- hosts and networks of each inventory
  for (const [what, addKind, removeKind] of [
    ['hosts', 'host-added', 'host-removed'],
    ['networks', 'network-added', 'network-removed'],
  ] as const) {
    for (const invB of b.inventories) {
      const invA = a.inventories.find((x) => norm(x.address) === norm(invB.address));
      if (!invA?.inventory || !invB.inventory) continue;
      const sa = namedSet(invA, what);
      const sb = namedSet(invB, what);
      for (const [k, name] of sb)
        if (!sa.has(k)) add({ kind: addKind, scope: invB.name, subject: name, before: null, after: name });
      for (const [k, name] of sa)
        if (!sb.has(k)) add({ kind: removeKind, scope: invB.name, subject: name, before: name, after: null });
    }
  }

  // ---- plans and pairs of each configuration server
  for (const depB of b.deployments) {
    const depA = a.deployments.find((x) => norm(x.url) === norm(depB.url));
    const scope = depB.name;
    if (depB.error || depA?.error) {
      // A server that did not answer has unknown plans and pairs, not none.
      add({
        kind: 'source-unread',
        scope,
        subject: depB.url,
        before: depA ? (depA.error ? `not read: ${depA.error}` : 'read') : 'not in this export',
        after: depB.error ? `not read: ${depB.error}` : 'read',
      });
      continue;
    }
    const plansA = new Map((depA?.plans ?? []).map((p) => [p.id, p]));
    const plansB = new Map(depB.plans.map((p) => [p.id, p]));
    for (const [id, p] of plansB) {
      const old = plansA.get(id);
      if (!old) {
        add({ kind: 'plan-added', scope, subject: p.name, before: null, after: p.name });
        continue;
      }
      const keys = [...new Set([...Object.keys(old), ...Object.keys(p)])].filter((k) => k !== 'updatedAt');
      const changed = keys.filter((k) => JSON.stringify(old[k]) !== JSON.stringify(p[k])).sort();
      if (changed.length) {
        add({
          kind: 'plan-changed',
          scope,
          subject: p.name,
          before: compact(Object.fromEntries(changed.map((k) => [k, old[k]]))),
          after: compact(Object.fromEntries(changed.map((k) => [k, p[k]]))),
        });
      }
    }
    for (const [id, p] of plansA)
      if (!plansB.has(id)) add({ kind: 'plan-removed', scope, subject: p.name, before: p.name, after: null });

    const pairsA = new Map((depA?.pairs ?? []).map((p) => [p.id, p]));
    const pairsB = new Map(depB.pairs.map((p) => [p.id, p]));
    for (const [id, p] of pairsB) {
      const old = pairsA.get(id);
      if (!old) {
        add({ kind: 'pair-added', scope, subject: p.sourceVmName, before: null, after: p.state });
        continue;
      }
      if (old.state !== p.state)
        add({ kind: 'pair-state', scope, subject: p.sourceVmName, before: old.state, after: p.state });
      if (rpoChanged(old, p))
        add({ kind: 'pair-rpo', scope, subject: p.sourceVmName, before: rpoText(old), after: rpoText(p) });
    }
    for (const [id, p] of pairsA) {
      if (!pairsB.has(id))
        add({ kind: 'pair-removed', scope, subject: p.sourceVmName, before: p.state, after: null });
    }
  }
  for (const depA of a.deployments) {
    if (b.deployments.some((x) => norm(x.url) === norm(depA.url))) continue;
    if (depA.error) {
      add({
        kind: 'source-unread',
        scope: depA.name,
        subject: depA.url,
        before: `not read: ${depA.error}`,
        after: 'not in this export',
      });
      continue;
    }
    for (const p of depA.plans)
      add({ kind: 'plan-removed', scope: depA.name, subject: p.name, before: p.name, after: null });
    for (const p of depA.pairs)
      add({ kind: 'pair-removed', scope: depA.name, subject: p.sourceVmName, before: p.state, after: null });
  }

  const order = exportChangeKindSchema.options;
  changes.sort(
    (x, y) =>
      order.indexOf(x.kind) - order.indexOf(y.kind) ||
      x.scope.localeCompare(y.scope) ||
      x.subject.localeCompare(y.subject),
  );
  return {
    a: { exportedAt: a.exportedAt, digest: a.integrity.digest },
    b: { exportedAt: b.exportedAt, digest: b.integrity.digest },
    changes,
  };
}
