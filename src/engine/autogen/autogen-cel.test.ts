// validate.cel rules written for Pods, evaluated on pod controllers through their autogen rules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { JsonObject } from '../../api/json.js';
import type { KubeObject } from '../../api/kube.js';
import { podRule, policyOf, testEnv } from '../test-support.js';
import { evaluateValidate } from '../validate/evaluate.js';

const podSpec = (image: string): JsonObject => ({ containers: [{ name: 'app', image }] });

const controller = (apiVersion: string, kind: string, spec: JsonObject): KubeObject => ({
  apiVersion,
  kind,
  metadata: { name: 'web', namespace: 'default' },
  spec,
});

const deployment = (image: string): KubeObject =>
  controller('apps/v1', 'Deployment', { template: { metadata: { name: 'tpl' }, spec: podSpec(image) } });

const cronJob = (image: string): KubeObject =>
  controller('batch/v1', 'CronJob', {
    schedule: '* * * * *',
    jobTemplate: { spec: { template: { metadata: { name: 'tpl' }, spec: podSpec(image) } } },
  });

const policy = policyOf([
  podRule('no-latest', {
    validate: {
      cel: {
        expressions: [
          {
            expression: "object.spec.containers.all(c, !c.image.endsWith(':latest'))",
            messageExpression: "'latest image in ' + object.metadata.name",
          },
        ],
      },
    },
  }),
]);

test('a Pod CEL rule checks the pod template of Deployments and CronJobs', async () => {
  const cases: [KubeObject, string, string, string][] = [
    [deployment('nginx:1.2'), 'autogen-no-latest', 'pass', ''],
    [deployment('nginx:latest'), 'autogen-no-latest', 'fail', 'latest image in tpl'],
    [cronJob('nginx:1.2'), 'autogen-cronjob-no-latest', 'pass', ''],
    [cronJob('nginx:latest'), 'autogen-cronjob-no-latest', 'fail', 'latest image in tpl'],
  ];
  for (const [object, rule, status, message] of cases) {
    const results = await evaluateValidate(policy, { operation: 'CREATE', object }, testEnv);
    assert.deepEqual(
      results.map((r) => r.rule),
      [rule],
      object.kind,
    );
    assert.equal(results[0]?.status, status, `${object.kind} ${status}`);
    if (message !== '') assert.equal(results[0]?.message, message);
  }
});
