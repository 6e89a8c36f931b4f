// Generate rules against one request: Kyverno's trigger filter (pass / fail / skip / error, or not
// applicable) and, for passing rules, the plan of downstream objects.
import type { JsonValue } from '../../api/json.js';
import type { KubeObject } from '../../api/kube.js';
import type { KyvernoPolicy, Rule } from '../../api/policy.js';
import { evaluateConditions } from '../conditions/index.js';
import type { EvalEnv } from '../env.js';
import type { PolicyRequest } from '../request.js';
import type { RuleStatus } from '../result.js';
import type { ContextValues } from '../values.js';
import type { EvalContext } from '../variables/context.js';
import { errorText, ruleContext, ruleSelects } from '../rule-context.js';
import { substituteAll } from '../variables/substitute.js';
import { buildPlan } from './build-plan.js';
import type { GeneratePlan } from './plan.js';

export interface GenerateRuleOutcome {
  rule: string;
  status: RuleStatus;
  message: string;
  /** The object the rule's downstream belongs to: the new object, or the old one when it stopped matching. */
  trigger: KubeObject;
  /** For `pass`: what should exist. */
  plan?: GeneratePlan;
  /** For `fail`: the downstream of `trigger` should be deleted (synchronize is on). */
  deleteDownstream?: boolean;
}

export interface GenerateOptions {
  values?: ContextValues;
  /** Only these rules (the controller reconciles one rule at a time). */
  ruleNames?: ReadonlySet<string>;
}

export async function evaluateGenerate(
  policy: KyvernoPolicy,
  req: PolicyRequest,
  env: EvalEnv,
  options: GenerateOptions = {},
): Promise<GenerateRuleOutcome[]> {
  const out: GenerateRuleOutcome[] = [];
  for (const rule of policy.spec.rules) {
    if (!rule.generate) continue;
    if (options.ruleNames && !options.ruleNames.has(rule.name)) continue;
    const outcome = await evaluateRule(policy, rule, req, env, options.values);
    if (outcome === undefined) continue;
    out.push(outcome);
    if (policy.spec.applyRules === 'One' && outcome.status !== 'skip') break;
  }
  return out;
}

const matches = ruleSelects;

/** Explicitly listing DELETE means "generate when the trigger is deleted", with the deleted object as trigger. */
function generatesOnDelete(rule: Rule): boolean {
  const lists = [
    rule.match.resources,
    ...(rule.match.any ?? []).map((f) => f.resources),
    ...(rule.match.all ?? []).map((f) => f.resources),
  ];
  return lists.some((r) => r?.operations?.includes('DELETE') ?? false);
}

async function evaluateRule(
  policy: KyvernoPolicy,
  rule: Rule,
  req: PolicyRequest,
  env: EvalEnv,
  values: ContextValues | undefined,
): Promise<GenerateRuleOutcome | undefined> {
  const gen = rule.generate;
  if (!gen) return undefined;
  const onDelete = req.operation === 'DELETE' && generatesOnDelete(rule);
  const subject = onDelete ? req.oldObject : req.object;
  if (!matches(policy, rule, req, subject)) {
    if (req.oldObject !== undefined && matches(policy, rule, req, req.oldObject)) {
      return {
        rule: rule.name,
        status: 'fail',
        message: 'the trigger no longer matches the rule',
        trigger: req.oldObject,
        deleteDownstream: gen.synchronize === true,
      };
    }
    return undefined;
  }
  const trigger = subject as KubeObject;
  let ctx: EvalContext;
  try {
    ctx = await ruleContext(rule, req, env, values);
  } catch {
    // Kyverno treats a rule whose context cannot load as not applicable to this request.
    return undefined;
  }
  const resolve = (v: JsonValue): JsonValue =>
    substituteAll(v, ctx, { operation: req.operation, path: '/preconditions' });
  try {
    const now = evaluateConditions(rule.preconditions, resolve);
    if (!now.pass) {
      if (req.oldObject !== undefined && req.object !== undefined && !onDelete) {
        const before = await ruleContext(rule, { ...req, object: req.oldObject }, env, values);
        const old = evaluateConditions(rule.preconditions, (v) =>
          substituteAll(v, before, { operation: req.operation, path: '/preconditions' }),
        );
        if (old.pass) {
          return {
            rule: rule.name,
            status: 'fail',
            message: 'the trigger no longer satisfies the preconditions',
            trigger: req.oldObject,
            deleteDownstream: gen.synchronize === true,
          };
        }
      }
      return {
        rule: rule.name,
        status: 'skip',
        message: `preconditions not met${now.message ? `: ${now.message}` : ''}`,
        trigger,
      };
    }
  } catch (e) {
    return {
      rule: rule.name,
      status: 'error',
      message: `failed to evaluate preconditions: ${errorText(e)}`,
      trigger,
    };
  }
  const plan = await buildPlan({
    policy,
    rule,
    trigger,
    ctx,
    env,
    operation: req.operation,
    values: values?.rules?.[rule.name],
  });
  const message = plan.errors.length > 0 ? plan.errors.join('; ') : 'rule applied';
  return { rule: rule.name, status: 'pass', message, trigger, plan };
}

export { asObject, errorText, ruleContext } from '../rule-context.js';
