import { ApiError, type ErrorCode } from '../../shared/errors';
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
export class NotAuthenticated extends VimFault {}
export class NoPermission extends VimFault {}
export class ManagedObjectNotFound extends VimFault {}
export class InvalidPowerState extends VimFault {}
export class InvalidState extends VimFault {}
export class InvalidArgument extends VimFault {}
export class FileNotFound extends VimFault {}
export class FileAlreadyExists extends VimFault {}
export class DuplicateName extends VimFault {}
export class InvalidRequest extends VimFault {}
export class NotSupported extends VimFault {}
export class TaskInProgress extends VimFault {}
export class InvalidDeviceSpec extends VimFault {}
export class ToolsUnavailable extends VimFault {}
export class RequestCanceled extends VimFault {}

type FaultClass = new (...args: ConstructorParameters<typeof VimFault>) => VimFault;

const CLASSES: Record<string, [FaultClass, ErrorCode, (method: string, server: string) => string]> = {
  InvalidLogin: [
    InvalidLogin,
    'invalid-login',
    () => 'the user name or password was refused (InvalidLogin): check both and try again',
  ],
  NotAuthenticated: [
    NotAuthenticated,
    'unauthorized',
    (m) => `${m}: the session is not logged in or has expired (NotAuthenticated)`,
  ],
  NoPermission: [
    NoPermission,
    'unauthorized',
    (m, s) =>
      `${m}: the user lacks a privilege for this (NoPermission)${s ? `: ${s}` : ''}; ask the vCenter administrator for the role`,
  ],
  ManagedObjectNotFound: [
    ManagedObjectNotFound,
    'not-found',
    (m, s) =>
      `${m}: the object no longer exists in vCenter (ManagedObjectNotFound)${s ? `: ${s}` : ''}; refresh the inventory`,
  ],
  InvalidPowerState: [
    InvalidPowerState,
    'conflict',
    (m, s) => `${m}: the VM is not in a power state that allows this (InvalidPowerState)${s ? `: ${s}` : ''}`,
  ],
  InvalidState: [
    InvalidState,
    'conflict',
    (m, s) => `${m}: the object is in a state that does not allow this (InvalidState)${s ? `: ${s}` : ''}`,
  ],
  InvalidArgument: [
    InvalidArgument,
    'invalid-input',
    (m, s) => `${m}: vCenter rejected an argument (InvalidArgument)${s ? `: ${s}` : ''}`,
  ],
  FileNotFound: [
    FileNotFound,
    'not-found',
    (m, s) => `${m}: a file was not found on the datastore (FileNotFound)${s ? `: ${s}` : ''}`,
  ],
  FileAlreadyExists: [
    FileAlreadyExists,
    'conflict',
    (m, s) => `${m}: the file already exists (FileAlreadyExists)${s ? `: ${s}` : ''}`,
  ],
  DuplicateName: [
    DuplicateName,
    'conflict',
    (m, s) => `${m}: the name is already in use (DuplicateName)${s ? `: ${s}` : ''}`,
  ],
  InvalidRequest: [
    InvalidRequest,
    'unknown-call',
    (m, s) =>
      s.startsWith('Required ')
        ? `${m}: vCenter refused the request as incomplete (InvalidRequest): ${s}. This is a Siteshift defect: report it with this message`
        : `${m}: the server does not understand this request (InvalidRequest)${s ? `: ${s}` : ''}; the vCenter/ESXi version may not support it`,
  ],
  MethodNotFound: [
    InvalidRequest,
    'unknown-call',
    (m, s) =>
      `${m}: the server has no such method (MethodNotFound)${s ? `: ${s}` : ''}; the vCenter/ESXi version may not support it`,
  ],
  NotSupported: [
    NotSupported,
    'unknown-call',
    (m, s) => `${m}: not supported by this server (NotSupported)${s ? `: ${s}` : ''}`,
  ],
  TaskInProgress: [
    TaskInProgress,
    'conflict',
    (m, s) =>
      `${m}: another task is running on the object (TaskInProgress)${s ? `: ${s}` : ''}; retry when it ends`,
  ],
  InvalidDeviceSpec: [
    InvalidDeviceSpec,
    'invalid-input',
    (m, s) => `${m}: the device change is invalid (InvalidDeviceSpec)${s ? `: ${s}` : ''}`,
  ],
  ToolsUnavailable: [
    ToolsUnavailable,
    'conflict',
    (m, s) => `${m}: VMware Tools is not running in the guest (ToolsUnavailable)${s ? `: ${s}` : ''}`,
  ],
  RequestCanceled: [
    RequestCanceled,
    'aborted',
    (m, s) => `${m}: the task was cancelled (RequestCanceled)${s ? `: ${s}` : ''}`,
  ],
};

/** Builds the typed error for a fault name (from a SOAP fault detail or a task's info.error). */
export function faultFromDetail(
  method: string,
  name: string,
  serverMessage: string,
  detail: XmlObject | undefined,
): VimFault {
  const known = CLASSES[name];
  if (known) {
    const [Cls, code, msg] = known;
    return new Cls(code, msg(method, serverMessage), name, method, serverMessage, detailSummary(detail));
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

export function isFault(err: unknown, name: string): err is VimFault {
  return err instanceof VimFault && err.fault === name;
}
