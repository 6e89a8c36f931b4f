// Values that join into new variables (`x{` + `{ c }}`), nested variables whose rewritten text
// changes with the data, and numbers/objects printed between variables: the results Kyverno's loop
// gives, the same on every render of the same (memoised) template.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { JsonObject, JsonValue } from '../../api/json.js';
import { kyvernoFunctions } from '../jmespath/kyverno/index.js';
import { EvalContext } from './context.js';
import { replaceEvery, substituteString } from './string-template.js';

const fns = { now: () => 0, random: () => 0.5 };
const data: Record<string, JsonObject> = {
  prod: { a: 'x{', b: '{ c }}', c: 'C', env: 'prod', tiers: { prod: 'gold', dev: 'bronze' }, n: 7, obj: { k: '{' }, k: 'n' },
  dev: { a: 'x', b: 'y', c: 'C2', env: 'dev', tiers: { prod: 'gold', dev: 'bronze' }, n: 1.5, obj: { k: '}' }, k: 'obj' },
};

const table: [string, string, JsonValue][] = [
  ["{{ a }}{{ b }}", "prod", "xC"],
  ["{{a}}-{{b}}", "prod", "x{-{ c }}"],
  ["v{{ a }}", "prod", "vx{"],
  ["{{ tiers.{{ env }} }}", "prod", "gold"],
  ["tier-{{ tiers.{{ env }} }}", "prod", "tier-gold"],
  ["{{ n }}{{ obj }}", "prod", "7{\"k\":\"{\"}"],
  ["{{ obj }}{{ obj }}", "prod", "{\"k\":\"{\"}{\"k\":\"{\"}"],
  ["{{ a }}{ c }}", "prod", "xC"],
  // Nested variables: the first round's rewrite is kept per template, and must follow the data.
  ["{{ tiers.{{ env }} }}/{{ tiers.{{ env }} }}", "prod", "gold/gold"],
  ["{{ {{ k }} }}", "prod", 7],
  ["{{ k }}: {{ {{ k }} }}", "prod", "n: 7"],
  ["\\{{ a }} {{ tiers.{{ env }} }}", "prod", "{{ a }} gold"],
  ["{{ tiers.{{ env }} }}/{{ tiers.{{ env }} }}", "dev", "bronze/bronze"],
  ["{{ {{ k }} }}", "dev", { k: '}' }],
  ["{{ k }}: {{ {{ k }} }}", "dev", "obj: {\"k\":\"}\"}"],
  ["\\{{ a }} {{ tiers.{{ env }} }}", "dev", "{{ a }} bronze"],
  ["{{ a }}{{ b }}", "dev", "xy"],
  ["{{a}}-{{b}}", "dev", "x-y"],
  ["v{{ a }}", "dev", "vx"],
  ["{{ tiers.{{ env }} }}", "dev", "bronze"],
  ["tier-{{ tiers.{{ env }} }}", "dev", "tier-bronze"],
  ["{{ n }}{{ obj }}", "dev", "1.5{\"k\":\"}\"}"],
  ["{{ obj }}{{ obj }}", "dev", "{\"k\":\"}\"}{\"k\":\"}\"}"],
  ["{{ a }}{ c }}", "dev", "x{ c }}"],
];

test('templates render as Kyverno substitutes, render after render', () => {
  for (let round = 0; round < 3; round++) {
    for (const [template, env, expected] of table) {
      const ctx = new EvalContext(data[env] as JsonObject, fns, new Map());
      assert.deepEqual(substituteString(template, ctx, { operation: 'CREATE' }, '/x'), expected, `${template} (${env})`);
    }
  }
});

test('replaceEvery replaces like split/join, left to right and without overlaps', () => {
  const cases: [string, string, string][] = [
    ['a{{b{{c', '{{', '\\{{'],
    ['{{ x }}{{ x }}', '{{ x }}', 'v'],
    ['aaaa', 'aa', 'b'],
    ['none', 'zz', 'y'],
    ['', 'a', 'b'],
    ['$&$1', '$', '$$'],
  ];
  for (const [s, find, replacement] of cases) {
    assert.equal(replaceEvery(s, find, replacement), s.split(find).join(replacement), `${s} / ${find}`);
  }
});

test('a template of request values renders each request afresh, and never keeps what a lenient view read', () => {
  const source = '{{ request.object.metadata.name }}-{{ to_upper(request.namespace) }}';
  const a: JsonObject = { request: { namespace: 'ns-a', object: { metadata: { name: 'a' } } } };
  const b: JsonObject = { request: { namespace: 'ns-b', object: { metadata: { name: 'b' } } } };
  const render = (root: JsonObject, operation = 'CREATE'): JsonValue =>
    substituteString(source, new EvalContext(root, fns, kyvernoFunctions), { operation });
  assert.equal(render(a), 'a-NS-A');
  assert.equal(render(a), 'a-NS-A');
  assert.equal(render(b), 'b-NS-B');
  assert.equal(render(a), 'a-NS-A');
  // On DELETE the expressions read request.oldObject instead.
  const deleted: JsonObject = { request: { namespace: 'ns-a', object: null, oldObject: { metadata: { name: 'old' } } } };
  assert.equal(render(deleted, 'DELETE'), 'old-NS-A');

  // A view that reads failures as '' must not leave its '' for a strict context (which must fail).
  class Lenient extends EvalContext {
    override evaluate(compiled: Parameters<EvalContext['evaluate']>[0]): JsonValue {
      try {
        return super.evaluate(compiled);
      } catch {
        return '';
      }
    }
  }
  const missing: JsonObject = { request: { namespace: 'ns', object: { metadata: {} } } };
  assert.equal(substituteString(source, new Lenient(missing, fns, kyvernoFunctions), {}), '-NS');
  assert.throws(() => substituteString(source, new EvalContext(missing, fns, kyvernoFunctions), {}), /failed to resolve/);
});

test('a request value that brings new variables is substituted from the whole context each time', () => {
  const source = 'x-{{ request.object.note }}';
  const request = { object: { note: '{{ team }}' } };
  const render = (team: string): JsonValue =>
    substituteString(source, new EvalContext({ request, team }, fns, kyvernoFunctions), {});
  assert.equal(render('blue'), 'x-blue');
  assert.equal(render('red'), 'x-red');
});
