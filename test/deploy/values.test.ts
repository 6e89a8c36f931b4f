// values.yaml and every ci/*-values.yaml (coalesced over values.yaml, as helm does) satisfy
// values.schema.json, and the schema rejects the mistakes it exists to catch.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Values } from './chart.js';
import { ciValueFiles, ciValues, defaultValues, mergeValues, valuesSchema } from './chart.js';
import { validateJsonSchema } from './json-schema.js';

const schema = valuesSchema();
const check = (overrides: Values): string[] => validateJsonSchema(schema, mergeValues(defaultValues(), overrides));

describe('values.schema.json', () => {
  it('is draft-07 and closed at the top level', () => {
    assert.equal(typeof schema === 'object' && schema.$schema, 'http://json-schema.org/draft-07/schema#');
    assert.equal(typeof schema === 'object' && schema.additionalProperties, false);
  });

  it('accepts values.yaml as it is', () => {
    assert.deepEqual(validateJsonSchema(schema, defaultValues()), []);
  });

  it('describes every key of values.yaml', () => {
    const props = typeof schema === 'object' ? Object.keys(schema.properties as object) : [];
    assert.deepEqual(Object.keys(defaultValues()).sort(), props.sort());
  });

  it('has the five ci values files', () => {
    assert.deepEqual(ciValueFiles(), ['cert-manager-values.yaml', 'default-values.yaml', 'ha-values.yaml', 'split-values.yaml', 'user-cert-values.yaml']);
  });

  for (const file of ciValueFiles()) {
    it(`accepts ci/${file}`, () => assert.deepEqual(check(ciValues(file)), []));
  }

  const rejected: [string, Values, RegExp][] = [
    ['an unknown top-level key', { replicas: 2 }, /\(root\): .*replicas|\.replicas: not allowed/],
    ['a misspelt nested key', { tls: { mod: 'secret' } }, /\.tls\.mod: not allowed/],
    ['zero replicas', { replicaCount: 0 }, /\.replicaCount: must be >= 1/],
    ['a fractional replica count', { replicaCount: 1.5 }, /\.replicaCount: must be of type integer/],
    ['an unknown tls mode', { tls: { mode: 'vault' } }, /\.tls\.mode: must be one of/],
    ['secret mode without a secret name', { tls: { mode: 'secret' } }, /\.tls\.secretName: must be at least 1 characters/],
    ['a privileged webhook port', { webhook: { port: 443 } }, /\.webhook\.port: must be >= 1024/],
    ['a wildcard generate grant', { rbac: { generate: [{ apiGroups: [''], resources: ['*'] }] } }, /\.rbac\.generate\[0\]\.resources\[0\]: must match/],
    ['an unknown log level', { logLevel: 'trace' }, /\.logLevel: must be one of/],
    ['a bad duration', { controller: { resyncPeriod: '10 minutes' } }, /\.controller\.resyncPeriod: must match/],
    ['an existing service account without a name', { serviceAccount: { create: false } }, /\.serviceAccount\.name: must be at least 1/],
    ['a string pull policy typo', { image: { pullPolicy: 'always' } }, /\.image\.pullPolicy: must be one of/],
    ['a string for controller.separate', { controller: { separate: 'true' } }, /\.controller\.separate: must be of type boolean/],
    ['zero controller replicas', { controller: { replicaCount: 0 } }, /\.controller\.replicaCount: must be >= 1/],
    ['a misspelt controller resource', { controller: { resources: { request: { cpu: '1' } } } }, /\.controller\.resources\.request: not allowed/],
    ['a controller PDB without minAvailable', { controller: { podDisruptionBudget: { enabled: true, minAvailable: null } } }, /\.controller\.podDisruptionBudget.*minAvailable/],
  ];
  for (const [name, overrides, pattern] of rejected) {
    it(`rejects ${name}`, () => {
      const errors = check(overrides);
      assert.ok(errors.some((e) => pattern.test(e)), `expected ${String(pattern)} in ${JSON.stringify(errors)}`);
    });
  }
});
