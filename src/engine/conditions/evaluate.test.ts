import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JsonObject, JsonValue } from '../../api/json.js';
import type { AnyAllConditions, Condition } from '../../api/policy.js';
import { evaluateConditions } from './index.js';

// A tiny resolver for the tests: "{{name}}" is looked up in `vars`; unknown names throw.
function resolver(vars: JsonObject): (v: JsonValue) => JsonValue {
  return (v) => {
    if (typeof v !== 'string') return v;
    const m = /^\{\{\s*(\w+)\s*\}\}$/.exec(v);
    if (m === null) return v;
    const name = m[1] as string;
    if (!Object.hasOwn(vars, name)) throw new Error(`Unknown key "${name}" in path`);
    return vars[name] as JsonValue;
  };
}

// The labels of the docs' busybox Deployment example.
const labels = resolver({
  app: 'busybox',
  color: 'red',
  animal: 'cow',
  env: 'qa',
  food: 'pizza',
  day: 'tuesday',
});

const eq = (name: string, value: string, message?: string): Condition =>
  message === undefined
    ? { key: `{{ ${name} }}`, operator: 'Equals', value }
    : { key: `{{ ${name} }}`, operator: 'Equals', value, message };

describe('evaluateConditions', () => {
  it('passes when there are no conditions', () => {
    assert.deepEqual(evaluateConditions(undefined, labels), { pass: true, message: '' });
  });

  it('any: one true condition is enough (docs: color=blue OR app=busybox)', () => {
    const c: AnyAllConditions = { any: [eq('color', 'blue'), eq('app', 'busybox')] };
    assert.equal(evaluateConditions(c, labels).pass, true);
  });

  it('any and all must both hold (docs: plus animal=cow AND env=qa)', () => {
    const c: AnyAllConditions = {
      any: [eq('color', 'blue'), eq('app', 'busybox')],
      all: [eq('animal', 'cow'), eq('env', 'qa')],
    };
    assert.equal(evaluateConditions(c, labels).pass, true);
    const failing: AnyAllConditions = { ...c, all: [eq('animal', 'cow'), eq('env', 'prod')] };
    assert.equal(evaluateConditions(failing, labels).pass, false);
  });

  it('reports the message of the failing all-condition (docs: custom messages)', () => {
    const c: AnyAllConditions = {
      all: [
        eq('food', 'cheese', 'My favorite food is cheese.'),
        eq('day', 'monday', 'You have a case of the Mondays.'),
      ],
    };
    assert.deepEqual(evaluateConditions(c, labels), { pass: false, message: 'My favorite food is cheese.' });
  });

  it('joins the messages of every failed any-condition and the failed all-condition', () => {
    const c: AnyAllConditions = {
      any: [eq('color', 'blue', 'not blue'), eq('color', 'green', 'not green')],
      all: [eq('env', 'prod', 'not prod')],
    };
    assert.deepEqual(evaluateConditions(c, labels), {
      pass: false,
      message: 'not blue; not green; not prod',
    });
  });

  it('joins the messages of the passing conditions on success, skipping empty ones', () => {
    const c: AnyAllConditions = {
      any: [eq('color', 'red', 'red it is')],
      all: [eq('env', 'qa'), eq('app', 'busybox', 'busy')],
    };
    assert.deepEqual(evaluateConditions(c, labels), { pass: true, message: 'red it is; busy' });
  });

  it('short-circuits: conditions after the decisive one are not resolved', () => {
    const c: AnyAllConditions = {
      any: [eq('app', 'busybox'), eq('missing', 'x')],
      all: [eq('env', 'prod'), eq('missing', 'x')],
    };
    assert.equal(evaluateConditions(c, labels).pass, false);
  });

  it('an empty any list fails, an empty all list passes', () => {
    assert.equal(evaluateConditions({ any: [] }, labels).pass, false);
    assert.equal(evaluateConditions({ all: [] }, labels).pass, true);
  });

  it('a bare list means all', () => {
    assert.equal(evaluateConditions([eq('app', 'busybox'), eq('env', 'qa')], labels).pass, true);
    assert.deepEqual(evaluateConditions([eq('app', 'busybox'), eq('env', 'prod', 'wrong env')], labels), {
      pass: false,
      message: 'wrong env',
    });
  });

  it('propagates variable errors instead of failing the condition', () => {
    assert.throws(() => evaluateConditions({ all: [eq('missing', 'x')] }, labels), /Unknown key "missing"/);
  });

  it('propagates unknown operators as errors', () => {
    assert.throws(
      () => evaluateConditions({ all: [{ key: 'a', operator: 'Like', value: 'a' }] }, labels),
      /Like/,
    );
  });

  it('a missing value is null', () => {
    assert.equal(evaluateConditions({ all: [{ key: 'a', operator: 'NotEquals' }] }, labels).pass, true);
  });
});
