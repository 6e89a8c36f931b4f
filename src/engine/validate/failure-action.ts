// Enforce or Audit for one resource: the rule's validate.failureAction, else the policy's
// validationFailureAction, then the first override whose namespaces / namespaceSelector match.
import type { JsonValue } from '../../api/json.js';
import { isJsonObject } from '../../api/json.js';
import type { LabelSelector } from '../../api/kube.js';
import type { KyvernoPolicy, Rule } from '../../api/policy.js';
import { matchesLabelSelector } from '../match/index.js';
import { wildcardMatch } from '../wildcard.js';

export type FailureAction = 'Enforce' | 'Audit';

function normalise(v: JsonValue | undefined): FailureAction | undefined {
  if (typeof v !== 'string') return undefined;
  const lower = v.toLowerCase();
  if (lower === 'enforce') return 'Enforce';
  if (lower === 'audit') return 'Audit';
  return undefined;
}

export function failureAction(
  policy: KyvernoPolicy,
  rule: Rule,
  namespace: string | undefined,
  namespaceLabels: Record<string, string> | undefined,
): FailureAction {
  const fromRule = normalise(rule.validate?.['failureAction']);
  const base = fromRule ?? normalise(policy.spec.validationFailureAction) ?? 'Audit';
  const overrides = rule.validate?.['failureActionOverrides'] ?? policy.spec.validationFailureActionOverrides;
  if (!Array.isArray(overrides) || namespace === undefined) return base;
  for (const o of overrides) {
    if (!isJsonObject(o)) continue;
    const action = normalise(o['action']);
    if (action === undefined) continue;
    const namespaces = Array.isArray(o['namespaces'])
      ? o['namespaces'].filter((n): n is string => typeof n === 'string')
      : [];
    const inList = namespaces.some((n) => wildcardMatch(n, namespace));
    const selector = isJsonObject(o['namespaceSelector'])
      ? (o['namespaceSelector'] as unknown as LabelSelector)
      : undefined;
    const bySelector =
      selector !== undefined &&
      namespaceLabels !== undefined &&
      matchesLabelSelector(selector, namespaceLabels);
    if (
      (namespaces.length > 0 && inList && (selector === undefined || bySelector)) ||
      (namespaces.length === 0 && bySelector)
    )
      return action;
  }
  return base;
}
