import { ApiError } from '../../shared/errors';
import { sayClient } from '../../shared/i18n/client-words';
import { isFault, SessionRenewed, VimFault } from './faults';
import { parseSoapResponse } from './soap';
import { SoapTransport, type TransportOptions } from './transport';
import {
  asObject,
  envelope,
  type MoRef,
  moRef,
  type SkipElements,
  type SoapArg,
  text,
  type XmlValue,
} from './xml';

export interface AboutInfo {
  fullName: string;
  apiVersion: string;
  apiType: string;
  instanceUuid: string | null;
  version: string;
}

export interface ServiceContent {
  rootFolder: MoRef;
  propertyCollector: MoRef;
  viewManager: MoRef;
  sessionManager: MoRef;
  searchIndex: MoRef | null;
  fileManager: MoRef | null;
  virtualDiskManager: MoRef | null;
  datastoreNamespaceManager: MoRef | null;
  about: AboutInfo;
}

/** Parts of a response the caller will not read, passed over by the parser (dropIgnoredDevices). */
export type BodyFilter = SkipElements;

export interface VimClientOptions extends TransportOptions {
  username: string;
  password: string;
}

const SERVICE_INSTANCE: MoRef = { type: 'ServiceInstance', value: 'ServiceInstance' };
const SESSION_COOKIE = 'vmware_soap_session';
// Understood by every vCenter/ESXi from 6.5 on; replaced by about.apiVersion once known.
const BOOTSTRAP_VERSION = '6.5';

export function readServiceContent(v: XmlValue | undefined): ServiceContent {
  const sc = asObject(v);
  const about = asObject(sc.about);
  const ref = (name: string): MoRef => {
    const r = moRef(sc[name]);
    if (!r) throw new ApiError('protocol-error', sayClient('client.vsphere.notVsphere', { name }));
    return r;
  };
  return {
    rootFolder: ref('rootFolder'),
    propertyCollector: ref('propertyCollector'),
    viewManager: ref('viewManager'),
    sessionManager: ref('sessionManager'),
    searchIndex: moRef(sc.searchIndex),
    fileManager: moRef(sc.fileManager),
    virtualDiskManager: moRef(sc.virtualDiskManager),
    datastoreNamespaceManager: moRef(sc.datastoreNamespaceManager),
    about: {
      fullName: text(about.fullName),
      apiVersion: text(about.apiVersion),
      apiType: text(about.apiType),
      instanceUuid: about.instanceUuid === undefined ? null : text(about.instanceUuid),
      version: text(about.version),
    },
  };
}

/** The calls that destroy a session-scoped object (see VimClient.dispose). */
export type DisposeMethod = 'DestroyPropertyCollector' | 'DestroyView';

/** Managed objects that live only as long as the session that created them. */
const SESSION_SCOPED_TYPES = new Set(['ContainerView', 'ListView', 'InventoryView', 'PropertyFilter']);
const TOKEN_METHODS = new Set(['ContinueRetrievePropertiesEx', 'CancelRetrievePropertiesEx']);

/**
 * One vSphere session: the transport, the service content and the session cookie. Every call
 * goes through `invoke`, which logs in again when the server says NotAuthenticated (the session
 * expired or vCenter restarted). Calls failing together share one login, which no single
 * caller's signal can cancel. A call is re-sent only when it names nothing the old session
 * owned (views, private collectors, filters, retrieve tokens die with it): such a call fails
 * with `SessionRenewed`, and its layer re-creates what it needs.
 */
export class VimClient {
  readonly transport: SoapTransport;
  private cookie = '';
  private version = BOOTSTRAP_VERSION;
  private sc: ServiceContent | undefined;
  private pendingLogin: Promise<void> | undefined;
  private loggedIn = false;
  /** Counts logins: objects created under an older generation are gone. */
  private gen = 0;
  /** Destroy calls that could not reach the server, retried after the next call that does. */
  private disposals: Array<{ method: DisposeMethod; self: MoRef; gen: number }> = [];
  private flushing = false;

  private constructor(
    transport: SoapTransport,
    private readonly username: string,
    private readonly password: string,
  ) {
    this.transport = transport;
  }

  /** RetrieveServiceContent + Login. */
  static async connect(options: VimClientOptions, signal?: AbortSignal): Promise<VimClient> {
    if (!options.username) throw new ApiError('invalid-input', sayClient('client.vsphere.noUser'));
    if (!options.password) throw new ApiError('invalid-input', sayClient('client.vsphere.noPasswordGiven'));
    const client = new VimClient(new SoapTransport(options), options.username, options.password);
    try {
      await client.retrieveServiceContent(signal);
      await client.login(signal);
      return client;
    } catch (err) {
      client.transport.close();
      throw err;
    }
  }

  get url(): string {
    return this.transport.url;
  }

  get serviceContent(): ServiceContent {
    if (!this.sc) throw new ApiError('internal', 'the vSphere client is not connected');
    return this.sc;
  }

  get apiVersion(): string {
    return this.version;
  }

  async retrieveServiceContent(signal?: AbortSignal): Promise<ServiceContent> {
    const v = await this.call('RetrieveServiceContent', SERVICE_INSTANCE, [], signal);
    this.sc = readServiceContent(v);
    if (this.sc.about.apiVersion) this.version = this.sc.about.apiVersion;
    return this.sc;
  }

  /** The session generation: it grows by one at each (re-)login. */
  get generation(): number {
    return this.gen;
  }

  async login(signal?: AbortSignal): Promise<void> {
    // The old cookie stays until Login's answer replaces it: calls in flight meanwhile keep a
    // cookie (a stale one fails NotAuthenticated and waits for this login; none goes without).
    await this.call(
      'Login',
      this.serviceContent.sessionManager,
      [
        ['userName', this.username],
        ['password', this.password],
      ],
      signal,
    );
    if (!this.cookie) {
      throw new ApiError('protocol-error', sayClient('client.vsphere.noCookie', { cookie: SESSION_COOKIE }));
    }
    this.loggedIn = true;
    this.gen++;
  }

