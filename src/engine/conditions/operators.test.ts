import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JsonValue } from '../../api/json.js';
import { checkCondition, isDeprecatedOperator, isKnownOperator, UnknownOperatorError } from './index.js';

type Case = [key: JsonValue, operator: string, value: JsonValue, expected: boolean];

function table(cases: Case[]): void {
  for (const [key, operator, value, expected] of cases) {
    it(`${JSON.stringify(key)} ${operator} ${JSON.stringify(value)} -> ${expected}`, () => {
      assert.equal(checkCondition(key, operator, value), expected);
    });
  }
}

describe('Equals / NotEquals', () => {
  table([
    // docs: spec.type Equals NodePort
    ['NodePort', 'Equals', 'NodePort', true],
    ['ClusterIP', 'Equals', 'NodePort', false],
    // docs: host NotEquals "*.mycompany.com" (the value is a wildcard pattern)
    ['app.mycompany.com', 'NotEquals', '*.mycompany.com', false],
    ['app.other.com', 'NotEquals', '*.mycompany.com', true],
    // docs: serviceAccountName NotEquals ""
    ['', 'NotEquals', '', false],
    ['builder', 'NotEquals', '', true],
    // numbers: int and whole float are the same, strings are parsed
    [3, 'Equals', 3.0, true],
    [3, 'Equals', '3', true],
    [1.5, 'Equals', '1.5', true],
    [3, 'Equals', 'three', false],
    [3, 'NotEquals', 'three', true],
    [true, 'Equals', true, true],
    [true, 'Equals', 'true', false],
    [true, 'NotEquals', 'true', true],
    // durations compare by length, numbers count as seconds
    ['1h', 'Equals', '60m', true],
    ['1h', 'Equals', 3600, true],
    ['30s', 'NotEquals', '1m', true],
    // quantities compare by value
    ['1Gi', 'Equals', '1024Mi', true],
    ['1000m', 'Equals', '1', true],
    // a quantity key against a non-quantity string is false both ways
    ['10', 'Equals', 'ten', false],
    ['10', 'NotEquals', 'ten', false],
    // a quantity string key against a number falls through to "expected string"
    ['10', 'Equals', 10, false],
    // maps and arrays deep-equal
    [{ a: 1, b: [1, 2] }, 'Equals', { b: [1, 2], a: 1 }, true],
    [['a', 'b'], 'Equals', ['b', 'a'], false],
    [['a'], 'NotEquals', 'a', true],
    // null key is unsupported: both false
    [null, 'Equals', null, false],
    [null, 'NotEquals', 'x', false],
    // deprecated spellings and case-insensitivity
    ['a', 'Equal', 'a', true],
    ['a', 'notequal', 'b', true],
    ['a', 'EQUALS', 'a', true],
  ]);
});

describe('ordering operators', () => {
  table([
    // docs: memory request LessThan 1Gi
    ['512Mi', 'LessThan', '1Gi', true],
    ['2Gi', 'LessThan', '1Gi', false],
    ['1Gi', 'LessThanOrEquals', '1024Mi', true],
    ['1.5', 'GreaterThan', '1200m', true],
    // numbers and numeric strings
    [5, 'GreaterThan', 3, true],
    [5, 'GreaterThan', '3', true],
    ['5', 'GreaterThanOrEquals', 5, true],
    [2.5, 'LessThan', 3, true],
    [5, 'GreaterThan', 'abc', false],
    // durations, numbers are seconds
    ['1h', 'GreaterThan', '30m', true],
    ['90s', 'LessThanOrEquals', 90, true],
    [3600, 'GreaterThanOrEquals', '1h', true],
    ['1h', 'LessThan', 3601, true],
    // semver
    ['1.10.0', 'GreaterThan', '1.9.0', true],
    ['1.2.3', 'LessThan', '1.2.4', true],
    ['1.2.3', 'GreaterThan', 'x', false],
    // unsupported types
    [null, 'GreaterThan', 1, false],
    [true, 'LessThan', 1, false],
    [['1'], 'LessThan', 2, false],
    // deprecated Duration* operators
    ['2h', 'DurationGreaterThan', '1h', true],
    [7200, 'DurationGreaterThanOrEquals', '2h', true],
    ['1h', 'DurationLessThan', 'abc', false],
    ['0', 'DurationLessThanOrEquals', '1s', true],
  ]);
});

