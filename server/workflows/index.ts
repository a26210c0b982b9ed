import type { JobKind } from '../../shared/schemas/job';
import type { Workflow } from '../jobs';
import { cleanupTestWorkflow, commitWorkflow, rollbackWorkflow } from './after-failover';
import { configureMasterTargetWorkflow } from './configure-master-target';
import { failbackWorkflow } from './failback';
import { plannedFailoverWorkflow, testFailoverWorkflow, unplannedFailoverWorkflow } from './failover';
import { protectWorkflow } from './protect';
import { reprotectWorkflow } from './reprotect';
import { resyncWorkflow } from './resync';

/**
 * The registry of workflows, one file each (DESIGN.md "Acting on endpoints"). The engine
 * (server/jobs.ts) runs whatever this registry holds; `extra` adds or replaces workflows (tests).
 */
export const builtInWorkflows: readonly Workflow[] = [
  resyncWorkflow,
  protectWorkflow,
  testFailoverWorkflow,
  cleanupTestWorkflow,
  plannedFailoverWorkflow,
  unplannedFailoverWorkflow,
  commitWorkflow,
  rollbackWorkflow,
  configureMasterTargetWorkflow,
  reprotectWorkflow,
  failbackWorkflow,
];

export function defaultWorkflows(extra: Workflow[] = []): Map<JobKind, Workflow> {
  return new Map([...builtInWorkflows, ...extra].map((w) => [w.kind, w]));
}

export { resyncWorkflow };