  /** One login shared by every call that failed under generation `failed`. */
  private relogin(failed: number): Promise<void> {
    if (this.gen !== failed) return Promise.resolve();
    this.pendingLogin ??= this.login().finally(() => {
      this.pendingLogin = undefined;
    });
    return this.pendingLogin;
  }

  /** Whether a call names an object (or token) that dies with the session. */
  sessionScoped(method: string, self: MoRef, args: Array<[string, SoapArg]>): boolean {
    if (TOKEN_METHODS.has(method)) return true;
    const scoped = (v: SoapArg): boolean => {
      if (v === null || typeof v !== 'object') return false;
      if (Array.isArray(v)) return v.some(scoped);
      if (typeof v.type === 'string' && typeof v.value === 'string' && Object.keys(v).length === 2) {
        return (
          SESSION_SCOPED_TYPES.has(v.type) ||
          (v.type === 'PropertyCollector' && v.value !== this.sc?.propertyCollector.value)
        );
      }
      return Object.values(v).some(scoped);
    };
    return scoped(self as unknown as SoapArg) || args.some(([, v]) => scoped(v));
  }

  /**
   * Destroys a session-scoped object (a private property collector, a view). When the call does
   * not reach the server (a network blip) the object would live on in vCenter until the session
   * ends, one leak per blip: the call is queued and sent again after the next call that gets an
   * answer. An object already gone (ManagedObjectNotFound, or its session ended) needs nothing.
   * Never throws: a caller disposing of an object has nothing better to do on failure.
   */
  async dispose(method: DisposeMethod, self: MoRef, gen = this.gen): Promise<void> {
    if (gen !== this.gen || !this.loggedIn) return;
    try {
      await this.call(method, self, []);
    } catch (err) {
      if (!(err instanceof VimFault)) this.disposals.push({ method, self, gen });
    }
  }

  /** How many destroy calls wait for the server to be reachable again. */
  get pendingDisposals(): number {
    return this.disposals.length;
  }

  private async flushDisposals(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      while (this.disposals.length > 0) {
        const d = this.disposals.shift()!;
        // A login since: the session that owned the object ended, and the object with it.
        if (d.gen !== this.gen || !this.loggedIn) continue;
        try {
          await this.call(d.method, d.self, []);
        } catch (err) {
          if (!(err instanceof VimFault)) {
            // Still unreachable: keep it (and the rest) for the next answer.
            this.disposals.unshift(d);
            return;
          }
        }
      }
    } finally {
      this.flushing = false;
    }
  }

  async logout(signal?: AbortSignal): Promise<void> {
    if (!this.loggedIn) return;
    this.loggedIn = false;
    // The session's end destroys its objects.
    this.disposals = [];
    try {
      await this.call('Logout', this.serviceContent.sessionManager, [], signal);
    } catch (err) {
      // An expired session needs no logout.
      if (!isFault(err, 'NotAuthenticated')) throw err;
    } finally {
      this.cookie = '';
    }
  }

  /** Logs out (best effort) and closes the connections. */
  async close(): Promise<void> {
    try {
      await this.logout();
    } catch {
      // Closing must not fail because the server went away.
    } finally {
      this.transport.close();
    }
  }

  /** A method call with the session; logs in again on NotAuthenticated (see the class). */
  async invoke(
    method: string,
    self: MoRef,
    args: Array<[string, SoapArg]> = [],
    signal?: AbortSignal,
    bodyFilter?: BodyFilter,
  ): Promise<XmlValue | undefined> {
    const gen = this.gen;
    try {
      return await this.call(method, self, args, signal, bodyFilter);
    } catch (err) {
      if (!isFault(err, 'NotAuthenticated') || !this.loggedIn) throw err;
      await abortable(this.relogin(gen), signal);
      if (this.sessionScoped(method, self, args)) {
        throw new SessionRenewed(
          'unauthorized',
          `${method}: the vCenter session was renewed and the objects of the old one are gone; this call was not re-sent`,
          'NotAuthenticated',
          method,
          '',
        );
      }
      return this.call(method, self, args, signal, bodyFilter);
    }
  }

  /** One call without the re-login logic. */
  async call(
    method: string,
    self: MoRef,
    args: Array<[string, SoapArg]>,
    signal?: AbortSignal,
    bodyFilter?: BodyFilter,
  ): Promise<XmlValue | undefined> {
    const headers: Record<string, string> = { SOAPAction: `"urn:vim25/${this.version}"` };
    if (this.cookie) headers.Cookie = this.cookie;
    const res = await this.transport.post(envelope(method, self, args), headers, signal);
    if (this.disposals.length > 0 && !this.flushing) void this.flushDisposals();
    for (const c of res.setCookie) {
      // Kept verbatim (name=value, quotes included): vCenter compares the value byte for byte.
      const pair = c.split(';', 1)[0]!.trim();
      if (pair.startsWith(`${SESSION_COOKIE}=`)) this.cookie = pair;
    }
    // Parsed on this thread: the parser builds the tree in one pass, tens of MB per second; a
    // worker would spend more copying the tree back than parsing it.
    return parseSoapResponse(res.body, method, res.status, bodyFilter);
  }
}

/** Waits for `p` unless `signal` aborts first (the shared work goes on for the others). */
function abortable<T>(p: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return p;
  if (signal.aborted) return Promise.reject(new ApiError('aborted', sayClient('client.cancelled')));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new ApiError('aborted', sayClient('client.cancelled')));
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
