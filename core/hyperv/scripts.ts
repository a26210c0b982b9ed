/**
 * The fixed PowerShell bodies, one per operation. Each reads its values from `$p` (decoded from
 * the data block by buildScript) and never from its own text. Objects are projected explicitly
 * and wrapped in @() so that one result is still an array; VMs are matched by id or by exact
 * name (Where-Object -eq), never through -Name, whose wildcards would let a VM called "*"
 * select every VM.
 *
 * Keep them short: UTF-16LE then base64 makes each character 2.67 on the command line, and
 * cmd.exe caps a command line at 8191 characters. -Confirm:$false everywhere a cmdlet may ask:
 * under -NonInteractive a prompt is an error.
 */

/** Out-Json (defined in the preamble): ConvertTo-Json with non-ASCII escaped. */
const OUT = 'Out-Json';

/** Resolves a {id}|{name} reference to exactly one VM. */
const FIND_VM = `function Find-VM($r){
$v=@(if($r.id){Get-VM -Id $r.id}else{Get-VM|Where-Object Name -eq $r.name})
if($v.Count -eq 0){throw "Hyper-V was unable to find a virtual machine with name \`"$($r.name)\`"."}
if($v.Count -gt 1){throw "More than one virtual machine is named \`"$($r.name)\`"; use its id."}
$v[0]}`;

const P_VM = `function P-VM($v){[pscustomobject]@{Id=[string]$v.Id;Name=$v.Name;State=[string]$v.State;Generation=$v.Generation;ProcessorCount=$v.ProcessorCount;MemoryStartup=$v.MemoryStartup;MemoryAssigned=$v.MemoryAssigned;UptimeSec=[long]$v.Uptime.TotalSeconds;ComputerName=$v.ComputerName;ReplicationMode=[string]$v.ReplicationMode;ReplicationState=[string]$v.ReplicationState;ReplicationHealth=[string]$v.ReplicationHealth}}`;

const P_DISK = `function P-Disk($d){$s=$null;if($d.Path){try{$s=(Get-VHD -Path $d.Path).Size}catch{}}
[pscustomobject]@{VMId=[string]$d.VMId;VMName=$d.VMName;Path=$d.Path;ControllerType=[string]$d.ControllerType;ControllerNumber=$d.ControllerNumber;ControllerLocation=$d.ControllerLocation;Size=$s}}`;

const P_NIC = `function P-Nic($n){[pscustomobject]@{VMId=[string]$n.VMId;VMName=$n.VMName;Name=$n.Name;MacAddress=$n.MacAddress;SwitchName=$n.SwitchName;IPAddresses=@($n.IPAddresses)}}`;

const P_SWITCH = `function P-Sw($s){[pscustomobject]@{Id=[string]$s.Id;Name=$s.Name;SwitchType=[string]$s.SwitchType}}`;

const P_SNAP = `function P-Snap($s){[pscustomobject]@{Id=[string]$s.Id;Name=$s.Name;VMId=[string]$s.VMId;VMName=$s.VMName;SnapshotType=[string]$s.SnapshotType;CreationTime=$s.CreationTime;ParentSnapshotName=$s.ParentSnapshotName}}`;

// Replication objects are read per VM, through the VM object, so that their VMId comes from the VM
// and a VM without replication is skipped rather than an error. The members are the documented
// ones (ReplicationState, PrimaryServerName …): State, PrimaryServer and the like are only
// parameter aliases of Get-/Set-VMReplication, and read as $null on the object.
const P_REPL = `function P-Repl($r,$v){[pscustomobject]@{VMId=[string]$v.Id;VMName=$v.Name;State=[string]$r.ReplicationState;Health=[string]$r.ReplicationHealth;Mode=[string]$r.ReplicationMode;PrimaryServer=$r.PrimaryServerName;ReplicaServer=$r.ReplicaServerName;ReplicaPort=$r.ReplicaServerPort;AuthType=[string]$r.AuthenticationType;CertificateThumbprint=$r.CertificateThumbprint;FrequencySec=$r.ReplicationFrequencySec;RecoveryHistory=$r.RecoveryHistory;VSSSnapshotFrequencyHour=$r.VSSSnapshotFrequencyHour;CompressionEnabled=$r.CompressionEnabled;LastReplicationTime=$r.LastReplicationTime}}`;

