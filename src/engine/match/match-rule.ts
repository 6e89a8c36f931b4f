// Does a rule's match/exclude select this request? Kyverno's semantics (pkg/engine/utils/match.go):
// - a namespaced Policy only sees resources in its own namespace;
// - match: `any` (one filter must match), else `all` (every filter), else the legacy inline filter;
// - exclude is consulted only after a match: `exclude.any` excludes when one filter matches,
//   `exclude.all` only when all do, the legacy inline filter when it matches.
// In background work (no request user) match-side user info is ignored; exclude-side user info is
// still checked against the empty user, so `exclude: {clusterRoles: [...]}` never excludes there.
import type { Operation, RequestUser } from '../../api/admission.js';
import type { GroupVersionKind, KubeObject } from '../../api/kube.js';
import type { MatchResources, ResourceFilter } from '../../api/policy.js';
import type { FilterInput } from './resource-filter.js';
import { filterMismatch, isEmptyResourceDescription, UNEXPLAINED } from './resource-filter.js';
import type { MatchMemo } from './kind-only.js';
import {
  byKind,
  knownAnswer,
  memoAnswer,
  memoMatchAnswer,
  memoRemember,
  memoRememberMatch,
  remember,
  UNKNOWN,
} from './kind-only.js';
import { isEmptyRequestUser, isEmptyUserInfoFilter } from './user-info.js';

export interface MatchInput {
  resource: KubeObject;
  /** GVK of the top-level resource (Pod for pods/exec), not of the subresource's payload. */
  gvk: GroupVersionKind;
  /** '' or undefined for the resource itself. */
  subresource?: string;
  /** '' (or undefined) in background work: rules restricted by `operations` never match then. */
  operation?: Operation | '';
  /** Undefined or empty in background work: match-side roles/clusterRoles/subjects are ignored. */
  user?: RequestUser;
  /** Labels of the resource's namespace; needed only when requiresNamespaceLabels() says so. */
  namespaceLabels?: Record<string, string>;
  /** Set for a namespaced Policy: the resource must live in this namespace. */
  policyNamespace?: string;
}

export type MatchResult = { matched: true } | { matched: false; reason: string };

const MATCHED: MatchResult = Object.freeze({ matched: true });
const UNEXPLAINED_MISS: MatchResult = Object.freeze({ matched: false, reason: UNEXPLAINED });

function noMatch(reason: string): MatchResult {
  return { matched: false, reason };
}

function legacyFilter(m: MatchResources): ResourceFilter {
  return { resources: m.resources, roles: m.roles, clusterRoles: m.clusterRoles, subjects: m.subjects };
}

function isEmptyFilter(f: ResourceFilter): boolean {
  return isEmptyResourceDescription(f.resources) && isEmptyUserInfoFilter(f);
}

/** Match side: an empty filter is an error in Kyverno ("match cannot be empty"), i.e. no match. */
function matchFilterMismatch(
  f: ResourceFilter,
  input: FilterInput,
  backgroundUser: boolean,
  explain: boolean,
): string | undefined {
  // In background work only the resource half counts (as if the filter had no user info).
  const empty = backgroundUser ? isEmptyResourceDescription(f.resources) : isEmptyFilter(f);
  if (empty) return 'match cannot be empty';
  return filterMismatch(f, input, explain, backgroundUser);
}

/** Exclude side: an empty filter excludes nothing. True when `f` excludes the request. */
function excludes(f: ResourceFilter, input: FilterInput): boolean {
  return !isEmptyFilter(f) && filterMismatch(f, input, false) === undefined;
}

