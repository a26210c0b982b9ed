import type { Connection } from '../../shared/schemas/connection';
import type { InventoryDocument } from '../../shared/schemas/inventory';
import type { ConnectionSecrets } from '../inventory/source';
import { createLabEstate, type LabEstate } from '../lab/estate';
import { startReplicaClock } from '../lab/replica-clock';
import { LabInventorySource } from '../lab/source';

export interface LabConnection {
  connection: Connection;
  /** The estate behind an inventory connection; null for the lab's configuration server. */
  source: LabInventorySource<InventoryDocument> | null;
  /** Lab secrets exist only in memory, and only once the lab server has started. */
  secrets?: () => Promise<ConnectionSecrets>;
}

export interface LabServerHandle {
  connection: LabConnection;
  stop(): Promise<void>;
}
/** The embedded lab as four connections, shaped like the ones an operator adds by hand. */
export function openLab(
  estate: LabEstate = createLabEstate(),
): Array<LabConnection & { source: LabInventorySource<InventoryDocument> }> {
  startReplicaClock(estate);
  const vcenter = (
    id: string,
    name: string,
    site: 'primary' | 'secondary',
    doc: InventoryDocument,
    url: string,
  ) => ({
    connection: {
      id,
      name,
      site,
      target: { kind: 'vsphere' as const, url, username: 'administrator@vsphere.local' },
      trust: null,
      hasSecret: false,
      lab: true,
    },
    source: new LabInventorySource(doc),
  });
  const hyperv = (
    id: string,
    name: string,
    site: 'primary' | 'secondary',
    doc: InventoryDocument,
    host: string,
  ) => ({
    connection: {
      id,
      name,
      site,
      target: { kind: 'hyperv' as const, host, port: 22, username: 'LAB\\siteshift' },
      trust: null,
      hasSecret: false,
      lab: true,
    },
    source: new LabInventorySource(doc),
  });
  return [
    vcenter(
      'lab-vcenter-primary',
      'Lab vCenter Amsterdam',
      'primary',
      estate.primary,
      estate.primary.source.url,
    ),
    vcenter(
      'lab-vcenter-secondary',
      'Lab vCenter Rotterdam',
      'secondary',
      estate.secondary,
      estate.secondary.source.url,
    ),
    hyperv(
      'lab-hyperv-primary',
      'Lab Hyper-V Amsterdam',
      'primary',
      estate.hypervPrimary,
      'hv-ams-01.lab.local',
    ),
    hyperv(
      'lab-hyperv-replica',
      'Lab Hyper-V Rotterdam',
      'secondary',
      estate.hypervReplica,
      'hv-rtm-01.lab.local',
    ),
  ];
}