const P_MEAS = `function P-Meas($m,$v){[pscustomobject]@{VMId=[string]$v.Id;VMName=$v.Name;State=[string]$m.ReplicationState;Health=[string]$m.ReplicationHealth;LastReplicationTime=$m.LastReplicationTime;PendingReplicationSize=$m.PendingReplicationSize;AverageReplicationSize=$m.AverageReplicationSize;SuccessfulReplicationCount=$m.SuccessfulReplicationCount;MissedReplicationCount=$m.MissedReplicationCount}}`;

/**
 * Replication (or, with $m, its statistics) of the primary and replica VMs among $vs. A replica that
 * extends replication onward has a second (Extended) relationship; only the Simple one, between
 * the primary and its replica, is managed here.
 */
const REPLS = `function Repls($vs,$m){foreach($v in $vs){if(@('Primary','Replica') -contains [string]$v.ReplicationMode){if($m){Measure-VMReplication -VM $v -ReplicationRelationshipType Simple|ForEach-Object{P-Meas $_ $v}}else{Get-VMReplication -VM $v -ReplicationRelationshipType Simple|ForEach-Object{P-Repl $_ $v}}}}}`;

const HOST = `function P-Host{$h=Get-VMHost;$r=Get-VMReplicationServer;$o=Get-CimInstance Win32_OperatingSystem
$c=(Get-CimInstance Win32_Processor|Measure-Object NumberOfCores -Sum).Sum
[pscustomobject]@{ComputerName=$h.ComputerName;Fqdn=$h.FullyQualifiedDomainName;OsCaption=$o.Caption;OsVersion=$o.Version;LogicalProcessorCount=$h.LogicalProcessorCount;CpuCores=$c;MemoryCapacity=$h.MemoryCapacity;ReplicationEnabled=$r.ReplicationEnabled;AuthType=[string]$r.AllowedAuthenticationType;KerberosPort=$r.KerberosAuthenticationPort;CertificatePort=$r.CertificateAuthenticationPort;CertificateThumbprint=$r.CertificateThumbprint}}`;

/** The (Simple) replication of one VM, for the changes: Repls without the statistics branch, to stay short. */
const REPL1 = `function Repl1($v){if(@('Primary','Replica') -contains [string]$v.ReplicationMode){Get-VMReplication -VM $v -ReplicationRelationshipType Simple|ForEach-Object{P-Repl $_ $v}}}`;

/** The replication row of $v after a change. */
const REPL_OF_V = `${OUT} @(Repl1 (Get-VM -Id $v.Id))`;
const VM_OF_V = `${OUT} @(P-VM (Get-VM -Id $v.Id))`;

export interface OpTemplate {
  body: string;
  mutates: boolean;
}

function read(body: string): OpTemplate {
  return { body, mutates: false };
}
function change(body: string): OpTemplate {
  return { body, mutates: true };
}

