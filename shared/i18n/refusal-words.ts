import type { BookLike } from './speak';
import { sayer } from './worded';

/**
 * What the configuration server refuses (the ApiErrors its routes, stores and workflows throw),
 * as word books (shared/i18n/worded.ts): the English book makes the error's message, which the
 * CLI prints and tests read; the Dutch one lets a Dutch console word the same refusal. Another
 * system's text inside a refusal (a zod message, a vCenter's error, a list of names) is a value,
 * shown as sent.
 */
export const refusalWordsEn = {
  // Not found
  'refusal.noPlan': "no protection plan with id or name '{ref}'",
  'refusal.noPair': "no pair with id '{id}'",
  'refusal.noJob': "no job with id '{id}'",
  'refusal.noSite': "no site named '{ref}'; create it with 'siteshift site add'",
  'refusal.noEndpoint': "no endpoint with id or name '{ref}'",
  'refusal.noProcessServer': "no process server with id or name '{ref}'",
  'refusal.noProcessServerId': "no process server with id '{id}'",
  'refusal.noMasterTarget': "no master target with id or name '{ref}'",
  'refusal.noMasterTargetId': "no master target with id '{id}'",
  'refusal.noToken': "no token with id or name '{ref}'",
  'refusal.noAgent': "no agent with id '{id}'; register it again",
  'refusal.noVsphereEndpoint':
    'the site has no vSphere endpoint to find the VM on; add one with siteshift endpoint add, or give --os and --vm-id',
  'refusal.noVm': "no VM named '{vm}' on the site's vSphere endpoints",
  'refusal.noVmBecause': "no VM named '{vm}' on the site's vSphere endpoints ({errors})",
  // Names that are not unique, rows that clash
  'refusal.endpointsNamed': "several endpoints are named '{ref}'; use the id",
  'refusal.tokensNamed': "several tokens are named '{ref}'; revoke by id",
  'refusal.exists': '{what} already exists',
  'refusal.referenced': '{what} is still referenced by other objects (or refers to one that does not exist)',
  'refusal.what.token': 'that token',
  'refusal.what.plan': "plan '{name}'",
  'refusal.what.planNamed': "a plan named '{name}'",
  'refusal.what.pair': 'a pair for {vm} on that site',
  'refusal.what.site': "a site named '{name}'",
  'refusal.what.endpoint': "an endpoint named '{name}' on that site",
  'refusal.what.endpointInUse': "endpoint '{name}' (remove its master targets first)",
  'refusal.what.processServer': "a process server named '{name}'",
  'refusal.what.masterTarget': "a master target named '{name}'",
  // Plans
  'refusal.planRemoved': "plan '{plan}' was removed since you reviewed it; review the changes again",
  'refusal.planChanged': "plan '{plan}' was changed at {at} since you reviewed it; review the changes again",
  'refusal.planHasPairs': {
    one: "plan '{plan}' still has {count} pair ({names}); remove its pairs first",
    other: "plan '{plan}' still has {count} pairs ({names}); remove its pairs first",
  },
  'refusal.planInvalid': 'the plan is not valid: {issues}',
  'refusal.planIssue': '{path}: {message}',
  'refusal.planNeeded': 'this workflow runs on a plan: give the plan name or id',
  'refusal.planUnprotected':
    'plan {plan} has no protected machines yet; protect it first (siteshift protect {plan})',
  'refusal.planNoMasterTarget':
    'plan {plan} names no master target (target.masterTarget); add one to the plan file and apply it',
  'refusal.planNoPlacement':
    'plan {plan} has no target.placement (cluster or host, datastore); add it to the plan file and apply it',
  'refusal.planNoPlacementShort': 'plan {plan} has no target.placement',
  'refusal.planNamesNoMasterTarget': 'plan {plan} names no master target',
  // Pairs
  'refusal.sitesSame': 'sourceSite and targetSite must differ',
  'refusal.hypervNoMasterTarget':
    '{vm} replicates with Hyper-V Replica: it takes no master target and no process server',
  'refusal.masterTargetElsewhere': 'master target {mt} is not on the target site {site}',
  'refusal.masterTargetFamily':
    "{vm} is a {family} machine but master target '{mt}' runs {mtFamily}; choose a {family} master target",
  'refusal.noScsiSlot':
    'master target has no free SCSI slot ({slots} replica disks at most); add another master target',
  'refusal.pairBusy': '{pairIs}; finish or roll back that operation first',
  'refusal.pairNotIn': '{pairIs}; this needs a pair in the state {states}',
  'refusal.pairNoFullCopy':
    '{pairIs}: its pair has no full copy yet; recovery points come after initial replication',
  'refusal.pairCannotMove': '{pairIs}; from there its pair cannot move to {to}, only to {allowed}',
  'refusal.pairNotReplicating': '{pairIs}; statistics are accepted only while its pair replicates',
  // Jobs and workflows
  'refusal.noWorkflow': "this server has no '{kind}' workflow yet; upgrade the configuration server",
  'refusal.jobOnPlan':
    'job {job} ({kind}) is already acting on this plan; wait for it to finish or cancel it (siteshift jobs cancel {job})',
  'refusal.jobOnPairs':
    'job {job} ({kind}) is already acting on these pairs; wait for it to finish or cancel it (siteshift jobs cancel {job})',
  'refusal.jobNotWaiting': 'job {id} is not waiting for an acknowledgement ({state}); nothing to acknowledge',
  'refusal.jobEnded': 'job {id} already ended ({state}); a finished job cannot be cancelled',
  'refusal.pointTime': "recovery point '{point}': give time:<ISO date>, e.g. time:2026-11-29T18:00:00Z",
  'refusal.pointUnknown': "recovery point '{point}' is not one of latest, latest-app, time:<ISO>, tag:<name>",
  'refusal.datastorePath': '"{path}" is not a datastore path ("[datastore] path")',
  'refusal.shutdownTimeout': 'shutdownTimeoutSec is a whole number of seconds, 1 or more',
  'refusal.configureMtInput': 'configure master target: {issues}',
  'refusal.onlyAdminMt': 'only an admin may configure a master target (your role is {role})',
  'refusal.afterCommit.reprotect':
    'reprotect follows a committed failover: the failover of {vms} is not committed yet; commit it first (siteshift commit {plan}) or roll it back (siteshift rollback {plan})',
  'refusal.afterCommit.failback':
    'failback follows a committed failover: the failover of {vms} is not committed yet; commit it first (siteshift commit {plan}) or roll it back (siteshift rollback {plan})',
  'refusal.unfinishedOne.reprotect':
    'reprotect follows a committed failover: {pairs}; finish what runs on it first',
  'refusal.unfinishedMany.reprotect':
    'reprotect follows a committed failover: {pairs}; finish what runs on them first',
  'refusal.unfinishedOne.failback':
    'failback follows a committed failover: {pairs}; finish what runs on it first',
  'refusal.unfinishedMany.failback':
    'failback follows a committed failover: {pairs}; finish what runs on them first',
  'refusal.atHome.reprotect':
    'plan {plan} runs on its original site {site} (every pair is protected from there): there is nothing to reprotect; fail over and commit first',
  'refusal.atHome.failback':
    'plan {plan} runs on its original site {site} (every pair is protected from there): there is nothing to fail back',
  'refusal.failingBack':
    'plan {plan} is failing back already ({pairs}); finish with siteshift failback {plan}',
  'refusal.mtNotOnSource': 'master target {mt} is not on the original site {site}; give one of {candidates}',
  'refusal.mtNotOnSourceNone':
    'master target {mt} is not on the original site {site}; give one of (none registered)',
  'refusal.mtWrongFamily': 'master target {mt} runs {family}; the machines of {plan} are {families}',
  'refusal.noMtOnSource':
    'no {families} master target on the original site {site}, where replication must go back to; register one (siteshift master-target add --site {site} --vm VM)',
  // Endpoints and access
  'refusal.noConnector':
    'this configuration server was started without a {kind} connector; it cannot verify {kind} endpoints',
  'refusal.pinOrTrust': 'give the identity to pin (--thumbprint / --host-key) or allow trust on first use',
  'refusal.identityChanged':
    'the endpoint presents {presented}, not the pinned {pinned}; if the change is expected, pin the new identity',
  'refusal.identityUntrusted': 'the endpoint presents {presented}; pin it to continue',
  'refusal.noToken.header':
    'no API token: send "Authorization: Bearer <token>" (create one with siteshift token create)',
  'refusal.tokenUnknown': 'the API token is unknown or revoked; ask an admin for a new one',
  'refusal.role.viewer': "token '{token}' has role '{role}'; this call needs viewer or operator (or admin)",
  'refusal.role.operator': "token '{token}' has role '{role}'; this call needs operator (or admin)",
  'refusal.role.admin': "token '{token}' has role '{role}'; this call needs admin",
  'refusal.role.agent': "token '{token}' has role '{role}'; this call needs agent (or admin)",
  'refusal.request.body': 'request body: {issues}',
  'refusal.request.querystring': 'query: {issues}',
  'refusal.request.params': 'params: {issues}',
  'refusal.request.headers': 'headers: {issues}',
  // Requests the HTTP layer refuses before any route runs
  'refusal.noRoute': 'no route {method} {path}; see /docs for the API',
  'refusal.databaseValue':
    'the database refused a value in the request (SQLSTATE {state}): check names, ids, numbers and dates for values out of range',
  'refusal.bodyTooLarge': 'the request body is too large; send less data per request',
  'refusal.mediaType': 'send the request body as application/json',
  'refusal.emptyBody': 'the request body is empty; send a JSON object',
  'refusal.notJson': 'the request body is not valid JSON: {error}',
  'refusal.internal': 'internal server error; see the server log',
  'refusal.pathTooLong': 'a path segment is longer than 256 characters; ids and names are shorter',
  'refusal.badPath': 'the request path is not valid: check its %-escapes',
} as const;

