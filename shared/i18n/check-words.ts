import type { BookLike } from './speak';

/**
 * The readiness checks of server/readiness.ts as word books (shared/i18n/worded.ts): each check's
 * title, finding and fix are made from the English book, and a console words them from its own.
 * Names (VMs, hosts, datastores, networks, sites) and what an endpoint or a Hyper-V host answered
 * are values, shown as sent; a pair's state is worded with its machine (pair-state-words.ts,
 * pairIs.*), as a sentence reads it, not as the state machine's token.
 */
export const checkWordsEn = {
  // Titles
  'check.title.planMachines': 'Plan has machines',
  'check.title.placement': 'Placement on the target site',
  'check.title.siteEndpoint': 'Site {site} has an endpoint',
  'check.title.endpoint': 'Endpoint {name} reachable, credentials valid',
  'check.title.machinesExist': 'Machines exist on the source site',
  'check.title.machinesFree': 'Machines free to protect',
  'check.title.pairsHealthy': 'Pairs of the plan are healthy',
  'check.title.everyProtected': 'Every machine is protected',
  'check.title.pairsAllow.test': 'Pairs allow a test failover',
  'check.title.pairsAllow.planned': 'Pairs allow a planned failover',
  'check.title.pairsAllow.unplanned': 'Pairs allow an unplanned failover',
  'check.title.pairsAllow.failback': 'Pairs allow a failback',
  'check.title.pairsAllowWorkflow': 'Pairs allow the workflow',
  'check.title.mtForFailback': 'Master target on {site} for failback',
  'check.title.masterTarget': 'Master target',
  'check.title.mtOs': 'Master target OS family',
  'check.title.mtVm': 'Master target {name} exists and is powered on',
  'check.title.mtVmSpill': 'Master target {name} (spill) exists and is powered on',
  'check.title.slots': 'Free SCSI slot for every disk',
  'check.title.replicaFiles': 'Replica disks on the target datastores',
  'check.title.datastoreSpace': 'Space on datastore {datastore}',
  'check.title.compute': 'Cluster or host for recovered VMs',
  'check.title.networksMapped': 'Every source network has a mapping',
  'check.title.networksBack': 'Networks map back one to one',
  'check.title.testNetwork': 'Isolated test network',
  'check.title.heartbeats': 'Agent heartbeats fresh',
  'check.title.recoveryPoints': 'Recovery points to recover to',
  'check.title.names': 'No name collision on the target',
  'check.title.hypervServer': 'Hyper-V Replica server on {site}',
  'check.title.hypervReplicas': 'Hyper-V replicas can fail over',
  'check.title.reip': 'Re-IP by guest customization',
  'check.title.hypervConnection': '{from} can replicate to {to}',
  'check.title.hypervSpace': 'Space for the replicas on {endpoint}',

  // The plan itself
  'check.plan.noMachines': 'the plan has no machines',
  'check.plan.noMachinesFix': 'add machines to the plan file and apply it',
  'check.plan.machines': {
    one: '{count} machine',
    other: '{count} machines',
  },
  'check.plan.noPlacement':
    'the plan has no target.placement: no datastore for replica disks, no cluster or host for recovered VMs',
  'check.plan.noPlacementFix':
    'set target.placement { cluster or host, datastore } in the plan file and apply it',

  // Endpoints: why each site's endpoint matters to the workflow
  'check.endpoint.none.protect': 'site {site} has no endpoint (protect reads the source VMs and their disks)',
  'check.endpoint.none.planned':
    'site {site} has no endpoint (a planned failover shuts the source VMs down first)',
  'check.endpoint.none.failback': 'site {site} has no endpoint (failback lands on the original site)',
  'check.endpoint.none.unplanned':
    'site {site} has no endpoint (an unplanned failover does not need it (a reachable source risks a split brain))',
  'check.endpoint.none.test': 'site {site} has no endpoint (a test failover does not touch the source)',
  'check.endpoint.none.target':
    'site {site} has no endpoint (the recovered VMs and the master target are there)',
  'check.endpoint.noneFix': 'add its vCenter: siteshift endpoint add --site {site} vsphere ...',
  'check.endpoint.ok': '{name} answered and accepted its credentials',
  'check.endpoint.answeredAs': '{name} answered as {product}',
  // How an endpoint's read ended (server/estate.ts EndpointStatus), inside the findings above.
  'check.endpointStatus.ok': 'ok',
  'check.endpointStatus.unreachable': 'unreachable',
  'check.endpointStatus.invalid-login': 'invalid-login',
  'check.endpointStatus.identity-changed': 'identity-changed',
  'check.endpointStatus.error': 'error',
  // vSphere's power states, as findings say them ("rtm-mt-win-01 is poweredOff").
  'check.power.poweredOn': 'poweredOn',
  'check.power.poweredOff': 'poweredOff',
  'check.power.suspended': 'suspended',
  'check.endpoint.bad.protect': '{name}: {status}: {error} (protect reads the source VMs and their disks)',
  'check.endpoint.bad.planned':
    '{name}: {status}: {error} (a planned failover shuts the source VMs down first)',
  'check.endpoint.bad.failback': '{name}: {status}: {error} (failback lands on the original site)',
  'check.endpoint.bad.unplanned':
    '{name}: {status}: {error} (an unplanned failover does not need it (a reachable source risks a split brain))',
  'check.endpoint.bad.test': '{name}: {status}: {error} (a test failover does not touch the source)',
  'check.endpoint.bad.target':
    '{name}: {status}: {error} (the recovered VMs and the master target are there)',
  'check.endpoint.fix.unreachable':
    'check the network path from the configuration server to {name} and that the service runs; then run the checks again',
  'check.endpoint.fix.invalidLogin':
    'the stored account was refused: remove the endpoint and add it again with a valid account (siteshift endpoint remove/add)',
  'check.endpoint.fix.identityChanged':
    '{name} presents another certificate or host key than the pinned one: verify it with its administrator, then pin the new identity',
  'check.endpoint.fix.other': 'run siteshift endpoint test {name} for details',

  // Machines and pairs
  'check.machines.noVcenter': 'no vCenter of site {site} could be read',
  'check.machines.unread': '{endpoints} of site {site} could not be read',
  'check.machines.unreadFix': 'fix the source endpoints above, then run the checks again',
  'check.machines.missing': 'not found on site {site}: {machines}',
  'check.machines.missingFix':
    'correct the VM names in the plan file (as vCenter or Hyper-V shows them) and apply it',
  'check.machines.allFound': 'all {count} found',
  'check.pairs.elsewhere': 'already protected by another plan: {machines}',
  'check.pairs.elsewhereFix': 'remove them from this plan or from the other plan',
  'check.pairs.broken': 'in an error state: {machines}',
  'check.pairs.brokenFix':
    'protect re-enables them; look at their last error first (siteshift pairs list --plan)',
  'check.pairs.toProtect': '{toProtect} to protect, {paired} already paired',
  'check.pairs.unpaired': 'not protected by this plan: {machines}',
  'check.pairs.unpairedFix': 'protect them first: siteshift protect {plan}',
  'check.pairs.count': {
    one: '{count} pair',
    other: '{count} pairs',
  },
  'check.pairs.blocked.planned':
    '{blocked}; each must be protected (a planned failover ends with a final sync)',
  'check.pairs.blocked.failback':
    '{blocked}; each must have failed over (commit the failover first), or be on the way back',
  'check.pairs.blocked.test':
    '{blocked}; each must be in the forward direction, in a state a test failover can start from',
  'check.pairs.blocked.unplanned':
    '{blocked}; each must be in the forward direction, in a state an unplanned failover can start from',
  'check.pairs.blockedFix.home':
    'these machines run on the original site already: there is nothing to fail back',
  'check.pairs.blockedFix.commit':
    'commit the failover (siteshift commit {plan}) or wait for the running job',
  'check.pairs.blockedFix.reverse':
    'the plan runs on its recovery site, replicating back: bring it home with siteshift failback {plan}',
  'check.pairs.blockedFix.wait':
    'wait for replication (or resync) to finish, or end the running test/failover first',
  'check.pairs.allow.planned': 'every pair is protected (a planned failover ends with a final sync)',
  'check.pairs.allow.failback':
    'every pair has failed over (commit the failover first), or is on the way back',
  'check.pairs.allow.test':
    'every pair is in the forward direction, in a state a test failover can start from',
  'check.pairs.allow.unplanned':
    'every pair is in the forward direction, in a state an unplanned failover can start from',

  // Master target
  'check.mt.failbackMissing':
    'failback needs a {family} master target on the original site {site}; it has {have}',
  'check.mt.failbackMissingNone':
    'failback needs a {family} master target on the original site {site}; it has none',
  'check.mt.failbackMissingTwo':
    'failback needs a {family} and a {other} master target on the original site {site}; it has {have}',
  'check.mt.failbackMissingTwoNone':
    'failback needs a {family} and a {other} master target on the original site {site}; it has none',
  'check.mt.failbackMissingFix': 'register one: siteshift master-target add --site {site} --vm VM',
  'check.mt.gone': '{name} is no longer a registered master target',
  'check.mt.none': 'the plan names no master target',
  'check.mt.noneFix':
    'set target.masterTarget to a master target of {site} (siteshift master-target list) and apply the plan',
  'check.mt.osWrongOne': '{name} is {family}; {machines} is not',
  'check.mt.osWrongMany': '{name} is {family}; {machines} are not',
  'check.mt.osWrongFix':
    'split the plan by OS family: Windows machines need a Windows master target, Linux a Linux one',
  'check.mt.osOk': '{name} and every machine are {family}',
  'check.mt.unread': 'no vCenter of site {site} could be read to find {vm}',
  'check.mt.unreadNoSpill': 'no vCenter of site {site} could be read to find {vm}; no pair spills onto it',
  'check.mt.unreadFix': 'fix the endpoints above, then run the checks again',
  'check.mt.missing': 'VM {vm} is not on site {site}',
  'check.mt.missingNoSpill': 'VM {vm} is not on site {site}; no pair spills onto it',
  'check.mt.missingFix': 'restore the master target VM, or register another one and point the plan at it',
  'check.mt.off': '{vm} is {power}',
  'check.mt.offNoSpill': '{vm} is {power}; no pair spills onto it',
  'check.mt.offFix': 'power {vm} on',
  'check.mt.os': '{name} is registered as {family} but {vm} runs {guest}',
  'check.mt.osNoSpill': '{name} is registered as {family} but {vm} runs {guest}; no pair spills onto it',
  'check.mt.osUnknown': '{name} is registered as {family} but {vm} runs an unknown guest',
  'check.mt.osUnknownNoSpill':
    '{name} is registered as {family} but {vm} runs an unknown guest; no pair spills onto it',
  'check.mt.osFix': 'register the master target again with the right OS family',
  'check.mt.on': '{vm} is powered on',
  'check.mt.slotsShort': '{disks}, {slots} on {masterTargets} (4 controllers × 15 units, unit 7 reserved)',
  'check.mt.slotsShortFix':
    'protect fewer machines with this master target, or register another master target and split the plan',
  'check.mt.slots': '{disks}, {slots}',
  // Two counts in one finding: each picks its own form, a part of the sentence
  'check.mt.toAttach': { one: '{count} disk to attach', other: '{count} disks to attach' },
  'check.mt.freeSlots': { one: '{count} free slot', other: '{count} free slots' },

  // Replica disks
  'check.replica.missing': {
    one: '{count} replica disk file missing: {files}',
    other: '{count} replica disk files missing: {files}',
  },
  'check.replica.missingFix':
    "a failover would recover these machines without those disks: put the files back (from the datastore's backup), or take the machines out of the plan and protect them again (siteshift protect {plan})",
  'check.replica.unasked': 'could not look for the replica disks: {errors}',
  'check.replica.unaskedFix': 'fix the target endpoint above, then run the checks again',
  'check.replica.found': {
    one: '{count} replica disk file found on its datastore',
    other: '{count} replica disk files found on their datastores',
  },

  // Datastore and placement
  'check.ds.missing': '{datastore} is not a datastore on site {site}',
  'check.ds.missingFix':
    'set target.placement.datastore to a datastore of the target site and apply the plan',
  'check.ds.inaccessible': '{datastore} is not accessible',
  'check.ds.inaccessibleFix': 'restore access to the datastore from the target hosts',
  'check.ds.noCluster': '{cluster} is not a cluster on site {site}',
  'check.ds.noClusterFix': 'set target.placement.cluster to a cluster of the target site',
  'check.ds.noHost': '{host} is not a host on site {site}',
  'check.ds.noHostFix': 'set target.placement.host to a host of the target site',
  'check.ds.short': 'replica disks need {need}; {datastore} has {free} free',
  'check.ds.shortFix': 'free space on the datastore or choose a larger one in target.placement.datastore',
  'check.ds.enough': 'replica disks need {need}; {free} free',
  'check.ds.testGrow': 'the test copies may grow to {need}; {datastore} has {free} free',
  'check.ds.testGrowFix': 'keep the test short or free space on the datastore',
  'check.ds.free': '{datastore}: {free} free',

  // Networks
  'check.net.unmapped': 'no mapping for {networks}',
  'check.net.missing': 'mapped to networks missing on {site}: {mappings}',
  'check.net.unmappedAndMissing':
    'no mapping for {networks}; mapped to networks missing on {site}: {mappings}',
  'check.net.mappedFix': 'add the mappings under target.networks in the plan file and apply it',
  'check.net.mapped': {
    one: '{count} mapping',
    other: '{count} mappings',
  },
  'check.net.ambiguous': '"{to}" came from {from}',
  'check.net.ambiguousFix':
    "failback reconnects each VM to its original network; check the VMs' networks after failback",
  'check.net.noTest': 'the plan has no target.testNetwork',
  'check.net.noTestFix':
    'set target.testNetwork to an isolated network of the target site and apply the plan',
  'check.net.testMissing': '{network} is not a network on {site}',
  'check.net.testMissingFix': 'create it or correct target.testNetwork',
  'check.net.testProduction':
    '{network} is also a production network of the plan: test VMs would meet production',
  'check.net.testProductionFix': 'use a network without uplinks for target.testNetwork',

  // Agents and recovery points
  'check.agents.fresh': {
    one: '{count} agent reported in the last 15 minutes',
    other: '{count} agents reported in the last 15 minutes',
  },
  'check.agents.stale': 'no heartbeat for 15 minutes or more: {machines}',
  'check.agents.staleFix.planned':
    'restore the agents (or their process server) so the final sync can run, or run an unplanned failover',
  'check.agents.staleFix.other':
    'the latest recovery points of these machines may be older than their RPO; check the agents',
  'check.points.none': 'no recovery point yet: {machines}',
  'check.points.noneFix':
    'wait for initial replication to finish (siteshift pairs list --plan shows the progress)',
  'check.points.old': 'latest recovery point older than the RPO threshold: {machines}',
  'check.points.oldFix':
    'more data than the RPO allows would be lost; check replication before failing over, or accept the loss',
  'check.points.ok': 'every pair has a recovery point within its RPO',

  // Recovered names
  'check.names.free': 'every recovered name is free',
  'check.names.taken': 'VMs already named {names} exist on {site}',
  'check.names.takenFix': 'give those machines a recoveredName in the plan file, or remove the old VMs',

  // Hyper-V Replica
  'check.hv.noHost.one': 'no Hyper-V host of site {site} could be read; {machines} replicates to one',
  'check.hv.noHost.many': 'no Hyper-V host of site {site} could be read; {machines} replicate to one',
  'check.hv.noHostFix':
    'add the replica host (siteshift endpoint add --site {site} hyperv …) or fix its endpoint above',
  'check.hv.notServer.one': '{hosts} is not a Hyper-V Replica server',
  'check.hv.notServer.many': '{hosts} are not Hyper-V Replica servers',
  'check.hv.notServerFix':
    'on the replica host: Set-VMReplicationServer -ReplicationEnabled $true -AllowedAuthenticationType Kerberos -ReplicationAllowedFromAnyServer $true -DefaultStorageLocation <folder>, and open its port in the firewall',
  'check.hv.unconfigured': '{hosts}: no authentication type or port configured',
  'check.hv.unconfiguredFix':
    'set them with Set-VMReplicationServer -AllowedAuthenticationType … -KerberosAuthenticationPort 80 (or the certificate port 443)',
  'check.hv.server': '{host}: {auth} on port {port}',
  'check.hv.primary': '{vm}: the primary is {state} ({health})',
  'check.hv.primaryUnread': '{vm}: the primary is not read (no health)',
  'check.hv.noReplica': '{vm}: no replica on {site}',
  'check.hv.replicaState': '{vm}: the replica is {state}',
  'check.hv.replicaNoPoint': '{vm}: the replica is {state} with no recovery point yet',
  'check.hv.problemsFix.planned':
    'resume replication (Resume-VMReplication) and wait until it is Replicating, or run an unplanned failover',
  'check.hv.problemsFix.other':
    'wait for initial replication or resynchronisation to finish (Get-VMReplication on the replica host)',
  'check.hv.old': 'latest replication older than the RPO threshold: {machines}',
  'check.hv.lastReplication': '{vm} (last replication {at})',
  'check.hv.oldFix':
    'more data than the RPO allows would be lost; check replication health before failing over',
  'check.hv.ready': {
    one: '{count} Hyper-V replica ready',
    other: '{count} Hyper-V replicas ready',
  },
  'check.hv.connectionFailed': 'Test-VMReplicationConnection {to} {port} {auth}: {error}',
  'check.hv.connectionFix':
    'on {to}: allow inbound TCP {port} (Hyper-V Replica HTTP listener firewall rule), allow {from} as a primary (Set-VMReplicationServer -ReplicationAllowedFromAnyServer $true or an authorization entry), and check name resolution between the hosts',
  'check.hv.connected': '{auth} on port {port} answered',
  'check.hv.spaceUnread': 'could not read it: {error}',
  'check.hv.spaceUnreadFix': 'check the replica host, then run the checks again',
  'check.hv.notLocal': '{path} is not on a local volume Siteshift can measure',
  'check.hv.noLocation': 'the replica server has no default storage location',
  'check.hv.noLocationFix':
    'set one on a volume with room for the replicas: Set-VMReplicationServer -DefaultStorageLocation D:\\Replica',
  'check.hv.short': 'the initial copies need {need}; {volume} ({path}) has {free} free',
  'check.hv.shortFix':
    'free space on that volume or move the default storage location (Set-VMReplicationServer -DefaultStorageLocation) to a larger one',

  // Re-IP
  'check.reip.noNic': {
    one: 'machines[{index}].reip.nic is {nic} but {vm} has {count} NIC',
    other: 'machines[{index}].reip.nic is {nic} but {vm} has {count} NICs',
  },
  'check.reip.noNicFix': 'fix machines[].reip.nic in the plan file (0 is the first NIC) and apply it',
  'check.reip.windows':
    '{machines}: Windows guests are re-addressed by Sysprep: a new SID, and out of their domain (they join the reip workgroup, default WORKGROUP)',
  'check.reip.windowsFix':
    'join them to their domain again in the guest after the failover, or leave reip out for those that must keep their identity and set their address in the guest',
  'check.reip.ok': {
    one: '{count} machine re-addressed at first power-on (VMware Tools in the guest applies it)',
    other: '{count} machines re-addressed at first power-on (VMware Tools in the guest applies it)',
  },
  // A master target's own check (server/master-targets.ts)
  'mtcheck.title.vm': 'VM',
  'mtcheck.title.name': 'Name',
  'mtcheck.title.site': 'Site',
  'mtcheck.title.os': 'OS family',
  'mtcheck.title.power': 'Power',
  'mtcheck.title.slots': 'Slot map',
  'mtcheck.title.controllers': 'SCSI controllers',
  'mtcheck.title.retention': 'Retention datastore',
  'mtcheck.vm.ambiguousFix': 'rename the VMs apart on vCenter, then check again',
  'mtcheck.vm.noEndpoint': 'site {site} has no vSphere endpoint to find {vm} on',
  'mtcheck.vm.noEndpointNamed': 'site {site} has no vSphere endpoint named {endpoint} to find {vm} on',
  'mtcheck.vm.noEndpointFix': "add the site's vCenter (siteshift endpoint add --site {site} …)",
  'mtcheck.vm.missing': 'no VM named {vm} on {endpoints}',
  'mtcheck.vm.missingUnasked': 'no VM named {vm} on {endpoints} (could not ask: {errors})',
  'mtcheck.vm.unaskedFix': 'make the vCenter reachable (siteshift endpoint test), then check again',
  'mtcheck.vm.missingFix': "give the VM's name as vCenter shows it on site {site}",
  'mtcheck.vm.found': '{vm} ({id}) on {endpoint}',
  'mtcheck.name.taken': 'master target {name} is already VM {vm} ({id})',
  'mtcheck.name.takenFix': 'give this master target another name (--name)',
  'mtcheck.name.vmTaken': '{vm} is already master target {name}',
  'mtcheck.name.vmTakenFix': 'configure it as {name} (--name {name})',
  'mtcheck.name.registered': '{name} is registered: configure updates it',
  'mtcheck.name.new': '{name} is new',
  'mtcheck.site.other': 'master target {name} belongs to another site',
  'mtcheck.site.otherFix': 'give the site it is on',
  'mtcheck.os.unknown': 'vCenter does not say which OS {vm} runs',
  'mtcheck.os.unknownFix': 'give --os-family windows or linux',
  'mtcheck.os.mismatch': '{vm} runs {guest} ({family}), not {wanted}',
  'mtcheck.os.mismatchFix': 'choose a {wanted} VM: {wanted} sources need a {wanted} master target',
  'mtcheck.os.holds': '{name} holds replicas of {family} machines; it cannot become {wanted}',
  'mtcheck.os.holdsFix': 'remove its pairs first, or keep its OS family',
  'mtcheck.os.ok': '{family}: it takes {family} sources',
  'mtcheck.os.okGuest': '{family} ({guest}): it takes {family} sources',
  'mtcheck.power.on': '{vm} is powered on',
  'mtcheck.power.off': '{vm} is {power}: it receives no replication until it runs',
  'mtcheck.power.offFix': 'power {vm} on before protecting to it',
  'mtcheck.slots.clash':
    "SCSI {slot} holds {vm}'s own disk {file} but is allocated to the replica of {source}",
  'mtcheck.slots.clashFix':
    "move the master target's own disk off SCSI {slot} (or remove that pair and protect it again)",
  'mtcheck.slots.free':
    '{free} of 60 slots free: {own} held by its own disks ({ownSlots}), {replicas} by replica disks',
  'mtcheck.slots.none': 'none',
  'mtcheck.slots.fullFix': 'add another master target for more machines',
  'mtcheck.controllers': 'bus {buses} present',
  'mtcheck.controllersAdd': 'bus {buses} present; configure adds bus {add} (paravirtual)',
  'mtcheck.retention.unread': 'cannot read the datastores of {endpoint}: {error}',
  'mtcheck.retention.unreadFix': 'make the vCenter reachable, then check again',
  'mtcheck.retention.missing': 'no datastore {datastore} on {endpoint}',
  'mtcheck.retention.noDisk': '{vm} has no disk to take a datastore from',
  'mtcheck.retention.missingFix': 'give --retention-datastore, one of: {datastores}',
  'mtcheck.retention.inaccessible': '{datastore} is not accessible',
  'mtcheck.retention.inaccessibleFix': 'bring {datastore} back or choose another (--retention-datastore)',
  'mtcheck.retention.free': '{datastore}: {free} free of {capacity}',
  'mtcheck.retention.lowFix':
    'free space on {datastore} or choose another: recovery points grow with the retention window',
  'mtchange.register': 'register {vm} as master target {name} ({family})',
  'mtchange.os': 'OS family {from} → {to}',
  'mtchange.vm': 'VM {from} → {to} on {endpoint}',
  'mtchange.keep': 'keep SCSI {slots} for its own disks',
  'mtchange.keepNone': 'keep SCSI (none) for its own disks',
  'mtchange.retention': 'retention on {datastore}',
  'mtchange.controller': 'add a paravirtual SCSI controller on bus {bus}',
} as const;

