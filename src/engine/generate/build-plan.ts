// Turns a passing generate rule into a GeneratePlan: substitutes variables into the pattern
// (or each foreach element's pattern) and decides data / clone / cloneList per pattern.
import type { JsonValue } from '../../api/json.js';
import { isJsonObject } from '../../api/json.js';
import type { KubeObject } from '../../api/kube.js';
import type { ForEachGeneration, GeneratePattern, KyvernoPolicy, Rule } from '../../api/policy.js';
import { evaluateConditions } from '../conditions/index.js';
import { loadContext } from '../context/load.js';
import type { EvalEnv } from '../env.js';
import type { RuleValues } from '../values.js';
import type { EvalContext } from '../variables/context.js';
import { stringify, substituteAll } from '../variables/substitute.js';
import { managementLabels } from './labels.js';
import type { GeneratePlan, GenerateTarget } from './plan.js';

export interface BuildPlanInput {
  policy: KyvernoPolicy;
  rule: Rule;
  trigger: KubeObject;
  ctx: EvalContext;
  env: EvalEnv;
  operation: string;
  values?: RuleValues;
}

export async function buildPlan(input: BuildPlanInput): Promise<GeneratePlan> {
  const { policy, rule, trigger, ctx } = input;
  const gen = rule.generate ?? {};
  const policyNamespace = policy.kind === 'Policy' ? (policy.metadata.namespace ?? 'default') : '';
  const labels = managementLabels(policy.metadata.name, policyNamespace, rule.name, trigger);
  const plan: GeneratePlan = {
    policy: policy.kind === 'Policy' ? `${policyNamespace}/${policy.metadata.name}` : policy.metadata.name,
    policyName: policy.metadata.name,
    policyNamespace,
    rule: rule.name,
    trigger,
    synchronize: gen.synchronize === true,
    orphanDownstreamOnPolicyDelete: gen.orphanDownstreamOnPolicyDelete === true,
    useServerSideApply: policy.spec.useServerSideApply === true,
    labels,
    targets: [],
    errors: [],
  };
  if (gen.foreach && gen.foreach.length > 0) {
    for (const [i, fe] of gen.foreach.entries()) await addForeach(plan, fe, i, input);
    return plan;
  }
  try {
    const target = patternTarget(gen, ctx, input.operation, '/generate', labels);
    if (target) plan.targets.push(target);
  } catch (e) {
    plan.errors.push(e instanceof Error ? e.message : String(e));
  }
  return plan;
}

async function addForeach(
  plan: GeneratePlan,
  fe: ForEachGeneration,
  index: number,
  input: BuildPlanInput,
): Promise<void> {
  const { ctx, env } = input;
  let elements: JsonValue[];
  try {
    const listExpr = stringify(substituteAll(fe.list, ctx, { operation: input.operation }));
    const listed = ctx.query(listExpr);
    elements = Array.isArray(listed) ? listed : [listed];
  } catch (e) {
    plan.errors.push(
      `foreach[${index}]: failed to evaluate list ${fe.list}: ${e instanceof Error ? e.message : String(e)}`,
    );
    return;
  }
  ctx.checkpoint();
  try {
    for (const [i, element] of elements.entries()) {
      if (element === null) continue;
      ctx.restore();
      ctx.set('element', element);
      ctx.set('elementIndex', i);
      for (const [name, vals] of Object.entries(input.values?.foreachValues ?? {})) {
        const v = vals[i];
        if (v !== undefined) ctx.set(name, v);
      }
      const path = `/generate/foreach/${index}`;
      try {
        await loadContext(fe.context, ctx, env, { operation: input.operation });
        const pre = evaluateConditions(fe.preconditions, (v) =>
          substituteAll(v, ctx, { operation: input.operation, path }),
        );
        if (!pre.pass) continue;
        const target = patternTarget(fe, ctx, input.operation, path, plan.labels);
        if (target) plan.targets.push(target);
      } catch (e) {
        plan.errors.push(`foreach[${index}] element ${i}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  } finally {
    ctx.dropCheckpoint();
  }
}

/** Substitutes one GeneratePattern and says what it produces (undefined: nothing, as Kyverno does for empty data). */
function patternTarget(
  pattern: GeneratePattern,
  ctx: EvalContext,
  operation: string,
  path: string,
  labels: Record<string, string>,
): GenerateTarget | undefined {
  const raw: Record<string, JsonValue> = {};
  for (const key of ['apiVersion', 'kind', 'name', 'namespace', 'data', 'clone', 'cloneList'] as const) {
    const v = pattern[key];
    if (v !== undefined) raw[key] = v as JsonValue;
  }
  const p = substituteAll(raw, ctx, { operation, path }) as GeneratePattern;
  const ref = {
    apiVersion: str(p.apiVersion),
    kind: str(p.kind),
    namespace: str(p.namespace),
    name: str(p.name),
  };
  if (p.clone?.name) {
    return {
      type: 'clone',
      target: ref,
      source: {
        apiVersion: ref.apiVersion,
        kind: ref.kind,
        namespace: str(p.clone.namespace),
        name: str(p.clone.name),
      },
    };
  }
  if (p.cloneList?.kinds && p.cloneList.kinds.length > 0) {
    const t: GenerateTarget = {
      type: 'cloneList',
      namespace: ref.namespace,
      sourceNamespace: str(p.cloneList.namespace),
      kinds: p.cloneList.kinds.map(String),
    };
    if (p.cloneList.selector) t.selector = p.cloneList.selector;
    return t;
  }
  if (p.data === undefined || p.data === null) return undefined;
  const body = isJsonObject(p.data) ? structuredClone(p.data) : {};
  const meta = isJsonObject(body['metadata']) ? body['metadata'] : {};
  const existingLabels = isJsonObject(meta['labels']) ? meta['labels'] : {};
  meta['name'] = ref.name;
  if (ref.namespace) meta['namespace'] = ref.namespace;
  else delete meta['namespace'];
  meta['labels'] = { ...existingLabels, ...labels };
  // apiVersion, kind and metadata first: the order people read manifests in.
  const { apiVersion: _a, kind: _k, metadata: _m, ...rest } = body;
  const object = {
    apiVersion: ref.apiVersion,
    kind: ref.kind,
    metadata: meta,
    ...rest,
  } as unknown as KubeObject;
  return { type: 'data', target: ref, object };
}

function str(v: unknown): string {
  if (v === undefined || v === null) return '';
  return typeof v === 'string' ? v : JSON.stringify(v);
}
