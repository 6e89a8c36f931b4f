// One string's `{{ }}` variables, parsed once. Kyverno's substitution algorithm (see substitute.ts for
// the rules) is a loop of regex scans and split/join rewrites; for the common shape (plain variables
// between brace-free text) it is equivalent to "evaluate each variable in order and concatenate",
// which is what the fast path does. Anything else (nested variables, escapes, values that
// themselves contain `{{`) runs the full algorithm (rewrite-loop.ts), reusing the first round's
// values so nothing is evaluated twice.
import type { JsonValue } from '../../api/json.js';
import type { FunctionSpec } from '../jmespath/types.js';
import type { EvalContext } from './context.js';
import type { FirstRound } from './rewrite-loop.js';
import { substituteGeneral } from './rewrite-loop.js';
import { findVariables, stringify, TEMPLATE_CACHE_LIMIT } from './template-text.js';
import type { Resolved, SubstituteOptions } from './variable-part.js';
import { VariablePart } from './variable-part.js';

// The template's importers see one module; the pieces live in template-text, variable-part and rewrite-loop.
export { hasVariables, replaceEvery, stringify } from './template-text.js';
export type { SubstituteOptions } from './variable-part.js';
export { VariableError } from './variable-part.js';

export class StringTemplate {
  readonly parts: readonly VariablePart[];
  /** Text around the parts (parts.length + 1 pieces); only used on the fast path. */
  private readonly statics: readonly string[];
  /** Plain variables between brace-free text, no variable twice: concatenation is exact. */
  private readonly fast: boolean;
  /** The string is exactly one variable: its value keeps its JSON type. */
  private readonly whole: boolean;
  /** The one part of a `whole` template that is not `{{- }}`. */
  private readonly single: VariablePart | undefined;
  /** A fast template whose every part reads only `request` (see render). */
  private readonly requestOnly: boolean;
  /**
   * The top-level name of a template that is one plain variable reading only that name (`{{ element }}`,
   * `{{ team }}`): renderers may read it straight from the context (EvalContext.readName) and render
   * as usual when it is missing.
   */
  readonly singleName: string | undefined;
  private lastRequest: JsonValue | undefined = undefined;
  private lastFunctions: ReadonlyMap<string, FunctionSpec> | undefined = undefined;
  private lastValue: JsonValue = null;
  /** Set when the last render went through Kyverno's rewrite loop. */
  private rescanned = false;
  /** The last first round of Kyverno's rewrite loop for this string (see substituteGeneral). */
  private readonly firstRound: FirstRound = { replacements: [], result: '', found: [] };

  constructor(readonly source: string) {
    const found = findVariables(source);
    this.parts = found.map((f) => new VariablePart(f.prefix, f.text));
    const statics: string[] = [];
    let from = 0;
    for (const f of found) {
      statics.push(source.slice(from, f.at));
      from = f.at + f.text.length;
    }
    statics.push(source.slice(from));
    this.statics = statics;
    const texts = new Set(found.map((f) => f.text));
    this.fast =
      found.length > 0 &&
      texts.size === found.length &&
      statics.every((s) => !/[{}]/.test(s)) &&
      found.every((f) => !/[{}]/.test(f.text.slice(2, -2)));
    this.whole = found.length === 1 && found[0]?.text === source;
    const only = this.parts[0];
    this.single = this.whole && only !== undefined && !only.shallow ? only : undefined;
    this.requestOnly = this.fast && this.parts.every((p) => p.readsOnlyRequest);
    this.singleName = this.requestOnly ? undefined : this.single?.topName;
  }

  /**
   * render(), kept per `request` object for templates that read nothing else (every rule of a
   * request renders `{{ request.object.metadata.name }}` again): a scalar result is reused while the
   * context's `request` is the same object, the operation is not DELETE (which rewrites the
   * expressions) and the functions are the same. Failures are never kept; they throw every time.
   */
  render(ctx: EvalContext, o: SubstituteOptions, path: string): JsonValue {
    if (!this.requestOnly || o.operation === 'DELETE') return this.renderNow(ctx, o, path);
    const request = ctx.requestValue();
    if (request === undefined) return this.renderNow(ctx, o, path);
    if (request === this.lastRequest && ctx.functionTable === this.lastFunctions) return this.lastValue;
    this.rescanned = false;
    const v = this.renderNow(ctx, o, path);
    // A value that brought new `{{ }}` was substituted from the whole context: not kept.
    if (!this.rescanned && (v === null || typeof v !== 'object')) {
      this.lastRequest = request;
      this.lastFunctions = ctx.functionTable;
      this.lastValue = v;
    }
    return v;
  }

