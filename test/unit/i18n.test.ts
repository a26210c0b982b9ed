import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseSync } from 'vite';
import { afterEach, describe, expect, it } from 'vitest';
import { catalogue, type Key, resolveLanguage, setLanguage, t, translate } from '../../renderer/src/i18n';
import { en } from '../../renderer/src/i18n/en';
import {
  formatAge,
  formatBytes,
  formatDateTime,
  formatDuration,
  formatMoment,
  formatNumber,
  formatTime,
} from '../../renderer/src/i18n/format';
import { nl } from '../../renderer/src/i18n/nl';
import { endedText } from '../../renderer/src/store';
import { nodeDetail } from '../../renderer/src/views/node-detail';
import { updatesNote } from '../../renderer/src/views/PreferencesPanel';
import { alertWordsEn, alertWordsNl } from '../../shared/i18n/alert-words';
import { checkWordsEn, checkWordsNl } from '../../shared/i18n/check-words';
import { clientWordsEn, clientWordsNl } from '../../shared/i18n/client-words';
import { jobWordsEn, jobWordsNl } from '../../shared/i18n/job-words';
import { listWordsEn, listWordsNl } from '../../shared/i18n/list-words';
import { mapWordsEn, mapWordsNl } from '../../shared/i18n/map-words';
import { operationWordsEn, operationWordsNl } from '../../shared/i18n/operation-words';
import { pairStateWordsEn, pairStateWordsNl } from '../../shared/i18n/pair-state-words';
import { planFileWordsEn, planFileWordsNl } from '../../shared/i18n/plan-file-words';
import { planWordsEn, planWordsNl } from '../../shared/i18n/plan-words';
import { refusalWordsEn, refusalWordsNl } from '../../shared/i18n/refusal-words';
import { saidWordsEn, saidWordsNl } from '../../shared/i18n/said-words';
import { stepWordsEn, stepWordsNl } from '../../shared/i18n/step-words';

const placeholders = (entry: string | { one: string; other: string }) =>
  [...(typeof entry === 'string' ? entry : `${entry.one} ${entry.other}`).matchAll(/\{(\w+)\}/g)]
    .map((m) => m[1])
    .filter((n) => n !== 'count')
    .sort();

afterEach(() => setLanguage('en'));

describe('the Dutch catalogue', () => {
  it('has every English key and no other', () => {
    expect(Object.keys(nl).sort()).toEqual(Object.keys(en).sort());
  });

  it('fills in the same values as the English, and plurals where the English has them', () => {
    for (const key of Object.keys(en) as Key[]) {
      const e = en[key] as string | { one: string; other: string };
      const d = nl[key] as string | { one: string; other: string };
      expect(typeof d, key).toBe(typeof e);
      expect(placeholders(d), key).toEqual(placeholders(e));
      expect(typeof d === 'string' ? d.trim() : d.other.trim(), key).not.toBe('');
    }
  });
});

/** The shared books the catalogues spread in: a spread silently lets the later text win. */
const books = {
  en: {
    alertWordsEn,
    checkWordsEn,
    clientWordsEn,
    jobWordsEn,
    listWordsEn,
    mapWordsEn,
    operationWordsEn,
    pairStateWordsEn,
    planFileWordsEn,
    planWordsEn,
    refusalWordsEn,
    stepWordsEn,
  },
  nl: {
    alertWordsNl,
    checkWordsNl,
    clientWordsNl,
    jobWordsNl,
    listWordsNl,
    mapWordsNl,
    operationWordsNl,
    pairStateWordsNl,
    planFileWordsNl,
    planWordsNl,
    refusalWordsNl,
    stepWordsNl,
  },
};

