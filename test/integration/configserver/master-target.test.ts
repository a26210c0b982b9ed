import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConfigServerClient } from '../../../core/configserver';
import { createLabEstate, type LabEstate, setLabTiming } from '../../../core/lab';
import { tServer, useLocale } from '../../../renderer/src/i18n';
import type { MasterTargetCheck } from '../../../shared/configserver';
import { ApiError } from '../../../shared/errors';
import { checkWordsEn } from '../../../shared/i18n/check-words';
import { listWordsEn } from '../../../shared/i18n/list-words';
import type { Worded } from '../../../shared/i18n/worded';
import type { Job } from '../../../shared/schemas/job';
import { englishOf } from '../../support/words';
import { openTestDb, startLabTestServer, type TestDb, type TestServer, waitFor } from './harness';

/**
 * Configure master target on the lab: the check (slot map, OS family, power, controllers,
 * retention) changes nothing; the job's dry run changes nothing; the job registers the VM with
 * the slots its own disks hold, adds the SCSI controllers, and a second run does nothing; only
 * admins configure; pairs never take a slot the master target's own disks hold. The same
 * through the CLI.
 */
let estate: LabEstate;
let tdb: TestDb;
let t: TestServer;

const vm = (name: string) => estate.secondary.vms.find((v) => v.name === name)!;
const snapshot = () => JSON.stringify(estate.secondary);

