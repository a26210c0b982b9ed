import { formatMoment, formatNumber } from '../i18n/format';

// Sizes and ages are written in the console's language (renderer/src/i18n/format.ts).
export { formatAge, formatBytes } from '../i18n/format';

/** Hyper-V's replication health the way operators read it: Normal green, Warning amber, Critical red. */
export function replicationHealthClass(health: string): string {
  return `badge badge-${health === 'Normal' ? 'ok' : health === 'Warning' ? 'warning' : health === 'Critical' ? 'critical' : 'unknown'}`;
}

/**
 * vSphere guest ids (VirtualMachineGuestOsIdentifier) as operators name the systems. The ids are
 * VMware's, frozen at each release: windows2019srvNext is Windows Server 2022 and
 * windows2022srvNext Windows Server 2025 (vSphere API 8.0.0.1).
 */
const guestNames: Record<string, string> = {
  windows2022srvNext_64Guest: 'Windows Server 2025',
  windows2019srvNext_64Guest: 'Windows Server 2022',
  windows2019srv_64Guest: 'Windows Server 2019',
  windows9Server64Guest: 'Windows Server 2016',
  windows8Server64Guest: 'Windows Server 2012',
  windows7Server64Guest: 'Windows Server 2008 R2',
  windows11_64Guest: 'Windows 11',
  windows9_64Guest: 'Windows 10',
  rhel10_64Guest: 'Red Hat Enterprise Linux 10',
  rhel9_64Guest: 'Red Hat Enterprise Linux 9',
  rhel8_64Guest: 'Red Hat Enterprise Linux 8',
  rhel7_64Guest: 'Red Hat Enterprise Linux 7',
  sles16_64Guest: 'SUSE Linux Enterprise 16',
  sles15_64Guest: 'SUSE Linux Enterprise 15',
  sles12_64Guest: 'SUSE Linux Enterprise 12',
  ubuntu64Guest: 'Ubuntu Linux (64-bit)',
  ubuntuGuest: 'Ubuntu Linux',
  centos9_64Guest: 'CentOS Stream 9',
  centos8_64Guest: 'CentOS 8',
  centos7_64Guest: 'CentOS 7',
  rockylinux_64Guest: 'Rocky Linux',
  almalinux_64Guest: 'AlmaLinux',
  oracleLinux9_64Guest: 'Oracle Linux 9',
  oracleLinux8_64Guest: 'Oracle Linux 8',
  debian12_64Guest: 'Debian 12',
  debian11_64Guest: 'Debian 11',
  vmwarePhoton64Guest: 'VMware Photon OS',
  other5xLinux64Guest: 'Other Linux 5.x (64-bit)',
  other4xLinux64Guest: 'Other Linux 4.x (64-bit)',
  other3xLinux64Guest: 'Other Linux 3.x (64-bit)',
  otherLinux64Guest: 'Other Linux (64-bit)',
  otherGuest64: 'Other (64-bit)',
  otherGuest: 'Other',
};

/** A friendly name for a guest id; an id this table lacks is shown without its `Guest` suffix. */
export function guestOsName(id: string | null): string {
  if (!id) return '—';
  return guestNames[id] ?? id.replace(/_?64Guest$/, ' (64-bit)').replace(/Guest$/, '');
}

/**
 * The part every name ends with (`.lab.local`), so that a column can drop it and show what tells
 * the names apart; the full name stays in the tooltip.
 */
export function commonDomain(names: readonly string[]): string {
  const first = names[0];
  if (!first || names.length < 2) return '';
  let suffix = first.slice(first.indexOf('.'));
  if (!first.includes('.')) return '';
  for (const n of names) {
    while (suffix && !n.endsWith(suffix)) {
      const next = suffix.indexOf('.', 1);
      suffix = next < 0 ? '' : suffix.slice(next);
    }
  }
  return suffix;
}

/** Counts with the console language's thousands separators: 4,930 or 4.930. */
export function formatCount(n: number): string {
  return formatNumber(n);
}

const ISO_STAMP = /\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d(?:\.\d+)?)?Z/;

/** ISO timestamps inside a server's text (alert messages, token names), as the operator's clock shows them. */
export function humanTimes(text: string): string {
  return text.replace(new RegExp(ISO_STAMP, 'g'), (iso) => formatMoment(iso));
}

/**
 * A token's name apart from the moment written at its end, as the lab names its tokens
 * ("lab-console 2026-11-30T07:10:42Z"): beside a job's own time, a second time run into the name
 * read as one ("lab-console 07:10:42 AM").
 */
export function tokenName(name: string): { name: string; created: string | null } {
  const m = name.match(new RegExp(`^(.*\\S)\\s+(${ISO_STAMP.source})$`));
  return m ? { name: m[1]!, created: m[2]! } : { name, created: null };
}
