import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createLabEstate } from '../../core/lab/estate';
import {
  buildExport,
  loadSigningKey,
  openExport,
  renderExport,
  serializeExport,
  withoutSecrets,
} from '../../core/topology/export';
import { renderDiagram } from '../../core/topology/export/svg';
import { diffExports } from '../../shared/export/diff';
import { exportJsonSchemaText } from '../../shared/export/json-schema';
import { judgeTrust } from '../../shared/export/open';
import { exportDocumentSchema, exportOpenInputSchema } from '../../shared/export/schema';
import { EXPORT_HOST_VMS } from '../../shared/names';
import type { VsphereInventory } from '../../shared/schemas/inventory';
import { knownLabExport, knownParts, pdfText } from '../support/export';

const GiB = 1024 ** 3;

function keyPair() {
  const { privateKey } = generateKeyPairSync('ed25519');
  return loadSigningKey(privateKey.export({ type: 'pkcs8', format: 'pem' }));
}

describe('export document', () => {
  it('publishes a JSON Schema that is the zod schema (npm run schema:export rewrites it)', () => {
    const committed = readFileSync(
      new URL('../../shared/export/export.schema.json', import.meta.url),
      'utf8',
    );
    expect(committed).toBe(exportJsonSchemaText());
  });

  it('round-trips: export, open, the same model, digest verified', async () => {
    const { parts } = await knownParts();
    const doc = buildExport(parts);
    const opened = await openExport(serializeExport(doc), 'test.siteshift.json');
    expect(opened.document).toEqual(doc);
    expect(opened.verification).toMatchObject({ digest: 'valid', signature: 'unsigned' });
    // The plan model's fields survive the trip as the server wrote them.
    expect(opened.document.deployments[0]!.plans[0]).toEqual(parts.deployments[0]!.plans[0]);
    expect(opened.document.topology.nodes.filter((n) => n.kind === 'vm').length).toBeGreaterThanOrEqual(48);
  });

  it('signs with Ed25519 and names the key; the signature checks', async () => {
    const { parts } = await knownParts();
    const key = keyPair();
    const doc = buildExport(parts, key);
    expect(doc.integrity.signature?.keyFingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    const opened = await openExport(serializeExport(doc));
    expect(opened.verification.signature).toBe('valid');
    expect(opened.verification.keyFingerprint).toBe(doc.integrity.signature!.keyFingerprint);
    expect(opened.verification.message).toContain(doc.integrity.signature!.keyFingerprint);
  });

  it('detects tampering: an edit without the digest, a re-digested edit of a signed file', async () => {
    const { parts, estate } = await knownParts();
    const doc = buildExport(parts, keyPair());
    const vm = estate.primary.vms[5]!.name;
    const edited = serializeExport(doc).replace(`"name": "${vm}"`, '"name": "innocent-vm"');
    expect(edited).not.toBe(serializeExport(doc));
    const a = await openExport(edited);
    expect(a.verification.digest).toBe('mismatch');
    expect(a.verification.message).toMatch(/altered or damaged/);

    // The attacker recomputes the digest: the signature still gives it away.
    const forged = buildExport({ ...parts, now: new Date(doc.exportedAt) });
    const raw = JSON.parse(serializeExport(forged));
    raw.integrity.signature = doc.integrity.signature;
    raw.inventories[0].inventory.vms[5].name = 'innocent-vm';
    const { sealExport } = await import('../../core/topology/export/document');
    const { integrity: _i, ...content } = raw;
    raw.integrity.digest = sealExport(content).integrity.digest;
    const b = await openExport(JSON.stringify(raw));
    expect(b.verification.digest).toBe('valid');
    expect(b.verification.signature).toBe('invalid');
    expect(b.verification.message).toMatch(/altered after it was signed/);

    // Re-signed with another key: valid, but under a fingerprint the operator does not trust.
    const resigned = buildExport(parts, keyPair());
    expect((await openExport(serializeExport(resigned))).verification.keyFingerprint).not.toBe(
      doc.integrity.signature!.keyFingerprint,
    );
  });

  it('says whether a valid signature is by a key the reader trusts, and judges again when the list changes', async () => {
    const { parts } = await knownParts();
    const ours = keyPair();
    const doc = buildExport(parts, ours);
    const fp = doc.integrity.signature!.keyFingerprint;
    const text = serializeExport(doc);
    const team = [{ name: 'DR team', fingerprint: fp }];

    const notChecked = (await openExport(text)).verification;
    expect(notChecked).toMatchObject({ signature: 'valid', trust: 'not-checked', signer: null });

    const trusted = (await openExport(text, 'a', team)).verification;
    expect(trusted).toMatchObject({ trust: 'trusted', signer: 'DR team' });
    expect(trusted.message).toBe(`Digest verified; signed by DR team (key ${fp}), a key you trust.`);

    // Someone else's key verifies as a signature, but is not one the reader trusts.
    const other = (await openExport(serializeExport(buildExport(parts, keyPair())), 'b', team)).verification;
    expect(other).toMatchObject({ signature: 'valid', trust: 'untrusted', signer: null });
    expect(other.message).toMatch(/not one of the keys you trust: anyone can sign with a key of their own/);

    const unsigned = (await openExport(serializeExport(buildExport(parts)), 'c', team)).verification;
    expect(unsigned).toMatchObject({ signature: 'unsigned', trust: 'untrusted' });
    expect(unsigned.message).toMatch(/not signed, so it cannot come from a key you trust/);

    // The console re-judges an open file when Settings changes: the same result as opening again.
    expect(judgeTrust(notChecked, team)).toEqual(trusted);
    expect(judgeTrust(trusted, [])).toMatchObject({ trust: 'untrusted', signer: null });

    // A tampered file is never trusted, whoever signed it.
    const tampered = text.replace('"erp-tier"', '"erp-tierX"');
    const bad = (await openExport(tampered, 'd', team)).verification;
    expect(bad).toMatchObject({ digest: 'mismatch', trust: 'untrusted', signer: null });
    expect(bad.message).toMatch(/altered or damaged/);
  });

  it('refuses damaged and foreign files with the reason, showing nothing as valid', async () => {
    const { parts } = await knownParts();
    const text = serializeExport(buildExport(parts));
    const cases: Array<[string, RegExp]> = [
      [text.slice(0, text.length / 2), /not valid JSON.*truncated/],
      ['', /not valid JSON/],
      ['[1,2,3]', /not a JSON object/],
      ['{"name":"my-app","version":"1.0.0"}', /no "kind": "siteshift-export" marker/],
      [text.replace('"schemaVersion": 1', '"schemaVersion": 7'), /schema 7, newer than this Siteshift reads/],
      [JSON.stringify({ ...JSON.parse(text), topology: undefined }), /topology/],
      [text.replace(/"exportedAt": "[^"]+"/, '"exportedAt": "yesterday"'), /exportedAt/],
    ];
    for (const [input, message] of cases) {
      await expect(openExport(input, 'x.siteshift.json')).rejects.toThrow(message);
      await expect(openExport(input, 'x.siteshift.json')).rejects.toThrow(
        /x\.siteshift\.json is not a readable Siteshift export/,
      );
    }
  });

  it('refuses a signing key that is not Ed25519, saying how to make one', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    expect(() => loadSigningKey(privateKey.export({ type: 'pkcs8', format: 'pem' }))).toThrow(
      /holds a key of type ec; exports are signed with Ed25519 \(openssl genpkey -algorithm ed25519\)/,
    );
    expect(() => loadSigningKey('not a key')).toThrow(/not a PEM private key/);
  });

  it('drops credential-named fields that a server record might grow', () => {
    const cleaned = withoutSecrets({
      plan: { name: 'p', guestPassword: 'x', scripts: [{ apiToken: 'y', run: 'z' }], privateKey: 'k' },
    });
    expect(cleaned).toEqual({ plan: { name: 'p', scripts: [{ run: 'z' }] } });
  });

  it('accepts what a richer server adds: unknown plan fields, new pair states, readiness details', async () => {
    const { parts } = await knownParts();
    const doc = JSON.parse(serializeExport(buildExport(parts)));
    doc.deployments[0].plans[0].approvals = [{ by: 'cab', at: '2026-11-01' }];
    // A plan stored before the plan-file model.
    doc.deployments[0].plans.push({
      id: 'old',
      name: 'legacy',
      bootGroups: [['vm-1']],
      mappings: { networks: {} },
    });
    doc.deployments[0].pairs[0].state = 'paused-by-operator';
    doc.deployments[0].readiness.push({ planId: 'plan1', name: 'x', status: 'warn', fix: 'do y' });
    expect(exportDocumentSchema.safeParse(doc).success).toBe(true);
  });
});

describe('export formats', () => {
  it('draws the console map at 5,000 VMs: hosts over the size folded with their counts, every VM counted', async () => {
    const estate = createLabEstate({ vms: 5000 });
    const doc = await knownLabExport(estate);
    const diagram = renderDiagram(doc.topology, 'big', { hostVms: EXPORT_HOST_VMS });
    const nodes = diagram.graph.nodes;
    // The lab's 5,000 VMs sit about 96 to a host: every such host folds, the small ones open.
    const big = nodes.filter((n) => n.kind === 'esxi-host' && n.counts!.vms > EXPORT_HOST_VMS);
    expect(big.length).toBeGreaterThan(40);
    expect(big.every((n) => n.expanded === false)).toBe(true);
    const small = nodes.filter((n) => n.counts && n.kind !== 'cluster' && n.counts.vms <= EXPORT_HOST_VMS);
    expect(small.length).toBeGreaterThan(0);
    expect(small.every((n) => n.expanded === true)).toBe(true);
    const drawn = nodes.filter((n) => n.kind === 'vm' || n.kind === 'hyperv-vm').length;
    const inFolds = big.reduce((s, n) => s + n.counts!.vms, 0);
    const replicas = nodes.filter((n) => n.replica).length;
    expect(drawn + inFolds + replicas).toBe(
      doc.topology.nodes.filter((n) => n.kind === 'vm' || n.kind === 'hyperv-vm').length,
    );
    expect(nodes.length).toBeLessThan(200);
    expect(diagram.svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(diagram.svg.match(/<g class="node"/g)?.length).toBe(nodes.length);
    expect(diagram.svg).toContain('96 VMs · ');
  }, 60_000);

  it('writes a PNG, a PDF runbook per plan and a self-contained HTML that loads nothing', async () => {
    const { parts } = await knownParts();
    const doc = buildExport(parts);
    const png = await renderExport(doc, 'png');
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    const pdf = await renderExport(doc, 'pdf');
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    // A table cell wraps where its font's widths say: a phrase may continue on the next line.
    const text = pdfText(pdf).replace(/ *\n */g, ' ');
    for (const s of [
      'Runbook: erp-tier',
      'Planned failover (no data loss)',
      'Failback',
      'Sign-off',
      'Re-IP',
      '10.2.0.10',
      'Group 2',
      'before-patch',
      'master target has free slots',
      'recovery points',
      'DR Network',
      'Check the database is up',
      '15 min',
      'every 60 min',
      '/Recovered',
      'siteshift failover erp-tier --type planned',
      'siteshift commit erp-tier',
      'siteshift cleanup erp-tier',
      'siteshift reprotect erp-tier',
      'siteshift failback erp-tier',
    ])
      expect(text).toContain(s);
    // The planned failover in the order the job runs it: group 1, the plan's message, then group 2.
    const planned = text.slice(text.indexOf('Planned failover (no data loss)'));
    const order = [
      'Boot group 1:',
      'Check the database is up',
      'Boot group 2:',
      'siteshift commit erp-tier',
    ].map((x) => planned.replace(/\n/g, ' ').indexOf(x));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((x, y) => x - y)).toEqual(order);
    const html = (await renderExport(doc, 'html')).toString('utf8');
    expect(html).toContain('<svg');
    expect(html).toContain("default-src 'none'");
    const loads = html.match(
      /(?:src|href)\s*=\s*["']?\s*(?:https?:)?\/\/|url\(\s*["']?\s*(?:https?:)?\/\/|@import/gi,
    );
    expect(loads).toBeNull();

    // Names come from vCenters and servers the exporter does not control: none becomes markup.
    const hostile = structuredClone(parts);
    const evil = '<img src=x onerror=alert(1)></script><script>alert(2)</script>';
    (hostile.inventories[0]!.inventory as VsphereInventory).vms[0]!.name = evil;
    hostile.deployments[0]!.plans[0]!.name = evil;
    const escaped = (await renderExport(buildExport(hostile), 'html')).toString('utf8');
    expect(escaped).not.toContain('<img');
    expect(escaped.match(/<script/g)).toHaveLength(2);
    expect(escaped).toContain('&lt;img src=x onerror=alert(1)&gt;');
    const svg = (await renderExport(buildExport(hostile), 'svg')).toString('utf8');
    expect(svg).not.toContain('<img');
    expect(svg).not.toContain('<script');

    // A source that could not be read is listed as such, not left out.
    const failed = structuredClone(parts);
    failed.inventories[1] = { ...failed.inventories[1]!, inventory: null, error: 'connect ETIMEDOUT' };
    const withFailure = (await renderExport(buildExport(failed), 'html')).toString('utf8');
    const sources = withFailure.slice(
      withFailure.indexOf('<table id="sources">'),
      withFailure.indexOf('</table>', withFailure.indexOf('<table id="sources">')),
    );
    expect(sources).toContain('not read: connect ETIMEDOUT');
    expect(sources).toContain('1 plan, 3 pairs, 3 recovery points');
  }, 60_000);
});

describe('diff of two exports', () => {
  it('lists exactly the known differences between two estates', async () => {
    const { parts, estate } = await knownParts();
    const a = buildExport(parts);
    const b2 = structuredClone(parts);
    const inv = b2.inventories[0]!.inventory as VsphereInventory;
    const vms = inv.vms;
    const removed = vms[10]!;
    const moved = vms[12]!;
    const resized = vms[13]!;
    const renet = vms[14]!;
    inv.vms = vms.filter((v) => v.id !== removed.id);
    inv.vms.push({
      ...structuredClone(vms[11]!),
      id: 'vm-9999',
      name: 'ams-new-001',
      instanceUuid: 'new-uuid',
      uuid: 'new',
    });
    const otherHost = inv.hosts.find((h) => h.id !== moved.host)!;
    moved.host = otherHost.id;
    moved.hostName = otherHost.name;
    resized.disks[0]!.capacityBytes += 10 * GiB;
    const otherNet = inv.networks.find((n) => n.id !== renet.nics[0]!.network)!;
    renet.nics[0]!.network = otherNet.id;
    // Not drift: a power state, and an RPO that moves a little.
    (b2.inventories[2]!.inventory as { vms: Array<{ state: string }> }).vms[0]!.state = 'Off';
    const dep = b2.deployments[0]!;
    dep.plans[0]!.parallelism = 8;
    dep.plans[0]!.updatedAt = '2026-11-21T09:00:00.000Z';
    dep.pairs[1]!.state = 'resync-required';
    dep.pairs[2]!.stats!.rpoSec = 1200;
    dep.pairs[0]!.stats!.rpoSec = 75;
    const b = buildExport({ ...b2, now: new Date('2026-11-22T08:00:00.000Z') });

    const diff = diffExports(a, b);
    expect(diff.changes.map((c) => [c.kind, c.subject])).toEqual([
      ['vm-added', 'ams-new-001'],
      ['vm-removed', removed.name],
      ['vm-moved', moved.name],
      ['disk-resized', resized.name],
      ['network-changed', renet.name],
      ['plan-changed', 'erp-tier'],
      ['pair-state', estate.primary.vms[1]!.name],
      ['pair-rpo', estate.primary.vms[2]!.name],
    ]);
    const byKind = Object.fromEntries(diff.changes.map((c) => [c.kind, c]));
    expect(byKind['vm-moved']!.after).toContain(otherHost.name);
    expect(byKind['plan-changed']!.before).toBe('{"parallelism":4}');
    expect(byKind['plan-changed']!.after).toBe('{"parallelism":8}');
    expect(byKind['pair-state']).toMatchObject({ before: 'protected', after: 'resync-required' });
    expect(diffExports(a, a).changes).toEqual([]);
  });

  it('sees a VM that moved from one vCenter to the other as moved, not removed and added', async () => {
    const { parts } = await knownParts();
    const a = buildExport(parts);
    const b2 = structuredClone(parts);
    const from = b2.inventories[0]!.inventory as VsphereInventory;
    const to = b2.inventories[1]!.inventory as VsphereInventory;
    const vm = from.vms.pop()!;
    to.vms.push({ ...vm, id: 'vm-7777', host: to.hosts[0]!.id, hostName: to.hosts[0]!.name });
    const diff = diffExports(a, buildExport(b2));
    expect(diff.changes.map((c) => [c.kind, c.subject, c.scope])).toEqual([
      ['vm-moved', vm.name, 'Lab vCenter Rotterdam'],
    ]);
  });
});

describe('diff when a source could not be read', () => {
  it('says the source was not compared instead of reporting its VMs, plans and pairs as removed', async () => {
    const { parts } = await knownParts();
    const a = buildExport(parts);
    const b2 = structuredClone(parts);
    const lost = b2.inventories[0]!;
    lost.inventory = null;
    lost.error = 'connect ETIMEDOUT';
    const dep = b2.deployments[0]!;
    Object.assign(dep, { error: 'the server did not answer', plans: [], pairs: [], recoveryPoints: [] });
    const diff = diffExports(a, buildExport(b2));
    expect(diff.changes).toEqual([
      {
        kind: 'source-unread',
        scope: 'cs-ams',
        subject: dep.url,
        before: 'read',
        after: 'not read: the server did not answer',
      },
      {
        kind: 'source-unread',
        scope: lost.name,
        subject: lost.address,
        before: 'read',
        after: 'not read: connect ETIMEDOUT',
      },
    ]);
    // Read again later: compared as usual, nothing changed.
    expect(diffExports(a, buildExport(parts)).changes).toEqual([]);
  });
});

describe('opening an export by path', () => {
  it('reads only *.siteshift.json names and says so for any other file an OS hands over', () => {
    expect(exportOpenInputSchema.parse({ path: '/home/op/Estate.SITESHIFT.json' }).path).toBe(
      '/home/op/Estate.SITESHIFT.json',
    );
    const refused = exportOpenInputSchema.safeParse({ path: 'C:\\Users\\op\\notes.json' });
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0]?.message).toBe(
      'only Siteshift exports (*.siteshift.json) can be opened by path',
    );
  });
});
