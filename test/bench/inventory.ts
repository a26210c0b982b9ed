/**
 * `npm run bench:inventory`: the full vSphere inventory read against a 4,900-VM vcsim
 * (2 datacenters × (5 clusters of 4 hosts + 2 standalone hosts), 350 VMs per resource pool),
 * five times with Siteshift's client and five times with the same read written with govmomi
 * (test/vcsim/reference), then both medians, their ratio and this process's peak memory.
 */
import { spawn } from 'node:child_process';
import { VimClient } from '../../core/vsphere/client';
import { fetchInventory } from '../../core/vsphere/inventory';
import { vsphereInventorySchema } from '../../shared/schemas/inventory';
import { buildGoProgram, startVcsim } from '../vcsim/harness';

const RUNS = 5;
const MODEL = { datacenters: 2, clusters: 5, clusterHosts: 4, standaloneHosts: 2, vmsPerPool: 350 };
const EXPECTED_VMS = MODEL.datacenters * (MODEL.clusters + MODEL.standaloneHosts) * MODEL.vmsPerPool;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** One timed govmomi read (its login is outside the timing, as ours is). */
async function runReference(
  bin: string,
  url: string,
  thumbprint: string,
  username: string,
  password: string,
): Promise<{ runsMs: number[]; medianMs: number; objects: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, ['-url', url, '-thumbprint', thumbprint, '-username', username, '-runs', '1'], {
      env: { ...process.env, VCSIM_PASSWORD: password },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      err += c.toString();
    });
    child.once('exit', (code) => {
      if (code !== 0) reject(new Error(`the govmomi reference failed (${code}): ${err}`));
      else resolve(JSON.parse(out));
    });
  });
}

async function main(): Promise<void> {
  process.stdout.write(`building the simulator and the govmomi reference…\n`);
  const [, refBin] = await Promise.all([buildGoProgram('sim'), buildGoProgram('reference')]);
  const t0 = performance.now();
  const sim = await startVcsim({ ...MODEL, username: 'bench', password: 'bench-password' });
  process.stdout.write(
    `vcsim with ${EXPECTED_VMS} VMs up in ${((performance.now() - t0) / 1000).toFixed(1)} s at ${sim.url}\n`,
  );
  try {
    const client = await VimClient.connect({
      url: sim.url,
      trust: { kind: 'thumbprint', thumbprint: sim.thumbprint },
      username: sim.username,
      password: sim.password,
    });
    const times: number[] = [];
    const refTimes: number[] = [];
    try {
      // One untimed read each first (JIT warm-up here, the simulator's caches for both).
      await fetchInventory(client);
      await runReference(refBin, sim.url, sim.thumbprint, sim.username, sim.password);
      // Interleaved, so that load from elsewhere on the machine hits both clients alike.
      for (let i = 0; i < RUNS; i++) {
        refTimes.push(
          (await runReference(refBin, sim.url, sim.thumbprint, sim.username, sim.password)).medianMs,
        );
        const start = performance.now();
        const inv = await fetchInventory(client);
        times.push(performance.now() - start);
        if (i === 0) {
          vsphereInventorySchema.parse(inv);
          if (inv.vms.length !== EXPECTED_VMS)
            throw new Error(`expected ${EXPECTED_VMS} VMs, read ${inv.vms.length}`);
          process.stdout.write(
            `document: ${inv.datacenters.length} datacenters, ${inv.clusters.length} clusters, ${inv.hosts.length} hosts, ${inv.datastores.length} datastores, ${inv.networks.length} networks, ${inv.vms.length} VMs\n`,
          );
        }
      }
    } finally {
      await client.close();
    }
    const ours = median(times);
    const theirs = median(refTimes);
    const peakMb = process.resourceUsage().maxRSS / 1024;
    process.stdout.write(`siteshift runs (ms): ${times.map((t) => t.toFixed(0)).join(', ')}\n`);
    process.stdout.write(`govmomi runs (ms):   ${refTimes.map((t) => t.toFixed(0)).join(', ')}\n`);
    process.stdout.write(`siteshift median: ${ours.toFixed(0)} ms\n`);
    process.stdout.write(`govmomi median:   ${theirs.toFixed(0)} ms\n`);
    process.stdout.write(`ratio (siteshift / govmomi): ${(ours / theirs).toFixed(2)} (goal ≤ 1.00)\n`);
    process.stdout.write(`node peak memory (max RSS): ${peakMb.toFixed(0)} MB\n`);
  } finally {
    await sim.stop();
  }
}

main().catch((err) => {
  process.stderr.write(`bench:inventory failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
