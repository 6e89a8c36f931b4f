// A validate rule whose context entries read the cluster (configMap, apiCall, globalReference, at the
// rule or in a foreach): context loads are awaited, and the body runs through validation.ts. Every
// other rule takes the compiled path in evaluate.ts; both give the same verdicts.
import type { JsonObject } from '../../api/json.js';
import type { KubeObject } from '../../api/kube.js';
import type { Rule } from '../../api/policy.js';
import { evaluateConditions } from '../conditions/index.js';
import type { EvalEnv } from '../env.js';
import type { PolicyRequest } from '../request.js';
import { conditionResolver, errorText, ruleContext } from '../rule-context.js';
import type { ContextValues } from '../values.js';
import { ruleKindVerdict } from './rule-kind.js';
import type { ValidationSpec, Verdict } from './validation.js';
import { runValidation } from './validation.js';
import { preconditionVerdict } from './verdicts.js';

export async function evaluateGeneralRule(
  rule: Rule,
  req: PolicyRequest,
  env: EvalEnv,
  values: ContextValues | undefined,
): Promise<Verdict | undefined> {
  const operation = req.operation;
  let ctx;
  try {
    ctx = await ruleContext(rule, req, env, values);
  } catch (e) {
    return { status: 'error', message: `failed to load context: ${errorText(e)}` };
  }
  const pre = preconditionVerdict(() => evaluateConditions(rule.preconditions, conditionResolver(ctx, operation, '/preconditions')));
  if (pre) return pre;
  const kind = ruleKindVerdict(rule, req);
  if (kind !== 'body') return kind;
  const validate = rule.validate ?? {};
  const isDelete = operation === 'DELETE';
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
  const before = await runValidation(spec, { ...state, resource: asJson(req.oldObject) });
  return unchangedViolation(before, verdict) ?? verdict;
}

/**
 * Kyverno lets existing violations through: an UPDATE whose pattern check fails exactly as the old
 * object's did is skipped.
 */
export function unchangedViolation(before: Verdict | undefined, verdict: Verdict): Verdict | undefined {
  if (
    before !== undefined &&
    before.status === verdict.status &&
    before.message === verdict.message &&
    verdict.status !== 'pass'
  ) {
    return { status: 'skip', message: 'skipping modified resource as validation results have not changed' };
  }
  return undefined;
}

function asJson(o: KubeObject): JsonObject {
  return o as unknown as JsonObject;
}
