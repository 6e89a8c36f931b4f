// metav1.LabelSelector semantics: matchLabels AND matchExpressions; an empty selector matches everything.
import type { LabelSelector } from '../../api/kube.js';

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
