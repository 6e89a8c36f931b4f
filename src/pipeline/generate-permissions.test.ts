import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Generation, KyvernoPolicy } from '../api/policy.js';
import type { AccessAttributes } from '../cluster/client.js';
import { MemoryCluster } from '../cluster/memory/index.js';
import type { PermissionCheck } from './generate-permissions.js';
import { PERMISSION_HINT, checkGeneratePermissions, generatePermissionChecks } from './generate-permissions.js';

function policy(generate: Generation[], kind: 'ClusterPolicy' | 'Policy' = 'ClusterPolicy'): KyvernoPolicy {
  return {
    apiVersion: 'kyverno.io/v1',
    kind,
    metadata: kind === 'Policy' ? { name: 'p', namespace: 'team' } : { name: 'p' },
    spec: {
      rules: generate.map((g, i) => ({ name: `r${i}`, match: { any: [{ resources: { kinds: ['Namespace'] } }] }, generate: g })),
    },
  };
}

const NS = '{{request.object.metadata.name}}';
const T = 'spec.rules[0].generate';

const cases: { name: string; generate: Generation; checks: PermissionCheck[] }[] = [
  {
    name: 'data without synchronize: get and create (Kyverno\'s minimum)',
    generate: { apiVersion: 'v1', kind: 'ConfigMap', name: 'cm', namespace: 'x', data: {} },
    checks: [{ path: T, apiVersion: 'v1', kind: 'ConfigMap', namespace: 'x', verbs: ['get', 'create'], role: 'target' }],
  },
  {
    name: 'synchronize adds update and delete; a variable namespace means any namespace',
    generate: { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', name: 'np', namespace: NS, synchronize: true, data: {} },
    checks: [{ path: T, apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', verbs: ['get', 'create', 'update', 'delete'], role: 'target' }],
  },
  {
    name: 'clone: the source needs get in its namespace',
    generate: { apiVersion: 'v1', kind: 'Secret', name: 's', namespace: NS, clone: { name: 'regcred', namespace: 'default' } },
    checks: [
      { path: T, apiVersion: 'v1', kind: 'Secret', verbs: ['get', 'create'], role: 'target' },
      { path: T, apiVersion: 'v1', kind: 'Secret', namespace: 'default', verbs: ['get'], role: 'clone source' },
    ],
  },
  {
    name: 'cloneList: every kind, listed in the source namespace',
    generate: { namespace: 'x', cloneList: { namespace: 'src', kinds: ['v1/Secret', 'apps/v1/Deployment'] } },
    checks: [
      { path: T, apiVersion: 'v1', kind: 'Secret', namespace: 'x', verbs: ['get', 'create'], role: 'target' },
      { path: T, apiVersion: 'v1', kind: 'Secret', namespace: 'src', verbs: ['list'], role: 'clone source' },
      { path: T, apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'x', verbs: ['get', 'create'], role: 'target' },
      { path: T, apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'src', verbs: ['list'], role: 'clone source' },
    ],
  },
  {
    name: 'foreach entries, each with its own path; the outer synchronize applies',
    generate: {
      synchronize: true,
      foreach: [
        { list: 'x', apiVersion: 'v1', kind: 'ConfigMap', name: 'a', namespace: 'one', data: {} },
        { list: 'y', apiVersion: 'v1', kind: 'ServiceAccount', name: 'b', namespace: 'two', data: {} },
      ],
    },
    checks: [
      { path: `${T}.foreach[0]`, apiVersion: 'v1', kind: 'ConfigMap', namespace: 'one', verbs: ['get', 'create', 'update', 'delete'], role: 'target' },
      { path: `${T}.foreach[1]`, apiVersion: 'v1', kind: 'ServiceAccount', namespace: 'two', verbs: ['get', 'create', 'update', 'delete'], role: 'target' },
    ],
  },
  {
    name: 'a kind or apiVersion with a variable cannot be checked',
    generate: { apiVersion: '{{x}}', kind: '{{y}}', name: 'n', namespace: 'x', data: {} },
    checks: [],
  },
  {
    name: 'a subresource kind',
    generate: { apiVersion: 'apps/v1', kind: 'Deployment/scale', name: 'n', namespace: 'x', data: {} },
    checks: [{ path: T, apiVersion: 'apps/v1', kind: 'Deployment', subresource: 'scale', namespace: 'x', verbs: ['get', 'create'], role: 'target' }],
  },
];

describe('generatePermissionChecks', () => {
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(generatePermissionChecks(policy([c.generate])), c.checks);
    });
  }

  it('non-generate rules need nothing; later rules carry their index', () => {
    const p = policy([{ apiVersion: 'v1', kind: 'ConfigMap', name: 'a', namespace: 'x', data: {} }]);
    p.spec.rules.unshift({ name: 'v', match: {}, validate: { message: 'm' } });
    assert.deepEqual(generatePermissionChecks(p).map((c) => c.path), ['spec.rules[1].generate']);
  });
});

