import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { humanDuration, jsonPathValue } from './table-values.js';

describe('humanDuration (apimachinery duration.HumanDuration)', () => {
  const s = 1000;
  const m = 60 * s;
  const h = 60 * m;
  const d = 24 * h;
  const cases: [number, string][] = [
    [-2 * s, '<invalid>'], [-1 * s + 1, '0s'], [0, '0s'], [119 * s, '119s'], [2 * m, '2m'], [2 * m + 5 * s, '2m5s'],
    [10 * m, '10m'], [179 * m, '179m'], [3 * h, '3h'], [3 * h + 30 * m, '3h30m'], [8 * h, '8h'], [47 * h, '47h'],
    [2 * d, '2d'], [2 * d + 5 * h, '2d5h'], [8 * d, '8d'], [729 * d, '729d'], [730 * d, '2y'], [800 * d, '2y70d'], [3000 * d, '8y'],
  ];
  for (const [ms, want] of cases) it(`${ms} ms -> ${want}`, () => assert.equal(humanDuration(ms), want));
});

describe('printer column JSONPath', () => {
  const obj = { spec: { size: 'L', list: [{ n: 1 }, { n: 2 }] }, status: { conditions: [{ type: 'Ready', status: 'True' }] } };
  it('reads fields, indexes and filters', () => {
    assert.equal(jsonPathValue(obj, '.spec.size'), 'L');
    assert.equal(jsonPathValue(obj, '.spec.list[1].n'), 2);
    assert.equal(jsonPathValue(obj, '.status.conditions[?(@.type=="Ready")].status'), 'True');
    assert.equal(jsonPathValue(obj, '.spec.missing'), undefined);
    assert.equal(jsonPathValue(obj, 'not a path'), undefined);
  });
});
