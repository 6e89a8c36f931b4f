// The draft-07 subset validator: each keyword accepts and rejects what the specification says,
// and a keyword outside the subset is refused rather than ignored.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Schema } from './json-schema.js';
import { SchemaError, validateJsonSchema } from './json-schema.js';

const cases: [string, Schema, unknown, boolean][] = [
  ['type integer accepts 3', { type: 'integer' }, 3, true],
  ['type integer rejects 2.5', { type: 'integer' }, 2.5, false],
  ['type list', { type: ['string', 'number'] }, 1, true],
  ['enum', { enum: ['a', 'b'] }, 'c', false],
  ['const', { const: false }, false, true],
  ['minimum', { minimum: 1 }, 0, false],
  ['maximum', { maximum: 10 }, 10, true],
  ['exclusiveMinimum', { exclusiveMinimum: 0 }, 0, false],
  ['minLength counts characters', { minLength: 2 }, 'é', false],
  ['pattern', { pattern: '^[a-z]+$' }, 'Abc', false],
  ['items', { items: { type: 'string' } }, ['a', 1], false],
  ['minItems', { minItems: 1 }, [], false],
  ['uniqueItems', { uniqueItems: true }, [{ a: 1 }, { a: 1 }], false],
  ['required', { required: ['a'] }, {}, false],
  ['additionalProperties false', { properties: { a: {} }, additionalProperties: false }, { a: 1, b: 2 }, false],
  ['additionalProperties schema', { additionalProperties: { type: 'string' } }, { a: 'x' }, true],
  ['$ref', { definitions: { s: { type: 'string' } }, properties: { a: { $ref: '#/definitions/s' } } }, { a: 1 }, false],
  ['anyOf', { anyOf: [{ type: 'string' }, { type: 'boolean' }] }, true, true],
  ['oneOf with two matches', { oneOf: [{ minimum: 1 }, { maximum: 5 }] }, 3, false],
  ['not', { not: { type: 'string' } }, 'x', false],
  ['if/then applies then', { if: { properties: { m: { const: 's' } } }, then: { required: ['n'] } }, { m: 's' }, false],
  ['if/then skips then', { if: { properties: { m: { const: 's' } } }, then: { required: ['n'] } }, { m: 't' }, true],
  ['true schema', true, { any: 1 }, true],
  ['false schema', { properties: { a: false } }, { a: 1 }, false],
];

describe('json schema validator (draft-07 subset)', () => {
  for (const [name, schema, value, valid] of cases) {
    it(name, () => assert.equal(validateJsonSchema(schema, value).length === 0, valid, validateJsonSchema(schema, value).join('; ')));
  }

  it('names the path of each problem', () => {
    const schema: Schema = { properties: { tls: { properties: { mode: { enum: ['a'] } } } } };
    assert.deepEqual(validateJsonSchema(schema, { tls: { mode: 'b' } }), ['.tls.mode: must be one of ["a"]']);
  });

  it('refuses keywords it does not implement', () => {
    assert.throws(() => validateJsonSchema({ propertyNames: { pattern: 'x' } }, {}), SchemaError);
    assert.throws(() => validateJsonSchema({ 'x-kubernetes-preserve-unknown-fields': true }, {}), SchemaError);
  });

  it('in the openapi dialect, reports fields the API server would prune', () => {
    const schema: Schema = { type: 'object', properties: { spec: { type: 'object', properties: { a: { type: 'string' } } } } };
    assert.deepEqual(validateJsonSchema(schema, { spec: { a: 'x', b: 1 } }, { dialect: 'openapi' }), [
      '.spec.b: unknown field (the API server would prune it)',
    ]);
    const open: Schema = { type: 'object', properties: { spec: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } };
    assert.deepEqual(validateJsonSchema(open, { spec: { b: 1 } }, { dialect: 'openapi' }), []);
  });
});
