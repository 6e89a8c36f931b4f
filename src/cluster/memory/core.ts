// The write primitives every operation goes through: one resourceVersion counter for all objects,
// the store, and the watch history. Nothing here decides policy: the verbs (create-object.ts,
// update-object.ts...) and lifecycle.ts do.
import type { KubeObject } from '../../api/kube.js';
import type { ServedResource } from './builtin-resources.js';
import type { Discovery } from './discovery.js';
import type { PersistedState, WriteJournal } from './journal.js';
import type { ObjectStore } from './store.js';
import type { WatchHub } from './watch-hub.js';
import { formatTime } from './object-meta.js';

export function tableOf(res: Pick<ServedResource, 'group' | 'resource'>): string {
  return `${res.group}/${res.resource}`;
}

export function namespaceOf(res: ServedResource, obj: KubeObject): string {
  return res.namespaced ? (obj.metadata.namespace ?? '') : '';
}

export interface CoreOptions {
  clock: () => Date;
  newUid: () => string;
  random: () => number;
  /** Sees every committed change (persistence); absent for a purely in-memory server. */
  journal?: WriteJournal;
}

export class Core {
  private rv = 0;
  /** Called after an object is gone for good (the garbage collector and namespaces listen). */
  onRemoved: (res: ServedResource, obj: KubeObject) => void = () => undefined;
  /** Called after an object is written (created or changed). */
  onWritten: (res: ServedResource, obj: KubeObject) => void = () => undefined;

  constructor(
    readonly store: ObjectStore,
    readonly hub: WatchHub,
    readonly discovery: Discovery,
    readonly options: CoreOptions,
  ) {}

  get currentRv(): number {
    return this.rv;
  }

  now(): string {
    return formatTime(this.options.clock());
  }

  get(res: ServedResource, namespace: string, name: string): KubeObject | undefined {
    return this.store.get(tableOf(res), res.namespaced ? namespace : '', name);
  }

  /** Stores `next` (owned by the store from now on) with a new resourceVersion; returns it. */
  write(res: ServedResource, next: KubeObject, previous: KubeObject | undefined): KubeObject {
    this.rv++;
    next.metadata.resourceVersion = String(this.rv);
    const table = tableOf(res);
    const namespace = namespaceOf(res, next);
    const name = next.metadata.name ?? '';
    this.store.put(table, namespace, name, next);
    this.options.journal?.record({ rv: this.rv, table, namespace, name, object: next });
    const ev =
      previous === undefined
        ? { type: 'ADDED' as const, rv: this.rv, table, object: next }
        : { type: 'MODIFIED' as const, rv: this.rv, table, object: next, previous };
    this.hub.publish(ev);
    this.onWritten(res, next);
    return next;
  }

  /** Removes the object for good; the DELETED event carries a new resourceVersion. */
  remove(res: ServedResource, obj: KubeObject): KubeObject {
    this.rv++;
    const final: KubeObject = { ...obj, metadata: { ...obj.metadata, resourceVersion: String(this.rv) } };
    const table = tableOf(res);
    const namespace = namespaceOf(res, obj);
    const name = obj.metadata.name ?? '';
    this.store.remove(table, namespace, name);
    this.options.journal?.record({ rv: this.rv, table, namespace, name });
    this.hub.publish({ type: 'DELETED', rv: this.rv, table, object: final });
    this.onRemoved(res, final);
    return final;
  }

  /**
   * Loads persisted objects into an empty store and continues the resourceVersion counter from
   * there. Watch history starts empty, so resuming from any older version gets 410 Gone.
   */
  restore(state: PersistedState): void {
    for (const { table, namespace, name, object } of state.objects) this.store.put(table, namespace, name, object);
    this.rv = state.rv;
    this.hub.compact(state.rv);
  }

  /** The current objects and counter, shared (not copied) with the store. */
  persistedState(): PersistedState {
    return { rv: this.rv, objects: [...this.store.entries()] };
  }
}
