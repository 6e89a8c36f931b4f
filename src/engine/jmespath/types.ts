// The contract between the JMESPath interpreter and the functions it can call
// (the standard library and Kyverno's custom functions).
import type { JsonValue } from '../../api/json.js';

/** JMESPath argument types; 'expref' is an &expression, passed to the function as an ExpressionRef. */
export type ArgType =
  | 'any'
  | 'string'
  | 'number'
  | 'boolean'
  | 'array'
  | 'object'
  | 'null'
  | 'array-number'
  | 'array-string'
  | 'expref';

export interface ArgSpec {
  /** Accepted types; a value of any listed type is accepted. */
  types: ArgType[];
  /** The last argument may repeat (e.g. merge, not_null). */
  variadic?: boolean;
  /** May be omitted (only trailing arguments). */
  optional?: boolean;
}

/** An &expr argument: evaluate it against a value. */
export interface ExpressionRef {
  readonly kind: 'expref';
  evaluate(value: JsonValue): JsonValue;
}

/** Effects a function may need, passed in from EvalEnv so the engine stays pure. */
export interface FunctionContext {
  /** Milliseconds since the epoch. */
  now(): number;
  /** A number in [0, 1). */
  random(): number;
}

export type FunctionArg = JsonValue | ExpressionRef;

export interface FunctionSpec {
  name: string;
  args: ArgSpec[];
  call(args: FunctionArg[], ctx: FunctionContext): JsonValue;
}

/** Raised for every JMESPath failure; `kind` lets callers tell a missing key from a real error. */
export class JmesPathError extends Error {
  constructor(
    readonly kind:
      'syntax' | 'not-found' | 'invalid-type' | 'invalid-arity' | 'unknown-function' | 'invalid-value',
    message: string,
  ) {
    super(message);
    this.name = 'JmesPathError';
  }
}
