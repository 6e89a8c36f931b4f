// Turns a passing generate rule into a GeneratePlan: substitutes variables into the pattern
// (or each foreach element's pattern) and decides data / clone / cloneList per pattern.
// Rules whose foreach context entries only compute are planned synchronously (buildPlanSync).
import type { JsonObject, JsonValue } from '../../api/json.js';
import { isJsonObject } from '../../api/json.js';
import type { KubeObject } from '../../api/kube.js';
import type { GeneratePattern, KyvernoPolicy } from '../../api/policy.js';
import { evaluateCompiledConditions } from '../conditions/compiled.js';
import { loadContext } from '../context/load.js';
import type { EvalEnv } from '../env.js';
import type { RuleValues } from '../values.js';
import type { EvalContext } from '../variables/context.js';
import type { RenderOptions } from '../variables/doc-template.js';
import { renderDoc } from '../variables/doc-template.js';
import type { CompiledForeach, CompiledGenerateRule, CompiledPattern, PatternKey } from './compiled-rule.js';
import { managementLabels } from './labels.js';
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

/** For rules with `compiled.sync`: no context entry needs a lookup. */
export function buildPlanSync(input: BuildPlanInput): GeneratePlan {
  const plan = emptyPlan(input);
  const foreach = input.compiled.foreach;
  for (let i = 0; i < foreach.length; i++) planForeachSync(plan, foreach[i] as CompiledForeach, i, input);
  if (foreach.length === 0) addPattern(plan, input);
  return plan;
}

