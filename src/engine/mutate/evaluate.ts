// Mutate rules against one request, in order, each on the result of the previous one (Kyverno's
// engine.Mutate): autogen rules included, match/exclude, context, preconditions, then
// patchStrategicMerge, patchesJson6902 or foreach. Returns per-rule results, the patched object
// and the RFC 6902 patch from the original (what a mutating webhook answers).
import type { JsonValue } from '../../api/json.js';
import type { KubeObject } from '../../api/kube.js';
import type { KyvernoPolicy, Rule } from '../../api/policy.js';
import { computeRules } from '../autogen/autogen.js';
import { evaluateConditions } from '../conditions/index.js';
import type { EvalEnv } from '../env.js';
import { diffJsonPatch } from '../patch/diff.js';
import type { JsonPatchOperation } from '../patch/json-patch.js';
import type { PolicyRequest } from '../request.js';
import type { RuleStatus } from '../result.js';
import { conditionResolver, errorText, ruleContext, ruleSelects } from '../rule-context.js';
import type { ContextValues } from '../values.js';
import type { ForEachMutation } from './foreach.js';
import { mutateForEach } from './foreach.js';
import type { MutationStep } from './patcher.js';
import { applyPatches, mutatedMessage } from './patcher.js';

export interface MutateRuleOutcome {
  rule: string;
  status: RuleStatus;
  message: string;
  /** For `pass`: the RFC 6902 patch this rule applied. */
  patches: JsonPatchOperation[];
}

export interface MutateOutcome {
  rules: MutateRuleOutcome[];
  /** The object after every rule (the request's object when nothing applied). */
  resource: KubeObject;
  /** From the request's object to `resource`. */
  patches: JsonPatchOperation[];
}

export interface MutateOptions {
  values?: ContextValues;
  ruleNames?: ReadonlySet<string>;
  /** Add Kyverno's autogen rules for pod controllers (default true). */
  autogen?: boolean;
}

export async function evaluateMutate(
  policy: KyvernoPolicy,
  req: PolicyRequest,
  env: EvalEnv,
  options: MutateOptions = {},
): Promise<MutateOutcome> {
  const original = req.object;
  const rules = options.autogen === false ? policy.spec.rules : computeRules(policy);
  const out: MutateOutcome = { rules: [], resource: original ?? ({} as KubeObject), patches: [] };
  if (original === undefined || req.operation === 'DELETE') return out;
  let current = original;
  for (const rule of rules) {
    if (!rule.mutate || (Array.isArray(rule.mutate['targets']) && rule.mutate['targets'].length > 0))
      continue;
    if (options.ruleNames && !options.ruleNames.has(rule.name)) continue;
    const step = await mutateRule(policy, rule, { ...req, object: current }, env, options.values);
    if (step === undefined) continue;
    const patches =
      step.status === 'pass'
        ? diffJsonPatch(current as unknown as JsonValue, step.resource as unknown as JsonValue)
        : [];
    out.rules.push({
      rule: rule.name,
      status: step.status,
      message: step.status === 'pass' ? mutatedMessage(step.resource) : step.message,
      patches,
    });
    if (step.status === 'pass') current = step.resource;
    if (policy.spec.applyRules === 'One' && step.status !== 'skip') break;
  }
  out.resource = current;
  out.patches = diffJsonPatch(original as unknown as JsonValue, current as unknown as JsonValue);
  return out;
}

/** One rule on `req.object` (or, for mutate-existing, on `target` with `{{@}}` reading the target). */
export async function mutateRule(
  policy: KyvernoPolicy,
  rule: Rule,
  req: PolicyRequest,
  env: EvalEnv,
  values: ContextValues | undefined,
  target?: KubeObject,
): Promise<MutationStep | undefined> {
  const subject = req.object;
  if (subject === undefined || !ruleSelects(policy, rule, req, subject)) return undefined;
  const resource = target ?? subject;
  let ctx;
  try {
    ctx = await ruleContext(rule, req, env, values);
  } catch (e) {
    return { status: 'error', message: `failed to load context: ${errorText(e)}`, resource };
  }
  if (target !== undefined) ctx.set('target', target as unknown as JsonValue);
  try {
    const pre = evaluateConditions(
      rule.preconditions,
      conditionResolver(ctx, req.operation, '/preconditions'),
    );
    if (!pre.pass) {
      return {
        status: 'skip',
        message: ['preconditions not met', pre.message].filter((m) => m !== '').join('; '),
        resource,
      };
    }
  } catch (e) {
    return { status: 'error', message: `failed to evaluate preconditions: ${errorText(e)}`, resource };
  }
  const mutate = rule.mutate ?? {};
  if (Array.isArray(mutate['foreach'])) {
    return mutateForEach(mutate['foreach'] as unknown as ForEachMutation[], resource, {
      ctx,
      env,
      operation: req.operation,
      nesting: 0,
      foreachValues: values?.rules?.[rule.name]?.foreachValues,
    });
  }
  return applyPatches(mutate, resource, ctx, req.operation, target ? 'target' : undefined);
}
