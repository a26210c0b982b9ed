import { z } from 'zod';
import { masterTargetCheckSchema, masterTargetConfigureInputSchema } from './configserver/master-target';
import {
  planApplyInputSchema,
  planApplyResultSchema,
  planSchema,
  planValidateInputSchema,
  planValidationSchema,
} from './configserver/plan';
import { readinessKindSchema, readinessReportSchema } from './configserver/readiness';
import {
  jobCreateInputSchema,
  masterTargetSchema,
  recoveryPointSchema,
  siteInventorySchema,
} from './configserver/schemas';
import {
  exportCreatedSchema,
  exportCreateInputSchema,
  exportOpenedFileSchema,
  exportOpenInputSchema,
} from './export/schema';
import { appCommandSchema, appInfoSchema } from './schemas/app';
import {
  connectionAddInputSchema,
  connectionIdSchema,
  connectionSchema,
  connectionTestInputSchema,
  connectionTestResultSchema,
} from './schemas/connection';
import { inventoryChangedSchema, inventoryDocumentSchema } from './schemas/inventory';
import { jobProgressSchema, jobSchema } from './schemas/job';
import { protectionChangedSchema, protectionSnapshotSchema } from './schemas/protection';
import { settingsPatchSchema, settingsStateSchema } from './schemas/settings';
import { topologyChangeSchema, topologySchema } from './schemas/topology';

/**
 * The console API, declared once. Every transport (Electron IPC, the web host's WebSocket) and
 * every client (preload bridge, renderer, tests) is derived from these two tables; adding a call
 * means adding one line here and one handler in core/console.
 */
export interface CallDef<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  readonly input: I;
  readonly output: O;
  /** Long calls may be cancelled: the client passes an AbortSignal, the transport forwards it. */
  readonly cancellable: boolean;
}

export interface EventDef<P extends z.ZodType = z.ZodType> {
  readonly payload: P;
}

function call<I extends z.ZodType, O extends z.ZodType>(
  input: I,
  output: O,
  opts: { cancellable?: boolean } = {},
): CallDef<I, O> {
  return { input, output, cancellable: opts.cancellable ?? false };
}

function event<P extends z.ZodType>(payload: P): EventDef<P> {
  return { payload };
}

const none = z.strictObject({});
/** A plan (id or name) on one configuration server connection. */
/** A job by id: ids are unique across servers, so the backend finds the server that holds it. */
const jobRef = z.strictObject({ id: z.string().min(1).max(200) });
const planRef = z.strictObject({ connectionId: connectionIdSchema, plan: z.string().min(1).max(200) });

