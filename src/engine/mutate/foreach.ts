// mutate.foreach: each entry's list is walked (patchStrategicMerge entries last-to-first unless
// `order` says otherwise), each element with its own context and preconditions, patches applied in
// turn; nested foreach recurse with element{n} / elementIndex{n}.
import type { JsonValue } from '../../api/json.js';
import type { AnyAllConditions, ContextEntry, Preconditions } from '../../api/policy.js';
import type { KubeObject } from '../../api/kube.js';
import { evaluateConditions } from '../conditions/index.js';
import { loadContext } from '../context/load.js';
import type { EvalEnv } from '../env.js';
import { jsonEqual } from '../patch/json-util.js';
import { addElement, conditionResolver, errorText, evaluateList } from '../rule-context.js';
import type { EvalContext } from '../variables/context.js';
import type { MutationStep, PatchSpec } from './patcher.js';
import { applyPatches } from './patcher.js';

export interface ForEachMutation extends PatchSpec {
  list: string;
  order?: 'Ascending' | 'Descending';
  context?: ContextEntry[];
  preconditions?: AnyAllConditions | Preconditions;
  foreach?: ForEachMutation[];
}

export interface ForEachState {
  ctx: EvalContext;
  env: EvalEnv;
  operation: string;
  nesting: number;
  foreachValues?: Record<string, JsonValue[]>;
}

export async function mutateForEach(
  entries: ForEachMutation[],
  resource: KubeObject,
  s: ForEachState,
): Promise<MutationStep> {
  let applied = 0;
  let current = resource;
  for (const fe of entries) {
    let elements: JsonValue[];
    try {
      elements = evaluateList(s.ctx, fe.list, s.operation);
    } catch (e) {
      return { status: 'error', message: `failed to evaluate list ${fe.list}: ${errorText(e)}`, resource };
    }
    const r = await mutateElements(fe, elements, current, s);
    if (r.status === 'error')
      return { status: 'error', message: `failed to mutate elements: ${r.message}`, resource };
    if (r.status === 'skip') continue;
    applied++;
    if (r.status === 'pass') current = r.resource;
    s.ctx.set('request.object', current as unknown as JsonValue);
  }
  const message = `${applied} elements processed`;
  return { status: applied === 0 ? 'skip' : 'pass', message, resource: current };
}

async function mutateElements(
  fe: ForEachMutation,
  elements: JsonValue[],
  resource: KubeObject,
  s: ForEachState,
): Promise<MutationStep> {
  let reverse = fe.patchStrategicMerge !== undefined && fe.patchStrategicMerge !== null;
  if (fe.order !== undefined) reverse = fe.order === 'Descending';
  const order = elements.map((_, i) => i);
  if (reverse) order.reverse();
  let patched = resource;
  s.ctx.checkpoint();
  try {
    for (const index of order) {
      const element = elements[index] ?? null;
      if (element === null) continue;
      s.ctx.restore();
      addElement(s.ctx, element, index, s.nesting, s.foreachValues);
      try {
        await loadContext(fe.context, s.ctx, s.env, { operation: s.operation });
      } catch (e) {
        return {
          status: 'error',
          message: `failed to load to mutate.foreach[${index}].context: ${errorText(e)}`,
          resource,
        };
      }
      try {
        const pre = evaluateConditions(
          fe.preconditions,
          conditionResolver(s.ctx, s.operation, '/mutate/foreach/preconditions'),
        );
        if (!pre.pass) continue;
      } catch (e) {
        return {
          status: 'error',
          message: `failed to evaluate mutate.foreach[${index}].preconditions: ${errorText(e)}`,
          resource,
        };
      }
      const r =
        fe.foreach !== undefined
          ? await mutateForEach(fe.foreach, patched, { ...s, nesting: s.nesting + 1 })
          : applyPatches(fe, patched, s.ctx, s.operation);
      if (r.status === 'fail' || r.status === 'error') return r;
      if (r.status === 'pass') patched = r.resource;
    }
  } finally {
    s.ctx.dropCheckpoint();
  }
  if (!jsonEqual(patched, resource)) return { status: 'pass', message: '', resource: patched };
  return { status: 'skip', message: 'no patches applied', resource: patched };
}
