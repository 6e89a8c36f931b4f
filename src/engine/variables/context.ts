// The JSON context a rule's variables are evaluated against: `request`, context entries, `element`, ...
// Mutations go through set() so foreach can checkpoint and restore cheaply.
import type { JsonObject, JsonValue } from '../../api/json.js';
import { isJsonObject } from '../../api/json.js';
import type { FunctionContext, FunctionSpec } from '../jmespath/types.js';
import type { CompiledExpression, SearchOptions } from '../jmespath/index.js';
import { search } from '../jmespath/index.js';

export class EvalContext {
  private root: JsonObject;
  private readonly saved: JsonObject[] = [];
  private readonly options: SearchOptions;

  constructor(
    root: JsonObject,
    private readonly fns: FunctionContext,
    /** Functions beyond JMESPath's standard ones: Kyverno's custom functions in production. */
    private readonly functions: ReadonlyMap<string, FunctionSpec>,
  ) {
    this.root = root;
    this.options = { functions, ctx: fns };
  }

  /** Evaluates a JMESPath expression against the context; throws JmesPathError. */
  query(expression: string): JsonValue {
    return search(expression, this.root, this.options);
  }

  /** query() for an expression compiled ahead of time; subclasses that change query() change this too. */
  evaluate(compiled: CompiledExpression): JsonValue {
    return compiled.evaluate(this.root, this.options);
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
      // A top-level name (element, a context entry): one shallow copy.
      const copy = shallowCopy(this.root);
      copy[path] = value;
      this.root = copy;
      return;
    }
    this.root = setIn(this.root, splitPath(path), value);
  }

  /** set(name1, value1) then set(name2, value2), for top-level names, with one copy of the root. */
  setNames(name1: string, value1: JsonValue, name2: string, value2: JsonValue): void {
    const copy = shallowCopy(this.root);
    copy[name1] = value1;
    copy[name2] = value2;
    this.root = copy;
  }

  get data(): JsonObject {
    return this.root;
  }

  functionContext(): FunctionContext {
    return this.fns;
  }

  checkpoint(): void {
    this.saved.push(this.root);
  }

  restore(): void {
    const top = this.saved[this.saved.length - 1];
    if (top !== undefined) this.root = top;
  }

  dropCheckpoint(): void {
    const top = this.saved.pop();
    if (top !== undefined) this.root = top;
  }
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
function shallowCopy(obj: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const k of Object.keys(obj)) out[k] = obj[k] as JsonValue;
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
