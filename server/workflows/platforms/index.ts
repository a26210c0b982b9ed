import type { Pair, PairPlatform, Plan } from '../../../shared/configserver';
import type { StepContext, WorkflowStep } from '../../jobs';
import { hypervSteps } from './hyperv';

/** The three failovers share one list of steps (server/workflows/failover.ts). */
export type Flavour = 'test' | 'planned' | 'unplanned';

/**
 * What a replication platform adds to each DR workflow, for its own machines of a plan. The
 * workflows keep the steps every platform shares (readiness, source shutdown, pair moves, boot
 * groups with their messages and scripts) and put a platform's steps at fixed points; a mixed
 * plan runs every machine through its own platform's steps in one job. Each step handles only
 * its platform's pairs and is skipped when the plan has none.
 *
 * vSphere's steps (master-target disks, recovered VMs built from them) are still written in the
 * workflow files, limited to vSphere pairs; moving them behind this interface is a pure move.
 */
export interface PlatformSteps {
  readonly platform: PairPlatform;
  /** Before protect waits for initial replication: start replicating. */
  protect(plan: Plan): WorkflowStep[];
  /** Before the pairs move: e.g. the last changes sent (planned), the recovery points chosen. */
  failoverBefore(flavour: Flavour, plan: Plan, input: Record<string, unknown>): WorkflowStep[];
  /** After the pairs moved: the recovered (or test) VMs, recorded in recovered_vms, powered off. */
  failoverRecover(flavour: Flavour, plan: Plan, input: Record<string, unknown>): WorkflowStep[];
  /** Removes what a test failover recovered. */
  cleanupTest(plan: Plan): WorkflowStep[];
  /** Makes a failover permanent. */
  commit(plan: Plan): WorkflowStep[];
  /** Undoes a failover not yet committed. */
  rollback(plan: Plan): WorkflowStep[];
  /**
   * Reprotect (and failback's first phase), once the pairs are `reprotecting` in reverse: the
   * replication turned round from the recovery site; each pair `protected` when it replicates.
   */
  reprotect(plan: Plan): WorkflowStep[];
  /** Failback, once the pairs are `failover-pending` (reverse): the failover back to the original site. */
  failbackFailover(plan: Plan): WorkflowStep[];
  /** Failback, in the pair's boot group: starts its original VM; true when it was off. */
  failbackPowerOn(ctx: StepContext, plan: Plan, pair: Pair): Promise<boolean>;
  /** Failback, before the pairs go `failed-over` (reverse): the failover back made permanent. */
  failbackCommit(plan: Plan): WorkflowStep[];
  /**
   * Failback's last phase, once the pairs are `reprotecting` forward: replication in the original
   * direction again; each pair `protected` when it replicates.
   */
  failbackReprotect(plan: Plan): WorkflowStep[];
}

export const platformSteps: readonly PlatformSteps[] = [hypervSteps];

/**
 * The platforms a job's steps are built for: those of its plan's pairs when the job was
 * prepared (input.platforms), every platform for protect (its machines have no pairs yet).
 */
export function platformsOf(input: Record<string, unknown>): readonly PlatformSteps[] {
  const wanted = Array.isArray(input.platforms) ? (input.platforms as unknown[]) : null;
  return wanted ? platformSteps.filter((p) => wanted.includes(p.platform)) : platformSteps;
}