describe('set operators', () => {
  table([
    // docs: serviceAccountName AnyIn [build-default, build-base]
    ['build-default', 'AnyIn', ['build-default', 'build-base'], true],
    ['deployer', 'AnyIn', ['build-default', 'build-base'], false],
    // arrays of keys
    [['a', 'b'], 'AnyIn', ['b', 'c'], true],
    [['a', 'b'], 'AllIn', ['b', 'c'], false],
    [['a', 'b'], 'AllIn', ['a', 'b', 'c'], true],
    [['a', 'b'], 'AnyNotIn', ['b', 'c'], true],
    [['a', 'b'], 'AnyNotIn', ['a', 'b'], false],
    [['a', 'b'], 'AllNotIn', ['c', 'd'], true],
    [['a', 'b'], 'AllNotIn', ['b', 'd'], false],
    // wildcards in either direction
    ['nginx:latest', 'AnyIn', ['*:latest'], true],
    [['*:latest'], 'AnyIn', ['nginx:latest'], true],
    [['ghcr.io/a', 'docker.io/b'], 'AllIn', ['ghcr.io/*', 'docker.io/*'], true],
    // exact values and patterns mixed; a pattern key matches values either way round
    [['NET_RAW', 'CHOWN'], 'AnyNotIn', ['CHOWN', 'NET_*'], false],
    [['NET_RAW', 'SYS_ADMIN'], 'AllNotIn', ['CHOWN', 'NET_*'], false],
    [['SYS_?DMIN', 'x'], 'AllIn', ['SYS_ADMIN', 'x'], true],
    [['a*'], 'AllIn', ['a*'], true],
    [['b', 'b'], 'AllIn', ['a', 'b'], true],
    // numbers and booleans are compared as their Go text
    [[1, 2], 'AllIn', [1, 2, 3], true],
    [true, 'AnyIn', [true], true],
    [3, 'AnyIn', ['3'], true],
    [[1, 2], 'AnyIn', 2, true],
    // a JSON array in a string (ConfigMap data), or a plain string
    ['cluster-admin', 'AnyIn', '["cluster-admin", "cluster-operator"]', true],
    [['tenant-admin'], 'AllIn', '["cluster-admin", "cluster-operator"]', false],
    ['a', 'AnyIn', 'a', true],
    [['a'], 'AllIn', 'a', true],
    [['a'], 'AllNotIn', 'a', false],
    // JSON that is not a string array makes the condition false (invalid type)
    ['5', 'AnyIn', '[1, 2]', false],
    ['5', 'AnyNotIn', '[1, 2]', false],
    // ranges
    [5, 'AnyIn', '1-10', true],
    [15, 'AnyIn', '1-10', false],
    [15, 'AnyNotIn', '1-10', true],
    [[2, 20], 'AnyIn', '1-10', true],
    [[2, 20], 'AllIn', '1-10', false],
    [[2, 20], 'AnyNotIn', '1-10', true],
    [[12, 20], 'AllNotIn', '1-10', true],
    [['512Mi'], 'AllIn', '100Mi-1Gi', true],
    // unsupported value types
    ['a', 'AnyIn', null, false],
    ['a', 'AnyNotIn', { a: 1 }, false],
    [null, 'AnyIn', ['a'], false],
  ]);
});

describe('deprecated In / NotIn', () => {
  table([
    ['a', 'In', ['a', 'b'], true],
    ['a*', 'In', ['abc'], true],
    ['abc', 'In', ['a*'], false],
    ['c', 'NotIn', ['a', 'b'], true],
    [['a', 'b'], 'In', ['a', 'b', 'c'], true],
    [['a', 'z'], 'In', ['a', 'b', 'c'], false],
    [['a', 'z'], 'NotIn', ['a', 'b', 'c'], true],
    ['a', 'In', '["a","b"]', true],
    ['a', 'In', 'not json', false],
  ]);
});

describe('operator names', () => {
  it('knows every operator case-insensitively', () => {
    for (const name of [
      'Equals',
      'notequals',
      'AnyIn',
      'ALLNOTIN',
      'GreaterThanOrEquals',
      'DurationLessThan',
      'In',
    ]) {
      assert.equal(isKnownOperator(name), true, name);
    }
    assert.equal(isKnownOperator('Contains'), false);
  });

  it('flags deprecated operators', () => {
    for (const name of ['Equal', 'NotEqual', 'In', 'NotIn', 'DurationGreaterThan']) {
      assert.equal(isDeprecatedOperator(name), true, name);
    }
    assert.equal(isDeprecatedOperator('Equals'), false);
    assert.equal(isDeprecatedOperator('AnyIn'), false);
  });

  it('throws on an unknown operator', () => {
    assert.throws(() => checkCondition('a', 'Contains', 'a'), UnknownOperatorError);
  });
});

describe('set operators with frozen value lists (static operands of compiled conditions)', () => {
  it('answer as unfrozen lists do, every time', () => {
    const values = ['CHOWN', 'NET_*', 'KILL'];
    const frozen = Object.freeze([...values]) as JsonValue[];
    const keys: JsonValue[] = [['NET_RAW'], ['SYS_ADMIN'], ['KILL', 'CHOWN'], ['N?T_RAW'], []];
    for (const op of ['AnyIn', 'AllIn', 'AnyNotIn', 'AllNotIn']) {
      for (const key of keys) {
        const want = checkCondition(key, op, values);
        for (let i = 0; i < 2; i++)
          assert.equal(checkCondition(key, op, frozen), want, `${op} ${JSON.stringify(key)}`);
      }
    }
    assert.equal(checkCondition(['SYS_ADMIN'], 'AnyNotIn', frozen), true);
    assert.equal(checkCondition(['NET_RAW', 'KILL'], 'AllIn', frozen), true);
  });
});
