// KubeClient.reviewAccess on the wire: one SelfSubjectAccessReview per question, its status read back.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FakeApiServer } from './fake-api-server.test-util.js';
import { startFakeApiServer } from './fake-api-server.test-util.js';
import { KubeClient } from './kube-client.js';

const servers: FakeApiServer[] = [];
after(async () => {
  for (const s of servers) await s.close();
});

async function clientAnswering(status: object): Promise<{ server: FakeApiServer; client: KubeClient }> {
  const server = await startFakeApiServer((r) => {
    const body = JSON.parse(r.body) as Record<string, unknown>;
    return { status: 201, body: { ...body, status } };
  });
  servers.push(server);
  return { server, client: new KubeClient(server.kubeConfig, { qps: 0 }) };
}

describe('KubeClient.reviewAccess', () => {
  it('posts a SelfSubjectAccessReview with only the attributes given', async () => {
    const { server, client } = await clientAnswering({ allowed: true });
    const decision = await client.reviewAccess({
      verb: 'create',
      group: 'networking.k8s.io',
      resource: 'networkpolicies',
      namespace: 'team',
    });
    assert.deepEqual(decision, { allowed: true });
    const seen = server.seen.at(-1);
    assert.equal(seen?.method, 'POST');
    assert.equal(seen?.path, '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews');
    assert.deepEqual(JSON.parse(seen?.body ?? ''), {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectAccessReview',
      spec: { resourceAttributes: { verb: 'create', group: 'networking.k8s.io', resource: 'networkpolicies', namespace: 'team' } },
    });
  });

  const answers: { name: string; status: object; expected: object }[] = [
    { name: 'denied with a reason', status: { allowed: false, reason: 'no RBAC policy matched' }, expected: { allowed: false, reason: 'no RBAC policy matched' } },
    { name: 'an explicit deny wins over allowed', status: { allowed: true, denied: true }, expected: { allowed: false } },
    { name: 'no status is no permission', status: {}, expected: { allowed: false } },
  ];
  for (const a of answers) {
    it(a.name, async () => {
      const { client } = await clientAnswering(a.status);
      assert.deepEqual(await client.reviewAccess({ verb: 'get', group: '', resource: 'secrets', subresource: '', name: 'x' }), a.expected);
    });
  }
});
