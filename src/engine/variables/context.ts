// The JSON context a rule's variables are evaluated against: `request`, context entries, `element`, ...
// Mutations go through set() so foreach can checkpoint and restore cheaply.
import type { JsonObject, JsonValue } from '../../api/json.js';
import { isJsonObject } from '../../api/json.js';
import type { FunctionContext, FunctionSpec } from '../jmespath/types.js';
import type { CompiledExpression, SearchOptions } from '../jmespath/index.js';
import { compile, MissingKey, search } from '../jmespath/index.js';
import { getOwn } from '../jmespath/values.js';

export class EvalContext {
  private root: JsonObject;
  /**
   * The root is a copy this context made and nobody else holds (no checkpoint, no caller, no query
   * result): top-level names can then be written in place instead of copying the root again.
   */
  private owned = false;
  /** Checkpoints; created by the first one (most contexts never take one). */
  private saved: JsonObject[] | undefined;
  private readonly options: SearchOptions;
  private copiedRoot: JsonObject | undefined;
  private copiedKeys: readonly string[] = [];
  /** The root given to the constructor, which `copyInitial` copies. */
  private readonly initial: JsonObject;

  constructor(
    root: JsonObject,
    private readonly fns: FunctionContext,
    /** Functions beyond JMESPath's standard ones: Kyverno's custom functions in production. */
    private readonly functions: ReadonlyMap<string, FunctionSpec>,
    /**
     * A copy of `root` with the same keys in the same order, for a root of a known shape (the request
     * root): a literal is far cheaper than a key-by-key copy.
     */
    private readonly copyInitial?: (root: JsonObject) => JsonObject,
  ) {
    this.root = root;
    this.initial = root;
    this.options = searchOptions(functions, fns);
  }

  /**
   * The root's `request` object, for values computed from it alone that may be kept per request
   * (StringTemplate); undefined when there is none, or when this context's results must not be kept.
   */
  requestValue(): JsonValue | undefined {
    // A subclass that changes what evaluation gives (a lenient view reads failures as '') renders
    // values that must not be kept for strict contexts, and the other way round.
    if (this.evaluate !== EvalContext.prototype.evaluate) return undefined;
    return this.root['request'];
  }

  /** The functions beyond the standard ones (part of what a kept value depends on). */
  get functionTable(): ReadonlyMap<string, FunctionSpec> {
    return this.functions;
  }

  /**
   * The value of a top-level name (what evaluating the single field `name` finds), or undefined when
   * it is missing or this context changes what evaluation gives: callers then evaluate as usual.
   */
  readName(name: string): JsonValue | undefined {
    if (this.evaluate !== EvalContext.prototype.evaluate) return undefined;
    return getOwn(this.root, name);
  }

  /** Evaluates a JMESPath expression against the context; throws JmesPathError. */
  query(expression: string): JsonValue {
    return this.evaluateRoot(compile(expression));
  }

  /** query() for an expression compiled ahead of time; subclasses that change query() change this too. */
  evaluate(compiled: CompiledExpression): JsonValue {
    return this.evaluateRoot(compiled);
  }

  /** evaluate() that returns a missing key instead of throwing it; subclasses overriding evaluate() override this too. */
  evaluateOrMissing(compiled: CompiledExpression): JsonValue | MissingKey {
    if (compiled.mayReturnInput) this.owned = false;
    return compiled.evaluateOnContextRoot(this.root, this.options);
  }

  private evaluateRoot(compiled: CompiledExpression): JsonValue {
    // `@` may hand the root itself to the caller, who may store it (even back into the context).
    if (compiled.mayReturnInput) this.owned = false;
    const v = compiled.evaluateOnContextRoot(this.root, this.options);
    if (v instanceof MissingKey) throw v.error;
    return v;
  }

  /** Evaluates against another value with the same functions (context entries' jmesPath on a value). */
  queryOn(expression: string, data: JsonValue): JsonValue {
    return search(expression, data, this.options);
  }

  /** evaluate() against another value. */
  evaluateOn(compiled: CompiledExpression, data: JsonValue): JsonValue {
    return compiled.evaluate(data, this.options);
  }

