// Kubernetes RBAC, evaluated over stored Roles, ClusterRoles and their bindings: what the API
// server's authorizer answers to a SubjectAccessReview. Aggregated ClusterRoles are resolved on the
// fly (there is no aggregation controller here to write their rules), so a ClusterRole labelled for
// an aggregate grants its rules the moment it exists, as it does a moment later on a real cluster.
import type { UserInfo } from '../../api/admission.js';
import type { JsonValue } from '../../api/json.js';
import { isJsonObject } from '../../api/json.js';
import type { KubeObject, LabelSelector } from '../../api/kube.js';
import type { AccessAttributes, AccessDecision } from '../client.js';
import { formatLabelSelector, matchesLabels, parseLabelSelector } from '../selectors.js';

export interface RbacObjects {
  roles: KubeObject[];
  clusterRoles: KubeObject[];
  roleBindings: KubeObject[];
  clusterRoleBindings: KubeObject[];
}

interface PolicyRule {
  verbs: string[];
  apiGroups: string[];
  resources: string[];
  resourceNames: string[];
}

/** Members of this group may do anything: the API server's authorizer short-circuits them. */
const SUPERUSER_GROUP = 'system:masters';

/** Stored objects are JSON: their fields are JsonValue. */
function field(obj: KubeObject, key: string): JsonValue | undefined {
  return obj[key] as JsonValue | undefined;
}

function strings(v: JsonValue | undefined): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function rulesOf(role: KubeObject): PolicyRule[] {
  const raw = field(role, 'rules');
  if (!Array.isArray(raw)) return [];
  return raw.filter(isJsonObject).map((r) => ({
    verbs: strings(r.verbs),
    apiGroups: strings(r.apiGroups),
    resources: strings(r.resources),
    resourceNames: strings(r.resourceNames),
  }));
}

function aggregatedRules(role: KubeObject, all: KubeObject[]): PolicyRule[] {
  const agg = field(role, 'aggregationRule');
  const selectors = isJsonObject(agg) && Array.isArray(agg.clusterRoleSelectors) ? agg.clusterRoleSelectors : [];
  if (selectors.length === 0) return rulesOf(role);
  const parsed = selectors
    .filter(isJsonObject)
    .map((s) => parseLabelSelector(formatLabelSelector(s as unknown as LabelSelector)));
  const members = all.filter(
    (other) => other !== role && parsed.some((reqs) => matchesLabels(reqs, other.metadata.labels)),
  );
  return [...rulesOf(role), ...members.flatMap(rulesOf)];
}

function resourceMatches(rule: PolicyRule, resource: string, subresource: string): boolean {
  const combined = subresource === '' ? resource : `${resource}/${subresource}`;
  return rule.resources.some(
    (r) =>
      r === '*' ||
      r === combined ||
      (subresource !== '' && (r === `*/${subresource}` || r === `${resource}/*`)),
  );
}

function ruleAllows(rule: PolicyRule, attrs: AccessAttributes): boolean {
  if (!rule.verbs.includes('*') && !rule.verbs.includes(attrs.verb)) return false;
  if (!rule.apiGroups.includes('*') && !rule.apiGroups.includes(attrs.group)) return false;
  if (!resourceMatches(rule, attrs.resource, attrs.subresource ?? '')) return false;
  if (rule.resourceNames.length === 0) return true;
  return attrs.name !== undefined && attrs.name !== '' && rule.resourceNames.includes(attrs.name);
}

function subjectMatches(subject: JsonValue, user: UserInfo, bindingNamespace: string): boolean {
  if (!isJsonObject(subject) || typeof subject.name !== 'string') return false;
  switch (subject.kind) {
    case 'User':
      return subject.name === user.username;
    case 'Group':
      return (user.groups ?? []).includes(subject.name);
    case 'ServiceAccount': {
      const ns = typeof subject.namespace === 'string' && subject.namespace !== '' ? subject.namespace : bindingNamespace;
      return user.username === `system:serviceaccount:${ns}:${subject.name}`;
    }
    default:
      return false;
  }
}

function roleRefOf(binding: KubeObject): { kind: string; name: string } | undefined {
  const ref = field(binding, 'roleRef');
  if (!isJsonObject(ref) || typeof ref.kind !== 'string' || typeof ref.name !== 'string') return undefined;
  return { kind: ref.kind, name: ref.name };
}

function bound(binding: KubeObject, user: UserInfo): boolean {
  const subjects = field(binding, 'subjects');
  if (!Array.isArray(subjects)) return false;
  return subjects.some((s) => subjectMatches(s, user, binding.metadata.namespace ?? ''));
}

function describe(binding: KubeObject, ref: { kind: string; name: string }): string {
  const where = binding.kind === 'RoleBinding' ? ` of namespace "${binding.metadata.namespace ?? ''}"` : '';
  return `RBAC: allowed by ${binding.kind} "${binding.metadata.name ?? ''}"${where} of ${ref.kind} "${ref.name}"`;
}

/** The authorizer's answer for `user` asking to do `attrs`. A cluster-wide request needs a cluster-wide grant. */
export function authorizeRbac(user: UserInfo, attrs: AccessAttributes, rbac: RbacObjects): AccessDecision {
  if ((user.groups ?? []).includes(SUPERUSER_GROUP)) return { allowed: true };
  const clusterRole = (name: string): KubeObject | undefined =>
    rbac.clusterRoles.find((r) => r.metadata.name === name);
  const grants = (rules: PolicyRule[]): boolean => rules.some((r) => ruleAllows(r, attrs));
  for (const binding of rbac.clusterRoleBindings) {
    const ref = roleRefOf(binding);
    if (ref?.kind !== 'ClusterRole' || !bound(binding, user)) continue;
    const role = clusterRole(ref.name);
    if (role && grants(aggregatedRules(role, rbac.clusterRoles))) return { allowed: true, reason: describe(binding, ref) };
  }
  const namespace = attrs.namespace ?? '';
  if (namespace !== '') {
    for (const binding of rbac.roleBindings) {
      if (binding.metadata.namespace !== namespace || !bound(binding, user)) continue;
      const ref = roleRefOf(binding);
      if (ref === undefined) continue;
      const role =
        ref.kind === 'ClusterRole'
          ? clusterRole(ref.name)
          : rbac.roles.find((r) => r.metadata.namespace === namespace && r.metadata.name === ref.name);
      if (!role) continue;
      const rules = ref.kind === 'ClusterRole' ? aggregatedRules(role, rbac.clusterRoles) : rulesOf(role);
      if (grants(rules)) return { allowed: true, reason: describe(binding, ref) };
    }
  }
  return { allowed: false };
}