describe('the shared word books', () => {
  it('define no key twice with different text, so the order they are spread in decides nothing', () => {
    for (const language of ['en', 'nl'] as const) {
      const seen = new Map<string, { book: string; text: unknown }>();
      const clashes: string[] = [];
      for (const [name, book] of Object.entries(books[language]))
        for (const [key, text] of Object.entries(book)) {
          const before = seen.get(key);
          if (before && JSON.stringify(before.text) !== JSON.stringify(text))
            clashes.push(`${language} ${key}: ${before.book} and ${name}`);
          seen.set(key, { book: name, text });
        }
      expect(clashes).toEqual([]);
    }
  });

  it("reach the console's catalogues and the list of said words as each book says them, not overridden", () => {
    const catalogues = { en, nl };
    const said = { en: saidWordsEn, nl: saidWordsNl };
    for (const language of ['en', 'nl'] as const)
      for (const [name, book] of Object.entries(books[language]))
        for (const [key, text] of Object.entries(book)) {
          expect(catalogues[language][key as Key], `${language} ${key} (${name})`).toEqual(text);
          if (!/^(job|map)Words/.test(name))
            expect(said[language][key as keyof typeof saidWordsEn], `${language} ${key} (${name})`).toEqual(
              text,
            );
        }
  });
});

describe('counts in the said books', () => {
  it("pick a plural form by their count: no '{count} disk(s)' or 'paar/paren' left, and one form differs from the other", () => {
    const hedged: string[] = [];
    for (const [language, book] of [
      ['en', saidWordsEn],
      ['nl', saidWordsNl],
    ] as const)
      for (const [key, entry] of Object.entries(book)) {
        const forms = typeof entry === 'string' ? [entry] : [entry.one, entry.other];
        if (typeof entry !== 'string' && entry.one === entry.other)
          hedged.push(`${language} ${key}: one form`);
        for (const form of forms)
          if (/\{count\} [^,;:()]*?[\wé’]\((?:s|en|’s)\)|\{count\} \w+\/\w+/.test(form))
            hedged.push(`${language} ${key}: ${form}`);
      }
    expect(hedged).toEqual([]);
  });
});

describe('messages', () => {
  it('picks the plural by count and formats numbers inside by locale', () => {
    expect(translate('en', 'jobs.running', { count: 1 })).toBe('1 job running');
    expect(translate('en', 'jobs.running', { count: 5000 })).toBe('5,000 jobs running');
    expect(translate('nl', 'jobs.running', { count: 5000 })).toBe('5.000 taken lopen');
    setLanguage('nl');
    expect(t('plans.slotsFree', { free: 1200, total: 4096 })).toBe('1.200 van 4.096 slots vrij');
    expect(catalogue('nl')['jobs.title']).toBe('Taken');
  });

  it('follows the browser language unless one is chosen, and falls back to English', () => {
    expect(resolveLanguage('system', ['nl-BE', 'en-US'])).toBe('nl');
    expect(resolveLanguage('system', ['de-DE', 'fr'])).toBe('en');
    expect(resolveLanguage('system', ['de-DE', 'nl'])).toBe('nl');
    expect(resolveLanguage('en', ['nl-NL'])).toBe('en');
    expect(resolveLanguage('nl', [])).toBe('nl');
  });
});

describe('the notice of a job that ended', () => {
  const job = (state: string, error: string | null = null) =>
    ({ kind: 'test-failover', dryRun: true, state, error }) as unknown as Parameters<typeof endedText>[0];

  it("says what ended and how, in the console's language", () => {
    expect(endedText(job('succeeded'))).toEqual({
      title: 'Test failover (dry run) finished',
      body: 'Every step finished.',
    });
    setLanguage('nl');
    expect(endedText(job('succeeded'))).toEqual({
      title: 'Testfailover (proefrun) is voltooid',
      body: 'Alle stappen zijn voltooid.',
    });
    expect(endedText(job('cancelled'))).toEqual({
      title: 'Testfailover (proefrun) is geannuleerd',
      body: 'De taak is geannuleerd.',
    });
  });

  it('says what a job for no plan acted on, its list of machines in the console’s words', () => {
    const mt = {
      ...job('succeeded'),
      kind: 'configure-master-target' as const,
      dryRun: false,
      subject: 'ams-mt-lnx-01',
    };
    expect(endedText(mt).title).toBe('Configure master target for ams-mt-lnx-01 finished');
    const resync = {
      ...job('failed'),
      kind: 'resync' as const,
      dryRun: false,
      subject: 'app-01, db-01, db-02 and 2 more',
      subjectWords: { key: 'list.more', params: { list: 'app-01, db-01, db-02', more: 2 } },
    };
    setLanguage('nl');
    expect(endedText(mt).title).toBe('Master target configureren voor ams-mt-lnx-01 is voltooid');
    expect(endedText(resync).title).toBe('Hersynchroniseren voor app-01, db-01, db-02 en nog 2 is mislukt');
  });

  it("keeps the server's own error as the reason a job failed", () => {
    setLanguage('nl');
    expect(endedText(job('failed', 'datastore rtm-nfs-01 is full'))).toEqual({
      title: 'Testfailover (proefrun) is mislukt',
      body: 'datastore rtm-nfs-01 is full',
    });
  });
});

