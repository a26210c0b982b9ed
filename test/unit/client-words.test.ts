import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Transport } from '../../core/configserver/transport';
import { signingKeyStatus } from '../../core/console/export';
import { PowerShellError } from '../../core/hyperv/powershell';
import { SshSession } from '../../core/hyperv/ssh';
import { checkScsiSlot } from '../../core/inventory/operations';
import { probeCertificate } from '../../core/tls';
import { buildTopology } from '../../core/topology/build';
import { faultFromDetail } from '../../core/vsphere/faults';
import { networkError } from '../../core/vsphere/transport';
import { tServer, useLocale } from '../../renderer/src/i18n';
import { errorText } from '../../renderer/src/store';
import { createDispatcher, type Handlers } from '../../shared/dispatch';
import { ApiError, errorFields } from '../../shared/errors';
import { clientWordsEn, clientWordsNl, sayClient } from '../../shared/i18n/client-words';
import { operationWordsEn, operationWordsNl } from '../../shared/i18n/operation-words';
import { saidIn } from '../../shared/i18n/said-words';
import { sayStep } from '../../shared/i18n/step-words';
import { closedPort, rejection } from '../support/net';
import { dutchGaps, englishOf } from '../support/words';

const root = join(__dirname, '../..');

/**
 * Where the client side makes errors an operator reads: the core client of a configuration
 * server, the TLS probe, the vSphere and Hyper-V connections and operations (a workflow's step
 * fails with their errors), and the console host's own calls.
 */
const clientSources = [
  ...['core/configserver', 'core/console'].flatMap((dir) =>
    readdirSync(join(root, dir))
      .filter((f) => f.endsWith('.ts'))
      .map((f) => relative(root, join(root, dir, f))),
  ),
  'core/tls.ts',
  'core/vsphere/transport.ts',
  'core/vsphere/connector.ts',
  'core/vsphere/client.ts',
  'core/vsphere/soap.ts',
  'core/vsphere/faults.ts',
  'core/vsphere/watch.ts',
  'core/hyperv/ssh.ts',
  'core/hyperv/connector.ts',
  'core/hyperv/client.ts',
  'core/hyperv/powershell.ts',
  'core/topology/export/document.ts',
  'shared/dispatch.ts',
  // The operations the configuration server's workflows run: their errors end a step.
  'core/vsphere/operations.ts',
  'core/vsphere/vm.ts',
  'core/vsphere/tasks.ts',
  'core/vsphere/property.ts',
  'core/hyperv/operations.ts',
  'core/inventory/operations.ts',
];

/**
 * Errors these files make in English on purpose (one ending in a space: its start, a value follows): a socket's timeout signal that the same file
 * turns into words, and invariants a person meets only as a bug.
 */
const leftEnglish = new Set([
  'core/tls.ts: timeout',
  'core/vsphere/transport.ts: connect timeout',
  'core/vsphere/transport.ts: timeout',
  'core/console/protection.ts: not a configuration server connection',
  'core/vsphere/client.ts: the vSphere client is not connected',
  'core/hyperv/powershell.ts: invalid operation name ',
  'core/console/webhost.ts: web host has no TCP address',
]);

/** The error has words, their English is its message, and a Dutch console words it otherwise. */
function worded(err: ApiError, key: string): string {
  expect(err.messageWords?.key).toBe(key);
  expect(englishOf(err.messageWords!)).toBe(err.message);
  useLocale.setState({ locale: 'nl' });
  const dutch = errorText(err);
  useLocale.setState({ locale: 'en' });
  expect(dutch).not.toBe(err.message);
  expect(errorText(err)).toBe(err.message);
  return dutch;
}

