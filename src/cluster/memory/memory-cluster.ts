// An in-memory Kubernetes API server core behind the ClusterClient port. Objects are copied on the
// way in and out; every write gets the next resourceVersion; deletion, garbage collection and
// namespace/CRD cleanup settle before the call returns.
import { randomUUID } from 'node:crypto';
import type { UserInfo } from '../../api/admission.js';
import type { KubeObject } from '../../api/kube.js';
import { parseApiVersion } from '../../api/kube.js';
import type {
  AccessAttributes,
  AccessDecision,
  ClusterClient,
  DeleteOptions,
  ListOptions,
  ObjectList,
  ObjectRef,
  PatchBody,
  PatchOptions,
  PatchType,
  ResourceInfo,
  ResourceRef,
  WatchEvent,
  WatchHandle,
  WatchOptions,
  WriteOptions,
} from '../client.js';
import {
  alreadyExists,
  badRequest,
  conflict,
  forbidden,
  invalid,
  notFound,
  resourceNotFound,
} from '../errors.js';
import { cloneJson, jsonEqual } from '../json-util.js';
import type { AccessDenial, AccessOptions } from './access.js';
import { AccessControl, REVIEW_KINDS } from './access.js';
import type { ServedResource } from './builtin-resources.js';
import { Core, tableOf } from './core.js';
import { establishedStatus, sproutCrdObjects, validateCrd } from './crds.js';
import { Discovery, publicInfo } from './discovery.js';
import type { PersistedState, WriteJournal } from './journal.js';
import { Lifecycle } from './lifecycle.js';
import { bootstrapRbacObjects } from './bootstrap-rbac.js';
import { applyServerDefaults, generatedName, specChanged, validateLabelsAndAnnotations, nameRuleFor, validateName } from './object-meta.js';
import { applyPatch, checkApplyConfig, initialManagedFields } from './patching.js';
import { listObjects, render, startWatch } from './reads.js';
import { ObjectStore } from './store.js';
import { WatchHub } from './watch-hub.js';

export interface MemoryClusterOptions {
  clock?: () => Date;
  newUid?: () => string;
  /** In [0, 1): draws generateName suffixes. */
  random?: () => number;
  /** How many changes a watch can resume across before it gets 410 Gone. */
  watchHistory?: number;
  /** Namespaces present at start (a real cluster has these four). */
  namespaces?: string[];
  /** Install Sprout's CRDs (kyverno.io, wgpolicyk8s.io). Default true. */
  sproutCrds?: boolean;
  /** Seed the default ClusterRoles (cluster-admin, admin, edit, view) and the system:masters binding. Default true. */
  bootstrapRbac?: boolean;
  /**
   * Persistence: sees every committed change, and every call that wrote (or read) resolves only
   * after `journal.sync()`, so an acknowledged write survives a crash.
   */
  journal?: WriteJournal;
  /** Start from this persisted state instead of the default namespaces and CRDs. */
  restore?: PersistedState;
  /** Authorization: default everyone may do everything; see AccessOptions for RBAC. */
  access?: AccessOptions;
}

const gr = (res: ServedResource): { group: string; resource: string } => ({
  group: res.group,
  resource: res.resource,
});

export class MemoryCluster implements ClusterClient {
  private readonly core: Core;
  private readonly lifecycle: Lifecycle;
  private readonly journal: WriteJournal | undefined;
  private readonly access: AccessControl;

