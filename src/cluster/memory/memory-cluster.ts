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
import { cloneJson } from '../json-util.js';
import type { AccessDenial, AccessOptions } from './access.js';
import { AccessControl } from './access.js';
import { bootstrapRbacObjects } from './bootstrap-rbac.js';
import { Core, tableOf } from './core.js';
import { createObject } from './create-object.js';
import { sproutCrdObjects } from './crds.js';
import { deleteObject } from './delete-object.js';
import { Discovery, publicInfo } from './discovery.js';
import { durable, run } from './durability.js';
import type { PersistedState, WriteJournal } from './journal.js';
import { Lifecycle } from './lifecycle.js';
import { patchObject } from './patch-object.js';
import { listObjects, render, startWatch } from './reads.js';
import { currentObject, resolveServed } from './resolve.js';
import { ObjectStore } from './store.js';
import { updateObject, updateObjectStatus } from './update-object.js';
import { WatchHub } from './watch-hub.js';
import type { WriteContext } from './write-context.js';

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

export class MemoryCluster implements ClusterClient {
  private readonly core: Core;
  private readonly lifecycle: Lifecycle;
  private readonly journal: WriteJournal | undefined;
  private readonly access: AccessControl;
  private readonly writes: WriteContext;

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
    this.writes = { core: this.core, lifecycle: this.lifecycle, access: this.access };
    if (options.restore !== undefined) {
      this.core.restore(options.restore);
      this.lifecycle.resume();
      return;
    }
    for (const name of options.namespaces ?? ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
      createObject(this.writes, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } }, {});
    }
    if (options.sproutCrds !== false) for (const crd of sproutCrdObjects()) createObject(this.writes, crd, {});
    if (options.bootstrapRbac !== false) for (const o of bootstrapRbacObjects()) createObject(this.writes, o, {});
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

  get(ref: ObjectRef): Promise<KubeObject> {
    return durable(this.journal, () => {
      const res = resolveServed(this.core, ref);
      return render(currentObject(this.core, res, ref), res);
    });
  }

  list(ref: ResourceRef, options: ListOptions = {}): Promise<ObjectList> {
    return durable(this.journal, () => listObjects(this.core, resolveServed(this.core, ref), options));
  }

  watch(
    ref: ResourceRef,
    options: WatchOptions,
    onEvent: (e: WatchEvent) => void,
    signal: AbortSignal,
  ): Promise<WatchHandle> {
    return run(() => startWatch(this.core, resolveServed(this.core, ref), options, onEvent, signal));
  }

  /**
   * `uid`: the API server assigns the uid before validating admission, so webhooks see the uid the
   * object is stored with; the embedded server passes back the one its dry run produced.
   */
  create(obj: KubeObject, options: WriteOptions & { uid?: string } = {}): Promise<KubeObject> {
    return durable(this.journal, () => createObject(this.writes, obj, options));
  }

  update(obj: KubeObject, options: WriteOptions = {}): Promise<KubeObject> {
    return durable(this.journal, () => updateObject(this.writes, obj, options));
  }

  updateStatus(obj: KubeObject, options: WriteOptions = {}): Promise<KubeObject> {
    return durable(this.journal, () => updateObjectStatus(this.writes, obj, options));
  }

  patch(ref: ObjectRef, patch: PatchBody, type: PatchType, options: PatchOptions = {}): Promise<KubeObject> {
    return durable(this.journal, () => patchObject(this.writes, ref, patch, type, options));
  }

  delete(ref: ObjectRef, options: DeleteOptions = {}): Promise<KubeObject | undefined> {
    return durable(this.journal, () => deleteObject(this.writes, ref, options));
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

  /** Objects stored for a resource across versions (tests and the persistence layer). */
  countObjects(ref: ResourceRef): number {
    return this.core.store.count(tableOf(resolveServed(this.core, ref)));
  }
}
