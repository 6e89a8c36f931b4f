// Public entry point: JMESPath as Kyverno evaluates it (original spec + kyverno/go-jmespath's
// missing-key errors). Expressions are parsed once and cached; evaluation never mutates data.
//
// Missing keys: `a.b` on an object without `b` throws JmesPathError kind 'not-found'
// ("Unknown key \"b\" in path"). Inside comparators, function arguments, ||, &&, !, filter
// projections (condition and projected value), projections, multi-select items and &expr
// evaluation the error counts as null, so `a.b || 'default'` and
// `spec.[initContainers, containers][]` work. A field read on a non-object (null, array,
// string, ...) is null, not an error.
import type { JsonObject, JsonValue } from '../../api/json.js';
import type { AstNode } from './ast.js';
import type { Runtime } from './interpreter.js';
import { evaluateNode, MissingKey, missingKey } from './interpreter.js';
import { isScalarOrScalarList, readsOnlyRequest } from './request-only.js';
import { parse } from './parser.js';
import { standardFunctions } from './standard-functions.js';
import { getOwn } from './values.js';
import type { FunctionContext, FunctionSpec } from './types.js';

export { standardFunctions } from './standard-functions.js';
export { MissingKey } from './interpreter.js';
export { JmesPathError } from './types.js';
export type { ArgSpec, ArgType, ExpressionRef, FunctionArg, FunctionContext, FunctionSpec } from './types.js';
export { deepEqual, goJsonString, isFalse, typeOf } from './values.js';
export type { JmesType } from './values.js';

export interface SearchOptions {
  /** Functions added to (and overriding) the standard library, e.g. Kyverno's custom functions. */
  functions?: ReadonlyMap<string, FunctionSpec>;
  ctx: FunctionContext;
  /** Filled in by evaluation: the interpreter's runtime for these options, kept for the next query. */
  runtime?: Runtime;
}

export interface CompiledExpression {
  readonly expression: string;
  /**
   * The result may be (or contain) the input object itself: the expression has an `@` somewhere.
   * Without one, a query only hands out values found inside the input.
   */
  readonly mayReturnInput: boolean;
  evaluate(data: JsonValue, options: SearchOptions): JsonValue;
  /** evaluate(), but a missing key comes back as a MissingKey (holding the error) instead of a throw. */
  evaluateOrMissing(data: JsonValue, options: SearchOptions): JsonValue | MissingKey;
  /**
   * evaluateOrMissing() on the root of an EvalContext, whose values nobody writes into (contexts copy
   * on write). A field chain into `request` is remembered for the last `request` object it read: every
   * rule of an admission request shares one, and the chain's keyed reads are megamorphic (the single
   * most repeated cost of a generate evaluation). A new request, or a context that set something
   * below `request` (copying it), has another `request` object and reads afresh.
   */
  evaluateOnContextRoot(root: JsonObject, options: SearchOptions): JsonValue | MissingKey;
  /** The expression reads nothing from the root but `request` and calls only pure functions. */
  readonly readsOnlyRequest: boolean;
  /** For a single field (`element`, `team`): its key, whose value is the expression's value when present. */
  readonly topLevelName: string | undefined;
}

class Compiled implements CompiledExpression {
  /** For `a.b.c` (the most common expression by far): the keys, read without walking the tree. */
  private readonly fields: readonly string[] | undefined;
  /** For `request.x.y`: the keys after `request` (see evaluateOnContextRoot). */
  private readonly requestTail: readonly string[] | undefined;
  private lastRequest: JsonValue | undefined = undefined;
  private lastValue: JsonValue | MissingKey = null;
  /** Reads nothing from the root but `request`, and calls only pure functions (see readsOnlyRequest). */
  private readonly requestOnly: boolean;
  readonly readsOnlyRequest: boolean;
  readonly topLevelName: string | undefined;
  private lastFunctions: ReadonlyMap<string, FunctionSpec> | undefined = undefined;
  readonly mayReturnInput: boolean;

  constructor(
    readonly expression: string,
    private ast: AstNode,
  ) {
    this.fields = fieldChain(ast);
    this.topLevelName = this.fields !== undefined && this.fields.length === 1 ? this.fields[0] : undefined;
    this.requestTail =
      this.fields !== undefined && this.fields.length > 1 && this.fields[0] === 'request'
        ? this.fields.slice(1)
        : undefined;
    this.mayReturnInput = hasCurrentNode(ast);
    this.ast = withFieldChains(ast);
    this.requestOnly = this.requestTail === undefined && readsOnlyRequest(this.ast);
    this.readsOnlyRequest = this.requestTail !== undefined || this.requestOnly;
  }

  evaluate(data: JsonValue, options: SearchOptions): JsonValue {
    const v = this.evaluateOrMissing(data, options);
    if (v instanceof MissingKey) throw v.error;
    return v;
  }

