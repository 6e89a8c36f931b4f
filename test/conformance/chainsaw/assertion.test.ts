import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { JsonValue } from '../../../src/api/json.js';
import { checkAssertion } from './assertion.js';
import { Bindings } from './bindings.js';
import { renderDiff } from './diff.js';
import { substituteBindings } from './expression.js';

const none = Bindings.empty();
const paths = (expected: JsonValue, actual: JsonValue, b: Bindings = none): string[] =>
  checkAssertion(expected, actual, b).map((e) => `${e.path}: ${e.message}`);

const policy = {
  apiVersion: 'kyverno.io/v1',
  kind: 'ClusterPolicy',
  metadata: { name: 'p', labels: { a: '1' } },
  status: {
    conditionStatus: {
      conditions: [
        { type: 'WebhookConfigured', status: 'True', reason: 'Succeeded', message: 'Webhook configured.' },
        { type: 'RBACPermissionsGranted', status: 'True', reason: 'Succeeded', message: 'Policy is ready for reporting.' },
      ],
    },
    conditions: [{ type: 'Ready', status: 'True', reason: 'Succeeded', lastTransitionTime: '2024-01-01T00:00:00Z' }],
  },
};

test('maps match partially: extra actual fields are ignored, missing ones reported', () => {
  assert.deepEqual(paths({ metadata: { name: 'p' } }, policy), []);
  assert.deepEqual(paths({ metadata: { name: 'q' } }, policy), ['metadata.name: expected "q", found "p"']);
  assert.deepEqual(paths({ metadata: { namespace: 'x' } }, policy), ['metadata.namespace: field not found in the input object']);
  assert.deepEqual(paths({ spec: { rules: [] } }, policy), ['spec: field not found in the input object']);
});

test('arrays match element-wise and must have the same length', () => {
  // The cluster-policy-ready template: one partial condition against one actual condition.
  assert.deepEqual(paths({ status: { conditions: [{ type: 'Ready', status: 'True', reason: 'Succeeded' }] } }, policy), []);
  assert.deepEqual(paths({ status: { conditions: [] } }, policy), ["status.conditions: lengths of slices don't match (expected 0, found 1)"]);
  assert.deepEqual(paths({ status: { conditions: [{ status: 'False' }] } }, policy), ['status.conditions[0].status: expected "False", found "True"']);
  assert.deepEqual(paths({ a: [1, 2] }, { a: [2, 1] }), ['a[0]: expected 1, found 2', 'a[1]: expected 2, found 1']);
  assert.deepEqual(paths({ a: [1] }, { a: null }), ['a: value is null']);
});

test('keys in parentheses project the actual value through JMESPath', () => {
  // From policies-without-cli-test/kubevirt-gpol/add-services/.chainsaw-test/policy-ready.yaml.
  const expected = {
    status: {
      conditionStatus: {
        "(conditions[?type == 'WebhookConfigured'])": [{ message: 'Webhook configured.', reason: 'Succeeded', status: 'True', type: 'WebhookConfigured' }],
        "(conditions[?type == 'RBACPermissionsGranted'])": [{ reason: 'Succeeded', status: 'True' }],
        '(length(conditions))': 2,
      },
    },
  };
  assert.deepEqual(paths(expected, policy), []);
  const wrongCount = { status: { conditionStatus: { '(length(conditions))': 3 } } };
  assert.deepEqual(paths(wrongCount, policy), ['status.conditionStatus.(length(conditions)): expected 3, found 2']);
  // A projection of a missing field is null, not an error.
  assert.deepEqual(paths({ '(spec.missing)': null }, policy), []);
});

test('values in parentheses are expressions over bindings and the actual value', () => {
  const b = Bindings.of({ name: 'p', namespace: 'chainsaw-x' });
  assert.deepEqual(paths({ metadata: { name: '($name)' } }, policy, b), []);
  assert.deepEqual(paths({ metadata: { name: '($namespace)' } }, policy, b), ['metadata.name: expected "chainsaw-x", found "p"']);
  // @ is the actual value at that spot; the result is what the actual value must equal.
  assert.deepEqual(paths({ metadata: { name: '(@)' } }, policy, b), []);
  assert.deepEqual(paths({ metadata: { name: "(to_upper('p'))" } }, policy, b), ['metadata.name: expected "P", found "p"']);
  assert.throws(() => checkAssertion({ metadata: { name: "(starts_with(@, 'p'))" } }, { metadata: { name: true } }, b), /invalid type/);
  assert.deepEqual(paths({ '(length(metadata.name) == `1`)': true }, policy, b), []);
  assert.throws(() => checkAssertion({ metadata: { name: '($missing)' } }, policy, b), /variable not defined: \$missing/);
});

test('an escaped \\(...\\) is a literal; an empty map only requires a non-null value', () => {
  assert.deepEqual(paths({ v: '\\(literal)\\' }, { v: '(literal)' }), []);
  assert.deepEqual(paths({ status: {} }, policy), []);
  assert.deepEqual(paths({ spec: {} }, { spec: null }), ['spec: invalid value, must not be null']);
});

test('$name substitution leaves quoted text alone', () => {
  const b = Bindings.of({ x: 'v`1', n: 3 });
  assert.equal(substituteBindings("join('-', [$x, '$x', `\"$x\"`]) && $n", b), "join('-', [`\"v\\`1\"`, '$x', `\"$x\"`]) && `3`");
});

test('the diff shows expected lines against the closest actual, cut to the same shape', () => {
  const diff = renderDiff({ metadata: { name: 'p' }, status: { conditions: [{ type: 'Ready', status: 'False' }] } }, policy, none);
  assert.equal(
    diff,
    ['  metadata:', '    name: p', '  status:', '    conditions:', '      - type: Ready', '-       status: "False"', '+       status: "True"'].join('\n'),
  );
});
