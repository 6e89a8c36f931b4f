// One string's `{{ }}` variables, parsed once. Kyverno's substitution algorithm (see substitute.ts for
// the rules) is a loop of regex scans and split/join rewrites; for the common shape (plain variables
// between brace-free text) it is equivalent to "evaluate each variable in order and concatenate",
// which is what the fast path does. Anything else (nested variables, escapes, values that
// themselves contain `{{`) runs the full algorithm, reusing the first round's values so nothing is
// evaluated twice.
import type { JsonValue } from '../../api/json.js';
import type { CompiledExpression } from '../jmespath/index.js';
import { compile, goJsonString } from '../jmespath/index.js';
import type { FunctionSpec } from '../jmespath/types.js';
import { JmesPathError } from '../jmespath/types.js';
import type { EvalContext } from './context.js';

// One level of inner braces is allowed, so `{{ a.{{ b }} }}` is found inner first.
const VARIABLE = /(^|[^\\])(\{\{(?:\{[^{}]*\}|[^{}])*\}\})/g;
// Results of `{{- }}` are escaped like user escapes, so the re-scan leaves them alone.
const ESCAPED_OPEN = '\\{{';

export class VariableError extends Error {
  constructor(
    message: string,
    readonly variable: string,
    readonly path: string,
  ) {
    super(message);
    this.name = 'VariableError';
  }
}

export interface SubstituteOptions {
  /** The request operation; DELETE rewrites request.object to request.oldObject. */
  operation?: string;
  /** JSON path prefix of the document, for error messages and `{{@}}` ("/generate"). */
  path?: string;
  /** Where `{{@}}` points: "request.object" (default) or "target" (mutate existing). */
  selfRoot?: string;
}

interface Found {
  prefix: string;
  text: string;
  /** Where `text` starts. */
  at: number;
}

interface Resolved {
  value: JsonValue;
  shallow: boolean;
}

/** One `{{ expr }}` occurrence with its expression compiled (when it can be ahead of time). */
class VariablePart {
  readonly shallow: boolean;
  /** undefined: resolve at evaluation time (`{{@}}`, empty, or a syntax error to report then). */
  private readonly compiled: CompiledExpression | undefined;
  private readonly expr: string;
  private deleteCompiled: CompiledExpression | undefined;

  constructor(
    readonly prefix: string,
    readonly text: string,
  ) {
    let expr = text.slice(2, -2).trim();
    this.shallow = expr.startsWith('-');
    if (this.shallow) expr = expr.slice(1).trim();
    this.expr = expr;
    this.compiled = expr === '' || expr === '@' ? undefined : tryCompile(expr);
  }

  /** Compiled, not `{{- }}`, and reading nothing but `request` (see CompiledExpression). */
  get readsOnlyRequest(): boolean {
    return !this.shallow && this.compiled?.readsOnlyRequest === true;
  }

  resolve(ctx: EvalContext, o: SubstituteOptions, path: string): Resolved {
    if (this.compiled === undefined) return resolveVariable(this.text, ctx, o, path);
    return { value: this.value(ctx, o, path), shallow: this.shallow };
  }

  /** resolve()'s value, without the wrapper, for parts that are compiled (see `compiled`). */
  value(ctx: EvalContext, o: SubstituteOptions, path: string): JsonValue {
    let compiled = this.compiled;
    if (compiled === undefined) return resolveVariable(this.text, ctx, o, path).value;
    if (o.operation === 'DELETE') {
      this.deleteCompiled ??= tryCompile(rewriteForDelete(this.expr));
      if (this.deleteCompiled === undefined) return resolveVariable(this.text, ctx, o, path).value;
      compiled = this.deleteCompiled;
    }
    try {
      return ctx.evaluate(compiled);
    } catch (e) {
      throw resolveError(compiled.expression, path, e);
    }
  }
}

function tryCompile(expr: string): CompiledExpression | undefined {
  try {
    return compile(expr);
  } catch {
    return undefined;
  }
}

function rewriteForDelete(expr: string): string {
  return expr.split('request.object').join('request.oldObject');
}

