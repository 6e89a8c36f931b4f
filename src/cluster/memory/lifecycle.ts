// Deletion as the API server and its controllers carry it out: finalizers and deletionTimestamp,
// ownerReference garbage collection (background, foreground, orphan), namespace termination and
// CRD instance cleanup. The real controllers run asynchronously; here the work queued by a request
// is settled before the request returns, which is one of the orders a real cluster can produce.
import type { KubeObject, OwnerReference } from '../../api/kube.js';
import type { PropagationPolicy } from '../client.js';
import type { ServedResource } from './builtin-resources.js';
import type { Core } from './core.js';
import { tableOf } from './core.js';
import { resourcesOfCrd } from './crds.js';

export const FOREGROUND = 'foregroundDeletion';
export const ORPHAN = 'orphan';
const NAMESPACE_FINALIZER = 'kubernetes';
const CRD_CLEANUP = 'customresourcecleanup.apiextensions.k8s.io';

const isNamespace = (r: ServedResource): boolean => r.group === '' && r.resource === 'namespaces';
const isCrd = (r: ServedResource): boolean =>
  r.group === 'apiextensions.k8s.io' && r.resource === 'customresourcedefinitions';

export class Lifecycle {
  private readonly queue = new Set<string>();

  constructor(private readonly core: Core) {
    core.onRemoved = (res, obj) => this.removed(res, obj);
    core.onWritten = (res, obj) => this.written(res, obj);
  }

  /** Starts deleting `obj`: removes it now, or marks it and lets finalizers hold it. */
  beginDelete(res: ServedResource, obj: KubeObject, policy: PropagationPolicy): KubeObject {
    const meta = obj.metadata;
    if (meta.deletionTimestamp !== undefined) return obj;
    const finalizers = [...(meta.finalizers ?? [])];
    const add = (f: string): void => {
      if (!finalizers.includes(f)) finalizers.push(f);
    };
    if (policy === 'Foreground') add(FOREGROUND);
    if (policy === 'Orphan') add(ORPHAN);
    if (isCrd(res)) add(CRD_CLEANUP);
    const terminatingNamespace = isNamespace(res);
    if (finalizers.length === 0 && !terminatingNamespace) return this.core.remove(res, obj);
    const next: KubeObject = {
      ...obj,
      metadata: { ...meta, deletionTimestamp: this.core.now(), deletionGracePeriodSeconds: 0 },
    };
    if (finalizers.length > 0) next.metadata.finalizers = finalizers;
    if (typeof meta.generation === 'number' && meta.generation > 0)
      next.metadata.generation = meta.generation + 1;
    if (terminatingNamespace)
      next.status = { ...(isObj(obj.status) ? obj.status : {}), phase: 'Terminating' };
    return this.core.write(res, next, obj);
  }

  /**
   * After a restart from persisted state: serves the stored CRDs again, then lets the controllers
   * look at every object once, finishing any deletion or collection a crash interrupted.
   */
  resume(): void {
    const objects = [...this.core.store.entries()];
    for (const loc of objects) {
      const res = this.resourceOf(loc.table);
      if (res !== undefined && isCrd(res))
        this.core.discovery.registerCrd(loc.name, resourcesOfCrd(loc.object));
    }
    for (const loc of objects) {
      const res = this.resourceOf(loc.table);
      if (res !== undefined && this.core.store.get(loc.table, loc.namespace, loc.name) === loc.object)
        this.written(res, loc.object);
    }
    this.settle();
  }

  /** Runs queued controller work until nothing is left. */
  settle(): void {
    let guard = 0;
    while (this.queue.size > 0 && guard++ < 1_000_000) {
      const item = this.queue.values().next().value as string;
      this.queue.delete(item);
      const colon = item.indexOf(':');
      const what = item.slice(0, colon);
      const id = item.slice(colon + 1);
      if (what === 'owner') this.processOwner(id);
      else if (what === 'dependent') this.processDependent(id);
      else if (what === 'namespace') this.processNamespace(id);
      else if (what === 'crd') this.processCrd(id);
    }
  }

  private written(res: ServedResource, obj: KubeObject): void {
    const meta = obj.metadata;
    if (meta.deletionTimestamp !== undefined && (meta.finalizers ?? []).length === 0 && !isNamespace(res)) {
      this.core.remove(res, obj);
      return;
    }
    if ((meta.ownerReferences ?? []).length > 0 && meta.uid !== undefined)
      this.queue.add(`dependent:${meta.uid}`);
    if (meta.deletionTimestamp !== undefined && meta.uid !== undefined) this.queue.add(`owner:${meta.uid}`);
    if (isNamespace(res) && meta.deletionTimestamp !== undefined)
      this.queue.add(`namespace:${meta.name ?? ''}`);
    if (isCrd(res)) {
      if (meta.deletionTimestamp !== undefined) this.queue.add(`crd:${meta.name ?? ''}`);
      else this.core.discovery.registerCrd(meta.name ?? '', resourcesOfCrd(obj));
    }
  }

  private removed(res: ServedResource, obj: KubeObject): void {
    const meta = obj.metadata;
    if (meta.uid !== undefined) this.queue.add(`owner:${meta.uid}`);
    for (const ref of meta.ownerReferences ?? []) this.queue.add(`owner:${ref.uid}`);
    if (res.namespaced && meta.namespace !== undefined) this.queue.add(`namespace:${meta.namespace}`);
    if (res.custom) this.queue.add(`crd:${res.resource}.${res.group}`);
    if (isCrd(res)) this.core.discovery.unregisterCrd(meta.name ?? '');
  }