function checkMatch(
  match: MatchResources,
  input: FilterInput,
  backgroundUser: boolean,
  explain: boolean,
): string | undefined {
  if (match.any != null && match.any.length > 0) {
    const reasons: string[] = [];
    for (let i = 0; i < match.any.length; i++) {
      const reason = matchFilterMismatch(match.any[i] as ResourceFilter, input, backgroundUser, explain);
      if (reason === undefined) return undefined;
      if (explain) reasons.push(`[${i}] ${reason}`);
    }
    return explain ? `no filter in match.any matched: ${reasons.join('; ')}` : UNEXPLAINED;
  }
  if (match.all != null && match.all.length > 0) {
    for (let i = 0; i < match.all.length; i++) {
      const reason = matchFilterMismatch(match.all[i] as ResourceFilter, input, backgroundUser, explain);
      if (reason !== undefined) return explain ? `match.all[${i}]: ${reason}` : UNEXPLAINED;
    }
    return undefined;
  }
  const reason = matchFilterMismatch(legacyFilter(match), input, backgroundUser, explain);
  return reason === undefined ? undefined : `match: ${reason}`;
}

function checkExclude(exclude: MatchResources, input: FilterInput): string | undefined {
  // Loops, not findIndex/every: a callback closing over `input` is allocated on every call.
  const any = exclude.any;
  if (any != null && any.length > 0) {
    for (let i = 0; i < any.length; i++) {
      if (excludes(any[i] as ResourceFilter, input)) return `rule excluded by exclude.any[${i}]`;
    }
    return undefined;
  }
  const all = exclude.all;
  if (all != null && all.length > 0) {
    for (let i = 0; i < all.length; i++) if (!excludes(all[i] as ResourceFilter, input)) return undefined;
    return 'rule excluded by exclude.all';
  }
  return excludes(legacyFilter(exclude), input) ? 'rule excluded by exclude' : undefined;
}

/**
 * Whether the rule selects the request; when not, the reason says which part failed (with `explain`
 * false, only that it did not match: for callers that never show the reason).
 */
export function matchesRule(
  input: MatchInput,
  match: MatchResources,
  exclude?: MatchResources,
  explain = true,
  /** matchMemo(match, exclude), kept by the caller for this very match/exclude pair. */
  memo?: MatchMemo,
): MatchResult {
  const { resource, policyNamespace } = input;
  const resourceNamespace = resource.metadata.namespace ?? '';
  if (policyNamespace !== undefined && policyNamespace !== '' && policyNamespace !== resourceNamespace) {
    return noMatch(
      `resource namespace "${resourceNamespace}" is not the policy namespace "${policyNamespace}"`,
    );
  }
  const subresource = input.subresource ?? '';
  const kindOnly = !explain && (memo !== undefined ? memo.byKind : byKind(match, exclude ?? undefined));
  if (kindOnly) {
    const known =
      memo !== undefined
        ? memoAnswer(memo, input.gvk, subresource)
        : knownAnswer(match, exclude ?? undefined, input.gvk, subresource);
    if (known !== UNKNOWN)
      return known === undefined ? MATCHED : known === UNEXPLAINED ? UNEXPLAINED_MISS : noMatch(known);
  }
  const filterInput: FilterInput = {
    resource,
    gvk: input.gvk,
    subresource,
    operation: input.operation ?? '',
    user: input.user,
    namespaceLabels: input.namespaceLabels,
  };
  let reason: string | undefined;
  // Only the match side names kinds alone: its verdict for this kind is kept, the exclude side
  // (names, namespaces, ...) is evaluated every time.
  if (!explain && memo !== undefined && memo.matchByKind) {
    const known = memoMatchAnswer(memo, input.gvk, subresource);
    if (known === UNKNOWN) {
      reason = checkMatch(match, filterInput, isEmptyRequestUser(input.user), explain);
      memoRememberMatch(memo, input.gvk, subresource, reason);
    } else reason = known;
  } else reason = checkMatch(match, filterInput, isEmptyRequestUser(input.user), explain);
  if (reason === undefined && exclude != null) reason = checkExclude(exclude, filterInput);
  if (kindOnly) {
    if (memo !== undefined) memoRemember(memo, input.gvk, subresource, reason);
    else remember(match, exclude ?? undefined, input.gvk, subresource, reason);
  }
  return reason === undefined ? MATCHED : noMatch(reason);
}