export type CheckWordKey = keyof typeof checkWordsEn;

export const checkWordsNl: BookLike<typeof checkWordsEn> = {
  'check.title.planMachines': 'Plan heeft machines',
  'check.title.placement': 'Plaatsing op de doellocatie',
  'check.title.siteEndpoint': 'Locatie {site} heeft een eindpunt',
  'check.title.endpoint': 'Eindpunt {name} bereikbaar, aanmeldgegevens geldig',
  'check.title.machinesExist': 'Machines bestaan op de bronlocatie',
  'check.title.machinesFree': 'Machines vrij om te beveiligen',
  'check.title.pairsHealthy': 'Paren van het plan zijn gezond',
  'check.title.everyProtected': 'Elke machine is beveiligd',
  'check.title.pairsAllow.test': 'Paren staan een testfailover toe',
  'check.title.pairsAllow.planned': 'Paren staan een geplande failover toe',
  'check.title.pairsAllow.unplanned': 'Paren staan een ongeplande failover toe',
  'check.title.pairsAllow.failback': 'Paren staan een failback toe',
  'check.title.pairsAllowWorkflow': 'Paren staan de workflow toe',
  'check.title.mtForFailback': 'Master target op {site} voor failback',
  'check.title.masterTarget': 'Master target',
  'check.title.mtOs': 'OS-familie van het master target',
  'check.title.mtVm': 'Master target {name} bestaat en staat aan',
  'check.title.mtVmSpill': 'Master target {name} (uitwijk) bestaat en staat aan',
  'check.title.slots': 'Vrij SCSI-slot voor elke schijf',
  'check.title.replicaFiles': 'Replicaschijven op de doeldatastores',
  'check.title.datastoreSpace': 'Ruimte op datastore {datastore}',
  'check.title.compute': 'Cluster of host voor herstelde VM’s',
  'check.title.networksMapped': 'Elk bronnetwerk heeft een koppeling',
  'check.title.networksBack': 'Netwerken koppelen één op één terug',
  'check.title.testNetwork': 'Geïsoleerd testnetwerk',
  'check.title.heartbeats': 'Recente heartbeats van de agents',
  'check.title.recoveryPoints': 'Herstelpunten om naar te herstellen',
  'check.title.names': 'Geen naamconflict op het doel',
  'check.title.hypervServer': 'Hyper-V Replica-server op {site}',
  'check.title.hypervReplicas': 'Hyper-V-replica’s kunnen overschakelen',
  'check.title.reip': 'Nieuw IP-adres via gastaanpassing',
  'check.title.hypervConnection': '{from} kan repliceren naar {to}',
  'check.title.hypervSpace': 'Ruimte voor de replica’s op {endpoint}',

  'check.plan.noMachines': 'het plan heeft geen machines',
  'check.plan.noMachinesFix': 'voeg machines toe aan het planbestand en pas het toe',
  'check.plan.machines': {
    one: '{count} machine',
    other: '{count} machines',
  },
  'check.plan.noPlacement':
    'het plan heeft geen target.placement: geen datastore voor replicaschijven, geen cluster of host voor herstelde VM’s',
  'check.plan.noPlacementFix':
    'zet target.placement { cluster of host, datastore } in het planbestand en pas het toe',

  'check.endpoint.none.protect':
    'locatie {site} heeft geen eindpunt (beveiligen leest de bron-VM’s en hun schijven)',
  'check.endpoint.none.planned':
    'locatie {site} heeft geen eindpunt (een geplande failover sluit eerst de bron-VM’s af)',
  'check.endpoint.none.failback':
    'locatie {site} heeft geen eindpunt (failback komt uit op de oorspronkelijke locatie)',
  'check.endpoint.none.unplanned':
    'locatie {site} heeft geen eindpunt (een ongeplande failover heeft het niet nodig; een bereikbare bron riskeert een split brain)',
  'check.endpoint.none.test': 'locatie {site} heeft geen eindpunt (een testfailover raakt de bron niet aan)',
  'check.endpoint.none.target':
    'locatie {site} heeft geen eindpunt (de herstelde VM’s en het master target staan daar)',
  'check.endpoint.noneFix': 'voeg de vCenter toe: siteshift endpoint add --site {site} vsphere ...',
  'check.endpoint.ok': '{name} antwoordde en accepteerde de aanmeldgegevens',
  'check.endpoint.answeredAs': '{name} antwoordde als {product}',
  'check.endpointStatus.ok': 'in orde',
  'check.endpointStatus.unreachable': 'onbereikbaar',
  'check.endpointStatus.invalid-login': 'aanmelding geweigerd',
  'check.endpointStatus.identity-changed': 'identiteit gewijzigd',
  'check.endpointStatus.error': 'fout',
  'check.power.poweredOn': 'aan',
  'check.power.poweredOff': 'uitgeschakeld',
  'check.power.suspended': 'onderbroken',
  'check.endpoint.bad.protect': '{name}: {status}: {error} (beveiligen leest de bron-VM’s en hun schijven)',
  'check.endpoint.bad.planned':
    '{name}: {status}: {error} (een geplande failover sluit eerst de bron-VM’s af)',
  'check.endpoint.bad.failback':
    '{name}: {status}: {error} (failback komt uit op de oorspronkelijke locatie)',
  'check.endpoint.bad.unplanned':
    '{name}: {status}: {error} (een ongeplande failover heeft het niet nodig; een bereikbare bron riskeert een split brain)',
  'check.endpoint.bad.test': '{name}: {status}: {error} (een testfailover raakt de bron niet aan)',
  'check.endpoint.bad.target':
    '{name}: {status}: {error} (de herstelde VM’s en het master target staan daar)',
  'check.endpoint.fix.unreachable':
    'controleer het netwerkpad van de configuratieserver naar {name} en of de dienst draait; voer daarna de controles opnieuw uit',
  'check.endpoint.fix.invalidLogin':
    'het opgeslagen account werd geweigerd: verwijder het eindpunt en voeg het opnieuw toe met een geldig account (siteshift endpoint remove/add)',
  'check.endpoint.fix.identityChanged':
    '{name} toont een ander certificaat of een andere hostsleutel dan de vastgelegde: controleer het bij de beheerder en leg daarna de nieuwe identiteit vast',
  'check.endpoint.fix.other': 'voer siteshift endpoint test {name} uit voor details',

  'check.machines.noVcenter': 'geen vCenter van locatie {site} kon worden gelezen',
  'check.machines.unread': '{endpoints} van locatie {site} kon niet worden gelezen',
  'check.machines.unreadFix': 'herstel de broneindpunten hierboven en voer de controles opnieuw uit',
  'check.machines.missing': 'niet gevonden op locatie {site}: {machines}',
  'check.machines.missingFix':
    'corrigeer de VM-namen in het planbestand (zoals vCenter of Hyper-V ze toont) en pas het toe',
  'check.machines.allFound': 'alle {count} gevonden',
  'check.pairs.elsewhere': 'al beveiligd door een ander plan: {machines}',
  'check.pairs.elsewhereFix': 'haal ze uit dit plan of uit het andere plan',
  'check.pairs.broken': 'in een fouttoestand: {machines}',
  'check.pairs.brokenFix':
    'beveiligen schakelt ze opnieuw in; bekijk eerst hun laatste fout (siteshift pairs list --plan)',
  'check.pairs.toProtect': '{toProtect} te beveiligen, {paired} al gepaard',
  'check.pairs.unpaired': 'niet beveiligd door dit plan: {machines}',
  'check.pairs.unpairedFix': 'beveilig ze eerst: siteshift protect {plan}',
  'check.pairs.count': {
    one: '{count} paar',
    other: '{count} paren',
  },
  'check.pairs.blocked.planned':
    '{blocked}; elk moet beveiligd zijn (een geplande failover eindigt met een laatste synchronisatie)',
  'check.pairs.blocked.failback':
    '{blocked}; elk moet overgeschakeld zijn (leg eerst de failover vast) of op de weg terug zijn',
  'check.pairs.blocked.test':
    '{blocked}; elk moet in de voorwaartse richting staan, in een toestand waaruit een testfailover kan starten',
  'check.pairs.blocked.unplanned':
    '{blocked}; elk moet in de voorwaartse richting staan, in een toestand waaruit een ongeplande failover kan starten',
  'check.pairs.blockedFix.home':
    'deze machines draaien al op de oorspronkelijke locatie: er is niets terug te zetten',
  'check.pairs.blockedFix.commit':
    'leg de failover vast (siteshift commit {plan}) of wacht op de lopende taak',
  'check.pairs.blockedFix.reverse':
    'het plan draait op zijn herstellocatie en repliceert terug: breng het thuis met siteshift failback {plan}',
  'check.pairs.blockedFix.wait':
    'wacht tot de replicatie (of hersynchronisatie) klaar is, of beëindig eerst de lopende test of failover',
  'check.pairs.allow.planned':
    'elk paar is beveiligd (een geplande failover eindigt met een laatste synchronisatie)',
  'check.pairs.allow.failback': 'elk paar is overgeschakeld (leg eerst de failover vast) of op de weg terug',
  'check.pairs.allow.test':
    'elk paar staat in de voorwaartse richting, in een toestand waaruit een testfailover kan starten',
  'check.pairs.allow.unplanned':
    'elk paar staat in de voorwaartse richting, in een toestand waaruit een ongeplande failover kan starten',

  'check.mt.failbackMissing':
    'failback heeft een {family}-master target nodig op de oorspronkelijke locatie {site}; die heeft {have}',
  'check.mt.failbackMissingNone':
    'failback heeft een {family}-master target nodig op de oorspronkelijke locatie {site}; die heeft er geen',
  'check.mt.failbackMissingTwo':
    'failback heeft een {family}- en een {other}-master target nodig op de oorspronkelijke locatie {site}; die heeft {have}',
  'check.mt.failbackMissingTwoNone':
    'failback heeft een {family}- en een {other}-master target nodig op de oorspronkelijke locatie {site}; die heeft er geen',
  'check.mt.failbackMissingFix': 'registreer er een: siteshift master-target add --site {site} --vm VM',
  'check.mt.gone': '{name} is geen geregistreerd master target meer',
  'check.mt.none': 'het plan noemt geen master target',
  'check.mt.noneFix':
    'zet target.masterTarget op een master target van {site} (siteshift master-target list) en pas het plan toe',
  'check.mt.osWrongOne': '{name} is {family}; {machines} is dat niet',
  'check.mt.osWrongMany': '{name} is {family}; {machines} zijn dat niet',
  'check.mt.osWrongFix':
    'splits het plan per OS-familie: Windows-machines hebben een Windows-master target nodig, Linux-machines een Linux-master target',
  'check.mt.osOk': '{name} en elke machine zijn {family}',
  'check.mt.unread': 'geen vCenter van locatie {site} kon worden gelezen om {vm} te vinden',
  'check.mt.unreadNoSpill':
    'geen vCenter van locatie {site} kon worden gelezen om {vm} te vinden; er wijkt geen paar naar uit',
  'check.mt.unreadFix': 'herstel de eindpunten hierboven en voer de controles opnieuw uit',
  'check.mt.missing': 'VM {vm} staat niet op locatie {site}',
  'check.mt.missingNoSpill': 'VM {vm} staat niet op locatie {site}; er wijkt geen paar naar uit',
  'check.mt.missingFix':
    'zet de master-target-VM terug, of registreer een andere en laat het plan daarnaar wijzen',
  'check.mt.off': '{vm} is {power}',
  'check.mt.offNoSpill': '{vm} is {power}; er wijkt geen paar naar uit',
  'check.mt.offFix': 'zet {vm} aan',
  'check.mt.os': '{name} is geregistreerd als {family}, maar {vm} draait {guest}',
  'check.mt.osNoSpill':
    '{name} is geregistreerd als {family}, maar {vm} draait {guest}; er wijkt geen paar naar uit',
  'check.mt.osUnknown': '{name} is geregistreerd als {family}, maar {vm} draait een onbekend gast-OS',
  'check.mt.osUnknownNoSpill':
    '{name} is geregistreerd als {family}, maar {vm} draait een onbekend gast-OS; er wijkt geen paar naar uit',
  'check.mt.osFix': 'registreer het master target opnieuw met de juiste OS-familie',
  'check.mt.on': '{vm} staat aan',
  'check.mt.slotsShort':
    '{disks}, {slots} op {masterTargets} (4 controllers × 15 units, unit 7 gereserveerd)',
  'check.mt.slotsShortFix':
    'beveilig minder machines met dit master target, of registreer een ander master target en splits het plan',
  'check.mt.slots': '{disks}, {slots}',
  'check.mt.toAttach': { one: '{count} schijf aan te koppelen', other: '{count} schijven aan te koppelen' },
  'check.mt.freeSlots': { one: '{count} vrij slot', other: '{count} vrije slots' },

  'check.replica.missing': {
    one: '{count} replicaschijfbestand ontbreekt: {files}',
    other: '{count} replicaschijfbestanden ontbreken: {files}',
  },
  'check.replica.missingFix':
    'een failover zou deze machines zonder die schijven herstellen: zet de bestanden terug (uit de back-up van de datastore), of haal de machines uit het plan en beveilig ze opnieuw (siteshift protect {plan})',
  'check.replica.unasked': 'kon niet naar de replicaschijven zoeken: {errors}',
  'check.replica.unaskedFix': 'herstel het doeleindpunt hierboven en voer de controles opnieuw uit',
  'check.replica.found': {
    one: '{count} replicaschijfbestand gevonden op zijn datastore',
    other: '{count} replicaschijfbestanden gevonden op hun datastores',
  },

  'check.ds.missing': '{datastore} is geen datastore op locatie {site}',
  'check.ds.missingFix':
    'zet target.placement.datastore op een datastore van de doellocatie en pas het plan toe',
  'check.ds.inaccessible': '{datastore} is niet toegankelijk',
  'check.ds.inaccessibleFix': 'herstel de toegang tot de datastore vanaf de doelhosts',
  'check.ds.noCluster': '{cluster} is geen cluster op locatie {site}',
  'check.ds.noClusterFix': 'zet target.placement.cluster op een cluster van de doellocatie',
  'check.ds.noHost': '{host} is geen host op locatie {site}',
  'check.ds.noHostFix': 'zet target.placement.host op een host van de doellocatie',
  'check.ds.short': 'replicaschijven hebben {need} nodig; {datastore} heeft {free} vrij',
  'check.ds.shortFix': 'maak ruimte vrij op de datastore of kies een grotere in target.placement.datastore',
  'check.ds.enough': 'replicaschijven hebben {need} nodig; {free} vrij',
  'check.ds.testGrow': 'de testkopieën kunnen groeien tot {need}; {datastore} heeft {free} vrij',
  'check.ds.testGrowFix': 'houd de test kort of maak ruimte vrij op de datastore',
  'check.ds.free': '{datastore}: {free} vrij',

  'check.net.unmapped': 'geen koppeling voor {networks}',
  'check.net.missing': 'gekoppeld aan netwerken die op {site} ontbreken: {mappings}',
  'check.net.unmappedAndMissing':
    'geen koppeling voor {networks}; gekoppeld aan netwerken die op {site} ontbreken: {mappings}',
  'check.net.mappedFix': 'voeg de koppelingen toe onder target.networks in het planbestand en pas het toe',
  'check.net.mapped': {
    one: '{count} koppeling',
    other: '{count} koppelingen',
  },
  'check.net.ambiguous': '"{to}" kwam van {from}',
  'check.net.ambiguousFix':
    'failback verbindt elke VM weer met het oorspronkelijke netwerk; controleer na de failback de netwerken van de VM’s',
  'check.net.noTest': 'het plan heeft geen target.testNetwork',
  'check.net.noTestFix':
    'zet target.testNetwork op een geïsoleerd netwerk van de doellocatie en pas het plan toe',
  'check.net.testMissing': '{network} is geen netwerk op {site}',
  'check.net.testMissingFix': 'maak het aan of corrigeer target.testNetwork',
  'check.net.testProduction':
    '{network} is ook een productienetwerk van het plan: test-VM’s zouden productie tegenkomen',
  'check.net.testProductionFix': 'gebruik voor target.testNetwork een netwerk zonder uplinks',

  'check.agents.fresh': {
    one: '{count} agent meldde zich in de afgelopen 15 minuten',
    other: '{count} agents meldden zich in de afgelopen 15 minuten',
  },
  'check.agents.stale': '15 minuten of langer geen heartbeat: {machines}',
  'check.agents.staleFix.planned':
    'herstel de agents (of hun processerver) zodat de laatste synchronisatie kan lopen, of voer een ongeplande failover uit',
  'check.agents.staleFix.other':
    'de laatste herstelpunten van deze machines kunnen ouder zijn dan hun RPO; controleer de agents',
  'check.points.none': 'nog geen herstelpunt: {machines}',
  'check.points.noneFix':
    'wacht tot de eerste replicatie klaar is (siteshift pairs list --plan toont de voortgang)',
  'check.points.old': 'laatste herstelpunt ouder dan de RPO-drempel: {machines}',
  'check.points.oldFix':
    'er zou meer data verloren gaan dan de RPO toestaat; controleer de replicatie voor de failover, of aanvaard het verlies',
  'check.points.ok': 'elk paar heeft een herstelpunt binnen zijn RPO',

  'check.names.free': 'elke herstelde naam is vrij',
  'check.names.taken': 'er bestaan al VM’s met de naam {names} op {site}',
  'check.names.takenFix': 'geef die machines een recoveredName in het planbestand, of verwijder de oude VM’s',

  'check.hv.noHost.one':
    'geen Hyper-V-host van locatie {site} kon worden gelezen; {machines} repliceert naar een ervan',
  'check.hv.noHost.many':
    'geen Hyper-V-host van locatie {site} kon worden gelezen; {machines} repliceren naar een ervan',
  'check.hv.noHostFix':
    'voeg de replicahost toe (siteshift endpoint add --site {site} hyperv …) of herstel het eindpunt hierboven',
  'check.hv.notServer.one': '{hosts} is geen Hyper-V Replica-server',
  'check.hv.notServer.many': '{hosts} zijn geen Hyper-V Replica-servers',
  'check.hv.notServerFix':
    'op de replicahost: Set-VMReplicationServer -ReplicationEnabled $true -AllowedAuthenticationType Kerberos -ReplicationAllowedFromAnyServer $true -DefaultStorageLocation <map>, en open de poort in de firewall',
  'check.hv.unconfigured': '{hosts}: geen authenticatietype of poort ingesteld',
  'check.hv.unconfiguredFix':
    'stel ze in met Set-VMReplicationServer -AllowedAuthenticationType … -KerberosAuthenticationPort 80 (of de certificaatpoort 443)',
  'check.hv.server': '{host}: {auth} op poort {port}',
  'check.hv.primary': '{vm}: de primaire VM is {state} ({health})',
  'check.hv.primaryUnread': '{vm}: de replicatie van de primaire VM is niet gelezen (geen gezondheidsstatus)',
  'check.hv.noReplica': '{vm}: geen replica op {site}',
  'check.hv.replicaState': '{vm}: de replica is {state}',
  'check.hv.replicaNoPoint': '{vm}: de replica is {state} en heeft nog geen herstelpunt',
  'check.hv.problemsFix.planned':
    'hervat de replicatie (Resume-VMReplication) en wacht tot ze Replicating is, of voer een ongeplande failover uit',
  'check.hv.problemsFix.other':
    'wacht tot de eerste replicatie of hersynchronisatie klaar is (Get-VMReplication op de replicahost)',
  'check.hv.old': 'laatste replicatie ouder dan de RPO-drempel: {machines}',
  'check.hv.lastReplication': '{vm} (laatste replicatie {at})',
  'check.hv.oldFix':
    'er zou meer data verloren gaan dan de RPO toestaat; controleer de replicatiestatus voor de failover',
  'check.hv.ready': {
    one: '{count} Hyper-V-replica gereed',
    other: '{count} Hyper-V-replica’s gereed',
  },
  'check.hv.connectionFailed': 'Test-VMReplicationConnection {to} {port} {auth}: {error}',
  'check.hv.connectionFix':
    'op {to}: sta inkomend TCP {port} toe (firewallregel voor de HTTP-listener van Hyper-V Replica), sta {from} toe als primaire server (Set-VMReplicationServer -ReplicationAllowedFromAnyServer $true of een autorisatie-item), en controleer de naamomzetting tussen de hosts',
  'check.hv.connected': '{auth} op poort {port} antwoordde',
  'check.hv.spaceUnread': 'kon het niet lezen: {error}',
  'check.hv.spaceUnreadFix': 'controleer de replicahost en voer de controles opnieuw uit',
  'check.hv.notLocal': '{path} staat niet op een lokaal volume dat Siteshift kan meten',
  'check.hv.noLocation': 'de replicaserver heeft geen standaardopslaglocatie',
  'check.hv.noLocationFix':
    'stel er een in op een volume met ruimte voor de replica’s: Set-VMReplicationServer -DefaultStorageLocation D:\\Replica',
  'check.hv.short': 'de eerste kopieën hebben {need} nodig; {volume} ({path}) heeft {free} vrij',
  'check.hv.shortFix':
    'maak ruimte vrij op dat volume of verplaats de standaardopslaglocatie (Set-VMReplicationServer -DefaultStorageLocation) naar een groter volume',

  'check.reip.noNic': {
    one: 'machines[{index}].reip.nic is {nic}, maar {vm} heeft {count} NIC',
    other: 'machines[{index}].reip.nic is {nic}, maar {vm} heeft {count} NIC’s',
  },
  'check.reip.noNicFix':
    'corrigeer machines[].reip.nic in het planbestand (0 is de eerste NIC) en pas het toe',
  'check.reip.windows':
    '{machines}: Windows-gasten krijgen hun nieuwe adres via Sysprep: een nieuwe SID, en ze verlaten hun domein (ze komen in de reip-werkgroep, standaard WORKGROUP)',
  'check.reip.windowsFix':
    'voeg ze na de failover in de gast weer aan hun domein toe, of laat reip weg voor machines die hun identiteit moeten houden en stel hun adres in de gast in',
  'check.reip.ok': {
    one: '{count} machine krijgt bij de eerste keer aanzetten een nieuw adres (VMware Tools in de gast past het toe)',
    other:
      '{count} machines krijgen bij de eerste keer aanzetten een nieuw adres (VMware Tools in de gast past het toe)',
  },
  'mtcheck.title.vm': 'VM',
  'mtcheck.title.name': 'Naam',
  'mtcheck.title.site': 'Locatie',
  'mtcheck.title.os': 'OS-familie',
  'mtcheck.title.power': 'Aan/uit',
  'mtcheck.title.slots': 'Slotindeling',
  'mtcheck.title.controllers': 'SCSI-controllers',
  'mtcheck.title.retention': 'Bewaardatastore',
  'mtcheck.vm.ambiguousFix': 'geef de VM’s in vCenter verschillende namen en controleer opnieuw',
  'mtcheck.vm.noEndpoint': 'locatie {site} heeft geen vSphere-eindpunt om {vm} op te zoeken',
  'mtcheck.vm.noEndpointNamed':
    'locatie {site} heeft geen vSphere-eindpunt met de naam {endpoint} om {vm} op te zoeken',
  'mtcheck.vm.noEndpointFix': 'voeg de vCenter van de locatie toe (siteshift endpoint add --site {site} …)',
  'mtcheck.vm.missing': 'geen VM met de naam {vm} op {endpoints}',
  'mtcheck.vm.missingUnasked': 'geen VM met de naam {vm} op {endpoints} (kon niet vragen: {errors})',
  'mtcheck.vm.unaskedFix': 'maak de vCenter bereikbaar (siteshift endpoint test) en controleer opnieuw',
  'mtcheck.vm.missingFix': 'geef de naam van de VM zoals vCenter die toont op locatie {site}',
  'mtcheck.vm.found': '{vm} ({id}) op {endpoint}',
  'mtcheck.name.taken': 'master target {name} is al VM {vm} ({id})',
  'mtcheck.name.takenFix': 'geef dit master target een andere naam (--name)',
  'mtcheck.name.vmTaken': '{vm} is al master target {name}',
  'mtcheck.name.vmTakenFix': 'configureer het als {name} (--name {name})',
  'mtcheck.name.registered': '{name} is geregistreerd: configureren werkt het bij',
  'mtcheck.name.new': '{name} is nieuw',
  'mtcheck.site.other': 'master target {name} hoort bij een andere locatie',
  'mtcheck.site.otherFix': 'geef de locatie waar het staat',
  'mtcheck.os.unknown': 'vCenter zegt niet welk OS {vm} draait',
  'mtcheck.os.unknownFix': 'geef --os-family windows of linux',
  'mtcheck.os.mismatch': '{vm} draait {guest} ({family}), niet {wanted}',
  'mtcheck.os.mismatchFix': 'kies een {wanted}-VM: {wanted}-bronnen hebben een {wanted}-master target nodig',
  'mtcheck.os.holds': '{name} bevat replica’s van {family}-machines; het kan geen {wanted} worden',
  'mtcheck.os.holdsFix': 'verwijder eerst de paren, of houd de OS-familie',
  'mtcheck.os.ok': '{family}: het neemt {family}-bronnen',
  'mtcheck.os.okGuest': '{family} ({guest}): het neemt {family}-bronnen',
  'mtcheck.power.on': '{vm} staat aan',
  'mtcheck.power.off': '{vm} is {power}: het ontvangt geen replicatie tot het draait',
  'mtcheck.power.offFix': 'zet {vm} aan voordat u ernaartoe beveiligt',
  'mtcheck.slots.clash':
    'SCSI {slot} bevat de eigen schijf {file} van {vm}, maar is toegewezen aan de replica van {source}',
  'mtcheck.slots.clashFix':
    'verplaats de eigen schijf van het master target van SCSI {slot} (of verwijder dat paar en beveilig het opnieuw)',
  'mtcheck.slots.free':
    '{free} van 60 slots vrij: {own} bezet door de eigen schijven ({ownSlots}), {replicas} door replicaschijven',
  'mtcheck.slots.none': 'geen',
  'mtcheck.slots.fullFix': 'voeg een ander master target toe voor meer machines',
  'mtcheck.controllers': 'bus {buses} aanwezig',
  'mtcheck.controllersAdd': 'bus {buses} aanwezig; configureren voegt bus {add} toe (paravirtual)',
  'mtcheck.retention.unread': 'kan de datastores van {endpoint} niet lezen: {error}',
  'mtcheck.retention.unreadFix': 'maak de vCenter bereikbaar en controleer opnieuw',
  'mtcheck.retention.missing': 'geen datastore {datastore} op {endpoint}',
  'mtcheck.retention.noDisk': '{vm} heeft geen schijf om een datastore van te nemen',
  'mtcheck.retention.missingFix': 'geef --retention-datastore, een van: {datastores}',
  'mtcheck.retention.inaccessible': '{datastore} is niet toegankelijk',
  'mtcheck.retention.inaccessibleFix': 'breng {datastore} terug of kies een andere (--retention-datastore)',
  'mtcheck.retention.free': '{datastore}: {free} vrij van {capacity}',
  'mtcheck.retention.lowFix':
    'maak ruimte vrij op {datastore} of kies een andere: herstelpunten groeien met de bewaartermijn',
  'mtchange.register': '{vm} registreren als master target {name} ({family})',
  'mtchange.os': 'OS-familie {from} → {to}',
  'mtchange.vm': 'VM {from} → {to} op {endpoint}',
  'mtchange.keep': 'SCSI {slots} vrijhouden voor de eigen schijven',
  'mtchange.keepNone': 'SCSI (geen) vrijhouden voor de eigen schijven',
  'mtchange.retention': 'bewaring op {datastore}',
  'mtchange.controller': 'een paravirtual SCSI-controller toevoegen op bus {bus}',
};
