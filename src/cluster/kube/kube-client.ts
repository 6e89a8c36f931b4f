// The ClusterClient over a real Kubernetes API server (or any server that speaks its REST API,
// like `sprout local`). Objects go in and come out as the JSON the server sent; paths come from
// discovery; all requests share one rate limit and retry policy.
import { KubeConfig } from '@kubernetes/client-node';
import type { KubeObject } from '../../api/kube.js';
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
import { resourceNotFound } from '../errors.js';
import { DiscoveryCache } from './discovery.js';
import type { DiscoveryOptions } from './discovery.js';
import type { RateLimitOptions } from './rate-limiter.js';
import { TokenBucket } from './rate-limiter.js';
import { Requester } from './requester.js';
import type { ApiRequest } from './requester.js';
import type { RetryOptions, Sleep } from './retry.js';
import { RetryPolicy, realSleep } from './retry.js';
import { namespaceFor, resourcePath, withQuery } from './paths.js';
import { KubeTransport } from './transport.js';
import { streamWatch } from './watch-stream.js';

export interface KubeClientOptions extends RateLimitOptions {
  retry?: RetryOptions;
  discovery?: DiscoveryOptions;
  /** Non-watch requests without an answer this long fail (default 60 s). */
  requestTimeoutMs?: number;
  /**
   * Watches ask the server to end them after this many seconds (default: 5-10 minutes, spread
   * so that many informers do not reconnect at once); the informer resumes them.
   */
  watchTimeoutSeconds?: number;
  userAgent?: string;
  /** Injected for tests: how retries and the rate limiter wait. */
  sleep?: Sleep;
  /** Told about watch streams that ended on an undecodable line or a throwing handler. */
  onWatchError?: (error: unknown) => void;
}

export interface KubeconfigOptions extends KubeClientOptions {
  /** Use this context instead of the kubeconfig's current-context. */
  context?: string;
}

const PATCH_CONTENT_TYPES: Record<PatchType, string> = {
  json: 'application/json-patch+json',
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  apply: 'application/apply-patch+yaml',
};

function asObject(value: unknown): KubeObject {
  return value as KubeObject;
}

export class KubeClient implements ClusterClient {
  private readonly requester: Requester;
  private readonly discovery: DiscoveryCache;
  private readonly transport: KubeTransport;
  private readonly options: KubeClientOptions;

  constructor(kubeConfig: KubeConfig, options: KubeClientOptions = {}) {
    const sleep = options.sleep ?? realSleep;
    this.options = options;
    this.transport = new KubeTransport(kubeConfig, options.userAgent);
    this.requester = new Requester(
      this.transport,
      new TokenBucket({ qps: options.qps, burst: options.burst }, undefined, sleep),
      new RetryPolicy(options.retry, sleep),
      options.requestTimeoutMs ?? 60_000,
    );
    this.discovery = new DiscoveryCache(
      (path) => this.requester.json({ method: 'GET', path, safe: true }),
      options.discovery,
    );
  }

  /** From a kubeconfig file, or by the default rules ($KUBECONFIG, then ~/.kube/config) when `path` is undefined. */
  static fromKubeconfig(path: string | undefined, options: KubeconfigOptions = {}): KubeClient {
    const kc = new KubeConfig();
    if (path === undefined) kc.loadFromDefault();
    else kc.loadFromFile(path);
    if (options.context !== undefined) {
      if (kc.getContextObject(options.context) === null)
        throw new Error(`no context "${options.context}" in the kubeconfig`);
      kc.setCurrentContext(options.context);
    }
    return new KubeClient(kc, options);
  }

  /** Inside a pod: the service account token, the cluster CA and KUBERNETES_SERVICE_HOST/PORT. */
  static inCluster(options: KubeClientOptions = {}): KubeClient {
    const kc = new KubeConfig();
    kc.loadFromCluster();
    return new KubeClient(kc, options);
  }

  /** The API server's URL. */
  get server(): string {
    return this.requester.server;
  }

  /** Drops idle connections; call when done with the client. */
  close(): void {
    this.transport.close();
  }

  /** Forget cached discovery (e.g. after installing CRDs, to see them in `resources()` at once). */
  invalidateDiscovery(): void {
    this.discovery.invalidate();
  }

  private async mapping(ref: ResourceRef): Promise<ResourceInfo> {
    const info = await this.discovery.resolveKind(ref.apiVersion, ref.kind);
    if (info === undefined) throw resourceNotFound();
    return info;
  }

  private send(req: Omit<ApiRequest, 'safe'> & { safe?: boolean }): Promise<unknown> {
    return this.requester.json({ safe: req.method === 'GET', ...req });
  }

  async get(ref: ObjectRef): Promise<KubeObject> {
    const info = await this.mapping(ref);
    const path = resourcePath(info, { namespace: namespaceFor(info, ref.namespace), name: ref.name });
    return asObject(await this.send({ method: 'GET', path }));
  }

  async list(ref: ResourceRef, options: ListOptions = {}): Promise<ObjectList> {
    const info = await this.mapping(ref);
    const path = withQuery(resourcePath(info, { namespace: options.namespace }), {
      labelSelector: options.labelSelector,
      fieldSelector: options.fieldSelector,
      limit: options.limit,
      continue: options.continue,
    });
    const body = (await this.send({ method: 'GET', path })) as {
      items?: KubeObject[] | null;
      metadata?: { resourceVersion?: string; continue?: string };
    };
    // Real servers leave apiVersion/kind out of the items of built-in lists; the port promises them.
    const items = (body.items ?? []).map((item) => ({
      ...item,
      apiVersion: item.apiVersion ?? ref.apiVersion,
      kind: item.kind ?? ref.kind,
    }));
    const list: ObjectList = { items, resourceVersion: body.metadata?.resourceVersion ?? '' };
    const cont = body.metadata?.continue;
    if (cont !== undefined && cont !== '') list.continue = cont;
    return list;
  }