describe('the Updates card', () => {
  const policy = '/etc/siteshift/policy.json';
  it("words every state the host reports, keeping the updater's own error text", () => {
    expect(updatesNote({ kind: 'checking', url: 'https://u.example.org/s', channel: 'beta' })).toBe(
      'Checking https://u.example.org/s on the Beta channel…',
    );
    expect(updatesNote({ kind: 'downloaded', version: null })).toBe(
      'A new version is ready and will be installed when Siteshift quits.',
    );
    setLanguage('nl');
    expect(updatesNote({ kind: 'package-manager' })).toBe(
      'De browserconsole wordt bijgewerkt met het pakket waaruit ze draait (npm).',
    );
    expect(updatesNote({ kind: 'development' })).toBe(
      'Alleen de geïnstalleerde console werkt zichzelf bij (dit is een ontwikkelversie).',
    );
    expect(updatesNote({ kind: 'no-server', file: policy })).toBe(
      `Uw organisatie heeft geen updateserver ingesteld (${policy}); Siteshift werkt zichzelf niet bij.`,
    );
    expect(updatesNote({ kind: 'policy-unreadable', file: policy, problem: 'bad-url', detail: null })).toBe(
      `Het updatebeleid van uw organisatie (${policy}) kan niet worden gebruikt: de update-URL moet https zijn.`,
    );
    expect(updatesNote({ kind: 'policy-unreadable', file: policy, problem: 'not-json', detail: null })).toBe(
      `Het updatebeleid van uw organisatie (${policy}) kan niet worden gelezen: het is geen geldige JSON.`,
    );
    expect(
      updatesNote({
        kind: 'policy-unreadable',
        file: policy,
        problem: 'invalid',
        detail: 'updates: expected object',
      }),
    ).toBe(
      `Het updatebeleid van uw organisatie (${policy}) kan niet worden gebruikt (updates: expected object).`,
    );
    // A part that must be an object, as the policy reader reports it: worded, not the validator's text.
    const notObject = {
      kind: 'policy-unreadable',
      file: policy,
      problem: 'invalid',
      expected: 'object',
    } as const;
    expect(updatesNote({ ...notObject, detail: 'updates: Invalid input', field: 'updates' })).toBe(
      `Het updatebeleid van uw organisatie (${policy}) kan niet worden gebruikt: updates moet een JSON-object zijn.`,
    );
    expect(updatesNote({ ...notObject, detail: '(root): Invalid input', field: null })).toBe(
      `Het updatebeleid van uw organisatie (${policy}) kan niet worden gebruikt: het bestand moet een JSON-object bevatten.`,
    );
    expect(updatesNote({ kind: 'off' })).toBe('Automatische updates staan uit.');
    expect(updatesNote({ kind: 'checking', url: 'https://u.example.org/s', channel: 'stable' })).toBe(
      'https://u.example.org/s wordt gecontroleerd op het kanaal Stabiel…',
    );
    expect(updatesNote({ kind: 'available', version: '2.1.0' })).toBe(
      'Versie 2.1.0 is beschikbaar en wordt gedownload.',
    );
    expect(updatesNote({ kind: 'downloaded', version: null })).toBe(
      'Een nieuwe versie staat klaar en wordt geïnstalleerd wanneer Siteshift stopt.',
    );
    expect(updatesNote({ kind: 'available', version: null })).toBe(
      'Er is een nieuwe versie beschikbaar; die wordt gedownload.',
    );
    expect(updatesNote({ kind: 'up-to-date' })).toBe('Siteshift is bijgewerkt.');
    expect(updatesNote({ kind: 'error', detail: 'net::ERR_NAME_NOT_RESOLVED' })).toBe(
      'Het zoeken naar updates is mislukt: net::ERR_NAME_NOT_RESOLVED',
    );
  });
});

