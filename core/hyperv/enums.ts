import {
  hypervReplicationHealthSchema,
  hypervReplicationModeSchema,
  hypervReplicationStateSchema,
} from '../../shared/schemas/inventory';

/**
 * Hyper-V's enums by number. Windows PowerShell 5.1 serialises an enum as its number unless the
 * script casts it to [string], and a host's module version decides which one a property gets,
 * so the parser takes either and always hands back the name.
 */
export type EnumTable = Readonly<Record<number, string>>;

function fromList(names: readonly string[]): EnumTable {
  return Object.fromEntries(names.map((n, i) => [i, n]));
}

/** Microsoft.HyperV.PowerShell.VMState */
export const VM_STATE: EnumTable = {
  1: 'Other',
  2: 'Running',
  3: 'Off',
  4: 'Stopping',
  6: 'Saved',
  9: 'Paused',
  10: 'Starting',
  11: 'Reset',
  32773: 'Saving',
  32776: 'Pausing',
  32777: 'Resuming',
  32779: 'FastSaved',
  32780: 'FastSaving',
  32781: 'ForceShutdown',
  32782: 'ForceReboot',
  32783: 'Hibernated',
  32784: 'ComponentServicing',
  32785: 'RunningCritical',
  32786: 'OffCritical',
  32787: 'StoppingCritical',
  32788: 'SavedCritical',
  32789: 'PausedCritical',
  32790: 'StartingCritical',
  32791: 'ResetCritical',
  32792: 'SavingCritical',
  32793: 'PausingCritical',
  32794: 'ResumingCritical',
  32795: 'FastSavedCritical',
  32796: 'FastSavingCritical',
};

/** VMReplicationState: the schema lists the names in enum order (Disabled = 0 … FiredrillInProgress = 21). */
export const REPLICATION_STATE: EnumTable = fromList(hypervReplicationStateSchema.options);
/** VMReplicationHealthState: NotApplicable 0, Normal 1, Warning 2, Critical 3. */
export const REPLICATION_HEALTH: EnumTable = fromList(hypervReplicationHealthSchema.options);
/** VMReplicationMode: None 0, Primary 1, Replica 2, TestReplica 3, ExtendedReplica 4. */
export const REPLICATION_MODE: EnumTable = fromList(hypervReplicationModeSchema.options);
/** Microsoft.HyperV.PowerShell.ControllerType */
export const CONTROLLER_TYPE: EnumTable = { 0: 'IDE', 1: 'SCSI', 2: 'PMEM' };
/** Microsoft.HyperV.PowerShell.VMSwitchType */
export const SWITCH_TYPE: EnumTable = { 0: 'Private', 1: 'Internal', 2: 'External' };
/** ReplicationAuthenticationType (VM) and RecoveryAuthenticationType (replica server). */
export const AUTH_TYPE: EnumTable = { 1: 'Kerberos', 2: 'Certificate', 3: 'CertificateAndKerberos' };
/** Microsoft.HyperV.PowerShell.SnapshotType: 3 and 4 are not used. */
export const SNAPSHOT_TYPE: EnumTable = {
  0: 'Standard',
  1: 'Recovery',
  2: 'Planned',
  5: 'Missing',
  6: 'Replica',
  7: 'AppConsistentReplica',
  8: 'SyncedReplica',
};