describe('the client words book', () => {
  afterEach(() => useLocale.setState({ locale: 'en' }));

  it('every error the client side makes for an operator is said from the book, apart from the few left English', () => {
    const literal: string[] = [];
    for (const file of clientSources) {
      const text = readFileSync(join(root, file), 'utf8');
      // The message argument: after the code (for an ApiError), up to its first quote's end.
      const calls = text.matchAll(
        /new (?:ApiError\(\s*'[\w-]+',|(?:Error|SecretUnavailableError)\()\s*(['`"])((?:\\.|(?!\1).)*)/g,
      );
      for (const [, , message] of calls) literal.push(`${file}: ${message}`);
    }
    const known = (l: string) =>
      [...leftEnglish].some((k) => l === k || (k.endsWith(' ') && l.startsWith(k)));
    expect(literal.filter((l) => !known(l))).toEqual([]);
    // The scan finds what it looks for: each one left English is among them.
    for (const k of leftEnglish)
      expect(
        literal.some((l) => l === k || l.startsWith(k)),
        k,
      ).toBe(true);
  });

  it('has a Dutch entry with the same placeholders for every English one', () => {
    expect(dutchGaps(clientWordsEn, clientWordsNl)).toEqual([]);
    expect(dutchGaps(operationWordsEn, operationWordsNl)).toEqual([]);
  });

  it('says one attempt and several attempts in both languages, the form picked by the count', () => {
    const error = sayClient('client.ssh.cannotReach', { endpoint: 'hv-01:22' });
    const gaveUp = (count: number) => {
      const said = sayClient('client.ssh.gaveUp', { error, count });
      return [said.text, saidIn('nl', said.text, said.words)];
    };
    expect(gaveUp(1)).toEqual([
      expect.stringMatching(/\. Gave up after 1 attempt\.$/),
      expect.stringMatching(/\. Gestopt na 1 poging\.$/),
    ]);
    expect(gaveUp(3)).toEqual([
      expect.stringMatching(/\. Gave up after 3 attempts\.$/),
      expect.stringMatching(/\. Gestopt na 3 pogingen\.$/),
    ]);
    // A job that gave up on a step after its attempts: the same in the job's error.
    const jobError = (count: number) => {
      const said = sayStep('jobError.gaveUp.other', { step: 'copy', error: 'refused', count });
      return saidIn('nl', said.text, said.words).match(/\(na .*?\)/)?.[0];
    };
    expect([jobError(1), jobError(2)]).toEqual(['(na 1 poging)', '(na 2 pogingen)']);
  });

  it("words an operation's refusal of a SCSI slot, the slot as sent", () => {
    const err = (() => {
      try {
        checkScsiSlot(1, 7);
      } catch (e) {
        return e as ApiError;
      }
      throw new Error('slot 1:7 was taken');
    })();
    expect(err.code).toBe('invalid-input');
    expect(worded(err, 'op.scsiUnit')).toBe(
      'SCSI-unit 7 kan geen schijf bevatten: gebruik 0-6 of 8-15 (unit 7 is de controller zelf)',
    );
  });

  it('words an unreachable configuration server around the system message, with a hint for ECONNREFUSED', async () => {
    const port = await closedPort();
    const transport = new Transport(`http://127.0.0.1:${port}`, {}, 2_000);
    const err = await rejection(transport.request('GET', '/api/v1/health', {}));
    transport.close();
    expect(err.code).toBe('unreachable');
    expect(err.message).toBe(
      `cannot reach the configuration server at http://127.0.0.1:${port}: connect ECONNREFUSED 127.0.0.1:${port}; nothing listens at that address and port; check them, and that the server runs`,
    );
    const dutch = worded(err, 'client.serverUnreachableHint');
    // The library's text is a value, as sent; the sentence around it and the hint are Dutch.
    expect(dutch).toBe(
      `kan de configuratieserver op http://127.0.0.1:${port} niet bereiken: connect ECONNREFUSED 127.0.0.1:${port}; op dat adres en die poort luistert niets; controleer ze, en of de server draait`,
    );
  });

  it('words a bad configuration server URL and a timed-out call', async () => {
    const bad = await rejection(Promise.resolve().then(() => new Transport('ftp://dr.example')));
    expect(worded(bad, 'client.serverUrl')).toBe(
      'de URL van een configuratieserver begint met http:// of https:// (opgegeven: ftp://dr.example)',
    );
    // A server that accepts and never answers.
    const silent = createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const { port } = silent.address() as { port: number };
    const transport = new Transport(`http://127.0.0.1:${port}`, {}, 200);
    const err = await rejection(transport.request('GET', '/api/v1/sites', {}));
    transport.close();
    silent.close();
    expect(err.code).toBe('timeout');
    expect(worded(err, 'client.serverTimeout')).toBe('GET /api/v1/sites duurde langer dan 200 ms');
  });

  it('words the TLS probe, a vCenter and a Hyper-V host that refuse the connection', async () => {
    const port = await closedPort();
    const probe = await rejection(probeCertificate(`https://127.0.0.1:${port}`, { timeoutMs: 2_000 }));
    expect(worded(probe, 'client.hostUnreachableHint')).toMatch(
      new RegExp(`^kan 127\\.0\\.0\\.1:${port} niet bereiken: connect ECONNREFUSED .*; op dat adres`),
    );
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    expect(worded(networkError(refused, 'https://vc.example/sdk'), 'client.vsphere.refused')).toBe(
      'vc.example weigerde de verbinding: kloppen het adres en de poort van de vCenter/ESXi?',
    );
    const ssh = new SshSession({
      host: '127.0.0.1',
      port,
      username: 'admin',
      password: 'x',
      hostKey: `SHA256:${'A'.repeat(43)}`,
      connectAttempts: 1,
    });
    const err = await rejection(ssh.connect());
    await ssh.close();
    expect(err.message).toMatch(/Gave up after 1 attempt\.$/);
    expect(worded(err, 'client.ssh.gaveUp')).toBe(
      `Kan 127.0.0.1:${port} niet via SSH bereiken: op die poort luistert niets; is OpenSSH Server op de host geïnstalleerd en gestart? (ECONNREFUSED). Gestopt na 1 poging.`,
    );
  });

  it("words a vCenter's faults around vCenter's own text: a refused login, a missing privilege, an unknown fault", () => {
    const login = faultFromDetail(
      'Login',
      'InvalidLogin',
      'Cannot complete login due to an incorrect user name or password.',
      undefined,
    );
    expect(login.code).toBe('invalid-login');
    expect(worded(login, 'client.vim.InvalidLogin')).toBe(
      'de gebruikersnaam of het wachtwoord werd geweigerd (InvalidLogin): controleer beide en probeer het opnieuw',
    );
    const denied = faultFromDetail(
      'PowerOnVM_Task',
      'NoPermission',
      'Permission to perform this operation was denied.',
      undefined,
    );
    expect(denied.message).toBe(
      'PowerOnVM_Task: the user lacks a privilege for this (NoPermission): Permission to perform this operation was denied.; ask the vCenter administrator for the role',
    );
    expect(worded(denied, 'client.vim.NoPermission')).toBe(
      'PowerOnVM_Task: de gebruiker mist hiervoor een bevoegdheid (NoPermission): Permission to perform this operation was denied.; vraag de vCenter-beheerder om de rol',
    );
    expect(
      worded(
        faultFromDetail('Destroy_Task', 'VimFaultFromTheFuture', '', undefined),
        'client.vim.failedFault',
      ),
    ).toBe('Destroy_Task mislukte met de vSphere-fout VimFaultFromTheFuture');
  });

  it("words a PowerShell failure on a Hyper-V host around the host's own message", () => {
    const err = new PowerShellError('unauthorized', {
      op: 'Get-VM',
      endpoint: 'hv-01:22',
      exitCode: 1,
      psMessage: 'You do not have the required permission to complete this task.',
      cmdlet: 'Get-VM',
      category: 'PermissionDenied',
      errorId: null,
    });
    expect(worded(err, 'client.ps.failed')).toBe(
      'Get-VM mislukte op hv-01:22: You do not have the required permission to complete this task.',
    );
  });

  it("words the console host's refusal of a call: an unknown one, and input with a control character", async () => {
    const dispatch = createDispatcher({} as Handlers);
    expect(worded(await rejection(dispatch('connections:rename', {})), 'client.unknownCall')).toBe(
      'Er is geen aanroep met de naam "connections:rename".',
    );
    const pasted = await rejection(dispatch('connections:check', { id: 'c\u001b[2J' }));
    expect(pasted.message).toBe(
      'connections:check: input.id contains a control character (such as NUL or ESC); remove it',
    );
    expect(worded(pasted, 'client.callInput')).toBe(
      'connections:check: input.id bevat een stuurteken (zoals NUL of ESC); verwijder het',
    );
  });

  it("words why Settings cannot sign exports with the key file named, the key's name worded too", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'siteshift-client-words-'));
    try {
      const path = join(dir, 'key.pem');
      writeFileSync(path, 'not a key', { mode: 0o600 });
      const status = await signingKeyStatus(path);
      expect(status.problem).toMatch(/^The export signing key .* is not a PEM private key \(/);
      expect(status.problemWords?.key).toBe('client.signingKeyNotPem');
      expect(englishOf(status.problemWords!)).toBe(status.problem);
      useLocale.setState({ locale: 'nl' });
      expect(tServer(status.problem!, status.problemWords)).toMatch(
        new RegExp(`^De ondertekeningssleutel voor exports ${path} is geen PEM-privésleutel \\(`),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("words a lost event stream around the server's refusal, and keeps the words on the map's source errors", () => {
    const refused = sayClient('client.streamRefused', { status: 401 });
    const lost = sayClient('client.streamLostBecause', { name: 'DR', error: refused });
    expect(lost.text).toBe(
      'Lost the event stream of DR: the server refused the event stream (HTTP 401); reconnecting.',
    );
    useLocale.setState({ locale: 'nl' });
    expect(tServer(lost.text, lost.words)).toBe(
      'De gebeurtenisstroom van DR is verbroken: de server weigerde de gebeurtenisstroom (HTTP 401); er wordt opnieuw verbonden.',
    );
    const noConnection = new ApiError('not-found', sayClient('client.noConnection', { id: 'c-9' }));
    const topology = buildTopology(
      [
        {
          connection: {
            id: 'c-1',
            name: 'vc-ams',
            site: 'primary',
            target: { kind: 'vsphere', url: 'https://vc.example/sdk', username: 'u' },
            trust: null,
            hasSecret: true,
            lab: false,
          },
          inventory: null,
          ...errorFields(noConnection),
        },
      ],
      1,
    );
    const [error] = topology.errors;
    expect(error?.words).toEqual({ key: 'client.noConnection', params: { id: 'c-9' } });
    expect(tServer(error!.message, error!.words)).toBe('Er is geen verbinding met id c-9.');
    // An error said by no one (another system's text) stays as sent.
    expect(errorFields(new Error('plain'))).toEqual({ error: 'plain' });
  });
});
