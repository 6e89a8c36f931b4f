// Turns a passing generate rule into a GeneratePlan: substitutes variables into the pattern
// (or each foreach element's pattern) and decides data / clone / cloneList per pattern.
// Rules whose foreach context entries only compute are planned synchronously (buildPlanSync).
import type { JsonValue } from '../../api/json.js';
import type { KubeObject } from '../../api/kube.js';
import type { KyvernoPolicy } from '../../api/policy.js';
import { evaluateCompiledConditions } from '../conditions/compiled.js';
import { loadContext } from '../context/load.js';
import type { EvalEnv } from '../env.js';
import type { RuleValues } from '../values.js';
import type { EvalContext } from '../variables/context.js';
import type { RenderOptions } from '../variables/doc-template.js';
import type { CompiledForeach, CompiledGenerateRule } from './compiled-rule.js';
import type { ManagementLabels } from './labels.js';
import { managementLabels } from './labels.js';
import { patternTarget } from './pattern-target.js';
import type { GeneratePlan, GenerateTarget } from './plan.js';

export interface BuildPlanInput {
  policy: KyvernoPolicy;
  compiled: CompiledGenerateRule;
  trigger: KubeObject;
  ctx: EvalContext;
  env: EvalEnv;
  operation: string;
  values?: RuleValues;
}

/** A plan being built: its labels are managementLabels()'s, which targets merge by name. */
interface PlanInProgress extends GeneratePlan {
  labels: ManagementLabels;
}

// Most plans never report an error, and a plan that gets no target is rare: they start with these
// shared empty arrays, which addError() and addTarget() replace (frozen, so a writer that bypasses them
// gets a TypeError instead of writing into every plan).
const NO_TARGETS = Object.freeze([]) as readonly GenerateTarget[] as GenerateTarget[];
const NO_ERRORS = Object.freeze([]) as readonly string[] as string[];

/** For rules with `compiled.sync`: no context entry needs a lookup. */
export function buildPlanSync(input: BuildPlanInput): GeneratePlan {
  const plan = emptyPlan(input);
  const foreach = input.compiled.foreach;
  for (let i = 0; i < foreach.length; i++) planForeachSync(plan, foreach[i] as CompiledForeach, i, input);
  if (foreach.length === 0) addPattern(plan, input);
  return plan;
}

/** One foreach declaration of a sync rule: every element's context, preconditions and target. */
function planForeachSync(plan: PlanInProgress, fe: CompiledForeach, i: number, input: BuildPlanInput): void {
  const elements = listElements(plan, fe, i, input);
  if (elements === undefined) return;
  const { ctx } = input;
  ctx.checkpoint();
  try {
    for (let j = 0; j < elements.length; j++) {
      const element = elements[j] as JsonValue;
      if (element === null) continue;
      setElement(ctx, element, j, input.values, fe.reusesScope);
      try {
        fe.context.load(ctx, input.operation);
        planElement(plan, fe, input);
      } catch (e) {
        addError(plan, `foreach[${i}] element ${j}: ${message(e)}`);
      }
    }
  } finally {
    ctx.dropCheckpoint();
  }
}

export async function buildPlan(input: BuildPlanInput): Promise<GeneratePlan> {
  const plan = emptyPlan(input);
  if (input.compiled.foreach.length > 0) {
    for (const [i, fe] of input.compiled.foreach.entries()) {
      const elements = listElements(plan, fe, i, input);
      if (elements === undefined) continue;
      const { ctx } = input;
      ctx.checkpoint();
      try {
        for (const [j, element] of elements.entries()) {
          if (element === null) continue;
          setElement(ctx, element, j, input.values);
          try {
            await loadContext(fe.source.context, ctx, input.env, { operation: input.operation });
            planElement(plan, fe, input);
          } catch (e) {
            addError(plan, `foreach[${i}] element ${j}: ${message(e)}`);
          }
        }
      } finally {
        ctx.dropCheckpoint();
      }
    }
    return plan;
  }
  addPattern(plan, input);
  return plan;
}

