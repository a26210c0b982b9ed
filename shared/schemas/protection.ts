import { z } from 'zod';
import { planSchema } from '../configserver/plan';
import {
  alertSchema,
  masterTargetSchema,
  pairSchema,
  processServerSchema,
  siteSchema,
} from '../configserver/schemas';
import { wordedSchema } from '../i18n/worded';

/** The server's collections the console keeps, each a list of the server's own records. */
const collectionSchemas = {
  sites: z.array(siteSchema),
  processServers: z.array(processServerSchema),
  masterTargets: z.array(masterTargetSchema),
  plans: z.array(planSchema),
  pairs: z.array(pairSchema),
  /** Open alerts only. */
  alerts: z.array(alertSchema),
};
export type ProtectionCollection = keyof typeof collectionSchemas;
const collections = Object.keys(collectionSchemas) as ProtectionCollection[];

/**
 * What the console shows of one configuration server: its protection state, kept current by the
 * server's event stream. Entities are the server's own records (shared/configserver).
 */
export const protectionSnapshotSchema = z.object({
  connectionId: z.string(),
  connectionName: z.string(),
  url: z.string(),
  /** Null while the server answers; the reason when it does not (the last snapshot stays shown). */
  error: z.string().nullable(),
  /** The words of the error when the server refused with them (a revoked token): the console words it. */
  errorWords: wordedSchema.optional(),
  ...collectionSchemas,
});
export type ProtectionSnapshot = z.infer<typeof protectionSnapshotSchema>;

/** Batched changes of one server: whole records upserted by id, ids removed, or a full replacement. */
export const protectionChangedSchema = z.object({
  connectionId: z.string(),
  replace: protectionSnapshotSchema.nullable(),
  error: z.string().nullable().optional(),
  /** With `error`: its words, when it has them. */
  errorWords: wordedSchema.optional(),
  upsert: z.object(collectionSchemas),
  remove: z.object(
    Object.fromEntries(collections.map((c) => [c, z.array(z.string())])) as Record<
      ProtectionCollection,
      z.ZodArray<z.ZodString>
    >,
  ),
});
export type ProtectionChanged = z.infer<typeof protectionChangedSchema>;

export function emptyProtectionChange(connectionId: string): ProtectionChanged {
  return {
    connectionId,
    replace: null,
    upsert: { sites: [], processServers: [], masterTargets: [], plans: [], pairs: [], alerts: [] },
    remove: { sites: [], processServers: [], masterTargets: [], plans: [], pairs: [], alerts: [] },
  };
}

/** Applies a change to a snapshot (both sides use it: the console backend and the renderer). */
export function applyProtectionChange(
  snapshot: ProtectionSnapshot,
  change: ProtectionChanged,
): ProtectionSnapshot {
  if (change.replace) return change.replace;
  const next: ProtectionSnapshot = { ...snapshot };
  if (change.error !== undefined) {
    next.error = change.error;
    if (change.errorWords) next.errorWords = change.errorWords;
    else delete next.errorWords;
  }
  for (const c of collections) {
    const upserts = change.upsert[c] as Array<{ id: string }>;
    const removes = change.remove[c];
    if (!upserts.length && !removes.length) continue;
    const byId = new Map((snapshot[c] as Array<{ id: string }>).map((x) => [x.id, x]));
    for (const id of removes) byId.delete(id);
    for (const x of upserts) byId.set(x.id, x);
    (next as Record<ProtectionCollection, unknown>)[c] = [...byId.values()];
  }
  return next;
}

export function isEmptyProtectionChange(change: ProtectionChanged): boolean {
  return (
    change.replace === null &&
    change.error === undefined &&
    collections.every((c) => change.upsert[c].length === 0 && change.remove[c].length === 0)
  );
}