  constructor(options: MemoryClusterOptions = {}) {
    this.journal = options.journal;
    this.access = new AccessControl(options.access ?? {}, () => ({
      roles: this.stored('rbac.authorization.k8s.io/roles'),
      clusterRoles: this.stored('rbac.authorization.k8s.io/clusterroles'),
      roleBindings: this.stored('rbac.authorization.k8s.io/rolebindings'),
      clusterRoleBindings: this.stored('rbac.authorization.k8s.io/clusterrolebindings'),
    }));
    this.core = new Core(new ObjectStore(), new WatchHub(options.watchHistory ?? 10_000), new Discovery(), {
      clock: options.clock ?? (() => new Date()),
      newUid: options.newUid ?? randomUUID,
      random: options.random ?? Math.random,
      journal: options.journal,
    });
    this.lifecycle = new Lifecycle(this.core);
    if (options.restore !== undefined) {
      this.core.restore(options.restore);
      this.lifecycle.resume();
      return;
    }
    for (const name of options.namespaces ?? ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
      this.createSync({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }, {});
    }
    if (options.sproutCrds !== false) for (const crd of sproutCrdObjects()) this.createSync(crd, {});
    if (options.bootstrapRbac !== false) for (const o of bootstrapRbacObjects()) this.createSync(o, {});
  }

  /** Sends a BOOKMARK with the current resourceVersion to watchers that allow them. */
  bookmark(): void {
    this.core.hub.bookmark(this.core.currentRv);
  }

  /** Forgets watch history up to the current version: older resumes get 410 (like etcd compaction). */
  compact(): void {
    this.core.hub.compact(this.core.currentRv);
  }

  /** The stored objects and resourceVersion counter at this instant (for snapshots); read-only. */
  persistedState(): PersistedState {
    return this.core.persistedState();
  }

  /** Ends every open watch (server shutdown). */
  closeWatches(): void {
    this.core.hub.closeAll();
  }

  private resolve(ref: ResourceRef): ServedResource {
    const { group, version } = parseApiVersion(ref.apiVersion);
    const res = this.core.discovery.byGvk(group, version, ref.kind);
    if (res === undefined) throw resourceNotFound();
    return res;
  }

  private namespaceFor(res: ServedResource, ns: string | undefined): string {
    return res.namespaced ? (ns === undefined || ns === '' ? 'default' : ns) : '';
  }

  private current(res: ServedResource, ref: { namespace?: string; name: string }): KubeObject {
    const obj = this.core.get(res, this.namespaceFor(res, ref.namespace), ref.name);
    if (obj === undefined) throw notFound(gr(res), ref.name);
    return obj;
  }

  get(ref: ObjectRef): Promise<KubeObject> {
    return this.durable(() => {
      const res = this.resolve(ref);
      return render(this.current(res, ref), res);
    });
  }

  list(ref: ResourceRef, options: ListOptions = {}): Promise<ObjectList> {
    return this.durable(() => listObjects(this.core, this.resolve(ref), options));
  }

  watch(
    ref: ResourceRef,
    options: WatchOptions,
    onEvent: (e: WatchEvent) => void,
    signal: AbortSignal,
  ): Promise<WatchHandle> {
    return run(() => startWatch(this.core, this.resolve(ref), options, onEvent, signal));
  }

  /**
   * `uid`: the API server assigns the uid before validating admission, so webhooks see the uid the
   * object is stored with; the embedded server passes back the one its dry run produced.
   */
  create(obj: KubeObject, options: WriteOptions & { uid?: string } = {}): Promise<KubeObject> {
    return this.durable(() => this.createSync(obj, options));
  }

