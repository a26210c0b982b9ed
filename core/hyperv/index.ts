export type {
  CallOptions,
  EnableReplicationOptions,
  FailoverOptions,
  HvDisk,
  HvHost,
  HvNic,
  HvRawInventory,
  HvReplication,
  HvReplicationStats,
  HvSnapshot,
  HvSwitch,
  HvVm,
  ReplicationFrequencySec,
  ReplicationHealthName,
  ReplicationModeName,
  ReplicationStateName,
  ReverseOptions,
  VmRef,
} from './client';
export { HypervClient } from './client';
export type { HypervConnectorOptions, HypervTarget } from './connector';
export {
  createHypervConnector,
  HypervInventorySource,
  hypervConnector,
  openHypervClient,
  openHypervSource,
} from './connector';
export { describeReplication, diffInventory, replicationHealthLevel, toInventoryDocument } from './inventory';
export { HypervOperations } from './operations';
export type { ExecResult, RemoteExec } from './powershell';
export { commandLine, encodeCommand, PowerShellError, PowerShellRunner } from './powershell';
export type { HostKeyInfo, SshSessionOptions } from './ssh';
export { fingerprintOf, probeHostKey, SshSession } from './ssh';
