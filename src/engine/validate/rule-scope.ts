// The JSON context of a compiled validate rule, built only when something reads it: most
// Pod-Security-style rules are plain patterns that never look at a variable. Built the way
// rule-context.ts builds it (the shared request root, `images`, then CLI values), but `images` only
// for rules that can read it, and parsed once per resource rather than once per rule.
import type { JsonObject, JsonValue } from '../../api/json.js';
import type { KubeObject } from '../../api/kube.js';
import type { EvalEnv } from '../env.js';
import { imagesOf } from '../images.js';
import { kyvernoFunctions } from '../jmespath/kyverno/index.js';
import type { PolicyRequest } from '../request.js';
import { sharedRequestContext } from '../request.js';
import type { ContextValues } from '../values.js';
import { EvalContext } from '../variables/context.js';

export interface ScopeOptions {
  readonly ruleName: string;
  readonly req: PolicyRequest;
  readonly env: EvalEnv;
  readonly values: ContextValues | undefined;
  readonly needsImages: boolean;
}

/** A context that is created on first use and then kept. */
export class LazyContext {
  private built: EvalContext | undefined;

  constructor(private readonly o: ScopeOptions) {}

  get(): EvalContext {
    this.built ??= buildContext(this.o);
    return this.built;
  }
}

function buildContext(o: ScopeOptions): EvalContext {
  const ctx = new EvalContext(sharedRequestContext(o.req), o.env, kyvernoFunctions);
  if (o.needsImages) {
    const images = cachedImagesOf(o.req.object ?? o.req.oldObject);
    if (images !== undefined) ctx.set('images', images);
  }
  const values = o.values;
  if (values === undefined) return ctx;
  for (const source of [values.global, values.resource, values.rules?.[o.ruleName]?.values]) {
    for (const [k, v] of Object.entries(source ?? {})) ctx.set(k, v);
  }
  return ctx;
}

const NONE = Symbol('no images');
const imagesByResource = new WeakMap<KubeObject, JsonObject | typeof NONE>();

// Every rule of every policy sees the same resource: parse its image references once. Nothing writes
// into context values (the context is copy-on-write), so the parsed object can be shared.
function cachedImagesOf(resource: KubeObject | undefined): JsonObject | undefined {
  if (resource === undefined) return undefined;
  let images = imagesByResource.get(resource);
  if (images === undefined) {
    images = imagesOf(resource) ?? NONE;
    imagesByResource.set(resource, images);
  }
  return images === NONE ? undefined : images;
}

const nested: { element: string; index: string }[] = [];

function nestedNames(nesting: number): { element: string; index: string } {
  let names = nested[nesting];
  if (names === undefined) {
    names = { element: `element${nesting}`, index: `elementIndex${nesting}` };
    nested[nesting] = names;
  }
  return names;
}

/**
 * The context of one foreach element: the parent's names plus `element`, `elementIndex` and their
 * nesting-numbered twins, written in one copy (what addElement() writes with four).
 */
export function elementContext(
  parent: EvalContext,
  element: JsonValue,
  index: number,
  nesting: number,
  foreachValues: Record<string, JsonValue[]> | undefined,
): EvalContext {
  const base = parent.data;
  const root: JsonObject = {};
  for (const k of Object.keys(base)) root[k] = base[k] as JsonValue;
  const names = nestedNames(nesting);
  root['element'] = element;
  root['elementIndex'] = index;
  root[names.element] = element;
  root[names.index] = index;
  const ctx = new EvalContext(root, parent.functionContext(), kyvernoFunctions);
  if (foreachValues === undefined) return ctx;
  for (const [name, vals] of Object.entries(foreachValues)) {
    const v = vals[index];
    if (v !== undefined) ctx.set(name, v);
  }
  return ctx;
}

export { lenientView } from '../rule-context.js';
