// Checks of a generate block that need no cluster: one way to produce the target, required target
// fields, no anchors in data, scope of targets and clone sources (through a scope oracle), and the
// namespace confinement of a namespaced Policy.
import type { JsonValue } from '../api/json.js';
import type { LabelSelector } from '../api/kube.js';
import type { CloneList, GeneratePattern, Generation, Rule } from '../api/policy.js';
import { hasWildcard } from '../engine/wildcard.js';
import type { ResourceScope, ScopeOracle } from './builtin-scopes.js';
import { hasVariable, pathsWithAnchors, pathsWithVariables } from './json-scan.js';
import { splitGroupVersionKind } from './kind-selector.js';
import type { ProblemList } from './problems.js';
import { child, index } from './problems.js';

export interface GenerateCheckContext {
  problems: ProblemList;
  /** Set for a namespaced Policy. */
  policyNamespace: string | undefined;
  scopeOf: ScopeOracle;
}

export function checkGenerate(rule: Rule, rulePath: string, ctx: GenerateCheckContext): void {
  const g = rule.generate;
  if (g === undefined) return;
  const gp = child(rulePath, 'generate');
  if (rule.match?.resources?.kinds?.includes(g.kind ?? '')) {
    ctx.problems.error(
      child(gp, 'kind'),
      `the generated kind ${g.kind} cannot also be matched in match.resources.kinds`,
    );
  }
  if (countSources(g) > 1) {
    ctx.problems.error(gp, 'only one of data, clone, cloneList or foreach can be used');
    return;
  }
  if (g.foreach !== undefined) {
    g.foreach.forEach((entry, i) => checkPattern(entry, index(child(gp, 'foreach'), i), ctx));
  } else {
    checkPattern(g, gp, ctx);
  }
}

function countSources(g: Generation): number {
  const clone = g.clone !== undefined && Boolean(g.clone.name || g.clone.namespace);
  return [g.data !== undefined, clone, g.cloneList?.kinds !== undefined, g.foreach !== undefined].filter(
    Boolean,
  ).length;
}

function checkPattern(pat: GeneratePattern, p: string, ctx: GenerateCheckContext): void {
  const { problems } = ctx;
  if (!pat.cloneList?.kinds?.length) {
    for (const field of ['apiVersion', 'kind', 'name'] as const) {
      if (!pat[field]) problems.error(child(p, field), `${field} is required unless cloneList is used`);
    }
  }
  for (const ap of pathsWithAnchors(pat.data, child(p, 'data'))) {
    problems.error(ap, 'anchors are not allowed in generate data');
  }
  const dynamic = [
    ...(pat.apiVersion !== undefined && hasVariable(pat.apiVersion) ? [child(p, 'apiVersion')] : []),
    ...(pat.kind !== undefined && hasVariable(pat.kind) ? [child(p, 'kind')] : []),
    ...pathsWithVariables(asJson(pat.clone), child(p, 'clone')),
    ...pathsWithVariables(asJson(pat.cloneList), child(p, 'cloneList')),
  ];
  for (const vp of dynamic) {
    problems.warning(
      vp,
      'contains a variable: the target or source kind cannot be checked before the rule runs',
    );
  }
  const selector = pat.cloneList?.selector;
  if (selector !== undefined && selectorStrings(selector).some(hasWildcard)) {
    problems.error(
      child(child(p, 'cloneList'), 'selector'),
      'wildcards (* and ?) are not supported in cloneList.selector',
    );
  }
  checkTargetScope(pat, p, ctx);
  if (pat.cloneList?.kinds?.length) checkCloneList(pat.cloneList, child(p, 'cloneList'), ctx);
}

function asJson(v: object | undefined): JsonValue | undefined {
  return v as JsonValue | undefined;
}

function selectorStrings(sel: LabelSelector): string[] {
  return [
    ...Object.entries(sel.matchLabels ?? {}).flat(),
    ...(sel.matchExpressions ?? []).flatMap((e) => [e.key, ...(e.values ?? [])]),
  ];
}

function knownScope(
  ctx: GenerateCheckContext,
  apiVersion: string | undefined,
  kind: string | undefined,
): ResourceScope | undefined {
  if (!apiVersion || !kind || hasVariable(apiVersion) || hasVariable(kind)) return undefined;
  return ctx.scopeOf(apiVersion, kind);
}

function checkTargetScope(pat: GeneratePattern, p: string, ctx: GenerateCheckContext): void {
  const { problems, policyNamespace } = ctx;
  const scope = knownScope(ctx, pat.apiVersion, pat.kind);
  const namespace = pat.namespace ?? '';
  if (scope === 'Namespaced' && namespace === '') {
    problems.error(child(p, 'namespace'), `namespace is required: ${pat.kind} is a namespaced kind`);
  }
  if (scope === 'Cluster' && namespace !== '') {
    problems.error(child(p, 'namespace'), `namespace must not be set: ${pat.kind} is a cluster-wide kind`);
  }
  if (policyNamespace === undefined) return;
  if (scope === 'Cluster') {
    problems.error(child(p, 'kind'), `a namespaced Policy cannot generate the cluster-wide kind ${pat.kind}`);
  } else if (pat.kind && namespace !== policyNamespace && !hasVariable(namespace)) {
    problems.error(
      child(p, 'namespace'),
      `a namespaced Policy can only generate into its own namespace ${JSON.stringify(policyNamespace)}, not ${JSON.stringify(namespace)}`,
    );
  }
  const clone = pat.clone;
  if (clone?.name && (clone.namespace ?? '') !== policyNamespace && !hasVariable(clone.namespace ?? '')) {
    problems.error(
      child(child(p, 'clone'), 'namespace'),
      `a namespaced Policy can only clone from its own namespace ${JSON.stringify(policyNamespace)}`,
    );
  }
}

function checkCloneList(cl: CloneList, p: string, ctx: GenerateCheckContext): void {
  const { problems, policyNamespace } = ctx;
  const kinds = cl.kinds ?? [];
  const scopes = kinds.map((k) => {
    const { apiVersion, kind } = splitGroupVersionKind(k);
    return hasVariable(k) ? undefined : ctx.scopeOf(apiVersion, kind);
  });
  const namespace = cl.namespace ?? '';
  if (policyNamespace !== undefined) {
    scopes.forEach((s, i) => {
      if (s === 'Cluster') {
        problems.error(
          index(child(p, 'kinds'), i),
          `a namespaced Policy cannot clone the cluster-wide kind ${kinds[i]}`,
        );
      }
    });
    if (namespace !== policyNamespace && !hasVariable(namespace)) {
      problems.error(
        child(p, 'namespace'),
        `a namespaced Policy can only clone from its own namespace ${JSON.stringify(policyNamespace)}`,
      );
    }
  }
  if (scopes.some((s) => s === undefined)) return;
  const clusterWide = scopes.filter((s) => s === 'Cluster').length;
  if (clusterWide !== 0 && clusterWide !== scopes.length) {
    problems.error(child(p, 'kinds'), 'cloneList kinds must be all namespaced or all cluster-wide');
  } else if (clusterWide === 0 && namespace === '') {
    problems.error(child(p, 'namespace'), 'namespace is required to clone namespaced kinds');
  } else if (clusterWide > 0 && namespace !== '' && policyNamespace === undefined) {
    problems.error(child(p, 'namespace'), 'namespace must not be set to clone cluster-wide kinds');
  }
}
