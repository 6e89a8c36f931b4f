// Values that join into new variables (`x{` + `{ c }}`), nested variables whose rewritten text
// changes with the data, and numbers/objects printed between variables: the results Kyverno's loop
// gives, the same on every render of the same (memoised) template.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { JsonObject, JsonValue } from '../../api/json.js';
import { EvalContext } from './context.js';
import { substituteString } from './string-template.js';

const fns = { now: () => 0, random: () => 0.5 };
const data: Record<string, JsonObject> = {
  prod: { a: 'x{', b: '{ c }}', c: 'C', env: 'prod', tiers: { prod: 'gold', dev: 'bronze' }, n: 7, obj: { k: '{' } },
  dev: { a: 'x', b: 'y', c: 'C2', env: 'dev', tiers: { prod: 'gold', dev: 'bronze' }, n: 1.5, obj: { k: '}' } },
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
