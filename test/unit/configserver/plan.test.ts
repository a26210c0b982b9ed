import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { tServer, useLocale } from '../../../renderer/src/i18n';
import {
  bootOrder,
  dependencyCycle,
  diffPlans,
  formatPlanPath,
  type PlanIssue,
  type PlanSpec,
  type PlanSpecInput,
  planJsonSchema,
  planSchemaIssues,
  planSpecSchema,
  sameSubnet,
} from '../../../shared/configserver/plan';
import { issueExample } from '../../support/plans';
import { englishOf } from '../../support/words';

const base: PlanSpecInput = {
  name: 'p',
  source: { site: 'primary' },
  target: { site: 'secondary' },
};

function planIssuesOf(input: unknown): PlanIssue[] {
  const r = planSpecSchema.safeParse(input);
  const found = r.success ? [] : planSchemaIssues(r.error);
  // Every message the plan file's validation writes carries its words, whose English it is.
  for (const i of found) {
    expect(i.messageWords, i.message).toBeDefined();
    expect(englishOf(i.messageWords!)).toBe(i.message);
  }
  return found;
}

function issuesOf(input: unknown): string[] {
  return planIssuesOf(input).map((i) => `${i.path}: ${i.message}`);
}

const withMachines = (machines: unknown[], extra: Record<string, unknown> = {}) => ({
  ...base,
  machines,
  ...extra,
});

