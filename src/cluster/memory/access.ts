// Who may do what on the memory cluster. By default everyone may do everything (a local development
// server); tests and `sprout local` users can switch on RBAC over the stored roles and bindings, and
// can deny single (verb, group, resource, namespace) combinations outright to stage "Sprout lacks
// permission" situations. Also answers the review kinds (SubjectAccessReview and friends), which are
// never stored.
import type { UserInfo } from '../../api/admission.js';
import type { JsonObject, JsonValue } from '../../api/json.js';
import { isJsonObject } from '../../api/json.js';
import type { KubeObject } from '../../api/kube.js';
import type { AccessAttributes, AccessDecision } from '../client.js';
import type { RbacObjects } from './rbac.js';
import { authorizeRbac } from './rbac.js';

export interface AccessOptions {
  /** Who this client is when it asks `reviewAccess` (its own identity). Default: a cluster admin. */
  identity?: UserInfo;
  /** Evaluate RBAC over the stored Roles/ClusterRoles/bindings instead of allowing everything. */
  rbac?: boolean;
}

/** A combination nobody (or only `user`) may perform. Fields left out match anything. */
export interface AccessDenial {
  verb?: string;
  group?: string;
  resource?: string;
  /** Denied in this namespace, and therefore also cluster-wide (which would include it). */
  namespace?: string;
  user?: string;
}

export const LOCAL_ADMIN: UserInfo = { username: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] };

export const REVIEW_KINDS = new Set(['SubjectAccessReview', 'SelfSubjectAccessReview', 'LocalSubjectAccessReview']);

function denialMatches(d: AccessDenial, user: UserInfo, attrs: AccessAttributes): boolean {
  if (d.verb !== undefined && d.verb !== attrs.verb) return false;
  if (d.group !== undefined && d.group !== attrs.group) return false;
  if (d.resource !== undefined && d.resource !== attrs.resource) return false;
  if (d.user !== undefined && d.user !== user.username) return false;
  const ns = attrs.namespace ?? '';
  return d.namespace === undefined || ns === '' || d.namespace === ns;
}

export class AccessControl {
  readonly identity: UserInfo;
  private readonly rbac: boolean;
  private readonly denials: AccessDenial[] = [];

  constructor(
    options: AccessOptions,
    private readonly rbacObjects: () => RbacObjects,
  ) {
    this.identity = options.identity ?? LOCAL_ADMIN;
    this.rbac = options.rbac ?? false;
  }

  /** Adds a denial; the returned function lifts it again. */
  deny(denial: AccessDenial): () => void {
    this.denials.push(denial);
    return () => {
      const i = this.denials.indexOf(denial);
      if (i >= 0) this.denials.splice(i, 1);
    };
  }

  review(user: UserInfo, attrs: AccessAttributes): AccessDecision {
    if (this.denials.some((d) => denialMatches(d, user, attrs))) {
      return { allowed: false, reason: 'denied by the memory cluster\'s access rules' };
    }
    if (!this.rbac) return { allowed: true };
    return authorizeRbac(user, attrs, this.rbacObjects());
  }

  /**
   * The review object with its status filled in, as the API server returns it. `requester` is who
   * sent it: a SelfSubjectAccessReview asks about them; the other kinds name their subject in spec.
   */
  answer(review: KubeObject, requester: UserInfo): KubeObject {
    const spec: JsonObject = isJsonObject(review['spec']) ? review['spec'] : {};
    const ra = isJsonObject(spec.resourceAttributes) ? spec.resourceAttributes : undefined;
    if (ra === undefined) {
      // Non-resource URLs (`kubectl auth can-i get /healthz`): only RBAC-less servers allow them here.
      return { ...review, status: this.rbac ? { allowed: false } : { allowed: true } };
    }
    const subject = review.kind === 'SelfSubjectAccessReview' ? requester : subjectOf(spec);
    const text = (v: JsonValue | undefined): string => (typeof v === 'string' ? v : '');
    const namespace =
      review.kind === 'LocalSubjectAccessReview' ? (review.metadata.namespace ?? '') : text(ra.namespace);
    const decision = this.review(subject, {
      verb: text(ra.verb),
      group: text(ra.group),
      resource: text(ra.resource),
      subresource: text(ra.subresource),
      namespace,
      name: text(ra.name),
    });
    const status: JsonObject = { allowed: decision.allowed };
    if (decision.reason !== undefined) status.reason = decision.reason;
    return { ...review, status };
  }
}

function subjectOf(spec: JsonObject): UserInfo {
  const user: UserInfo = {};
  if (typeof spec.user === 'string') user.username = spec.user;
  if (Array.isArray(spec.groups)) user.groups = spec.groups.filter((g): g is string => typeof g === 'string');
  if (typeof spec.uid === 'string') user.uid = spec.uid;
  return user;
}
