// Walks a JSON value against a Schema, reports every structural problem, and returns the value with
// the offending parts (and nulls, which the API server treats as absent) removed, so later checks
// can rely on the declared types.
import type { JsonObject, JsonValue } from '../api/json.js';
import { isJsonObject } from '../api/json.js';
import type { ProblemList } from './problems.js';
import { child, index } from './problems.js';
import type { Schema } from './schema-dsl.js';

export function describeType(v: JsonValue): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'number') return Number.isInteger(v) ? 'an integer' : 'a number';
  return `a ${typeof v}`;
}

function wrongType(problems: ProblemList, path: string, expected: string, v: JsonValue): undefined {
  problems.error(path, `must be ${expected}, got ${describeType(v)}`);
  return undefined;
}

/** Returns the checked value, or undefined when it was null or unusable. */
export function checkSchema(
  schema: Schema,
  value: JsonValue,
  path: string,
  problems: ProblemList,
): JsonValue | undefined {
  if (value === null && schema.type !== 'any') return undefined;
  switch (schema.type) {
    case 'any':
      return value;
    case 'anyObject':
      return isJsonObject(value) ? value : wrongType(problems, path, 'an object', value);
    case 'string':
      if (typeof value !== 'string') return wrongType(problems, path, 'a string', value);
      if (schema.maxLength !== undefined && value.length > schema.maxLength) {
        problems.error(path, `must be no more than ${schema.maxLength} characters`);
      }
      return value;
    case 'boolean':
      return typeof value === 'boolean' ? value : wrongType(problems, path, 'a boolean', value);
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) {
        return wrongType(problems, path, 'an integer', value);
      }
      if (
        (schema.minimum !== undefined && value < schema.minimum) ||
        (schema.maximum !== undefined && value > schema.maximum)
      ) {
        problems.error(path, `must be between ${schema.minimum} and ${schema.maximum}`);
      }
      return value;
    case 'enum':
      if (typeof value !== 'string') return wrongType(problems, path, 'a string', value);
      if (!schema.values.includes(value)) {
        const allowed = schema.values.map((v) => JSON.stringify(v)).join(', ');
        problems.error(path, `unsupported value ${JSON.stringify(value)}: must be one of ${allowed}`);
        return undefined;
      }
      return value;
    case 'array':
      if (!Array.isArray(value)) return wrongType(problems, path, 'a list', value);
      return value.flatMap((item, i) => {
        const checked = checkSchema(schema.items, item, index(path, i), problems);
        return checked === undefined ? [] : [checked];
      });
    case 'map': {
      if (!isJsonObject(value)) return wrongType(problems, path, 'an object', value);
      const out: JsonObject = {};
      for (const [k, v] of Object.entries(value)) {
        const checked = checkSchema(schema.values, v, child(path, k), problems);
        if (checked !== undefined) out[k] = checked;
      }
      return out;
    }
    case 'objectOrArray':
      if (Array.isArray(value)) return checkSchema(schema.array, value, path, problems);
      if (isJsonObject(value)) return checkSchema(schema.object, value, path, problems);
      return wrongType(problems, path, 'an object or a list', value);
    case 'object': {
      if (!isJsonObject(value)) return wrongType(problems, path, 'an object', value);
      const out: JsonObject = {};
      for (const [k, v] of Object.entries(value)) {
        const fieldSchema = schema.fields[k];
        if (fieldSchema === undefined) {
          problems.error(child(path, k), `unknown field ${JSON.stringify(k)}`);
          continue;
        }
        const checked = checkSchema(fieldSchema, v, child(path, k), problems);
        if (checked !== undefined) out[k] = checked;
      }
      for (const name of schema.required ?? []) {
        if (value[name] === undefined || value[name] === null) {
          problems.error(child(path, name), 'required field is missing');
        }
      }
      return out;
    }
  }
}