  private resourceOf(table: string): ServedResource | undefined {
    return this.core.discovery.byTable(table);
  }

  private processOwner(uid: string): void {
    const owner = this.core.store.getByUid(uid)?.object;
    const dependents = this.core.store.dependentsOf(uid);
    if (owner === undefined) {
      for (const d of dependents) this.processDependent(d.object.metadata.uid ?? '');
      return;
    }
    if (owner.metadata.deletionTimestamp === undefined) return;
    const finalizers = owner.metadata.finalizers ?? [];
    if (finalizers.includes(ORPHAN)) {
      for (const d of dependents) this.dropOwnerRefs(d.table, d.object, (r) => r.uid === uid);
      this.removeFinalizer(uid, ORPHAN);
      return;
    }
    if (finalizers.includes(FOREGROUND)) {
      for (const d of dependents) this.processDependent(d.object.metadata.uid ?? '');
      const blocking = this.core.store
        .dependentsOf(uid)
        .some((d) =>
          (d.object.metadata.ownerReferences ?? []).some(
            (r) => r.uid === uid && r.blockOwnerDeletion === true,
          ),
        );
      if (!blocking) this.removeFinalizer(uid, FOREGROUND);
    }
  }

  /** The garbage collector's verdict on one dependent, given the state of its owners. */
  private processDependent(uid: string): void {
    const loc = this.core.store.getByUid(uid);
    if (loc === undefined || loc.object.metadata.deletionTimestamp !== undefined) return;
    const refs = loc.object.metadata.ownerReferences ?? [];
    let solid = 0;
    let blockingForeground = false;
    const stale = new Set<string>();
    for (const ref of refs) {
      const owner = this.core.store.getByUid(ref.uid)?.object;
      if (owner === undefined) stale.add(ref.uid);
      else if (
        owner.metadata.deletionTimestamp !== undefined &&
        (owner.metadata.finalizers ?? []).includes(FOREGROUND)
      ) {
        stale.add(ref.uid);
        if (ref.blockOwnerDeletion === true) blockingForeground = true;
      } else solid++;
    }
    if (stale.size === 0) return;
    const res = this.resourceOf(loc.table);
    if (res === undefined) return;
    if (solid === 0) this.beginDelete(res, loc.object, blockingForeground ? 'Foreground' : 'Background');
    else this.dropOwnerRefs(loc.table, loc.object, (r) => stale.has(r.uid));
  }

  private dropOwnerRefs(table: string, obj: KubeObject, drop: (r: OwnerReference) => boolean): void {
    const res = this.resourceOf(table);
    if (res === undefined) return;
    const kept = (obj.metadata.ownerReferences ?? []).filter((r) => !drop(r));
    const next: KubeObject = { ...obj, metadata: { ...obj.metadata, ownerReferences: kept } };
    if (kept.length === 0) delete next.metadata.ownerReferences;
    this.core.write(res, next, obj);
  }

  private removeFinalizer(uid: string, finalizer: string): void {
    const loc = this.core.store.getByUid(uid);
    const res = loc === undefined ? undefined : this.resourceOf(loc.table);
    if (loc === undefined || res === undefined) return;
    const obj = loc.object;
    const finalizers = (obj.metadata.finalizers ?? []).filter((f) => f !== finalizer);
    const next: KubeObject = { ...obj, metadata: { ...obj.metadata, finalizers } };
    if (finalizers.length === 0) delete next.metadata.finalizers;
    this.core.write(res, next, obj);
  }

  /** The namespace controller: delete everything inside, then let the namespace go. */
  private processNamespace(name: string): void {
    const nsRes = this.core.discovery.byGvk('', 'v1', 'Namespace');
    const ns = nsRes === undefined ? undefined : this.core.get(nsRes, '', name);
    if (nsRes === undefined || ns?.metadata.deletionTimestamp === undefined) return;
    for (const table of this.core.store.tablesWithNamespace(name)) {
      const res = this.resourceOf(table);
      if (res === undefined || !res.namespaced) continue;
      for (const [, obj] of [...this.core.store.ordered(table, name)])
        this.beginDelete(res, obj, 'Background');
    }
    if (this.core.store.tablesWithNamespace(name).length > 0) return;
    const spec = isObj(ns.spec) ? ns.spec : {};
    const specFinalizers = Array.isArray(spec.finalizers)
      ? spec.finalizers.filter((f) => f !== NAMESPACE_FINALIZER)
      : [];
    if ((ns.metadata.finalizers ?? []).length === 0) {
      this.core.remove(nsRes, { ...ns, spec: { ...spec, finalizers: specFinalizers } });
    } else if (Array.isArray(spec.finalizers) && spec.finalizers.includes(NAMESPACE_FINALIZER)) {
      this.core.write(nsRes, { ...ns, spec: { ...spec, finalizers: specFinalizers } }, ns);
    }
  }

  /** The apiextensions finalizer: delete every instance, then let the CRD go. */
  private processCrd(name: string): void {
    const crdRes = this.core.discovery.byGvk('apiextensions.k8s.io', 'v1', 'CustomResourceDefinition');
    const crd = crdRes === undefined ? undefined : this.core.get(crdRes, '', name);
    if (crd?.metadata.deletionTimestamp === undefined) return;
    const served = resourcesOfCrd(crd)[0];
    if (served === undefined) return;
    const table = tableOf(served);
    for (const [, obj] of [...this.core.store.ordered(table)]) this.beginDelete(served, obj, 'Background');
    if (this.core.store.count(table) === 0 && crd.metadata.uid !== undefined)
      this.removeFinalizer(crd.metadata.uid, CRD_CLEANUP);
  }
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