  private renderNow(ctx: EvalContext, o: SubstituteOptions, path: string): JsonValue {
    // The commonest template by far: one variable that is the whole string (its value keeps its type).
    const single = this.single;
    if (single !== undefined) return single.value(ctx, o, path);
    const parts = this.parts;
    if (this.whole && parts.length === 1) {
      const only = parts[0] as VariablePart;
      if (!only.shallow) return only.value(ctx, o, path);
      const r = only.resolve(ctx, o, path);
      if (this.fast) {
        const s = stringify(r.value);
        if (!s.includes('{{')) return s;
      }
      return substituteGeneral(this.source, ctx, o, path, [r]);
    }
    if (!this.fast) {
      const first: Resolved[] = [];
      for (const part of parts) first.push(part.resolve(ctx, o, path));
      return substituteGeneral(this.source, ctx, o, path, first, this.firstRound);
    }
    if (parts.length === 2) {
      // The commonest multi-part shape (`env-{{ elementIndex }}-{{ element }}`), without a values list.
      const v0 = (parts[0] as VariablePart).value(ctx, o, path);
      const v1 = (parts[1] as VariablePart).value(ctx, o, path);
      const s0 = stringify(v0);
      const s1 = stringify(v1);
      // Without a `{` in the values the loop below would only concatenate.
      if (!s0.includes('{') && !s1.includes('{')) {
        return (this.statics[0] ?? '') + s0 + (this.statics[1] ?? '') + s1 + (this.statics[2] ?? '');
      }
      return this.printed(ctx, o, path, [v0, v1]);
    }
    // Every part is evaluated before anything is printed, as the general loop does.
    const values: JsonValue[] = new Array<JsonValue>(parts.length);
    for (let i = 0; i < parts.length; i++) values[i] = (parts[i] as VariablePart).value(ctx, o, path);
    return this.printed(ctx, o, path, values);
  }

  /** The fast path's values printed between the static text (or the general loop, if they bring `{{`). */
  private printed(ctx: EvalContext, o: SubstituteOptions, path: string, values: JsonValue[]): JsonValue {
    let out = this.statics[0] ?? '';
    // The static text has no braces, so only values with a `{` can make the result contain `{{`.
    let braces = false;
    for (let i = 0; i < values.length; i++) {
      const s = stringify(values[i] as JsonValue);
      if (s.includes('{')) {
        if (s.includes('{{')) return this.general(ctx, o, path, values);
        braces = true;
      }
      out += s + (this.statics[i + 1] ?? '');
    }
    if (braces && out.includes('{{')) return this.general(ctx, o, path, values);
    return out;
  }

  private general(ctx: EvalContext, o: SubstituteOptions, path: string, values: JsonValue[]): JsonValue {
    this.rescanned = true;
    const first = values.map((value, i): Resolved => ({ value, shallow: (this.parts[i] as VariablePart).shallow }));
    return substituteGeneral(this.source, ctx, o, path, first);
  }
}

const cache = new Map<string, StringTemplate>();

/** The parsed form of `source` (memoised: policies hold a bounded set of strings). */
export function compileString(source: string): StringTemplate {
  let t = cache.get(source);
  if (t === undefined) {
    t = new StringTemplate(source);
    if (cache.size >= TEMPLATE_CACHE_LIMIT) cache.clear();
    cache.set(source, t);
  }
  return t;
}

/** Substitutes the variables of one string. */
export function substituteString(
  value: string,
  ctx: EvalContext,
  o: SubstituteOptions,
  path = '',
): JsonValue {
  if (!value.includes('{{')) return value;
  return compileString(value).render(ctx, o, path);
}

