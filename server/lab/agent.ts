import type { ConfigServerClient } from '../../core/configserver';
import { seededRandom } from '../../core/lab/random';
import type { Pair, PairPlatform } from '../../shared/configserver';

export interface LabAgentOptions {
  /** Replication bandwidth each pair gets, megabits per second (default 20,000: a lively lab). */
  rateMbps?: number;
  tickMs?: number;
  /** Parallel requests to the server. */
  concurrency?: number;
  seed?: number;
  /** Chance per pair per tick of a churn burst that pushes the change log past 50 % (→ resync). */
  burstChance?: number;
  /** Chance per pair per tick of a recoverable network error. */
  errorChance?: number;
  log?: (line: string) => void;
  /**
   * The platforms whose pairs it plays the agent of (default all). A Hyper-V Replica pair has no
   * agent on a real estate: a test that runs the Hyper-V workflows against a Hyper-V host gives
   * ['vsphere'], so the host's own replication states drive those pairs.
   */
  platforms?: PairPlatform[];
}

interface PairSim {
  pendingBytes: number;
  diskBytes: number;
  progress: number;
  ticks: number;
  agentId: string | null;
}

/**
 * Plays the agents and the process server of every pair on a server, only through the agent
 * API: initial replication, churn and RPO, recovery points (crash-consistent often,
 * app-consistent less often), bursts that make the server demand a resync, resyncs, and the odd
 * recoverable network error (the agent then waits for the server's retry time).
 */
export class LabAgent {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private readonly sims = new Map<string, PairSim>();
  private readonly rand: () => number;
  private psAgent: string | null = null;
  private ticks = 0;
  requests = 0;
  failures = 0;
  private stopped = false;

  constructor(
    private readonly client: ConfigServerClient,
    private readonly options: LabAgentOptions = {},
  ) {
    this.rand = seededRandom(options.seed ?? 7);
  }