  private createSync(
    input: KubeObject,
    options: WriteOptions & { managedFields?: KubeObject['metadata']['managedFields']; uid?: string },
  ): KubeObject {
    const res = this.resolve(input);
    const obj = cloneJson(input);
    const meta = obj.metadata ?? {};
    obj.metadata = meta;
    // Review kinds (SubjectAccessReview...) are answered, never stored; asked through the port, the
    // requester is this client's own identity.
    if (res.verbs.length === 1 && res.verbs[0] === 'create') {
      if (REVIEW_KINDS.has(res.kind)) return render(this.access.answer(obj, this.access.identity), res);
      return render({ ...obj, status: { allowed: true } }, res);
    }
    if (res.namespaced) meta.namespace = this.namespaceFor(res, meta.namespace);
    else delete meta.namespace;
    if (
      (meta.name === undefined || meta.name === '') &&
      meta.generateName !== undefined &&
      meta.generateName !== ''
    ) {
      meta.name = generatedName(meta.generateName, this.core.options.random);
    }
    const name = meta.name ?? '';
    const kindRef = { group: res.group, kind: res.kind };
    if (name === '') {
      throw invalid(kindRef, '', [
        {
          field: 'metadata.name',
          type: 'FieldValueRequired',
          detail: 'Required value: name or generateName is required',
        },
      ]);
    }
    applyServerDefaults(res, obj);
    const nameErrors = [
      ...validateName(name, nameRuleFor(res.group, res.resource)),
      ...validateLabelsAndAnnotations(obj),
    ];
    if (nameErrors.length > 0) throw invalid(kindRef, name, nameErrors);
    if (res.resource === 'customresourcedefinitions') {
      const errs = validateCrd(obj);
      if (errs.length > 0) throw invalid(kindRef, name, errs);
    }
    if (res.namespaced) {
      const nsRes = this.resolve({ apiVersion: 'v1', kind: 'Namespace' });
      const ns = this.core.get(nsRes, '', meta.namespace ?? '');
      if (ns === undefined) throw notFound(gr(nsRes), meta.namespace ?? '');
      if (ns.metadata.deletionTimestamp !== undefined) {
        throw forbidden(
          gr(res),
          name,
          `unable to create new content in namespace ${meta.namespace ?? ''} because it is being terminated`,
        );
      }
    }
    if (this.core.get(res, meta.namespace ?? '', name) !== undefined) throw alreadyExists(gr(res), name);
    meta.uid = options.uid ?? this.core.options.newUid();
    meta.creationTimestamp = this.core.now();
    delete meta.deletionTimestamp;
    delete meta.deletionGracePeriodSeconds;
    delete meta.resourceVersion;
    if (res.tracksGeneration) meta.generation = 1;
    else delete meta.generation;
    if (options.managedFields !== undefined) meta.managedFields = options.managedFields;
    if (res.subresources.includes('status') && res.resource !== 'namespaces') delete obj.status;
    if (res.group === '' && res.resource === 'namespaces') {
      obj.spec = { finalizers: ['kubernetes'] };
      obj.status = { phase: 'Active' };
    }
    if (res.resource === 'customresourcedefinitions') obj.status = establishedStatus(obj, this.core.now());
    if (options.dryRun === true) return render(obj, res);
    const stored = this.core.write(res, obj, undefined);
    this.lifecycle.settle();
    return render(this.core.get(res, meta.namespace ?? '', name) ?? stored, res);
  }

  update(obj: KubeObject, options: WriteOptions = {}): Promise<KubeObject> {
    return this.durable(() => {
      const res = this.resolve(obj);
      const live = this.current(res, refOf(obj));
      const next = cloneJson(obj);
      if (res.subresources.includes('status')) {
        if (live.status === undefined) delete next.status;
        else next.status = cloneJson(live.status);
      }
      return this.commit(res, live, next, options);
    });
  }

  updateStatus(obj: KubeObject, options: WriteOptions = {}): Promise<KubeObject> {
    return this.durable(() => {
      const res = this.resolve(obj);
      if (!res.subresources.includes('status')) throw resourceNotFound();
      const live = this.current(res, refOf(obj));
      const next = cloneJson(live);
      next.metadata.resourceVersion = obj.metadata.resourceVersion;
      if (obj.status === undefined) delete next.status;
      else next.status = cloneJson(obj.status);
      return this.commit(res, live, next, options);
    });
  }

