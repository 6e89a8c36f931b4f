import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { JsonValue } from '../../api/json.js';
import { checkCondition } from './operators.js';
import { staticValueCheck } from './static-operand.js';

// Values of every kind the generic operators tell apart: words, wildcard patterns, durations,
// quantities, numbers as text, semver, the special "0", and the empty string.
const values = ['prod', 'skip*', '*', 'sk?p', '', '0', '1', '1.5', '1e3', '100m', '1Gi', '1024Mi', '1h', '60m',
  '3600s', '90s', '1.0.0', 'true', 'm', '+', '-1', '.5', '1h30m'];
const keys: JsonValue[] = [...values, 'skip-this', 'dev', 'sprod', '0.1', '3600', 1, 0, 1.5, 1000, -1, 3600,
  0.1, true, false, null, ['prod'], { a: 'prod' }, [], {}];

test('specialised Equals / NotEquals agree with the generic operators for every key and static value', () => {
  for (const operator of ['Equals', 'NotEquals', 'Equal', 'NotEqual', 'equals', 'NOTEQUALS']) {
    for (const value of values) {
      const check = staticValueCheck(operator, value);
      assert.ok(check, `${operator} ${value} is specialised`);
      for (const key of keys) {
        assert.equal(
          check(key),
          checkCondition(key, operator, value),
          `${JSON.stringify(key)} ${operator} ${JSON.stringify(value)}`,
        );
      }
    }
  }
});

test('operators and value types without a specialisation fall back to the generic check', () => {
  assert.equal(staticValueCheck('AnyIn', 'a'), undefined);
  assert.equal(staticValueCheck('GreaterThan', '1'), undefined);
  assert.equal(staticValueCheck('Equals', 1), undefined);
  assert.equal(staticValueCheck('Equals', ['a']), undefined);
  assert.equal(staticValueCheck('Bogus', 'a'), undefined);
});

test('Kyverno examples: a wildcard value, a quantity key against a word, durations of different spelling', () => {
  const notSkip = staticValueCheck('NotEquals', 'skip*');
  assert.ok(notSkip);
  assert.equal(notSkip('skip-this'), false);
  assert.equal(notSkip('prod'), true);
  // "1Gi" is a quantity and "prod" is not: neither equal nor not-equal.
  assert.equal(staticValueCheck('NotEquals', 'prod')?.('1Gi'), false);
  assert.equal(staticValueCheck('Equals', 'prod')?.('1Gi'), false);
  assert.equal(staticValueCheck('Equals', '1h')?.('60m'), true);
  assert.equal(staticValueCheck('Equals', '1Gi')?.('1024Mi'), true);
});
