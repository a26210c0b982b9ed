import { join } from 'node:path';
import type { EventName, EventPayload } from '../../shared/contract';
import type { Handlers } from '../../shared/dispatch';
import { ApiError, errorFields, errorSaid } from '../../shared/errors';
import { sayClient } from '../../shared/i18n/client-words';
import { pickLocale } from '../../shared/i18n/locale';
import type { Text } from '../../shared/i18n/worded';
import type { Connection, ConnectionTarget } from '../../shared/schemas/connection';
import { applyInventoryChange, type InventoryDocument } from '../../shared/schemas/inventory';
import type { ProtectionSnapshot } from '../../shared/schemas/protection';
import type { SettingsPatch, SettingsState } from '../../shared/schemas/settings';
import type { Topology } from '../../shared/schemas/topology';
import type {
  ConnectionSecrets,
  Connector,
  ConnectorRegistry,
  InventoryChange,
  InventorySource,
} from '../inventory/source';
import { createLabEstate, type LabEstate } from '../lab/estate';
import { buildTopology } from '../topology/build';
import { diffTopology } from '../topology/diff';
import { failedDeployment, readDeployment, readServerInventories } from '../topology/export';
import { appVersion } from '../version';
import { ConnectionStore } from './connection-store';
import { createConsoleExport, readExportFile, readSigningKey, signingKeyStatus } from './export';
import { type LabConnection, type LabServerHandle, openLab } from './lab-connections';
import { configServerTester, ProtectionHub } from './protection';
import { type SettingsHost, SettingsStore } from './settings';
import { KeyFileVault, type SecretVault } from './vault';

export interface ConsoleBackendOptions {
  /** Folder for the connection list (and, for the key-file vault, its key). */
  dataDir: string;
  vault: SecretVault;
  host: 'electron' | 'web' | 'test';
  connectors: ConnectorRegistry;
  /**
   * The embedded lab opens when there are no saved connections, unless this is false. With
   * `server` (the default) it includes the lab configuration server and its agent, whose PGlite
   * data lives in `<dataDir>/lab-server`.
   */
  lab?: false | { vms?: number; server?: boolean; estate?: LabEstate };
  /** Starts the lab configuration server; injected by the hosts so that core/ does not depend on server/. */
  startLabServer?: (dataDir: string, estate: LabEstate) => Promise<LabServerHandle>;
  /** What this host makes of the settings (secret storage, updates, logs); a plain default for tests. */
  settingsHost?: SettingsHost;
  /** How long one endpoint may take to answer before the topology is drawn without it. */
  openTimeoutMs?: number;
}

type EventListener = <E extends EventName>(name: E, payload: EventPayload<E>) => void;

interface Session {
  connection: Connection;
  source: InventorySource | null;
  inventory: InventoryDocument | null;
  /** Why the endpoint cannot be read, with its words when the console said it. */
  error: Text | null;
  stopWatch: (() => void) | null;
  opening: Promise<void> | null;
}

const TOPOLOGY_DEBOUNCE_MS = 150;

/**
 * The console's backend: the handlers behind every call of the contract, whatever the transport
 * (Electron IPC or the web host). It owns the saved connections, one open session per endpoint,
 * the cached inventories kept current by live updates, and the topology built from them.
 */
export class ConsoleBackend {
  private readonly store: ConnectionStore;
  private readonly listeners = new Set<EventListener>();
  private readonly sessions = new Map<string, Session>();
  private lab: LabConnection[] | null = null;
  private labOpening: Promise<LabConnection[]> | null = null;
  private labServer: LabServerHandle | null = null;
  private topology: Topology | null = null;
  private revision = 0;
  private topologyTimer: NodeJS.Timeout | null = null;
  private readonly protection: ProtectionHub;
  readonly settings: SettingsStore;

  constructor(private readonly options: ConsoleBackendOptions) {
    this.store = new ConnectionStore(join(options.dataDir, 'connections.json'), options.vault);
    this.settings = new SettingsStore(join(options.dataDir, 'settings.json'));
    this.protection = new ProtectionHub({
      changed: (change) => {
        this.emit('protection:changed', change);
        this.scheduleTopology();
      },
      job: (progress) => this.emit('job:progress', progress),
    });
  }

  /** Opens the lab (and its configuration server) and reads every source ahead of the first window. */
  warmUp(): void {
    void this.labConnections()
      .then(() => this.rebuildTopology())
      .catch(() => undefined);
  }

