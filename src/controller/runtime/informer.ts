// An informer for one kind (optionally one namespace and a label selector): list, then watch from
// the list's resourceVersion. A watch that ends is resumed from the last version seen; a 410 (the
// server forgot that far back) or any other error leads to a relist, whose differences from the
// cache are delivered as add/update/delete, so handlers see every change that matters even across
// lost watches. Handlers run synchronously and should only enqueue keys.
import type { KubeObject } from '../../api/kube.js';
import type { ClusterClient, ResourceRef, WatchEvent } from '../../cluster/client.js';
import type { Status } from '../../cluster/errors.js';
import { isGone } from '../../cluster/errors.js';
import type { Clock } from '../../platform/clock.js';
import type { Logger } from '../../platform/logger.js';
import { silentLogger } from '../../platform/logger.js';
import { backoffDelay } from './rate-limit.js';
import type { BackoffOptions } from './rate-limit.js';
import { ObjectCache } from './object-cache.js';
import type { CacheChange } from './object-cache.js';

export interface InformerHandlers {
  onAdd?(obj: KubeObject): void;
  onUpdate?(oldObj: KubeObject, newObj: KubeObject): void;
  onDelete?(obj: KubeObject): void;
}

export interface InformerOptions {
  client: ClusterClient;
  resource: ResourceRef;
  namespace?: string;
  /** String form, e.g. "app.kubernetes.io/managed-by=kyverno". */
  labelSelector?: string;
  clock: Clock;
  /** Re-deliver every cached object as an update this often (0 or absent: never). */
  resyncPeriodMs?: number;
  /** List page size (default 500). */
  pageSize?: number;
  /** Delay between failed lists or watches (default 800 ms doubling up to 30 s, like client-go). */
  backoff?: BackoffOptions;
  logger?: Logger;
  /**
   * Reduces each object before it is cached and handed to handlers (client-go's SetTransform): a
   * consumer that reads only a few fields need not keep whole objects. Handlers see the result.
   */
  transform?: (obj: KubeObject) => KubeObject;
}

type WatchOutcome =
  | { kind: 'relist'; events: number; status?: Status; error?: unknown }
  | { kind: 'ended'; events: number; resourceVersion: string };

export class Informer {
  readonly resource: ResourceRef;
  readonly namespace: string | undefined;
  readonly labelSelector: string | undefined;
  private readonly options: InformerOptions;
  private readonly cache = new ObjectCache();
  private readonly handlers = new Set<InformerHandlers>();
  /** The handlers as an array, rebuilt when they change, so delivering a change allocates nothing. */
  private handlerList: InformerHandlers[] = [];
  private readonly log: Logger;
  private synced = false;
  private syncWaiters: (() => void)[] = [];
  private running = false;
  private lastResourceVersion = '';

  constructor(options: InformerOptions) {
    this.options = options;
    this.resource = { apiVersion: options.resource.apiVersion, kind: options.resource.kind };
    this.namespace = options.namespace;
    this.labelSelector = options.labelSelector;
    this.log = (options.logger ?? silentLogger()).child({
      informer: `${options.resource.apiVersion}/${options.resource.kind}`,
    });
  }

  /**
   * Registers handlers and returns a function that removes them. Handlers added after the first
   * sync get an add for every cached object, so late subscribers start from the same state.
   */
  addHandlers(handlers: InformerHandlers): () => void {
    this.handlers.add(handlers);
    this.handlerList = [...this.handlers];
    if (this.synced) for (const obj of this.cache.list()) this.call(handlers, { type: 'add', object: obj });
    return () => {
      this.handlers.delete(handlers);
      this.handlerList = [...this.handlers];
    };
  }

  hasSynced(): boolean {
    return this.synced;
  }

