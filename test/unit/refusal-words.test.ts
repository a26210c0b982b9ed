import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tServer, useLocale } from '../../renderer/src/i18n';
import { errorText } from '../../renderer/src/store';
import { errorPayloadSchema } from '../../shared/error-schemas';
import { ApiError, toErrorPayload } from '../../shared/errors';
import { pairIsSaid, statesSaid } from '../../shared/i18n/pair-state-words';
import { refusalWordsEn, refusalWordsNl, sayRefusal } from '../../shared/i18n/refusal-words';
import { errorWords, sayStep } from '../../shared/i18n/step-words';
import {
  applyProtectionChange,
  emptyProtectionChange,
  protectionSnapshotSchema,
} from '../../shared/schemas/protection';
import { serverMessageSchema } from '../../shared/wire';
import { dutchGaps } from '../support/words';

const root = join(__dirname, '../..');

function sourcesUnder(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => relative(root, join(e.parentPath, e.name)));
}

/**
 * Refusals the server throws in English on purpose: invariant errors a person meets only as a
 * bug ('internal'), a job's own abort signal, and the lab's stand-in vCenter.
 */
const leftEnglish = new Set([
  'server/sessions.ts: this job runner was started without the key to endpoint secrets',
  'server/sessions.ts: this configuration server was started without a ',
  'server/jobs.ts: readiness needs a plan and a runner with endpoint access',
  'server/jobs.ts: stopped',
  'server/lab/connectors.ts: no lab endpoint answers at',
  'server/lab/connectors.ts: the lab endpoint needs a password (any non-empty one)',
  'server/lab/connectors.ts: the lab endpoint identity does not match the pin',
]);

describe('the server refusals word book', () => {
  afterEach(() => useLocale.setState({ locale: 'en' }));

  it('every ApiError the server throws is said from the book, apart from the few left English on purpose', () => {
    const literal: string[] = [];
    for (const file of sourcesUnder('server')) {
      const text = readFileSync(join(root, file), 'utf8');
      // The message argument: after the code (and an HttpError's status), up to its first quote's end.
      const calls = text.matchAll(
        /new (?:ApiError|HttpError)\(\s*(?:\d+,\s*)?'[\w-]+',\s*(['`"])((?:\\.|(?!\1).)*)/g,
      );
      for (const [, , message] of calls) literal.push(`${file}: ${message}`);
    }
    // A literal (or template) message has no words: only the known ones may remain.
    expect(literal.filter((l) => ![...leftEnglish].some((known) => l.startsWith(known)))).toEqual([]);
    // The scan finds what it looks for: each one left English is among them.
    for (const known of leftEnglish)
      expect(
        literal.some((l) => l.startsWith(known)),
        known,
      ).toBe(true);
  });

  it('has a Dutch entry with the same placeholders for every English one', () => {
    expect(dutchGaps(refusalWordsEn, refusalWordsNl)).toEqual([]);
  });

  it('carries the words across the console transport and words the refusal in Dutch', () => {
    const err = new ApiError('not-found', sayRefusal('refusal.noPlan', { ref: 'web' }));
    expect(err.message).toBe("no protection plan with id or name 'web'");
    const payload = toErrorPayload(err);
    expect(payload.messageWords).toEqual({ key: 'refusal.noPlan', params: { ref: 'web' } });
    // The web host's WebSocket message and the core client's error body keep them through their schemas.
    const message = serverMessageSchema.parse({ type: 'error', id: 1, error: payload });
    const crossed = ApiError.fromPayload(message.type === 'error' ? message.error : payload);
    expect(crossed.messageWords).toEqual(payload.messageWords);
    expect(errorPayloadSchema.parse(payload)).toEqual(payload);
    useLocale.setState({ locale: 'nl' });
    expect(errorText(crossed)).toBe("geen beveiligingsplan met id of naam 'web'");
  });

  it("quotes a refusal a step meets (a pair in another state) in the job's error in the console's language", () => {
    const refusal = new ApiError(
      'conflict',
      sayRefusal('refusal.pairNotIn', {
        pairIs: pairIsSaid('web-01', 'protected'),
        states: statesSaid(['failover-pending']),
      }),
    );
    const error = sayStep('jobError.stepFailed', {
      step: sayStep('jobStep.readiness', { kind: 'failover' }),
      error: { text: refusal.message, words: errorWords(refusal) },
    });
    expect(error.text).toContain("web-01 is protected; this needs a pair in the state 'failover pending'");
    useLocale.setState({ locale: 'nl' });
    expect(tServer(error.text, error.words)).toContain(
      "web-01 is beveiligd; hiervoor moet het paar de status 'failover wacht op besluit' hebben",
    );
  });

  it("keeps a server's refusal's words with a protection snapshot's error, and drops them with the next error", () => {
    const said = sayRefusal('refusal.tokenUnknown');
    const base = {
      ...emptyProtectionChange('cs-1').upsert,
      connectionId: 'cs-1',
      connectionName: 'DR',
      url: '',
      error: null,
    };
    const refused = applyProtectionChange(base, {
      ...emptyProtectionChange('cs-1'),
      error: said.text,
      errorWords: said.words,
    });
    expect(protectionSnapshotSchema.parse(refused).errorWords).toEqual(said.words);
    useLocale.setState({ locale: 'nl' });
    expect(tServer(refused.error!, refused.errorWords)).toBe(
      'het API-token is onbekend of ingetrokken; vraag een beheerder om een nieuw token',
    );
    const lost = applyProtectionChange(refused, { ...emptyProtectionChange('cs-1'), error: 'stream lost' });
    expect(lost.errorWords).toBeUndefined();
  });

  it('falls back to the English text without words, or with words this console does not know', () => {
    useLocale.setState({ locale: 'nl' });
    const old = ApiError.fromPayload({ code: 'conflict', message: 'an older server refused' });
    expect(old.messageWords).toBeUndefined();
    expect(toErrorPayload(old)).toEqual({ code: 'conflict', message: 'an older server refused' });
    expect(errorText(old)).toBe('an older server refused');
    const newer = ApiError.fromPayload({
      code: 'conflict',
      message: 'a newer server refused',
      messageWords: { key: 'refusal.fromTheFuture' },
    });
    expect(errorText(newer)).toBe('a newer server refused');
    expect(errorText(new Error('plain'))).toBe('plain');
  });
});
