// Checks of a rule's match and exclude blocks.
import type { JsonValue } from '../api/json.js';
import type { MatchResources, ResourceDescription, ResourceFilter } from '../api/policy.js';
import { hasWildcard } from '../engine/wildcard.js';
import type { ScopeOracle } from './builtin-scopes.js';
import { pathsWithVariables } from './json-scan.js';
import { parseKindSelector, selectorApiVersion } from './kind-selector.js';
import type { ProblemList } from './problems.js';
import { child, index } from './problems.js';

export interface MatchCheckContext {
  problems: ProblemList;
  /** Set for a namespaced Policy: it may not select namespaces or cluster-wide kinds. */
  policyNamespace: string | undefined;
  scopeOf: ScopeOracle;
  background: boolean;
  /** generate, verifyImages and validate.foreach rules cannot match every kind. */
  wildcardKindForbidden: boolean;
}

interface FilterAt {
  filter: ResourceFilter;
  path: string;
}

function filtersOf(m: MatchResources, path: string): FilterAt[] {
  const list = (key: 'any' | 'all'): FilterAt[] =>
    (m[key] ?? []).map((filter, i) => ({ filter, path: index(child(path, key), i) }));
  const legacy = isLegacyUsed(m) ? [{ filter: m, path }] : [];
  return [...list('any'), ...list('all'), ...legacy];
}

function isLegacyUsed(m: MatchResources): boolean {
  return (
    m.resources !== undefined ||
    m.roles !== undefined ||
    m.clusterRoles !== undefined ||
    m.subjects !== undefined
  );
}

export function isEmptyDescription(rd: ResourceDescription | undefined): boolean {
  if (rd === undefined) return true;
  return (
    !rd.kinds?.length &&
    !rd.name &&
    !rd.names?.length &&
    !rd.namespaces?.length &&
    Object.keys(rd.annotations ?? {}).length === 0 &&
    rd.selector === undefined &&
    rd.namespaceSelector === undefined &&
    !rd.operations?.length
  );
}

function hasUserInfo(f: ResourceFilter): boolean {
  return Boolean(f.roles?.length || f.clusterRoles?.length || f.subjects?.length);
}

/** The filters that decide a match: `any`, else `all`, else the legacy inline filter. */
function decidingMatchFilters(m: MatchResources, path: string): FilterAt[] {
  if (m.any?.length) return m.any.map((filter, i) => ({ filter, path: index(child(path, 'any'), i) }));
  if (m.all?.length) return m.all.map((filter, i) => ({ filter, path: index(child(path, 'all'), i) }));
  return isLegacyUsed(m) ? [{ filter: m, path }] : [];
}

export function checkMatch(match: MatchResources | undefined, path: string, ctx: MatchCheckContext): void {
  if (match === undefined) {
    ctx.problems.error(path, 'match is required: select at least one kind');
    return;
  }
  checkShape(match, path, ctx);
  if (decidingMatchFilters(match, path).length === 0) {
    ctx.problems.error(path, 'match cannot be empty: resources with at least one kind are required');
  }
  for (const { filter, path: p } of decidingMatchFilters(match, path)) {
    if (isEmptyDescription(filter.resources)) {
      ctx.problems.error(
        child(p, 'resources'),
        'match cannot be empty: resources with at least one kind are required',
      );
    } else if (!filter.resources?.kinds?.length) {
      ctx.problems.error(child(child(p, 'resources'), 'kinds'), 'at least one kind is required');
    }
  }
}

export function checkExclude(
  exclude: MatchResources | undefined,
  path: string,
  ctx: MatchCheckContext,
): void {
  if (exclude === undefined) return;
  checkShape(exclude, path, ctx);
  for (const key of ['any', 'all'] as const) {
    (exclude[key] ?? []).forEach((f, i) => {
      if (isEmptyDescription(f.resources) && !hasUserInfo(f)) {
        ctx.problems.error(index(child(path, key), i), 'exclude filter cannot be empty');
      }
    });
  }
}

