// Facts about a generate rule that decide how it can be reconciled in the background.
import type { JsonValue } from '../../api/json.js';
import type { KubeObject } from '../../api/kube.js';
import type { MatchResources, Rule } from '../../api/policy.js';
import { LABEL } from '../../engine/generate/labels.js';

/**
 * Variables that only an admission request carries. A rule that reads them cannot be re-evaluated
 * faithfully from the live trigger alone, so Sprout never deletes its downstream on such evidence.
 */
const ADMISSION_ONLY =
  /request\.(operation|userInfo|oldObject|roles|clusterRoles|dryRun|options|uid)|serviceAccountName|serviceAccountNamespace/;

function filters(m: MatchResources | undefined): MatchResources[] {
  if (!m) return [];
  return [m, ...(m.any ?? []), ...(m.all ?? [])];
}

/** Rules are immutable once loaded (a policy change brings new objects), so the answer is kept per rule. */
const admissionOnly = new WeakMap<Rule, boolean>();

/** True when the rule's outcome depends on who asked or how (operation, user, old object). */
export function usesAdmissionOnlyData(rule: Rule): boolean {
  let known = admissionOnly.get(rule);
  if (known === undefined) admissionOnly.set(rule, (known = readsAdmissionOnlyData(rule)));
  return known;
}

function readsAdmissionOnlyData(rule: Rule): boolean {
  const texts = JSON.stringify([
    rule.context ?? null,
    rule.preconditions ?? null,
    (rule.generate ?? null) as JsonValue,
  ]);
  if (ADMISSION_ONLY.test(texts)) return true;
  return [...filters(rule.match), ...filters(rule.exclude)].some(
    (f) =>
      (f.roles?.length ?? 0) > 0 ||
      (f.clusterRoles?.length ?? 0) > 0 ||
      (f.subjects?.length ?? 0) > 0 ||
      (f.resources?.operations?.length ?? 0) > 0,
  );
}

/** Answers kept per rule object, like usesAdmissionOnlyData's: they are asked for every key. */
const onDelete = new WeakMap<Rule, boolean>();
const operationInBackground = new WeakMap<Rule, 'CREATE' | 'UPDATE' | ''>();

/** Listing DELETE in `operations` means "generate when the trigger is deleted". */
export function generatesOnDelete(rule: Rule): boolean {
  let known = onDelete.get(rule);
  if (known === undefined) {
    known = filters(rule.match).some((f) => f.resources?.operations?.includes('DELETE') ?? false);
    onDelete.set(rule, known);
  }
  return known;
}

/** The operation to evaluate a rule with when no admission request is at hand. */
export function backgroundOperation(rule: Rule): 'CREATE' | 'UPDATE' | '' {
  let known = operationInBackground.get(rule);
  if (known === undefined) operationInBackground.set(rule, (known = operationOf(rule)));
  return known;
}

function operationOf(rule: Rule): 'CREATE' | 'UPDATE' | '' {
  const ops = new Set(filters(rule.match).flatMap((f) => f.resources?.operations ?? []));
  if (ops.size === 0) return '';
  if (ops.has('CREATE')) return 'CREATE';
  if (ops.has('UPDATE')) return 'UPDATE';
  return '';
}

export interface DownstreamKind {
  apiVersion: string;
  kind: string;
}

/**
 * The kinds a rule's downstream can have: its target, cloneList kinds, foreach targets. Kinds written
 * with variables cannot be known ahead and are left out (Kyverno warns about them for the same reason).
 */
export function downstreamKinds(rule: Rule): DownstreamKind[] {
  const g = rule.generate;
  if (!g) return [];
  const out: DownstreamKind[] = [];
  const add = (apiVersion: string | undefined, kind: string | undefined): void => {
    if (!apiVersion || !kind || apiVersion.includes('{{') || kind.includes('{{')) return;
    if (!out.some((k) => k.apiVersion === apiVersion && k.kind === kind)) out.push({ apiVersion, kind });
  };
  const addList = (kinds: string[] | undefined): void => {
    for (const k of kinds ?? []) {
      const i = k.lastIndexOf('/');
      add(i < 0 ? 'v1' : k.slice(0, i), i < 0 ? k : k.slice(i + 1));
    }
  };
  add(g.apiVersion, g.kind);
  addList(g.cloneList?.kinds);
  for (const fe of g.foreach ?? []) {
    add(fe.apiVersion, fe.kind);
    addList(fe.cloneList?.kinds);
  }
  return out;
}

/** What the rule copies from, for watching sources: clone targets and cloneList namespaces. */
export interface CloneSourceWatch {
  apiVersion: string;
  kind: string;
  /** '' with `labelled`: the namespace is a variable, so sources are followed in every namespace. */
  namespace: string;
  /**
   * Only sources already cloned (they carry `generate.kyverno.io/clone-source`): when the source
   * namespace is only known per trigger, watching the whole kind everywhere would cost too much.
   */
  labelled?: boolean;
}

const hasVariables = (s: string): boolean => s.includes('{{');

function parseKindRef(k: string): { apiVersion: string; kind: string } {
  const i = k.lastIndexOf('/');
  return { apiVersion: i < 0 ? 'v1' : k.slice(0, i), kind: i < 0 ? k : k.slice(i + 1) };
}

export function cloneSourceWatches(rule: Rule): CloneSourceWatch[] {
  const g = rule.generate;
  if (!g) return [];
  const out: CloneSourceWatch[] = [];
  const watch = (ref: { apiVersion: string; kind: string }, namespace: string): void => {
    if (hasVariables(`${ref.apiVersion}${ref.kind}`)) return;
    out.push(hasVariables(namespace) ? { ...ref, namespace: '', labelled: true } : { ...ref, namespace });
  };
  for (const p of [g, ...(g.foreach ?? [])]) {
    if (p.clone?.name && p.clone.namespace !== undefined && p.apiVersion && p.kind)
      watch({ apiVersion: p.apiVersion, kind: p.kind }, p.clone.namespace);
    if (p.cloneList?.kinds && p.cloneList.namespace !== undefined)
      for (const k of p.cloneList.kinds) watch(parseKindRef(k), p.cloneList.namespace);
  }
  return out;
}

export function isCloneRule(rule: Rule): boolean {
  const g = rule.generate;
  if (!g) return false;
  return [g, ...(g.foreach ?? [])].some(
    (p) => Boolean(p.clone?.name) || (p.cloneList?.kinds?.length ?? 0) > 0,
  );
}

/**
 * `skipBackgroundRequests` (default true): Kyverno ignores requests made by its own background
 * controller. Sprout's writes of that kind are its downstream, which carry Kyverno's management
 * labels, so a trigger that is itself generated is skipped unless the rule opts in with `false`.
 */
export function skipsAsGeneratedTrigger(rule: Rule, trigger: KubeObject): boolean {
  if (rule.skipBackgroundRequests === false) return false;
  const labels = trigger.metadata.labels ?? {};
  return labels[LABEL.managedBy] === 'kyverno' && (labels[LABEL.policyName] ?? '') !== '';
}
