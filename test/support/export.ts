import { inflateSync } from 'node:zlib';
import { openLab } from '../../core/console/lab-connections';
import { createLabEstate, type LabEstate } from '../../core/lab/estate';
import { addressOf, buildExport, type ExportParts } from '../../core/topology/export';
import type { ExportDeployment, ExportDocument, ExportInventory } from '../../shared/export/schema';

/** The lab estate's four inventories as an export carries them (no server needed). */
export async function labInventories(estate: LabEstate): Promise<ExportInventory[]> {
  return Promise.all(
    openLab(estate).map(async ({ connection, source }) => {
      const doc = await source.fetchInventory();
      return {
        connectionId: connection.id,
        name: connection.name,
        site: connection.site,
        kind: doc.source.kind,
        address: addressOf(doc),
        inventory: doc,
        error: null,
      };
    }),
  );
}

/** The export document of a lab estate with the known deployment below (no server needed). */
export async function knownLabExport(estate: LabEstate, host = 'test'): Promise<ExportDocument> {
  return buildExport({
    sources: [],
    inventories: await labInventories(estate),
    deployments: [knownDeployment(estate)],
    host,
  });
}

const at = '2026-11-20T10:00:00.000Z';

/** A small, fully known deployment over the lab estate: one plan, three pairs, recovery points. */
export function knownDeployment(estate: LabEstate): ExportDeployment {
  const vms = estate.primary.vms.slice(0, 3);
  return {
    name: 'cs-ams',
    url: 'https://cs-ams.example.test:8443/',
    version: '0.1.0',
    error: null,
    sites: [
      { id: 's1', name: 'ams', role: 'primary' },
      { id: 's2', name: 'rtm', role: 'secondary' },
    ],
    endpoints: [
      {
        id: 'e1',
        siteId: 's1',
        name: 'vcsa-ams',
        kind: 'vsphere',
        address: estate.primary.source.url,
        username: 'administrator@vsphere.local',
        product: 'VMware vCenter Server 8.0.3',
        identity: 'aa:bb',
      },
    ],
    processServers: [
      {
        id: 'ps1',
        siteId: 's1',
        name: 'ams-ps-01',
        host: 'ams-ps-01.lab.local',
        level: 'ok',
        health: null,
        lastHeartbeatAt: null,
      },
    ],
    masterTargets: [
      {
        id: 'mt1',
        siteId: 's2',
        name: 'rtm-mt-win-01',
        vmId: 'vm-900',
        vmName: 'rtm-mt-win-01',
        osFamily: 'windows',
        slots: vms.map((_, i) => ({ controller: 0, unit: i, pairId: `p${i + 1}`, diskKey: '2000' })),
        slotsUsed: 3,
        slotsFree: 57,
        retentionDatastore: 'rtm-retention-01',
      },
    ],
    plans: [
      {
        id: 'plan1',
        name: 'erp-tier',
        source: { site: 'ams' },
        target: {
          site: 'rtm',
          masterTarget: 'rtm-mt-win-01',
          placement: { cluster: 'DR', datastore: 'rtm-ds-01', folder: '/Recovered' },
          networks: { 'VM Network': 'DR Network' },
          testNetwork: 'DR Test',
        },
        policy: { rpoThresholdMinutes: 15, retentionHours: 24, appConsistentEveryMinutes: 60 },
        parallelism: 4,
        machines: [
          {
            vm: vms[0]!.name,
            bootGroup: 1,
            dependsOn: [],
            reip: { nic: 0, address: '10.2.0.10/24', gateway: '10.2.0.1', dns: ['10.2.0.2'] },
          },
          { vm: vms[1]!.name, bootGroup: 2, dependsOn: [vms[0]!.name] },
          { vm: vms[2]!.name, bootGroup: 2, dependsOn: [] },
        ],
        steps: [{ after: 1, message: 'Check the database is up' }],
        sourceSiteId: 's1',
        targetSiteId: 's2',
        masterTargetId: 'mt1',
        createdAt: at,
        updatedAt: at,
      },
    ],
    pairs: vms.map((v, i) => ({
      id: `p${i + 1}`,
      planId: 'plan1',
      sourceVmId: v.id,
      sourceVmName: v.name,
      sourceSiteId: 's1',
      targetSiteId: 's2',
      masterTargetId: 'mt1',
      processServerId: 'ps1',
      osFamily: 'windows',
      state: 'protected',
      direction: 'forward',
      health: 'ok',
      stats: {
        rpoSec: 60,
        pendingChangeBytes: 0,
        diskSizeBytes: 1,
        throughputBps: 1,
        progress: 1,
        reportedAt: at,
      },
      rpoThresholdSec: 900,
      platform: 'vsphere',
      resyncScheduledAt: null,
      retry: null,
      lastHeartbeatAt: at,
      stateChangedAt: at,
      createdAt: at,
    })),
    recoveryPoints: vms.map((_, i) => ({
      id: `rp${i + 1}`,
      pairId: `p${i + 1}`,
      at,
      tag: i === 0 ? 'before-patch' : null,
      consistency: 'app',
    })),
    readiness: [
      {
        planId: 'plan1',
        kind: 'planned',
        name: 'master target has free slots',
        status: 'pass',
        message: '57 free',
        fix: null,
      },
      {
        planId: 'plan1',
        kind: 'unplanned',
        name: 'recovery points',
        status: 'warn',
        message: 'one pair has no app-consistent point',
        fix: 'wait for the next one',
      },
    ],
    alerts: [],
  };
}