function checkShape(m: MatchResources, path: string, ctx: MatchCheckContext): void {
  const { problems } = ctx;
  if (m.any?.length && m.all?.length) problems.error(path, 'any and all cannot be used together');
  if ((m.any?.length || m.all?.length) && !isEmptyDescription(m.resources)) {
    problems.error(child(path, 'resources'), 'resources cannot be used together with any/all');
  }
  for (const p of pathsWithVariables(m as unknown as JsonValue, path)) {
    problems.error(p, 'variables are not allowed in match or exclude');
  }
  for (const { filter, path: p } of filtersOf(m, path)) {
    if (filter.resources !== undefined) checkDescription(filter.resources, child(p, 'resources'), ctx);
    checkUserInfo(filter, p, problems);
  }
}

function checkDescription(rd: ResourceDescription, path: string, ctx: MatchCheckContext): void {
  const { problems } = ctx;
  if (rd.name && rd.names?.length) problems.error(path, 'name and names cannot be used together');
  // Kyverno checks only `selector`: an empty namespaceSelector is accepted and selects every namespace.
  if (rd.selector !== undefined && !selectorHasWildcard(rd.selector) && selectorIsEmpty(rd.selector)) {
    problems.error(child(path, 'selector'), 'selector needs at least one requirement');
  }
  if (ctx.policyNamespace !== undefined && rd.namespaces?.length) {
    problems.error(child(path, 'namespaces'), 'a namespaced Policy cannot filter on namespaces');
  }
  const kinds = rd.kinds ?? [];
  kinds.forEach((k, i) => {
    if (ctx.policyNamespace === undefined || hasWildcard(k)) return;
    const sel = parseKindSelector(k);
    if (ctx.scopeOf(selectorApiVersion(sel), sel.kind) === 'Cluster') {
      problems.error(
        index(child(path, 'kinds'), i),
        `a namespaced Policy cannot match the cluster-wide kind ${k}`,
      );
    }
  });
  if (kinds.includes('*')) checkWildcardKinds(kinds, child(path, 'kinds'), ctx);
}

function checkWildcardKinds(kinds: string[], path: string, ctx: MatchCheckContext): void {
  if (kinds.length > 1) ctx.problems.error(path, 'kind "*" cannot be combined with other kinds');
  if (ctx.background) ctx.problems.error(path, 'kind "*" needs spec.background set to false');
  if (ctx.wildcardKindForbidden) {
    ctx.problems.error(path, 'kind "*" cannot be used in generate, verifyImages or validate.foreach rules');
  }
}

function selectorIsEmpty(sel: {
  matchLabels?: Record<string, string>;
  matchExpressions?: unknown[];
}): boolean {
  return Object.keys(sel.matchLabels ?? {}).length === 0 && (sel.matchExpressions ?? []).length === 0;
}

function selectorHasWildcard(sel: { matchLabels?: Record<string, string> }): boolean {
  return Object.entries(sel.matchLabels ?? {}).some(([k, v]) => hasWildcard(k) || hasWildcard(v));
}

function checkUserInfo(f: ResourceFilter, path: string, problems: ProblemList): void {
  (f.roles ?? []).forEach((r, i) => {
    if (r.split(':').length !== 2)
      problems.error(index(child(path, 'roles'), i), 'a role is written namespace:name');
  });
  (f.subjects ?? []).forEach((s, i) => {
    const p = index(child(path, 'subjects'), i);
    const kind: string = s.kind;
    if (kind !== 'User' && kind !== 'Group' && kind !== 'ServiceAccount') {
      problems.error(
        child(p, 'kind'),
        `unsupported subject kind ${JSON.stringify(kind)}: must be User, Group or ServiceAccount`,
      );
    }
    if (kind === 'ServiceAccount' && !s.namespace) {
      problems.error(child(p, 'namespace'), 'a ServiceAccount subject needs a namespace');
    }
  });
}
