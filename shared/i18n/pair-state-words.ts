import type { pairStates } from '../names';
import { joined, upTo } from './list-words';
import { sayer, type Text } from './worded';

type PairState = (typeof pairStates)[number];

/**
 * The one list of words for a pair's state, which every book that speaks of one takes from here:
 * its name (pairState.*: the map's boxes, the console's tables, a state named in a sentence) and
 * what it says of its machine (pairIs.*: 'web-01 is in initial replication'). The state machine's
 * token ('initial-replication') is for tables and JSON the CLI prints, never for a sentence.
 * It is one of the books said text is worded from (said-words.ts), so it reaches the console's
 * catalogues and the tests' English; the map's book takes the names alone (the exported map prints them).
 */
const namesEn = {
  'pairState.enabling': 'enabling',
  'pairState.initial-replication': 'initial replication',
  'pairState.protected': 'protected',
  'pairState.resync-required': 'resync required',
  'pairState.resyncing': 'resyncing',
  'pairState.test-failover-running': 'test failover running',
  'pairState.failover-pending': 'failover pending',
  'pairState.failed-over': 'failed over',
  'pairState.committed': 'committed',
  'pairState.reprotecting': 'reprotecting',
  'pairState.error': 'error',
} as const;
const namesNl: Readonly<Record<keyof typeof namesEn, string>> = {
  'pairState.enabling': 'wordt ingeschakeld',
  'pairState.initial-replication': 'eerste replicatie',
  'pairState.protected': 'beveiligd',
  'pairState.resync-required': 'hersynchronisatie nodig',
  'pairState.resyncing': 'hersynchroniseert',
  'pairState.test-failover-running': 'testfailover loopt',
  'pairState.failover-pending': 'failover wacht op besluit',
  'pairState.failed-over': 'overgeschakeld',
  'pairState.committed': 'vastgelegd',
  'pairState.reprotecting': 'wordt opnieuw beveiligd',
  'pairState.error': 'fout',
};
/** The states' names alone, for the map's book: what a box or a table cell says. */
export const pairStateNames = { en: namesEn, nl: namesNl };

export const pairStateWordsEn = {
  ...namesEn,
  // A state named in a sentence ("moves only pairs in the state 'protected'"), and a way through states.
  'pairStates.quoted': "'{state}'",
  'pairStates.path': '{first} → {rest}',
  'pairIs.enabling': '{vm} is being enabled',
  'pairIs.initial-replication': '{vm} is in initial replication',
  'pairIs.protected': '{vm} is protected',
  'pairIs.resync-required': '{vm} needs a resync',
  'pairIs.resyncing': '{vm} is resyncing',
  'pairIs.test-failover-running': '{vm} is in a test failover',
  'pairIs.failover-pending': '{vm} has a failover pending',
  'pairIs.failed-over': '{vm} has failed over',
  'pairIs.committed': '{vm} has its failover committed',
  'pairIs.reprotecting': '{vm} is being reprotected',
  'pairIs.error': '{vm} is in an error state',
} as const;

export const pairStateWordsNl: Readonly<Record<keyof typeof pairStateWordsEn, string>> = {
  ...namesNl,
  'pairStates.quoted': "'{state}'",
  'pairStates.path': '{first} → {rest}',
  'pairIs.enabling': '{vm} wordt ingeschakeld',
  'pairIs.initial-replication': '{vm} zit in de eerste replicatie',
  'pairIs.protected': '{vm} is beveiligd',
  'pairIs.resync-required': '{vm} heeft een hersynchronisatie nodig',
  'pairIs.resyncing': '{vm} wordt gehersynchroniseerd',
  'pairIs.test-failover-running': '{vm} zit in een testfailover',
  'pairIs.failover-pending': 'de failover van {vm} wacht op een besluit',
  'pairIs.failed-over': '{vm} is overgeschakeld',
  'pairIs.committed': 'de failover van {vm} is vastgelegd',
  'pairIs.reprotecting': '{vm} wordt opnieuw beveiligd',
  'pairIs.error': '{vm} is in een fouttoestand',
};

const w = sayer(pairStateWordsEn);

/** A machine with the state its pair is in: 'web-01 is in initial replication'. */
export const pairIsSaid = (vm: string, state: PairState): Text => w(`pairIs.${state}`, { vm });

/** Machines with the states their pairs are in, the first five and how many more. */
export const pairsAreSaid = (pairs: ReadonlyArray<{ sourceVmName: string; state: PairState }>): Text =>
  upTo(
    pairs.map((p) => pairIsSaid(p.sourceVmName, p.state)),
    5,
  );

/** A state named in a sentence, quoted: "'initial replication'". */
export const stateSaid = (state: PairState): Text =>
  w('pairStates.quoted', { state: w(`pairState.${state}`) });

/** States a pair may be in: "'protected' or 'resync required'". */
export const statesSaid = (states: readonly PairState[]): Text => joined(states.map(stateSaid), 'or');

/** The states a pair moves through: "'failed over' → 'committed' → 'reprotecting'". */
export const pathSaid = (states: readonly PairState[]): Text =>
  states.map(stateSaid).reduceRight((rest, first) => w('pairStates.path', { first, rest }));
