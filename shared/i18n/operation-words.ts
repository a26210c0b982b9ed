import { sayer } from './worded';

/**
 * What an endpoint's operations say when one cannot be done: the vSphere and Hyper-V operations
 * the configuration server's workflows run (core/vsphere, core/hyperv, core/inventory). They reach
 * the operator as a failed step's error, so they are worded as refusal-words.ts: the English book
 * makes the ApiError's message, the Dutch one lets a Dutch console say the same. vCenter's and
 * PowerShell's own text, names, paths and API names (CreateVM_Task, SearchIndex) are values, as sent.
 */
export const operationWordsEn = {
  // Paths and slots the caller gave
  'op.dsPathFile': '"{path}" is not a datastore path: write it as "[datastore] folder/file.vmdk"',
  'op.dsPathFolder': '"{path}" is not a datastore path: expected "[datastore] folder"',
  'op.dsPathVmx': '"{path}" is not a datastore path to a .vmx file: expected "[datastore] folder/name.vmx"',
  'op.scsiController': 'SCSI controller {controller} is out of range: use 0 to 3',
  'op.scsiUnit': 'SCSI unit {unit} cannot hold a disk: use 0-6 or 8-15 (unit 7 is the controller itself)',
  'op.scsiBus': 'SCSI bus number {bus} is out of range: a VM has SCSI buses 0 to 3',
  'op.scsiUnitOn':
    'SCSI unit {unit} cannot hold a disk on a controller of type {controllerType}: use 0-6 or 8-{max} (unit 7 is the controller itself)',
  'op.mac': '"{mac}" is not a MAC address: expected six hex pairs, e.g. 00:50:56:12:34:56',
  'op.diskCapacity': 'a new disk needs a capacity above 0 bytes',
  'op.placement': 'VM {vm}: the placement needs a cluster or a host',
  'op.diskOnBus': 'disk {disk} is on SCSI bus {bus}, which the spec does not create',
  // Objects that are not there, or not as expected
  'op.notFound': '{type} {id} was not found in vCenter',
  'op.notFoundRefresh': '{type} {id} was not found in vCenter; refresh the inventory',
  'op.vmNotFound': 'VM {vm} was not found on {endpoint}',
  'op.vmsNamed': "{count} VMs are named '{name}' on {endpoint}; name them apart or use the id",
  'op.hvVmsNamed': "{count} VMs are named '{name}' on {endpoint}; use the VM id",
  'op.notInDatacenter': '{type} {id} is not inside a datacenter',
  'op.noVmFolder': 'datacenter {datacenter} has no VM folder',
  'op.noPool': '{compute} has no resource pool to place {vm} in',
  'op.noDatastore': "no datastore named '{name}' on {endpoint}",
  'op.noBrowser': 'datastore {datastore} has no browser',
  'op.noControllerOnBus':
    'VM {vm} has no SCSI controller on bus {bus}; add one (configure the master target) first',
  'op.noControllerKey': 'VM {vm} has no SCSI controller with key {key}; read its hardware and pick one',
  'op.controllerTaken': 'VM {vm} already has a SCSI controller on bus {bus}',
  'op.controllerMissing': 'the SCSI controller on bus {bus} did not appear on VM {vm}',
  'op.noDisk': 'VM {vm} has no disk with key {key}',
  'op.diskAttachedElsewhere': '{file} is already attached to {vm} at SCSI {at}, not {wanted}',
  'op.slotTaken': 'SCSI {slot} of {vm} already holds {file}',
  'op.noNic': 'VM {vm} has no network adapter with key {key}',
  'op.nicNoType': 'the network adapter {key} of VM {vm} has no type',
  'op.noSwitch': 'port group {network} has no distributed switch',
  // What an endpoint lacks, or answered without
  'op.noManager': 'this endpoint has no {manager}',
  'op.noSearchIndexVm': 'this endpoint has no SearchIndex to find a VM by uuid',
  'op.noSearchIndexFolder': 'this endpoint has no SearchIndex to find a folder',
  'op.noNamespaceManager': 'this endpoint has no DatastoreNamespaceManager for {type} datastore {datastore}',
  'op.noTask': '{method} returned no task',
  'op.noNewVm': '{method} finished without returning the new VM',
  'op.noRegisteredVm': '{method} finished without returning the VM',
  'op.noClone': '{method} finished without returning the clone',
  'op.noSnapshot': '{method} finished without returning the snapshot',
  'op.noView': '{method} returned no view',
  'op.noCollector': '{method} returned no collector',
  'op.noFilter': '{method} returned no filter',
  'op.noReference': 'a property collector result has an object without a reference',
  // A vCenter task followed to its end
  'op.taskLeft': '{method}: stopped waiting (the task may still finish in vCenter)',
  'op.taskCancelled': '{method}: stopped; vCenter was asked to cancel the task {task}',
  'op.taskNotCancelled':
    '{method}: stopped waiting; the task {task} could not be cancelled and may still finish in vCenter',
  'op.taskTimeout': '{method}: the task did not finish within {ms} ms; it may still be running in vCenter',
  // Hyper-V
  'op.hvNoShutdown':
    "{vm} on {endpoint} did not shut down through its guest ({error}); it was not turned off. Fix the guest's Shutdown integration service and retry, or turn the VM off yourself and accept a crash-consistent copy.",
  // An operation an endpoint kind does not have, and why
  'op.unsupported': '{operation} is not available on {kind} endpoints: {why}',
  'op.why.replica':
    'Hyper-V recovers machines through Hyper-V Replica (failover of the replica VM), not from disk files',
  'op.why.replicaWorkflow':
    'Hyper-V recovers machines through Hyper-V Replica (failover of the replica VM), not from disk files; use the Hyper-V replication workflow',
  'op.why.replicaPoints': 'replica recovery points are Hyper-V Replica snapshots',
  'op.why.noCustomization':
    "Hyper-V has no guest customization; a Hyper-V Replica failover takes a replica VM's addresses from its failover TCP/IP settings (Set-VMNetworkAdapterFailoverConfiguration)",
  'op.why.volumes': 'a Hyper-V host has volumes, not datastores',
} as const;

