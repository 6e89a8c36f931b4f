// What every rule type shares before it does its own work: does the rule select the resource,
// and the JSON context its variables see (request, CLI values, then the rule's context entries).
import type { JsonObject, JsonValue } from '../api/json.js';
import { isJsonObject } from '../api/json.js';
import type { GroupVersionKind, KubeObject } from '../api/kube.js';
import { gvkOf } from '../api/kube.js';
import type { KyvernoPolicy, Rule } from '../api/policy.js';
import { loadContext } from './context/load.js';
import type { EvalEnv } from './env.js';
import type { CompiledExpression } from './jmespath/index.js';
import { kyvernoFunctions } from './jmespath/kyverno/index.js';
import type { MatchMemo } from './match/index.js';
import { matchesRule, memoAnswer, UNKNOWN } from './match/index.js';
import type { PolicyRequest } from './request.js';
import { copyRequestRoot, sharedRequestContext } from './request.js';
import type { ContextValues } from './values.js';
import { EvalContext } from './variables/context.js';
import { imagesOf, ruleMayReadImages } from './images.js';
import { stringify, substituteAll } from './variables/substitute.js';

/** Does `rule` (match/exclude, and a namespaced Policy's own namespace) select `resource`? */
export function ruleSelects(
  policy: KyvernoPolicy,
  rule: Rule,
  req: PolicyRequest,
  resource: KubeObject | undefined,
  /** matchMemo(rule.match, rule.exclude), when the caller keeps one per rule. */
  memo?: MatchMemo,
): boolean {
  if (resource === undefined) return false;
  const gvk = cachedGvkOf(resource);
  // A cluster-wide policy whose match only names kinds has answered for this kind before: the answer
  // matchesRule() would give, without building its input.
  if (memo !== undefined && memo.byKind && policy.kind !== 'Policy') {
    const known = memoAnswer(memo, gvk, req.subresource ?? '');
    if (known !== UNKNOWN) return known === undefined;
  }
  const result = matchesRule(
    {
      resource,
      gvk,
      subresource: req.subresource,
      operation: req.operation,
      user: req.user,
      namespaceLabels: req.namespaceLabels,
      policyNamespace: policy.kind === 'Policy' ? (policy.metadata.namespace ?? 'default') : undefined,
    },
    rule.match,
    rule.exclude,
    false,
    memo,
  );
  return result.matched;
}

// Rules are matched one after another against the same resource: parse its apiVersion once.
let lastGvk: Readonly<GroupVersionKind> = Object.freeze(gvkOf({ apiVersion: '', kind: '' }));
let lastApiVersion = '';

function cachedGvkOf(resource: KubeObject): GroupVersionKind {
  if (resource.apiVersion !== lastApiVersion || resource.kind !== lastGvk.kind) {
    lastGvk = Object.freeze(gvkOf(resource));
    lastApiVersion = resource.apiVersion;
  }
  return lastGvk;
}

/** The JSON context of one rule: request, CLI values, then the rule's context entries. */
export async function ruleContext(
  rule: Rule,
  req: PolicyRequest,
  env: EvalEnv,
  values: ContextValues | undefined,
): Promise<EvalContext> {
  const { ctx, provided } = baseRuleContext(rule, req, env, values);
  await loadContext(rule.context, ctx, env, { operation: req.operation, provided });
  return ctx;
}

/** A rule's context before its context entries: request, `images`, CLI values (and their names). */
export function baseRuleContext(
  rule: Rule,
  req: PolicyRequest,
  env: EvalEnv,
  values: ContextValues | undefined,
): { ctx: EvalContext; provided: Set<string> | undefined } {
  const provided = values === undefined ? undefined : new Set<string>();
  return { ctx: requestRuleContext(rule, req, env, values, provided), provided };
}

/**
 * baseRuleContext() without the names of CLI values (for callers that load only computed context
 * entries, which the CLI values do not override), and without the wrapper object.
 */
export function requestRuleContext(
  rule: Rule,
  req: PolicyRequest,
  env: EvalEnv,
  values: ContextValues | undefined,
  provided?: Set<string>,
  /** ruleMayReadImages(rule), when the caller has it at hand. */
  readsImages: boolean = ruleMayReadImages(rule),
): EvalContext {
  const ctx = new EvalContext(sharedRequestContext(req), env, kyvernoFunctions, copyRequestRoot);
  if (readsImages) {
    const images = imagesOf(req.object ?? req.oldObject);
    if (images !== undefined) ctx.set('images', images);
  }
  if (values === undefined) return ctx;
  for (const source of [values.global, values.resource, values.rules?.[rule.name]?.values]) {
    for (const [k, v] of Object.entries(source ?? {})) {
      ctx.set(k, v);
      provided?.add(k.split('.')[0] ?? k);
    }
  }
  return ctx;
}

export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export function asObject(v: JsonValue | undefined): JsonObject | undefined {
  return isJsonObject(v) ? v : undefined;
}

/**
 * Resolves variables in condition keys and values (preconditions, deny) as Kyverno does: a variable
 * that cannot be resolved reads as the empty string instead of failing the rule.
 */
export function conditionResolver(
  ctx: EvalContext,
  operation: string,
  path: string,
): (v: JsonValue) => JsonValue {
  const lenient = lenientView(ctx);
  return (v) => substituteAll(v, lenient, { operation, path });
}

/** The context as preconditions and deny conditions read it: an unresolvable variable is '', as in Kyverno. */
export function lenientView(ctx: EvalContext): EvalContext {
  return new LenientEvalContext(ctx.data, ctx.functionContext(), kyvernoFunctions);
}

class LenientEvalContext extends EvalContext {
  override query(expression: string): JsonValue {
    try {
      return super.query(expression);
    } catch {
      return '';
    }
  }

  override evaluate(compiled: CompiledExpression): JsonValue {
    try {
      return super.evaluate(compiled);
    } catch {
      return '';
    }
  }

  override evaluateOrMissing(compiled: CompiledExpression): JsonValue {
    return this.evaluate(compiled);
  }
}

/** A foreach `list`: a JMESPath expression (variables allowed); a non-list result is one element. */
export function evaluateList(ctx: EvalContext, list: string, operation: string): JsonValue[] {
  const expr = stringify(substituteAll(list, ctx, { operation }));
  const listed = ctx.query(expr);
  return Array.isArray(listed) ? listed : [listed];
}

/** `element`, `elementIndex` and their nesting-numbered twins, plus CLI foreachValues. */
export function addElement(
  ctx: EvalContext,
  element: JsonValue,
  index: number,
  nesting: number,
  foreachValues?: Record<string, JsonValue[]>,
): void {
  ctx.set('element', element);
  ctx.set('elementIndex', index);
  ctx.set(`element${nesting}`, element);
  ctx.set(`elementIndex${nesting}`, index);
  for (const [name, vals] of Object.entries(foreachValues ?? {})) {
    const v = vals[index];
    if (v !== undefined) ctx.set(name, v);
  }
}