  patch(ref: ObjectRef, patch: PatchBody, type: PatchType, options: PatchOptions = {}): Promise<KubeObject> {
    return this.durable(() => {
      const res = this.resolve(ref);
      const live = this.core.get(res, this.namespaceFor(res, ref.namespace), ref.name);
      const now = this.core.now();
      if (live === undefined) {
        if (type !== 'apply') throw notFound(gr(res), ref.name);
        const stub: KubeObject = {
          apiVersion: ref.apiVersion,
          kind: ref.kind,
          metadata: { name: ref.name, namespace: ref.namespace },
        };
        const config = checkApplyConfig({
          res,
          live: stub,
          patch,
          type,
          fieldManager: options.fieldManager,
          now,
        });
        const obj = config as unknown as KubeObject;
        obj.metadata = { ...obj.metadata, name: ref.name, namespace: ref.namespace };
        return this.createSync(obj, {
          ...options,
          managedFields: initialManagedFields(config, options.fieldManager ?? '', now),
        });
      }
      const next = applyPatch({ res, live, patch, type, fieldManager: options.fieldManager, now });
      const requestedRv = next.metadata?.resourceVersion;
      if (requestedRv !== undefined && requestedRv !== live.metadata.resourceVersion)
        throw conflict(gr(res), ref.name);
      if (res.subresources.includes('status')) {
        if (live.status === undefined) delete next.status;
        else next.status = cloneJson(live.status);
      }
      return this.commit(res, live, next, options);
    });
  }

  /** The common tail of update, updateStatus and patch: concurrency check, server fields, write. */
  private commit(res: ServedResource, live: KubeObject, next: KubeObject, options: WriteOptions): KubeObject {
    // An update that leaves a Secret's type out keeps the stored one (it is immutable).
    if (res.resource === 'secrets' && res.group === '' && next['type'] === undefined) next['type'] = live['type'];
    applyServerDefaults(res, next);
    const name = live.metadata.name ?? '';
    const rv = next.metadata?.resourceVersion;
    if (rv !== undefined && rv !== '' && rv !== live.metadata.resourceVersion) throw conflict(gr(res), name);
    if (next.kind !== res.kind || typeof next.apiVersion !== 'string')
      throw badRequest(`Object 'Kind' is missing or does not match "${res.kind}"`);
    const meta: KubeObject['metadata'] = { ...(next.metadata ?? {}) };
    // Fields only the server sets: whatever the request says, the live values stay.
    for (const key of [
      'name',
      'namespace',
      'uid',
      'creationTimestamp',
      'deletionTimestamp',
      'deletionGracePeriodSeconds',
      'generation',
    ]) {
      if (live.metadata[key] === undefined) delete meta[key];
      else meta[key] = live.metadata[key];
    }
    meta.resourceVersion = live.metadata.resourceVersion;
    if (meta.managedFields === undefined && live.metadata.managedFields !== undefined)
      meta.managedFields = live.metadata.managedFields;
    if (live.metadata.deletionTimestamp !== undefined) {
      const added = (meta.finalizers ?? []).filter((f) => !(live.metadata.finalizers ?? []).includes(f));
      if (added.length > 0) {
        throw invalid({ group: res.group, kind: res.kind }, name, [
          {
            field: 'metadata.finalizers',
            type: 'FieldValueForbidden',
            detail: `Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{${added.map((f) => JSON.stringify(f)).join(', ')}}`,
          },
        ]);
      }
    }
    const candidate: KubeObject = { ...next, metadata: meta };
    const metaErrors = validateLabelsAndAnnotations(candidate);
    if (metaErrors.length > 0) throw invalid({ group: res.group, kind: res.kind }, name, metaErrors);
    if (res.resource === 'customresourcedefinitions') {
      const errs = validateCrd(candidate);
      if (errs.length > 0) throw invalid({ group: res.group, kind: res.kind }, name, errs);
    }
    if (jsonEqual(candidate, live)) return render(live, res);
    if (res.tracksGeneration && specChanged(live, candidate, res.subresources.includes('status'))) {
      meta.generation = (live.metadata.generation ?? 0) + 1;
    }
    if (options.dryRun === true) return render(candidate, res);
    this.core.write(res, candidate, live);
    this.lifecycle.settle();
    return render(candidate, res);
  }

