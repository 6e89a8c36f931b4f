// Validate rules against one request, the way Kyverno's engine runs them: autogen rules included,
// match/exclude, rule context, preconditions (unresolved variables read as ''), then podSecurity,
// deny, pattern / anyPattern (an UPDATE whose old object fails alike is skipped) or foreach.
import type { JsonObject } from '../../api/json.js';
import type { KubeObject } from '../../api/kube.js';
import type { KyvernoPolicy, Rule } from '../../api/policy.js';
import { computeRules } from '../autogen/autogen.js';
import { evaluateConditions } from '../conditions/index.js';
import type { EvalEnv } from '../env.js';
import type { PolicyRequest } from '../request.js';
import type { RuleStatus } from '../result.js';
import { conditionResolver, errorText, ruleContext, ruleSelects } from '../rule-context.js';
import type { ContextValues } from '../values.js';
import { asCelSpec, celBindingsOf, validateCel } from './cel.js';
import type { FailureAction } from './failure-action.js';
import { failureAction } from './failure-action.js';
import type { PodSecuritySpec } from './pod-security.js';
import { validatePodSecurity } from './pod-security.js';
import type { ValidationSpec, Verdict } from './validation.js';
import { runValidation } from './validation.js';

export interface ValidateRuleOutcome {
  rule: string;
  status: RuleStatus;
  message: string;
  /** What a `fail` does at admission: Enforce denies, Audit only reports. */
  action: FailureAction;
  /** spec.emitWarning: admission returns the result as a warning. */
  emitWarning: boolean;
}

export interface ValidateOptions {
  values?: ContextValues;
  ruleNames?: ReadonlySet<string>;
  /** Add Kyverno's autogen rules for pod controllers (default true). */
  autogen?: boolean;
}

/**
 * Autogen output per policy object. Policies are values: loaders and the PolicyStore build a new
 * object for every version, never edit one in place, so the rules computed once stay right. Computing
 * them per request was most of the admission time.
 */
const autogenRules = new WeakMap<KyvernoPolicy, Rule[]>();

function rulesWithAutogen(policy: KyvernoPolicy): Rule[] {
  let rules = autogenRules.get(policy);
  if (rules === undefined) {
    rules = computeRules(policy);
    autogenRules.set(policy, rules);
  }
  return rules;
}

export async function evaluateValidate(
  policy: KyvernoPolicy,
  req: PolicyRequest,
  env: EvalEnv,
  options: ValidateOptions = {},
): Promise<ValidateRuleOutcome[]> {
  const rules = options.autogen === false ? policy.spec.rules : rulesWithAutogen(policy);
  const out: ValidateRuleOutcome[] = [];
  for (const rule of rules) {
    if (!rule.validate) continue;
    if (options.ruleNames && !options.ruleNames.has(rule.name)) continue;
    const verdict = await evaluateRule(policy, rule, req, env, options.values);
    if (verdict === undefined) continue;
    const subject = req.object ?? req.oldObject;
    out.push({
      rule: rule.name,
      ...verdict,
      action: failureAction(policy, rule, subject?.metadata.namespace, req.namespaceLabels),
      emitWarning: policy.spec.emitWarning === true,
    });
    if (policy.spec.applyRules === 'One' && verdict.status !== 'skip') break;
  }
  return out;
}

async function evaluateRule(
  policy: KyvernoPolicy,
  rule: Rule,
  req: PolicyRequest,
  env: EvalEnv,
  values: ContextValues | undefined,
): Promise<Verdict | undefined> {
  const subject = req.object ?? req.oldObject;
  if (!ruleSelects(policy, rule, req, subject) && !ruleSelects(policy, rule, req, req.oldObject))
    return undefined;
  const operation = req.operation;
  let ctx;
  try {
    ctx = await ruleContext(rule, req, env, values);
  } catch (e) {
    return { status: 'error', message: `failed to load context: ${errorText(e)}` };
  }
  try {
    const pre = evaluateConditions(rule.preconditions, conditionResolver(ctx, operation, '/preconditions'));
    if (!pre.pass) {
      return {
        status: 'skip',
        message: ['preconditions not met', pre.message].filter((m) => m !== '').join('; '),
      };
    }
  } catch (e) {
    return { status: 'error', message: `failed to evaluate preconditions: ${errorText(e)}` };
  }
  const validate = rule.validate ?? {};
  const isDelete = operation === 'DELETE';
  const cel = asCelSpec(validate['cel']);
  if (cel !== undefined) return validateCel(rule.name, cel, celBindingsOf(req));
  if (validate['podSecurity'] !== undefined) {
    if (isDelete || req.object === undefined) return undefined;
    return validatePodSecurity(
      rule.name,
      validate['podSecurity'] as unknown as PodSecuritySpec,
      asJson(req.object),
    );
  }
  const spec = validate as unknown as ValidationSpec;
  const message = typeof validate['message'] === 'string' ? validate['message'] : undefined;
  const state = {
    ruleName: rule.name,
    ruleMessage: message,
    ctx,
    env,
    operation,
    resource: isDelete ? undefined : req.object && asJson(req.object),
    nesting: 0,
    foreachValues: values?.rules?.[rule.name]?.foreachValues,
  };
  const verdict = await runValidation(spec, state);
  const patternRule =
    spec.deny === undefined && (spec.pattern !== undefined || spec.anyPattern !== undefined);
  if (verdict === undefined || !patternRule || operation !== 'UPDATE' || req.oldObject === undefined)
    return verdict;
  // Kyverno lets existing violations through: an UPDATE that fails exactly as the old object did.
  const before = await runValidation(spec, { ...state, resource: asJson(req.oldObject) });
  if (
    before !== undefined &&
    before.status === verdict.status &&
    before.message === verdict.message &&
    verdict.status !== 'pass'
  ) {
    return { status: 'skip', message: 'skipping modified resource as validation results have not changed' };
  }
  return verdict;
}

function asJson(o: KubeObject): JsonObject {
  return o as unknown as JsonObject;
}
