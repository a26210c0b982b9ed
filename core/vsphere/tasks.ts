import { ApiError } from '../../shared/errors';
import { sayOp } from '../../shared/i18n/operation-words';
import type { VimClient } from './client';
import { faultFromDetail, isFault, SessionRenewed } from './faults';
import { objectsFilterSpec, PropertyCollector } from './property';
import { asObject, localName, type MoRef, moRef, num, text, type XmlValue, xsiType } from './xml';

export type TaskState = 'queued' | 'running' | 'success' | 'error';

export interface TaskProgress {
  task: MoRef;
  state: TaskState;
  /** 0..100 while running; null when the server does not report it. */
  progress: number | null;
}

export interface TaskOptions {
  onProgress?: (p: TaskProgress) => void;
  signal?: AbortSignal;
  /** Gives up waiting (the task keeps running on the server). Default: no limit. */
  timeoutMs?: number;
  /**
   * On abort the task is cancelled in vCenter (CancelTask), so that a stopped step leaves no
   * work running behind it; set to leave it running instead.
   */
  leaveRunningOnAbort?: boolean;
  /**
   * Called with the task once vCenter accepted it, before the wait: a DR step records it there,
   * so that after a crash it waits on this task instead of starting a second one.
   */
  onTask?: (task: MoRef) => void | Promise<void>;
  /** Holds a slot of the caller's per-vCenter task cap from the task's start to its end. */
  slot?: <T>(task: () => Promise<T>) => Promise<T>;
}

const TASK_PROPS = ['info.state', 'info.progress', 'info.error', 'info.result'];
// Short enough that a cancelled wait frees its HTTP request soon, long enough to stay idle.
const MAX_WAIT_SECONDS = 30;

/** Applies one WaitForUpdatesEx change set to a property map. */
export function applyChanges(
  props: Map<string, XmlValue>,
  changes: ReadonlyArray<{ name: string; op: string; val: XmlValue | undefined }>,
): void {
  for (const c of changes) {
    if (c.op === 'remove' || c.op === 'indirectRemove' || c.val === undefined) props.delete(c.name);
    else props.set(c.name, c.val);
  }
}

/** The typed error for a task's info.error (a LocalizedMethodFault). */
export function taskError(method: string, error: XmlValue | undefined): Error {
  const e = asObject(error);
  const fault = e.fault;
  const name = xsiType(fault) ?? 'VimFault';
  return faultFromDetail(method, localName(name), text(e.localizedMessage), asObject(fault));
}

/**
 * Follows properties of one object through a private property collector (never polling) until
 * `check` returns a result; null when `timeoutMs` passes first. `check` may throw to stop.
 */
export async function waitForProperties<T>(
  client: VimClient,
  obj: MoRef,
  pathSet: string[],
  check: (props: Map<string, XmlValue>) => T | undefined,
  options: { signal?: AbortSignal; timeoutMs?: number; maxWaitSeconds?: number } = {},
): Promise<T | null> {
  const { signal } = options;
  const deadline = options.timeoutMs ? Date.now() + options.timeoutMs : Number.POSITIVE_INFINITY;
  const props = new Map<string, XmlValue>();
  let version = '';
  // The collector and its filter belong to the session: after a re-login they are gone and are
  // made again (the object itself, a task say, lives on in vCenter: waiting again is right,
  // reporting it failed would make the caller start it a second time).
  const open = async () => {
    const pc = await new PropertyCollector(client).createPrivate(signal);
    try {
      await pc.createFilter(objectsFilterSpec([obj], [{ type: obj.type, pathSet }]), false, signal);
    } catch (err) {
      await pc.destroy().catch(() => {});
      throw err;
    }
    props.clear();
    version = '';
    return pc;
  };
  let pc = await open();
  let renewals = 0;
  try {
    while (Date.now() < deadline) {
      const wait = Math.max(
        1,
        Math.min(options.maxWaitSeconds ?? MAX_WAIT_SECONDS, Math.ceil((deadline - Date.now()) / 1000)),
      );
      let update: Awaited<ReturnType<PropertyCollector['waitForUpdates']>>;
      try {
        update = await pc.waitForUpdates(version, wait, signal);
      } catch (err) {
        const renewed = err instanceof SessionRenewed;
        if ((!renewed && !isFault(err, 'InvalidCollectorVersion')) || ++renewals > 5) throw err;
        if (!renewed) await pc.destroy().catch(() => {});
        pc = await open();
        continue;
      }
      renewals = 0;
      if (!update) continue;
      version = update.version;
      for (const o of update.objects) applyChanges(props, o.changes);
      const result = check(props);
      if (result !== undefined) return result;
    }
    return null;
  } finally {
    // Not waited for: the answer is known, and destroy() never throws (a destroy that cannot
    // reach vCenter is queued by the client and sent again).
    void pc.destroy();
  }
}

