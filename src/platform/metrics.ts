// Prometheus metrics over prom-client, each Metrics instance with its own Registry (never the
// global default), so tests and several embedded servers in one process never collide. Getters
// are idempotent: two modules asking for the same name share one metric.
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { CollectFunction } from 'prom-client';

export interface MetricSpec<L extends string> {
  name: string;
  help: string;
  labelNames?: readonly L[];
}

export interface GaugeSpec<L extends string> extends MetricSpec<L> {
  /** Runs at scrape time to refresh the gauge's values. */
  collect?: CollectFunction<Gauge<L>>;
}

export interface HistogramSpec<L extends string> extends MetricSpec<L> {
  buckets?: number[];
}

/** Exponential buckets from 1 ms to ~16 min, like client-go's workqueue latency buckets. */
export const DURATION_BUCKETS_SECONDS: number[] = [
  0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1000,
];

export class Metrics {
  readonly registry = new Registry();

  counter<L extends string = string>(spec: MetricSpec<L>): Counter<L> {
    const existing = this.registry.getSingleMetric(spec.name);
    if (existing !== undefined) return expectKind(existing, Counter, spec.name);
    return new Counter<L>({
      name: spec.name,
      help: spec.help,
      labelNames: spec.labelNames ?? [],
      registers: [this.registry],
    });
  }

  gauge<L extends string = string>(spec: GaugeSpec<L>): Gauge<L> {
    const existing = this.registry.getSingleMetric(spec.name);
    if (existing !== undefined) return expectKind(existing, Gauge, spec.name);
    const config = {
      name: spec.name,
      help: spec.help,
      labelNames: spec.labelNames ?? [],
      registers: [this.registry],
    };
    return spec.collect === undefined
      ? new Gauge<L>(config)
      : new Gauge<L>({ ...config, collect: spec.collect });
  }

  histogram<L extends string = string>(spec: HistogramSpec<L>): Histogram<L> {
    const existing = this.registry.getSingleMetric(spec.name);
    if (existing !== undefined) return expectKind(existing, Histogram, spec.name);
    return new Histogram<L>({
      name: spec.name,
      help: spec.help,
      labelNames: spec.labelNames ?? [],
      buckets: spec.buckets ?? DURATION_BUCKETS_SECONDS,
      registers: [this.registry],
    });
  }

  /** The text exposition format served on /metrics. */
  async expose(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}

function expectKind<T>(metric: unknown, kind: abstract new (...args: never[]) => T, name: string): T {
  if (metric instanceof kind) return metric;
  throw new Error(`metric ${name} is already registered as another type`);
}