  /** Resolves true once the first list is in the cache, false if `signal` aborts first. */
  waitForSync(signal: AbortSignal): Promise<boolean> {
    if (this.synced) return Promise.resolve(true);
    if (signal.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const onAbort = (): void => resolve(false);
      signal.addEventListener('abort', onAbort, { once: true });
      this.syncWaiters.push(() => {
        signal.removeEventListener('abort', onAbort);
        resolve(true);
      });
    });
  }

  /** "namespace/name" (or "name" when cluster-scoped). */
  get(key: string): KubeObject | undefined {
    return this.cache.get(key);
  }

  getByUid(uid: string): KubeObject | undefined {
    return this.cache.getByUid(uid);
  }

  list(namespace?: string): KubeObject[] {
    return this.cache.list(namespace);
  }

  keys(): string[] {
    return this.cache.keys();
  }

  /** The resourceVersion of the last list or event applied. */
  get resourceVersion(): string {
    return this.lastResourceVersion;
  }

  /** Lists, watches, relists and resyncs until `signal` aborts. Never rejects. */
  async run(signal: AbortSignal): Promise<void> {
    if (this.running) throw new Error('informer is already running');
    this.running = true;
    const resync = this.resyncLoop(signal);
    let failures = 0;
    try {
      while (!signal.aborted) {
        const listed = await this.listAndReplace().then(
          (rv) => ({ rv }),
          (error: unknown) => ({ error }),
        );
        if (signal.aborted) break;
        if ('error' in listed) {
          failures++;
          this.log.warn({ err: listed.error, failures }, 'list failed; retrying');
          await this.options.clock.sleep(this.delay(failures), signal);
          continue;
        }
        failures = 0;
        const outcome = await this.watchUntilRelist(listed.rv, signal);
        // An expired watch relists at once, but one that expires before delivering anything backs off.
        if (outcome === 'error' || outcome === 'gone-at-once') {
          failures++;
          await this.options.clock.sleep(this.delay(failures), signal);
        }
      }
    } finally {
      await resync;
      this.running = false;
    }
  }

  private delay(failures: number): number {
    return backoffDelay(failures, this.options.backoff?.baseMs ?? 800, this.options.backoff?.capMs ?? 30_000);
  }

  private async listAndReplace(): Promise<string> {
    const items: KubeObject[] = [];
    let resourceVersion = '';
    let token: string | undefined;
    do {
      const page = await this.options.client.list(this.resource, {
        namespace: this.namespace,
        labelSelector: this.labelSelector,
        limit: this.options.pageSize ?? 500,
        continue: token,
      });
      items.push(...page.items);
      resourceVersion = page.resourceVersion;
      token = page.continue !== undefined && page.continue !== '' ? page.continue : undefined;
    } while (token !== undefined);
    for (const item of items) item.apiVersion = this.resource.apiVersion;
    for (const item of items) item.kind = this.resource.kind;
    const transform = this.options.transform;
    this.emit(this.cache.replace(transform === undefined ? items : items.map(transform)));
    this.lastResourceVersion = resourceVersion;
    if (!this.synced) {
      this.synced = true;
      const waiters = this.syncWaiters;
      this.syncWaiters = [];
      for (const resolve of waiters) resolve();
    }
    return resourceVersion;
  }

  /** Watches (resuming after clean ends) until a relist is due or `signal` aborts. */
  private async watchUntilRelist(
    fromVersion: string,
    signal: AbortSignal,
  ): Promise<'gone' | 'gone-at-once' | 'error' | 'stopped'> {
    let resourceVersion = fromVersion;
    let quietEnds = 0;
    let total = 0;
    while (!signal.aborted) {
      const outcome = await this.watchOnce(resourceVersion, signal);
      if (signal.aborted) return 'stopped';
      if (outcome.kind === 'relist') {
        const gone = outcome.status?.code === 410 || isGone(outcome.error);
        this.log.info(
          { status: outcome.status, err: outcome.error },
          gone ? 'watch expired; relisting' : 'watch failed; relisting',
        );
        if (!gone) return 'error';
        return total + outcome.events > 0 ? 'gone' : 'gone-at-once';
      }
      total += outcome.events;
      resourceVersion = outcome.resourceVersion;
      // A watch the server keeps closing without news must not turn into a hot loop.
      quietEnds = outcome.events > 0 ? 0 : quietEnds + 1;
      if (quietEnds > 0) await this.options.clock.sleep(this.delay(quietEnds), signal);
    }
    return 'stopped';
  }

  private async watchOnce(fromVersion: string, signal: AbortSignal): Promise<WatchOutcome> {
    const stop = new AbortController();
    const onAbort = (): void => stop.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    let status: Status | undefined;
    let events = 0;
    let resourceVersion = fromVersion;
    const onEvent = (event: WatchEvent): void => {
      if (stop.signal.aborted) return;
      if (event.type === 'ERROR') {
        status = event.object;
        stop.abort();
        return;
      }
      events++;
      resourceVersion = event.object.metadata.resourceVersion ?? resourceVersion;
      this.lastResourceVersion = resourceVersion;
      if (event.type !== 'BOOKMARK') this.apply(event.type, event.object);
    };
    try {
      const handle = await this.options.client.watch(
        this.resource,
        {
          namespace: this.namespace,
          labelSelector: this.labelSelector,
          resourceVersion: fromVersion,
          allowBookmarks: true,
        },
        onEvent,
        stop.signal,
      );
      await handle.done;
    } catch (error) {
      return { kind: 'relist', events, error };
    } finally {
      signal.removeEventListener('abort', onAbort);
      stop.abort();
    }
    return status === undefined
      ? { kind: 'ended', resourceVersion, events }
      : { kind: 'relist', events, status };
  }

  private apply(type: 'ADDED' | 'MODIFIED' | 'DELETED', obj: KubeObject): void {
    obj.apiVersion = this.resource.apiVersion;
    obj.kind = this.resource.kind;
    const cached = this.options.transform?.(obj) ?? obj;
    this.emit(type === 'DELETED' ? this.cache.remove(cached) : this.cache.upsert(cached));
  }

  private async resyncLoop(signal: AbortSignal): Promise<void> {
    const period = this.options.resyncPeriodMs ?? 0;
    if (period <= 0) return;
    while (!signal.aborted) {
      await this.options.clock.sleep(period, signal);
      if (signal.aborted || !this.synced) continue;
      for (const obj of this.cache.list()) this.emit([{ type: 'update', old: obj, object: obj }]);
    }
  }

  private emit(changes: readonly CacheChange[]): void {
    // A handler removed while a change is delivered still gets that change, as before.
    for (const change of changes) for (const handlers of this.handlerList) this.call(handlers, change);
  }

  private call(handlers: InformerHandlers, change: CacheChange): void {
    try {
      if (change.type === 'add') handlers.onAdd?.(change.object);
      else if (change.type === 'update') handlers.onUpdate?.(change.old, change.object);
      else handlers.onDelete?.(change.object);
    } catch (err) {
      // One broken handler must not starve the others or stall the watch.
      this.log.error({ err, change: change.type }, 'informer handler threw');
    }
  }
}