function emptyPlan(input: BuildPlanInput): PlanInProgress {
  const { policy, trigger, compiled } = input;
  const { rule } = compiled;
  const policyNamespace = policy.kind === 'Policy' ? (policy.metadata.namespace ?? 'default') : '';
  return {
    policy: policy.kind === 'Policy' ? `${policyNamespace}/${policy.metadata.name}` : policy.metadata.name,
    policyName: policy.metadata.name,
    policyNamespace,
    rule: rule.name,
    trigger,
    synchronize: compiled.synchronize,
    orphanDownstreamOnPolicyDelete: compiled.orphanDownstreamOnPolicyDelete,
    useServerSideApply: policy.spec.useServerSideApply === true,
    // Frozen by the first data target that carries this very object (sharedLabels()); plans without
    // such a target (clone, cloneList) skip the cost of freezing.
    labels: managementLabels(policy.metadata.name, policyNamespace, rule.name, trigger),
    targets: NO_TARGETS,
    errors: NO_ERRORS,
  };
}

function addPattern(plan: PlanInProgress, input: BuildPlanInput): void {
  const pattern = input.compiled.pattern;
  if (pattern === undefined) return;
  try {
    const target = patternTarget(pattern, input.ctx, input.operation, plan.labels);
    if (target) addTarget(plan, target);
  } catch (e) {
    addError(plan, message(e));
  }
}

/** Most plans have one target: a one-slot array instead of push()'s default growth to 17. */
function addTarget(plan: GeneratePlan, target: GenerateTarget): void {
  if (plan.targets === NO_TARGETS) plan.targets = [target];
  else plan.targets.push(target);
}

function addError(plan: GeneratePlan, error: string): void {
  if (plan.errors === NO_ERRORS) plan.errors = [error];
  else plan.errors.push(error);
}

function listElements(
  plan: GeneratePlan,
  fe: CompiledForeach,
  index: number,
  input: BuildPlanInput,
): JsonValue[] | undefined {
  try {
    const listed = fe.list.evaluate(input.ctx, input.operation);
    return Array.isArray(listed) ? listed : [listed];
  } catch (e) {
    addError(plan, `foreach[${index}]: failed to evaluate list ${fe.source.list}: ${message(e)}`);
    return undefined;
  }
}

function setElement(
  ctx: EvalContext,
  element: JsonValue,
  index: number,
  values: RuleValues | undefined,
  reuseScope = false,
): void {
  // CLI foreachValues may skip an element (no value at its index): the scope is rebuilt then.
  if (reuseScope && values?.foreachValues === undefined) ctx.restoreOrReuse();
  else ctx.restore();
  ctx.setElement(element, index);
  if (values?.foreachValues === undefined) return;
  for (const [name, vals] of Object.entries(values.foreachValues)) {
    const v = vals[index];
    if (v !== undefined) ctx.set(name, v);
  }
}

/** One foreach element whose context is loaded: its preconditions, then its target. */
function planElement(plan: PlanInProgress, fe: CompiledForeach, input: BuildPlanInput): void {
  const { ctx, operation } = input;
  const pre = evaluateCompiledConditions(fe.preconditions, ctx, elementOptions(operation, fe.path));
  if (!pre.pass) return;
  const target = patternTarget(fe.pattern, ctx, operation, plan.labels);
  if (target) addTarget(plan, target);
}

// Read-only; every element of every foreach of a request asks for the same pair, so the last one is
// kept instead of a new object per element.
let lastElementOptions: RenderOptions = Object.freeze({ operation: '', path: '' });

function elementOptions(operation: string, path: string): RenderOptions {
  const last = lastElementOptions;
  if (last.operation === operation && last.path === path) return last;
  lastElementOptions = Object.freeze({ operation, path });
  return lastElementOptions;
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