function resolveError(expr: string, path: string, e: unknown): VariableError {
  const reason = e instanceof JmesPathError || e instanceof Error ? e.message : String(e);
  return new VariableError(`failed to resolve ${expr} at path ${path || '/'}: ${reason}`, expr, path);
}

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
    // Every part is evaluated before anything is printed, as the general loop does.
    const values: JsonValue[] = new Array<JsonValue>(parts.length);
    for (let i = 0; i < parts.length; i++) values[i] = (parts[i] as VariablePart).value(ctx, o, path);
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

const cacheLimit = 8192;
const cache = new Map<string, StringTemplate>();

/** The parsed form of `source` (memoised: policies hold a bounded set of strings). */
export function compileString(source: string): StringTemplate {
  let t = cache.get(source);
  if (t === undefined) {
    t = new StringTemplate(source);
    if (cache.size >= cacheLimit) cache.clear();
    cache.set(source, t);
  }
  return t;
}

export function hasVariables(s: string): boolean {
  VARIABLE.lastIndex = 0;
  return VARIABLE.test(s);
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

/**
 * The rewritten string (and its scan) that the first round of the loop produced from these
 * replacement texts, kept per template: nested variables (`{{ tiers.{{ env }} }}`) mostly see the
 * same inner values again, and the rewrite, its concatenations and the scan's lookup of a fresh string
 * are then skipped. Only text is kept, never a value.
 */
interface FirstRound {
  replacements: string[];
  result: string;
  found: readonly Found[];
}

/**
 * Kyverno's loop: resolve what the scan finds, rewrite, scan again. `first` holds the values of the
 * first scan's variables when they were already resolved (same order as findVariables).
 */
function substituteGeneral(
  value: string,
  ctx: EvalContext,
  o: SubstituteOptions,
  path: string,
  first: readonly Resolved[] | undefined,
  memo?: FirstRound,
): JsonValue {
  let current = value;
  let found = scanned(current);
  let round = 0;
  if (memo !== undefined && first !== undefined && found.length > 0 && found.length === first.length) {
    const rewritten = rewriteFirstRound(value, found, first, memo);
    if (rewritten !== undefined) {
      current = rewritten.result;
      found = rewritten.found;
      round = 1;
    }
  }
  while (found.length > 0) {
    // After inner variables resolve, an outer variable may now be the whole string: it keeps its type.
    const whole = current;
    for (let i = 0; i < found.length; i++) {
      const { prefix, text } = found[i] as Found;
      const result = (round === 0 ? first?.[i] : undefined) ?? partFor(prefix, text).resolve(ctx, o, path);
      if (text === whole && !result.shallow) return result.value;
      let replacement = stringify(result.value);
      if (result.shallow) replacement = replaceEvery(replacement, '{{', ESCAPED_OPEN);
      current = replaceEvery(current, prefix + text, prefix + replacement);
      if (text === whole) return unescape(current);
    }
    round++;
    found = scanned(current);
  }
  return unescape(current);
}

/**
 * The first round of substituteGeneral's loop when no variable is the whole string (then every variable
 * is replaced by its text and none returns early), through `memo`; undefined in the other case.
 */
function rewriteFirstRound(
  value: string,
  found: readonly Found[],
  first: readonly Resolved[],
  memo: FirstRound,
): FirstRound | undefined {
  const replacements: string[] = [];
  // An empty memo (no render yet) never equals: `found` is not empty.
  let same = memo.replacements.length === found.length;
  for (let i = 0; i < found.length; i++) {
    if ((found[i] as Found).text === value) return undefined;
    const result = first[i] as Resolved;
    let replacement = stringify(result.value);
    if (result.shallow) replacement = replaceEvery(replacement, '{{', ESCAPED_OPEN);
    if (same && memo.replacements[i] !== replacement) same = false;
    replacements.push(replacement);
  }
  if (same) return memo;
  let current = value;
  for (let i = 0; i < found.length; i++) {
    const { prefix, text } = found[i] as Found;
    current = replaceEvery(current, prefix + text, prefix + (replacements[i] as string));
  }
  memo.replacements = replacements;
  memo.result = current;
  memo.found = scanned(current);
  return memo;
}

// The loop re-scans the strings it rewrites; a policy yields a bounded set of them (nested variables
// produce one per inner value), so the scans are memoised like the templates.
const scans = new Map<string, readonly Found[]>();

function scanned(s: string): readonly Found[] {
  let found = scans.get(s);
  if (found === undefined) {
    found = findVariables(s);
    if (scans.size >= cacheLimit) scans.clear();
    scans.set(s, found);
  }
  return found;
}

// Variables the loop finds after a rewrite (`{{ tiers.prod }}`), parsed once like the scans.
const rescanned = new Map<string, VariablePart>();

function partFor(prefix: string, text: string): VariablePart {
  let part = rescanned.get(text);
  if (part === undefined) {
    part = new VariablePart(prefix, text);
    if (rescanned.size >= cacheLimit) rescanned.clear();
    rescanned.set(text, part);
  }
  return part;
}

function findVariables(s: string): Found[] {
  const out: Found[] = [];
  VARIABLE.lastIndex = 0;
  for (let m = VARIABLE.exec(s); m !== null; m = VARIABLE.exec(s)) {
    const prefix = m[1] ?? '';
    const text = m[2] ?? '';
    out.push({ prefix, text, at: m.index + prefix.length });
    // The prefix character belongs to the match; let adjacent variables ("{{a}}{{b}}") be found too.
    VARIABLE.lastIndex = m.index + prefix.length + text.length;
  }
  return out;
}

function resolveVariable(text: string, ctx: EvalContext, o: SubstituteOptions, path: string): Resolved {
  let expr = text.slice(2, -2).trim();
  let shallow = false;
  if (expr.startsWith('-')) {
    shallow = true;
    expr = expr.slice(1).trim();
  }
  if (expr === '@') expr = selfPath(o.selfRoot ?? 'request.object', path);
  if (o.operation === 'DELETE') expr = rewriteForDelete(expr);
  if (expr === '')
    throw new VariableError(
      `failed to resolve ${text} at path ${path || '/'}: invalid query (nil)`,
      text,
      path,
    );
  try {
    return { value: ctx.query(expr), shallow };
  } catch (e) {
    throw resolveError(expr, path, e);
  }
}

/** `{{@}}` is the value at the current field's position in the resource. */
function selfPath(root: string, path: string): string {
  const parts = path
    .split('/')
    .filter((p) => p !== '')
    .map((p) => (/^\d+$/.test(p) ? `[${p}]` : `."${stripAnchor(p)}"`));
  // Skip the rule-level prefix (e.g. /mutate/patchStrategicMerge) that is not part of the resource.
  const start = parts.findIndex((p) => p === '."spec"' || p === '."metadata"' || p === '."data"');
  const tail = start >= 0 ? parts.slice(start).join('') : parts.join('');
  return `${root}${tail}`;
}

function stripAnchor(key: string): string {
  const m = /^[+=X^<]?\((.*)\)$/.exec(key);
  return m?.[1] ?? key;
}

/** Kyverno prints non-string values as Go's json.Marshal does (sorted keys, <>& escaped). */
export function stringify(v: JsonValue): string {
  return typeof v === 'string' ? v : goJsonString(v);
}

function unescape(s: string): JsonValue {
  return s.includes(ESCAPED_OPEN) ? replaceEvery(s, ESCAPED_OPEN, '{{') : s;
}

/**
 * `s.split(find).join(replacement)` (Go's strings.ReplaceAll) for a non-empty `find`, as an indexOf
 * loop: the built-in split is slow on the fresh strings this loop produces.
 */
export function replaceEvery(s: string, find: string, replacement: string): string {
  let at = s.indexOf(find);
  if (at < 0) return s;
  let out = '';
  let from = 0;
  while (at >= 0) {
    out += s.slice(from, at) + replacement;
    from = at + find.length;
    at = s.indexOf(find, from);
  }
  return out + s.slice(from);
}
