// Per policy and rule: reconciles by outcome, durations, the last success and the keys now failing.
import type { Metrics } from '../platform/metrics.js';
import type { GenerateKey } from './generate/key.js';
import { encodeKey } from './generate/key.js';
import type { ReconcileResult } from './generate/reconciler.js';

export class GenerateMetrics {
  private readonly failing = new Map<string, Set<string>>();
  private readonly reconciles;
  private readonly errors;
  private readonly duration;
  private readonly lastSuccess;
  private readonly failingKeys;

  constructor(metrics: Metrics) {
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
    this.lastSuccess = metrics.gauge({
      name: 'sprout_generate_last_success_timestamp_seconds',
      help: 'When a key of this rule last reconciled successfully.',
      labelNames: ['policy', 'rule'] as const,
    });
    this.failingKeys = metrics.gauge({
      name: 'sprout_generate_failing_keys',
      help: 'Keys of this rule whose last reconcile failed.',
      labelNames: ['policy', 'rule'] as const,
    });
  }

  reconciled(key: GenerateKey, result: ReconcileResult, seconds: number, nowSeconds?: number): void {
    const labels = { policy: key.policy, rule: key.rule };
    this.reconciles.inc({ ...labels, action: result.action });
    this.duration.observe(labels, seconds);
    this.lastSuccess.set(labels, nowSeconds ?? Date.now() / 1000);
    this.setFailing(key, false);
  }

  failed(key: GenerateKey): void {
    this.errors.inc({ policy: key.policy, rule: key.rule });
    this.setFailing(key, true);
  }

  private setFailing(key: GenerateKey, failing: boolean): void {
    const group = `${key.policy}\u0000${key.rule}`;
    let set = this.failing.get(group);
    if (!set) this.failing.set(group, (set = new Set()));
    if (failing) set.add(encodeKey(key));
    else set.delete(encodeKey(key));
    this.failingKeys.set({ policy: key.policy, rule: key.rule }, set.size);
  }
}