describe('plan file schema', () => {
  it('reads the issue example; only the dependency outside the plan is refused', () => {
    expect(issuesOf(parseYaml(issueExample))).toEqual([
      'machines[1].dependsOn[0]: db-01 is not in this plan',
    ]);
  });

  it('fills defaults and keeps the field names of the file', () => {
    const plan = planSpecSchema.parse({ ...base, machines: [{ vm: 'a' }] });
    expect(plan).toEqual({
      name: 'p',
      source: { site: 'primary' },
      target: { site: 'secondary', networks: {} },
      policy: { rpoThresholdMinutes: 15, retentionHours: 24, appConsistentEveryMinutes: 60 },
      parallelism: 4,
      machines: [{ vm: 'a', bootGroup: 1, dependsOn: [] }],
      steps: [],
    });
  });

  it('refuses unknown fields, naming them', () => {
    const out = issuesOf({ ...base, machines: [{ vm: 'a', bootgroup: 2 }] });
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(/^machines\[0\]: .*bootgroup/);
  });

  it('placement needs exactly one of cluster and host, and a datastore', () => {
    const t = (placement: unknown) => issuesOf({ ...base, target: { site: 'secondary', placement } });
    expect(t({ datastore: 'ds' })).toEqual([
      'target.placement.cluster: give the cluster or the host the recovered VMs run on',
    ]);
    expect(t({ cluster: 'C0', host: 'h', datastore: 'ds' })).toEqual([
      'target.placement.host: give cluster or host, not both',
    ]);
    expect(t({ host: 'h' })[0]).toMatch(/^target\.placement\.datastore: /);
    expect(t({ cluster: 'C0', datastore: 'ds', folder: 'Recovered' })).toEqual([
      'target.placement.folder: a folder is a path that starts with /, e.g. /Recovered',
    ]);
    expect(t({ host: 'h', datastore: 'ds', folder: '/DR/Apps' })).toEqual([]);
  });

  it('re-IP: address with prefix, gateway inside it, DNS addresses', () => {
    const reip = (r: unknown) => issuesOf(withMachines([{ vm: 'a', reip: r }]));
    expect(reip({ address: '10.20.0.11' })).toEqual([
      'machines[0].reip.address: an IPv4 address with its prefix length, e.g. 10.20.0.11/24',
    ]);
    expect(reip({ address: '10.20.0.11/24', gateway: '10.30.0.1' })).toEqual([
      'machines[0].reip.gateway: 10.30.0.1 is not inside 10.20.0.11/24; the gateway must be on the new subnet',
    ]);
    expect(reip({ address: '10.20.0.11/24', dns: ['dns.local'] })).toEqual([
      'machines[0].reip.dns[0]: an IPv4 address, e.g. 10.20.0.1',
    ]);
    expect(reip({ address: '10.20.0.11/24', gateway: '10.20.0.1', dns: ['10.20.0.2'] })).toEqual([]);
    expect(reip({ address: '10.20.0.11/24', domain: 'dr example.com' })).toEqual([
      'machines[0].reip.domain: a DNS domain such as dr.example.com',
    ]);
    expect(reip({ address: '10.20.0.11/24', workgroup: 'FINANCE-WORKGROUP' })).toEqual([
      'machines[0].reip.workgroup: a workgroup name of 1-15 letters, digits, - or _',
    ]);
    expect(reip({ address: '10.20.0.11/24', domain: 'dr.example.com', workgroup: 'DR' })).toEqual([]);
  });

  it('steps are a message or a script, after a boot group that exists', () => {
    const steps = (s: unknown[]) =>
      issuesOf(withMachines([{ vm: 'a' }, { vm: 'b', bootGroup: 2 }], { steps: s }));
    expect(steps([{ after: 1 }])).toEqual(['steps[0]: a step needs a message or a script']);
    expect(steps([{ after: 1, message: 'x', script: { command: 'c', timeoutSeconds: 5 } }])).toEqual([
      'steps[0]: a step is a message or a script, not both: write two steps',
    ]);
    expect(steps([{ after: 3, message: 'x' }])).toEqual([
      'steps[0].after: boot group 3 has no machine (groups: 1, 2)',
    ]);
    expect(steps([{ after: 1, script: { command: 'c' } }])[0]).toMatch(
      /^steps\[0\]\.script\.timeoutSeconds: /,
    );
    expect(steps([{ after: 1, script: { command: '/x', timeoutSeconds: 0 } }])[0]).toMatch(
      /^steps\[0\]\.script\.timeoutSeconds: /,
    );
  });

  it('dependencies: in the plan, not itself, not in a later boot group, no cycle', () => {
    expect(
      issuesOf(
        withMachines([
          { vm: 'web', bootGroup: 2, dependsOn: ['app', 'db-01'] },
          { vm: 'app', bootGroup: 3 },
          { vm: 'self', dependsOn: ['self'] },
        ]),
      ),
    ).toEqual([
      "machines[0].dependsOn[0]: app is in boot group 3, after web's group 2; a dependency must boot in the same or an earlier group",
      'machines[0].dependsOn[1]: db-01 is not in this plan',
      'machines[2].dependsOn[0]: self cannot depend on itself',
    ]);
    expect(
      issuesOf(
        withMachines([
          { vm: 'a', dependsOn: ['b'] },
          { vm: 'b', dependsOn: ['c'] },
          { vm: 'c', dependsOn: ['a'] },
        ]),
      ),
    ).toEqual(['machines[0].dependsOn: dependency cycle: a → b → c → a']);
  });

  it('a VM appears once and recovered names do not collide', () => {
    expect(issuesOf(withMachines([{ vm: 'a' }, { vm: 'a' }]))).toEqual([
      'machines[1].vm: a is already machines[0]',
      'machines[1].vm: machines[0] is also recovered as a; give one of them another recoveredName',
    ]);
    expect(issuesOf(withMachines([{ vm: 'a' }, { vm: 'b', recoveredName: 'A' }]))).toEqual([
      'machines[1].recoveredName: machines[0] is also recovered as A; give one of them another recoveredName',
    ]);
  });

  it('names paths the way the messages do', () => {
    expect(formatPlanPath(['machines', 3, 'dependsOn', 0])).toBe('machines[3].dependsOn[0]');
    expect(formatPlanPath([])).toBe('(plan)');
    expect(sameSubnet('10.0.0.1/8', '10.255.1.1')).toBe(true);
    expect(sameSubnet('10.0.0.1/32', '10.0.0.2')).toBe(false);
  });
});

