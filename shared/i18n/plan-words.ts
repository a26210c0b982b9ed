import type { BookLike } from './speak';

/**
 * What the configuration server says about a plan file held against its sites (server/plan-check.ts)
 * and against the plan it replaces (server/plans.ts), as word books (shared/i18n/worded.ts). Names,
 * states and what an endpoint answered are values, shown as sent.
 */
export const planWordsEn = {
  // The plan's machines on the source site
  'plan.hv.sameName':
    '{count} Hyper-V VMs are named {vm} on site {site} ({hosts}); rename one so the plan names one machine',
  'plan.vm.otherPlan': '{vm} is already protected by plan {plan}; a machine belongs to one plan',
  'plan.vm.noDisk': '{vm} has no virtual disk: there is nothing to replicate',
  'plan.hv.recoveredName':
    '{vm} is a Hyper-V VM: Hyper-V Replica recovers it under its own name; recoveredName is not used',
  'plan.hv.reip':
    '{vm} is a Hyper-V VM: its failover address is set on the replica (Set-VMNetworkAdapterFailoverConfiguration); reip is not applied',
  'plan.vm.sameName':
    '{count} VMs are named {vm} on site {site} ({folders}); rename one in vCenter so the plan names one machine',
  'plan.vm.replica':
    '{vm} on site {site} is a Hyper-V replica (the other end of a Hyper-V Replica pair); name the primary VM on the source site',
  'plan.vm.missing':
    '{vm} is not a VM on site {site} ({endpoints}); check the name as vCenter or Hyper-V shows it',
  'plan.vm.template':
    '{vm} is a template: it never runs, so there is nothing to fail over; protect the VMs deployed from it, or convert it to a VM in vCenter first',
  'plan.vm.gone':
    '{vm} is {state} in vCenter (its files or host are gone): its disks cannot be read; re-register or remove it in vCenter',
  'plan.vm.disconnected':
    '{vm} is disconnected (vCenter has lost its host): readiness and protect cannot act on it until the host reconnects',
  'plan.vm.noNic': {
    one: '{vm} has {count} NIC: nic {nic} does not exist (the first NIC is 0)',
    other: '{vm} has {count} NICs: nic {nic} does not exist (the first NIC is 0)',
  },

  // Networks
  'plan.net.unmapped':
    'source network "{network}" (used by {users}) has no mapping; add "{network}": <network on {site}>',
  'plan.net.unused': '"{network}" is not a network on site {site}; the mapping is unused',
  'plan.net.missing': '{network} is not a network on site {site}',
  'plan.net.testProduction': '{network} is also a production mapping: a test failover would not be isolated',

  // Master target
  'plan.mt.wrongOne':
    '{name} is a {family} master target; {machines} needs a {other} master target: split the plan by OS family',
  'plan.mt.wrongMany':
    '{name} is a {family} master target; {machines} need a {other} master target: split the plan by OS family',
  'plan.mt.machine': 'machines[{index}] {vm} ({guest})',
  'plan.mt.machineUnknown': 'machines[{index}] {vm} (unknown guest)',
  'plan.mt.slots':
    '{name} has {slots}; the machines not yet protected have {disks}: protect will fail until slots are freed or another master target is used',
  // Two counts in one line: each picks its own form, a part of the sentence
  'plan.mt.freeSlots': { one: '{count} free SCSI slot', other: '{count} free SCSI slots' },
  'plan.mt.disks': { one: '{count} disk', other: '{count} disks' },
  'plan.mt.gone': '{name} (VM {vm}) is not a VM on site {site} any more',

  // Placement
  'plan.place.cluster': '{cluster} is not a cluster on site {site} (clusters: {clusters})',
  'plan.place.host': '{host} is not a host on site {site}',
  'plan.place.datastore': '{datastore} is not a datastore on site {site} (datastores: {datastores})',
  'plan.place.none': 'none',
  'plan.place.inaccessible': '{datastore} is not accessible on site {site}',
  'plan.place.short':
    '{datastore} has {free} free; the replica disks of the machines not yet protected need {need}: choose a larger datastore or free space',
  'plan.place.folder':
    'no VM on site {site} is in folder {folder} (the inventory lists folders that hold VMs); create it in vCenter before a failover',
  'plan.names.taken':
    'a VM named {name} already exists on site {site}; a failover would collide with it (give recoveredName)',

  // The sites that could be read
  'plan.site.noEndpoint':
    'site {site} has no endpoint: its VMs, networks and datastores were not checked; add one with siteshift endpoint add',
  'plan.site.unread': 'could not read {endpoint} ({status}: {error}); what it holds was not checked',
  'plan.site.noInventory': 'site {site} has no vSphere or Hyper-V endpoint: its VMs were not checked',

  // The plan's references and the plan it replaces (server/plans.ts)
  'plan.ref.site': '{site} is not a site (sites: {sites})',
  'plan.ref.noSites': 'none yet: add one with siteshift site add',
  'plan.ref.sameSite': '{site} is also the source site; a plan protects from one site to another',
  'plan.ref.noMasterTarget':
    '{ref} is not a registered master target; register the VM with siteshift master-target add --site {site} --vm {ref}',
  'plan.ref.otherSiteMasterTarget': '{ref} is a master target of another site, not of {site}',
  'plan.script.adminOnly':
    'only an admin may define a script step (your role is {role}); ask an admin to apply this plan',
  'plan.paired.source': {
    one: 'cannot change the source site: the plan has {count} pair; remove its pairs before changing it',
    other: 'cannot change the source site: the plan has {count} pairs; remove its pairs before changing it',
  },
  'plan.paired.target': {
    one: 'cannot change the target site: the plan has {count} pair; remove its pairs before changing it',
    other: 'cannot change the target site: the plan has {count} pairs; remove its pairs before changing it',
  },
  'plan.paired.masterTarget': {
    one: 'cannot change the master target: the plan has {count} pair; remove its pairs before changing it',
    other: 'cannot change the master target: the plan has {count} pairs; remove its pairs before changing it',
  },
  'plan.paired.left': '{machines} left the plan but stay protected until their pairs are removed',
  'plan.busy.test': "{vm}'s test failover is running; clean up the test first",
  'plan.busy.testMore': {
    one: "{vm}'s test failover is running (and {count} more machine of the plan); clean up the test first",
    other: "{vm}'s test failover is running (and {count} more machines of the plan); clean up the test first",
  },
  'plan.busy.failover':
    '{vm} is failed over and waits for commit or rollback; commit or roll back the failover first',
  'plan.busy.failoverMore': {
    one: '{vm} is failed over and waits for commit or rollback (and {count} more machine of the plan); commit or roll back the failover first',
    other:
      '{vm} is failed over and waits for commit or rollback (and {count} more machines of the plan); commit or roll back the failover first',
  },
  'plan.busy.target': 'cannot change target.{key} now: {reason}',
  'plan.busy.leave': '{vm} cannot leave the plan now: {reason}',
  'plan.busy.machine': "cannot change {vm}'s {key} now: {reason}",
  'plan.hvPolicy.one': {
    one: '{machines} keeps the Hyper-V Replica settings it was enabled with (every {frequency} s, {count} recovery point, app-consistent every {vss} h) until the plan is protected again: Protect sets the new policy on its replication (Set-VMReplication)',
    other:
      '{machines} keeps the Hyper-V Replica settings it was enabled with (every {frequency} s, {count} recovery points, app-consistent every {vss} h) until the plan is protected again: Protect sets the new policy on its replication (Set-VMReplication)',
  },
  'plan.hvPolicy.many': {
    one: '{machines} keep the Hyper-V Replica settings they were enabled with (every {frequency} s, {count} recovery point, app-consistent every {vss} h) until the plan is protected again: Protect sets the new policy on their replication (Set-VMReplication)',
    other:
      '{machines} keep the Hyper-V Replica settings they were enabled with (every {frequency} s, {count} recovery points, app-consistent every {vss} h) until the plan is protected again: Protect sets the new policy on their replication (Set-VMReplication)',
  },
} as const;

