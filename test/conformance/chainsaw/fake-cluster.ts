// An in-memory cluster behind the ClusterClient interface, for the runner's unit tests.
// Deliberately small: scope from a table, resourceVersions, namespace cascade, merge patch,
// a call log (to check cleanup order) and hooks to play a controller.
import type { JsonObject, JsonValue } from '../../../src/api/json.js';
import { isJsonObject } from '../../../src/api/json.js';
import type { ClusterClient, ObjectRef } from './client.js';
import { ClusterError, describeRef, refOf } from './client.js';
import { text } from './context.js';

const clusterScopedKinds = new Set([
  'Namespace', 'ClusterRole', 'ClusterRoleBinding', 'ClusterPolicy', 'CustomResourceDefinition', 'Node',
  'GeneratingPolicy', 'ValidatingPolicy', 'MutatingPolicy', 'ImageValidatingPolicy', 'StorageClass', 'PersistentVolume',
]);

export interface FakeClusterOptions {
  /** Kinds the fake refuses to serve (as if their CRD were missing). */
  unservedKinds?: string[];
  /** Called after every successful write; may change the store (plays a controller or webhook). */
  afterWrite?: (cluster: FakeCluster, verb: 'create' | 'patch' | 'replace' | 'delete', obj: JsonObject) => void;
}

export class FakeCluster implements ClusterClient {
  private readonly objects = new Map<string, JsonObject>();
  private version = 0;
  /** "verb apiVersion/Kind ns/name" for every write, in order. */
  readonly log: string[] = [];

  constructor(private readonly options: FakeClusterOptions = {}) {}

  isNamespaced(apiVersion: string, kind: string): Promise<boolean> {
    this.checkServed(kind);
    void apiVersion;
    return Promise.resolve(!clusterScopedKinds.has(kind));
  }

  get(ref: ObjectRef & { name: string }): Promise<JsonObject | null> {
    if (this.options.unservedKinds?.includes(ref.kind) === true) return Promise.resolve(null);
    const obj = this.objects.get(this.key(ref));
    return Promise.resolve(obj === undefined ? null : structuredClone(obj));
  }

  list(ref: ObjectRef): Promise<JsonObject[]> {
    if (this.options.unservedKinds?.includes(ref.kind) === true) return Promise.resolve([]);
    const out: JsonObject[] = [];
    for (const obj of this.objects.values()) {
      const r = refOf(obj);
      if (r.apiVersion !== ref.apiVersion || r.kind !== ref.kind) continue;
      if (ref.namespace !== undefined && !clusterScopedKinds.has(ref.kind) && r.namespace !== ref.namespace) continue;
      const labels = labelsOf(obj);
      if (Object.entries(ref.labels ?? {}).some(([k, v]) => labels[k] !== v)) continue;
      out.push(structuredClone(obj));
    }
    return Promise.resolve(out);
  }

  create(obj: JsonObject): Promise<JsonObject> {
    const ref = refOf(obj);
    this.checkServed(ref.kind);
    const key = this.key(ref);
    if (this.objects.has(key)) return Promise.reject(new ClusterError('AlreadyExists', `${describeRef(ref)} already exists`));
    const stored = this.stamp(structuredClone(obj));
    this.objects.set(key, stored);
    this.record('create', stored);
    return Promise.resolve(structuredClone(stored));
  }

  mergePatch(ref: ObjectRef & { name: string }, patch: JsonObject): Promise<JsonObject> {
    const key = this.key(ref);
    const current = this.objects.get(key);
    if (current === undefined) return Promise.reject(new ClusterError('NotFound', `${describeRef(ref)} not found`));
    const merged = mergePatchValue(current, patch);
    const stored = this.stamp(isJsonObject(merged) ? merged : current);
    this.objects.set(key, stored);
    this.record('patch', stored);
    return Promise.resolve(structuredClone(stored));
  }

  replace(obj: JsonObject): Promise<JsonObject> {
    const ref = refOf(obj);
    const key = this.key(ref);
    const current = this.objects.get(key);
    if (current === undefined) return Promise.reject(new ClusterError('NotFound', `${describeRef(ref)} not found`));
    const wanted = metaOf(obj)['resourceVersion'];
    if (wanted !== undefined && wanted !== metaOf(current)['resourceVersion'])
      return Promise.reject(new ClusterError('Conflict', `${describeRef(ref)}: the object has been modified`));
    const stored = this.stamp(structuredClone(obj));
    this.objects.set(key, stored);
    this.record('replace', stored);
    return Promise.resolve(structuredClone(stored));
  }

  delete(ref: ObjectRef & { name: string }): Promise<boolean> {
    const key = this.key(ref);
    const current = this.objects.get(key);
    if (current === undefined) return Promise.resolve(false);
    this.objects.delete(key);
    if (ref.kind === 'Namespace') {
      for (const [k, obj] of this.objects) if (refOf(obj).namespace === ref.name) this.objects.delete(k);
    }
    this.record('delete', current);
    return Promise.resolve(true);
  }

  /** Puts an object straight into the store (fixtures, or a simulated controller). */
  seed(obj: JsonObject): JsonObject {
    const stored = this.stamp(structuredClone(obj));
    this.objects.set(this.key(refOf(stored)), stored);
    return stored;
  }

  /** Removes an object without logging (a simulated controller). */
  remove(ref: ObjectRef & { name: string }): void {
    this.objects.delete(this.key(ref));
  }

  all(): JsonObject[] {
    return [...this.objects.values()].map((o) => structuredClone(o));
  }

  private record(verb: 'create' | 'patch' | 'replace' | 'delete', obj: JsonObject): void {
    this.log.push(`${verb} ${describeRef(refOf(obj))}`);
    this.options.afterWrite?.(this, verb, obj);
  }

  private checkServed(kind: string): void {
    if (this.options.unservedKinds?.includes(kind) === true)
      throw new ClusterError('UnknownKind', `the server doesn't have a resource type "${kind}"`);
  }

  private key(ref: ObjectRef): string {
    const ns = clusterScopedKinds.has(ref.kind) ? '' : (ref.namespace ?? 'default');
    return `${ref.apiVersion}|${ref.kind}|${ns}|${ref.name ?? ''}`;
  }

  private stamp(obj: JsonObject): JsonObject {
    const meta = metaOf(obj);
    this.version++;
    meta['resourceVersion'] = String(this.version);
    if (!clusterScopedKinds.has(text(obj['kind'])) && meta['namespace'] === undefined) meta['namespace'] = 'default';
    obj['metadata'] = meta;
    return obj;
  }
}

function metaOf(obj: JsonObject): JsonObject {
  const m = obj['metadata'];
  return isJsonObject(m) ? m : {};
}

function labelsOf(obj: JsonObject): Record<string, JsonValue> {
  const l = metaOf(obj)['labels'];
  return isJsonObject(l) ? l : {};
}

/** RFC 7386: objects merge recursively, null deletes, anything else replaces. */
export function mergePatchValue(target: JsonValue, patch: JsonValue): JsonValue {
  if (!isJsonObject(patch)) return structuredClone(patch);
  const out: JsonObject = isJsonObject(target) ? structuredClone(target) : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatchValue(out[k] ?? null, v);
  }
  return out;
}
