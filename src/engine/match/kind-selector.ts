// Kind selectors as Kyverno writes them in match/exclude `kinds`: `Pod`, `v1/Pod`, `*/Pod`,
// `apps/v1/Deployment`, `Pod/exec`, `Pod.status`, `v1/Pod/status`, `apps/v1/Deployment/scale`, `*/*`,
// `*/scale`. Every part is a wildcard pattern. Selectors are parsed once and memoised because the
// same few strings are matched on every admission request.
import type { GroupVersionKind } from '../../api/kube.js';
import { wildcardMatch } from '../wildcard.js';

export interface KindSelector {
  group: string;
  version: string;
  kind: string;
  /** '' means "the resource itself, not a subresource" (except the ephemeralcontainers allowance). */
  subresource: string;
  /** False for selectors with more than four parts: Kyverno parses them to nothing, so they never match. */
  valid: boolean;
}

// A leading segment that is a version (or `*`) turns `x/Kind` into version/kind instead of kind/subresource.
const versionPattern = /^(v\d+((alpha|beta)\d+)?|\*)$/;

const cache = new Map<string, KindSelector>();

function selector(group: string, version: string, kind: string, subresource: string): KindSelector {
  return { group, version, kind, subresource, valid: true };
}

function parse(input: string): KindSelector {
  // Only the last segment may use `.` as the kind/subresource separator (groups contain dots).
  const slashParts = input.split('/');
  const last = slashParts.pop() ?? '';
  const parts = [...slashParts, ...last.split('.')];
  const [a = '', b = '', c = '', d = ''] = parts;
  switch (parts.length) {
    case 1:
      return selector('*', '*', a, '');
    case 2:
      if (a === '*' && b === '*') return selector('*', '*', '*', '*');
      // `*/scale`: a lower-case second part names a subresource of any kind.
      if (a === '*' && b.toLowerCase() === b) return selector('*', '*', '*', b);
      if (versionPattern.test(a)) return selector('*', a, b, '');
      return selector('*', '*', a, b);
    case 3:
      if (versionPattern.test(a)) return selector('*', a, b, c);
      return selector(a, b, c, '');
    case 4:
      return selector(a, b, c, d);
    default:
      return { group: '', version: '', kind: '', subresource: '', valid: false };
  }
}

/** Parses a `kinds` entry into its group/version/kind/subresource patterns (memoised). */
export function parseKindSelector(input: string): KindSelector {
  let parsed = cache.get(input);
  if (parsed === undefined) {
    parsed = Object.freeze(parse(input));
    if (cache.size > 10_000) cache.clear();
    cache.set(input, parsed);
  }
  return parsed;
}

function isCorePod(gvk: GroupVersionKind): boolean {
  return gvk.group === '' && gvk.version === 'v1' && gvk.kind === 'Pod';
}

/**
 * True when a request on `gvk` (the top-level resource's kind, e.g. Pod for pods/exec) and
 * `subresource` ('' for the resource itself) is selected by `selector`.
 *
 * Like Kyverno's engine, any selector whose group/version/kind matches core v1 Pod also selects the
 * `ephemeralcontainers` subresource, for backward compatibility with policies written for `Pod`
 * before ephemeral containers became a subresource.
 */
export function kindMatches(
  selector: string | KindSelector,
  gvk: GroupVersionKind,
  subresource: string,
): boolean {
  const s = typeof selector === 'string' ? parseKindSelector(selector) : selector;
  if (!s.valid) return false;
  if (!partMatches(s.kind, gvk.kind)) return false;
  if (!partMatches(s.version, gvk.version)) return false;
  if (!partMatches(s.group, gvk.group)) return false;
  if (partMatches(s.subresource, subresource)) return true;
  return subresource === 'ephemeralcontainers' && isCorePod(gvk);
}

// Most selector parts are `*` or a plain name: answer those without the wildcard regex.
function partMatches(pattern: string, value: string): boolean {
  return pattern === '*' || pattern === value || wildcardMatch(pattern, value);
}

/** OR over a `kinds` list. */
export function anyKindMatches(
  selectors: readonly string[],
  gvk: GroupVersionKind,
  subresource: string,
): boolean {
  for (const s of selectors) {
    if (kindMatches(s, gvk, subresource)) return true;
  }
  return false;
}