describe('checkGeneratePermissions', () => {
  it('names the missing verbs, the resource from discovery and the namespace', async () => {
    const cluster = new MemoryCluster();
    cluster.denyAccess({ group: 'networking.k8s.io', resource: 'networkpolicies', verb: 'create' });
    cluster.denyAccess({ group: 'networking.k8s.io', resource: 'networkpolicies', verb: 'delete', namespace: 'x' });
    const p = policy([{ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', name: 'np', namespace: 'x', synchronize: true, data: {} }]);
    const problems = await checkGeneratePermissions(p, cluster);
    assert.deepEqual(problems, [
      {
        file: 'ClusterPolicy/p',
        path: T,
        severity: 'error',
        message: `Sprout's service account lacks permission to create, delete networkpolicies.networking.k8s.io in namespace "x"; ${PERMISSION_HINT}`,
      },
    ]);
  });

  const messages: { name: string; generate: Generation; deny: Partial<AccessAttributes>; message: string }[] = [
    {
      name: 'any namespace',
      generate: { apiVersion: 'v1', kind: 'ConfigMap', name: 'c', namespace: NS, data: {} },
      deny: { resource: 'configmaps', verb: 'get' },
      message: "Sprout's service account lacks permission to get configmaps in all namespaces",
    },
    {
      name: 'a cluster-scoped kind has no namespace',
      generate: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', name: 'c', data: {} },
      deny: { resource: 'clusterroles' },
      message: "Sprout's service account lacks permission to get, create clusterroles.rbac.authorization.k8s.io",
    },
    {
      name: 'the clone source',
      generate: { apiVersion: 'v1', kind: 'Secret', name: 's', namespace: 'x', clone: { name: 'regcred', namespace: 'default' } },
      deny: { resource: 'secrets', namespace: 'default', verb: 'get' },
      message: "Sprout's service account lacks permission to get secrets in namespace \"default\" (the clone source)",
    },
  ];
  for (const m of messages) {
    it(`message: ${m.name}`, async () => {
      const cluster = new MemoryCluster();
      cluster.denyAccess(m.deny);
      const problems = await checkGeneratePermissions(policy([m.generate]), cluster);
      assert.deepEqual(problems.map((p) => p.message), [`${m.message}; ${PERMISSION_HINT}`]);
    });
  }

  it('nothing missing, an unknown kind, or a client that cannot review: no problems', async () => {
    const cluster = new MemoryCluster();
    const p = policy([
      { apiVersion: 'v1', kind: 'ConfigMap', name: 'c', namespace: 'x', data: {} },
      { apiVersion: 'example.io/v1', kind: 'Unknown', name: 'u', namespace: 'x', data: {} },
    ]);
    assert.deepEqual(await checkGeneratePermissions(p, cluster), []);
    cluster.denyAccess({});
    const blind = { resolveKind: cluster.resolveKind.bind(cluster) };
    assert.deepEqual(await checkGeneratePermissions(p, blind), []);
    assert.equal((await checkGeneratePermissions(p, cluster)).length, 1);
  });

  it('asks each question once per policy', async () => {
    const cluster = new MemoryCluster();
    const asked: AccessAttributes[] = [];
    const port = {
      resolveKind: cluster.resolveKind.bind(cluster),
      reviewAccess: (a: AccessAttributes) => (asked.push(a), Promise.resolve({ allowed: true })),
    };
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'x', data: {} };
    await checkGeneratePermissions(policy([{ ...cm, name: 'a' }, { ...cm, name: 'b' }]), port);
    assert.deepEqual(asked.map((a) => a.verb), ['get', 'create']);
  });

  it('review failures are thrown for the caller to judge', async () => {
    const cluster = new MemoryCluster();
    const port = {
      resolveKind: cluster.resolveKind.bind(cluster),
      reviewAccess: () => Promise.reject(new Error('connection refused')),
    };
    const p = policy([{ apiVersion: 'v1', kind: 'ConfigMap', name: 'c', namespace: 'x', data: {} }]);
    await assert.rejects(checkGeneratePermissions(p, port), /connection refused/);
  });
});