  async watch(
    ref: ResourceRef,
    options: WatchOptions,
    onEvent: (event: WatchEvent) => void,
    signal: AbortSignal,
  ): Promise<WatchHandle> {
    const info = await this.mapping(ref);
    const path = withQuery(resourcePath(info, { namespace: options.namespace }), {
      watch: 1,
      labelSelector: options.labelSelector,
      fieldSelector: options.fieldSelector,
      resourceVersion: options.resourceVersion,
      allowWatchBookmarks: options.allowBookmarks === true,
      timeoutSeconds: this.options.watchTimeoutSeconds ?? 300 + Math.floor(Math.random() * 300),
    });
    const response = await this.requester.stream({ method: 'GET', path, signal, safe: true });
    return streamWatch({
      response,
      kind: { apiVersion: ref.apiVersion, kind: ref.kind },
      onEvent,
      signal,
      onError: this.options.onWatchError,
    });
  }

  private writeQuery(options: WriteOptions): Record<string, string | undefined> {
    return { dryRun: options.dryRun === true ? 'All' : undefined, fieldManager: options.fieldManager };
  }

  async create(obj: KubeObject, options: WriteOptions = {}): Promise<KubeObject> {
    const info = await this.mapping(obj);
    const path = withQuery(
      resourcePath(info, { namespace: namespaceFor(info, obj.metadata.namespace) }),
      this.writeQuery(options),
    );
    return asObject(await this.send({ method: 'POST', path, body: JSON.stringify(obj) }));
  }

  private async put(obj: KubeObject, options: WriteOptions, subresource?: string): Promise<KubeObject> {
    const info = await this.mapping(obj);
    const name = obj.metadata.name ?? '';
    const path = withQuery(
      resourcePath(info, { namespace: namespaceFor(info, obj.metadata.namespace), name, subresource }),
      this.writeQuery(options),
    );
    return asObject(await this.send({ method: 'PUT', path, body: JSON.stringify(obj) }));
  }

  update(obj: KubeObject, options: WriteOptions = {}): Promise<KubeObject> {
    return this.put(obj, options);
  }

  updateStatus(obj: KubeObject, options: WriteOptions = {}): Promise<KubeObject> {
    return this.put(obj, options, 'status');
  }

  async patch(
    ref: ObjectRef,
    patch: PatchBody,
    type: PatchType,
    options: PatchOptions = {},
  ): Promise<KubeObject> {
    const info = await this.mapping(ref);
    const path = withQuery(
      resourcePath(info, { namespace: namespaceFor(info, ref.namespace), name: ref.name }),
      {
        ...this.writeQuery(options),
        force: type === 'apply' && options.force === true,
      },
    );
    // JSON is YAML, so an apply body can go as JSON under the apply content type.
    return asObject(
      await this.send({
        method: 'PATCH',
        path,
        body: JSON.stringify(patch),
        contentType: PATCH_CONTENT_TYPES[type],
        safe: type === 'apply',
      }),
    );
  }

  async delete(ref: ObjectRef, options: DeleteOptions = {}): Promise<KubeObject | undefined> {
    const info = await this.mapping(ref);
    const path = resourcePath(info, { namespace: namespaceFor(info, ref.namespace), name: ref.name });
    const body: Record<string, unknown> = { kind: 'DeleteOptions', apiVersion: 'v1' };
    if (options.propagationPolicy !== undefined) body.propagationPolicy = options.propagationPolicy;
    if (options.preconditions !== undefined) body.preconditions = options.preconditions;
    if (options.dryRun === true) body.dryRun = ['All'];
    const result = await this.send({ method: 'DELETE', path, body: JSON.stringify(body) });
    // Some resources answer a completed deletion with a Success Status instead of the object.
    if ((result as { kind?: unknown } | null)?.kind === 'Status') return undefined;
    return asObject(result);
  }

  resolveKind(ref: ResourceRef): Promise<ResourceInfo | undefined> {
    return this.discovery.resolveKind(ref.apiVersion, ref.kind);
  }

  resolveResource(group: string, version: string, resource: string): Promise<ResourceInfo | undefined> {
    return this.discovery.resolveResource(group, version, resource);
  }

  resources(): Promise<ResourceInfo[]> {
    return this.discovery.resources();
  }

  /** A SelfSubjectAccessReview: the server answers for whoever this client authenticates as. */
  async reviewAccess(attrs: AccessAttributes): Promise<AccessDecision> {
    const resourceAttributes: Record<string, string> = { verb: attrs.verb, group: attrs.group, resource: attrs.resource };
    if (attrs.subresource) resourceAttributes.subresource = attrs.subresource;
    if (attrs.namespace) resourceAttributes.namespace = attrs.namespace;
    if (attrs.name) resourceAttributes.name = attrs.name;
    const review = {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectAccessReview',
      spec: { resourceAttributes },
    };
    const body = (await this.send({
      method: 'POST',
      path: '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
      body: JSON.stringify(review),
      // Asking is free of side effects, so a lost answer may be asked again.
      safe: true,
    })) as { status?: { allowed?: unknown; denied?: unknown; reason?: unknown } } | null;
    const status = body?.status ?? {};
    const decision: AccessDecision = { allowed: status.allowed === true && status.denied !== true };
    if (typeof status.reason === 'string' && status.reason !== '') decision.reason = status.reason;
    return decision;
  }
}
