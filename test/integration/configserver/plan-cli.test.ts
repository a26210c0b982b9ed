import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigServerClient } from '../../../core/configserver';
import { type Lab, startLab } from '../../../server/lab';
import { addFreeWindowsVms } from '../../support/plans';

/** `siteshift plan` as a user runs it, against the lab configuration server. */
const root = resolve(__dirname, '../../..');
const bin = join(root, 'bin/siteshift.mjs');
const exec = promisify(execFile);

let lab: Lab;
let dir: string;
let operatorToken: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'siteshift-plan-cli-'));
  lab = await startLab({ vms: 12, agent: false });
  addFreeWindowsVms(lab.estate, 'ams-w-cli', 2);
  const admin = new ConfigServerClient({ url: lab.url, token: lab.adminToken });
  operatorToken = (await admin.createToken('plan-cli-operator', 'operator')).secret;
  admin.close();
});

afterAll(async () => {
  await lab?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function siteshift(args: string[], token = operatorToken, env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await exec(process.execPath, [bin, ...args], {
      cwd: dir,
      env: { ...process.env, SITESHIFT_SERVER: lab.url, SITESHIFT_TOKEN: token, SITESHIFT_DEBUG: '', ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

const planYaml = (machines: string, extra = '') => `# the web tier of Amsterdam
name: web-tier
source: { site: lab-amsterdam }
target:
  site: lab-rotterdam
  masterTarget: rtm-mt-win-01
  placement: { cluster: DR, datastore: rtm-vsan-01 }
  networks: { "VM Network": "VM Network", "dvPG-Prod-110": "dvPG-DR-210" }
  testNetwork: dvPG-Bubble-299
policy: { rpoThresholdMinutes: 15, retentionHours: 24, appConsistentEveryMinutes: 60 }
parallelism: 2
machines:
${machines}
${extra}`;

const good = planYaml(`  - { vm: ams-w-cli-01, bootGroup: 1 }
  - { vm: ams-w-cli-02, bootGroup: 2, dependsOn: [ams-w-cli-01], recoveredName: cli-02-dr,
      reip: { nic: 0, address: 10.20.0.11/24, gateway: 10.20.0.1, dns: [10.20.0.2] } }`);

describe('siteshift plan', { timeout: 180_000 }, () => {
  it('refuses a file that is not a plan, naming the field, without asking the server', async () => {
    const bad = file('bad.yaml', planYaml('  - { vm: ams-w-cli-01, dependsOn: [db-01] }'));
    const r = await siteshift(['plan', 'apply', '-f', bad, '--yes']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${bad}: error: machines[0].dependsOn[0]: db-01 is not in this plan`);
    expect(r.stderr).toContain('is not a valid plan; nothing was applied');
    const broken = file('broken.yaml', 'name: [unclosed\n');
    const y = await siteshift(['plan', 'apply', '-f', broken, '--yes']);
    expect(y.code).toBe(1);
    expect(y.stderr).toContain(`${broken} is not valid YAML`);
    const missing = await siteshift(['plan', 'apply', '-f', join(dir, 'nope.yaml'), '--yes']);
    expect(missing.stderr).toContain('cannot read');
    expect(missing.stderr).toContain('ENOENT');
  });

  it("refuses a plan the sites' inventories contradict", async () => {
    const f = file('ghost.yaml', planYaml('  - { vm: ghost-01 }\n  - { vm: ams-w-cli-01 }'));
    const r = await siteshift(['plan', 'apply', '-f', f, '--yes']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error: machines\[0\]\.vm: ghost-01 is not a VM on site lab-amsterdam/);
    expect(r.stderr).toContain('1 error(s); nothing was applied');
  });

  it('applies after confirmation (--yes without a terminal), then reports it up to date', async () => {
    const f = file('web-tier.yaml', good);
    const ask = await siteshift(['plan', 'apply', '-f', f]);
    expect(ask.code).toBe(2);
    expect(ask.stderr).toContain('no terminal to ask on; pass --yes');
    expect((await siteshift(['plan', 'list'])).stdout).not.toContain('web-tier');
    const r = await siteshift(['plan', 'apply', '-f', f, '--yes']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('plan web-tier will be created with 2 machines');
    expect(r.stdout).toMatch(/plan web-tier created \(plan_\w+\)/);
    const again = await siteshift(['plan', 'apply', '-f', f, '--yes']);
    expect(again.stdout).toBe('plan web-tier is up to date\n');
  });

  it('exports a file that applies back unchanged, in YAML and JSON; shows the difference of an edit', async () => {
    const yaml = await siteshift(['plan', 'export', 'web-tier']);
    expect(yaml.stdout).toMatch(/^name: web-tier\n/);
    const y = file('export.yaml', yaml.stdout);
    expect((await siteshift(['plan', 'apply', '-f', y, '--yes'])).stdout).toBe(
      'plan web-tier is up to date\n',
    );
    const j = join(dir, 'export.json');
    expect((await siteshift(['plan', 'export', 'web-tier', '-o', j])).code).toBe(0);
    const json = JSON.parse(readFileSync(j, 'utf8'));
    expect(json.machines[1]).toEqual({
      vm: 'ams-w-cli-02',
      bootGroup: 2,
      dependsOn: ['ams-w-cli-01'],
      recoveredName: 'cli-02-dr',
      reip: { nic: 0, address: '10.20.0.11/24', gateway: '10.20.0.1', dns: ['10.20.0.2'] },
    });
    json.parallelism = 5;
    json.target.networks['dvPG-App-120'] = 'dvPG-DR-210';
    writeFileSync(j, JSON.stringify(json));
    const v = await siteshift(['plan', 'validate', '-f', j]);
    expect(v.code).toBe(0);
    expect(v.stdout).toContain('is valid; apply would change:');
    const r = await siteshift(['plan', 'apply', '-f', j, '--yes']);
    expect(r.stdout).toContain(
      'plan web-tier changes:\n  + target.networks.dvPG-App-120: dvPG-DR-210\n  ~ parallelism: 2 → 5\n',
    );
    expect(r.stdout).toContain('plan web-tier updated');
    const list = await siteshift(['plan', 'list']);
    expect(list.stdout).toMatch(/^web-tier\s+lab-amsterdam\s+lab-rotterdam\s+rtm-mt-win-01\s+2\s+2\s/m);
    const show = await siteshift(['plan', 'show', 'web-tier']);
    expect(show.stdout).toMatch(/^# plan plan_\w+, created /);
    expect(show.stdout).toContain('parallelism: 5');
  });

  it('edits a plan in $EDITOR: the change is shown and applied; a plan changed meanwhile is refused, the edit kept', async () => {
    // Editors as scripts: each gets the file's path as its last argument, as a real editor does.
    const editor = (name: string, body: string) => {
      file(
        name,
        `import { readFileSync, writeFileSync } from 'node:fs';\nconst f = process.argv[2];\n${body}\n`,
      );
      return { EDITOR: `"${process.execPath}" ${join(dir, name)}`, VISUAL: '' };
    };
    const rpo30 = editor(
      'rpo30.mjs',
      "writeFileSync(f, readFileSync(f, 'utf8').replace('rpoThresholdMinutes: 15', 'rpoThresholdMinutes: 30'));",
    );
    const noEditor = await siteshift(['plan', 'edit', 'web-tier', '--yes'], operatorToken, {
      EDITOR: '',
      VISUAL: '',
    });
    expect(noEditor.code).toBe(1);
    expect(noEditor.stderr).toContain('set VISUAL or EDITOR to the editor to use');
    const same = await siteshift(['plan', 'edit', 'web-tier'], operatorToken, editor('same.mjs', ''));
    expect(same.stdout).toBe('plan web-tier unchanged; nothing was applied\n');
    const r = await siteshift(['plan', 'edit', 'web-tier', '--yes'], operatorToken, rpo30);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      /^plan web-tier changes:\n {2}~ policy\.rpoThresholdMinutes: 15 → 30\nplan web-tier updated \(plan_\w+\)\n$/,
    );
    expect((await siteshift(['plan', 'show', 'web-tier'])).stdout).toContain('rpoThresholdMinutes: 30');
    // Someone applies another change while the editor is open: this edit is refused, and kept.
    const other = file(
      'other.yaml',
      (await siteshift(['plan', 'export', 'web-tier'])).stdout.replace('parallelism: 5', 'parallelism: 6'),
    );
    const racing = editor(
      'racing.mjs',
      `import { execFileSync } from 'node:child_process';
execFileSync(process.execPath, [${JSON.stringify(bin)}, 'plan', 'apply', '-f', ${JSON.stringify(other)}, '--yes']);
writeFileSync(f, readFileSync(f, 'utf8').replace('rpoThresholdMinutes: 30', 'rpoThresholdMinutes: 45'));`,
    );
    const refusedEdit = await siteshift(['plan', 'edit', 'web-tier', '--yes'], operatorToken, racing);
    expect(refusedEdit.code).toBe(1);
    expect(refusedEdit.stderr).toMatch(
      /plan 'web-tier' was changed at .* since you reviewed it; review the changes again \(your edit is kept in (\S+web-tier\.yaml)\)/,
    );
    const kept = /kept in (\S+web-tier\.yaml)/.exec(refusedEdit.stderr)![1]!;
    expect(readFileSync(kept, 'utf8')).toContain('rpoThresholdMinutes: 45');
    const now = (await siteshift(['plan', 'show', 'web-tier'])).stdout;
    expect(now).toContain('parallelism: 6');
    expect(now).toContain('rpoThresholdMinutes: 30');
    // A file that is no plan any more: said by field, nothing applied, the edit kept.
    const broken = await siteshift(
      ['plan', 'edit', 'web-tier', '--yes'],
      operatorToken,
      editor(
        'broken.mjs',
        "writeFileSync(f, readFileSync(f, 'utf8').replace('parallelism: 6', 'parallelism: many'));",
      ),
    );
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/web-tier\.yaml: error: parallelism: /);
    expect(broken.stderr).toContain(
      'the edited plan is not valid; nothing was applied (your edit is kept in',
    );
    rmSync(join(kept, '..'), { recursive: true, force: true });
  });

  it('an operator cannot add a script step', async () => {
    const f = file(
      'script.yaml',
      planYaml(
        '  - { vm: ams-w-cli-01 }',
        'steps:\n  - { after: 1, script: { command: "/opt/dr/smoke.sh", timeoutSeconds: 120 } }\n',
      ),
    );
    const r = await siteshift(['plan', 'apply', '-f', f, '--yes']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'error: steps[0].script: only an admin may define a script step (your role is operator); ask an admin to apply this plan',
    );
  });

  it('checks readiness: exit 0 when ready, 1 with each failure and its fix', async () => {
    const ok = await siteshift(['plan', 'check', 'web-tier']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^Plan web-tier for protect: READY \(0 fail, \d+ warn, \d+ pass\)/);
    const test = await siteshift(['plan', 'check', 'web-tier', '--for', 'test']);
    expect(test.code).toBe(1);
    expect(test.stdout).toContain('NOT READY');
    expect(test.stdout).toContain(
      '  FAIL  Every machine is protected: not protected by this plan: ams-w-cli-01, ams-w-cli-02\n        fix: protect them first: siteshift protect web-tier',
    );
    expect(test.stderr).toContain('plan web-tier is not ready for a test failover: 1 check(s) failed');
    const json = await siteshift(['plan', 'check', 'web-tier', '--for', 'planned', '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ kind: 'planned', ready: false });
    const bad = await siteshift(['plan', 'check', 'web-tier', '--for', 'sideways']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--for must be one of protect, test, planned, unplanned, failback');
  });

  it('removes only when the name is typed or --yes is given', async () => {
    const ask = await siteshift(['plan', 'remove', 'web-tier']);
    expect(ask.code).toBe(2);
    expect(ask.stderr).toContain('type the name web-tier to confirm: no terminal to ask on; pass --yes');
    const busy = await siteshift(['plan', 'remove', 'lab-windows', '--yes']);
    expect(busy.code).toBe(1);
    expect(busy.stderr).toContain("plan 'lab-windows' still has");
    const r = await siteshift(['plan', 'remove', 'web-tier', '--yes']);
    expect(r.stdout).toBe('plan web-tier removed\n');
    expect((await siteshift(['plan', 'show', 'web-tier'])).stderr).toContain(
      "no protection plan with id or name 'web-tier'",
    );
  });
});
