// Generate rules against one request: Kyverno's trigger filter (pass / fail / skip / error, or not
// applicable) and, for passing rules, the plan of downstream objects.
// Rules are compiled once (compiled-rule.ts). A rule whose context entries only compute runs
// synchronously from start to end; one that reads the cluster awaits its lookups.
import type { KubeObject } from '../../api/kube.js';
import type { KyvernoPolicy } from '../../api/policy.js';
import type { ConditionsOutcome } from '../conditions/index.js';
import { evaluateCompiledConditions } from '../conditions/compiled.js';
import type { EvalEnv } from '../env.js';
import type { PolicyRequest } from '../request.js';
import type { RuleStatus } from '../result.js';
import type { ContextValues } from '../values.js';
import type { EvalContext } from '../variables/context.js';
import type { RenderOptions } from '../variables/doc-template.js';
import { errorText, requestRuleContext, ruleContext, ruleSelects } from '../rule-context.js';
import { buildPlan, buildPlanSync } from './build-plan.js';
import type { CompiledGenerateRule } from './compiled-rule.js';
import { compiledGeneratePolicy, compiledGenerateRule } from './compiled-rule.js';
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

// The default for callers that pass no options (read only): not a new object per call.
const NO_OPTIONS: GenerateOptions = Object.freeze({});

export async function evaluateGenerate(
  policy: KyvernoPolicy,
  req: PolicyRequest,
  env: EvalEnv,
  options: GenerateOptions = NO_OPTIONS,
): Promise<GenerateRuleOutcome[]> {
  const sync = evaluateGenerateSync(policy, req, env, options);
  if (sync !== undefined) return sync;
  const out: GenerateRuleOutcome[] = [];
  for (const rule of policy.spec.rules) {
    if (!rule.generate) continue;
    if (options.ruleNames && !options.ruleNames.has(rule.name)) continue;
    const compiled = compiledGenerateRule(rule);
    const outcome = compiled.sync
      ? evaluateRuleSync(policy, compiled, req, env, options.values)
      : await evaluateRule(policy, compiled, req, env, options.values);
    if (outcome === undefined) continue;
    out.push(outcome);
    if (policy.spec.applyRules === 'One' && outcome.status !== 'skip') break;
  }
  return out;
}

/**
 * evaluateGenerate() without a promise, for policies whose generate rules need no lookups (every
 * context entry only computes); undefined when one of them reads the cluster. Callers that evaluate
 * many policies per request try this first and await evaluateGenerate() only for the rest.
 */
export function evaluateGenerateSync(
  policy: KyvernoPolicy,
  req: PolicyRequest,
  env: EvalEnv,
  options: GenerateOptions = NO_OPTIONS,
): GenerateRuleOutcome[] | undefined {
  const compiled = compiledGeneratePolicy(policy);
  const names = options.ruleNames;
  if (!compiled.sync) {
    if (names === undefined) return undefined;
    for (const c of compiled.rules) if (!c.sync && names.has(c.rule.name)) return undefined;
  }
  // Created by the first outcome: most policies have one rule (a one-slot array instead of push()'s
  // default growth to 17), and no empty array is made only to be replaced.
  let out: GenerateRuleOutcome[] | undefined;
  const rules = compiled.rules;
  for (let i = 0; i < rules.length; i++) {
    const c = rules[i] as CompiledGenerateRule;
    if (names && !names.has(c.rule.name)) continue;
    const outcome = evaluateRuleSync(policy, c, req, env, options.values);
    if (outcome === undefined) continue;
    if (out === undefined) out = [outcome];
    else out.push(outcome);
    if (policy.spec.applyRules === 'One' && outcome.status !== 'skip') break;
  }
  return out ?? [];
}

/** Matching decided the rule's outcome (undefined: not applicable) before anything else ran. */
class Decided {
  constructor(readonly outcome: GenerateRuleOutcome | undefined) {}
}

const NOT_APPLICABLE = new Decided(undefined);

/** The trigger to go on with (the common case, returned without a wrapper), or the decision. */
function matchStep(
  policy: KyvernoPolicy,
  c: CompiledGenerateRule,
  req: PolicyRequest,
  onDelete: boolean,
): KubeObject | Decided {
  const { rule } = c;
  const subject = onDelete ? req.oldObject : req.object;
  if (ruleSelects(policy, rule, req, subject, c.matchMemo)) return subject as KubeObject;
  if (req.oldObject !== undefined && ruleSelects(policy, rule, req, req.oldObject, c.matchMemo)) {
    return new Decided({
      rule: rule.name,
      status: 'fail',
      message: 'the trigger no longer matches the rule',
      trigger: req.oldObject,
      deleteDownstream: rule.generate?.synchronize === true,
    });
  }
  return NOT_APPLICABLE;
}

function preconditions(c: CompiledGenerateRule, ctx: EvalContext, operation: string): ConditionsOutcome {
  return evaluateCompiledConditions(c.preconditions, ctx, preconditionOptions(operation));
}

// Read-only, so one per operation serves every rule.
const optionsByOperation = new Map<string, RenderOptions>();

let lastOptions: RenderOptions = Object.freeze({ operation: 'CREATE', path: '/preconditions' });