  /** Writes `value` at a dotted path ("request.operation", "a.b.c"), creating objects on the way. */
  set(path: string, value: JsonValue): void {
    if (!path.includes('.') && !path.includes('"')) {
      // A top-level name (element, a context entry): at most one shallow copy.
      this.writable()[path] = value;
      return;
    }
    this.root = setIn(this.root, splitPath(path), value);
    this.owned = true;
  }

  /** set() for a name known to be top-level (no `.` or `"`), without scanning it. */
  setName(name: string, value: JsonValue): void {
    this.writable()[name] = value;
  }

  /** set(name1, value1) then set(name2, value2), for top-level names, with at most one copy of the root. */
  setNames(name1: string, value1: JsonValue, name2: string, value2: JsonValue): void {
    const root = this.writable();
    root[name1] = value1;
    root[name2] = value2;
  }

  /**
   * setNames('element', element, 'elementIndex', index): a foreach element's names, written as
   * constants, which V8 stores from the call site's feedback (the names of setNames are looked up).
   */
  setElement(element: JsonValue, index: number): void {
    const root = this.writable();
    root['element'] = element;
    root['elementIndex'] = index;
  }

  /** The root, copied first unless this context alone holds it. */
  private writable(): JsonObject {
    if (!this.owned) {
      const root = this.root;
      this.root =
        root === this.initial && this.copyInitial !== undefined
          ? this.copyInitial(root)
          : shallowCopy(root, this.keysOf(root));
      this.owned = true;
    }
    return this.root;
  }

  /**
   * Object.keys(root), remembered for the last root copied: a foreach copies its checkpoint once per
   * element, and nothing adds names to a root this context does not own.
   */
  private keysOf(root: JsonObject): readonly string[] {
    if (root !== this.copiedRoot) {
      this.copiedKeys = Object.keys(root);
      this.copiedRoot = root;
    }
    return this.copiedKeys;
  }

  get data(): JsonObject {
    this.owned = false;
    return this.root;
  }

  functionContext(): FunctionContext {
    return this.fns;
  }

  checkpoint(): void {
    if (this.saved === undefined) this.saved = [this.root];
    else this.saved.push(this.root);
    this.owned = false;
  }

  /**
   * restore(), except that a root this context copied since the checkpoint and never handed out is
   * kept: for a caller that writes the same top-level names in the same order again (a foreach
   * element scope), overwriting them gives the same root as writing them into a fresh copy.
   */
  restoreOrReuse(): void {
    if (!this.owned) this.restore();
  }

  restore(): void {
    const saved = this.saved;
    const top = saved === undefined ? undefined : saved[saved.length - 1];
    if (top !== undefined) {
      this.root = top;
      this.owned = false;
    }
  }

  dropCheckpoint(): void {
    const top = this.saved?.pop();
    if (top !== undefined) {
      this.root = top;
      this.owned = false;
    }
  }
}

// Every rule context of a request has the same functions and environment: one options object
// serves them all (the runtime it caches is keyed by the same two values).
let lastOptions: SearchOptions | undefined;

function searchOptions(functions: ReadonlyMap<string, FunctionSpec>, fns: FunctionContext): SearchOptions {
  if (lastOptions === undefined || lastOptions.functions !== functions || lastOptions.ctx !== fns) {
    lastOptions = { functions, ctx: fns };
  }
  return lastOptions;
}

/** "a.b.c" → [a, b, c]; a quoted segment ("a.\"x.y\".c") keeps its dots. */
function splitPath(path: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (const ch of path) {
    if (ch === '"') quoted = !quoted;
    else if (ch === '.' && !quoted) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

// Built key by key into a fresh literal: V8 takes a slow path when a property is added to a spread
// copy, and the context gains a property on nearly every write.
function shallowCopy(obj: JsonObject, keys: readonly string[] = Object.keys(obj)): JsonObject {
  const out: JsonObject = {};
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i] as string;
    out[k] = obj[k] as JsonValue;
  }
  return out;
}

// Copy-on-write: earlier checkpoints keep seeing the old tree.
function setIn(obj: JsonObject, parts: string[], value: JsonValue): JsonObject {
  const [head, ...rest] = parts;
  if (head === undefined) return obj;
  const copy = shallowCopy(obj);
  if (rest.length === 0) {
    copy[head] = value;
  } else {
    const child = copy[head];
    copy[head] = setIn(isJsonObject(child) ? child : {}, rest, value);
  }
  return copy;
}
