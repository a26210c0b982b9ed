import type { ConfigServerClient } from '../../core/configserver';
import { seededRandom } from '../../core/lab/random';
import type { Pair, PairPlatform } from '../../shared/configserver';

export interface LabAgentOptions {
  /**
   * Bandwidth of one pair's initial copy and resync, megabits per second (default 1,000: one
   * gigabit link's worth). A protected pair sends only what its VM writes (0.5-8 MiB/s each).
   */
  rateMbps?: number;
  /**
   * Share (0-1) of the pairs that exist when the agent starts whose initial copy is taken as done
   * before the lab opened: an estate that has been replicating for a while, where only the rest
   * still copy at `rateMbps`. Default 0: every pair copies.
   */
  preSeeded?: number;
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
  /** What the VM writes, bytes per second: what replication must keep up with once protected. */
  churnBps: number;
  /** Its initial copy was done before the lab opened (preSeeded). */
  copied: boolean;
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
  private readonly startedAt = Date.now();

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
    const bytesPerTick = ((this.options.rateMbps ?? 1000) * 1e6 * tickSec) / 8;
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
      const preSeeded = this.options.preSeeded ?? 0;
      s = {
        pendingBytes: 0,
        churnBps: (0.5 + this.rand() * 7.5) * 1024 ** 2,
        copied: preSeeded > 0 && Date.parse(p.createdAt) < this.startedAt && this.rand() < preSeeded,
        diskBytes: disk,
        progress: p.stats?.progress ?? 0,
        ticks: 0,
        agentId: null,
      };
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
    const tickSec = (this.options.tickMs ?? 1000) / 1000;
    // Bytes per second, as the field says: what actually crossed the link this tick.
    const stats = (rpoSec: number, progress: number, sentBytes: number) => ({
      rpoSec,
      pendingChangeBytes: Math.round(s.pendingBytes),
      diskSizeBytes: s.diskBytes,
      throughputBps: Math.round(sentBytes / tickSec),
      progress,
    });
    switch (p.state) {
      case 'enabling':
        s.progress = s.copied ? 1 : 0;
        await this.send(() => this.client.reportProgress(p.id, 'initial-replication-started'));
        return;
      case 'initial-replication':
      case 'resyncing':
      // Reprotect: the agent on the recovered VM compares checksums with the original disks and
      // sends the differing blocks, then reports the resync complete.
      case 'reprotecting': {
        const sent = Math.min(bytesPerTick, (1 - s.progress) * s.diskBytes);
        s.progress = Math.min(1, s.progress + bytesPerTick / s.diskBytes);
        await this.send(() => this.client.reportStats(p.id, stats(0, s.progress, sent)));
        if (s.progress >= 1) {
          s.pendingBytes = 0;
          await this.send(() =>
            this.client.reportProgress(
              p.id,
              p.state === 'initial-replication' ? 'initial-replication-complete' : 'resync-complete',
            ),
          );
          s.progress = 0;
          s.copied = false;
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
        // What the VM wrote since the newest data on the replica is pending; the agent sends what
        // it writes, at the VM's own pace, far below the link's capacity.
        const rpo = Math.round(15 + this.rand() * 60 + (this.rand() < 0.01 ? 400 : 0));
        const written = s.churnBps * tickSec * (0.5 + this.rand());
        s.pendingBytes = s.churnBps * rpo;
        if (this.rand() < (this.options.burstChance ?? 0.0003)) s.pendingBytes = s.diskBytes * 0.6;
        await this.send(() => this.client.reportStats(p.id, stats(rpo, 1, Math.min(written, bytesPerTick))));
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
        await this.send(() => this.client.reportStats(p.id, stats(Math.round(30 + this.rand() * 60), 1, 0)));
        return;
      default:
        return;
    }
  }
}
