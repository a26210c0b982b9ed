import { ApiError, type ErrorCode } from '../errors';
import type { readinessKinds } from '../names';
import { checkWordsEn, checkWordsNl } from './check-words';
import { listWordsEn, listWordsNl } from './list-words';
import type { Locale } from './locale';
import { pairStateWordsEn, pairStateWordsNl } from './pair-state-words';
import { type BookLike, wordIn } from './speak';
import { type Said, sayer, type Text, type Worded } from './worded';

/**
 * The words of job steps, their log lines and job errors: the server says each from its English
 * template (the CLI and logs read those words), and a console words it again in its own language
 * by the same key (renderer/src/i18n: these books are part of its catalogues). Values that come
 * from elsewhere (a VM's name, a vCenter fault, a PowerShell error) stay as they are, in a value.
 */
export const stepWordsEn = {
  // What every dry-run line (stepLog.dryRun.*) begins with; a dry run's own panel leaves it out.
  'stepLog.dryRunPrefix': 'dry run: ',
  // server/jobs.ts: the runner's own lines and the job's error
  'stepLog.waitingForAck': 'waiting for an operator to acknowledge: {message}',
  'stepLog.acknowledged': 'acknowledged by {user}',
  'stepLog.waitingOnTask': 'waiting on {operation} {task}, started before the interruption',
  'stepLog.taskEnded': '{operation} {task} ended with: {error}',
  'stepLog.taskUnknown': '{endpoint} no longer knows {task}; the step looks at the world again',
  'stepLog.cancelled': 'cancelled by an operator; running tasks were asked to stop',
  'stepLog.retrying': '{error}; recoverable, attempt {attempt} in {seconds} s',
  'stepLog.error': '{error}',
  'jobError.cancelled': 'cancelled by an operator',
  'jobError.noWorkflow': "no '{kind}' workflow on instance {worker}",
  'jobError.stepFailed': "step '{step}' failed: {error}",
  'jobError.gaveUp.failover': {
    one: "step '{step}' failed: {error} (after {count} attempt); once the endpoint answers again, roll this failover back and start it again",
    other:
      "step '{step}' failed: {error} (after {count} attempts); once the endpoint answers again, roll this failover back and start it again",
  },
  'jobError.gaveUp.test-failover': {
    one: "step '{step}' failed: {error} (after {count} attempt); once the endpoint answers again, clean up this test and start it again",
    other:
      "step '{step}' failed: {error} (after {count} attempts); once the endpoint answers again, clean up this test and start it again",
  },
  'jobError.gaveUp.other': {
    one: "step '{step}' failed: {error} (after {count} attempt); once the endpoint answers again, run this job again: the steps already done are not repeated",
    other:
      "step '{step}' failed: {error} (after {count} attempts); once the endpoint answers again, run this job again: the steps already done are not repeated",
  },
  // server/workflows/common.ts
  'jobStep.readiness': 'readiness checks ({kind})',
  // The workflow a readiness step checks for, by its token in English, as the CLI prints it.
  'readinessKind.protect': 'protect',
  'readinessKind.test': 'test',
  'readinessKind.planned': 'planned',
  'readinessKind.unplanned': 'unplanned',
  'readinessKind.failback': 'failback',
  'stepLog.check': '{title}: {message}',
  'stepLog.checkWithFix': '{title}: {message} — fix: {fix}',
  'stepLog.readinessCounts': 'readiness: {pass} pass, {warn} warn, {fail} fail',
  'stepLog.dryRun.pairMove': 'dry run: {vm} would go from {from} to {to}',
  'stepLog.pairsNow': {
    one: '{count} pair now {state}',
    other: '{count} pairs now {state}',
  },
  // server/workflows/protect.ts
  'jobStep.reserveMtDisks': "keep the master target's own disks out of the replica slots",
  'jobStep.registerPairs': 'register the pairs',
  'jobStep.scsiControllers': 'give the master target its SCSI controllers',
  'jobStep.createReplicaDisks': 'create the replica disks on the master target',
  'jobStep.waitInitial': 'wait for initial replication',
  'stepLog.noMasterTarget': 'the plan names no master target (its Hyper-V machines need none)',
  'stepLog.mtVmGone': 'master target VM {vm} ({id}) is gone from vCenter; no pair spills onto it',
  'stepLog.dryRun.mtOwnDisks': "dry run: {vm}'s own disks keep {slots}",
  'stepLog.dryRun.mtOwnDisksNone': "dry run: {vm}'s own disks keep no slot",
  'stepLog.mtOwnDisks': '{vm}: its own disks hold {slots}',
  'stepLog.mtOwnDisksNone': '{vm}: its own disks hold no slot',
  'stepLog.spillMtNotOn': 'master target {mt} ({vm}) is {power}; no pair spills onto it',
  'stepLog.spillMtGone': 'master target {mt} ({vm}) is gone from vCenter; no pair spills onto it',
  'stepLog.dryRun.protectHyperv': {
    one: 'dry run: would protect {vm} (Hyper-V Replica from {host}, {count} disk, {bytes} bytes)',
    other: 'dry run: would protect {vm} (Hyper-V Replica from {host}, {count} disks, {bytes} bytes)',
  },
  'stepLog.dryRun.protect': {
    one: 'dry run: would protect {vm} ({family}, {count} disk, {bytes} bytes)',
    other: 'dry run: would protect {vm} ({family}, {count} disks, {bytes} bytes)',
  },
  'stepLog.mtFullSpill': {
    one: '{vm}: {full} is full; its {count} disk goes to {mt}',
    other: '{vm}: {full} is full; its {count} disks go to {mt}',
  },
  'stepLog.pairsRegistered': {
    one: '{count} pair registered, {existing} already there',
    other: '{count} pairs registered, {existing} already there',
  },
  'stepLog.dryRun.addScsi': 'dry run: would add a SCSI controller on bus {bus} to {vm}',
  'stepLog.scsiAdded': '{vm}: SCSI bus {bus} added',
  'stepLog.dryRun.createDisk': 'dry run: would create {file} ({bytes} bytes, thin) at SCSI {slot} of {vm}',
  'stepLog.dryRun.provisioned': 'dry run: {bytes} bytes provisioned (thin) on {datastore}, {free} free',
  'stepLog.replicaDisksCreated': {
    one: '{count} replica disk created ({bytes} bytes, thin) on {mts}',
    other: '{count} replica disks created ({bytes} bytes, thin) on {mts}',
  },
  'stepLog.replicaDisksCreatedNone': {
    one: '{count} replica disk created ({bytes} bytes, thin) on no master target',
    other: '{count} replica disks created ({bytes} bytes, thin) on no master target',
  },
  'stepLog.dryRun.replicateUntil': {
    one: 'dry run: {count} machine would replicate until protected',
    other: 'dry run: {count} machines would replicate until protected',
  },
  'stepLog.pairsProtected': {
    one: '{count} pair protected',
    other: '{count} pairs protected',
  },
  // server/workflows/failover.ts
  'jobStep.shutDownSource': 'shut down the source VMs',
  'jobStep.finalSync': 'final sync',
  'jobStep.splitBrain': 'look for a split brain',
  'jobStep.choosePoint': 'choose the recovery point',
  'jobStep.markTestRunning': 'mark the pairs {state}',
  'jobStep.markFailoverPending': 'mark the pairs {state}',
  'jobStep.copyReplicaDisks': 'copy the replica disks for the test',
  'jobStep.detachReplicaDisks': 'detach the replica disks from the master target',
  'jobStep.createRecovered': 'create the recovered VMs',
  'jobStep.reip': 're-address the recovered VMs',
  'jobStep.powerOnGroup': 'power on boot group {group}',
  'jobStep.messageAfter': 'message after group {group}',
  'jobStep.scriptAfter': 'script after group {group}: {command}',
  'stepLog.scriptOutput': 'script: {line}',
  'stepLog.dryRun.reip':
    'dry run: would re-address NIC {nic} of {vm} to {address}{via}{dns} (guest customization, at its first power-on)',
  'stepLog.dryRun.reipSysprep':
    'dry run: would re-address NIC {nic} of {vm} to {address}{via}{dns} (guest customization, at its first power-on) by Sysprep: computer name {computer}, a new SID, workgroup {workgroup} (out of its domain: join it again in the guest)',
  'stepLog.reipOnAlready': '{vm} is on already: its customization, if queued, was applied at power-on',
  'stepLog.reip.queued':
    '{vm}: customization queued: NIC {nic} of {vm} to {address}{via}{dns}; applied at its first power-on',
  'stepLog.reip.queuedOthers':
    '{vm}: customization queued: NIC {nic} of {vm} to {address}{via}{dns} (its other NICs: DHCP); applied at its first power-on',
  'stepLog.reip.queuedSysprep':
    '{vm}: customization queued: NIC {nic} of {vm} to {address}{via}{dns}; applied at its first power-on by Sysprep: computer name {computer}, a new SID, workgroup {workgroup} (out of its domain: join it again in the guest)',
  'stepLog.reip.queuedOthersSysprep':
    '{vm}: customization queued: NIC {nic} of {vm} to {address}{via}{dns} (its other NICs: DHCP); applied at its first power-on by Sysprep: computer name {computer}, a new SID, workgroup {workgroup} (out of its domain: join it again in the guest)',
  'stepLog.reip.already':
    '{vm}: customization already queued: NIC {nic} of {vm} to {address}{via}{dns}; applied at its first power-on',
  'stepLog.reip.alreadyOthers':
    '{vm}: customization already queued: NIC {nic} of {vm} to {address}{via}{dns} (its other NICs: DHCP); applied at its first power-on',
  'stepLog.reip.alreadySysprep':
    '{vm}: customization already queued: NIC {nic} of {vm} to {address}{via}{dns}; applied at its first power-on by Sysprep: computer name {computer}, a new SID, workgroup {workgroup} (out of its domain: join it again in the guest)',
  'stepLog.reip.alreadyOthersSysprep':
    '{vm}: customization already queued: NIC {nic} of {vm} to {address}{via}{dns} (its other NICs: DHCP); applied at its first power-on by Sysprep: computer name {computer}, a new SID, workgroup {workgroup} (out of its domain: join it again in the guest)',
  'stepLog.dryRun.shutDown': 'dry run: would shut {vm} down ({power} now)',
  'stepLog.shutdown.already-off': '{vm}: already-off',
  'stepLog.shutdown.guest-shutdown': '{vm}: guest-shutdown',
  'stepLog.shutdown.powered-off': '{vm}: powered-off',
  'stepLog.dryRun.finalPoint': 'dry run: {vm} would get a final app-consistent point',
  'stepLog.sourcesOff': 'sources are off: the replicas hold their last writes (no data loss)',
  'stepLog.sourceSilent': '{vm}: the source site does not answer ({errors})',
  'stepLog.noSplitBrain': 'no source is running: no split brain',
  'stepLog.splitBrainAccepted': {
    one: 'split brain: {vms} still runs on the source site; the operator accepted the split brain (--accept-split-brain)',
    other:
      'split brain: {vms} still run on the source site; the operator accepted the split brain (--accept-split-brain)',
  },
  'stepLog.pointChosen': '{vm}: recovery point {at} ({consistency}-consistent)',
  'stepLog.pointChosenTag': '{vm}: recovery point {at} ({consistency}-consistent, tag {tag})',
  'stepLog.dryRun.copyDisk': 'dry run: would copy {file} to {copy}',
  'stepLog.dryRun.detachDisk': 'dry run: would detach {file} from {vm} SCSI {slot} (file kept)',
  'stepLog.disksCopied': {
    one: '{count} disk copied',
    other: '{count} disks copied',
  },
  'stepLog.disksDetached': {
    one: '{count} disk detached (files kept)',
    other: '{count} disks detached (files kept)',
  },
  'stepLog.recoveredWithDefaults': '{vm}: source not reachable; recovered with default CPU, memory and BIOS',
  'stepLog.dryRun.createVm':
    'dry run: would create {vm} on {where}: {cpus} vCPU, {memory} MB, {firmware}, disks {disks}, networks {networks}',
  'stepLog.dryRun.createVmInFolder':
    'dry run: would create {vm} on {where} in {folder}: {cpus} vCPU, {memory} MB, {firmware}, disks {disks}, networks {networks}',
  'stepLog.dryRun.reipNic': 'dry run: would re-address NIC {nic} of {vm} to {address}',
  'stepLog.vmFound': '{vm} found (created before the interruption) as {id}',
  'stepLog.vmCreated': '{vm} created as {id}',
  'stepLog.dryRun.powerOn': 'dry run: would power on {vm}',
  'stepLog.groupPoweredOn': {
    one: 'boot group {group}: {count} VM powered on',
    other: 'boot group {group}: {count} VMs powered on',
  },
  'stepLog.dryRun.waitAck': 'dry run: would wait for an acknowledgement of: {message}',
  'stepLog.dryRun.runScript': 'dry run: would run {command} (timeout {seconds} s)',
  // server/workflows/after-failover.ts
  'jobStep.removeTestVms': 'remove the test VMs and their disk copies',
  'jobStep.markProtected': 'mark the pairs {state}',
  'jobStep.checkRecovered': 'check the recovered VMs',
  'jobStep.markFailedOver': 'mark the pairs {state}',
  'jobStep.removeRecovered': 'remove the recovered VMs, keeping the replica disks',
  'jobStep.reattachReplicaDisks': 'attach the replica disks to the master target in their slots',
  'stepLog.dryRun.deleteTestVm': 'dry run: would delete {vm} ({id}) and {files}',
  'stepLog.removed': 'removed: {what}',
  'stepLog.nothingToRemove': 'nothing left to remove',
  'stepLog.recoveredKept': {
    one: '{count} recovered VM kept',
    other: '{count} recovered VMs kept',
  },
  'stepLog.dryRun.detachAndDelete': 'dry run: would detach {files} and delete {vm}',
  'stepLog.recoveredRemoved': '{vm} removed; its disks kept',
  'stepLog.recoveredRemovedLate': '{vm} removed (created after the failover stopped); its disks kept',
  'stepLog.dryRun.attachAt': 'dry run: would attach {file} at SCSI {slot} of {vm}',
  'stepLog.replicaDisksBack': {
    one: '{count} replica disk back on {mts}',
    other: '{count} replica disks back on {mts}',
  },
  // server/workflows/reprotect.ts (its steps in a failback are phase 1)
  'jobStep.reprotect.recordOriginals': 'record the original VMs on {source}',
  'jobStep.reprotect.powerOffOriginals': 'power off the original VMs',
  'jobStep.reprotect.allocateSlots': "allocate the slots on the original site's master target",
  'jobStep.reprotect.moveDisks': 'move the original disks to the master target',
  'jobStep.reprotect.replicateBack': 'replicate back to {source}',
  'jobStep.reprotect.waitResync': 'wait for the resync',
  'jobStep.failback1.recordOriginals': 'phase 1/4 reprotect — record the original VMs on {source}',
  'jobStep.failback1.powerOffOriginals': 'phase 1/4 reprotect — power off the original VMs',
  'jobStep.failback1.allocateSlots':
    "phase 1/4 reprotect — allocate the slots on the original site's master target",
  'jobStep.failback1.moveDisks': 'phase 1/4 reprotect — move the original disks to the master target',
  'jobStep.failback1.replicateBack': 'phase 1/4 reprotect — replicate back to {source}',
  'jobStep.failback1.waitResync': 'phase 1/4 reprotect — wait for the resync',
  'stepLog.dryRun.originalShell': {
    one: 'dry run: {vm} ({id}) stays registered as a shell; its {count} disk {disks} becomes the replica on {mt}',
    other:
      'dry run: {vm} ({id}) stays registered as a shell; its {count} disks {disks} become the replica on {mt}',
  },
  'stepLog.originalShell': {
    one: '{vm} ({id}) stays registered as a shell; its {count} disk {disks} becomes the replica on {mt}',
    other: '{vm} ({id}) stays registered as a shell; its {count} disks {disks} become the replica on {mt}',
  },
  'stepLog.dryRun.originalRuns':
    'dry run: {vm} is {power} on {site} (a split brain after an unplanned failover); its disks become the replica, so it is powered off',
  'stepLog.originalRuns':
    '{vm} is {power} on {site} (a split brain after an unplanned failover); its disks become the replica, so it is powered off',
  'stepLog.originalsOff': 'every original VM is off already',
  'stepLog.dryRun.takeSlots': 'dry run: {vm} would take SCSI {slots} on {mt}',
  'stepLog.slotsHeld': {
    one: '{count} pair holds its slots on {mt}',
    other: '{count} pairs hold their slots on {mt}',
  },
  'stepLog.dryRun.moveDisk':
    'dry run: would detach {file} from {vm} SCSI {from} (file kept) and attach it to {mt} SCSI {to}',
  'stepLog.disksMoved': {
    one: '{count} disk moved to {mt}',
    other: '{count} disks moved to {mt}',
  },
  'stepLog.dryRun.reverseMove': 'dry run: {vm} would go {state} → {committed} → {reprotecting} (reverse)',
  'stepLog.dryRun.reverseToMt':
    'dry run: replication runs from the recovered VMs on {target} to the original disks on {mt}: checksums compared, only the blocks that differ sent',
  'stepLog.dryRun.reverseToSite': 'dry run: replication runs from {target} to {source}',
  'stepLog.dryRun.pointsDropped': 'dry run: the recovery points of the replicas on {site} would be dropped',
  'stepLog.reprotectingToMt': {
    one: '{count} pair reprotecting; replication runs from the recovered VM on {target} to the original disks on {mt}: checksums compared, only the blocks that differ sent',
    other:
      '{count} pairs reprotecting; replication runs from the recovered VMs on {target} to the original disks on {mt}: checksums compared, only the blocks that differ sent',
  },
  'stepLog.reprotectingToSite': {
    one: '{count} pair reprotecting; replication runs from {target} to {source}',
    other: '{count} pairs reprotecting; replication runs from {target} to {source}',
  },
  'stepLog.dryRun.waitProtected': 'dry run: would wait until every pair is protected from {from} to {to}',
  'stepLog.allProtected': 'every pair is protected from {from} to {to}',
  'stepLog.pointsDropped': {
    one: '{count} recovery point of the replicas on {site} dropped: those disks run the machines now',
    other: '{count} recovery points of the replicas on {site} dropped: those disks run the machines now',
  },
  // server/workflows/failback.ts: phases 2 to 4 (phase 1 is reprotect's steps)
  'jobStep.failback.shutDownRecovered':
    'phase 2/4 fail over back to {source} — shut down the recovered VMs on {target}',
  'jobStep.failback.finalSync': 'phase 2/4 fail over back to {source} — final sync',
  'jobStep.failback.markFailoverPending': 'phase 2/4 fail over back to {source} — mark the pairs {state}',
  'jobStep.failback.detachOriginals':
    'phase 2/4 fail over back to {source} — detach the original disks from the master target',
  'jobStep.failback.attachToOriginals':
    'phase 2/4 fail over back to {source} — attach the disks to the original VMs',
  'jobStep.failback.powerOnGroup':
    'phase 2/4 fail over back to {source} — power on boot group {group} on {source}',
  'jobStep.failback.messageAfter': 'phase 2/4 fail over back to {source} — message after group {group}',
  'jobStep.failback.scriptAfter':
    'phase 2/4 fail over back to {source} — script after group {group}: {command}',
  'jobStep.failback.keepOriginals': 'phase 3/4 commit — keep the original VMs and mark the pairs {state}',
  'jobStep.failback.removeRecovered':
    'phase 4/4 protect again from {source} — remove the recovered VMs on {target}, keeping their disks',
  'jobStep.failback.reattachReplicaDisks':
    'phase 4/4 protect again from {source} — attach the replica disks to the master target in their slots',
  'jobStep.failback.freeSlots':
    "phase 4/4 protect again from {source} — free the slots on the original site's master target",
  'jobStep.failback.replicateForward':
    'phase 4/4 protect again from {source} — replicate forward to {target} again',
  'jobStep.failback.waitResync': 'phase 4/4 protect again from {source} — wait for the resync',
  'stepLog.recoveredOff':
    'the recovered VMs are off: the original disks hold their last writes (no data loss)',
  'stepLog.dryRun.toPendingReverse': 'dry run: {vm} would go to {state} (reverse)',
  'stepLog.pairsPending': {
    one: '{count} pair now {state}',
    other: '{count} pairs now {state}',
  },
  'stepLog.disksDetachedFrom': {
    one: '{count} disk detached from {vm}',
    other: '{count} disks detached from {vm}',
  },
  'stepLog.dryRun.attachTo': 'dry run: would attach {file} to {vm} at SCSI {slot}',
  'stepLog.disksBackOnOriginals': {
    one: '{count} disk back on its original VM',
    other: '{count} disks back on their original VMs',
  },
  'stepLog.dryRun.powerOnAt': 'dry run: would power on {vm} on {site}',
  'stepLog.dryRun.keepOriginal': 'dry run: {vm} would be kept; its pair goes to {state}',
  'stepLog.runAgainOn': {
    one: '{count} machine runs on {site} again',
    other: '{count} machines run on {site} again',
  },
  'stepLog.dryRun.detachKeepDelete': 'dry run: would detach {files} (files kept) and delete {vm}',
  'stepLog.removedDisksKept': 'removed, disks kept: {vms}',
  'stepLog.noRecoveredLeft': 'no recovered VM left',
  'stepLog.replicaDisksBackOnMt': {
    one: '{count} replica disk back on its master target',
    other: '{count} replica disks back on their master target',
  },
  'stepLog.dryRun.giveSlotsBack': 'dry run: {vm} would give its slots on {mt} back',
  'stepLog.slotsGivenBack': {
    one: '{count} pair gave its slots on {mt} back',
    other: '{count} pairs gave their slots on {mt} back',
  },
  'stepLog.dryRun.forwardMove': 'dry run: {vm} would go {committed} → {reprotecting} (forward)',
  'stepLog.dryRun.forwardToMt':
    'dry run: replication runs from {source} to the replica disks on {mt} again: checksums compared, only the blocks that differ sent',
  'stepLog.forwardReprotecting': {
    one: '{count} pair reprotecting; replication runs from {source} to the replica disks on {mt} again: checksums compared, only the blocks that differ sent',
    other:
      '{count} pairs reprotecting; replication runs from {source} to the replica disks on {mt} again: checksums compared, only the blocks that differ sent',
  },
  'stepLog.failbackDone': 'failback done: every pair is protected from {from} to {to}',
  // server/workflows/platforms/hyperv.ts
  'jobStep.hv.enable': 'Hyper-V: enable replication to the replica host',
  'jobStep.hv.waitInitial': 'Hyper-V: wait for initial replication',
  'jobStep.hv.prepare': 'Hyper-V: send the last changes (Start-VMFailover -Prepare on the primaries)',
  'jobStep.hv.choosePoints': 'Hyper-V: choose the recovery points',
  'jobStep.hv.testFailover': 'Hyper-V: start the test failovers (Start-VMFailover -AsTest)',
  'jobStep.hv.failover': 'Hyper-V: fail over the replicas (Start-VMFailover)',
  'jobStep.hv.removeTest': 'Hyper-V: remove the test VMs (Stop-VMFailover)',
  'jobStep.hv.complete': 'Hyper-V: complete the failovers (Complete-VMFailover)',
  'jobStep.hv.cancel': 'Hyper-V: cancel the failovers (Stop-VMFailover)',
  'jobStep.hv.replicateBack': 'Hyper-V: replicate back to {source} (Set-VMReplication -Reverse)',
  'jobStep.hv.failBack': 'Hyper-V: fail over back to {source} (Start-VMFailover -Prepare, Start-VMFailover)',
  'jobStep.hv.completeBack': 'Hyper-V: complete the failovers back (Complete-VMFailover)',
  'jobStep.hv.replicateForward': 'Hyper-V: replicate forward to {target} again (Set-VMReplication -Reverse)',
  'stepLog.dryRun.hvReplicates': 'dry run: {vm} already replicates ({state}) to {replica}',
  'stepLog.dryRun.hvEnable': {
    one: 'dry run: would enable Hyper-V Replica of {vm} from {from} to {to} ({auth}, port {port}, every {seconds} s, {count} recovery point) and start the initial copy over the network',
    other:
      'dry run: would enable Hyper-V Replica of {vm} from {from} to {to} ({auth}, port {port}, every {seconds} s, {count} recovery points) and start the initial copy over the network',
  },
  'stepLog.dryRun.hvEnableVss': {
    one: 'dry run: would enable Hyper-V Replica of {vm} from {from} to {to} ({auth}, port {port}, every {seconds} s, {count} recovery point, app-consistent every {hours} h) and start the initial copy over the network',
    other:
      'dry run: would enable Hyper-V Replica of {vm} from {from} to {to} ({auth}, port {port}, every {seconds} s, {count} recovery points, app-consistent every {hours} h) and start the initial copy over the network',
  },
  'stepLog.hvEnabled':
    '{vm}: Hyper-V Replica enabled from {from} to {to} ({auth}, port {port}, every {seconds} s)',
  'stepLog.hvInitialStarted': '{vm}: initial copy started over the network',
  'stepLog.dryRun.hvSettings': {
    one: "dry run: would set Hyper-V Replica of {vm} to the plan's policy (every {seconds} s, {count} recovery point); it runs every {wasSeconds} s",
    other:
      "dry run: would set Hyper-V Replica of {vm} to the plan's policy (every {seconds} s, {count} recovery points); it runs every {wasSeconds} s",
  },
  'stepLog.dryRun.hvSettingsVss': {
    one: "dry run: would set Hyper-V Replica of {vm} to the plan's policy (every {seconds} s, {count} recovery point, app-consistent every {hours} h); it runs every {wasSeconds} s",
    other:
      "dry run: would set Hyper-V Replica of {vm} to the plan's policy (every {seconds} s, {count} recovery points, app-consistent every {hours} h); it runs every {wasSeconds} s",
  },
  'stepLog.hvSettings': {
    one: "{vm}: Hyper-V Replica set to the plan's policy (every {seconds} s, {count} recovery point); it ran every {wasSeconds} s",
    other:
      "{vm}: Hyper-V Replica set to the plan's policy (every {seconds} s, {count} recovery points); it ran every {wasSeconds} s",
  },
  'stepLog.hvSettingsVss': {
    one: "{vm}: Hyper-V Replica set to the plan's policy (every {seconds} s, {count} recovery point, app-consistent every {hours} h); it ran every {wasSeconds} s",
    other:
      "{vm}: Hyper-V Replica set to the plan's policy (every {seconds} s, {count} recovery points, app-consistent every {hours} h); it ran every {wasSeconds} s",
  },
  'stepLog.dryRun.hvReplicateUntil': {
    one: 'dry run: {count} Hyper-V machine would replicate until Replicating',
    other: 'dry run: {count} Hyper-V machines would replicate until Replicating',
  },
  'stepLog.hvReplicating': '{vm}: Replicating ({health})',
  'stepLog.hvPairsProtected': {
    one: '{count} Hyper-V pair protected',
    other: '{count} Hyper-V pairs protected',
  },
  'stepLog.dryRun.hvPrepare':
    'dry run: would prepare {vm} on {host} for planned failover (sends what the replica lacks)',
  'stepLog.hvPrepared': '{vm}: prepared for planned failover; the replica has its last writes',
  'stepLog.hvPoint': '{name} ({at}, {consistency}-consistent)',
  'stepLog.hvPointNoTime': '{name} (no time, {consistency}-consistent)',
  'stepLog.hvPointChosen': '{vm}: recovery point {point} on {host}',
  'stepLog.dryRun.hvTestVm': 'dry run: would create {vm} on {host} from {point}',
  'stepLog.dryRun.hvTestVmLatest': 'dry run: would create {vm} on {host} from the latest recovery point',
  'stepLog.hvTestVm':
    "{vm} on {host} from {point}; its network adapters are connected only where the replica names a test switch (Hyper-V's isolation of a test failover)",
  'stepLog.hvTestVmLatest':
    "{vm} on {host} from the latest point; its network adapters are connected only where the replica names a test switch (Hyper-V's isolation of a test failover)",
  'stepLog.dryRun.hvFailover': 'dry run: would fail {vm} over on {host} to {point}',
  'stepLog.dryRun.hvFailoverLatest': 'dry run: would fail {vm} over on {host} to the latest recovery point',
  'stepLog.hvFailedOverTo': '{vm}: failed over on {host} to {point}',
  'stepLog.hvFailedOver': '{vm}: failed over on {host}',
  'stepLog.dryRun.hvRemoveTest': 'dry run: would remove {vm} (Stop-VMFailover on {source})',
  'stepLog.vmRemoved': '{vm} removed',
  'stepLog.dryRun.hvComplete': 'dry run: would complete the failover of {vm} (its recovery points go)',
  'stepLog.hvCompleted': '{vm}: failover completed; the other recovery points are gone',
  'stepLog.dryRun.hvCancel': 'dry run: would turn {vm} off on {host} and cancel its failover',
  'stepLog.hvCancelled': '{vm}: failover cancelled on {host}; Replicating again',
  'stepLog.dryRun.hvCancelPrepared': 'dry run: would cancel the prepared failover of {vm} on {host}',
  'stepLog.hvPrimaryAgain': '{vm}: {host} is its primary again',
  'stepLog.dryRun.hvSplitBrainOff': 'dry run: would turn {vm} off on {host} (it runs: a split brain)',
  'stepLog.hvSplitBrainOff':
    '{vm} runs on {host} too (a split brain after an unplanned failover); it becomes the replica, so it is turned off',
  'stepLog.dryRun.hvReversePlanned':
    'dry run: would reverse the replication of {vm} (Set-VMReplication -Reverse on {from}): {from} becomes its primary, replicating to {to} ({auth}, port {port}); it holds every change already (planned failover), so replication carries on at once',
  'stepLog.dryRun.hvReverseUnplanned':
    'dry run: would reverse the replication of {vm} (Set-VMReplication -Reverse on {from}): {from} becomes its primary, replicating to {to} ({auth}, port {port}); it missed the last changes (unplanned failover): a full initial copy goes over the network',
  'stepLog.hvReversedPlanned':
    '{vm}: replication reversed; {from} is its primary, {to} its replica (it holds every change already (planned failover), so replication carries on at once)',
  'stepLog.hvReversedUnplanned':
    '{vm}: replication reversed; {from} is its primary, {to} its replica (it missed the last changes (unplanned failover): a full initial copy goes over the network)',
  'stepLog.dryRun.hvReplicatesFrom': 'dry run: {vm} replicates from {host} already ({state})',
  'stepLog.hvInitialFrom': '{vm}: initial copy started from {host}',
  'stepLog.hvResumedFrom': '{vm}: replication resumed from {host}',
  'stepLog.hvReplicatingFrom': '{vm}: Replicating from {host} ({health})',
  'stepLog.dryRun.hvFailBack':
    'dry run: would prepare {vm} on {current} (sends the last changes) and fail it over on {original}',
  'stepLog.hvPreparedOn': '{vm}: prepared on {current}; {original} has its last writes',
  'stepLog.hvFailedBack': '{vm}: failed over back on {host}',
  'stepLog.dryRun.hvStart': 'dry run: would start {vm} on {host}',
  'stepLog.dryRun.hvCompleteOn': 'dry run: would complete the failover of {vm} on {host}',
  'stepLog.hvCompletedBack': '{vm}: failover back completed on {host}',
  // server/workflows/configure-master-target.ts
  'jobStep.mt.checkVm': 'check the VM',
  'jobStep.mt.register': 'register the master target',
  'jobStep.mt.addScsi': 'add SCSI controllers',
  'stepLog.mtVm': '{vm} on {endpoint}: {family}, {free} of 60 slots free',
  'stepLog.mtVmRetention': '{vm} on {endpoint}: {family}, {free} of 60 slots free, retention on {datastore}',
  'stepLog.nothingToChange': 'nothing to change',
  'stepLog.dryRun.change': 'dry run: would {change}',
  'stepLog.dryRun.mt.register':
    'dry run: would register {name}: VM {vm}, {family}, own disks on no SCSI slot, retention none',
  'stepLog.dryRun.mt.registerRetention':
    'dry run: would register {name}: VM {vm}, {family}, own disks on no SCSI slot, retention {datastore}',
  'stepLog.dryRun.mt.registerSlots':
    'dry run: would register {name}: VM {vm}, {family}, own disks on {slots}, retention none',
  'stepLog.dryRun.mt.registerSlotsRetention':
    'dry run: would register {name}: VM {vm}, {family}, own disks on {slots}, retention {datastore}',
  'stepLog.dryRun.mt.update':
    'dry run: would update {name}: VM {vm}, {family}, own disks on no SCSI slot, retention none',
  'stepLog.dryRun.mt.updateRetention':
    'dry run: would update {name}: VM {vm}, {family}, own disks on no SCSI slot, retention {datastore}',
  'stepLog.dryRun.mt.updateSlots':
    'dry run: would update {name}: VM {vm}, {family}, own disks on {slots}, retention none',
  'stepLog.dryRun.mt.updateSlotsRetention':
    'dry run: would update {name}: VM {vm}, {family}, own disks on {slots}, retention {datastore}',
  'stepLog.mtConfiguredAlready': '{name} is configured already',
  'stepLog.mtRegistered': '{name} registered ({id}): {free} of 60 slots free',
  'stepLog.mtUpdated': '{name} updated ({id}): {free} of 60 slots free',
  'stepLog.scsiPresent': 'every SCSI controller needed is present',
  'stepLog.dryRun.addPvscsi': 'dry run: would add a paravirtual SCSI controller on bus {bus} to {vm}',
  'stepLog.scsiControllersAdded': {
    one: '{vm}: {count} SCSI controller added',
    other: '{vm}: {count} SCSI controllers added',
  },
  // server/workflows/resync.ts
  'jobStep.resync': 'start resync of {pair}',
  'stepLog.alreadyResyncing': '{vm} is already resyncing',
  'stepLog.dryRun.resync': 'dry run: {vm} would start resyncing now',
  'stepLog.resyncStarted': '{vm}: resync started; the agent compares checksums and sends differing blocks',
  // Errors a step throws (stepError): the job's error line and error quote them
  'stepError.notReady': 'the plan is not ready: {checks}; see the step log for the fixes',
  'stepError.noTargetVcenter': 'the target site {site} has no vSphere endpoint; add one',
  'stepError.notVcenter': '{endpoint} is not a vCenter; the DR workflows need one',
  'stepError.sameName': "{count} VMs are named '{vm}' on {endpoint}; name them apart or use the id",
  'stepError.sourceUnreachable': 'cannot look for {vm} on the source site: {errors}',
  'stepError.noSourceVm': 'no VM named {vm} on the source site {site}; fix machines[].vm in the plan',
  'stepError.notProtected': '{vm} is not protected (no pair); protect the plan first',
  'stepError.pairState': '{pairIs}; this step moves only pairs in the state {states}',
  'stepError.pairsBehind':
    '{pairs}; this step needs the pairs further on the way back: run the job again from its start',
  'stepError.scriptTimeout': 'script {command} did not finish within {seconds} s ({signal})',
  'stepError.scriptExit': 'script {command} exited with {code}',
  'stepError.notCreated': '{vm} was not created; it cannot be re-addressed',
  'stepError.reipNic': {
    one: '{vm}: reip.nic {nic} but {recovered} has {count} NIC; fix machines[].reip.nic in the plan',
    other: '{vm}: reip.nic {nic} but {recovered} has {count} NICs; fix machines[].reip.nic in the plan',
  },
  'stepError.cannotShutDown':
    'cannot shut {vm} down: {errors}; a planned failover needs its sources (use an unplanned failover)',
  'stepError.cannotShutDownMissing':
    'cannot shut {vm} down: not found on the source site; a planned failover needs its sources (use an unplanned failover)',
  'stepError.splitBrain': {
    one: 'split brain: {vms} still runs on the source site; shut it down, run a planned failover, or confirm with --accept-split-brain',
    other:
      'split brain: {vms} still run on the source site; shut them down, run a planned failover, or confirm with --accept-split-brain',
  },
  'stepError.noPoint':
    "{vm} has no recovery point matching '{point}'; choose another (siteshift pairs points)",
  'stepError.placementMissing': 'placement {where} / {datastore} is not on {endpoint}',
  'stepError.testNetworkMissing':
    "the plan's testNetwork {network} is not on {endpoint}; set target.testNetwork",
  'stepError.sourceNotVcenter': '{vm} is on {endpoint}, which is not a vCenter; its pair is a vSphere one',
  'stepError.nicUnmapped':
    '{vm} NIC {nic} is on {network}, which target.networks does not map to a network of {endpoint}',
  'stepError.nicUnknownNetwork':
    '{vm} NIC {nic} is on an unknown network, which target.networks does not map to a network of {endpoint}',
  'stepError.recoveredSameName':
    "{count} VMs are named '{vm}' on {endpoint}; name them apart or set recoveredName in the plan",
  'stepError.notRecovered': '{vm} was not recovered',
  'stepError.nothingToCommit': '{vm} has no recovered VM to commit; roll back or fail over again',
  'stepError.cannotRollBack': '{pairIs}; only a failover not yet committed can be rolled back',
  'stepError.mtVmGone': 'master target VM {vm} ({id}) is gone from vCenter',
  'stepError.noDatastore': 'no datastore {datastore} on {endpoint}',
  'stepError.errorDuringInitial': '{vm} went into an error state during initial replication',
  'stepError.noRecoveredOnRecord':
    '{vm} has no recovered VM on record; the failover that created it was rolled back or removed',
  'stepError.recoveredGone':
    '{vm} ({id}) is gone from {endpoint}; it is the source of {source} now, so restore it before failing back',
  'stepError.originalNotOn':
    '{vm} is {power} on {site}; power it on (or run the failback again) before committing',
  'stepError.originalGone':
    '{vm} is gone on {site}; power it on (or run the failback again) before committing',
  'stepError.noFreeSlot':
    "{mt} has no free SCSI slot for {vm}'s disks; register another master target on {site} and give it (--master-target)",
  'stepError.siteNoVcenter': 'site {site} has no vSphere endpoint; add one',
  'stepError.originalUnreadable': 'cannot read {vm} on the original site: {errors}',
  'stepError.originalMissing':
    '{vm} is gone from the original site {site}; reprotect keeps the original VM and resyncs its disks, so restore it (or remove the pair and protect the recovered VM as a new machine)',
  'stepError.slotCount':
    "{vm} holds {slots} on {mt} for {disks}; remove the pair's slots there (or the pair) and run again",
  // Two counts in one line: each picks its own form, a part of the sentence
  'stepError.slotCount.slots': { one: '{count} slot', other: '{count} slots' },
  'stepError.slotCount.disks': { one: '{count} disk', other: '{count} disks' },
  'stepError.noDisksLeft':
    '{vm} on {site} has no disks left to resync; restore its disks or remove the pair and protect the recovered VM as a new machine',
  'stepError.vmGone': '{vm} ({id}) is gone from {endpoint}',
  'stepError.noReverseMt':
    'plan {plan} has vSphere pairs now and this job names no master target on {site} (it was prepared when it had none); start the job again',
  'stepError.errorDuringReverse':
    '{vm} went into an error state during the reverse resync; see its last error (siteshift pairs list) and run the job again',
  'stepError.errorDuringForward':
    '{vm} went into an error state during the forward resync; see its last error (siteshift pairs list) and run the job again',
  'stepError.offPath': '{pairIs}; this step moves pairs along {path}',
  'stepError.hvNotHost': '{endpoint} is not a Hyper-V host',
  'stepError.hvNoPrimary': '{vm} ({id}) is on no Hyper-V host of the source site {site}',
  'stepError.hvNoReplicaHost':
    'the target site {site} has no Hyper-V host to replicate {vm} to; add one (siteshift endpoint add --site {site} hyperv …)',
  'stepError.hvManyReplicaHosts':
    'the target site {site} has {count} Hyper-V hosts and none holds {vm} yet; Siteshift replicates to a site with one Hyper-V host',
  'stepError.hvNotReplicaServer':
    '{endpoint} ({server}) is not a Hyper-V Replica server; enable it there (Set-VMReplicationServer -ReplicationEnabled $true -AllowedAuthenticationType Kerberos -ReplicationAllowedFromAnyServer $true -DefaultStorageLocation …)',
  'stepError.hvNoCertificate':
    '{replica} accepts certificate authentication only and {primary} has no certificate configured; set one with Set-VMReplicationServer -CertificateThumbprint on {primary}',
  'stepError.hvReplicaError':
    '{vm}: Hyper-V Replica reports {state}, health {health}; see Get-VMReplication on {host}, fix it and protect again',
  'stepError.hvNoPoint': {
    one: "{vm} has no Hyper-V recovery point matching '{point}' on {host} ({count} point); choose another",
    other: "{vm} has no Hyper-V recovery point matching '{point}' on {host} ({count} points); choose another",
  },
  'stepError.hvNoTestVm': 'Start-VMFailover -AsTest on {host} finished but no VM named {vm} is there',
  'stepError.hvNotFailedOverByPlan': '{vm} was not failed over by this plan; roll back or fail over again',
  'stepError.hvNotFailedOver': '{vm} on {host} is {state}, not failed over; roll back or fail over again',
  'stepError.hvReplicaErrorOn':
    '{vm}: Hyper-V Replica reports {state}, health {health} on {host}; see Get-VMReplication there, fix it and run the job again',
  'stepError.hvNotFailedBack': '{vm} on {host} is {state}, not failed over back; run the failback again',
  'stepError.cannotBeMt': '{vm} cannot be master target {name}: {findings}',
  'stepError.cannotResync': '{pairIs}; only a protected pair or one that needs a resync can be resynced',
} as const;

