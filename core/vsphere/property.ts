import { ApiError } from '../../shared/errors';
import { sayClient } from '../../shared/i18n/client-words';
import { sayOp } from '../../shared/i18n/operation-words';
import type { BodyFilter, VimClient } from './client';
import {
  asArray,
  asObject,
  detachString,
  type MoRef,
  moRef,
  type SoapObject,
  text,
  type XmlValue,
} from './xml';

/** Properties to read for one managed object type. */
export interface PropertySpec {
  type: string;
  pathSet: string[];
  /** Every property (slow: use pathSet). An empty pathSet without `all` lists the objects only. */
  all?: boolean;
}

/** One object with the properties the server returned (raw XML values, decoded by the caller). */
export interface ObjectContent {
  obj: MoRef;
  props: Map<string, XmlValue>;
  /** Properties the server could not read (e.g. no permission), by path. */
  missing: string[];
}

export interface RetrieveOptions {
  /** Page size asked of the server; it may send fewer (vcsim ignores it). */
  maxObjects?: number;
  signal?: AbortSignal;
  bodyFilter?: BodyFilter;
}

function propSet(specs: PropertySpec[]): SoapObject[] {
  return specs.map((s) => ({ type: s.type, all: s.all ?? false, pathSet: s.pathSet }));
}

/** A filter spec over the objects of a container view. */
export function viewFilterSpec(view: MoRef, specs: PropertySpec[]): SoapObject {
  return {
    propSet: propSet(specs),
    objectSet: {
      obj: view,
      skip: true,
      selectSet: {
        $type: 'TraversalSpec',
        name: 'traverseView',
        type: 'ContainerView',
        path: 'view',
        skip: false,
      },
    },
  };
}

/**
 * A filter spec over a list of objects. With `skipMissing` an object deleted meanwhile is left
 * out of the result (reportMissingObjectsInResults) instead of failing the whole read with
 * ManagedObjectNotFound; a filter that waits on one object leaves it off, so that a missing
 * object is an error rather than a silent wait.
 */
export function objectsFilterSpec(
  objects: MoRef[],
  specs: PropertySpec[],
  options: { skipMissing?: boolean } = {},
): SoapObject {
  return {
    propSet: propSet(specs),
    objectSet: objects.map((obj) => ({ obj, skip: false })),
    reportMissingObjectsInResults: options.skipMissing || undefined,
  };
}

/** An object vCenter reported missing (reportMissingObjectsInResults): nothing read, only faults. */
export function isMissingObject(o: ObjectContent): boolean {
  return o.props.size === 0 && o.missing.length > 0;
}

/**
 * Property paths, one string each: a path read from a response is a view into the whole
 * response (detachString), and every object of a big estate keeps a map keyed by them.
 */
const PATHS = new Map<string, string>();
function pathName(raw: string): string {
  const known = PATHS.get(raw);
  if (known !== undefined) return known;
  const own = detachString(raw);
  // Paths come from what was asked: a few dozen. The bound only guards against a strange server.
  if (PATHS.size < 1000) PATHS.set(own, own);
  return own;
}

export function readObjectContent(v: XmlValue): ObjectContent {
  const o = asObject(v);
  const obj = moRef(o.obj);
  if (!obj) throw new ApiError('protocol-error', sayOp('op.noReference'));
  const props = new Map<string, XmlValue>();
  for (const p of asArray(o.propSet)) {
    const po = asObject(p);
    const val = po.val;
    if (val !== undefined) props.set(pathName(text(po.name)), val);
  }
  const missing = asArray(o.missingSet).map((m) => text(asObject(m).path));
  return { obj, props, missing };
}

/** Reads a RetrieveResult: its objects and the token for the next page, if any. */
export function readRetrieveResult(v: XmlValue | undefined): {
  token: string | null;
  objects: ObjectContent[];
} {
  if (v === undefined) return { token: null, objects: [] };
  const r = asObject(v);
  const token = r.token === undefined ? null : text(r.token) || null;
  return { token, objects: asArray(r.objects).map(readObjectContent) };
}

/**
 * The property collector layer: container views and paged retrieval. Pages arrive through
 * `onPage` as they are parsed so a big estate is never held twice in memory.
 */
export class PropertyCollector {
  constructor(
    private readonly client: VimClient,
    readonly ref: MoRef = client.serviceContent.propertyCollector,
    /** The session generation a private collector was made in (it dies with that session). */
    readonly generation: number = client.generation,
  ) {}

  async createContainerView(
    container: MoRef,
    types: string[],
    recursive = true,
    signal?: AbortSignal,
  ): Promise<MoRef> {
    const v = await this.client.invoke(
      'CreateContainerView',
      this.client.serviceContent.viewManager,
      [
        ['container', container],
        ['type', types],
        ['recursive', recursive],
      ],
      signal,
    );
    const ref = moRef(v);
    if (!ref) throw new ApiError('protocol-error', sayOp('op.noView', { method: 'CreateContainerView' }));
    return ref;
  }

  /** Never throws; a call that cannot reach the server is queued (VimClient.dispose). */
  async destroyView(view: MoRef, generation?: number): Promise<void> {
    await this.client.dispose('DestroyView', view, generation);
  }

