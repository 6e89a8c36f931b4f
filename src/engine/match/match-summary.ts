// What a rule's match/exclude needs or selects, without evaluating it: lets callers skip the
// namespace lookup when no namespaceSelector is present, and index policies by kind.
import type { MatchResources, ResourceDescription } from '../../api/policy.js';

function descriptions(m: MatchResources | undefined): ResourceDescription[] {
  if (m == null) return [];
  const out: ResourceDescription[] = [];
  if (m.resources != null) out.push(m.resources);
  for (const f of m.any ?? []) if (f.resources != null) out.push(f.resources);
  for (const f of m.all ?? []) if (f.resources != null) out.push(f.resources);
  return out;
}

/** True when any match or exclude filter has a namespaceSelector (so namespace labels are needed). */
export function requiresNamespaceLabels(match: MatchResources, exclude?: MatchResources): boolean {
  return [...descriptions(match), ...descriptions(exclude)].some((rd) => rd.namespaceSelector != null);
}

/** Every kind selector listed in match (legacy, any and all), deduplicated, in order of appearance. */
export function kindsOf(match: MatchResources): string[] {
  const seen = new Set<string>();
  for (const rd of descriptions(match)) {
    for (const k of rd.kinds ?? []) seen.add(k);
  }
  return [...seen];
}
