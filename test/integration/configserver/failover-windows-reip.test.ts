import { describe, expect, it } from 'vitest';
import { realConnectors } from '../../../core/connectors';
import { PropertyCollector, runTask, text, vmRef } from '../../../core/vsphere';
import { LabAgent } from '../../../server/lab/agent';
import { openSim, readSim, type Vcsim } from '../../vcsim/harness';
import { expectOk, expectSoundWorld, finished, prepare, startWorld } from './failover-world';
import { openTestDb, startTestServer } from './harness';

/**
 * Re-IP of Windows machines against two strict vcsim vCenters: the sources and the master target
 * are Windows guests, the plan re-addresses one machine with a DNS domain and a workgroup. The
 * recovered VM is customized by Sysprep (CustomizationSysprep with its required guiUnattended,
 * userData and identification, which strict mode holds to govmomi's types), and at power-on
 * comes up with the plan's address and a 15-character computer name cut from the source's name.
 */
// Windows Server 2016: vcsim 0.24 knows no later Windows guest id.
const WINDOWS = 'windows9Server64Guest';

async function setGuest(vc: Vcsim, names: string[], rename?: [string, string]): Promise<void> {
  const s = await openSim(vc);
  try {
    const inv = await s.fetchInventory();
    for (const n of names) {
      const vm = inv.vms.find((v) => v.name === n)!;
      await runTask(s.client, 'ReconfigVM_Task', vmRef(vm.id), [['spec', { guestId: WINDOWS }]]);
      if (rename?.[0] === n) await runTask(s.client, 'Rename_Task', vmRef(vm.id), [['newName', rename[1]]]);
    }
  } finally {
    await s.close();
  }
}

describe('Windows re-IP by Sysprep', () => {
  it('a recovered Windows VM comes up with the plan address and a NetBIOS computer name', async () => {
    const w = await startWorld({ methodDelay: {} });
    const tdb = await openTestDb('pglite');
    const t = await startTestServer(tdb.db, { connectors: realConnectors });
    const agent = new LabAgent(t.as.agent, {
      tickMs: 200,
      burstChance: 0,
      errorChance: 0,
      rateMbps: 50_000_000,
    });
    try {
      // The first machine gets a name longer than Windows' 15-character computer names.
      const long = 'finance-sql-server-01';
      await setGuest(w.primary, w.machines, [w.machines[0]!, long]);
      await setGuest(w.secondary, [w.mtVm]);
      w.machines[0] = long;
      w.source = await readSim(w.primary);
      agent.start();
      await prepare(t.admin, w, { reip: { domain: 'dr.example.com', workgroup: 'DR' } });
      expect((await t.admin.listPairs()).map((p) => p.osFamily)).toEqual(w.machines.map(() => 'windows'));

      const ready = await t.admin.planReadiness('web', 'unplanned');
      const guest = ready.checks.find((c) => c.id === 'reip.guest')!;
      expect(guest.status).toBe('warn');
      expect(guest.message).toContain(`${long}: Windows guests are re-addressed by Sysprep`);

      const job = await finished(
        t.admin,
        (
          await t.admin.createJob({
            kind: 'unplanned-failover',
            planId: 'web',
            input: { point: 'latest', acceptSplitBrain: true },
          })
        ).id,
      );
      expectOk(job);
      const log = job.steps.find((s) => s.name === 're-address the recovered VMs')!.log;
      expect(log.map((l) => l.message)).toContainEqual(
        expect.stringMatching(
          /customization queued: NIC 0 of finance-sql-server-01-dr to 10\.20\.0\.11\/24 .* by Sysprep: computer name finance-sql-ser, a new SID, workgroup DR/,
        ),
      );
      await expectSoundWorld(w);
      const s = await openSim(w.secondary);
      try {
        const vm = (await s.fetchInventory()).vms.find((v) => v.name === `${long}-dr`)!;
        expect(vm.guestOs).toBe(WINDOWS);
        const [o] = await new PropertyCollector(s.client).retrieveObjects(
          [vmRef(vm.id)],
          [{ type: 'VirtualMachine', pathSet: ['guest.hostName'] }],
        );
        expect(text(o!.props.get('guest.hostName'))).toBe('finance-sql-ser');
      } finally {
        await s.close();
      }
      expect(w.secondary.refusals()).toEqual([]);
    } finally {
      await agent.stop();
      await t.close();
      await tdb.drop();
      await Promise.all([w.primary.stop(), w.secondary.stop()]);
    }
  }, 600_000);
});