/** All operations, keyed by the name the host double recognises them by. */
export const OPS = {
  'Get-VMHost': read(`${HOST}\n${OUT} @(P-Host)`),
  'Get-VM': read(
    `${FIND_VM}\n${P_VM}\n$vs=@(if($p.vm){Find-VM $p.vm}else{Get-VM})\n${OUT} @($vs|ForEach-Object{P-VM $_})`,
  ),
  'Get-VMHardDiskDrive': read(
    `${FIND_VM}\n${P_DISK}\n$vs=@(if($p.vm){Find-VM $p.vm}else{Get-VM})\n${OUT} @($vs|Get-VMHardDiskDrive|ForEach-Object{P-Disk $_})`,
  ),
  'Get-VMNetworkAdapter': read(
    `${FIND_VM}\n${P_NIC}\n$vs=@(if($p.vm){Find-VM $p.vm}else{Get-VM})\n${OUT} @($vs|Get-VMNetworkAdapter|ForEach-Object{P-Nic $_})`,
  ),
  'Get-VMSwitch': read(`${P_SWITCH}\n${OUT} @(Get-VMSwitch|ForEach-Object{P-Sw $_})`),
  'Get-VMSnapshot': read(
    `${FIND_VM}\n${P_SNAP}\n$vs=@(if($p.vm){Find-VM $p.vm}else{Get-VM})\n${OUT} @($vs|Get-VMSnapshot|ForEach-Object{P-Snap $_})`,
  ),
  'Get-VMReplication': read(
    `${FIND_VM}\n${P_REPL}\n${REPLS}\n$vs=@(if($p.vm){Find-VM $p.vm}else{Get-VM})\n${OUT} @(Repls $vs $false)`,
  ),
  'Measure-VMReplication': read(
    `${FIND_VM}\n${P_MEAS}\n${REPLS}\n$vs=@(if($p.vm){Find-VM $p.vm}else{Get-VM})\n${OUT} @(Repls $vs $true)`,
  ),
  'Enable-VMReplication': change(`${FIND_VM}\n${P_REPL}\n${REPL1}\n$v=Find-VM $p.vm
$a=@{VM=$v;ReplicaServerName=$p.replicaServer;ReplicaServerPort=$p.replicaPort;AuthenticationType=$p.auth;CompressionEnabled=[bool]$p.compression;ReplicationFrequencySec=$p.frequencySec;RecoveryHistory=$p.recoveryHistory}
if($p.certificateThumbprint){$a.CertificateThumbprint=$p.certificateThumbprint}
if($p.vssFrequencyHours){$a.VSSSnapshotFrequencyHour=$p.vssFrequencyHours}
Enable-VMReplication @a
${REPL_OF_V}`),
  'Start-VMInitialReplication': change(
    `${FIND_VM}\n${P_REPL}\n${REPL1}\n$v=Find-VM $p.vm\nStart-VMInitialReplication -VM $v\n${REPL_OF_V}`,
  ),
  'Suspend-VMReplication': change(
    `${FIND_VM}\n${P_REPL}\n${REPL1}\n$v=Find-VM $p.vm\nSuspend-VMReplication -VM $v\n${REPL_OF_V}`,
  ),
  'Resume-VMReplication': change(
    `${FIND_VM}\n${P_REPL}\n${REPL1}\n$v=Find-VM $p.vm\nif($p.resynchronize){Resume-VMReplication -VM $v -Resynchronize}else{Resume-VMReplication -VM $v}\n${REPL_OF_V}`,
  ),
  // Recovery points are the replica snapshot types only: Start-VMFailover refuses a standard
  // checkpoint. -AsTest writes the new test VM to the output, which would land before the JSON:
  // it is discarded.
  'Start-VMFailover': change(`${FIND_VM}\n${P_REPL}\n${REPL1}\n$v=Find-VM $p.vm
if($p.snapshot){$s=@(Get-VMSnapshot -VM $v|Where-Object{[string]$_.SnapshotType -like '*Replica'}|Where-Object{($p.snapshot.id -and [string]$_.Id -eq $p.snapshot.id) -or (-not $p.snapshot.id -and $_.Name -eq $p.snapshot.name)})
if($s.Count -ne 1){throw "Recovery point \`"$($p.snapshot.name)$($p.snapshot.id)\`" of \`"$($v.Name)\`" was not found."}}
if($p.mode -eq 'prepare'){Start-VMFailover -VM $v -Prepare -Confirm:$false}
elseif($p.mode -eq 'test'){if($p.snapshot){$null=Start-VMFailover -VMRecoverySnapshot $s[0] -AsTest -Confirm:$false}else{$null=Start-VMFailover -VM $v -AsTest -Confirm:$false}}
elseif($p.snapshot){Start-VMFailover -VMRecoverySnapshot $s[0] -Confirm:$false}else{Start-VMFailover -VM $v -Confirm:$false}
${REPL_OF_V}`),
  'Complete-VMFailover': change(
    `${FIND_VM}\n${P_REPL}\n${REPL1}\n$v=Find-VM $p.vm\nComplete-VMFailover -VM $v -Confirm:$false\n${REPL_OF_V}`,
  ),
  'Stop-VMFailover': change(
    `${FIND_VM}\n${P_REPL}\n${REPL1}\n$v=Find-VM $p.vm\nStop-VMFailover -VM $v -Confirm:$false\n${REPL_OF_V}`,
  ),
  // Either -Reverse (with where to) or a replication's settings (frequency, recovery points, VSS).
  'Set-VMReplication': change(`${FIND_VM}\n${P_REPL}\n${REPL1}\n$v=Find-VM $p.vm
$a=@{VM=$v;Confirm=$false}
if($p.reverse){$a.Reverse=$true}
if($p.frequencySec){$a.ReplicationFrequencySec=[int]$p.frequencySec}
if($null -ne $p.recoveryHistory){$a.RecoveryHistory=[int]$p.recoveryHistory}
if($p.vssFrequencyHours){$a.VSSSnapshotFrequencyHour=[int]$p.vssFrequencyHours}
if($p.disableVss){$a.DisableVSSSnapshotReplication=$true}
if($p.replicaServer){$a.ReplicaServerName=$p.replicaServer}
if($p.replicaPort){$a.ReplicaServerPort=$p.replicaPort}
if($p.auth){$a.AuthenticationType=$p.auth}
if($p.certificateThumbprint){$a.CertificateThumbprint=$p.certificateThumbprint}
Set-VMReplication @a
${REPL_OF_V}`),
  'Remove-VMReplication': change(
    `${FIND_VM}\n${P_REPL}\n${REPL1}\n$v=Find-VM $p.vm\nRemove-VMReplication -VM $v -Confirm:$false\n${REPL_OF_V}`,
  ),
  'Start-VM': change(`${FIND_VM}\n${P_VM}\n$v=Find-VM $p.vm\nStart-VM -VM $v\n${VM_OF_V}`),
  // A shutdown goes through the guest's Shutdown integration service. Without it (not offered,
  // disabled, or no contact with the guest) Stop-VM -Force powers the VM off, and a planned
  // failover would start from a crash-consistent disk: refuse instead, and let the operator
  // choose to turn it off.
  'Stop-VM': change(`${FIND_VM}\n${P_VM}\n$v=Find-VM $p.vm
if($p.turnOff){Stop-VM -VM $v -TurnOff -Force}elseif([string]$v.State -ne 'Off'){$i=@(Get-VMIntegrationService -VM $v -Name Shutdown)
if($i.Count -eq 0 -or -not $i[0].Enabled -or [string]$i[0].PrimaryOperationalStatus -ne 'Ok'){throw "'$($v.Name)' cannot be shut down through its guest: the Shutdown integration service is not running in the virtual machine. Start it in the guest, or turn the virtual machine off (data not yet written to disk is lost)."}
Stop-VM -VM $v -Force}
${VM_OF_V}`),
  // Run on the primary: can it replicate to this replica server with this authentication and
  // port? The cmdlet writes a message on success and fails otherwise; its output is discarded.
  'Test-VMReplicationConnection':
    read(`function P-Conn($x){[pscustomobject]@{ReplicaServer=$x.replicaServer;ReplicaPort=$x.replicaPort;Auth=$x.auth}}
$a=@{ReplicaServerName=$p.replicaServer;ReplicaServerPort=$p.replicaPort;AuthenticationType=$p.auth}
if($p.certificateThumbprint){$a.CertificateThumbprint=$p.certificateThumbprint}
$null=Test-VMReplicationConnection @a
${OUT} @(P-Conn $p)`),
  // Run on the replica server: where replica VMs go by default and every local volume's free
  // space (the client picks the volume of that folder).
  'Get-SiteshiftReplicaStorage':
    read(`function P-Vol($d,$r){[pscustomobject]@{StorageLocation=$r.DefaultStorageLocation;DeviceID=$d.DeviceID;FreeSpace=$d.FreeSpace;Size=$d.Size}}
$r=Get-VMReplicationServer
${OUT} @(Get-CimInstance Win32_LogicalDisk|ForEach-Object{P-Vol $_ $r})`),
  /**
   * Switches, VMs and replication in one round trip; the host, disks and NICs come from their own
   * operations, run alongside, because one script for everything passes cmd.exe's length limit.
   */
  'Get-SiteshiftInventory': read(`${P_SWITCH}\n${P_VM}\n${P_REPL}\n${P_MEAS}\n${REPLS}\n$vs=@(Get-VM)
${OUT} ([pscustomobject]@{Switches=@(Get-VMSwitch|ForEach-Object{P-Sw $_});VMs=@($vs|ForEach-Object{P-VM $_});Replication=@(Repls $vs $false);Measure=@(Repls $vs $true)})`),
} satisfies Record<string, OpTemplate>;

export type OpName = keyof typeof OPS;
