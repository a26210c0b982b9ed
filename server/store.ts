import { AuditLog, SettingsStore, TokenStore } from './store/admin';
import { AlertStore } from './store/alerts';
import { EndpointStore, MasterTargetStore, ProcessServerStore, SiteStore } from './store/estate';
import { PairStore, PlanStore, RecoveryPointStore } from './store/protection';
import { metricsSnapshot, sweep } from './store/sweep';
import { AgentStore, Telemetry } from './store/telemetry';
import { Transactions } from './store/tx';

export { newId, type Writer } from './store/tx';

/**
 * The configuration server's state: one module per aggregate over one database, sharing one way
 * to write (a transaction whose events publish when it commits). `write`, `db` and `clock` are
 * for the job engine and the modules; everything else goes through an aggregate.
 */
export class Store extends Transactions {
  readonly settings = new SettingsStore(this);
  readonly tokens = new TokenStore(this);
  readonly audit = new AuditLog(this);
  readonly sites = new SiteStore(this);
  readonly endpoints = new EndpointStore(this);
  readonly processServers = new ProcessServerStore(this);
  readonly masterTargets = new MasterTargetStore(this);
  readonly plans = new PlanStore(this);
  readonly pairs = new PairStore(this, {
    sites: this.sites,
    plans: this.plans,
    masterTargets: this.masterTargets,
    processServers: this.processServers,
  });
  readonly recoveryPoints = new RecoveryPointStore(this, this.pairs);
  readonly agents = new AgentStore(this, this.pairs, this.processServers);
  readonly telemetry = new Telemetry(this, this.pairs, this.processServers, this.settings);
  readonly alerts = new AlertStore(this);

  /** The time-driven rules (heartbeats, due resyncs, event pruning); see store/sweep.ts. */
  sweep(options: { eventRetention?: number } = {}) {
    return sweep(this, options);
  }

  metricsSnapshot() {
    return metricsSnapshot(this.db);
  }
}
