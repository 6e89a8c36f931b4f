// Shared pieces of Kyverno's custom functions: spec construction, Kyverno's error wording
// ("JMESPath function 'x': ...") and the Go conversions the functions rely on.
import type { JsonValue } from '../../../api/json.js';
import { formatGoFloat32Fixed } from '../../units/go-number.js';
import type { ArgSpec, ArgType, FunctionArg, FunctionContext, FunctionSpec } from '../types.js';
import { JmesPathError } from '../types.js';

export function arg(...types: ArgType[]): ArgSpec {
  return { types };
}

export const str = arg('string');
export const num = arg('number');
export const strOrNum = arg('string', 'number');
export const any = arg('any');

export function spec(
  name: string,
  args: ArgSpec[],
  call: (args: JsonValue[], ctx: FunctionContext) => JsonValue,
): FunctionSpec {
  // Kyverno's functions take no &expr arguments, so every argument is a plain JSON value.
  return { name, args, call: (a: FunctionArg[], ctx) => call(a as JsonValue[], ctx) };
}

/** An error with Kyverno's "JMESPath function '<name>': <detail>" prefix. */
export function functionError(name: string, detail: string): JmesPathError {
  return new JmesPathError('invalid-value', `JMESPath function '${name}': ${detail}`);
}

/** An error raised by a Go library inside a function, passed through with its own text. */
export function plainError(message: string): JmesPathError {
  return new JmesPathError('invalid-value', message);
}

/** Kyverno's ifaceToString: numbers print as float32 shortest digits, never with an exponent. */
export function ifaceToString(value: JsonValue): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return formatGoFloat32Fixed(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return undefined;
}

/** Kyverno's intNumber: a float that is a whole number, else an error. */
export function intNumber(value: number): number | undefined {
  return Number.isInteger(value) ? value : undefined;
}

export function argAt(args: JsonValue[], i: number): JsonValue {
  return args[i] ?? null;
}

export function stringAt(args: JsonValue[], i: number): string {
  const v = args[i];
  return typeof v === 'string' ? v : '';
}

export function numberAt(args: JsonValue[], i: number): number {
  const v = args[i];
  return typeof v === 'number' ? v : 0;
}
