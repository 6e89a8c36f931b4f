// One match/exclude filter ({resources, roles, clusterRoles, subjects}) against one request.
// AND across fields, OR inside a list. Returns the first reason it does not match, so callers can
// explain a decision; undefined means the filter matches. Follows Kyverno's
// pkg/engine/utils/match.go field by field, including its edge cases (documented inline).
import type { Operation, RequestUser } from '../../api/admission.js';
import type { GroupVersionKind, KubeObject } from '../../api/kube.js';
import type { ResourceDescription, ResourceFilter } from '../../api/policy.js';
import { wildcardMatch } from '../wildcard.js';
import { anyKindMatches } from './kind-selector.js';
import { matchesWildcardLabelSelector } from './label-selector.js';
import { userInfoMismatch } from './user-info.js';

export interface FilterInput {
  resource: KubeObject;
  gvk: GroupVersionKind;
  subresource: string;
  operation: Operation | '';
  user: RequestUser | undefined;
  namespaceLabels: Record<string, string> | undefined;
}

/** True when a ResourceDescription sets no field at all (YAML null counts as unset). */
export function isEmptyResourceDescription(rd: ResourceDescription | undefined): boolean {
  if (rd == null) return true;
  return (
    rd.kinds == null &&
    (rd.name ?? '') === '' &&
    rd.names == null &&
    rd.namespaces == null &&
    rd.annotations == null &&
    rd.selector == null &&
    rd.namespaceSelector == null &&
    rd.operations == null
  );
}

function list(values: readonly string[]): string {
  return `[${values.join(', ')}]`;
}

function annotationsMatch(wanted: Record<string, string>, have: Record<string, string> | undefined): boolean {
  const actual = Object.entries(have ?? {});
  for (const [key, value] of Object.entries(wanted)) {
    if (!actual.some(([k, v]) => wildcardMatch(key, k) && wildcardMatch(value, v))) return false;
  }
  return true;
}

/** `patterns.some((p) => wildcardMatch(p, value))`, without a closure per call. */
function anyWildcardMatches(patterns: readonly string[], value: string): boolean {
  for (let i = 0; i < patterns.length; i++) if (wildcardMatch(patterns[i] as string, value)) return true;
  return false;
}

/** The reason given when the caller did not ask for an explanation (explain = false). */
export const UNEXPLAINED = 'does not match';

/**
 * Why `rd` does not select the request, or undefined when it does. With `explain` false the reason is
 * always UNEXPLAINED: callers that only need the verdict skip formatting messages.
 */
export function resourceMismatch(
  rd: ResourceDescription,
  input: FilterInput,
  explain = true,
): string | undefined {
  const { resource, gvk, subresource } = input;
  // Operations first: a background request (operation '') never satisfies an operations list.
  if (rd.operations != null && rd.operations.length > 0 && !rd.operations.includes(input.operation)) {
    return explain ? `operation "${input.operation}" not in ${list(rd.operations)}` : UNEXPLAINED;
  }
  if (rd.kinds != null && rd.kinds.length > 0 && !anyKindMatches(rd.kinds, gvk, subresource)) {
    const shown = subresource === '' ? gvk.kind : `${gvk.kind}/${subresource}`;
    return explain ? `kind ${shown} not in ${list(rd.kinds)}` : UNEXPLAINED;
  }
  const name = resource.metadata.name || (resource.metadata.generateName ?? '');
  if (rd.name != null && rd.name !== '' && !wildcardMatch(rd.name, name)) {
    return explain ? `name "${name}" does not match ${rd.name}` : UNEXPLAINED;
  }
  if (rd.names != null && rd.names.length > 0 && !anyWildcardMatches(rd.names, name)) {
    return explain ? `name "${name}" not in ${list(rd.names)}` : UNEXPLAINED;
  }
  if (rd.namespaces != null && rd.namespaces.length > 0) {
    // A Namespace is "in" itself, so `namespaces: [prod-*]` selects the prod-* Namespace objects too.
    const ns =
      resource.kind === 'Namespace' ? (resource.metadata.name ?? '') : (resource.metadata.namespace ?? '');
    if (!anyWildcardMatches(rd.namespaces, ns))
      return explain ? `namespace "${ns}" not in ${list(rd.namespaces)}` : UNEXPLAINED;
  }
  if (rd.annotations != null && Object.keys(rd.annotations).length > 0) {
    if (!annotationsMatch(rd.annotations, resource.metadata.annotations)) return 'annotations do not match';
  }
  if (rd.selector != null && !matchesWildcardLabelSelector(rd.selector, resource.metadata.labels)) {
    return 'labels do not match selector';
  }
  if (rd.namespaceSelector != null) {
    if (resource.kind === 'Namespace') return 'namespaceSelector does not apply to Namespace objects';
    // Kyverno skips the check for a kind-less object unless the rule matches every kind.
    const applies = resource.kind !== '' || (rd.kinds ?? []).includes('*');
    if (applies && !matchesWildcardLabelSelector(rd.namespaceSelector, input.namespaceLabels)) {
      return 'namespace labels do not match namespaceSelector';
    }
  }
  return undefined;
}

/** Why `filter` (resources + user info) does not select the request, or undefined when it does. */
export function filterMismatch(
  filter: ResourceFilter,
  input: FilterInput,
  explain = true,
  ignoreUser = false,
): string | undefined {
  if (filter.resources != null) {
    const reason = resourceMismatch(filter.resources, input, explain);
    if (reason !== undefined) return reason;
  }
  return ignoreUser ? undefined : userInfoMismatch(filter, input.user);
}