  start(): void {
    this.stopped = false;
    const tick = this.options.tickMs ?? 1000;
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.tick()
        .catch((err) => this.options.log?.(`lab agent: ${err instanceof Error ? err.message : String(err)}`))
        .finally(() => {
          this.running = null;
        });
    }, tick);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /** One round over every pair; exposed so tests can drive the agent step by step. */
  async tick(): Promise<void> {
    this.ticks++;
    const wanted = this.options.platforms;
    const pairs = (await this.client.agentPairs()).filter((p) => !wanted || wanted.includes(p.platform));
    const tickSec = (this.options.tickMs ?? 1000) / 1000;
    const bytesPerTick = ((this.options.rateMbps ?? 20_000) * 1e6 * tickSec) / 8;
    const psIds = new Set(pairs.map((p) => p.processServerId).filter((x): x is string => x !== null));
    if (!this.psAgent && psIds.size > 0) {
      const first = [...psIds][0]!;
      this.psAgent = (
        await this.client.agentRegister({
          kind: 'process-server',
          name: `lab-ps-${first}`,
          host: 'lab',
          version: 'lab',
          processServerId: first,
        })
      ).id;
    }
    await this.limit(pairs, (p) => this.drive(p, bytesPerTick));
    for (const ps of psIds) {
      await this.send(() =>
        this.client.reportProcessServerHealth(ps, {
          cpuPercent: Math.round(20 + this.rand() * 40),
          memoryPercent: Math.round(40 + this.rand() * 30),
          cacheFreePercent: Math.round(55 + this.rand() * 30),
          uploadBacklogSec: Math.round(this.rand() * 120),
        }),
      );
    }
    if (this.psAgent && this.ticks % 60 === 1)
      await this.send(() => this.client.agentHeartbeat(this.psAgent!));
  }

  private async limit<T>(items: T[], fn: (item: T) => Promise<void>): Promise<void> {
    const queue = [...items];
    const workers = Array.from(
      { length: Math.min(this.options.concurrency ?? 8, queue.length) },
      async () => {
        while (queue.length > 0 && !this.stopped) await fn(queue.shift()!);
      },
    );
    await Promise.all(workers);
  }

  private async send<T>(fn: () => Promise<T>): Promise<T | null> {
    this.requests++;
    try {
      return await fn();
    } catch (err) {
      this.failures++;
      // A 409 means the pair moved on (an operator or a job changed it): the next tick adapts.
      if ((err as { status?: number }).status !== 409)
        this.options.log?.(`lab agent: ${err instanceof Error ? err.message : String(err)}`);
      return null;
    }
  }

  private sim(p: Pair): PairSim {
    let s = this.sims.get(p.id);
    if (!s) {
      const disk = p.stats?.diskSizeBytes ?? Math.round((60 + this.rand() * 440) * 1024 ** 3);
      s = { pendingBytes: 0, diskBytes: disk, progress: p.stats?.progress ?? 0, ticks: 0, agentId: null };
      this.sims.set(p.id, s);
    }
    return s;
  }

  private async drive(p: Pair, bytesPerTick: number): Promise<void> {
    const s = this.sim(p);
    s.ticks++;
    if (p.retry?.nextAt && Date.parse(p.retry.nextAt) > Date.now()) return;
    if (!p.retry?.recoverable && p.retry) return;
    if (!s.agentId) {
      const agent = await this.send(() =>
        this.client.agentRegister({
          kind: 'mobility',
          name: `lab-${p.sourceVmName}`,
          host: p.sourceVmName,
          version: 'lab',
          pairId: p.id,
        }),
      );
      s.agentId = agent?.id ?? null;
    } else if (s.ticks % 60 === 0) await this.send(() => this.client.agentHeartbeat(s.agentId!));
    const stats = (rpoSec: number, progress: number) => ({
      rpoSec,
      pendingChangeBytes: Math.round(s.pendingBytes),
      diskSizeBytes: s.diskBytes,
      throughputBps: Math.round((bytesPerTick * 8) / ((this.options.tickMs ?? 1000) / 1000)),
      progress,
    });
    switch (p.state) {
      case 'enabling':
        s.progress = 0;
        await this.send(() => this.client.reportProgress(p.id, 'initial-replication-started'));
        return;
      case 'initial-replication':
      case 'resyncing':
      // Reprotect: the agent on the recovered VM compares checksums with the original disks and
      // sends the differing blocks, then reports the resync complete.
      case 'reprotecting': {
        s.progress = Math.min(1, s.progress + bytesPerTick / s.diskBytes);
        await this.send(() => this.client.reportStats(p.id, stats(0, s.progress)));
        if (s.progress >= 1) {
          s.pendingBytes = 0;
          await this.send(() =>
            this.client.reportProgress(
              p.id,
              p.state === 'initial-replication' ? 'initial-replication-complete' : 'resync-complete',
            ),
          );
          s.progress = 0;
        }
        return;
      }
      case 'protected':
      case 'test-failover-running': {
        if (this.rand() < (this.options.errorChance ?? 0.0005)) {
          await this.send(() =>
            this.client.reportError(p.id, 'network', 'lab: connection to the process server reset'),
          );
          return;
        }
        // Churn in, replication out: the change log drifts around a few hundred MB.
        s.pendingBytes = Math.max(0, s.pendingBytes + (this.rand() - 0.5) * 400e6);
        if (this.rand() < (this.options.burstChance ?? 0.0003)) s.pendingBytes = s.diskBytes * 0.6;
        const rpo = Math.round(15 + this.rand() * 60 + (this.rand() < 0.01 ? 400 : 0));
        await this.send(() => this.client.reportStats(p.id, stats(rpo, 1)));
        if (s.ticks % 15 === 0)
          await this.send(() => this.client.addRecoveryPoint(p.id, { consistency: 'crash' }));
        if (s.ticks % 60 === 0) {
          await this.send(() =>
            this.client.addRecoveryPoint(p.id, {
              consistency: 'app',
              tag: `lab-app-${new Date().toISOString()}`,
            }),
          );
        }
        return;
      }
      case 'resync-required':
        await this.send(() => this.client.reportStats(p.id, stats(Math.round(30 + this.rand() * 60), 1)));
        return;
      default:
        return;
    }
  }
}
