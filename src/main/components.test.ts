// --components values: what each list runs, and the lists refused with a reason.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ALL_COMPONENTS, componentsList, DEFAULT_COMPONENTS_LIST, parseComponents } from './components.js';

test('parseComponents reads the lists the flag accepts', () => {
  const cases: [string, { webhook: boolean; controller: boolean }][] = [
    ['webhook,controller', { webhook: true, controller: true }],
    ['controller,webhook', { webhook: true, controller: true }],
    ['webhook', { webhook: true, controller: false }],
    ['controller', { webhook: false, controller: true }],
    [' webhook , controller ', { webhook: true, controller: true }],
    ['webhook,webhook', { webhook: true, controller: false }],
  ];
  for (const [list, want] of cases) assert.deepEqual(parseComponents(list), { components: want }, list);
});

test('parseComponents refuses unknown and empty entries, naming them', () => {
  const cases: [string, RegExp][] = [
    ['', /empty entry/],
    ['webhook,', /empty entry/],
    ['admission', /unknown component "admission"; use one or more of webhook, controller/],
    ['webhook,reports,background', /unknown components "reports", "background"/],
    ['Webhook', /unknown component "Webhook"/],
  ];
  for (const [list, want] of cases) {
    const parsed = parseComponents(list);
    assert.ok('error' in parsed, list);
    assert.match(parsed.error, want, list);
  }
});

test('the default list is both components, and componentsList writes a list back in canonical order', () => {
  assert.deepEqual(parseComponents(DEFAULT_COMPONENTS_LIST), { components: ALL_COMPONENTS });
  assert.equal(componentsList({ controller: true, webhook: true }), 'webhook,controller');
  assert.equal(componentsList({ webhook: false, controller: true }), 'controller');
  assert.equal(componentsList({ webhook: true, controller: false }), 'webhook');
});
