import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../api/kube.js';
import type { KyvernoPolicy } from '../api/policy.js';
import type { AccessAttributes, AccessDecision, ClusterClient } from '../cluster/client.js';
import { MemoryCluster } from '../cluster/memory/index.js';
import { PERMISSION_HINT } from '../pipeline/generate-permissions.js';
import { systemClock } from '../platform/clock.js';
import { silentLogger } from '../platform/logger.js';
import { PolicyStatusWriter } from './policy-status.js';

const POLICY: KyvernoPolicy = {
  apiVersion: 'kyverno.io/v1',
  kind: 'ClusterPolicy',
  metadata: { name: 'sa' },
  spec: {
    rules: [
      {
        name: 'r',
        match: { any: [{ resources: { kinds: ['Namespace'] } }] },
        generate: { apiVersion: 'v1', kind: 'ServiceAccount', name: 'bot', namespace: '{{request.object.metadata.name}}', data: {} },
      },
    ],
  },
};

async function stored(cluster: ClusterClient): Promise<KubeObject> {
  return cluster.create(POLICY as unknown as KubeObject);
}

async function ready(cluster: ClusterClient): Promise<{ status: string; reason: string; message: string }> {
  const live = await cluster.get({ apiVersion: 'kyverno.io/v1', kind: 'ClusterPolicy', name: 'sa' });
  const status = live['status'] as { conditions: { status: string; reason: string; message: string }[] };
  const c = status.conditions[0];
  assert.ok(c);
  return { status: c.status, reason: c.reason, message: c.message };
}

describe('PolicyStatusWriter and generate permissions', () => {
  it('a policy whose targets Sprout may not manage is Ready False with the missing permissions', async () => {
    const cluster = new MemoryCluster();
    const object = await stored(cluster);
    const writer = new PolicyStatusWriter(cluster, systemClock, silentLogger());
    const lift = cluster.denyAccess({ resource: 'serviceaccounts', verb: 'create' });
    await writer.write({ key: 'sa', after: POLICY, object });
    assert.deepEqual(await ready(cluster), {
      status: 'False',
      reason: 'Failed',
      message: `spec.rules[0].generate: Sprout's service account lacks permission to create serviceaccounts in all namespaces; ${PERMISSION_HINT}`,
    });
    lift();
    await writer.write({ key: 'sa', after: POLICY, object });
    assert.deepEqual(await ready(cluster), { status: 'True', reason: 'Succeeded', message: 'Ready' });
  });

  it('a review that fails leaves the policy Ready (not knowing is no finding)', async () => {
    const memory = new MemoryCluster();
    const object = await stored(memory);
    const client: ClusterClient = Object.assign(Object.create(memory) as MemoryCluster, {
      reviewAccess: (): Promise<AccessDecision> => Promise.reject(new Error('unreachable')),
    });
    await new PolicyStatusWriter(client, systemClock, silentLogger()).write({ key: 'sa', after: POLICY, object });
    assert.equal((await ready(memory)).status, 'True');
  });

  it('writes for one policy land in order even when the permission check is slow', async () => {
    const memory = new MemoryCluster();
    const object = await stored(memory);
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const client: ClusterClient = Object.assign(Object.create(memory) as MemoryCluster, {
      reviewAccess: async (a: AccessAttributes): Promise<AccessDecision> => {
        await gate;
        return memory.reviewAccess(a);
      },
    });
    const writer = new PolicyStatusWriter(client, systemClock, silentLogger());
    const first = writer.write({ key: 'sa', after: POLICY, object });
    const second = writer.write({
      key: 'sa',
      object,
      problems: [{ file: 'f', path: 'spec.rules[0].name', message: 'broken', severity: 'error' }],
    });
    release();
    await Promise.all([first, second]);
    assert.deepEqual(await ready(memory), { status: 'False', reason: 'Failed', message: 'spec.rules[0].name: broken' });
  });
});
