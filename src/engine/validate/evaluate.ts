// Validate rules against one request, the way Kyverno's engine runs them: autogen rules included,
// match/exclude, rule context, preconditions (unresolved variables read as ''), then cel, podSecurity,
// deny, pattern / anyPattern (an UPDATE whose old object fails alike is skipped) or foreach. Rules are
// compiled once (compiled-rule.ts) and run without awaiting unless their context reads the cluster.
import type { JsonObject } from '../../api/json.js';
import type { KubeObject } from '../../api/kube.js';
import type { KyvernoPolicy, Rule } from '../../api/policy.js';
import { computeRules } from '../autogen/autogen.js';
import type { EvalEnv } from '../env.js';
import type { PolicyRequest } from '../request.js';
import type { RuleStatus } from '../result.js';
import { errorText, ruleSelects } from '../rule-context.js';
import type { ContextValues } from '../values.js';
import type { EvalContext } from '../variables/context.js';
import type { CompiledValidateRule } from './compiled-rule.js';
import { compiledValidateRule } from './compiled-rule.js';
import type { BodyState } from './compiled-validation.js';
import { conditionsHold, runCompiledBody } from './compiled-validation.js';
import type { FailureAction } from './failure-action.js';
import { failureAction } from './failure-action.js';
import { evaluateGeneralRule, unchangedViolation } from './general-rule.js';
import { ruleKindVerdict } from './rule-kind.js';
import { LazyContext } from './rule-scope.js';
import type { Verdict } from './verdicts.js';
import { preconditionVerdict } from './verdicts.js';

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
  const subject = req.object ?? req.oldObject;
  for (const rule of rules) {
    if (!rule.validate) continue;
    if (options.ruleNames && !options.ruleNames.has(rule.name)) continue;
    if (!ruleSelects(policy, rule, req, subject) && !ruleSelects(policy, rule, req, req.oldObject)) continue;
    const compiled = compiledValidateRule(rule);
    const verdict = compiled.sync
      ? evaluateCompiledRule(compiled, req, env, options.values)
      : await evaluateGeneralRule(rule, req, env, options.values);
    if (verdict === undefined) continue;
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

/** One rule on the compiled path (exported for the tests that compare it with the general path). */
export function evaluateCompiledRule(
  c: CompiledValidateRule,
  req: PolicyRequest,
  env: EvalEnv,
  values: ContextValues | undefined,
): Verdict | undefined {
  const { rule } = c;
  const operation = req.operation;
  const lazy = new LazyContext({ ruleName: rule.name, req, env, values, needsImages: c.needsImages });
  const context = (): EvalContext => lazy.get();
  if (c.hasContext) {
    try {
      c.context.load(context(), operation);
    } catch (e) {
      return { status: 'error', message: `failed to load context: ${errorText(e)}` };
    }
  }
  const pre = preconditionVerdict(() => conditionsHold(c.preconditions, context, operation, '/preconditions'));
  if (pre) return pre;
  const kind = ruleKindVerdict(rule, req);
  if (kind !== 'body') return kind;
  const state: BodyState = {
    ruleName: rule.name,
    ruleMessage: c.message,
    operation,
    context,
    resource: operation === 'DELETE' ? undefined : req.object && asJson(req.object),
    element: undefined,
    nesting: 0,
    foreachValues: values?.rules?.[rule.name]?.foreachValues,
  };
  const verdict = runCompiledBody(c.body, state);
  const patternRule = c.body.deny === undefined && c.body.patterns !== undefined;
  if (verdict === undefined || !patternRule || operation !== 'UPDATE' || req.oldObject === undefined)
    return verdict;
  const before = runCompiledBody(c.body, { ...state, resource: asJson(req.oldObject) });
  return unchangedViolation(before, verdict) ?? verdict;
}

function asJson(o: KubeObject): JsonObject {
  return o as unknown as JsonObject;
}
