// Which webhooks a request goes to: rules (operations, groups, versions, resources with
// subresources, scope), namespaceSelector and objectSelector, as kube-apiserver decides.
import type { KubeObject, LabelSelector } from '../../../api/kube.js';
import { formatLabelSelector, matchesLabels, parseLabelSelector } from '../../selectors.js';
import type { AdmissionAttributes, RuleWithOperations, Webhook } from './types.js';

const anyOf = (list: string[] | undefined, value: string): boolean => (list ?? []).some((x) => x === '*' || x === value);

function resourceMatches(patterns: string[] | undefined, resource: string, subResource: string): boolean {
  return (patterns ?? []).some((p) => {
    const slash = p.indexOf('/');
    if (slash < 0) return subResource === '' && (p === '*' || p === resource);
    const res = p.slice(0, slash);
    const sub = p.slice(slash + 1);
    return (res === '*' || res === resource) && (sub === '*' || sub === subResource);
  });
}

export function ruleMatches(rule: RuleWithOperations, a: AdmissionAttributes): boolean {
  if (!anyOf(rule.operations, a.operation)) return false;
  if (!anyOf(rule.apiGroups, a.resource.group) || !anyOf(rule.apiVersions, a.resource.version)) return false;
  if (!resourceMatches(rule.resources, a.resource.resource, a.subResource)) return false;
  const scope = rule.scope ?? '*';
  if (scope === 'Cluster') return !a.namespaced;
  if (scope === 'Namespaced') return a.namespaced;
  return true;
}

export function selectorMatches(selector: LabelSelector | undefined, labels: Record<string, string> | undefined): boolean {
  if (selector === undefined) return true;
  return matchesLabels(parseLabelSelector(formatLabelSelector(selector)), labels);
}

const labelsOf = (o: KubeObject | undefined): Record<string, string> | undefined => o?.metadata?.labels;

function isNamespaceRequest(a: AdmissionAttributes): boolean {
  return a.resource.group === '' && a.resource.resource === 'namespaces';
}

/**
 * `namespaceLabels` gives the labels of the request's namespace (only called for namespaced
 * requests). Webhook configurations themselves are never sent to webhooks, so a broken webhook
 * can always be removed.
 */
export async function webhookMatches(
  hook: Webhook,
  a: AdmissionAttributes,
  namespaceLabels: (ns: string) => Promise<Record<string, string> | undefined>,
): Promise<boolean> {
  if (a.resource.group === 'admissionregistration.k8s.io') return false;
  if (!(hook.rules ?? []).some((r) => ruleMatches(r, a))) return false;
  if (!selectorMatches(hook.objectSelector, labelsOf(a.object)) && !selectorMatches(hook.objectSelector, labelsOf(a.oldObject))) {
    return false;
  }
  if (hook.namespaceSelector === undefined) return true;
  if (isNamespaceRequest(a)) return selectorMatches(hook.namespaceSelector, labelsOf(a.object ?? a.oldObject));
  if (!a.namespaced) return true;
  return selectorMatches(hook.namespaceSelector, await namespaceLabels(a.namespace));
}
