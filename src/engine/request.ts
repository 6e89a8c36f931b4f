// What the engine is asked about: one request (admission or background) against one resource.
import type { JsonObject, JsonValue } from '../api/json.js';
import type { AdmissionRequest, Operation, RequestUser } from '../api/admission.js';
import type { GroupVersionKind, KubeObject } from '../api/kube.js';
import { gvkOf } from '../api/kube.js';

export interface PolicyRequest {
  /** '' for background work (generateExisting, resync), as in Kyverno. */
  operation: Operation | '';
  /** The new object; absent on DELETE. */
  object?: KubeObject;
  oldObject?: KubeObject;
  subresource?: string;
  /** Who asked; undefined in background work, where user-info constraints are ignored. */
  user?: RequestUser;
  /** The full admission request, when there is one; it becomes the `request` variable. */
  admission?: AdmissionRequest;
  /** Labels of the resource's namespace, when a rule needs them (namespaceSelector). */
  namespaceLabels?: Record<string, string>;
}

/** The resource a request is about: the new object, or the old one on DELETE. */
export function subjectOf(req: PolicyRequest): KubeObject | undefined {
  return req.object ?? req.oldObject;
}

export function gvkOfRequest(req: PolicyRequest): GroupVersionKind | undefined {
  const subject = subjectOf(req);
  return subject ? gvkOf(subject) : undefined;
}

interface RequestScope {
  readonly operation: PolicyRequest['operation'];
  readonly object: KubeObject | undefined;
  readonly oldObject: KubeObject | undefined;
  readonly user: RequestUser | undefined;
  readonly admission: AdmissionRequest | undefined;
  readonly root: JsonObject;
}

const scopes = new WeakMap<PolicyRequest, RequestScope>();
let lastRequest: PolicyRequest | undefined;
let lastScope: RequestScope | undefined;

/**
 * requestContext(), built once per request object and shared by all of its rules (nothing writes into
 * it: EvalContext copies on write). Rebuilt when a field it reads was reassigned since.
 */
export function sharedRequestContext(req: PolicyRequest): JsonObject {
  // Every rule of every policy asks for the same request in turn: check the last one first.
  const hit = req === lastRequest ? lastScope : scopes.get(req);
  if (
    hit !== undefined &&
    hit.operation === req.operation &&
    hit.object === req.object &&
    hit.oldObject === req.oldObject &&
    hit.user === req.user &&
    hit.admission === req.admission
  ) {
    lastRequest = req;
    lastScope = hit;
    return hit.root;
  }
  const root = requestContext(req);
  const scope: RequestScope = {
    operation: req.operation,
    object: req.object,
    oldObject: req.oldObject,
    user: req.user,
    admission: req.admission,
    root,
  };
  scopes.set(req, scope);
  lastRequest = req;
  lastScope = scope;
  return root;
}

/** The root of the JSON context: `request`, `serviceAccountName`, `serviceAccountNamespace`. */
export function requestContext(req: PolicyRequest): JsonObject {
  const subject = subjectOf(req);
  const base: JsonObject = req.admission
    ? definedFields(req.admission as unknown as Record<string, JsonValue | undefined>)
    : {
        operation: req.operation,
        object: (req.object ?? null) as unknown as JsonValue,
        oldObject: (req.oldObject ?? null) as unknown as JsonValue,
        name: subject?.metadata.name ?? '',
        // The API server reports a Namespace's own name as the namespace of requests about it.
        namespace: (subject?.kind === 'Namespace' ? subject.metadata.name : subject?.metadata.namespace) ?? '',
        kind: subject ? (gvkOf(subject) as unknown as JsonValue) : null,
        userInfo: (req.user?.userInfo ?? {}) as unknown as JsonValue,
      };
  base['operation'] = req.operation;
  base['roles'] = req.user?.roles ?? [];
  base['clusterRoles'] = req.user?.clusterRoles ?? [];
  const sa = /^system:serviceaccount:([^:]+):([^:]+)$/.exec(req.user?.userInfo.username ?? '');
  return {
    request: base,
    serviceAccountName: sa?.[2] ?? '',
    serviceAccountNamespace: sa?.[1] ?? '',
  };
}

/** A shallow copy of a root made by requestContext(): its three keys, in order, as one literal. */
export function copyRequestRoot(root: JsonObject): JsonObject {
  return {
    request: root['request'] as JsonValue,
    serviceAccountName: root['serviceAccountName'] as JsonValue,
    serviceAccountNamespace: root['serviceAccountNamespace'] as JsonValue,
  };
}

/**
 * A new top level over the admission request's values (undefined fields left out, as JSON drops them).
 * The values are shared, not copied: nothing writes into the context's values (EvalContext copies the
 * path it writes, and writes in place only into a root it copied itself), and without an admission
 * request the context shares `object` and `userInfo` with the request object in the same way.
 */
function definedFields(source: Record<string, JsonValue | undefined>): JsonObject {
  const out: JsonObject = {};
  for (const k of Object.keys(source)) {
    const v = source[k];
    if (v === undefined) continue;
    // An own "__proto__" (JSON.parse makes one) stays a plain property.
    if (k === '__proto__') Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
    else out[k] = v;
  }
  return out;
}