export const calls = {
  'app:info': call(none, appInfoSchema),
  'connections:list': call(none, z.array(connectionSchema)),
  'connections:add': call(connectionAddInputSchema, connectionSchema, { cancellable: true }),
  'connections:remove': call(
    z.strictObject({ id: connectionIdSchema }),
    z.strictObject({ removed: z.boolean() }),
  ),
  'connections:test': call(connectionTestInputSchema, connectionTestResultSchema, { cancellable: true }),
  /** Tests a saved connection with its stored secret and pinned identity. */
  'connections:check': call(z.strictObject({ id: connectionIdSchema }), connectionTestResultSchema, {
    cancellable: true,
  }),
  'inventory:get': call(z.strictObject({ connectionId: connectionIdSchema }), inventoryDocumentSchema, {
    cancellable: true,
  }),
  'topology:get': call(none, topologySchema, { cancellable: true }),
  /** Protection state of every connected configuration server (pairs, alerts, MTs, process servers). */
  'protection:get': call(none, z.array(protectionSnapshotSchema), { cancellable: true }),
  /** Recent jobs of every connected configuration server, newest first; job:progress keeps them current. */
  'jobs:list': call(none, z.array(jobSchema), { cancellable: true }),
  /** One job with its steps and log, found on whichever connected configuration server runs it. */
  'jobs:get': call(jobRef, jobSchema, { cancellable: true }),
  /** Queues a workflow job (dry run or real) on one configuration server; job:progress follows it. */
  'jobs:create': call(jobCreateInputSchema.extend({ connectionId: connectionIdSchema }), jobSchema),
  'jobs:cancel': call(jobRef, jobSchema),
  /** Acknowledges the plan message a running job waits on (the CLI's `siteshift jobs ack`). */
  'jobs:acknowledge': call(jobRef, jobSchema),
  /** Plans of one configuration server connection (plans are files: shared/configserver/plan.ts). */
  'plans:list': call(z.strictObject({ connectionId: connectionIdSchema }), z.array(planSchema), {
    cancellable: true,
  }),
  'plans:get': call(planRef, planSchema, { cancellable: true }),
  /** Checks a plan file (any JSON value) against the schema and the sites; shows what apply changes. */
  'plans:validate': call(
    planValidateInputSchema.extend({ connectionId: connectionIdSchema }),
    planValidationSchema,
    {
      cancellable: true,
    },
  ),
  /** Creates or replaces the plan; refused with every issue when one is an error. */
  'plans:apply': call(
    planApplyInputSchema.extend({ connectionId: connectionIdSchema }),
    planApplyResultSchema,
  ),
  'plans:remove': call(planRef, planSchema),
  /** Master targets of one configuration server connection, with their slot maps. */
  'masterTargets:list': call(
    z.strictObject({ connectionId: connectionIdSchema }),
    z.array(masterTargetSchema),
    {
      cancellable: true,
    },
  ),
  /**
   * The configure master target wizard's check: a VM of the receiving site as master target — OS
   * family, power, the 64-position slot map, SCSI controllers to add, retention datastore — as
   * pass / warn / fail checks and the changes; nothing changes. To configure, the wizard calls
   * jobs:create with kind 'configure-master-target' and this input (dryRun for a preview), and
   * follows job:progress.
   */
  'masterTargets:check': call(
    masterTargetConfigureInputSchema.extend({ connectionId: connectionIdSchema }),
    masterTargetCheckSchema,
    { cancellable: true },
  ),
  /**
   * What a configuration server reads of one of its sites (id or name): each endpoint's inventory
   * or why it could not be read. The wizards offer these VMs, datastores, networks and folders.
   */
  'sites:inventory': call(
    z.strictObject({ connectionId: connectionIdSchema, site: z.string().min(1).max(200) }),
    siteInventorySchema,
    { cancellable: true },
  ),
  /** A pair's recovery points, newest first (the failover wizard's recovery point picker). */
  'pairs:recoveryPoints': call(
    z.strictObject({ connectionId: connectionIdSchema, pairId: z.string().min(1).max(64) }),
    z.array(recoveryPointSchema),
    { cancellable: true },
  ),
  /** Readiness checks before a workflow (protect, test, planned, unplanned, failback). */
  'plans:readiness': call(planRef.extend({ kind: readinessKindSchema }), readinessReportSchema, {
    cancellable: true,
  }),
  /** The operator's settings and what this host makes of them (secret storage, updates, logs). */
  'settings:get': call(none, settingsStateSchema),
  /** Changes some settings; the answer is the new state (settings:changed tells other windows). */
  'settings:update': call(settingsPatchSchema, settingsStateSchema),
  /** File → Export: what this console shows (every connection and configuration server) as one file. */
  'export:create': call(exportCreateInputSchema, exportCreatedSchema, { cancellable: true }),
  /**
   * File → Open export for a file the shell was handed by path (file association, second launch):
   * its text. The renderer parses and verifies it (shared/export/open.ts) as it does a dropped file.
   */
  'export:open': call(exportOpenInputSchema, exportOpenedFileSchema, { cancellable: true }),
} as const satisfies Record<string, CallDef>;

export const events = {
  'topology:changed': event(topologyChangeSchema),
  'inventory:changed': event(inventoryChangedSchema),
  'job:progress': event(jobProgressSchema),
  'protection:changed': event(protectionChangedSchema),
  /** A command from the desktop shell's menu, a second launch or a file association. */
  'app:command': event(appCommandSchema),
  'settings:changed': event(settingsStateSchema),
} as const satisfies Record<string, EventDef>;

export type Calls = typeof calls;
export type CallName = keyof Calls;
export type CallInput<N extends CallName> = z.input<Calls[N]['input']>;
export type CallOutput<N extends CallName> = z.output<Calls[N]['output']>;
export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<N extends EventName> = z.output<Events[N]['payload']>;

export const callNames = Object.keys(calls) as CallName[];
export const eventNames = Object.keys(events) as EventName[];

export function isCallName(name: unknown): name is CallName {
  return typeof name === 'string' && Object.hasOwn(calls, name);
}

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.hasOwn(events, name);
}

/** Options every client call accepts. */
export interface CallOptions {
  signal?: AbortSignal;
}

/** The typed surface the renderer sees, whatever the transport. */
export type SiteshiftApi = {
  [N in CallName]: (input: CallInput<N>, options?: CallOptions) => Promise<CallOutput<N>>;
} & {
  subscribe<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void): () => void;
};
