import type {
  ConnectionTarget,
  ConnectionTestResult,
  PresentedIdentity,
  Trust,
} from '../../shared/schemas/connection';
import type { HypervInventory, InventoryDocument, VsphereInventory } from '../../shared/schemas/inventory';
import type { EndpointOperations } from './operations';

/**
 * The seam between the console and every estate it reads: the real vSphere and Hyper-V
 * connectors and the lab implement the same interfaces, so nothing above them knows which one
 * it talks to.
 */
/**
 * The collections of a document. Distributed over a union of documents, so that the change type
 * of "any document" (the default below) is the union of every kind's changes: a vSphere or
 * Hyper-V source is then an `EndpointSource` as it is, without a cast.
 */
export type InventoryCollection<D extends InventoryDocument> = D extends unknown
  ? {
      [K in keyof D]: D[K] extends ReadonlyArray<{ id: string }> ? K : never;
    }[keyof D] &
      string
  : never;

/** One live change to an inventory document: an object entered/changed, or left. */
export type InventoryChange<D extends InventoryDocument = InventoryDocument> =
  | {
      type: 'upsert';
      collection: InventoryCollection<D>;
      id: string;
      value: { id: string } & Record<string, unknown>;
    }
  | { type: 'remove'; collection: InventoryCollection<D>; id: string };

export interface InventorySource<D extends InventoryDocument = InventoryDocument> {
  readonly kind: D['source']['kind'];
  /** A full, consistent read of the estate. */
  fetchInventory(signal?: AbortSignal): Promise<D>;
  /**
   * Live changes after the last fetch (vSphere: WaitForUpdatesEx; Hyper-V: polling is acceptable).
   * Returns a stop function. Sources without live updates omit it.
   */
  watch?(listener: (change: InventoryChange<D>) => void, onError?: (err: Error) => void): () => void;
  close(): Promise<void>;
}

/** An open endpoint: its inventory and the operations the DR workflows act through. */
export interface EndpointSource<D extends InventoryDocument = InventoryDocument> extends InventorySource<D> {
  readonly operations: EndpointOperations;
}

export type VsphereSource = InventorySource<VsphereInventory>;
export type HypervSource = InventorySource<HypervInventory>;

/** Secrets travel only in memory, from the vault to the connector. */
export interface ConnectionSecrets {
  password?: string;
  privateKey?: string;
  token?: string;
}

/**
 * A connector knows how to reach one kind of endpoint. `test` never sends a credential before
 * the identity is verified: with no trust it only reports who answered (trust on first use).
 */
export interface Connector<T extends ConnectionTarget = ConnectionTarget> {
  readonly kind: T['kind'];
  test(
    target: T,
    secrets: ConnectionSecrets,
    trust: Trust | undefined,
    signal?: AbortSignal,
  ): Promise<ConnectionTestResult>;
  open(target: T, secrets: ConnectionSecrets, trust: Trust, signal?: AbortSignal): Promise<EndpointSource>;
}

/**
 * The connectors a host was started with, by endpoint kind (dependency injection): the real ones
 * (core/connectors.ts) in the shell, the web host and `siteshift server`; the lab's in the lab.
 */
export type ConnectorRegistry = Partial<Record<Exclude<ConnectionTarget['kind'], 'configserver'>, Connector>>;

export type { PresentedIdentity };
