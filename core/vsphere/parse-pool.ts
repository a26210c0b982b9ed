import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { XmlObject } from './xml';
import { parseXmlDocument } from './xml-core.mjs';

/**
 * Big responses (an estate's VM properties, tens of MB) are parsed on worker threads, so that
 * pages arriving together are parsed in parallel and the main thread stays free for I/O.
 * Where workers cannot start (e.g. a bundle without parse-worker.mjs beside it) parsing falls
 * back to the calling thread: slower, same result.
 */

interface Job {
  resolve: (doc: XmlObject) => void;
  reject: (err: Error) => void;
}

class ParseWorker {
  readonly jobs = new Map<number, Job>();
  private readonly worker: Worker;

  constructor(onBroken: (err: Error) => void) {
    this.worker = new Worker(new URL('./parse-worker.mjs', import.meta.url));
    this.worker.unref();
    this.worker.on('message', (m: { id: number; json?: string; error?: string }) => {
      const job = this.jobs.get(m.id);
      if (!job) return;
      this.jobs.delete(m.id);
      if (this.jobs.size === 0) this.worker.unref();
      if (m.error !== undefined) job.reject(new Error(m.error));
      else job.resolve(JSON.parse(m.json!) as XmlObject);
    });
    this.worker.on('error', (err) => {
      for (const job of this.jobs.values()) job.reject(err);
      this.jobs.clear();
      onBroken(err);
    });
  }

  parse(id: number, xml: string): Promise<XmlObject> {
    return new Promise((resolve, reject) => {
      this.jobs.set(id, { resolve, reject });
      // Held while busy: an unref'd worker would let the process exit under a pending parse.
      this.worker.ref();
      this.worker.postMessage({ id, xml });
    });
  }

  terminate(): void {
    void this.worker.terminate();
  }
}

let workers: ParseWorker[] | null = null;
let broken = false;
let nextId = 1;

/** SITESHIFT_PARSE_WORKERS: how many (default: up to 2, one per CPU); 0 parses on the calling thread. */
function configuredSize(): number {
  const v = process.env.SITESHIFT_PARSE_WORKERS;
  const n = v === undefined || v === '' ? Number.NaN : Number(v);
  return Number.isInteger(n) && n >= 0 ? Math.min(n, 8) : Math.max(1, Math.min(2, availableParallelism()));
}

function pool(): ParseWorker[] | null {
  if (broken) return null;
  const size = configuredSize();
  if (size === 0) return null;
  if (!workers) {
    try {
      workers = Array.from({ length: size }, () => new ParseWorker(markBroken));
    } catch {
      markBroken();
    }
  }
  return workers;
}

function markBroken(): void {
  broken = true;
  for (const w of workers ?? []) w.terminate();
  workers = null;
}

/** Parses on the least busy worker; on the calling thread when workers are unavailable. */
export async function parseXmlOffThread(xml: string): Promise<XmlObject> {
  const ws = pool();
  if (!ws) return parseXmlDocument(xml);
  const w = ws.reduce((a, b) => (b.jobs.size < a.jobs.size ? b : a));
  try {
    return await w.parse(nextId++, xml);
  } catch (err) {
    // A worker that died (not a parse error, which the caller sees as malformed XML) is replaced by the fallback.
    if (broken) return parseXmlDocument(xml);
    throw err;
  }
}

/** Workers running now (0 before the first big parse, when disabled, or after a fallback). */
export function parseWorkerCount(): number {
  return workers?.length ?? 0;
}