export async function knownParts(vms = 48): Promise<{ estate: LabEstate; parts: ExportParts }> {
  const estate = createLabEstate({ vms });
  return {
    estate,
    parts: {
      sources: [{ kind: 'lab', name: 'test estate', address: 'lab' }],
      inventories: await labInventories(estate),
      deployments: [knownDeployment(estate)],
      host: 'test',
      now: new Date('2026-11-21T08:00:00.000Z'),
    },
  };
}

/**
 * Every byte of a file, plus what hides inside compressed streams (PDF FlateDecode streams, PNG
 * IDAT data), so that a search for a planted secret cannot miss it behind compression.
 */
export function allReadableBytes(file: Buffer): Buffer {
  const parts: Buffer[] = [file];
  const text = file.toString('latin1');
  const streams = /stream\r?\n/g;
  for (let m = streams.exec(text); m; m = streams.exec(text)) {
    const start = m.index + m[0].length;
    const end = text.indexOf('endstream', start);
    if (end < 0) break;
    try {
      parts.push(inflateSync(file.subarray(start, end)));
    } catch {
      // Not a deflated stream (an image or font kept raw): searched as raw bytes already.
    }
    streams.lastIndex = end + 9;
  }
  if (file.subarray(1, 4).toString('latin1') === 'PNG') {
    const idat: Buffer[] = [];
    for (let i = 8; i < file.length; ) {
      const len = file.readUInt32BE(i);
      const type = file.subarray(i + 4, i + 8).toString('latin1');
      if (type === 'IDAT') idat.push(file.subarray(i + 8, i + 8 + len));
      else parts.push(file.subarray(i + 8, i + 8 + len));
      i += 12 + len;
    }
    parts.push(inflateSync(Buffer.concat(idat)));
  }
  // A PDF with embedded fonts shows glyph codes, not characters: its text is searched decoded.
  if (file.subarray(0, 5).toString('latin1') === '%PDF-') parts.push(Buffer.from(pdfText(file), 'utf8'));
  return Buffer.concat(parts);
}

/** The forms a secret could take in a file: as is, base64, hex, JSON-escaped. */
export function secretForms(secret: string): string[] {
  const b = Buffer.from(secret, 'utf8');
  return [
    secret,
    b.toString('base64').replace(/=+$/, ''),
    b.toString('hex'),
    JSON.stringify(secret).slice(1, -1),
  ];
}

/** A PDF's objects in file order: number, dictionary text and the (inflated) stream, if any. */
function pdfObjects(pdf: Buffer): Array<{ num: number; dict: string; stream: Buffer | null }> {
  const text = pdf.toString('latin1');
  const out: Array<{ num: number; dict: string; stream: Buffer | null }> = [];
  const objects = /(\d+) 0 obj\b/g;
  for (let m = objects.exec(text); m; m = objects.exec(text)) {
    const end = text.indexOf('endobj', m.index);
    const body = text.slice(m.index + m[0].length, end);
    const s = /stream\r?\n/.exec(body);
    let stream: Buffer | null = null;
    if (s) {
      const start = m.index + m[0].length + s.index + s[0].length;
      const raw = pdf.subarray(start, text.indexOf('endstream', start));
      try {
        stream = /\/FlateDecode/.test(body.slice(0, s.index)) ? inflateSync(raw) : raw;
      } catch {
        stream = raw;
      }
    }
    out.push({ num: Number(m[1]), dict: s ? body.slice(0, s.index) : body, stream });
    objects.lastIndex = end;
  }
  return out;
}

