import type { Locale } from './locale';
import { type Plural, speak, type Values } from './speak';

/**
 * The words of the exports (core/topology/export: the picture, the HTML file, the PDF runbook), in
 * English and Dutch: an operator hands the runbook to colleagues during an outage, in the language
 * they chose. The map's own words (kinds, health, pair states, a box's facts, the summary) are the
 * console's, from map-words.ts, so a box on paper says what it says on screen. JSON stays data.
 * Commands (`siteshift failover …`) are written as they are typed, in both languages.
 * A key missing from the Dutch fails typecheck.
 */
export const exportWordsEn = {
  // Shared by the formats
  'when.snapshot': 'Siteshift topology, snapshot of {when}',
  none: '(none)',
  'col.kind': 'Kind',
  'col.name': 'Name',
  'col.site': 'Site',
  'col.address': 'Address',
  'col.plan': 'Plan',
  'col.configServer': 'Configuration server',
  'col.machines': 'Machines',
  'col.vm': 'VM',
  'col.state': 'State',
  'col.rpo': 'RPO / threshold',
  'sourceKind.vsphere': 'vSphere',
  'sourceKind.hyperv': 'Hyper-V',
  'sourceKind.configserver': 'configuration server',
  'sourceKind.lab': 'Siteshift lab',
  'count.plans': { one: '{count} plan', other: '{count} plans' },
  'count.pairs': { one: '{count} pair', other: '{count} pairs' },
  'count.points': { one: '{count} recovery point', other: '{count} recovery points' },

  // The HTML file
  'html.title': 'Siteshift offline snapshot of {when}',
  'html.heading': 'Siteshift — offline snapshot',
  'html.meta': 'taken {when} · Siteshift {version} · {signed}',
  'html.signed': 'signed with key {key}',
  'html.unsigned': 'unsigned',
  'html.find': 'Find a VM, host or plan',
  'html.findPlaceholder': 'Find a VM, host or plan…',
  'html.matches': { one: '{count} match', other: '{count} matches' },
  'html.banner':
    'Offline snapshot of {when}: what the estate looked like then, not now. SHA-256 {digest}. Open the matching .siteshift.json in Siteshift to verify its digest and signature.',
  'html.topology': 'Topology',
  'html.sources': 'Sources',
  'html.plans': 'Plans',
  'html.pairs': 'Protected machines',
  'html.objects': 'Every object',
  'html.col.read': 'Read',
  'html.col.result': 'Result',
  'html.col.sites': 'Sites',
  'html.col.masterTarget': 'Master target',
  'html.col.bootGroups': 'Boot groups',
  'html.col.health': 'Health',
  'html.col.direction': 'Direction',
  'html.col.in': 'In',
  'html.col.details': 'Details',
  'html.notRead': 'not read: {error}',
  'html.through': 'through {server}',
  'html.directly': 'directly',
  'direction.forward': 'forward',
  'direction.reverse': 'reverse',

  // The PDF runbook: its first pages
  'pdf.title': 'Siteshift DR runbook',
  'pdf.infoTitle': 'Siteshift runbook {when}',
  'pdf.subject': 'Disaster recovery runbook',
  'pdf.footer': 'Siteshift DR runbook · {when} · page {page} of {pages}',
  'pdf.snapshot': 'Offline snapshot of {when}, written by Siteshift {version}.',
  'pdf.digest': 'SHA-256 of the export: {digest}',
  'pdf.signed': 'Signed with the key {key}.',
  'pdf.sources': 'Sources',
  'pdf.estate': 'Estate',
  'pdf.col.inventory': 'Inventory',
  'pdf.col.hosts': 'Hosts',
  'pdf.col.vms': 'VMs',
  'pdf.col.read': 'Read',
  'pdf.readOk': 'ok',
  'pdf.readFailed': 'failed: {error}',
  'pdf.plans': 'Plans',
  'pdf.noPlans':
    'This export has no protection plans (it was not taken from a configuration server): the runbook sections need an export with --server or from the console.',
  'pdf.topology': 'Topology at {when}',

  // The PDF runbook: the map's pages
  'map.inParts':
    'Printed in {parts} parts on the pages after this one ({rows} rows of {columns}) · {summary}',
  'map.part': '{heading}, part {part}',
  'map.partWhere': 'Row {row} of {rows}, column {column} of {columns}; page {page} of the {parts} parts.',

  // The PDF runbook: one plan
  'plan.title': 'Runbook: {plan}',
  'plan.intro': 'Configuration server {server} ({url}). State as exported at {when}. {source} -> {target}.',
  'plan.plan': 'Plan',
  'plan.col.setting': 'Setting',
  'plan.col.value': 'Value',
  'plan.sourceSite': 'Source site',
  'plan.targetSite': 'Target site',
  'plan.rpo': 'RPO threshold',
  'plan.retention': 'Retention',
  'plan.appConsistent': 'App-consistent points',
  'plan.every': 'every {interval}',
  'plan.parallel': 'Parallel recoveries',
  'plan.protected': 'Protected machines',
  'plan.masterTarget': 'Master target',
  'plan.col.os': 'OS',
  'plan.col.slots': 'Slots used / free',
  'plan.col.retentionDatastore': 'Retention datastore',
  'plan.col.latest': 'Latest point',
  'plan.col.latestApp': 'Latest app-consistent',
  'plan.noneYet': 'none yet',
  'plan.bootGroups': 'Boot groups (recovery order)',
  'plan.col.order': 'Order',
  'plan.group': 'Group {group}',
  'plan.after': '{vm} (after {names})',
  'plan.noBootGroups': 'No boot groups: all machines start together, within the parallelism limit.',
  'plan.mappings': 'Mappings',
  'plan.col.primary': 'Primary',
  'plan.col.recovery': 'Recovery',
  'plan.mapping.network': 'network',
  'plan.mapping.testNetwork': 'test network',
  'plan.mapping.cluster': 'cluster',
  'plan.mapping.host': 'host',
  'plan.mapping.datastore': 'datastore',
  'plan.mapping.folder': 'folder',
  'plan.recoveredVms': '(recovered VMs)',
  'plan.testFailoverOnly': '(test failover)',
  'plan.reip': 'Re-IP',
  'plan.col.nic': 'NIC',
  'plan.col.address': 'Recovery address',
  'plan.col.gateway': 'Gateway',
  'plan.col.dns': 'DNS',
  'plan.nic': 'NIC {nic}',
  'plan.noReip': 'No re-IP rules in this plan: recovered machines keep their addresses.',
  'plan.readiness': 'Readiness at export time',
  'plan.col.workflow': 'Workflow',
  'plan.col.check': 'Check',
  'plan.col.result': 'Result',
  'plan.col.detail': 'Detail and fix',
  'plan.fix': '{message} Fix: {fix}',
  'plan.noReadiness':
    'The configuration server reported no readiness results for this plan at export time: run the readiness check before acting.',
  'workflow.test': 'test failover',
  'workflow.planned': 'planned failover',
  'workflow.unplanned': 'unplanned failover',
  'workflow.failback': 'failback',
  'result.pass': 'pass',
  'result.warn': 'warn',
  'result.fail': 'fail',
  'result.not run': 'not run',
  'os.windows': 'Windows',
  'os.linux': 'Linux',

  // The PDF runbook: the steps
  'steps.checkLine': 'Done: ____   Time: ________   By: ______________',
  'steps.on': 'on {site}',
  'steps.onThrough': 'on {site} through master target {mt}',
  'steps.asTestCopies': 'as test copies {where}',
  'steps.onOriginal': 'on {site} (the original VMs)',
  'steps.allAtOnce': 'Every machine is recovered {where} and started, at most {parallelism} at a time.',
  'steps.bootGroup':
    'Boot group {group}: {machines} recovered {where} and started (at most {parallelism} at a time); check they are up before the next group.',
  'steps.ack':
    'The job waits for an acknowledgement of "{message}" (siteshift jobs ack JOB, or Acknowledge on the Jobs screen).',
  'steps.script': 'The configuration server runs {script}; check its result in the job log.',
  'steps.planScript': 'the plan script',
  'test.title': 'Test failover',
  'test.check':
    'Check readiness: siteshift plan check {plan} --for test (or Readiness on the Protection screen); note the recovery point to test.',
  'test.start':
    'Start the test failover: siteshift failover {plan} --type test. Replication keeps running; the copies go on the test network{network}.',
  'test.verify': 'Verify the test machines with their owners; record the results.',
  'test.cleanup': 'Remove the test copies: siteshift cleanup {plan}; check that they are gone.',
  'planned.title': 'Planned failover (no data loss)',
  'planned.announce': 'Announce the failover window to the contacts below; stop application changes.',
  'planned.check':
    'Check readiness: siteshift plan check {plan} --for planned; every pair must be protected (not resync-required or in error).',
  'planned.start':
    'Start the planned failover: siteshift failover {plan} --type planned. The source machines are shut down first and their last changes replicated.',
  'planned.reip': 'Apply the re-IP table below; update DNS where the table says so.',
  'planned.verify': 'Verify the applications with their owners.',
  'planned.commit':
    'Keep the failover: siteshift commit {plan} (the replicas stay pending until committed); or undo it: siteshift rollback {plan}.',
  'unplanned.title': 'Unplanned failover (primary site lost)',
  'unplanned.confirm':
    'Confirm the primary site is down or isolated: the sources must not come back on the network (split brain).',
  'unplanned.check': 'Check readiness: siteshift plan check {plan} --for unplanned.',
  'unplanned.point':
    'Choose the recovery point: latest, latest app-consistent, latest at or before a time, or a tag (see Protected machines above).',
  'unplanned.start':
    'Start the unplanned failover to that point: siteshift failover {plan} --type unplanned --point latest | latest-app | time:ISO | tag:NAME.',
  'unplanned.verify': 'Apply the re-IP table below; verify the applications with their owners.',
  'unplanned.commit':
    'Keep the failover: siteshift commit {plan}; or roll it back (siteshift rollback {plan}) and try another recovery point.',
  'failback.title': 'Failback',
  'failback.check':
    'Check readiness: siteshift plan check {plan} --for failback (a master target on {source} is needed; VMware failback lands on VMware VMs).',
  'failback.reprotect':
    'Reprotect after the failover is committed: siteshift reprotect {plan}. Replication turns round from {target} to {source}; the original VMs stay registered and their disks go to a master target on {source}.',
  'failback.wait':
    'Wait until every pair is protected in reverse (the resync compares checksums and sends only the blocks that differ).',
  'failback.run':
    'In a change window, run the guided failback: siteshift failback {plan}. It reprotects if needed, fails back (recovered machines shut down, final sync, the original VMs started in the boot order above), commits, and protects again from {source}; run it again to finish one that stopped.',
  'failback.verify': 'Verify the applications with their owners on the original site.',
  'contacts.title': 'Contacts',
  'contacts.col.role': 'Role',
  'contacts.col.reach': 'Phone / e-mail',
  'contacts.lead': 'Incident lead',
  'contacts.operator': 'DR operator',
  'contacts.owner': 'Application owner',
  'contacts.network': 'Network',
  'contacts.storage': 'Storage / virtualisation',
  'signoff.title': 'Sign-off',
  'signoff.col.signature': 'Signature and date',
  'signoff.prepared': 'Prepared by',
  'signoff.reviewed': 'Reviewed by',
  'signoff.approved': 'Approved by',
} as const;