export type OperationWordKey = keyof typeof operationWordsEn;
export type OperationWords = Readonly<Record<OperationWordKey, string>>;

export const operationWordsNl: OperationWords = {
  'op.dsPathFile': '"{path}" is geen datastorepad: schrijf het als "[datastore] map/bestand.vmdk"',
  'op.dsPathFolder': '"{path}" is geen datastorepad: verwacht "[datastore] map"',
  'op.dsPathVmx': '"{path}" is geen datastorepad naar een .vmx-bestand: verwacht "[datastore] map/naam.vmx"',
  'op.scsiController': 'SCSI-controller {controller} valt buiten het bereik: gebruik 0 tot en met 3',
  'op.scsiUnit':
    'SCSI-unit {unit} kan geen schijf bevatten: gebruik 0-6 of 8-15 (unit 7 is de controller zelf)',
  'op.scsiBus': 'SCSI-busnummer {bus} valt buiten het bereik: een VM heeft SCSI-bussen 0 tot en met 3',
  'op.scsiUnitOn':
    'SCSI-unit {unit} kan geen schijf bevatten op een controller van het type {controllerType}: gebruik 0-6 of 8-{max} (unit 7 is de controller zelf)',
  'op.mac': '"{mac}" is geen MAC-adres: verwacht zes hexadecimale paren, bijvoorbeeld 00:50:56:12:34:56',
  'op.diskCapacity': 'een nieuwe schijf heeft een capaciteit van meer dan 0 bytes nodig',
  'op.placement': 'VM {vm}: voor de plaatsing is een cluster of een host nodig',
  'op.diskOnBus': 'schijf {disk} staat op SCSI-bus {bus}, die de specificatie niet aanmaakt',
  'op.notFound': '{type} {id} is niet gevonden in vCenter',
  'op.notFoundRefresh': '{type} {id} is niet gevonden in vCenter; vernieuw de inventaris',
  'op.vmNotFound': 'VM {vm} is niet gevonden op {endpoint}',
  'op.vmsNamed':
    "Er zijn {count} VM's met de naam '{name}' op {endpoint}; geef ze verschillende namen of gebruik de id",
  'op.hvVmsNamed': "Er zijn {count} VM's met de naam '{name}' op {endpoint}; gebruik de id van de VM",
  'op.notInDatacenter': '{type} {id} ligt niet in een datacenter',
  'op.noVmFolder': 'datacenter {datacenter} heeft geen VM-map',
  'op.noPool': '{compute} heeft geen resourcepool om {vm} in te plaatsen',
  'op.noDatastore': "er is geen datastore met de naam '{name}' op {endpoint}",
  'op.noBrowser': 'datastore {datastore} heeft geen browser',
  'op.noControllerOnBus':
    'VM {vm} heeft geen SCSI-controller op bus {bus}; voeg er eerst een toe (configureer de master target)',
  'op.noControllerKey':
    'VM {vm} heeft geen SCSI-controller met sleutel {key}; lees de hardware van de VM en kies er een',
  'op.controllerTaken': 'VM {vm} heeft al een SCSI-controller op bus {bus}',
  'op.controllerMissing': 'de SCSI-controller op bus {bus} is niet verschenen op VM {vm}',
  'op.noDisk': 'VM {vm} heeft geen schijf met sleutel {key}',
  'op.diskAttachedElsewhere': '{file} is al aan {vm} gekoppeld op SCSI {at}, niet op {wanted}',
  'op.slotTaken': 'SCSI {slot} van {vm} bevat al {file}',
  'op.noNic': 'VM {vm} heeft geen netwerkadapter met sleutel {key}',
  'op.nicNoType': 'de netwerkadapter {key} van VM {vm} heeft geen type',
  'op.noSwitch': 'portgroep {network} heeft geen distributed switch',
  'op.noManager': 'dit eindpunt heeft geen {manager}',
  'op.noSearchIndexVm': 'dit eindpunt heeft geen SearchIndex om een VM op UUID te vinden',
  'op.noSearchIndexFolder': 'dit eindpunt heeft geen SearchIndex om een map te vinden',
  'op.noNamespaceManager':
    'dit eindpunt heeft geen DatastoreNamespaceManager voor {type}-datastore {datastore}',
  'op.noTask': '{method} gaf geen taak terug',
  'op.noNewVm': '{method} is klaar zonder de nieuwe VM terug te geven',
  'op.noRegisteredVm': '{method} is klaar zonder de VM terug te geven',
  'op.noClone': '{method} is klaar zonder de kloon terug te geven',
  'op.noSnapshot': '{method} is klaar zonder de snapshot terug te geven',
  'op.noView': '{method} gaf geen view terug',
  'op.noCollector': '{method} gaf geen collector terug',
  'op.noFilter': '{method} gaf geen filter terug',
  'op.noReference': 'een resultaat van de property collector bevat een object zonder referentie',
  'op.taskLeft': '{method}: wachten gestopt (de taak kan in vCenter nog afronden)',
  'op.taskCancelled': '{method}: gestopt; vCenter is gevraagd de taak {task} te annuleren',
  'op.taskNotCancelled':
    '{method}: wachten gestopt; de taak {task} kon niet worden geannuleerd en kan in vCenter nog afronden',
  'op.taskTimeout': '{method}: de taak is niet binnen {ms} ms klaar; mogelijk loopt ze in vCenter nog',
  'op.hvNoShutdown':
    '{vm} op {endpoint} is niet via het gastbesturingssysteem afgesloten ({error}); de VM is niet uitgeschakeld. Herstel de integratieservice Shutdown in de gast en probeer het opnieuw, of schakel de VM zelf uit en accepteer een crash-consistente kopie.',
  'op.unsupported': '{operation} is niet beschikbaar op {kind}-eindpunten: {why}',
  'op.why.replica':
    'Hyper-V herstelt machines via Hyper-V Replica (failover van de replica-VM), niet uit schijfbestanden',
  'op.why.replicaWorkflow':
    'Hyper-V herstelt machines via Hyper-V Replica (failover van de replica-VM), niet uit schijfbestanden; gebruik de Hyper-V-replicatieworkflow',
  'op.why.replicaPoints': 'herstelpunten van een replica zijn snapshots van Hyper-V Replica',
  'op.why.noCustomization':
    'Hyper-V kent geen gastaanpassing; bij een failover met Hyper-V Replica krijgt een replica-VM haar adressen uit haar TCP/IP-instellingen voor failover (Set-VMNetworkAdapterFailoverConfiguration)',
  'op.why.volumes': 'een Hyper-V-host heeft volumes, geen datastores',
};

/** An operation's error in English with its key and values (the ApiError's message and messageWords). */
export const sayOp = sayer(operationWordsEn);
