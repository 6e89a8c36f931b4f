// Central argument checking for every function call (standard and Kyverno), with go-jmespath's
// error wording, so no function body has to re-validate its inputs.
import type { JsonValue } from '../../api/json.js';
import type { ArgSpec, ArgType, FunctionArg, FunctionContext, FunctionSpec } from './types.js';
import { JmesPathError } from './types.js';
import { goFormat, isExpressionRef } from './values.js';

function matchesType(type: ArgType, arg: FunctionArg): boolean {
  if (isExpressionRef(arg)) return type === 'expref';
  const value: JsonValue = arg;
  switch (type) {
    case 'any':
      return true;
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number';
    case 'boolean':
      return typeof value === 'boolean';
    case 'null':
      return value === null;
    case 'array':
      return Array.isArray(value);
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    case 'array-number':
      return Array.isArray(value) && value.every((v) => typeof v === 'number');
    case 'array-string':
      return Array.isArray(value) && value.every((v) => typeof v === 'string');
    case 'expref':
      return false;
  }
}

const goTypeNames: Record<ArgType, string> = {
  any: 'any',
  string: 'string',
  number: 'number',
  boolean: 'boolean',
  null: 'null',
  array: 'array',
  object: 'object',
  'array-number': 'array[number]',
  'array-string': 'array[string]',
  expref: 'expref',
};

function typeCheck(spec: ArgSpec, arg: FunctionArg): void {
  for (const type of spec.types) {
    if (matchesType(type, arg)) return;
  }
  const expected = spec.types.map((t) => JSON.stringify(goTypeNames[t])).join(', ');
  throw new JmesPathError(
    'invalid-type',
    `invalid type for: ${goFormat(arg)}, expected: []jmespath.jpType{${expected}}`,
  );
}

function notEnough(name: string, count: number, min: number, variadic: boolean): JmesPathError {
  const supplied = count === 0 ? 'none ' : `${variadic ? 'only ' : ''}${count} `;
  const plural = min > 1 ? 's' : '';
  const more = variadic ? 'or more ' : '';
  return new JmesPathError(
    'invalid-arity',
    `invalid arity, the function '${name}' expects ${min} argument${plural} ${more}but ${supplied}were supplied`,
  );
}

/** Checks arity and argument types against the spec, then calls the function. */
export function callFunction(spec: FunctionSpec, args: FunctionArg[], ctx: FunctionContext): JsonValue {
  const specs = spec.args;
  if (specs.length > 0) {
    const last = specs[specs.length - 1] as ArgSpec;
    const variadic = last.variadic === true;
    let min = 0;
    for (const s of specs) if (s.optional !== true) min++;
    if (args.length < min) throw notEnough(spec.name, args.length, min, variadic);
    if (!variadic && args.length > specs.length) {
      throw new JmesPathError(
        'invalid-arity',
        `invalid arity, the function '${spec.name}' expects at most ${specs.length} arguments but ${args.length} were supplied`,
      );
    }
    for (let i = 0; i < args.length; i++) {
      typeCheck(specs[Math.min(i, specs.length - 1)] as ArgSpec, args[i] as FunctionArg);
    }
  } else if (args.length > 0) {
    throw new JmesPathError(
      'invalid-arity',
      `invalid arity, the function '${spec.name}' expects at most 0 arguments but ${args.length} were supplied`,
    );
  }
  return spec.call(args, ctx);
}

/**
 * One call expression's function and checks, worked out once: which spec the name resolves to (per
 * function table), whether the argument count fits, and the ArgSpec of each argument position.
 */
export interface CallSite {
  readonly functions: ReadonlyMap<string, FunctionSpec> | undefined;
  readonly standard: ReadonlyMap<string, FunctionSpec>;
  readonly spec: FunctionSpec;
  /** undefined: the arity is wrong, callFunction() reports it. */
  readonly argSpecs: readonly (ArgSpec | undefined)[] | undefined;
}

export function callSite(
  spec: FunctionSpec,
  argCount: number,
  functions: ReadonlyMap<string, FunctionSpec> | undefined,
  standard: ReadonlyMap<string, FunctionSpec>,
): CallSite {
  return { functions, standard, spec, argSpecs: argSpecsFor(spec, argCount) };
}

function argSpecsFor(spec: FunctionSpec, argCount: number): (ArgSpec | undefined)[] | undefined {
  const specs = spec.args;
  if (specs.length === 0) return argCount === 0 ? [] : undefined;
  const last = specs[specs.length - 1] as ArgSpec;
  let min = 0;
  for (const s of specs) if (s.optional !== true) min++;
  if (argCount < min || (last.variadic !== true && argCount > specs.length)) return undefined;
  const out: (ArgSpec | undefined)[] = [];
  for (let i = 0; i < argCount; i++) {
    const s = specs[Math.min(i, specs.length - 1)] as ArgSpec;
    // `any` accepts every value but an &expr: only those positions still need a look.
    out.push(s.types.length === 1 && s.types[0] === 'any' ? undefined : s);
  }
  return out;
}

/** callFunction() with the site's precomputed checks; the same errors in the same order. */
export function callAt(site: CallSite, args: FunctionArg[], ctx: FunctionContext): JsonValue {
  const specs = site.argSpecs;
  if (specs === undefined) return callFunction(site.spec, args, ctx);
  for (let i = 0; i < args.length; i++) {
    const s = specs[i];
    const a = args[i] as FunctionArg;
    if (s !== undefined) typeCheck(s, a);
    else if (isExpressionRef(a)) typeCheck(anySpec, a);
  }
  return site.spec.call(args, ctx);
}

const anySpec: ArgSpec = { types: ['any'] };