  evaluateOrMissing(data: JsonValue, options: SearchOptions): JsonValue | MissingKey {
    if (this.fields !== undefined) return readFields(this.fields, data);
    return evaluateNode(this.ast, data, runtimeFor(options));
  }

  evaluateOnContextRoot(root: JsonObject, options: SearchOptions): JsonValue | MissingKey {
    const tail = this.requestTail;
    if (tail !== undefined) {
      const request = getOwn(root, 'request');
      if (request === undefined) return missingKey('request');
      if (request !== this.lastRequest) {
        this.lastValue = readFields(tail, request);
        this.lastRequest = request;
      }
      return this.lastValue;
    }
    if (!this.requestOnly) return this.evaluateOrMissing(root, options);
    return this.evaluateRequestOnly(root, runtimeFor(options));
  }

  /**
   * An expression that reads only `request` from the root and calls only pure functions: the value
   * of the last `request` object is kept when it is a scalar or a list of scalars (a copy is handed
   * out each time, so no caller shares it); other values are evaluated every time.
   */
  private evaluateRequestOnly(root: JsonObject, rt: Runtime): JsonValue | MissingKey {
    const request = getOwn(root, 'request');
    if (request !== undefined && request === this.lastRequest && rt.functions === this.lastFunctions) {
      const kept = this.lastValue;
      return Array.isArray(kept) ? kept.slice() : kept;
    }
    const v = evaluateNode(this.ast, root, rt);
    if (request !== undefined && isScalarOrScalarList(v)) {
      this.lastRequest = request;
      this.lastFunctions = rt.functions;
      this.lastValue = Array.isArray(v) ? v.slice() : v;
    }
    return v;
  }
}

// Every rule context of a request has its own options with the same functions and environment: the
// last runtime built serves them all.
let lastRuntime: Runtime = { functions: undefined, standard: standardFunctions, ctx: { now: () => 0, random: () => 0 } };

function runtimeFor(options: SearchOptions): Runtime {
  const rt = options.runtime;
  if (rt !== undefined && rt.functions === options.functions && rt.ctx === options.ctx) return rt;
  if (lastRuntime.functions !== options.functions || lastRuntime.ctx !== options.ctx) {
    lastRuntime = { functions: options.functions, standard: standardFunctions, ctx: options.ctx };
  }
  options.runtime = lastRuntime;
  return lastRuntime;
}

/** The keys of a pure field chain (`a`, `a.b`, `a."x.y".c`), or undefined for anything else. */
function fieldChain(ast: AstNode): string[] | undefined {
  if (ast.type === 'field') return [ast.name];
  if (ast.type !== 'subexpression') return undefined;
  const left = fieldChain(ast.left);
  const right = left === undefined ? undefined : fieldChain(ast.right);
  return left === undefined || right === undefined ? undefined : [...left, ...right];
}

/** A copy of the tree with every field chain of two or more keys turned into one `fields` node. */
function withFieldChains(node: AstNode): AstNode {
  const chain = fieldChain(node);
  if (chain !== undefined && chain.length > 1) return { type: 'fields', names: chain };
  switch (node.type) {
    case 'field':
    case 'fields':
    case 'current':
    case 'literal':
    case 'index':
    case 'slice':
      return node;
    case 'flatten':
    case 'not':
    case 'expref':
      return { ...node, child: withFieldChains(node.child) };
    case 'filterProjection':
      return {
        ...node,
        left: withFieldChains(node.left),
        right: withFieldChains(node.right),
        condition: withFieldChains(node.condition),
      };
    case 'multiSelectList':
      return { ...node, children: node.children.map(withFieldChains) };
    case 'multiSelectHash':
      return { ...node, entries: node.entries.map((e) => ({ key: e.key, value: withFieldChains(e.value) })) };
    case 'function':
      return { type: 'function', name: node.name, args: node.args.map(withFieldChains), site: undefined };
    default:
      return { ...node, left: withFieldChains(node.left), right: withFieldChains(node.right) };
  }
}

function hasCurrentNode(node: AstNode): boolean {
  switch (node.type) {
    case 'current':
      return true;
    case 'fields':
    case 'field':
    case 'literal':
    case 'index':
    case 'slice':
      return false;
    case 'flatten':
    case 'not':
    case 'expref':
      return hasCurrentNode(node.child);
    case 'filterProjection':
      return hasCurrentNode(node.left) || hasCurrentNode(node.right) || hasCurrentNode(node.condition);
    case 'multiSelectList':
      return node.children.some(hasCurrentNode);
    case 'multiSelectHash':
      return node.entries.some((e) => hasCurrentNode(e.value));
    case 'function':
      return node.args.some(hasCurrentNode);
    default:
      return hasCurrentNode(node.left) || hasCurrentNode(node.right);
  }
}

/** What the interpreter does for a field chain: null through non-objects, not-found for a missing key. */
function readFields(fields: readonly string[], data: JsonValue): JsonValue | MissingKey {
  let value = data;
  for (const name of fields) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
    const found = getOwn(value, name);
    if (found === undefined) return missingKey(name);
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
