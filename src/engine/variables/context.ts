// The JSON context a rule's variables are evaluated against: `request`, context entries, `element`, ...
// Mutations go through set() so foreach can checkpoint and restore cheaply.
import type { JsonObject, JsonValue } from '../../api/json.js';
import { isJsonObject } from '../../api/json.js';
import type { FunctionContext, FunctionSpec } from '../jmespath/types.js';
import { search } from '../jmespath/index.js';

export class EvalContext {
  private root: JsonObject;
  private readonly saved: JsonObject[] = [];

  constructor(
    root: JsonObject,
    private readonly fns: FunctionContext,
    /** Functions beyond JMESPath's standard ones: Kyverno's custom functions in production. */
    private readonly functions: ReadonlyMap<string, FunctionSpec>,
  ) {
    this.root = root;
  }

  /** Evaluates a JMESPath expression against the context; throws JmesPathError. */
  query(expression: string): JsonValue {
    return search(expression, this.root, { functions: this.functions, ctx: this.fns });
  }

  /** Evaluates against another value with the same functions (context entries' jmesPath on a value). */
  queryOn(expression: string, data: JsonValue): JsonValue {
    return search(expression, data, { functions: this.functions, ctx: this.fns });
  }

  /** Writes `value` at a dotted path ("request.operation", "a.b.c"), creating objects on the way. */
  set(path: string, value: JsonValue): void {
    const parts = splitPath(path);
    this.root = setIn(this.root, parts, value);
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

// Copy-on-write: earlier checkpoints keep seeing the old tree.
function setIn(obj: JsonObject, parts: string[], value: JsonValue): JsonObject {
  const [head, ...rest] = parts;
  if (head === undefined) return obj;
  const copy: JsonObject = { ...obj };
  if (rest.length === 0) {
    copy[head] = value;
  } else {
    const child = copy[head];
    copy[head] = setIn(isJsonObject(child) ? child : {}, rest, value);
  }
  return copy;
}