function siteshift(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['bin/siteshift.mjs', ...args, '--server', t.url, '--token-env', 'SS_TOKEN'],
      {
        env: { ...process.env, SS_TOKEN: t.secrets.admin },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function finished(c: ConfigServerClient, id: string): Promise<Job> {
  return waitFor(
    async () => {
      const j = await c.getJob(id);
      return ['succeeded', 'failed', 'cancelled'].includes(j.state) ? j : null;
    },
    `job ${id}`,
    60_000,
  );
}

const status = (check: MasterTargetCheck, id: string) => check.checks.find((c) => c.id === id)?.status;

beforeAll(async () => {
  estate = createLabEstate({ vms: 4 });
  setLabTiming(estate, { reconfigureMs: 5, createDiskMs: 5 });
  tdb = await openTestDb('pglite');
  t = await startLabTestServer(tdb.db, estate);
}, 120_000);

afterAll(async () => {
  await t?.close();
  await tdb?.drop();
});

describe('configure master target', () => {
  /** Every check and change line carries its words, whose English is exactly the text sent. */
  const _book = { ...checkWordsEn, ...listWordsEn };
  const expectWorded = (check: MasterTargetCheck) => {
    const english = (words: Worded | undefined): string | null => {
      expect(words).toBeDefined();
      return englishOf(words!);
    };
    for (const c of check.checks) {
      // A VM name two VMs share is the connector's own refusal, passed on as it said it.
      if (c.id !== 'vm.found' || c.status !== 'fail' || c.messageWords)
        expect(english(c.messageWords)).toBe(c.message);
      expect(english(c.titleWords)).toBe(c.title);
      if (c.fix !== null) expect(english(c.fixWords)).toBe(c.fix);
    }
    expect(check.changeWords?.map((words) => english(words))).toEqual(check.changes);
  };

  it('checks a VM without changing anything: slot map, OS family, controllers, retention', async () => {
    const before = snapshot();
    const check = await t.as.operator.checkMasterTarget({
      site: 'rtm',
      vm: 'rtm-mt-lnx-01',
      name: 'mt-linux-01',
      retentionDatastore: 'rtm-retention-01',
      controllers: 3,
    });
    expect(check.ready).toBe(true);
    expect(check.existing).toBeNull();
    expect(check.vm?.osFamily).toBe('linux');
    const own = vm('rtm-mt-lnx-01').disks;
    expect(own.length).toBeGreaterThan(0);
    const ownSlots = check.slots.filter((s) => s.use === 'own-disk');
    expect(ownSlots.map((s) => s.fileName).sort()).toEqual(own.map((d) => d.fileName).sort());
    expect(check.slots).toHaveLength(64);
    expect(check.slots.filter((s) => s.use === 'controller').map((s) => s.unit)).toEqual([7, 7, 7, 7]);
    expect(check.slotsFree).toBe(60 - own.length);
    expect(check.retention?.datastore).toBe('rtm-retention-01');
    expect(check.controllers.map((c) => c.add)).toEqual([false, true, true, false]);
    expect(check.changes.some((c) => /register rtm-mt-lnx-01 as master target mt-linux-01/.test(c))).toBe(
      true,
    );
    expectWorded(check);
    useLocale.setState({ locale: 'nl' });
    try {
      expect(check.changes.map((c, i) => tServer(c, check.changeWords?.[i]))).toContain(
        'rtm-mt-lnx-01 registreren als master target mt-linux-01 (linux)',
      );
      const os = check.checks.find((c) => c.id === 'master-target.os')!;
      expect(tServer(os.title, os.titleWords)).toBe('OS-familie');
    } finally {
      useLocale.setState({ locale: 'en' });
    }
    expect(snapshot()).toBe(before);
    expect(await t.admin.listMasterTargets()).toHaveLength(0);
  });

  it('fails the check with the fix: wrong OS family, unknown VM, unknown datastore', async () => {
    const win = await t.admin.checkMasterTarget({ site: 'rtm', vm: 'rtm-mt-win-01', osFamily: 'linux' });
    expect(win.ready).toBe(false);
    expect(status(win, 'master-target.os')).toBe('fail');
    expect(win.checks.find((c) => c.id === 'master-target.os')?.fix).toMatch(/choose a linux VM/);
    const none = await t.admin.checkMasterTarget({ site: 'rtm', vm: 'no-such-vm' });
    expect(status(none, 'vm.found')).toBe('fail');
    expect(none.vm).toBeNull();
    const ds = await t.admin.checkMasterTarget({
      site: 'rtm',
      vm: 'rtm-mt-lnx-01',
      retentionDatastore: 'nope',
    });
    expect(status(ds, 'master-target.retention')).toBe('fail');
    expect(ds.checks.find((c) => c.id === 'master-target.retention')?.fix).toMatch(/rtm-vsan-01/);
    for (const failed of [win, none, ds]) expectWorded(failed);
    // A job for a VM that fails its check fails at its first step, having changed nothing.
    const job = await finished(
      t.admin,
      (await t.admin.configureMasterTarget({ site: 'rtm', vm: 'rtm-mt-win-01', osFamily: 'linux' })).id,
    );
    expect(job.state).toBe('failed');
    expect(job.error).toMatch(/cannot be master target rtm-mt-win-01: .*not linux/);
    expect(await t.admin.listMasterTargets()).toHaveLength(0);
  });

  it('only an admin configures a master target', async () => {
    const err = await t.as.operator
      .configureMasterTarget({ site: 'rtm', vm: 'rtm-mt-lnx-01' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).message).toMatch(/only an admin may configure a master target/);
  });

  it('a dry run lists the changes and changes nothing; the job registers and adds controllers; again does nothing', async () => {
    const input = {
      site: 'rtm',
      vm: 'rtm-mt-lnx-01',
      name: 'mt-linux-01',
      retentionDatastore: 'rtm-retention-01',
      controllers: 3,
    };
    const before = snapshot();
    const dry = await finished(t.admin, (await t.admin.configureMasterTarget(input, { dryRun: true })).id);
    expect(dry.state).toBe('succeeded');
    const lines = dry.steps.flatMap((s) => s.log.map((l) => l.message));
    expect(lines).toContain('dry run: would add a paravirtual SCSI controller on bus 2 to rtm-mt-lnx-01');
    expect(lines.some((l) => /dry run: would register mt-linux-01: VM rtm-mt-lnx-01, linux/.test(l))).toBe(
      true,
    );
    expect(snapshot()).toBe(before);
    expect(await t.admin.listMasterTargets()).toHaveLength(0);

    const job = await finished(t.admin, (await t.admin.configureMasterTarget(input)).id);
    expect(job.state).toBe('succeeded');
    const mt = await t.admin.getMasterTarget('mt-linux-01');
    const own = vm('rtm-mt-lnx-01').disks;
    expect(mt.vmId).toBe(vm('rtm-mt-lnx-01').id);
    expect(mt.osFamily).toBe('linux');
    expect(mt.retentionDatastore).toBe('rtm-retention-01');
    expect(mt.reservedSlots).toEqual(own.map((d) => ({ controller: d.busNumber, unit: d.unitNumber })));
    expect(mt.slotsFree).toBe(60 - own.length);
    const now = await t.admin.checkMasterTarget(input);
    expect(now.controllers.map((c) => c.present)).toEqual([true, true, true, false]);
    expect(now.changes).toEqual([]);

    const again = await finished(t.admin, (await t.admin.configureMasterTarget(input)).id);
    expect(again.state).toBe('succeeded');
    expect(again.steps.slice(1).map((s) => s.state)).toEqual(['skipped', 'skipped']);
  });

  it('a pair never takes a slot the master target’s own disks hold', async () => {
    const mt = await t.admin.getMasterTarget('mt-linux-01');
    const pair = await t.admin.addPair({
      sourceSite: 'ams',
      targetSite: 'rtm',
      sourceVmId: 'vm-x',
      sourceVmName: 'x-01',
      osFamily: 'linux',
      masterTarget: 'mt-linux-01',
      disks: ['disk-0', 'disk-1'],
    });
    const after = await t.admin.getMasterTarget('mt-linux-01');
    const taken = after.slots.filter((s) => s.pairId === pair.id);
    expect(taken).toHaveLength(2);
    for (const s of taken)
      expect(mt.reservedSlots.some((r) => r.controller === s.controller && r.unit === s.unit)).toBe(false);
    expect(after.slotsFree).toBe(mt.slotsFree - 2);
    await t.admin.removePair(pair.id);
  });

  it('through the CLI: check prints the slot map; configure refuses a failing VM and runs the job', async () => {
    const check = await siteshift(['master-target', 'check', '--site', 'rtm', '--vm', 'rtm-mt-win-01']);
    expect(check.stderr).toBe('');
    expect(check.code).toBe(0);
    expect(check.stdout).toMatch(/master target rtm-mt-win-01 \(new\): VM rtm-mt-win-01 .* windows/);
    expect(check.stdout).toMatch(/^SCSI0: o/m);
    expect(check.stdout).toMatch(/^SCSI1: \.{7}C\.{8} {2}no controller$/m);

    const wrong = await siteshift([
      'master-target',
      'configure',
      '--site',
      'rtm',
      '--vm',
      'rtm-mt-win-01',
      '--name',
      'mt-linux-01',
    ]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/master target mt-linux-01 is already VM rtm-mt-lnx-01/);

    const ok = await siteshift([
      'master-target',
      'configure',
      '--site',
      'rtm',
      '--vm',
      'rtm-mt-win-01',
      '--name',
      'mt-windows-01',
      '--controllers',
      '2',
    ]);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/add a paravirtual SCSI controller on bus 1/);
    expect(ok.stdout).toMatch(/job job_\w+: succeeded/);
    expect((await t.admin.getMasterTarget('mt-windows-01')).osFamily).toBe('windows');

    // The job list and a job say which master target each configure job configured.
    const list = await siteshift(['jobs', 'list']);
    expect(list.code).toBe(0);
    const row = list.stdout.split('\n').find((l) => l.includes('configure-master-target'));
    expect(row).toMatch(/configure-master-target\s+mt-windows-01\s+succeeded/);
    const id = /job (job_\w+): succeeded/.exec(ok.stdout)![1]!;
    const show = await siteshift(['jobs', 'show', id]);
    expect(show.stdout).toMatch(
      new RegExp(`^configure-master-target ${id} for mt-windows-01: succeeded`, 'm'),
    );
  });
});