export type ExportWordKey = keyof typeof exportWordsEn;
export type ExportWords = {
  readonly [K in ExportWordKey]: (typeof exportWordsEn)[K] extends string ? string : Plural;
};

export const exportWordsNl: ExportWords = {
  'when.snapshot': 'Siteshift-topologie, momentopname van {when}',
  none: '(geen)',
  'col.kind': 'Soort',
  'col.name': 'Naam',
  'col.site': 'Locatie',
  'col.address': 'Adres',
  'col.plan': 'Plan',
  'col.configServer': 'Configuratieserver',
  'col.machines': 'Machines',
  'col.vm': 'VM',
  'col.state': 'Status',
  'col.rpo': 'RPO / drempel',
  'sourceKind.vsphere': 'vSphere',
  'sourceKind.hyperv': 'Hyper-V',
  'sourceKind.configserver': 'configuratieserver',
  'sourceKind.lab': 'Siteshift-lab',
  'count.plans': { one: '{count} plan', other: '{count} plannen' },
  'count.pairs': { one: '{count} paar', other: '{count} paren' },
  'count.points': { one: '{count} herstelpunt', other: '{count} herstelpunten' },

  'html.title': 'Offline momentopname van Siteshift van {when}',
  'html.heading': 'Siteshift — offline momentopname',
  'html.meta': 'gemaakt {when} · Siteshift {version} · {signed}',
  'html.signed': 'ondertekend met sleutel {key}',
  'html.unsigned': 'niet ondertekend',
  'html.find': 'Zoek een VM, host of plan',
  'html.findPlaceholder': 'Zoek een VM, host of plan…',
  'html.matches': { one: '{count} treffer', other: '{count} treffers' },
  'html.banner':
    'Offline momentopname van {when}: hoe de omgeving er toen uitzag, niet nu. SHA-256 {digest}. Open het bijbehorende .siteshift.json-bestand in Siteshift om de hash en de handtekening te controleren.',
  'html.topology': 'Topologie',
  'html.sources': 'Bronnen',
  'html.plans': 'Plannen',
  'html.pairs': 'Beveiligde machines',
  'html.objects': 'Alle objecten',
  'html.col.read': 'Gelezen',
  'html.col.result': 'Resultaat',
  'html.col.sites': 'Locaties',
  'html.col.masterTarget': 'Master target',
  'html.col.bootGroups': 'Opstartgroepen',
  'html.col.health': 'Gezondheid',
  'html.col.direction': 'Richting',
  'html.col.in': 'In',
  'html.col.details': 'Gegevens',
  'html.notRead': 'niet gelezen: {error}',
  'html.through': 'via {server}',
  'html.directly': 'rechtstreeks',
  'direction.forward': 'heen',
  'direction.reverse': 'terug',

  'pdf.title': 'Siteshift-draaiboek voor uitwijk',
  'pdf.infoTitle': 'Siteshift-draaiboek {when}',
  'pdf.subject': 'Draaiboek voor uitwijk en herstel',
  'pdf.footer': 'Siteshift-draaiboek · {when} · pagina {page} van {pages}',
  'pdf.snapshot': 'Offline momentopname van {when}, geschreven door Siteshift {version}.',
  'pdf.digest': 'SHA-256 van de export: {digest}',
  'pdf.signed': 'Ondertekend met de sleutel {key}.',
  'pdf.sources': 'Bronnen',
  'pdf.estate': 'Omgeving',
  'pdf.col.inventory': 'Inventaris',
  'pdf.col.hosts': 'Hosts',
  'pdf.col.vms': 'VM’s',
  'pdf.col.read': 'Gelezen',
  'pdf.readOk': 'in orde',
  'pdf.readFailed': 'mislukt: {error}',
  'pdf.plans': 'Plannen',
  'pdf.noPlans':
    'Deze export bevat geen beveiligingsplannen (hij is niet van een configuratieserver gemaakt): voor de draaiboekhoofdstukken is een export met --server of vanuit de console nodig.',
  'pdf.topology': 'Topologie op {when}',

  'map.inParts': 'Afgedrukt in {parts} delen op de pagina’s hierna ({rows} rijen van {columns}) · {summary}',
  'map.part': '{heading}, deel {part}',
  'map.partWhere': 'Rij {row} van {rows}, kolom {column} van {columns}; pagina {page} van de {parts} delen.',

  'plan.title': 'Draaiboek: {plan}',
  'plan.intro': 'Configuratieserver {server} ({url}). Stand bij de export op {when}. {source} -> {target}.',
  'plan.plan': 'Plan',
  'plan.col.setting': 'Instelling',
  'plan.col.value': 'Waarde',
  'plan.sourceSite': 'Bronlocatie',
  'plan.targetSite': 'Doellocatie',
  'plan.rpo': 'RPO-drempel',
  'plan.retention': 'Bewaartermijn',
  'plan.appConsistent': 'Applicatieconsistente punten',
  'plan.every': 'elke {interval}',
  'plan.parallel': 'Gelijktijdige herstelacties',
  'plan.protected': 'Beveiligde machines',
  'plan.masterTarget': 'Master target',
  'plan.col.os': 'Besturingssysteem',
  'plan.col.slots': 'Slots gebruikt / vrij',
  'plan.col.retentionDatastore': 'Datastore voor bewaring',
  'plan.col.latest': 'Laatste punt',
  'plan.col.latestApp': 'Laatste applicatieconsistente',
  'plan.noneYet': 'nog geen',
  'plan.bootGroups': 'Opstartgroepen (volgorde van herstel)',
  'plan.col.order': 'Volgorde',
  'plan.group': 'Groep {group}',
  'plan.after': '{vm} (na {names})',
  'plan.noBootGroups':
    'Geen opstartgroepen: alle machines starten samen, binnen de grens voor gelijktijdig herstel.',
  'plan.mappings': 'Koppelingen',
  'plan.col.primary': 'Primair',
  'plan.col.recovery': 'Herstel',
  'plan.mapping.network': 'netwerk',
  'plan.mapping.testNetwork': 'testnetwerk',
  'plan.mapping.cluster': 'cluster',
  'plan.mapping.host': 'host',
  'plan.mapping.datastore': 'datastore',
  'plan.mapping.folder': 'map',
  'plan.recoveredVms': '(herstelde VM’s)',
  'plan.testFailoverOnly': '(testfailover)',
  'plan.reip': 'Nieuwe IP-adressen',
  'plan.col.nic': 'NIC',
  'plan.col.address': 'Adres na herstel',
  'plan.col.gateway': 'Gateway',
  'plan.col.dns': 'DNS',
  'plan.nic': 'NIC {nic}',
  'plan.noReip': 'Geen re-IP-regels in dit plan: herstelde machines houden hun adressen.',
  'plan.readiness': 'Gereedheid bij de export',
  'plan.col.workflow': 'Werkstroom',
  'plan.col.check': 'Controle',
  'plan.col.result': 'Uitkomst',
  'plan.col.detail': 'Toelichting en oplossing',
  'plan.fix': '{message} Oplossing: {fix}',
  'plan.noReadiness':
    'De configuratieserver meldde bij de export geen gereedheidsresultaten voor dit plan: voer de gereedheidscontrole uit voordat u handelt.',
  'workflow.test': 'testfailover',
  'workflow.planned': 'geplande failover',
  'workflow.unplanned': 'ongeplande failover',
  'workflow.failback': 'failback',
  'result.pass': 'geslaagd',
  'result.warn': 'waarschuwing',
  'result.fail': 'mislukt',
  'result.not run': 'niet uitgevoerd',
  'os.windows': 'Windows',
  'os.linux': 'Linux',

  'steps.checkLine': 'Gedaan: ____   Tijd: ________   Door: ______________',
  'steps.on': 'op {site}',
  'steps.onThrough': 'op {site} via master target {mt}',
  'steps.asTestCopies': 'als testkopieën {where}',
  'steps.onOriginal': 'op {site} (de oorspronkelijke VM’s)',
  'steps.allAtOnce': 'Elke machine wordt hersteld {where} en gestart, hoogstens {parallelism} tegelijk.',
  'steps.bootGroup':
    'Opstartgroep {group}: {machines} hersteld {where} en gestart (hoogstens {parallelism} tegelijk); controleer dat ze draaien voor de volgende groep.',
  'steps.ack':
    'De taak wacht op een bevestiging van "{message}" (siteshift jobs ack JOB, of Bevestigen op het scherm Taken).',
  'steps.script': 'De configuratieserver voert {script} uit; controleer het resultaat in het taaklog.',
  'steps.planScript': 'het script van het plan',
  'test.title': 'Testfailover',
  'test.check':
    'Controleer de gereedheid: siteshift plan check {plan} --for test (of Gereedheid op het scherm Beveiliging); noteer het herstelpunt om te testen.',
  'test.start':
    'Start de testfailover: siteshift failover {plan} --type test. De replicatie loopt door; de kopieën komen op het testnetwerk{network}.',
  'test.verify': 'Controleer de testmachines met hun eigenaren; leg de resultaten vast.',
  'test.cleanup': 'Verwijder de testkopieën: siteshift cleanup {plan}; controleer dat ze weg zijn.',
  'planned.title': 'Geplande failover (geen gegevensverlies)',
  'planned.announce':
    'Kondig het failovervenster aan bij de contactpersonen hieronder; stop wijzigingen in de applicaties.',
  'planned.check':
    'Controleer de gereedheid: siteshift plan check {plan} --for planned; elk paar moet beveiligd zijn (niet resync-required of in fout).',
  'planned.start':
    'Start de geplande failover: siteshift failover {plan} --type planned. De bronmachines worden eerst afgesloten en hun laatste wijzigingen gerepliceerd.',
  'planned.reip': 'Pas de re-IP-tabel hieronder toe; werk DNS bij waar de tabel dat zegt.',
  'planned.verify': 'Controleer de applicaties met hun eigenaren.',
  'planned.commit':
    'Behoud de failover: siteshift commit {plan} (de replica’s blijven in afwachting tot ze zijn vastgelegd); of draai hem terug: siteshift rollback {plan}.',
  'unplanned.title': 'Ongeplande failover (primaire locatie verloren)',
  'unplanned.confirm':
    'Bevestig dat de primaire locatie uitgevallen of geïsoleerd is: de bronnen mogen niet terugkomen op het netwerk (split brain).',
  'unplanned.check': 'Controleer de gereedheid: siteshift plan check {plan} --for unplanned.',
  'unplanned.point':
    'Kies het herstelpunt: het laatste, het laatste applicatieconsistente, het laatste op of voor een tijdstip, of een label (zie Beveiligde machines hierboven).',
  'unplanned.start':
    'Start de ongeplande failover naar dat punt: siteshift failover {plan} --type unplanned --point latest | latest-app | time:ISO | tag:NAME.',
  'unplanned.verify': 'Pas de re-IP-tabel hieronder toe; controleer de applicaties met hun eigenaren.',
  'unplanned.commit':
    'Behoud de failover: siteshift commit {plan}; of draai hem terug (siteshift rollback {plan}) en probeer een ander herstelpunt.',
  'failback.title': 'Failback',
  'failback.check':
    'Controleer de gereedheid: siteshift plan check {plan} --for failback (een master target op {source} is nodig; een VMware-failback komt uit op VMware-VM’s).',
  'failback.reprotect':
    'Beveilig opnieuw nadat de failover is vastgelegd: siteshift reprotect {plan}. De replicatie keert om van {target} naar {source}; de oorspronkelijke VM’s blijven geregistreerd en hun schijven gaan naar een master target op {source}.',
  'failback.wait':
    'Wacht tot elk paar in omgekeerde richting beveiligd is (de hersynchronisatie vergelijkt controlesommen en verstuurt alleen de blokken die verschillen).',
  'failback.run':
    'Voer in een wijzigingsvenster de begeleide failback uit: siteshift failback {plan}. Die beveiligt zo nodig opnieuw, schakelt terug (herstelde machines afgesloten, laatste synchronisatie, de oorspronkelijke VM’s gestart in de opstartvolgorde hierboven), legt vast en beveiligt opnieuw vanaf {source}; voer hem nogmaals uit om er een af te maken die stopte.',
  'failback.verify': 'Controleer de applicaties met hun eigenaren op de oorspronkelijke locatie.',
  'contacts.title': 'Contactpersonen',
  'contacts.col.role': 'Rol',
  'contacts.col.reach': 'Telefoon / e-mail',
  'contacts.lead': 'Incidentleider',
  'contacts.operator': 'DR-operator',
  'contacts.owner': 'Applicatie-eigenaar',
  'contacts.network': 'Netwerk',
  'contacts.storage': 'Opslag / virtualisatie',
  'signoff.title': 'Aftekenen',
  'signoff.col.signature': 'Handtekening en datum',
  'signoff.prepared': 'Opgesteld door',
  'signoff.reviewed': 'Gecontroleerd door',
  'signoff.approved': 'Goedgekeurd door',
};

const books: Record<Locale, ExportWords> = { en: exportWordsEn, nl: exportWordsNl };

/** An export's word in `locale`, plural by `count`, numbers among the values by the locale. */
export function exportWord(locale: Locale, key: ExportWordKey, values?: Values): string {
  return speak(locale, books[locale][key], values);
}

/** An entry as the book has it, for a page's own script to fill in (the HTML's match count). */
export function exportEntry<K extends ExportWordKey>(locale: Locale, key: K): ExportWords[K] {
  return books[locale][key];
}
