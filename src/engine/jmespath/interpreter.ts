// Tree-walking evaluator with Kyverno's dialect: a missing object key raises a 'not-found'
// JmesPathError ("Unknown key \"x\" in path") instead of yielding null. The error travels up
// through sub-expressions, indexes and pipes, and is turned back into null where Kyverno
// swallows it: comparator operands, function arguments, ||, &&, !, filter projections.
// Projections and multi-select items also treat it as null (see README-level note in index.ts).
import type { JsonObject, JsonValue } from '../../api/json.js';
import type { AstNode } from './ast.js';
import { callAt, callSite } from './call.js';
import type { ExpressionRef, FunctionArg, FunctionContext, FunctionSpec } from './types.js';
import { JmesPathError } from './types.js';
import { deepEqual, getOwn, isFalse, setOwn } from './values.js';

export interface Runtime {
  /** Extra functions; they win over standard ones of the same name. */
  functions?: ReadonlyMap<string, FunctionSpec>;
  standard: ReadonlyMap<string, FunctionSpec>;
  ctx: FunctionContext;
}

// Missing keys are routine (`a.b || 'default'`), and building an Error (stack capture) costs
// ~10µs; the error carries nothing but the key, so one instance per key is reused.
const notFoundErrors = new Map<string, MissingKey>();

/**
 * A missing key, returned (not thrown) through the tree: most are turned into null a few nodes up
 * (||, function arguments, ...), and a throw that is caught right away costs more than the lookup.
 * Only the top of an evaluation throws its `error`.
 */
export class MissingKey {
  constructor(readonly error: JmesPathError) {}
}

export function missingKey(key: string): MissingKey {
  let m = notFoundErrors.get(key);
  if (m === undefined) {
    m = new MissingKey(new JmesPathError('not-found', `Unknown key "${key}" in path`));
    if (notFoundErrors.size >= 1024) notFoundErrors.clear();
    notFoundErrors.set(key, m);
  }
  return m;
}

export function notFound(key: string): JmesPathError {
  return missingKey(key).error;
}

function isNotFound(err: unknown): boolean {
  return err instanceof JmesPathError && err.kind === 'not-found';
}

/** Evaluates node, turning a missing key into null. */
function evaluateOrNull(node: AstNode, value: JsonValue, rt: Runtime): JsonValue {
  try {
    const v = evaluateNode(node, value, rt);
    return v instanceof MissingKey ? null : v;
  } catch (err) {
    // A function may still throw one (e.g. from an &expr it evaluates through another entry point).
    if (isNotFound(err)) return null;
    throw err;
  }
}

/**
 * go-jmespath returns null (dropping ANY error) when the left side of a flatten, a filter or an
 * object projection fails; e.g. `missing[]` is null, not an error.
 */
function evaluateLeftOfProjection(node: AstNode, value: JsonValue, rt: Runtime): JsonValue {
  try {
    const v = evaluateNode(node, value, rt);
    return v instanceof MissingKey ? null : v;
  } catch (err) {
    if (err instanceof JmesPathError) return null;
    throw err;
  }
}

/** Evaluates an expression; a missing key throws its JmesPathError ('not-found'). */
export function evaluate(node: AstNode, value: JsonValue, rt: Runtime): JsonValue {
  const v = evaluateNode(node, value, rt);
  if (v instanceof MissingKey) throw v.error;
  return v;
}

