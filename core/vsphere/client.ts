import { ApiError } from '../../shared/errors';
import { isFault } from './faults';
import { parseSoapResponseAsync } from './soap';
import { SoapTransport, type TransportOptions } from './transport';
import { asObject, envelope, type MoRef, moRef, type SoapArg, text, type XmlValue } from './xml';

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
  about: AboutInfo;
}

/** Drops parts of a response the caller will not read, before parsing (see dropDevices). */
export type BodyFilter = (xml: string) => string;

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
    if (!r)
      throw new ApiError(
        'protocol-error',
        `RetrieveServiceContent: the answer lacks ${name}; is this a vSphere endpoint?`,
      );
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
    about: {
      fullName: text(about.fullName),
      apiVersion: text(about.apiVersion),
      apiType: text(about.apiType),
      instanceUuid: about.instanceUuid === undefined ? null : text(about.instanceUuid),
      version: text(about.version),
    },
  };
}

/**
 * One vSphere session: the transport, the service content and the session cookie. Every call
 * goes through `invoke`, which logs in again once when the server says NotAuthenticated (the
 * session expired or vCenter restarted) and retries the call.
 */
export class VimClient {
  readonly transport: SoapTransport;
  private cookie = '';
  private version = BOOTSTRAP_VERSION;
  private sc: ServiceContent | undefined;
  private relogin: Promise<void> | undefined;
  private loggedIn = false;

  private constructor(
    transport: SoapTransport,
    private readonly username: string,
    private readonly password: string,
  ) {
    this.transport = transport;
  }

  /** RetrieveServiceContent + Login. */
  static async connect(options: VimClientOptions, signal?: AbortSignal): Promise<VimClient> {
    if (!options.username) throw new ApiError('invalid-input', 'a vCenter user name is required');
    if (!options.password) throw new ApiError('invalid-input', 'a vCenter password is required');
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

  async login(signal?: AbortSignal): Promise<void> {
    this.cookie = '';
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
      throw new ApiError('protocol-error', `Login succeeded but the server set no ${SESSION_COOKIE} cookie`);
    }
    this.loggedIn = true;
  }

  async logout(signal?: AbortSignal): Promise<void> {
    if (!this.loggedIn) return;
    this.loggedIn = false;
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

  /** A method call with the session; re-logs in once on NotAuthenticated. */
  async invoke(
    method: string,
    self: MoRef,
    args: Array<[string, SoapArg]> = [],
    signal?: AbortSignal,
    bodyFilter?: BodyFilter,
  ): Promise<XmlValue | undefined> {
    const cookieUsed = this.cookie;
    try {
      return await this.call(method, self, args, signal, bodyFilter);
    } catch (err) {
      if (!isFault(err, 'NotAuthenticated') || !this.loggedIn) throw err;
      // Several calls may fail together: they share one new login.
      if (this.cookie === cookieUsed) {
        this.relogin ??= this.login(signal).finally(() => {
          this.relogin = undefined;
        });
        await this.relogin;
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
    for (const c of res.setCookie) {
      // Kept verbatim (name=value, quotes included): vCenter compares the value byte for byte.
      const pair = c.split(';', 1)[0]!.trim();
      if (pair.startsWith(`${SESSION_COOKIE}=`)) this.cookie = pair;
    }
    return parseSoapResponseAsync(
      bodyFilter && res.status < 400 ? bodyFilter(res.body) : res.body,
      method,
      res.status,
    );
  }
}