const hexUtf16 = (hex: string) =>
  String.fromCharCode(...(hex.match(/.{4}/g) ?? []).map((h) => Number.parseInt(h, 16)));

/** A ToUnicode CMap as code → text (bfchar and both bfrange forms). */
function parseToUnicode(cmap: string): Map<number, string> {
  const map = new Map<number, string>();
  for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g))
    for (const [, code, uni] of block[1]!.matchAll(/<([0-9a-f]+)>\s*<([0-9a-f\s]+)>/gi))
      map.set(Number.parseInt(code!, 16), hexUtf16(uni!.replace(/\s/g, '')));
  for (const block of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g))
    for (const [, lo, hi, rest] of block[1]!.matchAll(
      /<([0-9a-f]+)>\s*<([0-9a-f]+)>\s*(\[[^\]]*\]|<[0-9a-f]+>)/gi,
    )) {
      const from = Number.parseInt(lo!, 16);
      const to = Number.parseInt(hi!, 16);
      if (rest!.startsWith('[')) {
        // An entry may hold several code units (a ligature: <0066 0069> is "fi").
        for (const [i, u] of [...rest!.matchAll(/<([0-9a-f\s]+)>/gi)].entries())
          map.set(from + i, hexUtf16(u[1]!.replace(/\s/g, '')));
      } else {
        const base = hexUtf16(rest!.slice(1, -1));
        for (let c = from; c <= to; c++)
          map.set(c, base.slice(0, -1) + String.fromCharCode(base.charCodeAt(base.length - 1) + (c - from)));
      }
    }
  return map;
}

/**
 * The text a PDF shows: pdfkit writes each line (each font run of it) as a TJ array of hex strings
 * split at kerning; with an embedded font the hex is glyph codes, read back through the font's
 * ToUnicode CMap (a font without one, a standard font, is read as Latin-1).
 */
export function pdfText(pdf: Buffer): string {
  return pdfPageTexts(pdf).join('\n');
}

/** The text of each page of a PDF (pdfText), in the order of the pages: pdfkit numbers them so. */
export function pdfPageTexts(pdf: Buffer): string[] {
  const objects = pdfObjects(pdf);
  const byNum = new Map(objects.map((o) => [o.num, o]));
  const fonts = new Map<string, Map<number, string> | null>();
  for (const o of objects)
    for (const [, name, ref] of o.dict.matchAll(/\/(F\d+)\s+(\d+) 0 R/g)) {
      const font = byNum.get(Number(ref));
      const cmapRef = font?.dict.match(/\/ToUnicode\s+(\d+) 0 R/)?.[1];
      const cmap = cmapRef ? byNum.get(Number(cmapRef))?.stream : null;
      fonts.set(name!, cmap ? parseToUnicode(cmap.toString('latin1')) : null);
    }
  // Only the pages' content streams: font programs are binary and hold no text operators.
  const contents = new Set(
    objects.flatMap((o) => [...o.dict.matchAll(/\/Contents\s+(\d+) 0 R/g)].map((m) => Number(m[1]))),
  );
  const pages: string[] = [];
  for (const o of objects) {
    if (!o.stream || !contents.has(o.num)) continue;
    const lines: string[] = [];
    const content = o.stream.toString('latin1');
    let font: Map<number, string> | null = null;
    for (const m of content.matchAll(/\/(F\d+)\s+[\d.]+\s+Tf|\[((?:<[0-9a-f]*>\s*-?[\d.]*\s*)+)\]\s*TJ/gi)) {
      if (m[1]) {
        font = fonts.get(m[1]) ?? null;
        continue;
      }
      const hex = [...m[2]!.matchAll(/<([0-9a-f]*)>/gi)].map((x) => x[1]!).join('');
      lines.push(
        font
          ? (hex.match(/.{4}/g) ?? []).map((c) => font!.get(Number.parseInt(c, 16)) ?? '\ufffd').join('')
          : Buffer.from(hex, 'hex').toString('latin1'),
      );
    }
    pages.push(lines.join('\n'));
  }
  return pages;
}
