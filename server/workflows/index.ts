import type { JobKind } from '../../shared/schemas/job';
import type { Workflow } from '../jobs';
import { resyncWorkflow } from './resync';

/**
 * The registry of workflows, one file each (DESIGN.md "Acting on endpoints"). The engine
 * (server/jobs.ts) runs whatever this registry holds; `extra` adds or replaces workflows (tests).
 */
export const builtInWorkflows: readonly Workflow[] = [resyncWorkflow];

export function defaultWorkflows(extra: Workflow[] = []): Map<JobKind, Workflow> {
  return new Map([...builtInWorkflows, ...extra].map((w) => [w.kind, w]));
}

export { resyncWorkflow };