describe("the map's line of facts under a node", () => {
  const node = (kind: string, attributes: Record<string, unknown>) =>
    ({ kind, detail: '', source: { attributes } }) as unknown as Parameters<typeof nodeDetail>[0];

  it('is written in Dutch, with Dutch numbers and plurals', () => {
    setLanguage('nl');
    expect(nodeDetail(node('config-server', { pairs: 1200, alerts: 1 }))).toBe('1.200 paren · 1 melding');
    expect(nodeDetail(node('vm', { powerState: 'poweredOff', ip: '10.0.0.4' }))).toBe('Uit · 10.0.0.4');
    expect(nodeDetail(node('esxi-host', { vms: 1, connectionState: 'connected' }))).toBe('1 VM · verbonden');
    expect(nodeDetail(node('process-server', { cpu: 22, cacheFree: 78 }))).toBe('CPU 22% · cache vrij 78%');
    expect(nodeDetail(node('master-target', { slotsUsed: 0, slotsFree: 58 }))).toBe('0 gebruikt · 58 vrij');
    expect(nodeDetail(node('hyperv-host', { replicaServer: true }))).toBe('Replicaserver ingeschakeld');
  });

  it('and in English', () => {
    expect(nodeDetail(node('config-server', { pairs: 66, alerts: 1 }))).toBe('66 pairs · 1 alert');
    expect(nodeDetail(node('process-server', { cpu: null }))).toBe('no health report');
  });
});

describe('formatting by locale', () => {
  it('writes numbers, sizes, dates, ages and durations the Dutch way', () => {
    setLanguage('nl');
    expect(formatNumber(5000)).toBe('5.000');
    expect(formatBytes(1.5 * 1024 ** 3)).toBe('1,5 GiB');
    expect(formatDateTime('2026-03-05T14:07:09Z')).toMatch(/^5 mrt 2026/);
    const now = Date.parse('2026-03-08T12:00:00Z');
    expect(formatAge('2026-03-05T12:00:00Z', now)).toBe('3 dagen geleden');
    expect(formatAge(null, now)).toBe('nooit');
    expect(formatDuration(3 * 3600 + 10 * 60)).toBe('3 uur 10 min');
  });

  it('and the English way', () => {
    setLanguage('en');
    expect(formatNumber(5000)).toBe('5,000');
    expect(formatBytes(1.5 * 1024 ** 3)).toBe('1.5 GiB');
    expect(formatBytes(512)).toBe('512 B');
    const now = Date.parse('2026-03-08T12:00:00Z');
    expect(formatAge('2026-03-08T11:57:00Z', now)).toBe('3 minutes ago');
    expect(formatDuration(45)).toBe('45 sec');
    expect(formatDuration(185)).toBe('3 min 5 sec');
  });

  it("writes a time of day one way, on the locale's own clock: a job's moment in the list as its log's lines", () => {
    // Local time, as the console shows it: 9 in the morning, today and the day before.
    const at = new Date(2026, 10, 30, 9, 21, 25);
    const now = new Date(2026, 10, 30, 17, 0, 0).getTime();
    const yesterday = new Date(2026, 10, 29, 9, 21, 25);
    setLanguage('en');
    expect(formatTime(at)).toMatch(/^9:21:25\s[AP]M$/);
    expect(formatMoment(at, now)).toBe(formatTime(at));
    expect(formatMoment(yesterday, now)).toBe(formatDateTime(yesterday));
    expect(formatMoment(yesterday, now)).toMatch(/^Nov 29, 2026, 9:21:25\sAM$/);
    setLanguage('nl');
    expect(formatTime(at)).toBe('09:21:25');
    expect(formatMoment(at, now)).toBe('09:21:25');
    expect(formatMoment(yesterday, now)).toBe(formatDateTime(yesterday));
  });
});

