// Watch fan-out with a bounded event history. Each watcher has its own queue, drained one event at
// a time in a microtask, so events arrive in resourceVersion order and a handler that writes to the
// server never sees events re-entrantly.
import type { KubeObject } from '../../api/kube.js';
import type { WatchEvent } from '../client.js';

export interface ChangeEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  rv: number;
  table: string;
  object: KubeObject;
  /** The object before a MODIFIED change, so selector watches can see it enter or leave. */
  previous?: KubeObject;
}

export interface WatcherSpec {
  table: string;
  allowBookmarks: boolean;
  /** Whether a stored object is visible to this watcher (namespace + selectors). */
  matches(obj: KubeObject): boolean;
  /** Turns a stored object into what the watcher receives (a copy with its apiVersion). */
  render(obj: KubeObject): KubeObject;
  /** The object a bookmark carries. */
  bookmark(rv: number): KubeObject;
  onEvent(event: WatchEvent): void;
}

class Watcher {
  private queue: WatchEvent[] = [];
  /** Index of the next event to deliver (shift() would make big bursts quadratic). */
  private head = 0;
  private draining = false;
  private closed = false;
  private resolveDone: () => void = () => undefined;
  readonly done = new Promise<void>((resolve) => (this.resolveDone = resolve));

  constructor(
    readonly spec: WatcherSpec,
    private readonly onClose: (w: Watcher) => void,
  ) {}

  push(event: WatchEvent): void {
    if (this.closed) return;
    this.queue.push(event);
    if (!this.draining) {
      this.draining = true;
      queueMicrotask(() => this.drain());
    }
  }

  /** Routes a stored change through the selector: entering is ADDED, leaving is DELETED. */
  offer(ev: ChangeEvent): void {
    if (ev.table !== this.spec.table || this.closed) return;
    const now = this.spec.matches(ev.object);
    if (ev.type !== 'MODIFIED') {
      if (now) this.push({ type: ev.type, object: this.spec.render(ev.object) });
      return;
    }
    const before = ev.previous !== undefined && this.spec.matches(ev.previous);
    if (now) this.push({ type: before ? 'MODIFIED' : 'ADDED', object: this.spec.render(ev.object) });
    else if (before) this.push({ type: 'DELETED', object: this.spec.render(ev.object) });
  }

  private drain(): void {
    while (this.head < this.queue.length && !this.closed) {
      const event = this.queue[this.head++];
      if (event === undefined) break;
      try {
        this.spec.onEvent(event);
      } catch {
        // A failing handler is the consumer's bug; the stream (and the server) carry on.
      }
      if (event.type === 'ERROR') this.close();
    }
    this.queue = [];
    this.head = 0;
    this.draining = false;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.queue = [];
    this.head = 0;
    this.onClose(this);
    this.resolveDone();
  }
}

export class WatchHub {
  private readonly history: ChangeEvent[] = [];
  /** Events with rv <= compactedRv are no longer in history. */
  private compactedRv = 0;
  private readonly watchers = new Set<Watcher>();

  constructor(private readonly capacity: number) {}

  publish(ev: ChangeEvent): void {
    this.history.push(ev);
    if (this.history.length > this.capacity * 2) {
      const dropped = this.history.splice(0, this.history.length - this.capacity);
      this.compactedRv = dropped[dropped.length - 1]?.rv ?? this.compactedRv;
    }
    for (const w of this.watchers) w.offer(ev);
  }

  /** Forgets history up to and including `rv` (what etcd compaction does). */
  compact(rv: number): void {
    while ((this.history[0]?.rv ?? Infinity) <= rv) this.history.shift();
    this.compactedRv = Math.max(this.compactedRv, rv);
  }

  get oldestAvailable(): number {
    return this.compactedRv;
  }

  /**
   * Starts a watcher: first `initial` events, then (from history) every change after `sinceRv`,
   * then live changes. Returns undefined with no watcher started when history is too short.
   */
  start(
    spec: WatcherSpec,
    initial: WatchEvent[],
    sinceRv: number | undefined,
  ): { done: Promise<void>; close: () => void } | undefined {
    if (sinceRv !== undefined && sinceRv < this.compactedRv) return undefined;
    const w = new Watcher(spec, (closed) => this.watchers.delete(closed));
    for (const ev of initial) w.push(ev);
    if (sinceRv !== undefined) for (const ev of this.history) if (ev.rv > sinceRv) w.offer(ev);
    this.watchers.add(w);
    return { done: w.done, close: () => w.close() };
  }

  /** Sends a BOOKMARK at `rv` to every watcher that asked for them. */
  bookmark(rv: number): void {
    for (const w of this.watchers)
      if (w.spec.allowBookmarks) w.push({ type: 'BOOKMARK', object: w.spec.bookmark(rv) });
  }

  closeAll(): void {
    for (const w of [...this.watchers]) w.close();
  }
}
