import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KubectlClient, reasonOf } from './kubectl-client.js';
import { ScriptedRunner } from './test-support.js';

const coreDiscovery = JSON.stringify({ resources: [{ name: 'configmaps', kind: 'ConfigMap', namespaced: true }, { name: 'namespaces', kind: 'Namespace', namespaced: false }, { name: 'namespaces/status', kind: 'Namespace', namespaced: false }] });
const kyvernoDiscovery = JSON.stringify({ resources: [{ name: 'clusterpolicies', kind: 'ClusterPolicy', namespaced: false }] });

function fakeKubectl(): ScriptedRunner {
  return new ScriptedRunner((req) => {
    const args = req.args.slice(2); // --kubeconfig, --request-timeout
    const [verb, , path] = args;
    if (verb === 'get' && path === '/api/v1') return { stdout: coreDiscovery };
    if (verb === 'get' && path === '/apis/kyverno.io/v1') return { stdout: kyvernoDiscovery };
    if (verb === 'get' && path === '/apis/example.io/v1') return { error: 'exit status 1', stderr: 'Error from server (NotFound): the server could not find the requested resource' };
    if (verb === 'get' && path === '/api/v1/namespaces/ns1/configmaps/missing') return { error: 'exit status 1', stderr: 'Error from server (NotFound): configmaps "missing" not found' };
    if (verb === 'get' && path === '/api/v1/namespaces/ns1/configmaps/cm') return { stdout: '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm"}}' };
    if (verb === 'get' && path?.startsWith('/api/v1/namespaces/ns1/configmaps?')) return { stdout: '{"items":[{"metadata":{"name":"a"}}]}' };
    if (verb === 'create') return { stdout: req.stdin ?? '' };
    if (verb === 'delete') return {};
    if (verb === 'patch') return { stdout: '{"apiVersion":"kyverno.io/v1","kind":"ClusterPolicy","metadata":{"name":"p"}}' };
    return { error: 'exit status 1', stderr: `unexpected ${args.join(' ')}` };
  });
}

test('kubectl client: discovery maps kinds to REST paths and scopes', async () => {
  const runner = fakeKubectl();
  const client = new KubectlClient({ kubeconfig: '/k', runner });
  assert.equal(await client.path({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'ns1', name: 'cm' }), '/api/v1/namespaces/ns1/configmaps/cm');
  assert.equal(await client.path({ apiVersion: 'kyverno.io/v1', kind: 'ClusterPolicy', namespace: 'ignored', name: 'p' }), '/apis/kyverno.io/v1/clusterpolicies/p');
  assert.equal(await client.isNamespaced('v1', 'Namespace'), false);
  await assert.rejects(client.isNamespaced('example.io/v1', 'Widget'), /doesn't serve Widget/);
  // Discovery is cached per group version.
  assert.equal(runner.requests.filter((r) => r.args.includes('/api/v1')).length, 1);
  assert.deepEqual(runner.requests[0]?.args.slice(0, 2), ['--kubeconfig=/k', '--request-timeout=30s']);
});

test('kubectl client: reads, lists, creates, patches and deletes through kubectl', async () => {
  const runner = fakeKubectl();
  const client = new KubectlClient({ kubeconfig: '/k', runner });
  assert.equal(await client.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'ns1', name: 'missing' }), null);
  assert.equal(await client.get({ apiVersion: 'example.io/v1', kind: 'Widget', name: 'w' }), null);
  assert.deepEqual(await client.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'ns1', name: 'cm' }), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' } });
  assert.deepEqual(await client.list({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'ns1', labels: { app: 'x' } }), [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } }]);
  assert.ok(runner.requests.some((r) => r.args.includes('/api/v1/namespaces/ns1/configmaps?labelSelector=app%3Dx')));
  const obj = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'n', namespace: 'ns1' } };
  assert.deepEqual(await client.create(obj), obj);
  assert.deepEqual(runner.requests.at(-1)?.args.slice(2), ['create', '--raw', '/api/v1/namespaces/ns1/configmaps', '-f', '-']);
  await client.mergePatch({ apiVersion: 'kyverno.io/v1', kind: 'ClusterPolicy', name: 'p' }, { spec: { background: false } });
  assert.deepEqual(runner.requests.at(-1)?.args.slice(2), ['patch', 'clusterpolicies.v1.kyverno.io', 'p', '--type', 'merge', '-p', '{"spec":{"background":false}}', '-o', 'json']);
  assert.equal(await client.delete({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'ns1', name: 'n' }), true);
  assert.deepEqual(runner.requests.at(-1)?.args.slice(2), ['delete', '--raw', '/api/v1/namespaces/ns1/configmaps/n?propagationPolicy=Background']);
});

test('kubectl error reasons', () => {
  assert.equal(reasonOf('Error from server (AlreadyExists): namespaces "x" already exists'), 'AlreadyExists');
  assert.equal(reasonOf('Error from server (Conflict): the object has been modified'), 'Conflict');
  assert.equal(reasonOf('error: something local'), 'Other');
});
