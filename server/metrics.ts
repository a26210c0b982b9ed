import type { EventHub } from './events';
import type { Store } from './store';

/** Prometheus text exposition, written by hand: a handful of series does not need a client library. */
export class Metrics {
  private readonly requests = new Map<string, number>();
  private readonly durations = new Map<string, { sum: number; count: number }>();
  private readonly started = Date.now();
  auditFailures = 0;

  observe(method: string, route: string, status: number, seconds: number): void {
    const key = `method="${method}",route="${route}",status="${status}"`;
    this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
    const dkey = `method="${method}",route="${route}"`;
    const d = this.durations.get(dkey) ?? { sum: 0, count: 0 };
    d.sum += seconds;
    d.count++;
    this.durations.set(dkey, d);
  }

  async render(
    store: Store,
    hub: EventHub,
    extra: {
      jobsRunning: number;
      wasmMemoryBytes: number | null;
      databaseHeap: { used: number; total: number } | null;
    },
  ): Promise<string> {
    const lines: string[] = [];
    const metric = (name: string, type: string, help: string, samples: Array<[string, number]>) => {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
      for (const [labels, value] of samples) lines.push(`${name}${labels ? `{${labels}}` : ''} ${value}`);
    };
    metric('siteshift_http_requests_total', 'counter', 'HTTP requests by route and status', [
      ...this.requests,
    ]);
    metric(
      'siteshift_http_request_duration_seconds_sum',
      'counter',
      'Total time spent answering, by route',
      [...this.durations].map(([k, v]) => [k, v.sum]),
    );
    metric(
      'siteshift_http_request_duration_seconds_count',
      'counter',
      'Requests timed, by route',
      [...this.durations].map(([k, v]) => [k, v.count]),
    );
    metric('siteshift_audit_write_failures_total', 'counter', 'Audit rows that could not be written', [
      ['', this.auditFailures],
    ]);
    metric('siteshift_events_delivered_total', 'counter', 'Event frames sent to stream subscribers', [
      ['', hub.delivered],
    ]);
    metric('siteshift_event_head_id', 'gauge', 'Id of the newest event seen by this instance', [
      ['', Number(hub.head)],
    ]);
    metric('siteshift_event_stream_clients', 'gauge', 'Connected event-stream clients', [
      ['', hub.subscriberCount],
    ]);
    const snap = await store.metricsSnapshot();
    metric(
      'siteshift_pairs',
      'gauge',
      'Pairs by state and health',
      snap.pairs.map((p) => [`state="${p.state}",health="${p.health}"`, p.n]),
    );
    metric(
      'siteshift_alerts_open',
      'gauge',
      'Open alerts by severity',
      snap.alerts.map((a) => [`severity="${a.severity}"`, a.n]),
    );
    const gauge = (name: string, help: string, value: number) => metric(name, 'gauge', help, [['', value]]);
    gauge('siteshift_jobs_running', 'Jobs this instance is running', extra.jobsRunning);
    const mem = process.memoryUsage();
    gauge('process_resident_memory_bytes', 'Resident memory', mem.rss);
    gauge('nodejs_heap_used_bytes', 'V8 heap in use', mem.heapUsed);
    gauge('nodejs_heap_total_bytes', 'V8 heap reserved', mem.heapTotal);
    gauge(
      'nodejs_external_memory_bytes',
      'Memory of C++ objects bound to JavaScript on the main thread (Buffers, ArrayBuffers)',
      mem.external,
    );
    gauge('nodejs_array_buffers_bytes', 'ArrayBuffers and Buffers (part of external)', mem.arrayBuffers);
    if (extra.wasmMemoryBytes !== null)
      gauge(
        'siteshift_pglite_wasm_memory_bytes',
        'Size of the embedded PostgreSQL WebAssembly memory (only touched pages are resident)',
        extra.wasmMemoryBytes,
      );
    if (extra.databaseHeap) {
      gauge(
        'siteshift_pglite_heap_used_bytes',
        'V8 heap in use on the embedded database thread',
        extra.databaseHeap.used,
      );
      gauge(
        'siteshift_pglite_heap_total_bytes',
        'V8 heap reserved on the embedded database thread',
        extra.databaseHeap.total,
      );
    }
    metric('process_uptime_seconds', 'gauge', 'Seconds since start', [
      ['', (Date.now() - this.started) / 1000],
    ]);
    return `${lines.join('\n')}\n`;
  }
}
