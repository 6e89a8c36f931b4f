// Which expressions depend on nothing but the `request` of an EvalContext root: their value is the
// same for every rule context of one request (request.ts builds one `request` object per request,
// and contexts copy rather than write into it), so it can be kept per `request` object.
import type { JsonValue } from '../../api/json.js';
import type { AstNode } from './ast.js';
import { MissingKey } from './interpreter.js';

// Functions whose result depends on their arguments alone (no clock, no randomness, no lookups).
const PURE: ReadonlySet<string> = new Set([
  'abs',
  'add',
  'avg',
  'base64_decode',
  'base64_encode',
  'ceil',
  'compare',
  'contains',
  'divide',
  'ends_with',
  'equal_fold',
  'floor',
  'join',
  'keys',
  'length',
  'max',
  'min',
  'modulo',
  'multiply',
  'not_null',
  'replace',
  'replace_all',
  'reverse',
  'round',
  'sort',
  'split',
  'starts_with',
  'subtract',
  'sum',
  'to_array',
  'to_boolean',
  'to_lower',
  'to_number',
  'to_string',
  'to_upper',
  'trim',
  'trim_prefix',
  'truncate',
  'type',
  'values',
]);

/** Evaluated against any value: calls pure functions only (and no &expr). */
function pure(node: AstNode): boolean {
  switch (node.type) {
    case 'field':
    case 'fields':
    case 'current':
    case 'literal':
    case 'index':
    case 'slice':
      return true;
    case 'flatten':
    case 'not':
      return pure(node.child);
    case 'expref':
      return false;
    case 'filterProjection':
      return pure(node.left) && pure(node.right) && pure(node.condition);
    case 'multiSelectList':
      return node.children.every(pure);
    case 'multiSelectHash':
      return node.entries.every((e) => pure(e.value));
    case 'function':
      return PURE.has(node.name) && node.args.every(pure);
    default:
      return pure(node.left) && pure(node.right);
  }
}

/**
 * Evaluated against the root: reads only root.request (`request...`, literals, pure functions of
 * those); anything that sees the root itself (`@`, `*`, another name) does not qualify.
 */
export function readsOnlyRequest(node: AstNode): boolean {
  switch (node.type) {
    case 'field':
      return node.name === 'request';
    case 'fields':
      return node.names[0] === 'request';
    case 'literal':
      return true;
    case 'current':
    case 'index':
    case 'slice':
    case 'expref':
      return false;
    case 'subexpression':
    case 'indexExpression':
    case 'pipe':
    case 'projection':
    case 'valueProjection':
      // The right side sees what the left side produced, never the root.
      return readsOnlyRequest(node.left) && pure(node.right);
    case 'filterProjection':
      return readsOnlyRequest(node.left) && pure(node.right) && pure(node.condition);
    case 'flatten':
    case 'not':
      return readsOnlyRequest(node.child);
    case 'comparator':
    case 'or':
    case 'and':
      return readsOnlyRequest(node.left) && readsOnlyRequest(node.right);
    case 'multiSelectList':
      return node.children.every(readsOnlyRequest);
    case 'multiSelectHash':
      return node.entries.every((e) => readsOnlyRequest(e.value));
    case 'function':
      return PURE.has(node.name) && node.args.every(readsOnlyRequest);
  }
}

/** A value that can be kept and handed out again without sharing anything mutable (lists are copied). */
export function isScalarOrScalarList(v: JsonValue | MissingKey): boolean {
  if (v instanceof MissingKey || v === null || typeof v !== 'object') return true;
  if (!Array.isArray(v)) return false;
  for (let i = 0; i < v.length; i++) {
    const item = v[i];
    if (item !== null && typeof item === 'object') return false;
  }
  return true;
}
