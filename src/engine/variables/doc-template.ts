// A JSON document (a generate pattern, a condition operand, a context value) with its `{{ }}` strings
// parsed once. Rendering produces what substituteAll() produces, but only the parts with variables
// are rebuilt: subtrees without variables are one frozen copy shared by every render, and nothing
// scans or re-walks them. Callers must treat rendered documents as read-only.
import type { JsonObject, JsonValue } from '../../api/json.js';
import type { EvalContext } from './context.js';
import type { SubstituteOptions, StringTemplate } from './string-template.js';
import { compileString } from './string-template.js';
import { substituteAll } from './substitute.js';

export type DocTemplate =
  | { readonly kind: 'static'; readonly value: JsonValue }
  | StringDoc
  | { readonly kind: 'array'; readonly items: readonly DocTemplate[] }
  | {
      readonly kind: 'object';
      /** Every key with its value when static (null otherwise), in the document's order. */
      readonly shape: JsonObject;
      /**
       * What render writes, in the document's order: each key with its static value or its template.
       * (Built key by key: cheaper than cloning `shape` when every render site sees many shapes.)
       */
      readonly fill: readonly { readonly key: string; readonly value: JsonValue; readonly template: DocTemplate | undefined }[];
    }
  /** Map keys with variables: the keys decide the paths below, so the generic walk handles it. */
  | { readonly kind: 'walk'; readonly doc: JsonValue; readonly path: string };

/** A string with variables; `base` + `path` of the last render is kept, as nearly every render repeats it. */
interface StringDoc {
  readonly kind: 'string';
  readonly template: StringTemplate;
  readonly path: string;
  lastBase: string;
  lastFull: string;
}

export interface RenderOptions extends SubstituteOptions {
  /**
   * Copy object and array values that a variable returns (e.g. `{{ request.object.metadata.labels }}`),
   * so the rendered document never aliases the request or the context.
   */
  copyValues?: boolean;
}

/** Parses `doc`; `path` is the document's position below the render path (for messages and `{{@}}`). */
export function compileDoc(doc: JsonValue, path = ''): DocTemplate {
  if (typeof doc === 'string') {
    return doc.includes('{{')
      ? { kind: 'string', template: compileString(doc), path, lastBase: '', lastFull: path }
      : { kind: 'static', value: doc };
  }
  if (Array.isArray(doc)) {
    const items = doc.map((item, i) => compileDoc(item, `${path}/${i}`));
    return items.every(isStatic) ? staticOf(doc) : { kind: 'array', items };
  }
  if (doc !== null && typeof doc === 'object') {
    const keys = Object.keys(doc);
    if (keys.some((k) => k.includes('{{'))) return { kind: 'walk', doc: deepFrozenCopy(doc), path };
    const all = keys.map((k) => compileDoc(doc[k] as JsonValue, `${path}/${k}`));
    if (all.every(isStatic)) return staticOf(doc);
    const shape: JsonObject = {};
    keys.forEach((k, i) => {
      const t = all[i] as DocTemplate;
      shape[k] = t.kind === 'static' ? t.value : null;
    });
    // `{ ...shape }` never copied a static "__proto__" (assigning it set the shape's prototype).
    const fill = keys
      .map((key, i) => {
        const t = all[i] as DocTemplate;
        return t.kind === 'static' ? { key, value: t.value, template: undefined } : { key, value: null, template: t };
      })
      .filter((f) => f.key !== '__proto__' || f.template !== undefined);
    return { kind: 'object', shape, fill };
  }
  return { kind: 'static', value: doc };
}

function isStatic(t: DocTemplate): boolean {
  return t.kind === 'static';
}

function staticOf(doc: JsonValue): DocTemplate {
  return { kind: 'static', value: deepFrozenCopy(doc) };
}

/** Renders a compiled document under `base` (the path prefix substituteAll's `path` option gives). */
export function renderDoc(t: DocTemplate, ctx: EvalContext, o: RenderOptions, base: string): JsonValue {
  switch (t.kind) {
    case 'static':
      return t.value;
    case 'string': {
      const name = t.template.singleName;
      if (name !== undefined) {
        // What the template renders when the name is present, without the layers below.
        const found = ctx.readName(name);
        if (found !== undefined) {
          return o.copyValues === true && found !== null && typeof found === 'object' ? copyJson(found) : found;
        }
      }
      if (base !== t.lastBase) {
        t.lastFull = base + t.path;
        t.lastBase = base;
      }
      const v = t.template.render(ctx, o, t.lastFull);
      return o.copyValues === true && v !== null && typeof v === 'object' ? copyJson(v) : v;
    }
    case 'array': {
      // A loop, not map(): a closure over the arguments would make every call allocate a context.
      const out: JsonValue[] = [];
      for (const item of t.items) out.push(renderDoc(item, ctx, o, base));
      return out;
    }
    case 'object': {
      const out: JsonObject = {};
      const fill = t.fill;
      for (let i = 0; i < fill.length; i++) {
        const f = fill[i] as (typeof fill)[number];
        out[f.key] = f.template === undefined ? f.value : renderDoc(f.template, ctx, o, base);
      }
      return out;
    }
    case 'walk': {
      const v = substituteAll(t.doc, ctx, { ...o, path: base + t.path });
      return o.copyValues === true ? copyJson(v) : v;
    }
  }
}

const docCache = new WeakMap<object, DocTemplate>();

/**
 * substituteAll() for policy-owned documents, compiled once per document object. The policy must not
 * be mutated in place afterwards (policies are replaced, not edited, when they change).
 */
export function renderPolicyValue(v: JsonValue, ctx: EvalContext, o: RenderOptions): JsonValue {
  const base = o.path ?? '';
  if (typeof v === 'string') return v.includes('{{') ? compileString(v).render(ctx, o, base) : v;
  if (v === null || typeof v !== 'object') return v;
  let t = docCache.get(v);
  if (t === undefined) {
    t = compileDoc(v);
    docCache.set(v, t);
  }
  return renderDoc(t, ctx, o, base);
}

function deepFrozenCopy(v: JsonValue): JsonValue {
  if (Array.isArray(v)) return Object.freeze(v.map(deepFrozenCopy)) as JsonValue[];
  if (v !== null && typeof v === 'object') {
    const out: JsonObject = {};
    for (const k of Object.keys(v)) out[k] = deepFrozenCopy(v[k] as JsonValue);
    return Object.freeze(out);
  }
  return v;
}

export function copyJson(v: JsonValue): JsonValue {
  if (Array.isArray(v)) return v.map(copyJson);
  if (v !== null && typeof v === 'object') {
    const out: JsonObject = {};
    for (const k of Object.keys(v)) out[k] = copyJson(v[k] as JsonValue);
    return out;
  }
  return v;
}
