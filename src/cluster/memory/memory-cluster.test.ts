import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/kube.js';
import type { WatchEvent } from '../client.js';
import { isBadRequest, isInvalid, isNotFound, isUnsupportedMediaType } from '../errors.js';
import { MemoryCluster } from './memory-cluster.js';

const CM = { apiVersion: 'v1', kind: 'ConfigMap' };
const cm = (name: string, meta: Partial<KubeObject['metadata']> = {}): KubeObject => ({
  ...CM,
  metadata: { name, namespace: 'default', ...meta },
  data: { k: 'v' },
});

function deterministic(): MemoryCluster {
  let n = 0;
  return new MemoryCluster({
    clock: () => new Date('2026-01-02T03:04:05.678Z'),
    newUid: () => `uid-${++n}`,
    random: () => 0,
  });
}

const flush = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('MemoryCluster', () => {
  it('uses the injected clock, uid generator and randomness', async () => {
    const c = deterministic();
    const obj = await c.create(cm('', { generateName: 'x-' }));
    assert.equal(obj.metadata.name, 'x-bbbbb');
    assert.equal(obj.metadata.creationTimestamp, '2026-01-02T03:04:05Z');
    assert.match(obj.metadata.uid ?? '', /^uid-\d+$/);
  });

  it('one resourceVersion counter across kinds; no-op updates keep it', async () => {
    const c = new MemoryCluster();
    const a = await c.create(cm('a'));
    const s = await c.create({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's', namespace: 'default' },
    });
    assert.ok(Number(s.metadata.resourceVersion) > Number(a.metadata.resourceVersion));
    const same = await c.update(a);
    assert.equal(same.metadata.resourceVersion, a.metadata.resourceVersion);
  });

  it('copies objects on the way in', async () => {
    const c = new MemoryCluster();
    const input = cm('a');
    await c.create(input);
    (input.data as Record<string, string>).k = 'changed';
    assert.deepEqual((await c.get({ ...CM, namespace: 'default', name: 'a' })).data, { k: 'v' });
  });

  it('dryRun writes nothing', async () => {
    const c = new MemoryCluster();
    const obj = await c.create(cm('dry'), { dryRun: true });
    assert.equal(obj.metadata.name, 'dry');
    await assert.rejects(c.get({ ...CM, namespace: 'default', name: 'dry' }), isNotFound);
  });

  it('cluster-scoped objects drop a namespace; namespaced objects default to "default"', async () => {
    const c = new MemoryCluster();
    const cr = await c.create({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'r', namespace: 'x' },
      rules: [],
    });
    assert.equal(cr.metadata.namespace, undefined);
    const obj = await c.create({ ...CM, metadata: { name: 'n' } });
    assert.equal(obj.metadata.namespace, 'default');
  });

  it("preinstalls Sprout's CRDs with their scope and versions", async () => {
    const c = new MemoryCluster();
    const cases: [string, string, string, boolean][] = [
      ['kyverno.io/v1', 'ClusterPolicy', 'clusterpolicies', false],
      ['kyverno.io/v2beta1', 'ClusterPolicy', 'clusterpolicies', false],
      ['kyverno.io/v1', 'Policy', 'policies', true],
      ['kyverno.io/v2', 'UpdateRequest', 'updaterequests', true],
      ['wgpolicyk8s.io/v1alpha2', 'PolicyReport', 'policyreports', true],
      ['wgpolicyk8s.io/v1alpha2', 'ClusterPolicyReport', 'clusterpolicyreports', false],
    ];
    for (const [apiVersion, kind, resource, namespaced] of cases) {
      const info = await c.resolveKind({ apiVersion, kind });
      assert.equal(info?.resource, resource, kind);
      assert.equal(info?.namespaced, namespaced, kind);
    }
    assert.deepEqual(
      (await c.resolveKind({ apiVersion: 'kyverno.io/v1', kind: 'ClusterPolicy' }))?.shortNames,
      ['cpol'],
    );
  });

  it('a CRD created through the API serves its kind; deleting it removes instances and the kind', async () => {
    const c = new MemoryCluster();
    const crd: KubeObject = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'widgets.example.com' },
      spec: {
        group: 'example.com',
        names: { plural: 'widgets', singular: 'widget', kind: 'Widget' },
        scope: 'Namespaced',
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            subresources: { status: {} },
            schema: { openAPIV3Schema: { type: 'object' } },
          },
        ],
      },
    };
    const stored = await c.create(crd);
    assert.ok(JSON.stringify(stored.status).includes('Established'));
    const W = { apiVersion: 'example.com/v1', kind: 'Widget' };
    assert.equal((await c.resolveKind(W))?.namespaced, true);
    const w = await c.create({
      ...W,
      metadata: { name: 'w', namespace: 'default' },
      spec: { size: 1 },
      status: { ok: true },
    });
    assert.equal(w.metadata.generation, 1);
    assert.equal(w.status, undefined, 'status is a subresource: dropped on create');
    const ref = { ...W, namespace: 'default', name: 'w' };
    await assert.rejects(c.patch(ref, { spec: { size: 2 } }, 'strategic'), isUnsupportedMediaType);
    const merged = await c.patch(ref, { spec: { size: 2 } }, 'merge');
    assert.equal(merged.metadata.generation, 2);
    const withStatus = await c.updateStatus({ ...merged, status: { ok: true } });
    assert.equal(withStatus.metadata.generation, 2, 'status writes do not bump generation');
    assert.deepEqual(withStatus.status, { ok: true });
    const ignored = await c.update({ ...withStatus, status: { ok: false } });
    assert.deepEqual(ignored.status, { ok: true }, 'update keeps status');
    await c.delete({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      name: 'widgets.example.com',
    });
    assert.equal(await c.resolveKind(W), undefined);
    await c.create(crd);
    await assert.rejects(c.get(ref), isNotFound);
  });

  it('rejects an invalid CRD', async () => {
    const c = new MemoryCluster();
    const bad: KubeObject = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'wrong' },
      spec: {
        group: 'g.io',
        names: { plural: 'ps', kind: 'P' },
        scope: 'Namespaced',
        versions: [{ name: 'v1', served: true, storage: true }],
      },
    };
    await assert.rejects(
      c.create(bad),
      (e: unknown) =>
        isInvalid(e) && (e as Error).message.includes('must be spec.names.plural+"."+spec.group'),
    );
  });

  it('a watch older than the bounded history gets an ERROR event with 410 Expired', async () => {
    const c = new MemoryCluster({ watchHistory: 3 });
    const first = await c.create(cm('h0'));
    for (let i = 1; i < 10; i++) await c.create(cm(`h${i}`));
    const events: WatchEvent[] = [];
    const h = await c.watch(
      CM,
      { resourceVersion: first.metadata.resourceVersion },
      (e) => events.push(e),
      new AbortController().signal,
    );
    await h.done;
    assert.equal(events.length, 1);
    const ev = events[0];
    assert.equal(ev?.type, 'ERROR');
    assert.equal(ev.type === 'ERROR' ? ev.object.reason : '', 'Expired');
    assert.match((ev.object as { message: string }).message, /^too old resource version: \d+ \(\d+\)$/);
  });

  it('bookmarks go only to watchers that allow them; abort ends a watch', async () => {
    const c = new MemoryCluster();
    const withB: WatchEvent[] = [];
    const without: WatchEvent[] = [];
    const ac = new AbortController();
    const rv = (await c.list(CM)).resourceVersion;
    await c.watch(CM, { resourceVersion: rv, allowBookmarks: true }, (e) => withB.push(e), ac.signal);
    const h2 = await c.watch(CM, { resourceVersion: rv }, (e) => without.push(e), ac.signal);
    c.bookmark();
    await flush();
    assert.deepEqual(
      withB.map((e) => [e.type, e.object.metadata.resourceVersion]),
      [['BOOKMARK', rv]],
    );
    assert.deepEqual(without, []);
    ac.abort();
    await h2.done;
    await c.create(cm('after-abort'));
    await flush();
    assert.equal(withB.length, 1);
  });

  it('a handler that writes sees later events after the current one, in order', async () => {
    const c = new MemoryCluster();
    const seen: string[] = [];
    const ac = new AbortController();
    await c.watch(
      CM,
      { resourceVersion: (await c.list(CM)).resourceVersion },
      (e) => {
        const name = e.type === 'ERROR' ? '' : (e.object.metadata.name ?? '');
        seen.push(`${e.type}:${name}`);
        if (name === 'first' && e.type === 'ADDED') void c.create(cm('second'));
      },
      ac.signal,
    );
    await c.create(cm('first'));
    await flush();
    ac.abort();
    assert.deepEqual(seen, ['ADDED:first', 'ADDED:second']);
  });

  it('collects an object whose owner does not exist, and foreground deletes whole chains', async () => {
    const c = new MemoryCluster();
    await c.create(
      cm('orphaned', {
        ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'ghost', uid: 'no-such-uid' }],
      }),
    );
    await assert.rejects(c.get({ ...CM, namespace: 'default', name: 'orphaned' }), isNotFound);
    const top = await c.create(cm('top'));
    const mid = await c.create(
      cm('mid', {
        ownerReferences: [
          {
            apiVersion: 'v1',
            kind: 'ConfigMap',
            name: 'top',
            uid: top.metadata.uid ?? '',
            blockOwnerDeletion: true,
          },
        ],
      }),
    );
    await c.create(
      cm('leaf', {
        ownerReferences: [
          {
            apiVersion: 'v1',
            kind: 'ConfigMap',
            name: 'mid',
            uid: mid.metadata.uid ?? '',
            blockOwnerDeletion: true,
          },
        ],
      }),
    );
    await c.delete({ ...CM, namespace: 'default', name: 'top' }, { propagationPolicy: 'Foreground' });
    for (const name of ['top', 'mid', 'leaf'])
      await assert.rejects(c.get({ ...CM, namespace: 'default', name }), isNotFound, name);
  });

  it('no new finalizers on an object being deleted; apply needs a field manager', async () => {
    const c = new MemoryCluster();
    await c.create(cm('f', { finalizers: ['a'] }));
    const ref = { ...CM, namespace: 'default', name: 'f' };
    await c.delete(ref);
    await assert.rejects(c.patch(ref, { metadata: { finalizers: ['a', 'b'] } }, 'merge'), isInvalid);
    await assert.rejects(c.patch(ref, { ...CM, metadata: { name: 'f' } }, 'apply'), isBadRequest);
  });

  it('validates label keys and values like ValidateObjectMeta', async () => {
    const c = new MemoryCluster();
    const cases: [Record<string, string>, boolean][] = [
      [{ app: 'web', 'example.com/tier': 'front', empty: '' }, true],
      [{ 'bad key': 'x' }, false],
      [{ app: 'bad value' }, false],
      [{ 'Upper.Case/x': 'y' }, false],
      [{ app: 'x'.repeat(64) }, false],
    ];
    let i = 0;
    for (const [labels, ok] of cases) {
      const attempt = c.create(cm(`l${i++}`, { labels }));
      if (ok) await attempt;
      else
        await assert.rejects(
          attempt,
          (e: unknown) => isInvalid(e) && (e as Error).message.includes('metadata.labels: Invalid value'),
          JSON.stringify(labels),
        );
    }
    await assert.rejects(
      c.patch(
        { ...CM, namespace: 'default', name: 'l0' },
        { metadata: { labels: { app: 'no good' } } },
        'merge',
      ),
      isInvalid,
    );
  });

  it('answers access reviews without storing them', async () => {
    const c = new MemoryCluster();
    const SAR = { apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview' };
    const review = await c.create({
      ...SAR,
      metadata: {},
      spec: { user: 'u', resourceAttributes: { verb: 'get', resource: 'pods' } },
    });
    assert.deepEqual(review.status, { allowed: true });
    assert.equal((await c.list(SAR)).items.length, 0);
  });

  it('field selectors beyond name/namespace only where the kind supports them', async () => {
    const c = new MemoryCluster();
    await c.create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', namespace: 'default' },
      spec: { nodeName: 'n1', containers: [] },
    });
    assert.equal(
      (await c.list({ apiVersion: 'v1', kind: 'Pod' }, { fieldSelector: 'spec.nodeName=n1' })).items.length,
      1,
    );
    assert.equal(
      (await c.list({ apiVersion: 'v1', kind: 'Pod' }, { fieldSelector: 'spec.nodeName=n2' })).items.length,
      0,
    );
    await assert.rejects(
      c.list(CM, { fieldSelector: 'spec.nodeName=n1' }),
      (e: unknown) => isBadRequest(e) && (e as Error).message === 'field label not supported: spec.nodeName',
    );
  });
});