  delete(ref: ObjectRef, options: DeleteOptions = {}): Promise<KubeObject | undefined> {
    return this.durable(() => {
      const res = this.resolve(ref);
      const live = this.current(res, ref);
      const pre = options.preconditions;
      if (pre?.uid !== undefined && pre.uid !== live.metadata.uid) {
        throw conflict(
          gr(res),
          ref.name,
          `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${live.metadata.uid ?? ''}`,
        );
      }
      if (pre?.resourceVersion !== undefined && pre.resourceVersion !== live.metadata.resourceVersion) {
        throw conflict(
          gr(res),
          ref.name,
          `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${live.metadata.resourceVersion ?? ''}`,
        );
      }
      if (options.dryRun === true) return render(live, res);
      const result = this.lifecycle.beginDelete(res, live, options.propagationPolicy ?? 'Background');
      this.lifecycle.settle();
      return render(result, res);
    });
  }

  resolveKind(ref: ResourceRef): Promise<ResourceInfo | undefined> {
    const { group, version } = parseApiVersion(ref.apiVersion);
    const res = this.core.discovery.byGvk(group, version, ref.kind);
    return Promise.resolve(res === undefined ? undefined : publicInfo(res));
  }

  resolveResource(group: string, version: string, resource: string): Promise<ResourceInfo | undefined> {
    const res = this.core.discovery.byGvr(group, version, resource);
    return Promise.resolve(res === undefined ? undefined : publicInfo(res));
  }

  resources(): Promise<ResourceInfo[]> {
    return Promise.resolve(this.core.discovery.all().map(publicInfo));
  }

  /** May this client's identity (MemoryClusterOptions.access.identity) do this? */
  reviewAccess(attrs: AccessAttributes): Promise<AccessDecision> {
    return this.reviewAccessFor(this.access.identity, attrs);
  }

  /** May `user` do this? (The embedded server answers SelfSubjectAccessReviews with it.) */
  reviewAccessFor(user: UserInfo, attrs: AccessAttributes): Promise<AccessDecision> {
    return run(() => this.access.review(user, attrs));
  }

  /** A review object (SubjectAccessReview, SelfSubjectAccessReview...) answered for `requester`, not stored. */
  answerAccessReview(review: KubeObject, requester: UserInfo): KubeObject {
    return this.access.answer(cloneJson(review), requester);
  }

  /** Denies a (verb, group, resource, namespace, user) combination until the returned function is called. */
  denyAccess(denial: AccessDenial): () => void {
    return this.access.deny(denial);
  }

  private stored(table: string): KubeObject[] {
    return [...this.core.store.ordered(table)].map(([, obj]) => obj);
  }

  /**
   * Runs `work` now, then resolves once the journal holds everything written so far, failure or
   * not. Reads wait too: they must not show a change a crash could still take back.
   */
  private durable<T>(work: () => T): Promise<T> {
    const result = run(work);
    if (this.journal === undefined) return result;
    const synced = this.journal.sync();
    return result.then(
      (value) => synced.then(() => value),
      (error: unknown) =>
        synced.then(() => {
          throw error;
        }),
    );
  }

  /** Objects stored for a resource across versions (tests and the persistence layer). */
  countObjects(ref: ResourceRef): number {
    return this.core.store.count(tableOf(this.resolve(ref)));
  }
}

function refOf(obj: KubeObject): { name: string; namespace?: string } {
  return { name: obj.metadata?.name ?? '', namespace: obj.metadata?.namespace };
}

/** Runs synchronous work as a promise, turning throws into rejections. */
function run<T>(work: () => T): Promise<T> {
  try {
    return Promise.resolve(work());
  } catch (e) {
    return Promise.reject(e instanceof Error ? e : new Error(String(e)));
  }
}