  onEvent(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit<E extends EventName>(name: E, payload: EventPayload<E>): void {
    for (const l of this.listeners) l(name, payload);
  }

  readonly handlers: Handlers = {
    'app:info': async () => ({
      name: 'Siteshift',
      version: appVersion,
      host: this.options.host,
      platform: `${process.platform}-${process.arch}`,
      lab: (await this.labConnections()).length > 0,
    }),
    'connections:list': async () => this.allConnections(),
    'connections:test': async (input, { signal }) => {
      return this.connector(input.target).test(input.target, input.secrets, input.trust, signal);
    },
    'connections:check': async ({ id }, { signal }) => {
      if (await this.labConnection(id)) {
        const product = sayClient('client.product.lab');
        return {
          status: 'ok',
          identity: { kind: 'loopback' },
          product: product.text,
          productWords: product.words,
        };
      }
      const connection = await this.store.get(id);
      if (!connection) throw new ApiError('not-found', sayClient('client.noConnection', { id }));
      const secrets = await this.store.secrets(id);
      return this.connector(connection.target).test(
        connection.target,
        secrets,
        connection.trust ?? undefined,
        signal,
      );
    },
    'connections:add': async (input, { signal }) => {
      const result = await this.connector(input.target).test(
        input.target,
        input.secrets,
        input.trust,
        signal,
      );
      if (result.status === 'confirm-identity') {
        throw new ApiError('untrusted-identity', sayClient('client.confirmIdentity'));
      }
      if (result.status === 'identity-changed') {
        throw new ApiError(
          'identity-changed',
          sayClient('client.identityChanged', { pinned: result.pinned }),
        );
      }
      const wasLab = this.lab !== null && this.lab.length > 0;
      const saved = await this.store.add(input);
      if (wasLab) await this.closeLab();
      this.scheduleTopology();
      return saved;
    },
    'connections:remove': async ({ id }) => {
      if (await this.labConnection(id)) {
        throw new ApiError('conflict', sayClient('client.labNotRemovable'));
      }
      await this.closeSession(id);
      const removed = await this.store.remove(id);
      if (removed) this.scheduleTopology();
      return { removed };
    },
    'inventory:get': async ({ connectionId }, { signal }) => {
      const session = await this.session(connectionId, signal);
      if (!session.inventory) {
        throw new ApiError(
          'unreachable',
          session.error ?? sayClient('client.notAvailable', { name: session.connection.name }),
        );
      }
      return session.inventory;
    },
    'topology:get': async (_input, { signal }) => {
      // A rebuild already scheduled (a live change, debounced) reaches the caller as the
      // topology:changed that follows this revision: answering now keeps a rebuild of the whole
      // estate (some 100 ms at 5,000 VMs) off the console's first paint.
      if (this.topology) return this.topology;
      return this.rebuildTopology(signal);
    },
    'protection:get': async (_input, { signal }) => this.protectionSnapshots(signal),
    'settings:get': async () => this.settingsState(),
    'export:create': async ({ format, expanded, locale }, { signal }) => {
      const settings = await this.settings.get();
      const keyPath = settings.export.signingKeyPath;
      return createConsoleExport(
        {
          host: this.options.host,
          signingKey: keyPath ? await readSigningKey(keyPath) : undefined,
          connections: () => this.allConnections(),
          inventory: async (connection, sig) => {
            try {
              const s = await this.session(connection.id, sig);
              return { inventory: s.inventory, error: s.error?.text ?? null, errorWords: s.error?.words };
            } catch (err) {
              sig?.throwIfAborted();
              return { inventory: null, ...errorFields(err) };
            }
          },
          deployment: async (connection, sig) => {
            const url = connection.target.kind === 'configserver' ? connection.target.url : '';
            try {
              const client = await this.protection.client(connection, await this.secretsOf(connection), sig);
              return await readDeployment(client, connection.name, sig);
            } catch (err) {
              sig?.throwIfAborted();
              return failedDeployment(connection.name, url, err);
            }
          },
          serverInventories: async (connection, deployment, skip, sig) => {
            const client = await this.protection.client(connection, await this.secretsOf(connection), sig);
            return readServerInventories(client, deployment, { skip, signal: sig });
          },
        },
        format,
        signal,
        {
          fold: expanded ? { expanded } : undefined,
          locale: locale ?? pickLocale(settings.language, []),
        },
      );
    },
    'export:open': async ({ path }) => readExportFile(path),
    'settings:update': async (patch) => this.updateSettings(patch),
    'plans:list': async ({ connectionId }, { signal }) =>
      (await this.serverClient(connectionId, signal)).listPlans(),
    'plans:get': async ({ connectionId, plan }, { signal }) =>
      (await this.serverClient(connectionId, signal)).getPlan(plan),
    'plans:validate': async ({ connectionId, plan }, { signal }) =>
      (await this.serverClient(connectionId, signal)).validatePlan(plan),
    'plans:apply': async ({ connectionId, plan, expectUpdatedAt }) =>
      (await this.serverClient(connectionId)).applyPlan(plan, expectUpdatedAt),
    'plans:remove': async ({ connectionId, plan }) =>
      (await this.serverClient(connectionId)).removePlan(plan),
    'masterTargets:list': async ({ connectionId }, { signal }) =>
      (await this.serverClient(connectionId, signal)).listMasterTargets(),
    'masterTargets:check': async ({ connectionId, ...input }, { signal }) =>
      (await this.serverClient(connectionId, signal)).checkMasterTarget(input),
    'plans:readiness': async ({ connectionId, plan, kind }, { signal }) =>
      (await this.serverClient(connectionId, signal)).planReadiness(plan, kind),
    'sites:inventory': async ({ connectionId, site }, { signal }) =>
      (await this.serverClient(connectionId, signal)).siteInventory(site),
    'pairs:recoveryPoints': async ({ connectionId, pairId }, { signal }) =>
      (await this.serverClient(connectionId, signal)).recoveryPoints(pairId),
    'jobs:list': async (_input, { signal }) => {
      const snapshots = await this.protectionSnapshots(signal);
      const lists = await Promise.all(
        snapshots.filter((s) => !s.error).map((s) => this.protection.jobs(s.connectionId).catch(() => [])),
      );
      return lists.flat().sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    },
    'jobs:get': async ({ id }, { signal }) => (await this.jobServer(id, signal)).getJob(id),
    'jobs:create': async ({ connectionId, ...input }) =>
      (await this.serverClient(connectionId)).createJob(input),
    'jobs:cancel': async ({ id }) => (await this.jobServer(id)).cancelJob(id),
    'jobs:acknowledge': async ({ id }) => (await this.jobServer(id)).acknowledgeJob(id),
  };

  /**
   * The client of the configuration server that holds a job. job:progress and jobs:list carry
   * no connection, so the renderer names a job by id alone and each connected server is asked.
   */
  private async jobServer(id: string, signal?: AbortSignal) {
    const servers = (await this.allConnections()).filter((c) => c.target.kind === 'configserver');
    for (const connection of servers) {
      signal?.throwIfAborted();
      let client: Awaited<ReturnType<ConsoleBackend['serverClient']>>;
      try {
        client = await this.serverClient(connection.id, signal);
      } catch {
        continue;
      }
      try {
        await client.getJob(id);
        return client;
      } catch (err) {
        if (!(err instanceof ApiError && err.code === 'not-found')) throw err;
      }
    }
    throw new ApiError('not-found', sayClient('client.noJob', { id }));
  }

  async settingsState(): Promise<SettingsState> {
    const settings = await this.settings.get();
    const host = this.options.settingsHost;
    return {
      settings,
      secrets: host?.secrets(settings) ?? {
        storage: this.options.vault instanceof KeyFileVault ? 'key-file' : 'memory',
        keychainAvailable: false,
        reason: { kind: this.options.host === 'electron' ? 'no-keyring' : 'browser', backend: null },
        keyFile: this.options.vault instanceof KeyFileVault ? this.options.vault.keyPath : null,
      },
      updates: host?.updates(settings) ?? { supported: false, url: null, status: null },
      logsDir: host?.logsDir ?? join(this.options.dataDir, 'logs'),
      exportSigning: await signingKeyStatus(settings.export.signingKeyPath),
    };
  }

  /** Used by the settings call and by the desktop menu (View › Theme); every window hears settings:changed. */
  async updateSettings(patch: SettingsPatch): Promise<SettingsState> {
    // A signing key is taken only when it can sign: a typo is refused here, not at the next export.
    if (patch.export?.signingKeyPath) await readSigningKey(patch.export.signingKeyPath);
    const settings = await this.settings.update(patch);
    await this.options.settingsHost?.applied?.(settings);
    const state = await this.settingsState();
    this.emit('settings:changed', state);
    return state;
  }

  /** The client of one saved configuration server connection (plans and readiness go through it). */
  private async serverClient(connectionId: string, signal?: AbortSignal) {
    const connection = (await this.allConnections()).find((c) => c.id === connectionId);
    if (connection?.target.kind !== 'configserver')
      throw new ApiError('not-found', sayClient('client.noServerConnection', { id: connectionId }));
    return this.protection.client(connection, await this.secretsOf(connection), signal);
  }

  private async protectionSnapshots(signal?: AbortSignal): Promise<ProtectionSnapshot[]> {
    const servers = (await this.allConnections()).filter((c) => c.target.kind === 'configserver');
    return Promise.all(
      servers.map(async (connection) => {
        try {
          const secrets = await this.secretsOf(connection);
          return await this.protection.snapshot(connection, secrets, signal);
        } catch (err) {
          signal?.throwIfAborted();
          return {
            connectionId: connection.id,
            connectionName: connection.name,
            url: connection.target.kind === 'configserver' ? connection.target.url : '',
            ...errorFields(err),
            sites: [],
            processServers: [],
            masterTargets: [],
            plans: [],
            pairs: [],
            alerts: [],
          };
        }
      }),
    );
  }

  private async secretsOf(connection: Connection): Promise<ConnectionSecrets> {
    const lab = await this.labConnection(connection.id);
    return lab?.secrets ? lab.secrets() : this.store.secrets(connection.id);
  }

  /**
   * The snapshots the map can use right now. A server not loaded yet is loaded in the background
   * (the lab server may still be starting) and the map is redrawn when it arrives, so one slow
   * configuration server never holds back the rest of the topology.
   */
  private async availableProtection(): Promise<ProtectionSnapshot[]> {
    const servers = (await this.allConnections()).filter((c) => c.target.kind === 'configserver');
    const ready = new Map(this.protection.snapshots().map((s) => [s.connectionId, s]));
    for (const connection of servers) {
      if (ready.has(connection.id)) continue;
      void this.secretsOf(connection)
        .then((secrets) => this.protection.snapshot(connection, secrets))
        .then(
          () => this.scheduleTopology(),
          () => undefined,
        );
    }
    return servers.flatMap((c) => ready.get(c.id) ?? []);
  }

  private connector(target: ConnectionTarget): Pick<Connector, 'test'> {
    if (target.kind === 'configserver') return configServerTester;
    return this.inventoryConnector(target);
  }

  private inventoryConnector(target: ConnectionTarget): Connector {
    const found = target.kind === 'configserver' ? undefined : this.options.connectors[target.kind];
    if (!found) {
      throw new ApiError('invalid-input', sayClient('client.noConnector', { kind: target.kind }));
    }
    return found;
  }

  private async labConnections(): Promise<LabConnection[]> {
    if (this.lab) return this.lab;
    this.labOpening ??= (async () => {
      const saved = await this.store.list();
      const options = this.options.lab;
      if (options === false || saved.length > 0) return [];
      const estate =
        options?.estate ?? createLabEstate(options?.vms === undefined ? {} : { vms: options.vms });
      const lab: LabConnection[] = openLab(estate);
      if (options?.server !== false && this.options.startLabServer) {
        this.labServer = await this.options.startLabServer(join(this.options.dataDir, 'lab-server'), estate);
        return [...lab, this.labServer.connection];
      }
      return lab;
    })();
    this.lab = await this.labOpening;
    return this.lab;
  }

  private async labConnection(id: string): Promise<LabConnection | undefined> {
    return (await this.labConnections()).find((l) => l.connection.id === id);
  }

  private async closeLab(): Promise<void> {
    for (const l of this.lab ?? []) await this.closeSession(l.connection.id);
    this.lab = [];
    await this.labServer?.stop();
    this.labServer = null;
  }

  private async allConnections(): Promise<Connection[]> {
    return [...(await this.labConnections()).map((l) => l.connection), ...(await this.store.list())];
  }

  private async session(id: string, signal?: AbortSignal): Promise<Session> {
    let session = this.sessions.get(id);
    if (!session) {
      const lab = await this.labConnection(id);
      const connection = lab?.connection ?? (await this.store.get(id));
      if (!connection) throw new ApiError('not-found', sayClient('client.noConnection', { id }));
      const created: Session = {
        connection,
        source: null,
        inventory: null,
        error: null,
        stopWatch: null,
        opening: null,
      };
      created.opening = this.open(created, lab?.source ?? undefined, signal);
      this.sessions.set(id, created);
      session = created;
    }
    await session.opening;
    return session;
  }

  private async open(
    session: Session,
    labSource: InventorySource | undefined,
    signal?: AbortSignal,
  ): Promise<void> {
    const { connection } = session;
    const timeout = AbortSignal.timeout(this.options.openTimeoutMs ?? 30_000);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    try {
      let source = labSource;
      if (!source) {
        if (!connection.trust) throw new ApiError('untrusted-identity', sayClient('client.noTrust'));
        const secrets: ConnectionSecrets = await this.store.secrets(connection.id);
        source = await this.inventoryConnector(connection.target).open(
          connection.target,
          secrets,
          connection.trust,
          combined,
        );
      }
      session.source = source;
      session.inventory = await source.fetchInventory(combined);
      session.error = null;
      session.stopWatch =
        source.watch?.(
          (change) => this.onInventoryChange(session, change),
          (err) => {
            session.error = errorSaid(err);
            this.scheduleTopology();
          },
        ) ?? null;
    } catch (err) {
      session.error = errorSaid(err);
      // A failed open is retried on the next request rather than cached forever.
      this.sessions.delete(connection.id);
      if (session.source && !labSource) await session.source.close().catch(() => undefined);
      throw err;
    }
  }

  private onInventoryChange(session: Session, change: InventoryChange): void {
    if (!session.inventory) return;
    session.inventory = applyInventoryChange(session.inventory, change);
    this.emit('inventory:changed', { connectionId: session.connection.id, change });
    this.scheduleTopology();
  }

  private scheduleTopology(): void {
    if (this.topologyTimer) return;
    this.topologyTimer = setTimeout(() => {
      this.rebuildTopology().catch(() => undefined);
    }, TOPOLOGY_DEBOUNCE_MS);
  }

  private async rebuildTopology(signal?: AbortSignal): Promise<Topology> {
    if (this.topologyTimer) clearTimeout(this.topologyTimer);
    this.topologyTimer = null;
    const connections = await this.allConnections();
    const protection = this.availableProtection();
    const inputs = await Promise.all(
      connections
        .filter((c) => c.target.kind !== 'configserver')
        .map(async (connection) => {
          try {
            const s = await this.session(connection.id, signal);
            return {
              connection,
              inventory: s.inventory,
              error: s.error?.text ?? null,
              errorWords: s.error?.words,
            };
          } catch (err) {
            signal?.throwIfAborted();
            return { connection, inventory: null, ...errorFields(err) };
          }
        }),
    );
    const next = buildTopology(inputs, ++this.revision, new Date(), await protection);
    const prev = this.topology;
    this.topology = next;
    if (prev) {
      const change = diffTopology(prev, next);
      if (
        change.upsertNodes.length ||
        change.removeNodes.length ||
        change.upsertEdges.length ||
        change.removeEdges.length
      ) {
        this.emit('topology:changed', change);
      } else {
        // Nothing changed: keep the revision the clients already hold.
        this.topology = { ...next, revision: prev.revision };
        this.revision = prev.revision;
      }
    }
    return this.topology;
  }

  private async closeSession(id: string): Promise<void> {
    this.protection.close(id);
    const session = this.sessions.get(id);
    if (!session) return;
    this.sessions.delete(id);
    await session.opening?.catch(() => undefined);
    session.stopWatch?.();
    const isLab = this.lab?.some((l) => l.connection.id === id);
    if (!isLab) await session.source?.close().catch(() => undefined);
  }

  /** The lab's sources, for the lab's own simulator and for tests that change the estate. */
  async labSources(): Promise<LabConnection[]> {
    return this.labConnections();
  }

  async close(): Promise<void> {
    if (this.topologyTimer) clearTimeout(this.topologyTimer);
    this.topologyTimer = null;
    for (const id of [...this.sessions.keys()]) await this.closeSession(id);
    this.protection.closeAll();
    await this.labServer?.stop();
    this.labServer = null;
    this.listeners.clear();
  }
}
