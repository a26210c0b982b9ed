import { ApiError, type ErrorCode } from '../../shared/errors';
import { sayClient } from '../../shared/i18n/client-words';
import type { Said, Text } from '../../shared/i18n/worded';
import { FAULT_PARENT } from './fault-tree';
import { text, type XmlObject } from './xml';

/**
 * vSphere faults as typed errors. Each is an ApiError (so it crosses IPC with a code the UI can
 * act on) and keeps the vSphere fault name, e.g. `err instanceof InvalidPowerState`.
 */
export class VimFault extends ApiError {
  constructor(
    code: ErrorCode,
    message: string | Text,
    /** The vSphere fault type, e.g. "InvalidLogin". */
    readonly fault: string,
    /** The method that failed, e.g. "PowerOnVM_Task". */
    readonly method: string,
    /** The server's own text (faultstring or localizedMessage). */
    readonly serverMessage: string,
    details?: unknown,
  ) {
    super(code, message, details);
  }
}

export class InvalidLogin extends VimFault {}
export class NoPermission extends VimFault {}
export class NotAuthenticated extends NoPermission {}
/** NotAuthenticated after which the client logged in again: the old session's objects are gone. */
export class SessionRenewed extends NotAuthenticated {}
export class ManagedObjectNotFound extends VimFault {}
export class InvalidState extends VimFault {}
export class InvalidPowerState extends InvalidState {}
export class InvalidArgument extends VimFault {}
export class FileFault extends VimFault {}
export class FileNotFound extends FileFault {}
export class FileAlreadyExists extends FileFault {}
export class DuplicateName extends VimFault {}
export class InvalidRequest extends VimFault {}
export class NotSupported extends VimFault {}
export class TaskInProgress extends VimFault {}
export class InvalidDeviceSpec extends VimFault {}
export class ToolsUnavailable extends VimFault {}
export class RequestCanceled extends VimFault {}
export class InvalidCollectorVersion extends VimFault {}

type FaultClass = new (...args: ConstructorParameters<typeof VimFault>) => VimFault;

/**
 * The fault types with a class and a message of their own (client-words.ts, client.vim.<type>);
 * a subtype gets its nearest base type's.
 */
const CLASSES = {
  InvalidLogin: [InvalidLogin, 'invalid-login'],
  NotAuthenticated: [NotAuthenticated, 'unauthorized'],
  NoPermission: [NoPermission, 'unauthorized'],
  ManagedObjectNotFound: [ManagedObjectNotFound, 'not-found'],
  InvalidPowerState: [InvalidPowerState, 'conflict'],
  InvalidState: [InvalidState, 'conflict'],
  InvalidArgument: [InvalidArgument, 'invalid-input'],
  FileNotFound: [FileNotFound, 'not-found'],
  FileAlreadyExists: [FileAlreadyExists, 'conflict'],
  FileFault: [FileFault, 'remote-error'],
  DuplicateName: [DuplicateName, 'conflict'],
  InvalidRequest: [InvalidRequest, 'unknown-call'],
  MethodNotFound: [InvalidRequest, 'unknown-call'],
  NotSupported: [NotSupported, 'unknown-call'],
  TaskInProgress: [TaskInProgress, 'conflict'],
  InvalidDeviceSpec: [InvalidDeviceSpec, 'invalid-input'],
  ToolsUnavailable: [ToolsUnavailable, 'conflict'],
  RequestCanceled: [RequestCanceled, 'aborted'],
  InvalidCollectorVersion: [InvalidCollectorVersion, 'conflict'],
} satisfies Record<string, [FaultClass, ErrorCode]>;
type KnownFault = keyof typeof CLASSES;

/** The message for a fault: the method, the fault's own (sub)type name, the server's text as a value. */
function faultSaid(type: KnownFault, method: string, server: string, name: string): Said {
  // vCenter's "Required property … is missing": a request Siteshift got wrong, not the operator.
  if (type === 'InvalidRequest' && server.startsWith('Required '))
    return sayClient('client.vim.InvalidRequestIncomplete', { method, name, server });
  const more = server ? sayClient('client.vim.more', { server }) : '';
  return sayClient(`client.vim.${type}`, { method, name, more });
}

/** The fault type and its base types, nearest first ("InvalidPowerState", "InvalidState", …). */
export function faultLineage(name: string): string[] {
  const out: string[] = [];
  for (let t: string | undefined = name; t && out.length < 50; t = FAULT_PARENT[t]) out.push(t);
  return out;
}

/**
 * Builds the typed error for a fault name (from a SOAP fault detail or a task's info.error). A
 * subtype this table does not name gets its nearest known base type's class and message.
 */
export function faultFromDetail(
  method: string,
  name: string,
  serverMessage: string,
  detail: XmlObject | undefined,
): VimFault {
  for (const t of faultLineage(name)) {
    if (!Object.hasOwn(CLASSES, t)) continue;
    const [Cls, code] = CLASSES[t as KnownFault];
    return new Cls(
      code,
      faultSaid(t as KnownFault, method, serverMessage, name),
      name,
      method,
      serverMessage,
      detailSummary(detail),
    );
  }
  const said = serverMessage
    ? sayClient('client.vim.failed', { method, name, server: serverMessage })
    : sayClient('client.vim.failedFault', { method, name });
  return new VimFault('remote-error', said, name, method, serverMessage, detailSummary(detail));
}

function detailSummary(detail: XmlObject | undefined): Record<string, string> | undefined {
  if (!detail) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(detail)) {
    if (k.startsWith('@') || k === '#') continue;
    if (
      typeof v === 'string' ||
      (v && typeof v === 'object' && !Array.isArray(v) && typeof v['#'] === 'string')
    ) {
      out[k] = text(v);
    }
  }
  return Object.keys(out).length ? out : undefined;
}

/** Whether `err` is the vSphere fault `name` or one of its subtypes (InvalidPowerState is an InvalidState). */
export function isFault(err: unknown, name: string): err is VimFault {
  return err instanceof VimFault && (err.fault === name || faultLineage(err.fault).includes(name));
}
