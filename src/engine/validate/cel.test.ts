import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { JsonObject } from '../../api/json.js';
import type { KubeObject } from '../../api/kube.js';
import { pod, podRule, policyOf, testEnv } from '../test-support.js';
import type { PolicyRequest } from '../request.js';
import { evaluateValidate } from './evaluate.js';
import { toCel } from './cel.js';

const deployment = (replicas: number, labels: Record<string, string> = {}): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'prod', labels },
  spec: { replicas, template: { spec: { containers: [{ name: 'c', image: 'nginx:latest' }] } } },
});

function celPolicy(cel: JsonObject, kinds = ['Deployment']) {
  return policyOf([
    { name: 'cel', match: { any: [{ resources: { kinds } }] }, validate: { cel } },
  ]);
}

async function one(cel: JsonObject, req: PolicyRequest) {
  const kinds = [req.object?.kind ?? req.oldObject?.kind ?? 'Deployment'];
  const [r] = await evaluateValidate(celPolicy(cel, kinds), req, testEnv);
  return r;
}

const create = (object: KubeObject): PolicyRequest => ({ operation: 'CREATE', object });

test('expressions: pass, fail with message / messageExpression / default', async () => {
  const cases: { name: string; cel: JsonObject; object: KubeObject; status: string; message: string }[] = [
    {
      name: 'int comparison passes (Kyverno docs: replicas < 4)',
      cel: { expressions: [{ expression: 'object.spec.replicas < 4', message: 'at most 3 replicas' }] },
      object: deployment(3),
      status: 'pass',
      message: "validation rule 'cel' passed.",
    },
    {
      name: 'false with message',
      cel: { expressions: [{ expression: 'object.spec.replicas < 4', message: 'at most 3 replicas' }] },
      object: deployment(5),
      status: 'fail',
      message: 'at most 3 replicas',
    },
    {
      name: 'messageExpression wins over message',
      cel: {
        expressions: [
          {
            expression: 'object.spec.replicas < 4',
            message: 'static',
            messageExpression: "'replicas ' + string(object.spec.replicas) + ' > 3'",
          },
        ],
      },
      object: deployment(5),
      status: 'fail',
      message: 'replicas 5 > 3',
    },
    {
      name: 'no message: failed expression',
      cel: { expressions: [{ expression: "has(object.metadata.labels.app)" }] },
      object: deployment(1),
      status: 'fail',
      message: 'failed expression: has(object.metadata.labels.app)',
    },
    {
      name: 'macros over containers',
      cel: {
        expressions: [
          { expression: "object.spec.template.spec.containers.all(c, !c.image.endsWith(':latest'))", message: 'no latest' },
        ],
      },
      object: deployment(1),
      status: 'fail',
      message: 'no latest',
    },
    {
      name: 'the first failing expression decides',
      cel: {
        expressions: [
          { expression: 'object.spec.replicas > 0', message: 'first' },
          { expression: 'object.spec.replicas > 10', message: 'second' },
        ],
      },
      object: deployment(2),
      status: 'fail',
      message: 'second',
    },
    {
      name: 'variables are evaluated in order and read through variables.*',
      cel: {
        variables: [
          { name: 'images', expression: 'object.spec.template.spec.containers.map(c, c.image)' },
          { name: 'latest', expression: "variables.images.exists(i, i.endsWith(':latest'))" },
        ],
        expressions: [{ expression: '!variables.latest', message: 'latest tag' }],
      },
      object: deployment(1),
      status: 'fail',
      message: 'latest tag',
    },
    {
      name: 'a missing field is an error, not a failure',
      cel: { expressions: [{ expression: 'object.spec.nope == 1' }] },
      object: deployment(1),
      status: 'error',
      message: "expression 'object.spec.nope == 1' resulted in error: field not found: nope",
    },
    {
      name: 'syntax errors are errors',
      cel: { expressions: [{ expression: '1 +' }] },
      object: deployment(1),
      status: 'error',
      message: "expression '1 +' resulted in error: <input>:1:3: found + but expecting end of input",
    },
    {
      name: 'non-boolean result is an error',
      cel: { expressions: [{ expression: 'object.spec.replicas' }] },
      object: deployment(1),
      status: 'error',
      message: "expression 'object.spec.replicas' must evaluate to bool, got bigint",
    },
    {
      name: 'paramKind is not supported',
      cel: { paramKind: { apiVersion: 'v1', kind: 'ConfigMap' }, expressions: [{ expression: 'true' }] },
      object: deployment(1),
      status: 'error',
      message: 'rule cel: validate.cel.paramKind is not supported',
    },
  ];
  for (const c of cases) {
    const r = await one(c.cel, create(c.object));
    assert.deepEqual([r?.status, r?.message], [c.status, c.message], c.name);
  }
});

test('bindings: oldObject, request and namespaceObject', async () => {
  const r1 = await one(
    { expressions: [{ expression: 'oldObject == null && request.operation == "CREATE"' }] },
    create(deployment(1)),
  );
  assert.equal(r1?.status, 'pass');
  const r2 = await one(
    {
      expressions: [
        { expression: 'object.spec.replicas >= oldObject.spec.replicas', message: 'no scaling down' },
      ],
    },
    { operation: 'UPDATE', object: deployment(1), oldObject: deployment(3) },
  );
  assert.deepEqual([r2?.status, r2?.message], ['fail', 'no scaling down']);
  const r3 = await one(
    {
      expressions: [
        {
          expression: "namespaceObject.metadata.name == 'prod' && namespaceObject.metadata.labels.tier == 'gold'",
        },
      ],
    },
    { operation: 'CREATE', object: deployment(1), namespaceLabels: { tier: 'gold' } },
  );
  assert.equal(r3?.status, 'pass');
  const r4 = await one(
    { expressions: [{ expression: "request.userInfo.username == 'alice'" }] },
    {
      operation: 'CREATE',
      object: pod('p', { containers: [] }),
      user: { userInfo: { username: 'alice' }, roles: [], clusterRoles: [] },
    },
  );
  assert.equal(r4?.status, 'pass');
});

test('CEL rules go through match like other rules', async () => {
  const p = policyOf([
    podRule('no-host', {
      validate: {
        cel: {
          expressions: [
            { expression: '!has(object.spec.hostNetwork) || !object.spec.hostNetwork', message: 'no hostNetwork' },
          ],
        },
      },
    }),
  ]);
  const podRs = await evaluateValidate(p, create(pod('x', { hostNetwork: true, containers: [] })), testEnv);
  assert.deepEqual(podRs.map((r) => [r.rule, r.status, r.message]), [['no-host', 'fail', 'no hostNetwork']]);
  const cm: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'd' } };
  assert.deepEqual(await evaluateValidate(p, create(cm), testEnv), []);
});

test('toCel makes whole numbers CEL ints and keeps doubles', () => {
  assert.deepEqual(toCel({ a: 1, b: 1.5, c: [2], d: null }), { a: 1n, b: 1.5, c: [2n], d: null });
});