/**
 * Words the console writes that are not the console's to translate: its name, the names of
 * operating systems, and commands and file names shown as they are typed.
 */
const notEnglish = new Set([
  'Siteshift',
  'Windows',
  'Linux',
  'vSphere',
  'Hyper-V',
  'openssl genpkey -algorithm ed25519 -out export-signing.pem',
  'siteshift export … --sign-key',
  '/home/me/keys/export-signing.pem',
  'SHA256:…',
]);
/** Attributes a person reads or hears. */
const spoken = new Set([
  'aria-label',
  'aria-description',
  'aria-valuetext',
  'title',
  'placeholder',
  'alt',
  'label',
]);

/** An ESTree node, as far as these checks read it. */
type AstNode = { type: string; start: number } & Record<string, unknown>;
const isNode = (v: unknown): v is AstNode => typeof v === 'object' && v !== null && 'type' in v;

/** The literal text an expression can end up as (through `a ? 'x' : 'y'`, `a && 'x'`, templates), not through calls. */
function literals(node: unknown): Array<{ text: string; start: number }> {
  if (!isNode(node)) return [];
  const n = (key: string) => node[key];
  if (node.type === 'Literal' && typeof n('value') === 'string')
    return [{ text: n('value') as string, start: node.start }];
  if (node.type === 'TemplateLiteral')
    return [
      {
        text: (n('quasis') as Array<{ value: { cooked: string | null } }>)
          .map((q) => q.value.cooked ?? '')
          .join(' '),
        start: node.start,
      },
      ...(n('expressions') as unknown[]).flatMap(literals),
    ];
  if (node.type === 'ConditionalExpression')
    return [...literals(n('consequent')), ...literals(n('alternate'))];
  if (node.type === 'LogicalExpression') return [...literals(n('left')), ...literals(n('right'))];
  if (node.type === 'ParenthesizedExpression' || node.type === 'JSXExpressionContainer')
    return literals(n('expression'));
  return [];
}

/** Text written in a component's JSX rather than taken from the catalogue, with its file and line. */
function untranslated(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  const { program, errors } = parseSync(file, source, { lang: 'tsx' });
  expect(errors, file).toEqual([]);
  const out: string[] = [];
  const report = (text: string, start: number) => {
    const words = text.replace(/\s+/g, ' ').trim();
    if (!/\p{L}{2,}/u.test(words) || notEnglish.has(words)) return;
    out.push(`${relative(process.cwd(), file)}:${source.slice(0, start).split('\n').length}: ${words}`);
  };
  const visit = (node: unknown, parent: AstNode | null) => {
    if (Array.isArray(node)) {
      for (const child of node) visit(child, parent);
      return;
    }
    if (!isNode(node)) return;
    if (node.type === 'JSXText') report(node.value as string, node.start);
    if (node.type === 'JSXExpressionContainer' && parent?.type !== 'JSXAttribute')
      for (const l of literals(node.expression)) report(l.text, l.start);
    if (node.type === 'JSXAttribute' && spoken.has((node.name as { name?: string }).name ?? ''))
      for (const l of literals(node.value)) report(l.text, l.start);
    for (const value of Object.values(node)) if (typeof value === 'object') visit(value, node);
  };
  visit(program, null);
  return out;
}

const tsx = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tsx(join(dir, e.name)) : e.name.endsWith('.tsx') ? [join(dir, e.name)] : [],
  );

describe("the console's components", () => {
  it('write no text of their own: every word on screen comes from the catalogue, in English and Dutch', () => {
    expect(tsx('renderer/src').flatMap(untranslated)).toEqual([]);
  });
});