describe("plan file issues in the console's language", () => {
  afterEach(() => useLocale.setState({ locale: 'en' }));
  const dutch = (input: unknown) => {
    const found = planIssuesOf(input);
    useLocale.setState({ locale: 'nl' });
    const out = found.map((i) => `${i.path}: ${tServer(i.message, i.messageWords)}`);
    useLocale.setState({ locale: 'en' });
    return out;
  };

  it("zod's own issues keep zod's English and carry words: missing, wrong type, range, length, unknown keys", () => {
    const bad = {
      name: 'x'.repeat(101),
      source: { site: '' },
      target: { networks: { 'VM Network': 'DR' }, testNetwork: 7 },
      policy: { rpoThresholdMinutes: 0, retentionHours: 721, appConsistentEveryMinutes: 'hourly' },
      parallelism: 1.5,
      machines: [
        { vm: 'a', bootgroup: 2 },
        { vm: 'b', dependsOn: 'a', reip: { address: '10.0.0.2/24', dns: Array(5).fill('10.0.0.1') } },
      ],
      steps: [{ after: 1, message: 'm', wait: true, timeout: 5 }],
    };
    expect(issuesOf(bad)).toEqual([
      'name: Too big: expected string to have <=100 characters',
      'source.site: Too small: expected string to have >=1 characters',
      'target.site: Invalid input: expected string, received undefined',
      'target.testNetwork: Invalid input: expected string, received number',
      'policy.rpoThresholdMinutes: Too small: expected number to be >=1',
      'policy.retentionHours: Too big: expected number to be <=720',
      'policy.appConsistentEveryMinutes: Invalid input: expected number, received string',
      'parallelism: Invalid input: expected int, received number',
      'machines[0]: Unrecognized key: "bootgroup"',
      'machines[1].dependsOn: Invalid input: expected array, received string',
      'machines[1].reip.dns: Too big: expected array to have <=4 items',
      'steps[0]: Unrecognized keys: "wait", "timeout"',
    ]);
    expect(issuesOf('plan')).toEqual(['(plan): Invalid input: expected object, received string']);
    expect(dutch(bad)).toEqual([
      'name: te lang: hoogstens 100 tekens',
      'source.site: mag niet leeg zijn',
      'target.site: ontbreekt: vul hier een tekst in',
      'target.testNetwork: ongeldige waarde: verwacht een tekst, gekregen een getal',
      'policy.rpoThresholdMinutes: te klein: minstens 1',
      'policy.retentionHours: te groot: hoogstens 720',
      'policy.appConsistentEveryMinutes: ongeldige waarde: verwacht een getal, gekregen een tekst',
      'parallelism: ongeldige waarde: verwacht een geheel getal, gekregen een getal',
      'machines[0]: onbekend veld: "bootgroup"; controleer de spelling',
      'machines[1].dependsOn: ongeldige waarde: verwacht een lijst, gekregen een tekst',
      'machines[1].reip.dns: te veel: hoogstens 4 items',
      'steps[0]: onbekende velden: "wait", "timeout"; controleer de spelling',
    ]);
  });

  it('an issue zod words in a way the book does not know goes without words, shown as zod wrote it', () => {
    const choice = z.enum(['a', 'b']).safeParse('c');
    const one = z.literal('a').safeParse('c');
    const odd = z.string().length(3).safeParse('ab');
    const [enumIssue] = planSchemaIssues(choice.error!);
    const [literalIssue] = planSchemaIssues(one.error!);
    const [oddIssue] = planSchemaIssues(odd.error!);
    expect(enumIssue!.message).toBe('Invalid option: expected one of "a"|"b"');
    expect(englishOf(enumIssue!.messageWords!)).toBe(enumIssue!.message);
    expect(englishOf(literalIssue!.messageWords!)).toBe('Invalid input: expected "a"');
    expect(oddIssue!.message).toBe('Too small: expected string to have exactly 3 characters');
    expect(oddIssue!.messageWords).toBeUndefined();
  });

  it("the plan's own rules in Dutch: names and numbers as sent, the sentence in the console's words", () => {
    expect(
      dutch(
        withMachines(
          [
            { vm: 'web', bootGroup: 2, dependsOn: ['app', 'db-01', 'web'] },
            { vm: 'app', bootGroup: 3, reip: { address: '10.20.0.11/24', gateway: '10.30.0.1' } },
            { vm: 'a', dependsOn: ['b'] },
            { vm: 'b', dependsOn: ['a'], recoveredName: 'A' },
          ],
          {
            name: 'a/b',
            target: { site: 's', placement: { datastore: 'ds', folder: 'DR' } },
            steps: [{ after: 4, message: 'm', script: { command: 'c', timeoutSeconds: 5 } }, { after: 1 }],
          },
        ),
      ),
    ).toEqual([
      'name: een plannaam kan geen / \\ ? # of % bevatten',
      'target.placement.folder: een map is een pad dat met / begint, bijv. /Recovered',
      'target.placement.cluster: geef het cluster of de host waarop de herstelde VM’s draaien',
      'machines[1].reip.gateway: 10.30.0.1 ligt niet binnen 10.20.0.11/24; de gateway moet in het nieuwe subnet liggen',
      'steps[0]: een stap is een bericht of een script, niet allebei: schrijf twee stappen',
      'steps[1]: een stap heeft een bericht of een script nodig',
      'machines[3].recoveredName: machines[2] wordt ook hersteld als A; geef een van beide een andere recoveredName',
      'machines[0].dependsOn[0]: app zit in opstartgroep 3, na groep 2 van web; een afhankelijkheid moet in dezelfde of een eerdere groep starten',
      'machines[0].dependsOn[1]: db-01 zit niet in dit plan',
      'machines[0].dependsOn[2]: web kan niet van zichzelf afhangen',
      'machines[2].dependsOn: kringafhankelijkheid: a → b → a',
      'steps[0].after: opstartgroep 4 heeft geen machine (groepen: 1, 2, 3)',
    ]);
  });

  it('the other schema messages and rules in Dutch; a plan without machines says so', () => {
    expect(dutch({ ...base, steps: [{ after: 2, message: 'm' }] })).toEqual([
      'steps[0].after: opstartgroep 2 heeft geen machine: het plan heeft nog geen machines',
    ]);
    expect(
      dutch(
        withMachines(
          [
            { vm: 'a' },
            { vm: 'a', reip: { address: '10.0.0.2', dns: ['x'], domain: 'a b', workgroup: '-' } },
          ],
          {
            target: { site: 's', placement: { cluster: 'c', host: 'h', datastore: 'ds' } },
          },
        ),
      ),
    ).toEqual([
      'target.placement.host: geef een cluster of een host, niet allebei',
      'machines[1].reip.address: een IPv4-adres met zijn prefixlengte, bijv. 10.20.0.11/24',
      'machines[1].reip.dns[0]: een IPv4-adres, bijv. 10.20.0.1',
      'machines[1].reip.domain: een DNS-domein zoals dr.example.com',
      'machines[1].reip.workgroup: een werkgroepnaam van 1-15 letters, cijfers, - of _',
      'machines[1].vm: a is al machines[0]',
      'machines[1].vm: machines[0] wordt ook hersteld als a; geef een van beide een andere recoveredName',
    ]);
  });
});

