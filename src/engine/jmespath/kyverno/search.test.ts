// End to end: Kyverno's functions called from expressions through the interpreter.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JsonValue } from '../../../api/json.js';
import { search } from '../index.js';
import type { FunctionContext } from '../types.js';
import { kyvernoFunctions } from './index.js';

const ctx: FunctionContext = { now: () => Date.UTC(2023, 0, 2, 3, 4, 5), random: () => 0.5 };

const pod: JsonValue = {
  metadata: { name: 'busybox-very-long-name', labels: { app: 'busybox', tier: 'web' } },
  spec: {
    containers: [
      { name: 'a', image: 'nginx', resources: { requests: { memory: '512Mi', cpu: '250m' } } },
      { name: 'b', image: 'ghcr.io/org/app:1.0', resources: { requests: { memory: '1Gi', cpu: '500m' } } },
    ],
  },
};

function run(expression: string, data: JsonValue = pod): JsonValue {
  return search(expression, data, { functions: kyvernoFunctions, ctx });
}

describe('Kyverno functions through search()', () => {
  const cases: [string, JsonValue][] = [
    ['sum(spec.containers[].resources.requests.memory)', '1536Mi'],
    ['sum(spec.containers[].resources.requests.cpu)', '750m'],
    ["add('1h', '30m')", '1h30m0s'],
    ['divide(`10`, `4`)', 2.5],
    ['sum(`[1, 2, 3]`)', 6],
    ['metadata.name | truncate(@, `7`)', 'busybox'],
    ['to_upper(metadata.labels.app)', 'BUSYBOX'],
    ['label_match(`{"app": "busybox"}`, metadata.labels)', true],
    ['spec.containers[].image | [0] | image_normalize(@)', 'docker.io/nginx:latest'],
    ["split('a,b', ',')", ['a', 'b']],
    ["items(metadata.labels, 'key', 'value')[0].key", 'app'],
    ["time_add(time_now_utc(), '1h')", '2023-01-02T04:04:05Z'],
    ["semver_compare('1.27.3', '>=1.25.0')", true],
    ["regex_replace_all('^(\\w+)-.*$', metadata.name, '$1')", 'busybox'],
    ['parse_json(\'{"a": 1}\').a', 1],
  ];
  for (const [expression, expected] of cases) {
    it(`${expression} = ${JSON.stringify(expected)}`, () => assert.deepEqual(run(expression), expected));
  }

  it('surfaces Kyverno errors', () => {
    assert.throws(() => run('divide(`1`, `0`)'), {
      message: "JMESPath function 'divide': Zero divisor passed",
    });
  });
});