/** evaluate() that returns a missing key instead of throwing it. */
export function evaluateNode(node: AstNode, value: JsonValue, rt: Runtime): JsonValue | MissingKey {
  switch (node.type) {
    case 'field': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
      const found = getOwn(value, node.name);
      return found === undefined ? missingKey(node.name) : found;
    }
    case 'fields': {
      // A field chain: what nested field/subexpression nodes give, without the recursion.
      let v = value;
      for (const name of node.names) {
        if (typeof v !== 'object' || v === null || Array.isArray(v)) return null;
        const found = getOwn(v, name);
        if (found === undefined) return missingKey(name);
        v = found;
      }
      return v;
    }
    case 'current':
      return value;
    case 'literal':
      return node.value;
    case 'subexpression':
    case 'indexExpression': {
      const left = evaluateNode(node.left, value, rt);
      if (left instanceof MissingKey) return left;
      return left === null ? null : evaluateNode(node.right, left, rt);
    }
    case 'index': {
      if (!Array.isArray(value)) return null;
      const i = node.index < 0 ? node.index + value.length : node.index;
      return i >= 0 && i < value.length ? (value[i] as JsonValue) : null;
    }
    case 'slice':
      return Array.isArray(value) ? slice(value, node.start, node.stop, node.step) : null;
    case 'projection': {
      const left = evaluateNode(node.left, value, rt);
      if (left instanceof MissingKey) return left;
      if (!Array.isArray(left)) return null;
      return project(left, node.right, rt);
    }
    case 'valueProjection': {
      const left = evaluateLeftOfProjection(node.left, value, rt);
      if (typeof left !== 'object' || left === null || Array.isArray(left)) return null;
      return project(Object.values(left), node.right, rt);
    }
    case 'filterProjection': {
      const left = evaluateLeftOfProjection(node.left, value, rt);
      if (!Array.isArray(left)) return null;
      const collected: JsonValue[] = [];
      for (const element of left) {
        if (isFalse(evaluateOrNull(node.condition, element, rt))) continue;
        const current = evaluateOrNull(node.right, element, rt);
        if (current !== null) collected.push(current);
      }
      return collected;
    }
    case 'flatten': {
      const left = evaluateLeftOfProjection(node.child, value, rt);
      if (!Array.isArray(left)) return null;
      const flattened: JsonValue[] = [];
      for (const element of left) {
        if (Array.isArray(element)) {
          for (const inner of element) flattened.push(inner);
        } else {
          flattened.push(element);
        }
      }
      return flattened;
    }
    case 'comparator': {
      const left = evaluateOrNull(node.left, value, rt);
      const right = evaluateOrNull(node.right, value, rt);
      if (node.op === 'eq') return deepEqual(left, right);
      if (node.op === 'ne') return !deepEqual(left, right);
      // Ordering is defined for numbers only; anything else compares to null.
      if (typeof left !== 'number' || typeof right !== 'number') return null;
      switch (node.op) {
        case 'lt':
          return left < right;
        case 'lte':
          return left <= right;
        case 'gt':
          return left > right;
        default:
          return left >= right;
      }
    }
    case 'or': {
      const left = evaluateOrNull(node.left, value, rt);
      return isFalse(left) ? evaluateOrNull(node.right, value, rt) : left;
    }
    case 'and': {
      const left = evaluateOrNull(node.left, value, rt);
      return isFalse(left) ? left : evaluateOrNull(node.right, value, rt);
    }
    case 'not':
      return isFalse(evaluateOrNull(node.child, value, rt));
    case 'pipe': {
      const left = evaluateNode(node.left, value, rt);
      return left instanceof MissingKey ? left : evaluateNode(node.right, left, rt);
    }
    case 'multiSelectList': {
      if (value === null) return null;
      const collected: JsonValue[] = new Array<JsonValue>(node.children.length);
      for (let i = 0; i < node.children.length; i++) {
        collected[i] = evaluateOrNull(node.children[i] as AstNode, value, rt);
      }
      return collected;
    }
    case 'multiSelectHash': {
      if (value === null) return null;
      const collected: JsonObject = {};
      for (const entry of node.entries) setOwn(collected, entry.key, evaluateOrNull(entry.value, value, rt));
      return collected;
    }
    case 'function':
      return callByName(node, value, rt);
    case 'expref':
      throw new JmesPathError(
        'invalid-type',
        'an expression reference (&expr) is only valid as a function argument',
      );
  }
}

function project(elements: JsonValue[], right: AstNode, rt: Runtime): JsonValue[] {
  const collected: JsonValue[] = [];
  for (const element of elements) {
    const current = evaluateOrNull(right, element, rt);
    if (current !== null) collected.push(current);
  }
  return collected;
}

function expressionRef(node: AstNode, rt: Runtime): ExpressionRef {
  return { kind: 'expref', evaluate: (v: JsonValue) => evaluateOrNull(node, v, rt) };
}

function callByName(
  node: Extract<AstNode, { type: 'function' }>,
  value: JsonValue,
  rt: Runtime,
): JsonValue {
  let site = node.site;
  if (site === undefined || site.functions !== rt.functions || site.standard !== rt.standard) {
    const spec = rt.functions?.get(node.name) ?? rt.standard.get(node.name);
    if (spec === undefined) throw new JmesPathError('unknown-function', `unknown function: ${node.name}`);
    site = callSite(spec, node.args.length, rt.functions, rt.standard);
    node.site = site;
  }
  const argNodes = node.args;
  const args: FunctionArg[] = new Array<FunctionArg>(argNodes.length);
  for (let i = 0; i < argNodes.length; i++) {
    const argNode = argNodes[i] as AstNode;
    args[i] =
      argNode.type === 'expref' ? expressionRef(argNode.child, rt) : evaluateOrNull(argNode, value, rt);
  }
  return callAt(site, args, rt.ctx);
}

/** Python-style slicing with go-jmespath's bounds rules; a zero step is an error. */
export function slice(
  array: readonly JsonValue[],
  start: number | null,
  stop: number | null,
  step: number | null,
): JsonValue[] {
  const s = step ?? 1;
  if (s === 0) throw new JmesPathError('invalid-value', 'Invalid slice, step cannot be 0');
  const length = array.length;
  const capStart = (n: number): number => {
    if (n < 0) return Math.max(n + length, s < 0 ? -1 : 0);
    return n >= length ? (s < 0 ? length - 1 : length) : n;
  };
  const from = start === null ? (s < 0 ? length - 1 : 0) : capStart(start);
  const to = stop === null ? (s < 0 ? -1 : length) : capStart(stop);
  const out: JsonValue[] = [];
  if (s > 0) {
    for (let i = from; i < to; i += s) out.push(array[i] as JsonValue);
  } else {
    for (let i = from; i > to; i += s) out.push(array[i] as JsonValue);
  }
  return out;
}
