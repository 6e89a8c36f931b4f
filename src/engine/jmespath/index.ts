// Public entry point: JMESPath as Kyverno evaluates it (original spec + kyverno/go-jmespath's
// missing-key errors). Expressions are parsed once and cached; evaluation never mutates data.
//
// Missing keys: `a.b` on an object without `b` throws JmesPathError kind 'not-found'
// ("Unknown key \"b\" in path"). Inside comparators, function arguments, ||, &&, !, filter
// projections (condition and projected value), projections, multi-select items and &expr
// evaluation the error counts as null, so `a.b || 'default'` and
// `spec.[initContainers, containers][]` work. A field read on a non-object (null, array,
// string, ...) is null, not an error.
import type { JsonValue } from '../../api/json.js';
import type { AstNode } from './ast.js';
import type { Runtime } from './interpreter.js';
import { evaluate, notFound } from './interpreter.js';
import { parse } from './parser.js';
import { standardFunctions } from './standard-functions.js';
import { getOwn } from './values.js';
import type { FunctionContext, FunctionSpec } from './types.js';

export { standardFunctions } from './standard-functions.js';
export { JmesPathError } from './types.js';
export type { ArgSpec, ArgType, ExpressionRef, FunctionArg, FunctionContext, FunctionSpec } from './types.js';
export { deepEqual, goJsonString, isFalse, typeOf } from './values.js';
export type { JmesType } from './values.js';

export interface SearchOptions {
  /** Functions added to (and overriding) the standard library, e.g. Kyverno's custom functions. */
  functions?: ReadonlyMap<string, FunctionSpec>;
  ctx: FunctionContext;
}

export interface CompiledExpression {
  readonly expression: string;
  evaluate(data: JsonValue, options: SearchOptions): JsonValue;
}

class Compiled implements CompiledExpression {
  /** For `a.b.c` (the most common expression by far): the keys, read without walking the tree. */
  private readonly fields: readonly string[] | undefined;

  constructor(
    readonly expression: string,
    private readonly ast: AstNode,
  ) {
    this.fields = fieldChain(ast);
  }

  evaluate(data: JsonValue, options: SearchOptions): JsonValue {
    if (this.fields !== undefined) return readFields(this.fields, data);
    const runtime: Runtime = { functions: options.functions, standard: standardFunctions, ctx: options.ctx };
    return evaluate(this.ast, data, runtime);
  }
}

/** The keys of a pure field chain (`a`, `a.b`, `a."x.y".c`), or undefined for anything else. */
function fieldChain(ast: AstNode): string[] | undefined {
  if (ast.type === 'field') return [ast.name];
  if (ast.type !== 'subexpression') return undefined;
  const left = fieldChain(ast.left);
  const right = left === undefined ? undefined : fieldChain(ast.right);
  return left === undefined || right === undefined ? undefined : [...left, ...right];
}

/** What the interpreter does for a field chain: null through non-objects, not-found for a missing key. */
function readFields(fields: readonly string[], data: JsonValue): JsonValue {
  let value = data;
  for (const name of fields) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
    const found = getOwn(value, name);
    if (found === undefined) throw notFound(name);
    value = found;
  }
  return value;
}

/** Policies hold a bounded set of expressions; past this many, the oldest entries are evicted. */
const cacheLimit = 4096;
const cache = new Map<string, CompiledExpression>();

/** Parses (or fetches from the cache) an expression; throws JmesPathError kind 'syntax'. */
export function compile(expression: string): CompiledExpression {
  const hit = cache.get(expression);
  if (hit !== undefined) return hit;
  const compiled = new Compiled(expression, parse(expression));
  if (cache.size >= cacheLimit) {
    const oldest = cache.keys().next();
    if (oldest.done !== true) cache.delete(oldest.value);
  }
  cache.set(expression, compiled);
  return compiled;
}

export function search(expression: string, data: JsonValue, options: SearchOptions): JsonValue {
  return compile(expression).evaluate(data, options);
}
