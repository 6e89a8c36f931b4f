import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KyvernoPolicy } from '../api/policy.js';
import { MemoryCluster } from '../cluster/memory/index.js';
import { desiredConfigurations, RESOURCE_MUTATING, RESOURCE_VALIDATING } from './configurations.js';

const policy = (name: string, kind: 'validate' | 'mutate' | 'generate', kinds: string[], failurePolicy?: 'Fail' | 'Ignore', operations?: string[]): KyvernoPolicy => ({
  apiVersion: 'kyverno.io/v1',
  kind: 'ClusterPolicy',
  metadata: { name },
  spec: {
    ...(failurePolicy ? { webhookConfiguration: { failurePolicy } } : {}),
    rules: [{ name: 'r', match: { any: [{ resources: { kinds, ...(operations ? { operations } : {}) } }] }, [kind]: kind === 'generate' ? { kind: 'ConfigMap', apiVersion: 'v1', name: 'x', data: {} } : { pattern: {} } }],
  },
});

interface Hook {
  name: string;
  failurePolicy: string;
  rules: { apiGroups: string[]; resources: string[]; operations: string[] }[];
}

test('webhooks are narrowed to the kinds and operations policies match, one per failure policy', async () => {
  const cluster = new MemoryCluster();
  const objs = await desiredConfigurations(
    [
      policy('v-fail', 'validate', ['Pod'], undefined, ['CREATE']),
      policy('v-ignore', 'validate', ['apps/v1/Deployment'], 'Ignore'),
      policy('m', 'mutate', ['ConfigMap'], 'Ignore'),
      policy('g', 'generate', ['Namespace']),
    ],
    cluster,
    { endpoint: { url: 'https://127.0.0.1:9443' }, caPem: 'PEM', namespace: 'sprout' },
  );
  const validating = objs.find((o) => o.metadata.name === RESOURCE_VALIDATING);
  const hooks = (validating?.['webhooks'] ?? []) as Hook[];
  assert.deepEqual(
    hooks.map((h) => [h.name, h.failurePolicy, h.rules.map((r) => `${r.apiGroups.join()}/${r.resources.join()}:${r.operations.join('|')}`)]),
    [
      ['generate.sprout.io', 'Ignore', ['/namespaces:CONNECT|CREATE|DELETE|UPDATE']],
      ['validate.sprout.io', 'Fail', ['/pods:CREATE']],
      ['validate-ignore.sprout.io', 'Ignore', ['apps/deployments:CONNECT|CREATE|DELETE|UPDATE']],
    ],
  );
  const mutating = objs.find((o) => o.metadata.name === RESOURCE_MUTATING);
  assert.deepEqual(((mutating?.['webhooks'] ?? []) as Hook[]).map((h) => [h.name, h.failurePolicy]), [['mutate-ignore.sprout.io', 'Ignore']]);
});