it('a Secret written with stringData is stored with base64 data and type Opaque, as the API server does', async () => {
  const c = new MemoryCluster();
  const s = await c.create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'default' }, stringData: { user: 'admin' } });
  assert.deepEqual(s['data'], { user: 'YWRtaW4=' });
  assert.equal(s['stringData'], undefined);
  assert.equal(s['type'], 'Opaque');
  const t = await c.create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 't', namespace: 'default' }, type: 'kubernetes.io/basic-auth', data: {} });
  const u = await c.update({ ...t, type: undefined, stringData: { password: 'x' } });
  assert.equal(u['type'], 'kubernetes.io/basic-auth');
  assert.deepEqual(u['data'], { password: 'eA==' });
});

it('User and Group subjects of a binding get the RBAC apiGroup, as the API server defaults them', async () => {
  const c = new MemoryCluster();
  const b = await c.create({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name: 'b' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
    subjects: [{ kind: 'User', name: 'nancy' }, { kind: 'Group', name: 'devs' }, { kind: 'ServiceAccount', name: 'sa', namespace: 'default' }],
  });
  assert.deepEqual(b['subjects'], [
    { kind: 'User', name: 'nancy', apiGroup: 'rbac.authorization.k8s.io' },
    { kind: 'Group', name: 'devs', apiGroup: 'rbac.authorization.k8s.io' },
    { kind: 'ServiceAccount', name: 'sa', namespace: 'default' },
  ]);
});