describe('boot order', () => {
  it('orders each group by its dependencies, file order otherwise', () => {
    const plan = planSpecSchema.parse(
      withMachines([
        { vm: 'web', bootGroup: 2 },
        { vm: 'app', dependsOn: ['db'] },
        { vm: 'db' },
        { vm: 'cache' },
      ]),
    );
    expect(bootOrder(plan).map((g) => [g.group, g.machines.map((m) => m.vm)])).toEqual([
      [1, ['db', 'cache', 'app']],
      [2, ['web']],
    ]);
    expect(dependencyCycle(plan.machines)).toBeNull();
  });
});

describe('plan diff', () => {
  const a = planSpecSchema.parse(withMachines([{ vm: 'a' }, { vm: 'b' }]));
  it('a new plan is all additions; the same plan has no change', () => {
    expect(diffPlans(null, a).map((c) => `${c.kind} ${c.path}`)).toEqual([
      'added name',
      'added source',
      'added target',
      'added policy',
      'added parallelism',
      'added steps',
      'added machines[0]',
      'added machines[1]',
    ]);
    expect(diffPlans(a, a)).toEqual([]);
  });
  it('matches machines by VM name, fields by path', () => {
    const b: PlanSpec = {
      ...a,
      parallelism: 8,
      target: { ...a.target, networks: { 'VM Network': 'DR' } },
      machines: [
        { vm: 'new', bootGroup: 1, dependsOn: [] },
        a.machines[0]!,
        { ...a.machines[1]!, bootGroup: 2 },
      ],
    };
    expect(diffPlans(a, b)).toEqual([
      { path: 'target.networks.VM Network', kind: 'added', to: 'DR' },
      { path: 'parallelism', kind: 'changed', from: 4, to: 8 },
      { path: 'machines[0]', kind: 'added', to: { vm: 'new', bootGroup: 1, dependsOn: [] } },
      { path: 'machines[2].bootGroup', kind: 'changed', from: 1, to: 2 },
    ]);
    expect(diffPlans(b, a).filter((c) => c.kind === 'removed')).toEqual([
      { path: 'target.networks.VM Network', kind: 'removed', from: 'DR' },
      { path: 'machines(new)', kind: 'removed', from: { vm: 'new', bootGroup: 1, dependsOn: [] } },
    ]);
  });
});

describe('published JSON Schema', () => {
  const file = new URL('../../../shared/configserver/plan.schema.json', import.meta.url);
  it('is up to date with the zod schema (npm run schema:plan regenerates it)', () => {
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(planJsonSchema());
  });

  it('accepts the issue example and refuses what the zod schema refuses', async () => {
    const { default: Ajv2020 } = await import('ajv/dist/2020');
    const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
    const validate = ajv.compile(JSON.parse(readFileSync(file, 'utf8')));
    expect(validate(parseYaml(issueExample)), JSON.stringify(validate.errors)).toBe(true);
    expect(
      validate({ ...base, target: { site: 's', placement: { cluster: 'c', host: 'h', datastore: 'd' } } }),
    ).toBe(false);
    expect(validate({ ...base, steps: [{ after: 1 }] })).toBe(false);
    expect(validate({ ...base, machines: [{ vm: 'a', reip: { address: '10.0.0.1' } }] })).toBe(false);
    expect(validate({ ...base, extra: true })).toBe(false);
  });
});
