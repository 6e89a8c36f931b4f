// The one port through which Sprout reaches a cluster. Objects travel as raw JSON (KubeObject);
// every implementation (cluster/kube over a real API server, cluster/memory in process) behaves
// like the Kubernetes API server, so the same contract suite runs against each of them.
import type { JsonValue } from '../api/json.js';
import type { KubeObject } from '../api/kube.js';
import type { Status } from './errors.js';

/** Names a kind of object: `apiVersion` ("v1", "apps/v1") plus `kind`. */
export interface ResourceRef {
  apiVersion: string;
  kind: string;
}

/** Names one object. `namespace` is ignored for cluster-scoped kinds. */
export interface ObjectRef extends ResourceRef {
  name: string;
  namespace?: string;
}

/** What discovery knows about one resource (REST mapping): kind <-> plural resource, scope. */
export interface ResourceInfo {
  group: string;
  version: string;
  kind: string;
  /** The plural resource name used in URLs ("configmaps"). Never derived from `kind` at call sites. */
  resource: string;
  singular: string;
  namespaced: boolean;
  /** e.g. ["status", "scale"]; "exec" and "eviction" for pods. */
  subresources: string[];
  verbs: string[];
  shortNames: string[];
  categories: string[];
  listKind: string;
}

export interface ListOptions {
  /** Omit for all namespaces (or for cluster-scoped kinds). */
  namespace?: string;
  /** String form: `a=b,c!=d,e in (x,y),!f,g`. */
  labelSelector?: string;
  /** `metadata.name=x,metadata.namespace!=y` (plus the few extra fields some kinds support). */
  fieldSelector?: string;
  limit?: number;
  continue?: string;
}

export interface ObjectList {
  items: KubeObject[];
  /** Resume a watch from here to see every change after this list. */
  resourceVersion: string;
  /** Present when more items remain: pass it back as `continue`. */
  continue?: string;
}

export interface WatchOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /**
   * Omitted or "0": first an ADDED event for every existing object, then changes.
   * Anything else: every change after that version, or an ERROR event with a 410 Status
   * (then the watch ends) when the server no longer has that much history.
   */
  resourceVersion?: string;
  allowBookmarks?: boolean;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export type WatchEvent =
  | { type: 'ADDED' | 'MODIFIED' | 'DELETED'; object: KubeObject }
  /** Only metadata.resourceVersion is meaningful: progress with nothing to report. */
  | { type: 'BOOKMARK'; object: KubeObject }
  /** The watch ends after an ERROR; a 410 means "relist, then watch from the list's version". */
  | { type: 'ERROR'; object: Status };

/** A running watch. It ends when the signal aborts, the server closes it, or after an ERROR event. */
export interface WatchHandle {
  /** Settles once no more events will be delivered. Never rejects. */
  readonly done: Promise<void>;
}

export interface WriteOptions {
  dryRun?: boolean;
  fieldManager?: string;
}

export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

export interface PatchOptions extends WriteOptions {
  /** Server-side apply only: take ownership of conflicting fields. */
  force?: boolean;
}

export type PropagationPolicy = 'Background' | 'Foreground' | 'Orphan';

export interface DeleteOptions {
  dryRun?: boolean;
  propagationPolicy?: PropagationPolicy;
  preconditions?: { uid?: string; resourceVersion?: string };
}

/** One request to authorize, as a SubjectAccessReview's resourceAttributes names it. */
export interface AccessAttributes {
  /** get, list, watch, create, update, patch, delete... */
  verb: string;
  /** '' for the core group. */
  group: string;
  /** The plural resource ("configmaps"), from discovery. */
  resource: string;
  subresource?: string;
  /** Omit (or '') for cluster-wide: every namespace, or a cluster-scoped resource. */
  namespace?: string;
  name?: string;
}

export interface AccessDecision {
  allowed: boolean;
  /** Why, when the authorizer says (often empty on a plain RBAC denial). */
  reason?: string;
}

/** A JSON patch (RFC 6902) is an array of operations; the other patch types are objects. */
export type PatchBody = JsonValue;

export interface ClusterClient {
  /** @throws NotFoundError */
  get(ref: ObjectRef): Promise<KubeObject>;
  list(ref: ResourceRef, options?: ListOptions): Promise<ObjectList>;
  /**
   * Resolves once the watch is established. Events are delivered in resourceVersion order, one
   * at a time (the next only after `onEvent` returns). Abort `signal` to stop it.
   */
  watch(
    ref: ResourceRef,
    options: WatchOptions,
    onEvent: (event: WatchEvent) => void,
    signal: AbortSignal,
  ): Promise<WatchHandle>;
  /** @throws AlreadyExistsError, NotFoundError (missing namespace), InvalidError, ForbiddenError */
  create(obj: KubeObject, options?: WriteOptions): Promise<KubeObject>;
  /** Optimistic concurrency: a stale metadata.resourceVersion throws ConflictError. Status is kept. */
  update(obj: KubeObject, options?: WriteOptions): Promise<KubeObject>;
  /** Writes only `status` (the status subresource). */
  updateStatus(obj: KubeObject, options?: WriteOptions): Promise<KubeObject>;
  /** 'apply' is server-side apply (needs fieldManager) and creates the object when missing. */
  patch(ref: ObjectRef, patch: PatchBody, type: PatchType, options?: PatchOptions): Promise<KubeObject>;
  /**
   * Returns the object as the server last had it: with metadata.deletionTimestamp set when the
   * deletion waits on finalizers. @throws NotFoundError, ConflictError (failed precondition)
   */
  delete(ref: ObjectRef, options?: DeleteOptions): Promise<KubeObject | undefined>;
  /** Discovery: undefined when the server does not serve this kind. */
  resolveKind(ref: ResourceRef): Promise<ResourceInfo | undefined>;
  resolveResource(group: string, version: string, resource: string): Promise<ResourceInfo | undefined>;
  /** Every served resource (all groups and versions). */
  resources(): Promise<ResourceInfo[]>;
  /**
   * "May I (this client's identity) do this?" (a SelfSubjectAccessReview). Optional: callers treat
   * a client without it as unable to tell, and skip the check.
   */
  reviewAccess?(attrs: AccessAttributes): Promise<AccessDecision>;
}
