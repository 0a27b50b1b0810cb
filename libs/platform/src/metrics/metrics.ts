import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Seconds: NATS round trips and HTTP requests are mostly a few milliseconds, logins (argon2) a few hundred. */
export const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * One Prometheus registry per app instance, labelled with `service`: several apps share one process
 * (`npm start`, tests), so prom-client's global registry would mix them. Metrics are created on first
 * use by name, so any feature can add its own: `metrics.counter('gatehouse_logins_total', 'Logins', ['outcome']).inc({ outcome })`.
 */
export class Metrics {
  readonly registry = new Registry();

  constructor(readonly service: string) {
    this.registry.setDefaultLabels({ service });
  }

  counter<L extends string>(name: string, help: string, labelNames: readonly L[] = []): Counter<L> {
    return this.getOrCreate(name, () => new Counter<L>({ name, help, labelNames, registers: [this.registry] }));
  }

  gauge<L extends string>(name: string, help: string, labelNames: readonly L[] = []): Gauge<L> {
    return this.getOrCreate(name, () => new Gauge<L>({ name, help, labelNames, registers: [this.registry] }));
  }

  histogram<L extends string>(name: string, help: string, labelNames: readonly L[] = [], buckets = LATENCY_BUCKETS): Histogram<L> {
    return this.getOrCreate(name, () => new Histogram<L>({ name, help, labelNames, buckets, registers: [this.registry] }));
  }

  /** The Prometheus text exposition of this app's metrics. */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  private getOrCreate<M>(name: string, create: () => M): M {
    return (this.registry.getSingleMetric(name) as M | undefined) ?? create();
  }
}

/** NATS handler metrics, recorded by GatehouseNatsServer for every @RpcHandler and @EventHandler. */
export function recordNatsHandled(metrics: Metrics, subject: string, outcome: string, seconds: number): void {
  metrics
    .counter('gatehouse_nats_requests_total', 'NATS messages handled, by subject and outcome (ok or error code)', ['subject', 'outcome'])
    .inc({ subject, outcome });
  metrics
    .histogram('gatehouse_nats_request_duration_seconds', 'Time to handle a NATS message, by subject and outcome', ['subject', 'outcome'])
    .observe({ subject, outcome }, seconds);
}