  /** RetrievePropertiesEx, then ContinueRetrievePropertiesEx until the token runs out. */
  async retrieve(
    spec: SoapObject,
    options: RetrieveOptions,
    onPage: (objects: ObjectContent[]) => void,
  ): Promise<void> {
    const { signal, bodyFilter } = options;
    const first = await this.client.invoke(
      'RetrievePropertiesEx',
      this.ref,
      [
        ['specSet', spec],
        ['options', { maxObjects: options.maxObjects }],
      ],
      signal,
      bodyFilter,
    );
    let page = readRetrieveResult(first);
    // While a token is held the server keeps the rest of the result set: whatever ends the loop
    // early (abort, a failed page, the caller's onPage throwing) frees it.
    try {
      onPage(page.objects);
      while (page.token) {
        if (signal?.aborted) throw new ApiError('aborted', sayClient('client.cancelled'));
        page = readRetrieveResult(
          await this.client.invoke(
            'ContinueRetrievePropertiesEx',
            this.ref,
            [['token', page.token]],
            signal,
            bodyFilter,
          ),
        );
        onPage(page.objects);
      }
    } finally {
      if (page.token) {
        const token = page.token;
        // Not under the caller's signal: it may be the reason we stop.
        await this.client.invoke('CancelRetrievePropertiesEx', this.ref, [['token', token]]).catch(() => {});
      }
    }
  }

  async retrieveAll(spec: SoapObject, options: RetrieveOptions = {}): Promise<ObjectContent[]> {
    const out: ObjectContent[] = [];
    await this.retrieve(spec, options, (objects) => {
      for (const o of objects) out.push(o);
    });
    return out;
  }

  /** Properties of a few known objects. */
  async retrieveObjects(
    objects: MoRef[],
    specs: PropertySpec[],
    signal?: AbortSignal,
  ): Promise<ObjectContent[]> {
    if (objects.length === 0) return [];
    const found = await this.retrieveAll(objectsFilterSpec(objects, specs, { skipMissing: true }), {
      signal,
    });
    return found.filter((o) => !isMissingObject(o));
  }

  /** A private collector, so that the updates of one waiter never reach another. */
  async createPrivate(signal?: AbortSignal): Promise<PropertyCollector> {
    const v = await this.client.invoke('CreatePropertyCollector', this.ref, [], signal);
    const ref = moRef(v);
    if (!ref)
      throw new ApiError('protocol-error', sayOp('op.noCollector', { method: 'CreatePropertyCollector' }));
    return new PropertyCollector(this.client, ref);
  }

  /** Never throws; a call that cannot reach the server is queued (VimClient.dispose). */
  async destroy(): Promise<void> {
    if (this.ref.value === this.client.serviceContent.propertyCollector.value) return;
    await this.client.dispose('DestroyPropertyCollector', this.ref, this.generation);
  }

  async createFilter(spec: SoapObject, partialUpdates = false, signal?: AbortSignal): Promise<MoRef> {
    const v = await this.client.invoke(
      'CreateFilter',
      this.ref,
      [
        ['spec', spec],
        ['partialUpdates', partialUpdates],
      ],
      signal,
    );
    const ref = moRef(v);
    if (!ref) throw new ApiError('protocol-error', sayOp('op.noFilter', { method: 'CreateFilter' }));
    return ref;
  }

  /**
   * One WaitForUpdatesEx round; null when nothing changed within maxWaitSeconds. With
   * `maxObjectUpdates` a big first answer comes in parts (`truncated`, same loop).
   */
  async waitForUpdates(
    version: string,
    maxWaitSeconds: number,
    signal?: AbortSignal,
    options: { maxObjectUpdates?: number; bodyFilter?: BodyFilter } = {},
  ): Promise<UpdateSet | null> {
    const v = await this.client.invoke(
      'WaitForUpdatesEx',
      this.ref,
      [
        ['version', version],
        ['options', { maxWaitSeconds, maxObjectUpdates: options.maxObjectUpdates }],
      ],
      signal,
      options.bodyFilter,
    );
    return readUpdateSet(v);
  }
}

export type ObjectUpdateKind = 'enter' | 'modify' | 'leave';
export type PropertyChangeOp = 'add' | 'remove' | 'assign' | 'indirectRemove';

export interface PropertyChange {
  name: string;
  op: PropertyChangeOp;
  val: XmlValue | undefined;
}

export interface ObjectUpdate {
  kind: ObjectUpdateKind;
  obj: MoRef;
  changes: PropertyChange[];
}

export interface UpdateSet {
  version: string;
  truncated: boolean;
  objects: ObjectUpdate[];
}

export function readUpdateSet(v: XmlValue | undefined): UpdateSet | null {
  if (v === undefined) return null;
  const u = asObject(v);
  const version = text(u.version);
  const objects: ObjectUpdate[] = [];
  for (const f of asArray(u.filterSet)) {
    for (const ou of asArray(asObject(f).objectSet)) {
      const o = asObject(ou);
      const obj = moRef(o.obj);
      if (!obj) continue;
      objects.push({
        kind: text(o.kind) as ObjectUpdateKind,
        obj,
        changes: asArray(o.changeSet).map((c) => {
          const co = asObject(c);
          return { name: text(co.name), op: text(co.op) as PropertyChangeOp, val: co.val };
        }),
      });
    }
  }
  return { version, truncated: text(u.truncated) === 'true', objects };
}
