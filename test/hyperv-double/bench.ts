/**
 * Connector figures against the double on 127.0.0.1: `npx tsx test/hyperv-double/bench.ts [vms]`.
 * They measure Siteshift's own cost (SSH, framing, parsing); on a real host powershell.exe start-up
 * and the Hyper-V module (0.5–2 s a command) come on top.
 */
import { performance } from 'node:perf_hooks';
import { HypervClient } from '../../core/hyperv/client';
import { openHypervSource } from '../../core/hyperv/connector';
import { probeHostKey, SshSession } from '../../core/hyperv/ssh';
import { hypervInventorySchema } from '../../shared/schemas/inventory';
import { PRIMARY_SEED, type SeedVm, startHypervDoublePair } from './index';

const vmCount = Number(process.argv[2] ?? 200);
const vms: SeedVm[] = Array.from({ length: vmCount }, (_, i) => ({
  name: `vm${String(i).padStart(5, '0')}`,
  state: i % 3 === 0 ? 'Off' : 'Running',
  cpus: 2,
  memoryMB: 4096,
  disks: [
    { path: `C:\\VMs\\vm${i}\\os.vhdx`, sizeGB: 60 },
    { path: `D:\\VMs\\vm${i}\\data.vhdx`, sizeGB: 200 },
  ],
  nics: [{ switch: 'LAN', ips: [`10.1.${Math.floor(i / 250)}.${(i % 250) + 1}`] }],
}));

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}
const ms = (x: number) => `${x.toFixed(1)} ms`;

const pair = await startHypervDoublePair({
  primarySeed: { ...PRIMARY_SEED, vms },
  replicating: vms.filter((_, i) => i % 2 === 0).map((v) => v.name),
  timing: { initialReplicationMs: 0 },
});
try {
  const { host, port } = pair.primary;
  const creds = { username: pair.credentials.username, password: pair.credentials.password };
  let t = performance.now();
  await probeHostKey(host, port);
  console.log(`host-key probe (first use):      ${ms(performance.now() - t)}`);

  const session = new SshSession({ host, port, ...creds, hostKey: pair.primary.fingerprint, maxChannels: 4 });
  t = performance.now();
  await session.connect();
  console.log(`connect + authenticate:          ${ms(performance.now() - t)}`);
  const client = new HypervClient(session);

  const lat: number[] = [];
  for (let i = 0; i < 30; i++) {
    t = performance.now();
    await client.getSwitches();
    lat.push(performance.now() - t);
  }
  console.log(`one command (Get-VMSwitch):      p50 ${ms(pct(lat, 50))}, p95 ${ms(pct(lat, 95))}`);

  t = performance.now();
  await Promise.all(Array.from({ length: 40 }, () => client.getSwitches()));
  const par = performance.now() - t;
  console.log(`40 commands, 4 channels:         ${ms(par)} (${(40_000 / par).toFixed(0)} commands/s)`);

  t = performance.now();
  const all = await client.getVMs();
  console.log(`Get-VM of ${all.length} VMs:              ${ms(performance.now() - t)}`);
  await session.close();

  const source = await openHypervSource(
    { kind: 'hyperv', host, port, username: creds.username },
    { password: creds.password },
    { kind: 'host-key', fingerprint: pair.primary.fingerprint },
  );
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < 5; i++) {
    t = performance.now();
    const doc = hypervInventorySchema.parse(await source.fetchInventory());
    times.push(performance.now() - t);
    bytes = JSON.stringify(doc).length;
  }
  console.log(
    `inventory of ${vmCount} VMs (validated):   p50 ${ms(pct(times, 50))}, document ${(bytes / 1024).toFixed(0)} KiB`,
  );
  await source.close();
} finally {
  await pair.stop();
}