/** One foreach declaration of a sync rule: every element's context, preconditions and target. */
function planForeachSync(plan: GeneratePlan, fe: CompiledForeach, i: number, input: BuildPlanInput): void {
  const elements = listElements(plan, fe, i, input);
  if (elements === undefined) return;
  const { ctx } = input;
  ctx.checkpoint();
  try {
    for (let j = 0; j < elements.length; j++) {
      const element = elements[j] as JsonValue;
      if (element === null) continue;
      setElement(ctx, element, j, input.values);
      try {
        fe.context.load(ctx, input.operation);
        planElement(plan, fe, input);
      } catch (e) {
        plan.errors.push(`foreach[${i}] element ${j}: ${message(e)}`);
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
            plan.errors.push(`foreach[${i}] element ${j}: ${message(e)}`);
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

function emptyPlan(input: BuildPlanInput): GeneratePlan {
  const { policy, trigger } = input;
  const { rule } = input.compiled;
  const gen = rule.generate ?? {};
  const policyNamespace = policy.kind === 'Policy' ? (policy.metadata.namespace ?? 'default') : '';
  return {
    policy: policy.kind === 'Policy' ? `${policyNamespace}/${policy.metadata.name}` : policy.metadata.name,
    policyName: policy.metadata.name,
    policyNamespace,
    rule: rule.name,
    trigger,
    synchronize: gen.synchronize === true,
    orphanDownstreamOnPolicyDelete: gen.orphanDownstreamOnPolicyDelete === true,
    useServerSideApply: policy.spec.useServerSideApply === true,
    // Frozen: every data target without labels of its own carries this very object.
    labels: Object.freeze(managementLabels(policy.metadata.name, policyNamespace, rule.name, trigger)),
    targets: [],
    errors: [],
  };
}

function addPattern(plan: GeneratePlan, input: BuildPlanInput): void {
  const pattern = input.compiled.pattern;
  if (pattern === undefined) return;
  try {
    const target = patternTarget(pattern, input.ctx, input.operation, plan.labels);
    if (target) addTarget(plan, target);
  } catch (e) {
    plan.errors.push(message(e));
  }
}

/** Most plans have one target: a one-slot array instead of push()'s default growth to 17. */
function addTarget(plan: GeneratePlan, target: GenerateTarget): void {
  if (plan.targets.length === 0) plan.targets = [target];
  else plan.targets.push(target);
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
    plan.errors.push(`foreach[${index}]: failed to evaluate list ${fe.source.list}: ${message(e)}`);
    return undefined;
  }
}

function setElement(
  ctx: EvalContext,
  element: JsonValue,
  index: number,
  values: RuleValues | undefined,
): void {
  ctx.restore();
  ctx.setNames('element', element, 'elementIndex', index);
  if (values?.foreachValues === undefined) return;
  for (const [name, vals] of Object.entries(values.foreachValues)) {
    const v = vals[index];
    if (v !== undefined) ctx.set(name, v);
  }
}

/** One foreach element whose context is loaded: its preconditions, then its target. */
function planElement(plan: GeneratePlan, fe: CompiledForeach, input: BuildPlanInput): void {
  const { ctx, operation } = input;
  const pre = evaluateCompiledConditions(fe.preconditions, ctx, { operation, path: fe.path });
  if (!pre.pass) return;
  const target = patternTarget(fe.pattern, ctx, operation, plan.labels);
  if (target) addTarget(plan, target);
}

/** Substitutes one GeneratePattern and says what it produces. */
function patternTarget(
  pattern: CompiledPattern,
  ctx: EvalContext,
  operation: string,
  labels: Record<string, string>,
): GenerateTarget | undefined {
  const p = renderPattern(pattern, ctx, operation);
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
  // A rule with neither data nor clone still generates: an object with only its identity and
  // Kyverno's labels (its background controller turns the missing data into an empty object, and its
  // conformance test existing-with-wildcard-name-matching expects the ServiceAccount to appear).
  // The rendered body shares its variable-free parts with the compiled policy (frozen): only the
  // levels written here are copied.
  const body: JsonObject = isJsonObject(p.data) ? p.data : {};
  // Copies are built key by key: in V8, adding a property to a spread copy takes a slow path.
  const meta = isJsonObject(body['metadata']) ? copyObject(body['metadata']) : {};
  const existingLabels = meta['labels'];
  meta['name'] = ref.name;
  if (ref.namespace) meta['namespace'] = ref.namespace;
  else delete meta['namespace'];
  meta['labels'] = isJsonObject(existingLabels) ? withLabels(existingLabels, labels) : labels;
  // apiVersion, kind and metadata first: the order people read manifests in.
  const object: JsonObject = { apiVersion: ref.apiVersion, kind: ref.kind, metadata: meta };
  const keys = pattern.bodyKeys;
  if (keys !== undefined) {
    for (let i = 0; i < keys.length; i++) object[keys[i] as string] = body[keys[i] as string] as JsonValue;
  } else {
    for (const key of Object.keys(body)) {
      if (key !== 'apiVersion' && key !== 'kind' && key !== 'metadata') object[key] = body[key] as JsonValue;
    }
  }
  return { type: 'data', target: ref, object: object as unknown as KubeObject };
}

/** The substituted fields, on one fixed-shape object (absent fields stay undefined). */
function renderPattern(pattern: CompiledPattern, ctx: EvalContext, operation: string): GeneratePattern {
  const r: Record<PatternKey, JsonValue | undefined> = {
    apiVersion: undefined,
    kind: undefined,
    name: undefined,
    namespace: undefined,
    data: undefined,
    clone: undefined,
    cloneList: undefined,
  };
  const o = renderOptions(operation);
  for (const { key, template } of pattern.fields) {
    const v = renderDoc(template, ctx, o, pattern.path);
    switch (key) {
      case 'apiVersion':
        r.apiVersion = v;
        break;
      case 'kind':
        r.kind = v;
        break;
      case 'name':
        r.name = v;
        break;
      case 'namespace':
        r.namespace = v;
        break;
      case 'data':
        r.data = v;
        break;
      case 'clone':
        r.clone = v;
        break;
      case 'cloneList':
        r.cloneList = v;
        break;
    }
  }
  // Substitution may have changed the fields' types; the checks below read them as Kyverno would.
  return r as GeneratePattern;
}

// One options object per operation instead of one per rendered pattern (they are only read).
const optionsByOperation = new Map<string, RenderOptions>();

function renderOptions(operation: string): RenderOptions {
  let o = optionsByOperation.get(operation);
  if (o === undefined) {
    o = Object.freeze({ operation, copyValues: true });
    if (optionsByOperation.size >= 16) optionsByOperation.clear();
    optionsByOperation.set(operation, o);
  }
  return o;
}

function copyObject(src: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const k of Object.keys(src)) out[k] = src[k] as JsonValue;
  return out;
}

/** `{ ...existing, ...labels }` */
function withLabels(existing: JsonObject, labels: Record<string, string>): JsonObject {
  const out = copyObject(existing);
  for (const k of Object.keys(labels)) out[k] = labels[k] as string;
  return out;
}

function str(v: unknown): string {
  if (v === undefined || v === null) return '';
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
