// One informer per (apiVersion, kind, namespace, label selector), shared by every reconciler that
// needs it, so the cluster sees one list+watch per resource set however many consumers there are.
import type { KubeObject } from '../../api/kube.js';
import type { ClusterClient } from '../../cluster/client.js';
import type { Clock } from '../../platform/clock.js';
import type { Logger } from '../../platform/logger.js';
import { Informer } from './informer.js';
import type { BackoffOptions } from './rate-limit.js';

export interface InformerSpec {
  apiVersion: string;
  kind: string;
  namespace?: string;
  labelSelector?: string;
  /** Reduces cached objects; informers with different transforms (by id) are distinct. */
  transform?: { id: string; apply: (obj: KubeObject) => KubeObject };
}

export interface InformerFactoryOptions {
  client: ClusterClient;
  clock: Clock;
  resyncPeriodMs?: number;
  pageSize?: number;
  backoff?: BackoffOptions;
  logger?: Logger;
}

export function informerSpecKey(spec: InformerSpec): string {
  return JSON.stringify([spec.apiVersion, spec.kind, spec.namespace ?? '', spec.labelSelector ?? '', spec.transform?.id ?? '']);
}

export class InformerFactory {
  private readonly options: InformerFactoryOptions;
  private readonly informers = new Map<string, Informer>();
  private runSignal: AbortSignal | undefined;
  private readonly runs: Promise<void>[] = [];

  constructor(options: InformerFactoryOptions) {
    this.options = options;
  }

  /** The shared informer for `spec`; started at once when the factory is already running. */
  informerFor(spec: InformerSpec): Informer {
    const key = informerSpecKey(spec);
    const existing = this.informers.get(key);
    if (existing !== undefined) return existing;
    const informer = new Informer({
      client: this.options.client,
      clock: this.options.clock,
      resource: { apiVersion: spec.apiVersion, kind: spec.kind },
      namespace: spec.namespace,
      labelSelector: spec.labelSelector,
      resyncPeriodMs: this.options.resyncPeriodMs,
      pageSize: this.options.pageSize,
      backoff: this.options.backoff,
      logger: this.options.logger,
      transform: spec.transform?.apply,
    });
    this.informers.set(key, informer);
    this.start(informer);
    return informer;
  }

  all(): Informer[] {
    return [...this.informers.values()];
  }

  /** Runs every informer, including those created later, until `signal` aborts and all stopped. */
  async run(signal: AbortSignal): Promise<void> {
    if (this.runSignal !== undefined) throw new Error('informer factory is already running');
    this.runSignal = signal;
    for (const informer of this.informers.values()) this.start(informer);
    if (!signal.aborted)
      await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    // No informer starts after the abort, so this is every run there will be.
    await Promise.all(this.runs);
  }

  /** Resolves true once every informer created so far has synced; false if `signal` aborts first. */
  async waitForSync(signal: AbortSignal): Promise<boolean> {
    const results = await Promise.all(this.all().map((informer) => informer.waitForSync(signal)));
    return results.every(Boolean);
  }

  private start(informer: Informer): void {
    const signal = this.runSignal;
    if (signal === undefined || signal.aborted) return;
    this.runs.push(informer.run(signal));
  }
}