function preconditionOptions(operation: string): RenderOptions {
  // Every rule of a request has the same operation: the last options first, then the map.
  if (lastOptions.operation === operation) return lastOptions;
  lastOptions = optionsFor(operation);
  return lastOptions;
}

function optionsFor(operation: string): RenderOptions {
  let o = optionsByOperation.get(operation);
  if (o === undefined) {
    o = Object.freeze({ operation, path: '/preconditions' });
    if (optionsByOperation.size >= 16) optionsByOperation.clear();
    optionsByOperation.set(operation, o);
  }
  return o;
}

/** On UPDATE, failing preconditions that the old object passed mean the downstream goes. */
function checkOldObject(req: PolicyRequest, onDelete: boolean): boolean {
  return req.oldObject !== undefined && req.object !== undefined && !onDelete;
}

function preconditionsFailed(
  c: CompiledGenerateRule,
  req: PolicyRequest,
  trigger: KubeObject,
  now: ConditionsOutcome,
  before: EvalContext | undefined,
): GenerateRuleOutcome {
  const { rule } = c;
  if (before !== undefined && preconditions(c, before, req.operation).pass) {
    return {
      rule: rule.name,
      status: 'fail',
      message: 'the trigger no longer satisfies the preconditions',
      trigger: req.oldObject as KubeObject,
      deleteDownstream: rule.generate?.synchronize === true,
    };
  }
  return {
    rule: rule.name,
    status: 'skip',
    message: `preconditions not met${now.message ? `: ${now.message}` : ''}`,
    trigger,
  };
}

function preconditionError(c: CompiledGenerateRule, trigger: KubeObject, e: unknown): GenerateRuleOutcome {
  return {
    rule: c.rule.name,
    status: 'error',
    message: `failed to evaluate preconditions: ${errorText(e)}`,
    trigger,
  };
}

function passed(c: CompiledGenerateRule, trigger: KubeObject, plan: GeneratePlan): GenerateRuleOutcome {
  const message = plan.errors.length > 0 ? plan.errors.join('; ') : 'rule applied';
  return { rule: c.rule.name, status: 'pass', message, trigger, plan };
}

function syncContext(
  c: CompiledGenerateRule,
  req: PolicyRequest,
  env: EvalEnv,
  values: ContextValues | undefined,
): EvalContext {
  // Computed entries only: CLI values do not override them, so their names are not needed.
  const ctx = requestRuleContext(c.rule, req, env, values, undefined, c.readsImages);
  c.context.load(ctx, req.operation);
  return ctx;
}

function evaluateRuleSync(
  policy: KyvernoPolicy,
  c: CompiledGenerateRule,
  req: PolicyRequest,
  env: EvalEnv,
  values: ContextValues | undefined,
): GenerateRuleOutcome | undefined {
  const onDelete = c.onDelete && req.operation === 'DELETE';
  const m = matchStep(policy, c, req, onDelete);
  if (m instanceof Decided) return m.outcome;
  const trigger = m;
  let ctx: EvalContext;
  try {
    ctx = syncContext(c, req, env, values);
  } catch {
    // Kyverno treats a rule whose context cannot load as not applicable to this request.
    return undefined;
  }
  try {
    const now = preconditions(c, ctx, req.operation);
    if (!now.pass) {
      const before = checkOldObject(req, onDelete)
        ? syncContext(c, { ...req, object: req.oldObject }, env, values)
        : undefined;
      return preconditionsFailed(c, req, trigger, now, before);
    }
  } catch (e) {
    return preconditionError(c, trigger, e);
  }
  const plan = buildPlanSync({
    policy,
    compiled: c,
    trigger,
    ctx,
    env,
    operation: req.operation,
    values: values?.rules?.[c.rule.name],
  });
  return passed(c, trigger, plan);
}

async function evaluateRule(
  policy: KyvernoPolicy,
  c: CompiledGenerateRule,
  req: PolicyRequest,
  env: EvalEnv,
  values: ContextValues | undefined,
): Promise<GenerateRuleOutcome | undefined> {
  const onDelete = c.onDelete && req.operation === 'DELETE';
  const m = matchStep(policy, c, req, onDelete);
  if (m instanceof Decided) return m.outcome;
  const trigger = m;
  let ctx: EvalContext;
  try {
    ctx = await ruleContext(c.rule, req, env, values);
  } catch {
    // Kyverno treats a rule whose context cannot load as not applicable to this request.
    return undefined;
  }
  try {
    const now = preconditions(c, ctx, req.operation);
    if (!now.pass) {
      const before = checkOldObject(req, onDelete)
        ? await ruleContext(c.rule, { ...req, object: req.oldObject }, env, values)
        : undefined;
      return preconditionsFailed(c, req, trigger, now, before);
    }
  } catch (e) {
    return preconditionError(c, trigger, e);
  }
  const plan = await buildPlan({
    policy,
    compiled: c,
    trigger,
    ctx,
    env,
    operation: req.operation,
    values: values?.rules?.[c.rule.name],
  });
  return passed(c, trigger, plan);
}

export { asObject, errorText, ruleContext } from '../rule-context.js';