export type RefusalWordKey = keyof typeof refusalWordsEn;
export type RefusalWords = BookLike<typeof refusalWordsEn>;

export const refusalWordsNl: RefusalWords = {
  'refusal.noPlan': "geen beveiligingsplan met id of naam '{ref}'",
  'refusal.noPair': "geen paar met id '{id}'",
  'refusal.noJob': "geen taak met id '{id}'",
  'refusal.noSite': "geen locatie met de naam '{ref}'; maak die aan met 'siteshift site add'",
  'refusal.noEndpoint': "geen endpoint met id of naam '{ref}'",
  'refusal.noProcessServer': "geen process server met id of naam '{ref}'",
  'refusal.noProcessServerId': "geen process server met id '{id}'",
  'refusal.noMasterTarget': "geen master target met id of naam '{ref}'",
  'refusal.noMasterTargetId': "geen master target met id '{id}'",
  'refusal.noToken': "geen token met id of naam '{ref}'",
  'refusal.noAgent': "geen agent met id '{id}'; registreer hem opnieuw",
  'refusal.noVsphereEndpoint':
    'de locatie heeft geen vSphere-endpoint om de VM op te zoeken; voeg er een toe met siteshift endpoint add, of geef --os en --vm-id',
  'refusal.noVm': "geen VM met de naam '{vm}' op de vSphere-endpoints van de locatie",
  'refusal.noVmBecause': "geen VM met de naam '{vm}' op de vSphere-endpoints van de locatie ({errors})",
  'refusal.endpointsNamed': "er zijn meerdere endpoints met de naam '{ref}'; gebruik het id",
  'refusal.tokensNamed': "er zijn meerdere tokens met de naam '{ref}'; trek het in op id",
  'refusal.exists': '{what} bestaat al',
  'refusal.referenced':
    '{what} wordt nog gebruikt door andere objecten (of verwijst naar een object dat niet bestaat)',
  'refusal.what.token': 'dat token',
  'refusal.what.plan': "het plan '{name}'",
  'refusal.what.planNamed': "een plan met de naam '{name}'",
  'refusal.what.pair': 'een paar voor {vm} op die locatie',
  'refusal.what.site': "een locatie met de naam '{name}'",
  'refusal.what.endpoint': "een endpoint met de naam '{name}' op die locatie",
  'refusal.what.endpointInUse': "endpoint '{name}' (verwijder eerst de master targets ervan)",
  'refusal.what.processServer': "een process server met de naam '{name}'",
  'refusal.what.masterTarget': "een master target met de naam '{name}'",
  'refusal.planRemoved': "plan '{plan}' is verwijderd sinds u het bekeek; bekijk de wijzigingen opnieuw",
  'refusal.planChanged':
    "plan '{plan}' is om {at} gewijzigd sinds u het bekeek; bekijk de wijzigingen opnieuw",
  'refusal.planHasPairs': {
    one: "plan '{plan}' heeft nog {count} paar ({names}); verwijder eerst de paren",
    other: "plan '{plan}' heeft nog {count} paren ({names}); verwijder eerst de paren",
  },
  'refusal.planInvalid': 'het plan is niet geldig: {issues}',
  'refusal.planIssue': '{path}: {message}',
  'refusal.planNeeded': 'deze workflow draait op een plan: geef de naam of het id van het plan',
  'refusal.planUnprotected':
    'plan {plan} beveiligt nog geen machines; beveilig het eerst (siteshift protect {plan})',
  'refusal.planNoMasterTarget':
    'plan {plan} noemt geen master target (target.masterTarget); voeg er een toe aan het planbestand en pas het toe',
  'refusal.planNoPlacement':
    'plan {plan} heeft geen target.placement (cluster of host, datastore); voeg die toe aan het planbestand en pas het toe',
  'refusal.planNoPlacementShort': 'plan {plan} heeft geen target.placement',
  'refusal.planNamesNoMasterTarget': 'plan {plan} noemt geen master target',
  'refusal.sitesSame': 'sourceSite en targetSite moeten verschillen',
  'refusal.hypervNoMasterTarget':
    '{vm} repliceert met Hyper-V Replica: daarbij horen geen master target en geen process server',
  'refusal.masterTargetElsewhere': 'master target {mt} staat niet op de doellocatie {site}',
  'refusal.masterTargetFamily':
    "{vm} is een {family}-machine, maar master target '{mt}' draait {mtFamily}; kies een {family}-master target",
  'refusal.noScsiSlot':
    'het master target heeft geen vrij SCSI-slot (hoogstens {slots} replicaschijven); voeg nog een master target toe',
  'refusal.pairBusy': '{pairIs}; maak die bewerking eerst af of draai haar terug',
  'refusal.pairNotIn': '{pairIs}; hiervoor moet het paar de status {states} hebben',
  'refusal.pairNoFullCopy':
    '{pairIs}: het paar heeft nog geen volledige kopie; herstelpunten komen na de eerste replicatie',
  'refusal.pairCannotMove': '{pairIs}; het paar kan van daaruit niet naar {to}, alleen naar {allowed}',
  'refusal.pairNotReplicating': '{pairIs}; statistieken worden alleen aangenomen terwijl het paar repliceert',
  'refusal.noWorkflow': "deze server heeft nog geen workflow '{kind}'; werk de configuratieserver bij",
  'refusal.jobOnPlan':
    'taak {job} ({kind}) werkt al op dit plan; wacht tot die klaar is of annuleer haar (siteshift jobs cancel {job})',
  'refusal.jobOnPairs':
    'taak {job} ({kind}) werkt al op deze paren; wacht tot die klaar is of annuleer haar (siteshift jobs cancel {job})',
  'refusal.jobNotWaiting': 'taak {id} wacht niet op een bevestiging ({state}); er is niets te bevestigen',
  'refusal.jobEnded': 'taak {id} is al beëindigd ({state}); een afgelopen taak kan niet worden geannuleerd',
  'refusal.pointTime': "herstelpunt '{point}': geef time:<ISO-datum>, bijv. time:2026-11-29T18:00:00Z",
  'refusal.pointUnknown': "herstelpunt '{point}' is niet een van latest, latest-app, time:<ISO>, tag:<naam>",
  'refusal.datastorePath': '"{path}" is geen datastorepad ("[datastore] pad")',
  'refusal.shutdownTimeout': 'shutdownTimeoutSec is een geheel aantal seconden, 1 of meer',
  'refusal.configureMtInput': 'master target configureren: {issues}',
  'refusal.onlyAdminMt': 'alleen een beheerder mag een master target configureren (uw rol is {role})',
  'refusal.afterCommit.reprotect':
    'opnieuw beveiligen volgt op een vastgelegde failover: de failover van {vms} is nog niet vastgelegd; leg die eerst vast (siteshift commit {plan}) of draai haar terug (siteshift rollback {plan})',
  'refusal.afterCommit.failback':
    'failback volgt op een vastgelegde failover: de failover van {vms} is nog niet vastgelegd; leg die eerst vast (siteshift commit {plan}) of draai haar terug (siteshift rollback {plan})',
  'refusal.unfinishedOne.reprotect':
    'opnieuw beveiligen volgt op een vastgelegde failover: {pairs}; maak eerst af wat erop loopt',
  'refusal.unfinishedMany.reprotect':
    'opnieuw beveiligen volgt op een vastgelegde failover: {pairs}; maak eerst af wat erop loopt',
  'refusal.unfinishedOne.failback':
    'failback volgt op een vastgelegde failover: {pairs}; maak eerst af wat erop loopt',
  'refusal.unfinishedMany.failback':
    'failback volgt op een vastgelegde failover: {pairs}; maak eerst af wat erop loopt',
  'refusal.atHome.reprotect':
    'plan {plan} draait op zijn oorspronkelijke locatie {site} (elk paar wordt van daaruit beveiligd): er is niets opnieuw te beveiligen; voer eerst een failover uit en leg die vast',
  'refusal.atHome.failback':
    'plan {plan} draait op zijn oorspronkelijke locatie {site} (elk paar wordt van daaruit beveiligd): er is niets terug te zetten',
  'refusal.failingBack': 'plan {plan} zet al terug ({pairs}); maak het af met siteshift failback {plan}',
  'refusal.mtNotOnSource':
    'master target {mt} staat niet op de oorspronkelijke locatie {site}; geef een van {candidates}',
  'refusal.mtNotOnSourceNone':
    'master target {mt} staat niet op de oorspronkelijke locatie {site}; daar is nog geen master target geregistreerd',
  'refusal.mtWrongFamily': 'master target {mt} draait {family}; de machines van {plan} zijn {families}',
  'refusal.noMtOnSource':
    'geen {families}-master target op de oorspronkelijke locatie {site}, waar de replicatie naar terug moet; registreer er een (siteshift master-target add --site {site} --vm VM)',
  'refusal.noConnector':
    'deze configuratieserver is gestart zonder {kind}-connector; hij kan geen {kind}-endpoints controleren',
  'refusal.pinOrTrust':
    'geef de identiteit om vast te pinnen (--thumbprint / --host-key) of sta vertrouwen bij eerste gebruik toe',
  'refusal.identityChanged':
    'het endpoint toont {presented}, niet de vastgepinde {pinned}; pin de nieuwe identiteit als de wijziging verwacht is',
  'refusal.identityUntrusted': 'het endpoint toont {presented}; pin die om door te gaan',
  'refusal.noToken.header':
    'geen API-token: stuur "Authorization: Bearer <token>" (maak er een met siteshift token create)',
  'refusal.tokenUnknown': 'het API-token is onbekend of ingetrokken; vraag een beheerder om een nieuw token',
  'refusal.role.viewer':
    "token '{token}' heeft rol '{role}'; deze aanroep vraagt viewer of operator (of admin)",
  'refusal.role.operator': "token '{token}' heeft rol '{role}'; deze aanroep vraagt operator (of admin)",
  'refusal.role.admin': "token '{token}' heeft rol '{role}'; deze aanroep vraagt admin",
  'refusal.role.agent': "token '{token}' heeft rol '{role}'; deze aanroep vraagt agent (of admin)",
  'refusal.request.body': 'inhoud van het verzoek: {issues}',
  'refusal.request.querystring': 'zoekparameters van het verzoek: {issues}',
  'refusal.request.params': 'padparameters: {issues}',
  'refusal.request.headers': 'kopregels van het verzoek: {issues}',
  'refusal.noRoute': 'geen route {method} {path}; zie /docs voor de API',
  'refusal.databaseValue':
    'de database weigert een waarde in het verzoek (SQLSTATE {state}): controleer namen, id’s, getallen en datums op waarden buiten het bereik',
  'refusal.bodyTooLarge': 'de inhoud van het verzoek is te groot; stuur minder gegevens per verzoek',
  'refusal.mediaType': 'stuur de inhoud van het verzoek als application/json',
  'refusal.emptyBody': 'de inhoud van het verzoek is leeg; stuur een JSON-object',
  'refusal.notJson': 'de inhoud van het verzoek is geen geldige JSON: {error}',
  'refusal.internal': 'interne serverfout; zie het serverlogboek',
  'refusal.pathTooLong': 'een deel van het pad is langer dan 256 tekens; id’s en namen zijn korter',
  'refusal.badPath': 'het pad van het verzoek is niet geldig: controleer de %-escapes',
};

/** A refusal in English with its key and values (the ApiError's message and messageWords). */
export const sayRefusal = sayer(refusalWordsEn);
