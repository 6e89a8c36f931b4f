// Table runner shared by the JMESPath tests: one node:test case per row.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { JsonValue } from '../../api/json.js';
import type { FunctionSpec } from './index.js';
import { JmesPathError, search } from './index.js';

export const ctx = { now: (): number => 0, random: (): number => 0.5 };

export type ErrorKind = JmesPathError['kind'];

/** `result` is the expected value; `error` the expected JmesPathError kind. */
export type Row = [expression: string, expected: { result: JsonValue } | { error: ErrorKind }];

export const ok = (result: JsonValue): { result: JsonValue } => ({ result });
export const fails = (error: ErrorKind): { error: ErrorKind } => ({ error });

export function runTable(given: JsonValue, rows: Row[], functions?: ReadonlyMap<string, FunctionSpec>): void {
  for (const [expression, expected] of rows) {
    void it(`${expression} on ${JSON.stringify(given).slice(0, 60)}`, () => {
      if ('error' in expected) {
        assert.throws(
          () => search(expression, given, { ctx, functions }),
          (err: unknown) => err instanceof JmesPathError && err.kind === expected.error,
        );
      } else {
        assert.deepEqual(search(expression, given, { ctx, functions }), expected.result);
      }
    });
  }
}
