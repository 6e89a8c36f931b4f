// Stored state of the memory server: one table per group/resource (all versions share it),
// namespace -> name -> object, plus indexes by uid and by owner uid. Stored objects are never
// mutated in place: every write stores a fresh object, so history and watch events can share them.
import type { KubeObject } from '../../api/kube.js';

export interface Located {
  table: string;
  namespace: string;
  name: string;
  object: KubeObject;
}

class Table {
  readonly byNamespace = new Map<string, Map<string, KubeObject>>();
  private sortedNamespaces: string[] | undefined;
  private readonly sortedNames = new Map<string, string[]>();

  set(ns: string, name: string, obj: KubeObject): boolean {
    let names = this.byNamespace.get(ns);
    if (names === undefined) {
      names = new Map();
      this.byNamespace.set(ns, names);
      this.sortedNamespaces = undefined;
    }
    const isNew = !names.has(name);
    names.set(name, obj);
    if (isNew) this.sortedNames.delete(ns);
    return isNew;
  }

  delete(ns: string, name: string): void {
    const names = this.byNamespace.get(ns);
    if (names?.delete(name) !== true) return;
    this.sortedNames.delete(ns);
    if (names.size === 0) {
      this.byNamespace.delete(ns);
      this.sortedNamespaces = undefined;
    }
  }

  /** Objects in key order (namespace, then name), like etcd's key order. */
  *ordered(namespace?: string): Generator<[string, KubeObject]> {
    const namespaces =
      namespace !== undefined ? [namespace] : (this.sortedNamespaces ??= [...this.byNamespace.keys()].sort());
    for (const ns of namespaces) {
      const names = this.byNamespace.get(ns);
      if (names === undefined) continue;
      let sorted = this.sortedNames.get(ns);
      if (sorted === undefined) {
        sorted = [...names.keys()].sort();
        this.sortedNames.set(ns, sorted);
      }
      for (const name of sorted) {
        const obj = names.get(name);
        if (obj !== undefined) yield [`${ns}/${name}`, obj];
      }
    }
  }

  count(namespace?: string): number {
    if (namespace !== undefined) return this.byNamespace.get(namespace)?.size ?? 0;
    let n = 0;
    for (const names of this.byNamespace.values()) n += names.size;
    return n;
  }
}

export class ObjectStore {
  private readonly tables = new Map<string, Table>();
  private readonly byUid = new Map<string, Located>();
  private readonly dependents = new Map<string, Set<string>>();

  private table(name: string): Table {
    let t = this.tables.get(name);
    if (t === undefined) {
      t = new Table();
      this.tables.set(name, t);
    }
    return t;
  }

  get(table: string, namespace: string, name: string): KubeObject | undefined {
    return this.tables.get(table)?.byNamespace.get(namespace)?.get(name);
  }

  getByUid(uid: string): Located | undefined {
    return this.byUid.get(uid);
  }

  /** Stores `obj` (which the caller must not touch afterwards) and maintains the indexes. */
  put(table: string, namespace: string, name: string, obj: KubeObject): void {
    const previous = this.get(table, namespace, name);
    if (previous !== undefined) this.unindex(previous);
    this.table(table).set(namespace, name, obj);
    this.index({ table, namespace, name, object: obj });
  }

  remove(table: string, namespace: string, name: string): void {
    const previous = this.get(table, namespace, name);
    if (previous === undefined) return;
    this.unindex(previous);
    this.tables.get(table)?.delete(namespace, name);
  }

  ordered(table: string, namespace?: string): Iterable<[string, KubeObject]> {
    return this.tables.get(table)?.ordered(namespace) ?? [];
  }

  count(table: string, namespace?: string): number {
    return this.tables.get(table)?.count(namespace) ?? 0;
  }

  /** Every stored object with its location, in no particular order. */
  *entries(): Generator<Located> {
    for (const [table, t] of this.tables)
      for (const [namespace, names] of t.byNamespace)
        for (const [name, object] of names) yield { table, namespace, name, object };
  }

  /** Tables that hold objects in `namespace`. */
  tablesWithNamespace(namespace: string): string[] {
    return [...this.tables.entries()].filter(([, t]) => t.count(namespace) > 0).map(([name]) => name);
  }

  dependentsOf(ownerUid: string): Located[] {
    const out: Located[] = [];
    for (const uid of this.dependents.get(ownerUid) ?? []) {
      const loc = this.byUid.get(uid);
      if (loc !== undefined) out.push(loc);
    }
    return out;
  }

  private index(loc: Located): void {
    const uid = loc.object.metadata.uid;
    if (uid === undefined) return;
    this.byUid.set(uid, loc);
    for (const ref of loc.object.metadata.ownerReferences ?? []) {
      let deps = this.dependents.get(ref.uid);
      if (deps === undefined) {
        deps = new Set();
        this.dependents.set(ref.uid, deps);
      }
      deps.add(uid);
    }
  }

  private unindex(obj: KubeObject): void {
    const uid = obj.metadata.uid;
    if (uid === undefined) return;
    this.byUid.delete(uid);
    for (const ref of obj.metadata.ownerReferences ?? []) {
      const deps = this.dependents.get(ref.uid);
      deps?.delete(uid);
      if (deps?.size === 0) this.dependents.delete(ref.uid);
    }
  }
}