/**
 * Asks vCenter to cancel a task. False when the task cannot be cancelled (not cancelable, or
 * already finished: vCenter answers NotSupported or InvalidState); the task's own info.error
 * then says how it ended.
 */
export async function cancelTask(client: VimClient, task: MoRef, signal?: AbortSignal): Promise<boolean> {
  try {
    await client.invoke('CancelTask', task, [], signal);
    return true;
  } catch (err) {
    if (isFault(err, 'NotSupported') || isFault(err, 'InvalidState')) return false;
    throw err;
  }
}

/**
 * Waits for a task, reporting progress. Resolves with info.result (e.g. the new VM of
 * CreateVM_Task), rejects with the typed fault of info.error.
 */
export async function waitForTask(
  client: VimClient,
  task: MoRef,
  method: string,
  options: TaskOptions = {},
): Promise<XmlValue | undefined> {
  let last = '';
  const check = (props: Map<string, XmlValue>) => {
    const state = text(props.get('info.state')) as TaskState;
    const progressVal = props.get('info.progress');
    const progress = state === 'success' ? 100 : progressVal === undefined ? null : num(progressVal);
    const key = `${state}:${progress}`;
    if (key !== last) {
      last = key;
      options.onProgress?.({ task, state, progress });
    }
    if (state === 'error') throw taskError(method, props.get('info.error'));
    return state === 'success' ? { result: props.get('info.result') } : undefined;
  };
  const wait = async () => {
    // One read first (RetrievePropertiesEx): a task that has already ended (a quick reconfigure,
    // a power-on vCenter answers at once) needs no collector, filter, wait and destroy, four
    // round trips. A task still running is followed through a collector (never polled).
    const [now] = await new PropertyCollector(client).retrieveObjects(
      [task],
      [{ type: task.type, pathSet: TASK_PROPS }],
      options.signal,
    );
    const ended = now ? check(now.props) : undefined;
    if (ended) return ended;
    return waitForProperties(client, task, TASK_PROPS, check, options);
  };
  const done = await wait().catch(async (err: unknown) => {
    if (err instanceof ApiError && err.code === 'aborted') {
      if (options.leaveRunningOnAbort) {
        throw new ApiError('aborted', sayOp('op.taskLeft', { method }));
      }
      // Not under the aborted signal: the cancel itself must reach vCenter.
      const cancelled = await cancelTask(client, task).catch(() => false);
      throw new ApiError(
        'aborted',
        sayOp(cancelled ? 'op.taskCancelled' : 'op.taskNotCancelled', { method, task: task.value }),
      );
    }
    throw err;
  });
  if (!done) {
    throw new ApiError('timeout', sayOp('op.taskTimeout', { method, ms: options.timeoutMs ?? 0 }));
  }
  return done.result;
}

/** Starts a `…_Task` method and waits for it. */
export async function runTask(
  client: VimClient,
  method: string,
  self: MoRef,
  args: Parameters<VimClient['invoke']>[2],
  options: TaskOptions = {},
): Promise<XmlValue | undefined> {
  const run = async () => {
    const task = moRef(await client.invoke(method, self, args, options.signal));
    if (!task) throw new ApiError('protocol-error', sayOp('op.noTask', { method }));
    await options.onTask?.(task);
    return waitForTask(client, task, method, options);
  };
  return options.slot ? options.slot(run) : run();
}
