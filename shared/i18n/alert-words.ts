/**
 * The alerts the configuration server raises, as word books (shared/i18n/worded.ts): the English
 * book makes the stored English message, the Dutch one lets a Dutch console word the same alert.
 * A reason or an agent's error message inside an alert is the sender's own text and stays as sent.
 */
export const alertWordsEn = {
  'alert.pair.heartbeat': '{vm}: no heartbeat from its agent for 15 minutes',
  'alert.processServer.heartbeat': '{name}: no heartbeat for 15 minutes',
  'alert.agent.heartbeat': 'agent {name}: no heartbeat for 15 minutes',
  'alert.pair.stopped': '{vm}: replication stopped with an error',
  'alert.pair.stoppedBecause': '{vm}: replication stopped with an error ({reason})',
  'alert.pair.resync': '{vm}: resync required; scheduled for {at}',
  'alert.pair.resyncBecause': '{vm}: resync required ({reason}); scheduled for {at}',
  'alert.pair.retried.network': '{vm}: network error ({message}); retry {attempt} at {at}',
  'alert.pair.retried.low-disk': '{vm}: low-disk error ({message}); retry {attempt} at {at}',
  'alert.pair.retried.low-memory': '{vm}: low-memory error ({message}); retry {attempt} at {at}',
  'alert.pair.retried.authentication': '{vm}: authentication error ({message}); retry {attempt} at {at}',
  'alert.pair.retried.authorisation': '{vm}: authorisation error ({message}); retry {attempt} at {at}',
  'alert.pair.retried.invalid-replica-state':
    '{vm}: invalid-replica-state error ({message}); retry {attempt} at {at}',
  'alert.pair.notRetried.network':
    '{vm}: network error ({message}); not retried: fix the cause, then re-enable or resync the pair',
  'alert.pair.notRetried.low-disk':
    '{vm}: low-disk error ({message}); not retried: fix the cause, then re-enable or resync the pair',
  'alert.pair.notRetried.low-memory':
    '{vm}: low-memory error ({message}); not retried: fix the cause, then re-enable or resync the pair',
  'alert.pair.notRetried.authentication':
    '{vm}: authentication error ({message}); not retried: fix the cause, then re-enable or resync the pair',
  'alert.pair.notRetried.authorisation':
    '{vm}: authorisation error ({message}); not retried: fix the cause, then re-enable or resync the pair',
  'alert.pair.notRetried.invalid-replica-state':
    '{vm}: invalid-replica-state error ({message}); not retried: fix the cause, then re-enable or resync the pair',
  'alert.pair.rpo': '{vm}: RPO {rpo} s is above the threshold of {threshold} s',
  'alert.pair.rpoTwice': '{vm}: RPO {rpo} s is above twice the threshold of {threshold} s',
  'alert.processServer.cpu': '{name}: CPU {value}% is above {limit}%',
  'alert.processServer.memory': '{name}: memory {value}% is above {limit}%',
  'alert.processServer.backlog': '{name}: upload backlog {value} min is above {limit} min',
  'alert.processServer.cache': '{name}: cache free space {value}% is below {limit}%',
  // Why a pair changed state, inside the alerts above, when the server itself moved it.
  'alert.reason.changeLog': 'change log at {percent}% of the disk (limit 50%)',
  'alert.reason.network': 'network: {message}',
  'alert.reason.low-disk': 'low-disk: {message}',
  'alert.reason.low-memory': 'low-memory: {message}',
  'alert.reason.authentication': 'authentication: {message}',
  'alert.reason.authorisation': 'authorisation: {message}',
  'alert.reason.invalid-replica-state': 'invalid-replica-state: {message}',
} as const;

export type AlertWordKey = keyof typeof alertWordsEn;

