// Binds Workqueue hooks to Prometheus metrics named like client-go's, prefixed `sprout_`, with the
// queue's name as the `name` label.
import type { Metrics } from '../../platform/metrics.js';
import type { WorkqueueHooks } from './workqueue.js';

const LABELS = ['name'] as const;

/** Longest-running providers per Metrics registry, read by one shared gauge at scrape time. */
const longestRunning = new WeakMap<Metrics, Map<string, () => number>>();
/**
 * The last depth each queue reported, per Metrics registry. The depth changes with every add and
 * every hand-out; the gauge reads it at scrape time instead of being set tens of thousands of times
 * a second during a background scan.
 */
const depths = new WeakMap<Metrics, Map<string, number>>();

function depthsOf(metrics: Metrics): Map<string, number> {
  let known = depths.get(metrics);
  if (known === undefined) {
    const registered = new Map<string, number>();
    known = registered;
    depths.set(metrics, registered);
    metrics.gauge({
      name: 'sprout_workqueue_depth',
      help: 'Current depth of the workqueue.',
      labelNames: LABELS,
      collect() {
        for (const [name, depth] of registered) this.set({ name }, depth);
      },
    });
  }
  return known;
}

export function workqueueMetrics(metrics: Metrics, queueName: string): WorkqueueHooks {
  const labels = { name: queueName };
  const depth = depthsOf(metrics);
  const adds = metrics.counter({
    name: 'sprout_workqueue_adds_total',
    help: 'Keys added to the workqueue.',
    labelNames: LABELS,
  });
  const retries = metrics.counter({
    name: 'sprout_workqueue_retries_total',
    help: 'Keys re-queued with backoff after a failure.',
    labelNames: LABELS,
  });
  const work = metrics.histogram({
    name: 'sprout_workqueue_work_duration_seconds',
    help: 'How long processing a key takes.',
    labelNames: LABELS,
  });
  let providers = longestRunning.get(metrics);
  if (providers === undefined) {
    const registered = new Map<string, () => number>();
    providers = registered;
    longestRunning.set(metrics, registered);
    metrics.gauge({
      name: 'sprout_workqueue_longest_running_processor_seconds',
      help: 'How long the longest-running key of the workqueue has been processed.',
      labelNames: LABELS,
      collect() {
        for (const [name, seconds] of registered) this.set({ name }, seconds());
      },
    });
  }
  const registered = providers;
  // Zero series exist from the start, so dashboards see the queue before its first key.
  depth.set(queueName, 0);
  adds.inc(labels, 0);
  retries.inc(labels, 0);
  return {
    depth: (n) => depth.set(queueName, n),
    added: () => adds.inc(labels),
    retried: () => retries.inc(labels),
    workDone: (seconds) => work.observe(labels, seconds),
    trackLongestRunning: (seconds) => registered.set(queueName, seconds),
  };
}