export type StepWordKey = keyof typeof stepWordsEn;
export type StepWords = BookLike<typeof stepWordsEn>;

export const stepWordsNl: StepWords = {
  'stepLog.dryRunPrefix': 'proefrun: ',
  'stepLog.waitingForAck': 'wacht tot een operator bevestigt: {message}',
  'stepLog.acknowledged': 'bevestigd door {user}',
  'stepLog.waitingOnTask': 'wacht op {operation} {task}, gestart vóór de onderbreking',
  'stepLog.taskEnded': '{operation} {task} eindigde met: {error}',
  'stepLog.taskUnknown': '{endpoint} kent {task} niet meer; de stap kijkt opnieuw naar de actuele toestand',
  'stepLog.cancelled': 'geannuleerd door een operator; lopende taken is gevraagd te stoppen',
  'stepLog.retrying': '{error}; herstelbaar, poging {attempt} over {seconds} s',
  'stepLog.error': '{error}',
  'jobError.cancelled': 'geannuleerd door een operator',
  'jobError.noWorkflow': "geen workflow '{kind}' op instantie {worker}",
  'jobError.stepFailed': "stap '{step}' is mislukt: {error}",
  'jobError.gaveUp.failover': {
    one: "stap '{step}' is mislukt: {error} (na {count} poging); draai deze failover terug en start hem opnieuw zodra het eindpunt weer antwoordt",
    other:
      "stap '{step}' is mislukt: {error} (na {count} pogingen); draai deze failover terug en start hem opnieuw zodra het eindpunt weer antwoordt",
  },
  'jobError.gaveUp.test-failover': {
    one: "stap '{step}' is mislukt: {error} (na {count} poging); ruim deze test op en start hem opnieuw zodra het eindpunt weer antwoordt",
    other:
      "stap '{step}' is mislukt: {error} (na {count} pogingen); ruim deze test op en start hem opnieuw zodra het eindpunt weer antwoordt",
  },
  'jobError.gaveUp.other': {
    one: "stap '{step}' is mislukt: {error} (na {count} poging); voer deze taak opnieuw uit zodra het eindpunt weer antwoordt: stappen die al klaar zijn, worden niet herhaald",
    other:
      "stap '{step}' is mislukt: {error} (na {count} pogingen); voer deze taak opnieuw uit zodra het eindpunt weer antwoordt: stappen die al klaar zijn, worden niet herhaald",
  },
  'jobStep.readiness': 'gereedheidscontroles ({kind})',
  'readinessKind.protect': 'beveiligen',
  'readinessKind.test': 'testfailover',
  'readinessKind.planned': 'geplande failover',
  'readinessKind.unplanned': 'ongeplande failover',
  'readinessKind.failback': 'failback',
  'stepLog.check': '{title}: {message}',
  'stepLog.checkWithFix': '{title}: {message} — oplossing: {fix}',
  'stepLog.readinessCounts': 'gereedheid: {pass} geslaagd, {warn} met waarschuwing, {fail} mislukt',
  'stepLog.dryRun.pairMove': 'proefrun: {vm} zou van {from} naar {to} gaan',
  'stepLog.pairsNow': {
    one: '{count} paar nu {state}',
    other: '{count} paren nu {state}',
  },
  'jobStep.reserveMtDisks': 'de eigen schijven van het master target buiten de replicaslots houden',
  'jobStep.registerPairs': 'de paren registreren',
  'jobStep.scsiControllers': 'het master target zijn SCSI-controllers geven',
  'jobStep.createReplicaDisks': 'de replicaschijven op het master target maken',
  'jobStep.waitInitial': 'wachten op de eerste replicatie',
  'stepLog.noMasterTarget':
    'het plan noemt geen master target (de Hyper-V-machines ervan hebben er geen nodig)',
  'stepLog.mtVmGone': 'master-target-VM {vm} ({id}) is verdwenen uit vCenter; er gaan geen paren naar over',
  'stepLog.dryRun.mtOwnDisks': 'proefrun: de eigen schijven van {vm} houden {slots}',
  'stepLog.dryRun.mtOwnDisksNone': 'proefrun: de eigen schijven van {vm} houden geen slot',
  'stepLog.mtOwnDisks': '{vm}: de eigen schijven bezetten {slots}',
  'stepLog.mtOwnDisksNone': '{vm}: de eigen schijven bezetten geen slot',
  'stepLog.spillMtNotOn': 'master target {mt} ({vm}) is {power}; er gaan geen paren naar over',
  'stepLog.spillMtGone': 'master target {mt} ({vm}) is verdwenen uit vCenter; er gaan geen paren naar over',
  'stepLog.dryRun.protectHyperv': {
    one: 'proefrun: zou {vm} beveiligen (Hyper-V Replica vanaf {host}, {count} schijf, {bytes} bytes)',
    other: 'proefrun: zou {vm} beveiligen (Hyper-V Replica vanaf {host}, {count} schijven, {bytes} bytes)',
  },
  'stepLog.dryRun.protect': {
    one: 'proefrun: zou {vm} beveiligen ({family}, {count} schijf, {bytes} bytes)',
    other: 'proefrun: zou {vm} beveiligen ({family}, {count} schijven, {bytes} bytes)',
  },
  'stepLog.mtFullSpill': {
    one: '{vm}: {full} is vol; de {count} schijf gaat naar {mt}',
    other: '{vm}: {full} is vol; de {count} schijven gaan naar {mt}',
  },
  'stepLog.pairsRegistered': {
    one: '{count} paar geregistreerd, {existing} al aanwezig',
    other: '{count} paren geregistreerd, {existing} al aanwezig',
  },
  'stepLog.dryRun.addScsi': 'proefrun: zou een SCSI-controller op bus {bus} aan {vm} toevoegen',
  'stepLog.scsiAdded': '{vm}: SCSI-bus {bus} toegevoegd',
  'stepLog.dryRun.createDisk': 'proefrun: zou {file} maken ({bytes} bytes, thin) op SCSI {slot} van {vm}',
  'stepLog.dryRun.provisioned': 'proefrun: {bytes} bytes toegewezen (thin) op {datastore}, {free} vrij',
  'stepLog.replicaDisksCreated': {
    one: '{count} replicaschijf gemaakt ({bytes} bytes, thin) op {mts}',
    other: '{count} replicaschijven gemaakt ({bytes} bytes, thin) op {mts}',
  },
  'stepLog.replicaDisksCreatedNone': {
    one: '{count} replicaschijf gemaakt ({bytes} bytes, thin) op geen enkel master target',
    other: '{count} replicaschijven gemaakt ({bytes} bytes, thin) op geen enkel master target',
  },
  'stepLog.dryRun.replicateUntil': {
    one: 'proefrun: {count} machine zou repliceren tot ze beveiligd is',
    other: 'proefrun: {count} machines zouden repliceren tot ze beveiligd zijn',
  },
  'stepLog.pairsProtected': {
    one: '{count} paar beveiligd',
    other: '{count} paren beveiligd',
  },
  'jobStep.shutDownSource': 'de bron-VM’s afsluiten',
  'jobStep.finalSync': 'laatste synchronisatie',
  'jobStep.splitBrain': 'zoeken naar een split brain',
  'jobStep.choosePoint': 'het herstelpunt kiezen',
  'jobStep.markTestRunning': 'de paren op {state} zetten',
  'jobStep.markFailoverPending': 'de paren op {state} zetten',
  'jobStep.copyReplicaDisks': 'de replicaschijven voor de test kopiëren',
  'jobStep.detachReplicaDisks': 'de replicaschijven van het master target loskoppelen',
  'jobStep.createRecovered': 'de herstelde VM’s maken',
  'jobStep.reip': 'de herstelde VM’s nieuwe adressen geven',
  'jobStep.powerOnGroup': 'opstartgroep {group} inschakelen',
  'jobStep.messageAfter': 'bericht na groep {group}',
  'jobStep.scriptAfter': 'script na groep {group}: {command}',
  'stepLog.scriptOutput': 'script: {line}',
  'stepLog.dryRun.reip':
    'proefrun: zou NIC {nic} van {vm} het adres {address}{via}{dns} geven (gastaanpassing, bij de eerste keer opstarten)',
  'stepLog.dryRun.reipSysprep':
    'proefrun: zou NIC {nic} van {vm} het adres {address}{via}{dns} geven (gastaanpassing, bij de eerste keer opstarten) via Sysprep: computernaam {computer}, een nieuwe SID, werkgroep {workgroup} (buiten het domein: voeg hem in het gastsysteem opnieuw toe)',
  'stepLog.reipOnAlready':
    '{vm} staat al aan: de aanpassing, als die klaarstond, is bij het opstarten toegepast',
  'stepLog.reip.queued':
    '{vm}: aanpassing klaargezet: NIC {nic} van {vm} krijgt {address}{via}{dns}; toegepast bij de eerste keer opstarten',
  'stepLog.reip.queuedOthers':
    '{vm}: aanpassing klaargezet: NIC {nic} van {vm} krijgt {address}{via}{dns} (de andere NIC’s: DHCP); toegepast bij de eerste keer opstarten',
  'stepLog.reip.queuedSysprep':
    '{vm}: aanpassing klaargezet: NIC {nic} van {vm} krijgt {address}{via}{dns}; toegepast bij de eerste keer opstarten via Sysprep: computernaam {computer}, een nieuwe SID, werkgroep {workgroup} (buiten het domein: voeg hem in het gastsysteem opnieuw toe)',
  'stepLog.reip.queuedOthersSysprep':
    '{vm}: aanpassing klaargezet: NIC {nic} van {vm} krijgt {address}{via}{dns} (de andere NIC’s: DHCP); toegepast bij de eerste keer opstarten via Sysprep: computernaam {computer}, een nieuwe SID, werkgroep {workgroup} (buiten het domein: voeg hem in het gastsysteem opnieuw toe)',
  'stepLog.reip.already':
    '{vm}: aanpassing stond al klaar: NIC {nic} van {vm} krijgt {address}{via}{dns}; toegepast bij de eerste keer opstarten',
  'stepLog.reip.alreadyOthers':
    '{vm}: aanpassing stond al klaar: NIC {nic} van {vm} krijgt {address}{via}{dns} (de andere NIC’s: DHCP); toegepast bij de eerste keer opstarten',
  'stepLog.reip.alreadySysprep':
    '{vm}: aanpassing stond al klaar: NIC {nic} van {vm} krijgt {address}{via}{dns}; toegepast bij de eerste keer opstarten via Sysprep: computernaam {computer}, een nieuwe SID, werkgroep {workgroup} (buiten het domein: voeg hem in het gastsysteem opnieuw toe)',
  'stepLog.reip.alreadyOthersSysprep':
    '{vm}: aanpassing stond al klaar: NIC {nic} van {vm} krijgt {address}{via}{dns} (de andere NIC’s: DHCP); toegepast bij de eerste keer opstarten via Sysprep: computernaam {computer}, een nieuwe SID, werkgroep {workgroup} (buiten het domein: voeg hem in het gastsysteem opnieuw toe)',
  'stepLog.dryRun.shutDown': 'proefrun: zou {vm} afsluiten (nu {power})',
  'stepLog.shutdown.already-off': '{vm}: stond al uit',
  'stepLog.shutdown.guest-shutdown': '{vm}: afgesloten vanuit het gastsysteem',
  'stepLog.shutdown.powered-off': '{vm}: uitgeschakeld',
  'stepLog.dryRun.finalPoint': 'proefrun: {vm} zou een laatste app-consistent punt krijgen',
  'stepLog.sourcesOff':
    'de bronnen staan uit: de replica’s bevatten hun laatste schrijfacties (geen gegevensverlies)',
  'stepLog.sourceSilent': '{vm}: de bronlocatie antwoordt niet ({errors})',
  'stepLog.noSplitBrain': 'geen bron draait: geen split brain',
  'stepLog.splitBrainAccepted': {
    one: 'split brain: {vms} draait nog op de bronlocatie; de operator heeft de split brain geaccepteerd (--accept-split-brain)',
    other:
      'split brain: {vms} draaien nog op de bronlocatie; de operator heeft de split brain geaccepteerd (--accept-split-brain)',
  },
  'stepLog.pointChosen': '{vm}: herstelpunt {at} ({consistency}-consistent)',
  'stepLog.pointChosenTag': '{vm}: herstelpunt {at} ({consistency}-consistent, label {tag})',
  'stepLog.dryRun.copyDisk': 'proefrun: zou {file} kopiëren naar {copy}',
  'stepLog.dryRun.detachDisk': 'proefrun: zou {file} loskoppelen van {vm} SCSI {slot} (bestand blijft)',
  'stepLog.disksCopied': {
    one: '{count} schijf gekopieerd',
    other: '{count} schijven gekopieerd',
  },
  'stepLog.disksDetached': {
    one: '{count} schijf losgekoppeld (bestanden blijven)',
    other: '{count} schijven losgekoppeld (bestanden blijven)',
  },
  'stepLog.recoveredWithDefaults':
    '{vm}: bron niet bereikbaar; hersteld met standaard-CPU, -geheugen en -BIOS',
  'stepLog.dryRun.createVm':
    'proefrun: zou {vm} maken op {where}: {cpus} vCPU, {memory} MB, {firmware}, schijven {disks}, netwerken {networks}',
  'stepLog.dryRun.createVmInFolder':
    'proefrun: zou {vm} maken op {where} in {folder}: {cpus} vCPU, {memory} MB, {firmware}, schijven {disks}, netwerken {networks}',
  'stepLog.dryRun.reipNic': 'proefrun: zou NIC {nic} van {vm} het adres {address} geven',
  'stepLog.vmFound': '{vm} gevonden (gemaakt vóór de onderbreking) als {id}',
  'stepLog.vmCreated': '{vm} gemaakt als {id}',
  'stepLog.dryRun.powerOn': 'proefrun: zou {vm} inschakelen',
  'stepLog.groupPoweredOn': {
    one: 'opstartgroep {group}: {count} VM ingeschakeld',
    other: 'opstartgroep {group}: {count} VM’s ingeschakeld',
  },
  'stepLog.dryRun.waitAck': 'proefrun: zou wachten op een bevestiging van: {message}',
  'stepLog.dryRun.runScript': 'proefrun: zou {command} uitvoeren (time-out {seconds} s)',
  'jobStep.removeTestVms': 'de test-VM’s en hun schijfkopieën verwijderen',
  'jobStep.markProtected': 'de paren op {state} zetten',
  'jobStep.checkRecovered': 'de herstelde VM’s controleren',
  'jobStep.markFailedOver': 'de paren op {state} zetten',
  'jobStep.removeRecovered': 'de herstelde VM’s verwijderen, de replicaschijven blijven',
  'jobStep.reattachReplicaDisks': 'de replicaschijven in hun slots aan het master target koppelen',
  'stepLog.dryRun.deleteTestVm': 'proefrun: zou {vm} ({id}) en {files} verwijderen',
  'stepLog.removed': 'verwijderd: {what}',
  'stepLog.nothingToRemove': 'niets meer te verwijderen',
  'stepLog.recoveredKept': {
    one: '{count} herstelde VM behouden',
    other: '{count} herstelde VM’s behouden',
  },
  'stepLog.dryRun.detachAndDelete': 'proefrun: zou {files} loskoppelen en {vm} verwijderen',
  'stepLog.recoveredRemoved': '{vm} verwijderd; de schijven blijven',
  'stepLog.recoveredRemovedLate': '{vm} verwijderd (gemaakt nadat de failover stopte); de schijven blijven',
  'stepLog.dryRun.attachAt': 'proefrun: zou {file} koppelen op SCSI {slot} van {vm}',
  'stepLog.replicaDisksBack': {
    one: '{count} replicaschijf terug op {mts}',
    other: '{count} replicaschijven terug op {mts}',
  },
  'jobStep.reprotect.recordOriginals': 'de oorspronkelijke VM’s op {source} vastleggen',
  'jobStep.reprotect.powerOffOriginals': 'de oorspronkelijke VM’s uitschakelen',
  'jobStep.reprotect.allocateSlots': 'de slots op het master target van de oorspronkelijke locatie toewijzen',
  'jobStep.reprotect.moveDisks': 'de oorspronkelijke schijven naar het master target verplaatsen',
  'jobStep.reprotect.replicateBack': 'terug repliceren naar {source}',
  'jobStep.reprotect.waitResync': 'wachten op de hersynchronisatie',
  'jobStep.failback1.recordOriginals':
    'fase 1/4 opnieuw beveiligen — de oorspronkelijke VM’s op {source} vastleggen',
  'jobStep.failback1.powerOffOriginals': 'fase 1/4 opnieuw beveiligen — de oorspronkelijke VM’s uitschakelen',
  'jobStep.failback1.allocateSlots':
    'fase 1/4 opnieuw beveiligen — de slots op het master target van de oorspronkelijke locatie toewijzen',
  'jobStep.failback1.moveDisks':
    'fase 1/4 opnieuw beveiligen — de oorspronkelijke schijven naar het master target verplaatsen',
  'jobStep.failback1.replicateBack': 'fase 1/4 opnieuw beveiligen — terug repliceren naar {source}',
  'jobStep.failback1.waitResync': 'fase 1/4 opnieuw beveiligen — wachten op de hersynchronisatie',
  'stepLog.dryRun.originalShell': {
    one: 'proefrun: {vm} ({id}) blijft geregistreerd als lege huls; de {count} schijf {disks} wordt de replica op {mt}',
    other:
      'proefrun: {vm} ({id}) blijft geregistreerd als lege huls; de {count} schijven {disks} worden de replica op {mt}',
  },
  'stepLog.originalShell': {
    one: '{vm} ({id}) blijft geregistreerd als lege huls; de {count} schijf {disks} wordt de replica op {mt}',
    other:
      '{vm} ({id}) blijft geregistreerd als lege huls; de {count} schijven {disks} worden de replica op {mt}',
  },
  'stepLog.dryRun.originalRuns':
    'proefrun: {vm} is {power} op {site} (een split brain na een ongeplande failover); de schijven worden de replica, dus hij wordt uitgeschakeld',
  'stepLog.originalRuns':
    '{vm} is {power} op {site} (een split brain na een ongeplande failover); de schijven worden de replica, dus hij wordt uitgeschakeld',
  'stepLog.originalsOff': 'alle oorspronkelijke VM’s staan al uit',
  'stepLog.dryRun.takeSlots': 'proefrun: {vm} zou SCSI {slots} op {mt} innemen',
  'stepLog.slotsHeld': {
    one: '{count} paar houdt zijn slots op {mt}',
    other: '{count} paren houden hun slots op {mt}',
  },
  'stepLog.dryRun.moveDisk':
    'proefrun: zou {file} loskoppelen van {vm} SCSI {from} (bestand blijft) en koppelen aan {mt} SCSI {to}',
  'stepLog.disksMoved': {
    one: '{count} schijf verplaatst naar {mt}',
    other: '{count} schijven verplaatst naar {mt}',
  },
  'stepLog.dryRun.reverseMove':
    'proefrun: {vm} zou van {state} → {committed} → {reprotecting} gaan (omgekeerd)',
  'stepLog.dryRun.reverseToMt':
    'proefrun: replicatie loopt van de herstelde VM’s op {target} naar de oorspronkelijke schijven op {mt}: controlesommen vergeleken, alleen de blokken die verschillen verstuurd',
  'stepLog.dryRun.reverseToSite': 'proefrun: replicatie loopt van {target} naar {source}',
  'stepLog.dryRun.pointsDropped': 'proefrun: de herstelpunten van de replica’s op {site} zouden vervallen',
  'stepLog.reprotectingToMt': {
    one: '{count} paar wordt opnieuw beveiligd; replicatie loopt van de herstelde VM op {target} naar de oorspronkelijke schijven op {mt}: controlesommen vergeleken, alleen de blokken die verschillen verstuurd',
    other:
      '{count} paren worden opnieuw beveiligd; replicatie loopt van de herstelde VM’s op {target} naar de oorspronkelijke schijven op {mt}: controlesommen vergeleken, alleen de blokken die verschillen verstuurd',
  },
  'stepLog.reprotectingToSite': {
    one: '{count} paar wordt opnieuw beveiligd; replicatie loopt van {target} naar {source}',
    other: '{count} paren worden opnieuw beveiligd; replicatie loopt van {target} naar {source}',
  },
  'stepLog.dryRun.waitProtected': 'proefrun: zou wachten tot elk paar beveiligd is van {from} naar {to}',
  'stepLog.allProtected': 'elk paar is beveiligd van {from} naar {to}',
  'stepLog.pointsDropped': {
    one: '{count} herstelpunt van de replica’s op {site} vervallen; die schijven draaien de machines nu',
    other: '{count} herstelpunten van de replica’s op {site} vervallen; die schijven draaien de machines nu',
  },
  'jobStep.failback.shutDownRecovered':
    'fase 2/4 failover terug naar {source} — de herstelde VM’s op {target} afsluiten',
  'jobStep.failback.finalSync': 'fase 2/4 failover terug naar {source} — laatste synchronisatie',
  'jobStep.failback.markFailoverPending':
    'fase 2/4 failover terug naar {source} — de paren op {state} zetten',
  'jobStep.failback.detachOriginals':
    'fase 2/4 failover terug naar {source} — de oorspronkelijke schijven van het master target loskoppelen',
  'jobStep.failback.attachToOriginals':
    'fase 2/4 failover terug naar {source} — de schijven aan de oorspronkelijke VM’s koppelen',
  'jobStep.failback.powerOnGroup':
    'fase 2/4 failover terug naar {source} — opstartgroep {group} op {source} inschakelen',
  'jobStep.failback.messageAfter': 'fase 2/4 failover terug naar {source} — bericht na groep {group}',
  'jobStep.failback.scriptAfter':
    'fase 2/4 failover terug naar {source} — script na groep {group}: {command}',
  'jobStep.failback.keepOriginals':
    'fase 3/4 vastleggen — de oorspronkelijke VM’s behouden en de paren op {state} zetten',
  'jobStep.failback.removeRecovered':
    'fase 4/4 opnieuw beveiligen vanaf {source} — de herstelde VM’s op {target} verwijderen, hun schijven blijven',
  'jobStep.failback.reattachReplicaDisks':
    'fase 4/4 opnieuw beveiligen vanaf {source} — de replicaschijven in hun slots aan het master target koppelen',
  'jobStep.failback.freeSlots':
    'fase 4/4 opnieuw beveiligen vanaf {source} — de slots op het master target van de oorspronkelijke locatie vrijgeven',
  'jobStep.failback.replicateForward':
    'fase 4/4 opnieuw beveiligen vanaf {source} — weer vooruit repliceren naar {target}',
  'jobStep.failback.waitResync':
    'fase 4/4 opnieuw beveiligen vanaf {source} — wachten op de hersynchronisatie',
  'stepLog.recoveredOff':
    'de herstelde VM’s staan uit: de oorspronkelijke schijven bevatten hun laatste schrijfacties (geen gegevensverlies)',
  'stepLog.dryRun.toPendingReverse': 'proefrun: {vm} zou naar {state} gaan (omgekeerd)',
  'stepLog.pairsPending': {
    one: '{count} paar nu {state}',
    other: '{count} paren nu {state}',
  },
  'stepLog.disksDetachedFrom': {
    one: '{count} schijf losgekoppeld van {vm}',
    other: '{count} schijven losgekoppeld van {vm}',
  },
  'stepLog.dryRun.attachTo': 'proefrun: zou {file} aan {vm} koppelen op SCSI {slot}',
  'stepLog.disksBackOnOriginals': {
    one: '{count} schijf terug op de oorspronkelijke VM',
    other: '{count} schijven terug op hun oorspronkelijke VM’s',
  },
  'stepLog.dryRun.powerOnAt': 'proefrun: zou {vm} op {site} inschakelen',
  'stepLog.dryRun.keepOriginal': 'proefrun: {vm} zou behouden blijven; het paar gaat naar {state}',
  'stepLog.runAgainOn': {
    one: '{count} machine draait weer op {site}',
    other: '{count} machines draaien weer op {site}',
  },
  'stepLog.dryRun.detachKeepDelete':
    'proefrun: zou {files} loskoppelen (bestanden blijven) en {vm} verwijderen',
  'stepLog.removedDisksKept': 'verwijderd, schijven behouden: {vms}',
  'stepLog.noRecoveredLeft': 'geen herstelde VM meer over',
  'stepLog.replicaDisksBackOnMt': {
    one: '{count} replicaschijf terug op haar master target',
    other: '{count} replicaschijven terug op hun master target',
  },
  'stepLog.dryRun.giveSlotsBack': 'proefrun: {vm} zou zijn slots op {mt} teruggeven',
  'stepLog.slotsGivenBack': {
    one: '{count} paar gaf zijn slots op {mt} terug',
    other: '{count} paren gaven hun slots op {mt} terug',
  },
  'stepLog.dryRun.forwardMove': 'proefrun: {vm} zou van {committed} → {reprotecting} gaan (vooruit)',
  'stepLog.dryRun.forwardToMt':
    'proefrun: replicatie loopt weer van {source} naar de replicaschijven op {mt}: controlesommen vergeleken, alleen de blokken die verschillen verstuurd',
  'stepLog.forwardReprotecting': {
    one: '{count} paar wordt opnieuw beveiligd; replicatie loopt weer van {source} naar de replicaschijven op {mt}: controlesommen vergeleken, alleen de blokken die verschillen verstuurd',
    other:
      '{count} paren worden opnieuw beveiligd; replicatie loopt weer van {source} naar de replicaschijven op {mt}: controlesommen vergeleken, alleen de blokken die verschillen verstuurd',
  },
  'stepLog.failbackDone': 'failback klaar: elk paar is beveiligd van {from} naar {to}',
  'jobStep.hv.enable': 'Hyper-V: replicatie naar de replicahost inschakelen',
  'jobStep.hv.waitInitial': 'Hyper-V: wachten op de eerste replicatie',
  'jobStep.hv.prepare':
    'Hyper-V: de laatste wijzigingen versturen (Start-VMFailover -Prepare op de primaire hosts)',
  'jobStep.hv.choosePoints': 'Hyper-V: de herstelpunten kiezen',
  'jobStep.hv.testFailover': 'Hyper-V: de testfailovers starten (Start-VMFailover -AsTest)',
  'jobStep.hv.failover': 'Hyper-V: failover van de replica’s (Start-VMFailover)',
  'jobStep.hv.removeTest': 'Hyper-V: de test-VM’s verwijderen (Stop-VMFailover)',
  'jobStep.hv.complete': 'Hyper-V: de failovers voltooien (Complete-VMFailover)',
  'jobStep.hv.cancel': 'Hyper-V: de failovers annuleren (Stop-VMFailover)',
  'jobStep.hv.replicateBack': 'Hyper-V: terug repliceren naar {source} (Set-VMReplication -Reverse)',
  'jobStep.hv.failBack':
    'Hyper-V: failover terug naar {source} (Start-VMFailover -Prepare, Start-VMFailover)',
  'jobStep.hv.completeBack': 'Hyper-V: de failovers terug voltooien (Complete-VMFailover)',
  'jobStep.hv.replicateForward':
    'Hyper-V: weer vooruit repliceren naar {target} (Set-VMReplication -Reverse)',
  'stepLog.dryRun.hvReplicates': 'proefrun: {vm} repliceert al ({state}) naar {replica}',
  'stepLog.dryRun.hvEnable': {
    one: 'proefrun: zou Hyper-V Replica van {vm} inschakelen van {from} naar {to} ({auth}, poort {port}, elke {seconds} s, {count} herstelpunt) en de eerste kopie over het netwerk starten',
    other:
      'proefrun: zou Hyper-V Replica van {vm} inschakelen van {from} naar {to} ({auth}, poort {port}, elke {seconds} s, {count} herstelpunten) en de eerste kopie over het netwerk starten',
  },
  'stepLog.dryRun.hvEnableVss': {
    one: 'proefrun: zou Hyper-V Replica van {vm} inschakelen van {from} naar {to} ({auth}, poort {port}, elke {seconds} s, {count} herstelpunt, app-consistent elke {hours} u) en de eerste kopie over het netwerk starten',
    other:
      'proefrun: zou Hyper-V Replica van {vm} inschakelen van {from} naar {to} ({auth}, poort {port}, elke {seconds} s, {count} herstelpunten, app-consistent elke {hours} u) en de eerste kopie over het netwerk starten',
  },
  'stepLog.hvEnabled':
    '{vm}: Hyper-V Replica ingeschakeld van {from} naar {to} ({auth}, poort {port}, elke {seconds} s)',
  'stepLog.hvInitialStarted': '{vm}: eerste kopie over het netwerk gestart',
  'stepLog.dryRun.hvSettings': {
    one: 'proefrun: zou Hyper-V Replica van {vm} op het beleid van het plan zetten (elke {seconds} s, {count} herstelpunt); nu elke {wasSeconds} s',
    other:
      'proefrun: zou Hyper-V Replica van {vm} op het beleid van het plan zetten (elke {seconds} s, {count} herstelpunten); nu elke {wasSeconds} s',
  },
  'stepLog.dryRun.hvSettingsVss': {
    one: 'proefrun: zou Hyper-V Replica van {vm} op het beleid van het plan zetten (elke {seconds} s, {count} herstelpunt, app-consistent elke {hours} u); nu elke {wasSeconds} s',
    other:
      'proefrun: zou Hyper-V Replica van {vm} op het beleid van het plan zetten (elke {seconds} s, {count} herstelpunten, app-consistent elke {hours} u); nu elke {wasSeconds} s',
  },
  'stepLog.hvSettings': {
    one: '{vm}: Hyper-V Replica op het beleid van het plan gezet (elke {seconds} s, {count} herstelpunt); was elke {wasSeconds} s',
    other:
      '{vm}: Hyper-V Replica op het beleid van het plan gezet (elke {seconds} s, {count} herstelpunten); was elke {wasSeconds} s',
  },
  'stepLog.hvSettingsVss': {
    one: '{vm}: Hyper-V Replica op het beleid van het plan gezet (elke {seconds} s, {count} herstelpunt, app-consistent elke {hours} u); was elke {wasSeconds} s',
    other:
      '{vm}: Hyper-V Replica op het beleid van het plan gezet (elke {seconds} s, {count} herstelpunten, app-consistent elke {hours} u); was elke {wasSeconds} s',
  },
  'stepLog.dryRun.hvReplicateUntil': {
    one: 'proefrun: {count} Hyper-V-machine zou repliceren tot Replicating',
    other: 'proefrun: {count} Hyper-V-machines zouden repliceren tot Replicating',
  },
  'stepLog.hvReplicating': '{vm}: Replicating ({health})',
  'stepLog.hvPairsProtected': {
    one: '{count} Hyper-V-paar beveiligd',
    other: '{count} Hyper-V-paren beveiligd',
  },
  'stepLog.dryRun.hvPrepare':
    'proefrun: zou {vm} op {host} voorbereiden op een geplande failover (verstuurt wat de replica mist)',
  'stepLog.hvPrepared':
    '{vm}: voorbereid op een geplande failover; de replica heeft de laatste schrijfacties',
  'stepLog.hvPoint': '{name} ({at}, {consistency}-consistent)',
  'stepLog.hvPointNoTime': '{name} (geen tijd, {consistency}-consistent)',
  'stepLog.hvPointChosen': '{vm}: herstelpunt {point} op {host}',
  'stepLog.dryRun.hvTestVm': 'proefrun: zou {vm} op {host} maken vanaf {point}',
  'stepLog.dryRun.hvTestVmLatest': 'proefrun: zou {vm} op {host} maken vanaf het laatste herstelpunt',
  'stepLog.hvTestVm':
    '{vm} op {host} vanaf {point}; de netwerkadapters zijn alleen verbonden waar de replica een testswitch noemt (de isolatie van een testfailover in Hyper-V)',
  'stepLog.hvTestVmLatest':
    '{vm} op {host} vanaf het laatste punt; de netwerkadapters zijn alleen verbonden waar de replica een testswitch noemt (de isolatie van een testfailover in Hyper-V)',
  'stepLog.dryRun.hvFailover': 'proefrun: zou een failover van {vm} op {host} doen naar {point}',
  'stepLog.dryRun.hvFailoverLatest':
    'proefrun: zou een failover van {vm} op {host} doen naar het laatste herstelpunt',
  'stepLog.hvFailedOverTo': '{vm}: failover op {host} naar {point}',
  'stepLog.hvFailedOver': '{vm}: failover op {host}',
  'stepLog.dryRun.hvRemoveTest': 'proefrun: zou {vm} verwijderen (Stop-VMFailover op {source})',
  'stepLog.vmRemoved': '{vm} verwijderd',
  'stepLog.dryRun.hvComplete': 'proefrun: zou de failover van {vm} voltooien (de herstelpunten vervallen)',
  'stepLog.hvCompleted': '{vm}: failover voltooid; de andere herstelpunten zijn vervallen',
  'stepLog.dryRun.hvCancel': 'proefrun: zou {vm} op {host} uitschakelen en de failover annuleren',
  'stepLog.hvCancelled': '{vm}: failover op {host} geannuleerd; weer Replicating',
  'stepLog.dryRun.hvCancelPrepared': 'proefrun: zou de voorbereide failover van {vm} op {host} annuleren',
  'stepLog.hvPrimaryAgain': '{vm}: {host} is weer de primaire host',
  'stepLog.dryRun.hvSplitBrainOff': 'proefrun: zou {vm} op {host} uitschakelen (hij draait: een split brain)',
  'stepLog.hvSplitBrainOff':
    '{vm} draait ook op {host} (een split brain na een ongeplande failover); hij wordt de replica en wordt dus uitgeschakeld',
  'stepLog.dryRun.hvReversePlanned':
    'proefrun: zou de replicatie van {vm} omkeren (Set-VMReplication -Reverse op {from}): {from} wordt de primaire host en repliceert naar {to} ({auth}, poort {port}); hij heeft al elke wijziging (geplande failover), dus de replicatie gaat meteen door',
  'stepLog.dryRun.hvReverseUnplanned':
    'proefrun: zou de replicatie van {vm} omkeren (Set-VMReplication -Reverse op {from}): {from} wordt de primaire host en repliceert naar {to} ({auth}, poort {port}); hij mist de laatste wijzigingen (ongeplande failover): een volledige eerste kopie gaat over het netwerk',
  'stepLog.hvReversedPlanned':
    '{vm}: replicatie omgekeerd; {from} is de primaire host, {to} de replica (hij heeft al elke wijziging (geplande failover), dus de replicatie gaat meteen door)',
  'stepLog.hvReversedUnplanned':
    '{vm}: replicatie omgekeerd; {from} is de primaire host, {to} de replica (hij mist de laatste wijzigingen (ongeplande failover): een volledige eerste kopie gaat over het netwerk)',
  'stepLog.dryRun.hvReplicatesFrom': 'proefrun: {vm} repliceert al vanaf {host} ({state})',
  'stepLog.hvInitialFrom': '{vm}: eerste kopie gestart vanaf {host}',
  'stepLog.hvResumedFrom': '{vm}: replicatie hervat vanaf {host}',
  'stepLog.hvReplicatingFrom': '{vm}: Replicating vanaf {host} ({health})',
  'stepLog.dryRun.hvFailBack':
    'proefrun: zou {vm} op {current} voorbereiden (verstuurt de laatste wijzigingen) en de failover op {original} doen',
  'stepLog.hvPreparedOn': '{vm}: voorbereid op {current}; {original} heeft de laatste schrijfacties',
  'stepLog.hvFailedBack': '{vm}: failover terug op {host}',
  'stepLog.dryRun.hvStart': 'proefrun: zou {vm} op {host} starten',
  'stepLog.dryRun.hvCompleteOn': 'proefrun: zou de failover van {vm} op {host} voltooien',
  'stepLog.hvCompletedBack': '{vm}: failover terug voltooid op {host}',
  'jobStep.mt.checkVm': 'de VM controleren',
  'jobStep.mt.register': 'het master target registreren',
  'jobStep.mt.addScsi': 'SCSI-controllers toevoegen',
  'stepLog.mtVm': '{vm} op {endpoint}: {family}, {free} van 60 slots vrij',
  'stepLog.mtVmRetention': '{vm} op {endpoint}: {family}, {free} van 60 slots vrij, retentie op {datastore}',
  'stepLog.nothingToChange': 'niets te wijzigen',
  'stepLog.dryRun.change': 'proefrun: zou uitvoeren: {change}',
  'stepLog.dryRun.mt.register':
    'proefrun: zou {name} registreren: VM {vm}, {family}, eigen schijven op geen SCSI-slot, geen retentie',
  'stepLog.dryRun.mt.registerRetention':
    'proefrun: zou {name} registreren: VM {vm}, {family}, eigen schijven op geen SCSI-slot, retentie {datastore}',
  'stepLog.dryRun.mt.registerSlots':
    'proefrun: zou {name} registreren: VM {vm}, {family}, eigen schijven op {slots}, geen retentie',
  'stepLog.dryRun.mt.registerSlotsRetention':
    'proefrun: zou {name} registreren: VM {vm}, {family}, eigen schijven op {slots}, retentie {datastore}',
  'stepLog.dryRun.mt.update':
    'proefrun: zou {name} bijwerken: VM {vm}, {family}, eigen schijven op geen SCSI-slot, geen retentie',
  'stepLog.dryRun.mt.updateRetention':
    'proefrun: zou {name} bijwerken: VM {vm}, {family}, eigen schijven op geen SCSI-slot, retentie {datastore}',
  'stepLog.dryRun.mt.updateSlots':
    'proefrun: zou {name} bijwerken: VM {vm}, {family}, eigen schijven op {slots}, geen retentie',
  'stepLog.dryRun.mt.updateSlotsRetention':
    'proefrun: zou {name} bijwerken: VM {vm}, {family}, eigen schijven op {slots}, retentie {datastore}',
  'stepLog.mtConfiguredAlready': '{name} is al geconfigureerd',
  'stepLog.mtRegistered': '{name} geregistreerd ({id}): {free} van 60 slots vrij',
  'stepLog.mtUpdated': '{name} bijgewerkt ({id}): {free} van 60 slots vrij',
  'stepLog.scsiPresent': 'elke benodigde SCSI-controller is aanwezig',
  'stepLog.dryRun.addPvscsi':
    'proefrun: zou een paravirtuele SCSI-controller op bus {bus} aan {vm} toevoegen',
  'stepLog.scsiControllersAdded': {
    one: '{vm}: {count} SCSI-controller toegevoegd',
    other: '{vm}: {count} SCSI-controllers toegevoegd',
  },
  'jobStep.resync': 'hersynchronisatie van {pair} starten',
  'stepLog.alreadyResyncing': '{vm} wordt al gehersynchroniseerd',
  'stepLog.dryRun.resync': 'proefrun: {vm} zou nu beginnen met hersynchroniseren',
  'stepLog.resyncStarted':
    '{vm}: hersynchronisatie gestart; de agent vergelijkt controlesommen en verstuurt de blokken die verschillen',
  'stepError.notReady': 'het plan is niet gereed: {checks}; zie het logboek van de stap voor de oplossingen',
  'stepError.noTargetVcenter': 'de doellocatie {site} heeft geen vSphere-eindpunt; voeg er een toe',
  'stepError.notVcenter': '{endpoint} is geen vCenter; de DR-workflows hebben er een nodig',
  'stepError.sameName':
    "{count} VM’s heten '{vm}' op {endpoint}; geef ze verschillende namen of gebruik de id",
  'stepError.sourceUnreachable': 'kan {vm} niet zoeken op de bronlocatie: {errors}',
  'stepError.noSourceVm':
    'geen VM met de naam {vm} op de bronlocatie {site}; corrigeer machines[].vm in het plan',
  'stepError.notProtected': '{vm} is niet beveiligd (geen paar); beveilig eerst het plan',
  'stepError.pairState': '{pairIs}; deze stap verplaatst alleen paren met de status {states}',
  'stepError.pairsBehind':
    '{pairs}; deze stap heeft de paren verder op de terugweg nodig: voer de taak opnieuw uit vanaf het begin',
  'stepError.scriptTimeout': 'script {command} was niet binnen {seconds} s klaar ({signal})',
  'stepError.scriptExit': 'script {command} eindigde met {code}',
  'stepError.notCreated': '{vm} is niet gemaakt; het kan geen nieuw adres krijgen',
  'stepError.reipNic': {
    one: '{vm}: reip.nic {nic} maar {recovered} heeft {count} NIC; corrigeer machines[].reip.nic in het plan',
    other:
      '{vm}: reip.nic {nic} maar {recovered} heeft {count} NIC’s; corrigeer machines[].reip.nic in het plan',
  },
  'stepError.cannotShutDown':
    'kan {vm} niet afsluiten: {errors}; een geplande failover heeft zijn bronnen nodig (gebruik een ongeplande failover)',
  'stepError.cannotShutDownMissing':
    'kan {vm} niet afsluiten: niet gevonden op de bronlocatie; een geplande failover heeft zijn bronnen nodig (gebruik een ongeplande failover)',
  'stepError.splitBrain': {
    one: 'split brain: {vms} draait nog op de bronlocatie; sluit de VM af, voer een geplande failover uit of bevestig met --accept-split-brain',
    other:
      'split brain: {vms} draaien nog op de bronlocatie; sluit ze af, voer een geplande failover uit of bevestig met --accept-split-brain',
  },
  'stepError.noPoint':
    "{vm} heeft geen herstelpunt dat past bij '{point}'; kies een ander (siteshift pairs points)",
  'stepError.placementMissing': 'plaatsing {where} / {datastore} staat niet op {endpoint}',
  'stepError.testNetworkMissing':
    'het testnetwerk {network} van het plan staat niet op {endpoint}; stel target.testNetwork in',
  'stepError.sourceNotVcenter': '{vm} staat op {endpoint}, dat geen vCenter is; het paar is een vSphere-paar',
  'stepError.nicUnmapped':
    'NIC {nic} van {vm} zit op {network}, dat target.networks niet koppelt aan een netwerk van {endpoint}',
  'stepError.nicUnknownNetwork':
    'NIC {nic} van {vm} zit op een onbekend netwerk, dat target.networks niet koppelt aan een netwerk van {endpoint}',
  'stepError.recoveredSameName':
    "{count} VM’s heten '{vm}' op {endpoint}; geef ze verschillende namen of stel recoveredName in het plan in",
  'stepError.notRecovered': '{vm} is niet hersteld',
  'stepError.nothingToCommit':
    '{vm} heeft geen herstelde VM om vast te leggen; draai terug of voer opnieuw een failover uit',
  'stepError.cannotRollBack':
    '{pairIs}; alleen een failover die nog niet is vastgelegd, kan worden teruggedraaid',
  'stepError.mtVmGone': 'master-target-VM {vm} ({id}) is verdwenen uit vCenter',
  'stepError.noDatastore': 'geen datastore {datastore} op {endpoint}',
  'stepError.errorDuringInitial': '{vm} kwam in een fouttoestand tijdens de eerste replicatie',
  'stepError.noRecoveredOnRecord':
    '{vm} heeft geen vastgelegde herstelde VM; de failover die hem maakte, is teruggedraaid of verwijderd',
  'stepError.recoveredGone':
    '{vm} ({id}) is verdwenen van {endpoint}; het is nu de bron van {source}, dus herstel hem vóór de failback',
  'stepError.originalNotOn':
    '{vm} is {power} op {site}; schakel hem in (of voer de failback opnieuw uit) voordat u vastlegt',
  'stepError.originalGone':
    '{vm} is verdwenen op {site}; schakel hem in (of voer de failback opnieuw uit) voordat u vastlegt',
  'stepError.noFreeSlot':
    '{mt} heeft geen vrij SCSI-slot voor de schijven van {vm}; registreer nog een master target op {site} en geef dat op (--master-target)',
  'stepError.siteNoVcenter': 'locatie {site} heeft geen vSphere-eindpunt; voeg er een toe',
  'stepError.originalUnreadable': 'kan {vm} niet lezen op de oorspronkelijke locatie: {errors}',
  'stepError.originalMissing':
    '{vm} is verdwenen van de oorspronkelijke locatie {site}; opnieuw beveiligen houdt de oorspronkelijke VM en hersynchroniseert zijn schijven, dus herstel hem (of verwijder het paar en beveilig de herstelde VM als nieuwe machine)',
  'stepError.slotCount':
    '{vm} bezet {slots} op {mt} voor {disks}; verwijder de slots van het paar daar (of het paar) en voer opnieuw uit',
  'stepError.slotCount.slots': { one: '{count} slot', other: '{count} slots' },
  'stepError.slotCount.disks': { one: '{count} schijf', other: '{count} schijven' },
  'stepError.noDisksLeft':
    '{vm} op {site} heeft geen schijven meer om te hersynchroniseren; herstel de schijven of verwijder het paar en beveilig de herstelde VM als nieuwe machine',
  'stepError.vmGone': '{vm} ({id}) is verdwenen van {endpoint}',
  'stepError.noReverseMt':
    'plan {plan} heeft nu vSphere-paren en deze taak noemt geen master target op {site} (hij is voorbereid toen het er geen had); start de taak opnieuw',
  'stepError.errorDuringReverse':
    '{vm} kwam in een fouttoestand tijdens de omgekeerde hersynchronisatie; zie de laatste fout (siteshift pairs list) en voer de taak opnieuw uit',
  'stepError.errorDuringForward':
    '{vm} kwam in een fouttoestand tijdens de voorwaartse hersynchronisatie; zie de laatste fout (siteshift pairs list) en voer de taak opnieuw uit',
  'stepError.offPath': '{pairIs}; deze stap verplaatst paren langs {path}',
  'stepError.hvNotHost': '{endpoint} is geen Hyper-V-host',
  'stepError.hvNoPrimary': '{vm} ({id}) staat op geen enkele Hyper-V-host van de bronlocatie {site}',
  'stepError.hvNoReplicaHost':
    'de doellocatie {site} heeft geen Hyper-V-host om {vm} naar te repliceren; voeg er een toe (siteshift endpoint add --site {site} hyperv …)',
  'stepError.hvManyReplicaHosts':
    'de doellocatie {site} heeft {count} Hyper-V-hosts en geen ervan bevat {vm} al; Siteshift repliceert naar een locatie met één Hyper-V-host',
  'stepError.hvNotReplicaServer':
    '{endpoint} ({server}) is geen Hyper-V Replica-server; schakel het daar in (Set-VMReplicationServer -ReplicationEnabled $true -AllowedAuthenticationType Kerberos -ReplicationAllowedFromAnyServer $true -DefaultStorageLocation …)',
  'stepError.hvNoCertificate':
    '{replica} accepteert alleen certificaatverificatie en op {primary} is geen certificaat ingesteld; stel er een in met Set-VMReplicationServer -CertificateThumbprint op {primary}',
  'stepError.hvReplicaError':
    '{vm}: Hyper-V Replica meldt {state}, status {health}; zie Get-VMReplication op {host}, los het op en beveilig opnieuw',
  'stepError.hvNoPoint': {
    one: "{vm} heeft geen Hyper-V-herstelpunt dat past bij '{point}' op {host} ({count} punt); kies een ander",
    other:
      "{vm} heeft geen Hyper-V-herstelpunt dat past bij '{point}' op {host} ({count} punten); kies een ander",
  },
  'stepError.hvNoTestVm': 'Start-VMFailover -AsTest op {host} is klaar, maar er is geen VM met de naam {vm}',
  'stepError.hvNotFailedOverByPlan':
    'voor {vm} is geen failover gedaan door dit plan; draai terug of voer opnieuw een failover uit',
  'stepError.hvNotFailedOver':
    '{vm} op {host} is {state}, geen failover; draai terug of voer opnieuw een failover uit',
  'stepError.hvReplicaErrorOn':
    '{vm}: Hyper-V Replica meldt {state}, status {health} op {host}; zie daar Get-VMReplication, los het op en voer de taak opnieuw uit',
  'stepError.hvNotFailedBack': '{vm} op {host} is {state}, geen failover terug; voer de failback opnieuw uit',
  'stepError.cannotBeMt': '{vm} kan geen master target {name} zijn: {findings}',
  'stepError.cannotResync':
    '{pairIs}; alleen een beveiligd paar of een paar dat een hersynchronisatie nodig heeft, kan worden gehersynchroniseerd',
};

/**
 * A step name, log line or job error in English with its key and values. A value said from a
 * word book (a step's name, a readiness check's finding) goes in as a part, worded with the line.
 */
export const sayStep: (key: StepWordKey, values?: Record<string, string | number | Text>) => Said =
  sayer(stepWordsEn);

/**
 * An error a step throws with its words: the step's error line and the job's error quote it in
 * a console's language. Its message is the English text, as every other error's.
 */
export function stepError(code: ErrorCode, said: Said): ApiError {
  return new ApiError(code, said, { words: said.words });
}

/**
 * The words an error was thrown with: a step's (stepError) or a refusal's (refusal-words.ts, as
 * when a step meets a pair in another state); none for any other error.
 */
export function errorWords(err: unknown): Worded | undefined {
  if (!(err instanceof ApiError)) return undefined;
  if (err.messageWords) return err.messageWords;
  const words = (err.details as { words?: Worded } | undefined)?.words;
  return typeof words?.key === 'string' ? words : undefined;
}

/** The workflow a readiness step checks for. */
export const readinessKindSaid = (kind: (typeof readinessKinds)[number]): Said =>
  sayStep(`readinessKind.${kind}`);