export const alertWordsNl: Readonly<Record<AlertWordKey, string>> = {
  'alert.pair.heartbeat': '{vm}: al 15 minuten geen heartbeat van de agent',
  'alert.processServer.heartbeat': '{name}: al 15 minuten geen heartbeat',
  'alert.agent.heartbeat': 'agent {name}: al 15 minuten geen heartbeat',
  'alert.pair.stopped': '{vm}: replicatie gestopt met een fout',
  'alert.pair.stoppedBecause': '{vm}: replicatie gestopt met een fout ({reason})',
  'alert.pair.resync': '{vm}: hersynchronisatie nodig; gepland voor {at}',
  'alert.pair.resyncBecause': '{vm}: hersynchronisatie nodig ({reason}); gepland voor {at}',
  'alert.pair.retried.network': '{vm}: netwerkfout ({message}); nieuwe poging {attempt} om {at}',
  'alert.pair.retried.low-disk':
    '{vm}: fout door te weinig schijfruimte ({message}); nieuwe poging {attempt} om {at}',
  'alert.pair.retried.low-memory':
    '{vm}: fout door te weinig geheugen ({message}); nieuwe poging {attempt} om {at}',
  'alert.pair.retried.authentication': '{vm}: authenticatiefout ({message}); nieuwe poging {attempt} om {at}',
  'alert.pair.retried.authorisation': '{vm}: autorisatiefout ({message}); nieuwe poging {attempt} om {at}',
  'alert.pair.retried.invalid-replica-state':
    '{vm}: fout door een ongeldige replicastatus ({message}); nieuwe poging {attempt} om {at}',
  'alert.pair.notRetried.network':
    '{vm}: netwerkfout ({message}); geen nieuwe poging: verhelp de oorzaak en schakel het paar daarna opnieuw in of hersynchroniseer het',
  'alert.pair.notRetried.low-disk':
    '{vm}: fout door te weinig schijfruimte ({message}); geen nieuwe poging: verhelp de oorzaak en schakel het paar daarna opnieuw in of hersynchroniseer het',
  'alert.pair.notRetried.low-memory':
    '{vm}: fout door te weinig geheugen ({message}); geen nieuwe poging: verhelp de oorzaak en schakel het paar daarna opnieuw in of hersynchroniseer het',
  'alert.pair.notRetried.authentication':
    '{vm}: authenticatiefout ({message}); geen nieuwe poging: verhelp de oorzaak en schakel het paar daarna opnieuw in of hersynchroniseer het',
  'alert.pair.notRetried.authorisation':
    '{vm}: autorisatiefout ({message}); geen nieuwe poging: verhelp de oorzaak en schakel het paar daarna opnieuw in of hersynchroniseer het',
  'alert.pair.notRetried.invalid-replica-state':
    '{vm}: fout door een ongeldige replicastatus ({message}); geen nieuwe poging: verhelp de oorzaak en schakel het paar daarna opnieuw in of hersynchroniseer het',
  'alert.pair.rpo': '{vm}: RPO {rpo} s ligt boven de drempel van {threshold} s',
  'alert.pair.rpoTwice': '{vm}: RPO {rpo} s ligt boven tweemaal de drempel van {threshold} s',
  'alert.processServer.cpu': '{name}: CPU {value}% ligt boven {limit}%',
  'alert.processServer.memory': '{name}: geheugen {value}% ligt boven {limit}%',
  'alert.processServer.backlog': '{name}: uploadachterstand {value} min ligt boven {limit} min',
  'alert.processServer.cache': '{name}: vrije cacheruimte {value}% ligt onder {limit}%',
  'alert.reason.changeLog': 'wijzigingslog op {percent}% van de schijf (grens 50%)',
  'alert.reason.network': 'netwerk: {message}',
  'alert.reason.low-disk': 'te weinig schijfruimte: {message}',
  'alert.reason.low-memory': 'te weinig geheugen: {message}',
  'alert.reason.authentication': 'authenticatie: {message}',
  'alert.reason.authorisation': 'autorisatie: {message}',
  'alert.reason.invalid-replica-state': 'ongeldige replicastatus: {message}',
};
