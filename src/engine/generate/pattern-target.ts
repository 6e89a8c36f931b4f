// One GeneratePattern (a rule's, or a foreach element's) substituted and turned into what it
// produces: a data object, a clone, or a cloneList. Fields render in the order the rule's text is
// resolved (apiVersion, kind, name, namespace, data, clone, cloneList), each exactly once.
import type { JsonObject, JsonValue } from '../../api/json.js';
import { isJsonObject } from '../../api/json.js';
import type { KubeObject } from '../../api/kube.js';
import type { CloneFrom, CloneList } from '../../api/policy.js';
import type { EvalContext } from '../variables/context.js';
import type { DocTemplate, RenderOptions } from '../variables/doc-template.js';
import { renderDoc } from '../variables/doc-template.js';
import type { CompiledPattern, FusedFill } from './compiled-rule.js';
import type { ManagementLabels } from './labels.js';
import { withManagementLabels } from './labels.js';
import type { GenerateTarget, ResourceRef } from './plan.js';

/** Substitutes one GeneratePattern and says what it produces. */
export function patternTarget(
  pattern: CompiledPattern,
  ctx: EvalContext,
  operation: string,
  labels: ManagementLabels,
): GenerateTarget | undefined {
  const o = renderOptions(operation);
  const base = pattern.path;
  const apiVersion = render(pattern.apiVersion, ctx, o, base);
  const kind = render(pattern.kind, ctx, o, base);
  const name = render(pattern.name, ctx, o, base);
  const namespace = render(pattern.namespace, ctx, o, base);
  if (pattern.fusedData !== undefined) {
    const ref = { apiVersion: str(apiVersion), kind: str(kind), namespace: str(namespace), name: str(name) };
    return fusedDataTarget(pattern.fusedData, ref, ctx, o, base, labels);
  }
  const data = render(pattern.data, ctx, o, base);
  // Substitution may have changed the fields' types; the checks below read them as Kyverno would.
  const clone = render(pattern.clone, ctx, o, base) as CloneFrom | undefined;
  const cloneList = render(pattern.cloneList, ctx, o, base) as CloneList | undefined;
  const ref = { apiVersion: str(apiVersion), kind: str(kind), namespace: str(namespace), name: str(name) };
  if (clone?.name) {
    return {
      type: 'clone',
      target: ref,
      source: {
        apiVersion: ref.apiVersion,
        kind: ref.kind,
        namespace: str(clone.namespace),
        name: str(clone.name),
      },
    };
  }
  if (cloneList?.kinds && cloneList.kinds.length > 0) {
    const t: GenerateTarget = {
      type: 'cloneList',
      namespace: ref.namespace,
      sourceNamespace: str(cloneList.namespace),
      // A substituted `kinds` that is not a list fails here as before (a string has no map()).
      kinds: Array.isArray(cloneList.kinds) ? strings(cloneList.kinds) : (cloneList.kinds as string[]).map(String),
    };
    if (cloneList.selector) t.selector = cloneList.selector;
    return t;
  }
  // A rule with neither data nor clone still generates: an object with only its identity and
  // Kyverno's labels (its background controller turns the missing data into an empty object, and its
  // conformance test existing-with-wildcard-name-matching expects the ServiceAccount to appear).
  // The rendered body shares its variable-free parts with the compiled policy (frozen): only the
  // levels written here are copied.
  const body: JsonObject = isJsonObject(data) ? data : {};
  // apiVersion, kind and metadata first: the order people read manifests in.
  const object: JsonObject = {
    apiVersion: ref.apiVersion,
    kind: ref.kind,
    metadata: targetMetadata(body['metadata'], ref, labels),
  };
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

/** The object's metadata: the rendered one (copied), with the target's name, namespace and labels. */
function targetMetadata(
  rendered: JsonValue | undefined,
  ref: ResourceRef,
  labels: ManagementLabels,
): JsonObject {
  // Without rendered metadata (the common case) the three keys make one literal, in the order the
  // general path writes them.
  if (!isJsonObject(rendered)) {
    return ref.namespace
      ? { name: ref.name, namespace: ref.namespace, labels: sharedLabels(labels) }
      : { name: ref.name, labels: sharedLabels(labels) };
  }
  // Copies are built key by key: in V8, adding a property to a spread copy takes a slow path.
  const meta = copyObject(rendered);
  const existingLabels = meta['labels'];
  meta['name'] = ref.name;
  if (ref.namespace) meta['namespace'] = ref.namespace;
  else delete meta['namespace'];
  meta['labels'] = isJsonObject(existingLabels) ? withManagementLabels(existingLabels, labels) : sharedLabels(labels);
  return meta;
}

/**
 * A data target whose `data` is an object template and which has no clone or cloneList: the body's
 * keys render straight into the object (same order, same evaluation order) instead of into a body
 * that is then copied.
 */
function fusedDataTarget(
  fill: FusedFill,
  ref: ResourceRef,
  ctx: EvalContext,
  o: RenderOptions,
  base: string,
  labels: ManagementLabels,
): GenerateTarget {
  const object: JsonObject = { apiVersion: ref.apiVersion, kind: ref.kind, metadata: null };
  let metadata: JsonValue | undefined;
  for (let i = 0; i < fill.length; i++) {
    const f = fill[i] as FusedFill[number];
    const v = f.template === undefined ? f.value : renderDoc(f.template, ctx, o, base);
    if (f.key === 'metadata') metadata = v;
    else if (f.key !== 'apiVersion' && f.key !== 'kind') object[f.key] = v;
  }
  object['metadata'] = targetMetadata(metadata, ref, labels);
  return { type: 'data', target: ref, object: object as unknown as KubeObject };
}

/** An absent field stays undefined; a present one is substituted under the pattern's path. */
function render(
  t: DocTemplate | undefined,
  ctx: EvalContext,
  o: RenderOptions,
  base: string,
): JsonValue | undefined {
  if (t === undefined) return undefined;
  return t.kind === 'static' ? t.value : renderDoc(t, ctx, o, base);
}

// One options object per operation instead of one per rendered pattern (they are only read).
const optionsByOperation = new Map<string, RenderOptions>();

let lastOptions: RenderOptions = Object.freeze({ operation: 'CREATE', copyValues: true });

function renderOptions(operation: string): RenderOptions {
  // Every target of a request has the same operation: the last options first, then the map.
  if (lastOptions.operation === operation) return lastOptions;
  lastOptions = optionsFor(operation);
  return lastOptions;
}

function optionsFor(operation: string): RenderOptions {
  let o = optionsByOperation.get(operation);
  if (o === undefined) {
    o = Object.freeze({ operation, copyValues: true });
    if (optionsByOperation.size >= 16) optionsByOperation.clear();
    optionsByOperation.set(operation, o);
  }
  return o;
}

// The labels frozen last: a plan's targets are built one after another, so its second and later data
// targets find their labels here (Object.isFrozen is slow on a frozen object; freezing again is harmless).
let lastFrozen: ManagementLabels | undefined;

/** The plan's labels, frozen before a target shares them: a writer then gets a TypeError. */
function sharedLabels(labels: ManagementLabels): ManagementLabels {
  if (labels !== lastFrozen) {
    Object.freeze(labels);
    lastFrozen = labels;
  }
  return labels;
}

function copyObject(src: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const k of Object.keys(src)) out[k] = src[k] as JsonValue;
  return out;
}

/** `list.map(String)`, without a call of the String builtin per element that is a string already. */
function strings(list: readonly unknown[]): string[] {
  const out: string[] = new Array<string>(list.length);
  for (let i = 0; i < list.length; i++) {
    const v = list[i];
    out[i] = typeof v === 'string' ? v : String(v);
  }
  return out;
}

function str(v: unknown): string {
  if (v === undefined || v === null) return '';
  return typeof v === 'string' ? v : JSON.stringify(v);
}
