// The informer's store: objects by `namespace/name` (or `name` when cluster-scoped) with a
// secondary index by metadata.uid. Every mutation returns the changes it made, so the informer
// turns watch events and relists alike into add/update/delete notifications.
import type { KubeObject } from '../../api/kube.js';

export type CacheChange =
  | { type: 'add'; object: KubeObject }
  | { type: 'update'; old: KubeObject; object: KubeObject }
  | { type: 'delete'; object: KubeObject };

/** The cache key of an object: "namespace/name", or "name" for cluster-scoped objects. */
export function objectKey(obj: KubeObject): string {
  return keyOf(obj.metadata.namespace, obj.metadata.name ?? '');
}

export function keyOf(namespace: string | undefined, name: string): string {
  return namespace === undefined || namespace === '' ? name : `${namespace}/${name}`;
}

/** Splits a cache key back into namespace (undefined when cluster-scoped) and name. */
export function splitKey(key: string): { namespace: string | undefined; name: string } {
  const slash = key.indexOf('/');
  return slash < 0
    ? { namespace: undefined, name: key }
    : { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}

export class ObjectCache {
  private readonly byKey = new Map<string, KubeObject>();
  private readonly keyByUid = new Map<string, string>();

  get size(): number {
    return this.byKey.size;
  }

  get(key: string): KubeObject | undefined {
    return this.byKey.get(key);
  }

  getByUid(uid: string): KubeObject | undefined {
    const key = this.keyByUid.get(uid);
    return key === undefined ? undefined : this.byKey.get(key);
  }

  /** Every cached object, or those of one namespace. Treat them as read-only. */
  list(namespace?: string): KubeObject[] {
    const all = [...this.byKey.values()];
    return namespace === undefined ? all : all.filter((o) => o.metadata.namespace === namespace);
  }

  keys(): string[] {
    return [...this.byKey.keys()];
  }

  /**
   * Stores `obj`. A new key is an add; a known key with a new uid is the old object's delete plus
   * an add (it was deleted and recreated); otherwise an update, unless nothing changed at all.
   */
  upsert(obj: KubeObject): CacheChange[] {
    const key = objectKey(obj);
    const old = this.byKey.get(key);
    this.put(key, obj, old);
    if (old === undefined) return [{ type: 'add', object: obj }];
    if (old.metadata.uid !== obj.metadata.uid)
      return [
        { type: 'delete', object: old },
        { type: 'add', object: obj },
      ];
    if (
      old.metadata.resourceVersion !== undefined &&
      old.metadata.resourceVersion === obj.metadata.resourceVersion
    )
      return [];
    return [{ type: 'update', old, object: obj }];
  }

  /** Forgets `obj`'s key; the change carries `obj` (the final state the server reported). */
  remove(obj: KubeObject): CacheChange[] {
    const key = objectKey(obj);
    const old = this.byKey.get(key);
    if (old === undefined) return [];
    this.byKey.delete(key);
    if (old.metadata.uid !== undefined) this.keyByUid.delete(old.metadata.uid);
    return [{ type: 'delete', object: obj }];
  }

  /** Makes the cache equal to a full list; returns exactly the differences. */
  replace(items: readonly KubeObject[]): CacheChange[] {
    const changes: CacheChange[] = [];
    const listed = new Set<string>();
    for (const item of items) {
      listed.add(objectKey(item));
      changes.push(...this.upsert(item));
    }
    for (const [key, old] of this.byKey) {
      if (listed.has(key)) continue;
      this.byKey.delete(key);
      if (old.metadata.uid !== undefined) this.keyByUid.delete(old.metadata.uid);
      changes.push({ type: 'delete', object: old });
    }
    return changes;
  }

  private put(key: string, obj: KubeObject, old: KubeObject | undefined): void {
    if (old?.metadata.uid !== undefined && old.metadata.uid !== obj.metadata.uid)
      this.keyByUid.delete(old.metadata.uid);
    this.byKey.set(key, obj);
    if (obj.metadata.uid !== undefined) this.keyByUid.set(obj.metadata.uid, key);
  }
}
