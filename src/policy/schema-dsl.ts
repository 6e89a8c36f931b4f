// A small structural schema language, enough to describe the Kyverno policy CRD the way the API
// server enforces it: known fields, JSON types, enums, required fields, and free-form islands.

export type Schema =
  | { type: 'string'; maxLength?: number }
  | { type: 'boolean' }
  | { type: 'integer'; minimum?: number; maximum?: number }
  | { type: 'enum'; values: readonly string[] }
  | { type: 'object'; fields: Readonly<Record<string, Schema>>; required?: readonly string[] }
  | { type: 'array'; items: Schema }
  | { type: 'map'; values: Schema }
  /** Free-form JSON (generate data, patterns, condition keys): anything goes, nothing is pruned. */
  | { type: 'any' }
  /** Free-form JSON that must at least be an object (validate/mutate blocks). */
  | { type: 'anyObject' }
  /** Either shape, chosen by the JSON type of the value (v1 preconditions: list or any/all object). */
  | { type: 'objectOrArray'; object: Schema; array: Schema };

export const str: Schema = { type: 'string' };
export const bool: Schema = { type: 'boolean' };
export const int: Schema = { type: 'integer' };
export const anyJson: Schema = { type: 'any' };
export const anyObject: Schema = { type: 'anyObject' };

export function strMax(maxLength: number): Schema {
  return { type: 'string', maxLength };
}

export function intRange(minimum: number, maximum: number): Schema {
  return { type: 'integer', minimum, maximum };
}

export function oneOf(...values: string[]): Schema {
  return { type: 'enum', values };
}

export function obj(fields: Record<string, Schema>, required: string[] = []): Schema {
  return { type: 'object', fields, required };
}

export function arr(items: Schema): Schema {
  return { type: 'array', items };
}

export function map(values: Schema): Schema {
  return { type: 'map', values };
}
