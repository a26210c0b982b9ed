import { afterEach, describe, expect, it } from 'vitest';
import { catalogue, tServer, useLocale } from '../../renderer/src/i18n';
import { exportWordsEn, exportWordsNl } from '../../shared/i18n/export-words';
import {
  pairIsSaid,
  pairStateWordsEn,
  pairStateWordsNl,
  pairsAreSaid,
  pathSaid,
  statesSaid,
} from '../../shared/i18n/pair-state-words';
import { sayRefusal } from '../../shared/i18n/refusal-words';
import { pairStates } from '../../shared/names';
import { dutchGaps } from '../support/words';

afterEach(() => useLocale.setState({ locale: 'en' }));

describe('the words of a pair state', () => {
  it('has a name and a sentence for every state, in Dutch too', () => {
    for (const s of pairStates) {
      expect(pairStateWordsEn[`pairState.${s}`]).toBeTruthy();
      expect(pairStateWordsEn[`pairIs.${s}`]).toMatch(/\{vm\}/);
    }
    expect(dutchGaps(pairStateWordsEn, pairStateWordsNl)).toEqual([]);
  });

  it("is never a state machine's token in a sentence of any book the console or the CLI reads", () => {
    // A token with a hyphen reads as no word of either language; protected, committed and error are words.
    const tokens = pairStates.filter((s) => s.includes('-'));
    const quoting: string[] = [];
    for (const book of [catalogue('en'), catalogue('nl'), exportWordsEn, exportWordsNl])
      for (const [key, text] of Object.entries(book))
        for (const form of typeof text === 'string' ? [text] : Object.values(text))
          if (tokens.some((token) => form.includes(token))) quoting.push(`${key}: ${form}`);
    expect(quoting).toEqual([]);
  });

  it("says a refusal's states with their machines and by their names, in English and Dutch", () => {
    const refused = sayRefusal('refusal.failingBack', {
      plan: 'web',
      pairs: pairsAreSaid([
        { sourceVmName: 'web-01', state: 'failover-pending' },
        { sourceVmName: 'web-02', state: 'failed-over' },
      ]),
    });
    expect(refused.text).toBe(
      'plan web is failing back already (web-01 has a failover pending, web-02 has failed over); finish with siteshift failback web',
    );
    const path = pathSaid(['failed-over', 'committed', 'reprotecting']);
    expect(path.text).toBe("'failed over' → 'committed' → 'reprotecting'");
    expect(statesSaid(['protected', 'resync-required']).text).toBe("'protected' or 'resync required'");
    useLocale.setState({ locale: 'nl' });
    expect(tServer(refused.text, refused.words)).toBe(
      'plan web zet al terug (de failover van web-01 wacht op een besluit, web-02 is overgeschakeld); maak het af met siteshift failback web',
    );
    expect(tServer(path.text, path.words)).toBe(
      "'overgeschakeld' → 'vastgelegd' → 'wordt opnieuw beveiligd'",
    );
    const one = pairIsSaid('web-01', 'resync-required');
    expect(tServer(one.text, one.words)).toBe('web-01 heeft een hersynchronisatie nodig');
  });
});
