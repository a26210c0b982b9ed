import { inflateSync } from 'node:zlib';
import { openLab } from '../../core/console/lab-connections';
import { createLabEstate, type LabEstate } from '../../core/lab/estate';
import { addressOf, type ExportParts } from '../../core/topology/export';
import type { ExportDeployment, ExportInventory } from '../../shared/export/schema';

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

/** The text a PDF shows: pdfkit writes each line as a TJ array of hex strings split at kerning. */
export function pdfText(pdf: Buffer): string {
  const content = allReadableBytes(pdf).toString('latin1');
  return [...content.matchAll(/\[((?:<[0-9a-f]*>\s*-?[\d.]*\s*)+)\]\s*TJ/g)]
    .map((m) =>
      [...m[1]!.matchAll(/<([0-9a-f]*)>/g)].map((x) => Buffer.from(x[1]!, 'hex').toString('latin1')).join(''),
    )
    .join('\n');
}
