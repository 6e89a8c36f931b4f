// Per policy and rule: reconciles by outcome, durations, the last success and the keys now failing.
// A background scan reconciles tens of thousands of keys in seconds, so the per-key path touches only
// the counter and the histogram; the two gauges are filled in when Prometheus scrapes.
import type { Metrics } from '../platform/metrics.js';
import type { GenerateKey } from './generate/key.js';
import { encodeKey } from './generate/key.js';
import type { ReconcileAction, ReconcileResult } from './generate/reconciler.js';

type RuleLabels = { policy: string; rule: string };

/** What is kept per (policy, rule): its label objects, built once, and its gauge values. */
interface RuleState {
  labels: RuleLabels;
  byAction: Map<ReconcileAction, RuleLabels & { action: ReconcileAction }>;
  failing: Set<string>;
  lastSuccessSeconds: number | undefined;
}

export class GenerateMetrics {
  private readonly rules = new Map<string, RuleState>();
  private readonly reconciles;
  private readonly errors;
  private readonly duration;

  constructor(metrics: Metrics) {
    const rules = this.rules;
    this.reconciles = metrics.counter({
      name: 'sprout_generate_reconciles_total',
      help: 'Generate reconciles by outcome.',
      labelNames: ['policy', 'rule', 'action'] as const,
    });
    this.errors = metrics.counter({
      name: 'sprout_generate_reconcile_errors_total',
      help: 'Generate reconciles that failed and will be retried.',
      labelNames: ['policy', 'rule'] as const,
    });
    this.duration = metrics.histogram({
      name: 'sprout_generate_reconcile_duration_seconds',
      help: 'Time to reconcile one (policy, rule, trigger) key.',
      labelNames: ['policy', 'rule'] as const,
    });
    metrics.gauge({
      name: 'sprout_generate_last_success_timestamp_seconds',
      help: 'When a key of this rule last reconciled successfully.',
      labelNames: ['policy', 'rule'] as const,
      collect() {
        for (const s of rules.values()) if (s.lastSuccessSeconds !== undefined) this.set(s.labels, s.lastSuccessSeconds);
      },
    });
    metrics.gauge({
      name: 'sprout_generate_failing_keys',
      help: 'Keys of this rule whose last reconcile failed.',
      labelNames: ['policy', 'rule'] as const,
      collect() {
        for (const s of rules.values()) this.set(s.labels, s.failing.size);
      },
    });
  }

  /** `encoded`: the key's queue string, when the caller has it (saves encoding it again). */
  reconciled(key: GenerateKey, result: ReconcileResult, seconds: number, encoded?: string, nowSeconds?: number): void {
    const s = this.stateOf(key);
    let labels = s.byAction.get(result.action);
    if (labels === undefined) s.byAction.set(result.action, (labels = { ...s.labels, action: result.action }));
    this.reconciles.inc(labels);
    this.duration.observe(s.labels, seconds);
    s.lastSuccessSeconds = nowSeconds ?? Date.now() / 1000;
    if (s.failing.size > 0) s.failing.delete(encoded ?? encodeKey(key));
  }

  failed(key: GenerateKey, encoded?: string): void {
    const s = this.stateOf(key);
    this.errors.inc(s.labels);
    s.failing.add(encoded ?? encodeKey(key));
  }

  private stateOf(key: GenerateKey): RuleState {
    const id = `${key.policy}\u0000${key.rule}`;
    let s = this.rules.get(id);
    if (s === undefined) {
      s = { labels: { policy: key.policy, rule: key.rule }, byAction: new Map(), failing: new Set(), lastSuccessSeconds: undefined };
      this.rules.set(id, s);
    }
    return s;
  }
}