export type PlanWordKey = keyof typeof planWordsEn;

export const planWordsNl: BookLike<typeof planWordsEn> = {
  'plan.hv.sameName':
    '{count} Hyper-V-VM’s heten {vm} op locatie {site} ({hosts}); hernoem er een zodat het plan één machine noemt',
  'plan.vm.otherPlan': '{vm} is al beveiligd door plan {plan}; een machine hoort bij één plan',
  'plan.vm.noDisk': '{vm} heeft geen virtuele schijf: er is niets te repliceren',
  'plan.hv.recoveredName':
    '{vm} is een Hyper-V-VM: Hyper-V Replica herstelt hem onder zijn eigen naam; recoveredName wordt niet gebruikt',
  'plan.hv.reip':
    '{vm} is een Hyper-V-VM: zijn failoveradres wordt op de replica ingesteld (Set-VMNetworkAdapterFailoverConfiguration); reip wordt niet toegepast',
  'plan.vm.sameName':
    '{count} VM’s heten {vm} op locatie {site} ({folders}); hernoem er een in vCenter zodat het plan één machine noemt',
  'plan.vm.replica':
    '{vm} op locatie {site} is een Hyper-V-replica (de andere kant van een Hyper-V Replica-paar); noem de primaire VM op de bronlocatie',
  'plan.vm.missing':
    '{vm} is geen VM op locatie {site} ({endpoints}); controleer de naam zoals vCenter of Hyper-V die toont',
  'plan.vm.template':
    '{vm} is een sjabloon: het draait nooit, dus er is niets om over te schakelen; beveilig de VM’s die ervan zijn uitgerold, of zet het eerst in vCenter om naar een VM',
  'plan.vm.gone':
    '{vm} is {state} in vCenter (de bestanden of de host zijn weg): de schijven kunnen niet worden gelezen; registreer hem opnieuw of verwijder hem in vCenter',
  'plan.vm.disconnected':
    '{vm} is niet verbonden (vCenter is de host kwijt): gereedheid en beveiligen kunnen er niets mee tot de host weer verbonden is',
  'plan.vm.noNic': {
    one: '{vm} heeft {count} NIC: nic {nic} bestaat niet (de eerste NIC is 0)',
    other: '{vm} heeft {count} NIC’s: nic {nic} bestaat niet (de eerste NIC is 0)',
  },

  'plan.net.unmapped':
    'bronnetwerk "{network}" (gebruikt door {users}) heeft geen koppeling; voeg "{network}": <netwerk op {site}> toe',
  'plan.net.unused': '"{network}" is geen netwerk op locatie {site}; de koppeling wordt niet gebruikt',
  'plan.net.missing': '{network} is geen netwerk op locatie {site}',
  'plan.net.testProduction':
    '{network} is ook een productiekoppeling: een testfailover zou niet geïsoleerd zijn',

  'plan.mt.wrongOne':
    '{name} is een {family}-master target; {machines} heeft een {other}-master target nodig: splits het plan per OS-familie',
  'plan.mt.wrongMany':
    '{name} is een {family}-master target; {machines} hebben een {other}-master target nodig: splits het plan per OS-familie',
  'plan.mt.machine': 'machines[{index}] {vm} ({guest})',
  'plan.mt.machineUnknown': 'machines[{index}] {vm} (onbekend gast-OS)',
  'plan.mt.slots':
    '{name} heeft {slots}; de nog niet beveiligde machines hebben {disks}: beveiligen mislukt tot er slots vrijkomen of een ander master target wordt gebruikt',
  'plan.mt.freeSlots': { one: '{count} vrij SCSI-slot', other: '{count} vrije SCSI-slots' },
  'plan.mt.disks': { one: '{count} schijf', other: '{count} schijven' },
  'plan.mt.gone': '{name} (VM {vm}) is geen VM meer op locatie {site}',

  'plan.place.cluster': '{cluster} is geen cluster op locatie {site} (clusters: {clusters})',
  'plan.place.host': '{host} is geen host op locatie {site}',
  'plan.place.datastore': '{datastore} is geen datastore op locatie {site} (datastores: {datastores})',
  'plan.place.none': 'geen',
  'plan.place.inaccessible': '{datastore} is niet toegankelijk op locatie {site}',
  'plan.place.short':
    '{datastore} heeft {free} vrij; de replicaschijven van de nog niet beveiligde machines hebben {need} nodig: kies een grotere datastore of maak ruimte vrij',
  'plan.place.folder':
    'geen VM op locatie {site} staat in map {folder} (de inventaris toont mappen die VM’s bevatten); maak hem vóór een failover aan in vCenter',
  'plan.names.taken':
    'er bestaat al een VM met de naam {name} op locatie {site}; een failover zou ermee botsen (geef recoveredName op)',

  'plan.site.noEndpoint':
    'locatie {site} heeft geen eindpunt: de VM’s, netwerken en datastores zijn niet gecontroleerd; voeg er een toe met siteshift endpoint add',
  'plan.site.unread': 'kon {endpoint} niet lezen ({status}: {error}); wat daar staat is niet gecontroleerd',
  'plan.site.noInventory':
    'locatie {site} heeft geen vSphere- of Hyper-V-eindpunt: de VM’s zijn niet gecontroleerd',

  'plan.ref.site': '{site} is geen locatie (locaties: {sites})',
  'plan.ref.noSites': 'nog geen: voeg er een toe met siteshift site add',
  'plan.ref.sameSite': '{site} is ook de bronlocatie; een plan beveiligt van de ene locatie naar een andere',
  'plan.ref.noMasterTarget':
    '{ref} is geen geregistreerd master target; registreer de VM met siteshift master-target add --site {site} --vm {ref}',
  'plan.ref.otherSiteMasterTarget': '{ref} is een master target van een andere locatie, niet van {site}',
  'plan.script.adminOnly':
    'alleen een beheerder mag een scriptstap opgeven (uw rol is {role}); vraag een beheerder dit plan toe te passen',
  'plan.paired.source': {
    one: 'de bronlocatie kan niet veranderen: het plan heeft {count} paar; verwijder eerst de paren',
    other: 'de bronlocatie kan niet veranderen: het plan heeft {count} paren; verwijder eerst de paren',
  },
  'plan.paired.target': {
    one: 'de doellocatie kan niet veranderen: het plan heeft {count} paar; verwijder eerst de paren',
    other: 'de doellocatie kan niet veranderen: het plan heeft {count} paren; verwijder eerst de paren',
  },
  'plan.paired.masterTarget': {
    one: 'het master target kan niet veranderen: het plan heeft {count} paar; verwijder eerst de paren',
    other: 'het master target kan niet veranderen: het plan heeft {count} paren; verwijder eerst de paren',
  },
  'plan.paired.left':
    '{machines} zijn uit het plan gehaald maar blijven beveiligd tot hun paren zijn verwijderd',
  'plan.busy.test': 'de testfailover van {vm} loopt; ruim eerst de test op',
  'plan.busy.testMore': {
    one: 'de testfailover van {vm} loopt (en van nog {count} machine van het plan); ruim eerst de test op',
    other: 'de testfailover van {vm} loopt (en van nog {count} machines van het plan); ruim eerst de test op',
  },
  'plan.busy.failover':
    '{vm} is overgeschakeld en wacht op vastleggen of terugdraaien; leg de failover eerst vast of draai hem terug',
  'plan.busy.failoverMore': {
    one: '{vm} is overgeschakeld en wacht op vastleggen of terugdraaien (net als nog {count} machine van het plan); leg de failover eerst vast of draai hem terug',
    other:
      '{vm} is overgeschakeld en wacht op vastleggen of terugdraaien (net als nog {count} machines van het plan); leg de failover eerst vast of draai hem terug',
  },
  'plan.busy.target': 'target.{key} kan nu niet veranderen: {reason}',
  'plan.busy.leave': '{vm} kan het plan nu niet verlaten: {reason}',
  'plan.busy.machine': '{key} van {vm} kan nu niet veranderen: {reason}',
  'plan.hvPolicy.one': {
    one: '{machines} houdt de Hyper-V Replica-instellingen waarmee hij werd ingeschakeld (elke {frequency} s, {count} herstelpunt, app-consistent elke {vss} u) tot het plan opnieuw wordt beveiligd: Beveiligen zet het nieuwe beleid op zijn replicatie (Set-VMReplication)',
    other:
      '{machines} houdt de Hyper-V Replica-instellingen waarmee hij werd ingeschakeld (elke {frequency} s, {count} herstelpunten, app-consistent elke {vss} u) tot het plan opnieuw wordt beveiligd: Beveiligen zet het nieuwe beleid op zijn replicatie (Set-VMReplication)',
  },
  'plan.hvPolicy.many': {
    one: '{machines} houden de Hyper-V Replica-instellingen waarmee ze werden ingeschakeld (elke {frequency} s, {count} herstelpunt, app-consistent elke {vss} u) tot het plan opnieuw wordt beveiligd: Beveiligen zet het nieuwe beleid op hun replicatie (Set-VMReplication)',
    other:
      '{machines} houden de Hyper-V Replica-instellingen waarmee ze werden ingeschakeld (elke {frequency} s, {count} herstelpunten, app-consistent elke {vss} u) tot het plan opnieuw wordt beveiligd: Beveiligen zet het nieuwe beleid op hun replicatie (Set-VMReplication)',
  },
};
