// metav1.LabelSelector semantics: matchLabels AND matchExpressions; an empty selector matches everything.
// Plus Kyverno's wildcard matchLabels used by match/exclude selectors.
import type { LabelSelector } from '../../api/kube.js';
import { hasWildcard, wildcardMatch } from '../wildcard.js';

export function matchesLabelSelector(
  selector: LabelSelector,
  labels: Record<string, string> | undefined,
): boolean {
  const have = labels ?? {};
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) {
    if (have[k] !== v) return false;
  }
  for (const req of selector.matchExpressions ?? []) {
    const present = Object.prototype.hasOwnProperty.call(have, req.key);
    const value = have[req.key];
    switch (req.operator) {
      case 'In':
        if (!present || !(req.values ?? []).includes(value ?? '')) return false;
        break;
      case 'NotIn':
        if (present && (req.values ?? []).includes(value ?? '')) return false;
        break;
      case 'Exists':
        if (!present) return false;
        break;
      case 'DoesNotExist':
        if (present) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/**
 * Whether Kubernetes would accept the selector's expressions (metav1.LabelSelectorAsSelector):
 * In/NotIn need values, Exists/DoesNotExist must have none. Kyverno treats a selector it cannot
 * build as "does not match".
 */
export function isBuildableLabelSelector(selector: LabelSelector): boolean {
  for (const req of selector.matchExpressions ?? []) {
    const count = req.values?.length ?? 0;
    switch (req.operator) {
      case 'In':
      case 'NotIn':
        if (count === 0) return false;
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (count > 0) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

// Kubernetes rejects `*` and `?` in label keys and values, so Kyverno neutralises an unmatched
// wildcard entry into a literal that is very unlikely to exist.
function neutralise(s: string): string {
  return s.replace(/[*?]/g, '0');
}

/**
 * Kyverno's extension for match/exclude selectors: a `matchLabels` entry whose key or value holds
 * `*` or `?` is first replaced by the object's first label it matches (key and value both), then the
 * selector is evaluated as usual. matchExpressions are not expanded.
 */
export function expandWildcardMatchLabels(
  matchLabels: Record<string, string> | undefined,
  labels: Record<string, string> | undefined,
): Record<string, string> | undefined {
  if (matchLabels === undefined) return undefined;
  let expanded: Record<string, string> | undefined;
  for (const [key, value] of Object.entries(matchLabels)) {
    if (!hasWildcard(key) && !hasWildcard(value)) continue;
    expanded ??= {};
    let found = false;
    for (const [k, v] of Object.entries(labels ?? {})) {
      if (wildcardMatch(key, k) && wildcardMatch(value, v)) {
        expanded[k] = v;
        found = true;
        break;
      }
    }
    if (!found) expanded[neutralise(key)] = neutralise(value);
  }
  if (expanded === undefined) return matchLabels;
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(matchLabels)) {
    if (!hasWildcard(key) && !hasWildcard(value)) result[key] = value;
  }
  return Object.assign(result, expanded);
}

/** A match/exclude `selector` or `namespaceSelector`, with Kyverno's wildcard matchLabels. */
export function matchesWildcardLabelSelector(
  selector: LabelSelector,
  labels: Record<string, string> | undefined,
): boolean {
  if (!isBuildableLabelSelector(selector)) return false;
  const matchLabels = expandWildcardMatchLabels(selector.matchLabels, labels);
  if (matchLabels === selector.matchLabels) return matchesLabelSelector(selector, labels);
  return matchesLabelSelector({ ...selector, matchLabels }, labels);
}
