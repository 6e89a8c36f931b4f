// Bindings: named values ($namespace, template arguments, $stdout…) visible to expressions.
// Immutable: each scope (test, step, operation) extends its parent without changing it.
import type { JsonValue } from '../../../src/api/json.js';
import { evaluate, parseExpression } from './expression.js';

export class Bindings {
  private constructor(private readonly values: ReadonlyMap<string, JsonValue>) {}

  static empty(): Bindings {
    return new Bindings(new Map());
  }

  static of(entries: Record<string, JsonValue>): Bindings {
    return new Bindings(new Map(Object.entries(entries)));
  }

  has(name: string): boolean {
    return this.values.has(name);
  }

  get(name: string): JsonValue | undefined {
    return this.values.get(name);
  }

  with(name: string, value: JsonValue): Bindings {
    const next = new Map(this.values);
    next.set(name, value);
    return new Bindings(next);
  }

  names(): string[] {
    return [...this.values.keys()];
  }
}

export interface BindingDecl {
  name: string;
  value: JsonValue;
}

/** Adds declared bindings in order; a value may itself be an expression over earlier bindings. */
export function extendBindings(base: Bindings, decls: readonly BindingDecl[]): Bindings {
  let out = base;
  for (const d of decls) out = out.with(d.name, templateValue(d.value, out));
  return out;
}

/** Evaluates every "(expr)" leaf of a value (templating of leaves, as chainsaw's mutate does). */
export function templateValue(value: JsonValue, bindings: Bindings): JsonValue {
  if (Array.isArray(value)) return value.map((v) => templateValue(v, bindings));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, JsonValue> = {};
    for (const [k, v] of Object.entries(value)) out[k] = templateValue(v, bindings);
    return out;
  }
  if (typeof value === 'string') {
    const statement = parseExpression(value);
    if (statement !== null) return evaluate(statement, value, bindings);
  }
  return value;
}
