import { ApiError, type ErrorCode } from '../../shared/errors';
import { FAULT_PARENT } from './fault-tree';
import { text, type XmlObject } from './xml';

/**
 * vSphere faults as typed errors. Each is an ApiError (so it crosses IPC with a code the UI can
 * act on) and keeps the vSphere fault name, e.g. `err instanceof InvalidPowerState`.
 */
export class VimFault extends ApiError {
  constructor(
    code: ErrorCode,
    message: string,
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
/** The message for a fault: the method, the server's text, the fault's own (sub)type name. */
type Message = (method: string, server: string, name: string) => string;

const more = (s: string) => (s ? `: ${s}` : '');

const CLASSES: Record<string, [FaultClass, ErrorCode, Message]> = {
  InvalidLogin: [
    InvalidLogin,
    'invalid-login',
    (_m, _s, n) => `the user name or password was refused (${n}): check both and try again`,
  ],
  NotAuthenticated: [
    NotAuthenticated,
    'unauthorized',
    (m, _s, n) => `${m}: the session is not logged in or has expired (${n})`,
  ],
  NoPermission: [
    NoPermission,
    'unauthorized',
    (m, s, n) =>
      `${m}: the user lacks a privilege for this (${n})${more(s)}; ask the vCenter administrator for the role`,
  ],
  ManagedObjectNotFound: [
    ManagedObjectNotFound,
    'not-found',
    (m, s, n) => `${m}: the object no longer exists in vCenter (${n})${more(s)}; refresh the inventory`,
  ],
  InvalidPowerState: [
    InvalidPowerState,
    'conflict',
    (m, s, n) => `${m}: the VM is not in a power state that allows this (${n})${more(s)}`,
  ],
  InvalidState: [
    InvalidState,
    'conflict',
    (m, s, n) => `${m}: the object is in a state that does not allow this (${n})${more(s)}`,
  ],
  InvalidArgument: [
    InvalidArgument,
    'invalid-input',
    (m, s, n) => `${m}: vCenter rejected an argument (${n})${more(s)}`,
  ],
  FileNotFound: [
    FileNotFound,
    'not-found',
    (m, s, n) => `${m}: a file was not found on the datastore (${n})${more(s)}`,
  ],
  FileAlreadyExists: [
    FileAlreadyExists,
    'conflict',
    (m, s, n) => `${m}: the file already exists (${n})${more(s)}`,
  ],
  FileFault: [
    FileFault,
    'remote-error',
    (m, s, n) => `${m}: a datastore file operation failed (${n})${more(s)}`,
  ],
  DuplicateName: [
    DuplicateName,
    'conflict',
    (m, s, n) => `${m}: the name is already in use (${n})${more(s)}`,
  ],
  InvalidRequest: [
    InvalidRequest,
    'unknown-call',
    (m, s, n) =>
      s.startsWith('Required ')
        ? `${m}: vCenter refused the request as incomplete (${n}): ${s}. This is a Siteshift defect: report it with this message`
        : `${m}: the server does not understand this request (${n})${more(s)}; the vCenter/ESXi version may not support it`,
  ],
  MethodNotFound: [
    InvalidRequest,
    'unknown-call',
    (m, s, n) =>
      `${m}: the server has no such method (${n})${more(s)}; the vCenter/ESXi version may not support it`,
  ],
  NotSupported: [
    NotSupported,
    'unknown-call',
    (m, s, n) => `${m}: not supported by this server (${n})${more(s)}`,
  ],
  TaskInProgress: [
    TaskInProgress,
    'conflict',
    (m, s, n) => `${m}: another task is running on the object (${n})${more(s)}; retry when it ends`,
  ],
  InvalidDeviceSpec: [
    InvalidDeviceSpec,
    'invalid-input',
    (m, s, n) => `${m}: the device change is invalid (${n})${more(s)}`,
  ],
  ToolsUnavailable: [
    ToolsUnavailable,
    'conflict',
    (m, s, n) => `${m}: VMware Tools is not running in the guest (${n})${more(s)}`,
  ],
  RequestCanceled: [RequestCanceled, 'aborted', (m, s, n) => `${m}: the task was cancelled (${n})${more(s)}`],
  InvalidCollectorVersion: [
    InvalidCollectorVersion,
    'conflict',
    (m, s, n) => `${m}: the update version is no longer valid (${n})${more(s)}`,
  ],
};

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
    const known = CLASSES[t];
    if (!known) continue;
    const [Cls, code, msg] = known;
    return new Cls(
      code,
      msg(method, serverMessage, name),
      name,
      method,
      serverMessage,
      detailSummary(detail),
    );
  }
  const text = serverMessage
    ? `${method} failed: ${name}: ${serverMessage}`
    : `${method} failed with the vSphere fault ${name}`;
  return new VimFault('remote-error', text, name, method, serverMessage, detailSummary(detail));
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
