// One mutation step: substitute variables into patchStrategicMerge / patchesJson6902 and apply
// them to the resource. Unchanged output is a skip ("no patches applied"), as in Kyverno.
import { parse as parseYaml } from 'yaml';
import type { JsonObject, JsonValue } from '../../api/json.js';
import type { KubeObject } from '../../api/kube.js';
import { applyJsonPatch, toJsonPatch } from '../patch/json-patch.js';
import { jsonEqual } from '../patch/json-util.js';
import type { RuleStatus } from '../result.js';
import { errorText } from '../rule-context.js';
import type { EvalContext } from '../variables/context.js';
import { substituteAll } from '../variables/substitute.js';
import { AnchorConditionError } from './preprocess.js';
import { applyPatchStrategicMerge } from './strategic.js';

export interface MutationStep {
  status: RuleStatus;
  message: string;
  resource: KubeObject;
}

export interface PatchSpec {
  patchStrategicMerge?: JsonValue;
  patchesJson6902?: string;
}

export function applyPatches(
  spec: PatchSpec,
  resource: KubeObject,
  ctx: EvalContext,
  operation: string,
  selfRoot?: string,
): MutationStep {
  let smp: JsonValue | undefined;
  let json6902: JsonValue | undefined;
  try {
    if (spec.patchStrategicMerge !== undefined && spec.patchStrategicMerge !== null) {
      smp = substituteAll(spec.patchStrategicMerge, ctx, {
        operation,
        path: '/mutate/patchStrategicMerge',
        selfRoot,
      });
    } else if (typeof spec.patchesJson6902 === 'string' && spec.patchesJson6902 !== '') {
      json6902 = substituteAll(spec.patchesJson6902, ctx, {
        operation,
        path: '/mutate/patchesJson6902',
        selfRoot,
      });
    }
  } catch (e) {
    return { status: 'error', message: `variable substitution failed: ${errorText(e)}`, resource };
  }
  if (smp === undefined && json6902 === undefined)
    return { status: 'error', message: 'empty mutate rule', resource };
  let patched: JsonObject;
  try {
    if (smp !== undefined) {
      try {
        patched = applyPatchStrategicMerge(resource, smp);
      } catch (e) {
        if (!(e instanceof AnchorConditionError)) throw e;
        patched = resource as unknown as JsonObject;
      }
    } else {
      const text = typeof json6902 === 'string' ? json6902 : JSON.stringify(json6902);
      const ops = toJsonPatch(parseYaml(text, { version: '1.1' }) as JsonValue);
      patched = applyJsonPatch(resource as unknown as JsonValue, ops) as JsonObject;
    }
  } catch (e) {
    return { status: 'error', message: `failed to patch resource: ${errorText(e)}`, resource };
  }
  if (jsonEqual(patched, resource)) return { status: 'skip', message: 'no patches applied', resource };
  return { status: 'pass', message: 'resource patched', resource: patched as unknown as KubeObject };
}

export function mutatedMessage(r: KubeObject): string {
  const ns = r.metadata.namespace;
  return ns
    ? `mutated ${r.kind}/${r.metadata.name ?? ''} in namespace ${ns}`
    : `mutated ${r.kind}/${r.metadata.name ?? ''}`;
}
