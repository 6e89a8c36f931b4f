// validate.cel: Kubernetes ValidatingAdmissionPolicy-style expressions inside a Kyverno rule, as Kyverno
// runs them: bindings `object`, `oldObject`, `request`, `namespaceObject` and `variables`; a false
// expression fails the rule with its messageExpression, message, or "failed expression: <expr>".
// paramKind/paramRef and auditAnnotations are not supported (the rule errors on paramKind).
import type { CelInput, CelValue } from '@bufbuild/cel';
import { celEnv, parse, plan } from '@bufbuild/cel';
import type { JsonObject, JsonValue } from '../../api/json.js';
import { isJsonObject } from '../../api/json.js';
import type { PolicyRequest } from '../request.js';
import type { Verdict } from './validation.js';

export interface CelExpressionSpec {
  expression: string;
  message?: string;
  messageExpression?: string;
}

export interface CelValidationSpec {
  expressions?: CelExpressionSpec[];
  variables?: { name: string; expression: string }[];
  paramKind?: JsonValue;
}

/** What the expressions see. JSON in, converted to CEL values (integers become CEL ints). */
export interface CelBindings {
  object: JsonValue | undefined;
  oldObject: JsonValue | undefined;
  request: JsonObject;
  namespaceObject: JsonObject | undefined;
}

type Program = (bindings: Record<string, CelInput>) => CelValue | Error;

const env = celEnv();
// Policies are few and their expressions fixed: parse and plan each expression once per process.
const programs = new Map<string, Program | Error>();

function compile(expression: string): Program | Error {
  const hit = programs.get(expression);
  if (hit !== undefined) return hit;
  let program: Program | Error;
  try {
    const planned = plan(env, parse(expression));
    program = (b) => planned(b);
  } catch (e) {
    program = e instanceof Error ? e : new Error(String(e));
  }
  programs.set(expression, program);
  return program;
}

function run(expression: string, bindings: Record<string, CelInput>): CelValue | Error {
  const program = compile(expression);
  if (program instanceof Error) return program;
  try {
    const out = program(bindings);
    // A CelError is an Error: callers tell values from errors with instanceof.
    return out;
  } catch (e) {
    return e instanceof Error ? e : new Error(String(e));
  }
}

/** JSON as CEL input: whole numbers are CEL ints, as Kubernetes' integer fields are. */
export function toCel(v: JsonValue | undefined): CelInput {
  if (v === undefined || v === null) return null;
  if (typeof v === 'number') return Number.isInteger(v) ? BigInt(v) : v;
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (Array.isArray(v)) return v.map(toCel);
  const out: Record<string, CelInput> = {};
  for (const [k, x] of Object.entries(v)) out[k] = toCel(x);
  return out;
}

function errorMessage(e: Error): string {
  return e.message;
}

/** Evaluates validate.cel for one resource. */
export function validateCel(ruleName: string, spec: CelValidationSpec, b: CelBindings): Verdict {
  if (spec.paramKind !== undefined)
    return { status: 'error', message: `rule ${ruleName}: validate.cel.paramKind is not supported` };
  const variables: Record<string, CelInput> = {};
  const bindings: Record<string, CelInput> = {
    object: toCel(b.object),
    oldObject: toCel(b.oldObject),
    request: toCel(b.request),
    namespaceObject: toCel(b.namespaceObject),
    variables: variables,
  };
  for (const v of spec.variables ?? []) {
    const value = run(v.expression, bindings);
    if (value instanceof Error)
      return { status: 'error', message: `variable '${v.name}' resulted in error: ${errorMessage(value)}` };
    variables[v.name] = value;
  }
  for (const e of spec.expressions ?? []) {
    const value = run(e.expression, bindings);
    if (value instanceof Error)
      return {
        status: 'error',
        message: `expression '${e.expression}' resulted in error: ${errorMessage(value)}`,
      };
    if (typeof value !== 'boolean')
      return {
        status: 'error',
        message: `expression '${e.expression}' must evaluate to bool, got ${typeof value}`,
      };
    if (!value) return { status: 'fail', message: failureMessage(e, bindings) };
  }
  return { status: 'pass', message: `validation rule '${ruleName}' passed.` };
}

/** Like Kubernetes: messageExpression when it yields a non-empty string, else message, else the expression. */
function failureMessage(e: CelExpressionSpec, bindings: Record<string, CelInput>): string {
  if (e.messageExpression !== undefined) {
    const m = run(e.messageExpression, bindings);
    if (typeof m === 'string' && m.trim() !== '' && !m.includes('\n')) return m;
  }
  if (e.message !== undefined && e.message !== '') return e.message;
  return `failed expression: ${e.expression}`;
}

/** The namespace object Kyverno binds, built from what the request knows (name and labels). */
export function namespaceObjectOf(
  namespace: string | undefined,
  labels: Record<string, string> | undefined,
): JsonObject | undefined {
  if (namespace === undefined || namespace === '') return undefined;
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: namespace, ...(labels ? { labels } : {}) },
  };
}

/** validate.cel for a request: the bindings come from the admission request when there is one. */
export function celBindingsOf(req: PolicyRequest): CelBindings {
  const subject = req.object ?? req.oldObject;
  const namespace = subject?.kind === 'Namespace' ? undefined : subject?.metadata.namespace;
  const a = req.admission;
  const request: JsonObject = a
    ? (a as unknown as JsonObject)
    : {
        operation: req.operation,
        name: subject?.metadata.name ?? '',
        namespace: namespace ?? '',
        userInfo: (req.user?.userInfo ?? {}) as unknown as JsonObject,
      };
  return {
    object: req.object as unknown as JsonValue | undefined,
    oldObject: req.oldObject as unknown as JsonValue | undefined,
    request,
    namespaceObject: namespaceObjectOf(namespace, req.namespaceLabels),
  };
}

export function asCelSpec(v: JsonValue | undefined): CelValidationSpec | undefined {
  return isJsonObject(v) ? (v) : undefined;
}
