import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/kube.js';
import type { ListOptions, ObjectList, ResourceRef } from '../../cluster/client.js';
import { internalError } from '../../cluster/errors.js';
import { MemoryCluster } from '../../cluster/memory/memory-cluster.js';
import { FakeClock } from '../../platform/clock.js';
import { Informer } from './informer.js';
import { InformerFactory } from './informer-factory.js';
import { ObjectCache } from './object-cache.js';

const CM = { apiVersion: 'v1', kind: 'ConfigMap' };

/** The memory cluster, counting lists and failing the first `failLists` of them. */
class CountingCluster extends MemoryCluster {
  lists = 0;
  failLists = 0;
  override list(ref: ResourceRef, options?: ListOptions): Promise<ObjectList> {
    this.lists++;
    if (this.failLists > 0) {
      this.failLists--;
      return Promise.reject(internalError('etcdserver: request timed out'));
    }
    return super.list(ref, options);
  }
}

function configMap(
  namespace: string,
  name: string,
  data: Record<string, string> = {},
  labels?: Record<string, string>,
): KubeObject {
  return { ...CM, metadata: { namespace, name, ...(labels ? { labels } : {}) }, data };
}

interface Recorded {
  events: string[];
  informer: Informer;
  stop: () => Promise<void>;
}

function setup(clock = new FakeClock()): { clock: FakeClock; cluster: CountingCluster } {
  const cluster = new CountingCluster({
    clock: () => new Date(clock.now()),
    namespaces: ['default', 'a', 'b'],
  });
  return { clock, cluster };
}

/** Starts an informer and records its notifications as "add a/x", "update a/x", "delete a/x". */
function record(
  cluster: MemoryCluster,
  clock: FakeClock,
  extra: Partial<ConstructorParameters<typeof Informer>[0]> = {},
): Recorded {
  const informer = new Informer({ client: cluster, clock, resource: CM, ...extra });
  const events: string[] = [];
  const id = (o: KubeObject): string => `${o.metadata.namespace}/${o.metadata.name}`;
  informer.addHandlers({
    onAdd: (o) => events.push(`add ${id(o)}`),
    onUpdate: (old, o) => events.push(old === o ? `resync ${id(o)}` : `update ${id(o)}`),
    onDelete: (o) => events.push(`delete ${id(o)}`),
  });
  const ac = new AbortController();
  const running = informer.run(ac.signal);
  return {
    events,
    informer,
    stop: async () => {
      ac.abort();
      await running;
    },
  };
}

describe('Informer', () => {
  it('lists first, then delivers watch events in order', async () => {
    const { clock, cluster } = setup();
    await cluster.create(configMap('a', 'one'));
    await cluster.create(configMap('b', 'two'));
    const { events, informer, stop } = record(cluster, clock);
    assert.equal(await informer.waitForSync(AbortSignal.timeout(1000)), true);
    assert.deepEqual(events.sort(), ['add a/one', 'add b/two']);
    events.length = 0;
    await cluster.create(configMap('a', 'three'));
    await cluster.update({
      ...(await cluster.get({ ...CM, namespace: 'a', name: 'one' })),
      data: { k: 'v' },
    });
    await cluster.delete({ ...CM, namespace: 'b', name: 'two' });
    await clock.settle();
    assert.deepEqual(events, ['add a/three', 'update a/one', 'delete b/two']);
    assert.deepEqual(informer.get('a/one')?.data, { k: 'v' });
    assert.equal(informer.get('b/two'), undefined);
    assert.deepEqual(
      informer
        .list('a')
        .map((o) => o.metadata.name)
        .sort(),
      ['one', 'three'],
    );
    assert.equal(informer.get('a/one')?.kind, 'ConfigMap');
    await stop();
  });

  it('resumes a dropped watch from the last version without relisting', async () => {
    const { clock, cluster } = setup();
    const { events, informer, stop } = record(cluster, clock);
    await informer.waitForSync(AbortSignal.timeout(1000));
    await cluster.create(configMap('a', 'before'));
    await clock.settle();
    cluster.closeWatches();
    await cluster.create(configMap('a', 'during'));
    await clock.advance(1000);
    await cluster.create(configMap('a', 'after'));
    await clock.settle();
    assert.deepEqual(events, ['add a/before', 'add a/during', 'add a/after']);
    assert.equal(cluster.lists, 1);
    await stop();
  });

  it('relists after 410 Gone and delivers exactly the differences', async () => {
    const { clock, cluster } = setup();
    for (const name of ['changed', 'deleted', 'same', 'recreated'])
      await cluster.create(configMap('a', name));
    const { events, informer, stop } = record(cluster, clock);
    await informer.waitForSync(AbortSignal.timeout(1000));
    const oldUid = informer.get('a/recreated')?.metadata.uid ?? '';
    events.length = 0;
    await clock.settle(); // the watch is established
    // The watch is cut; while the informer is away things change and history is compacted.
    cluster.closeWatches();
    const changed = await cluster.get({ ...CM, namespace: 'a', name: 'changed' });
    await cluster.update({ ...changed, data: { x: '1' } });
    await cluster.delete({ ...CM, namespace: 'a', name: 'deleted' });
    await cluster.delete({ ...CM, namespace: 'a', name: 'recreated' });
    await cluster.create(configMap('a', 'recreated', { new: 'yes' }));
    await cluster.create(configMap('b', 'added'));
    cluster.compact();
    await clock.advance(5000);
    assert.equal(cluster.lists, 2, 'one relist');
    assert.deepEqual(events.sort(), [
      'add a/recreated',
      'add b/added',
      'delete a/deleted',
      'delete a/recreated',
      'update a/changed',
    ]);
    // The uid index follows the recreation.
    const newUid = informer.get('a/recreated')?.metadata.uid ?? '';
    assert.notEqual(newUid, oldUid);
    assert.equal(informer.getByUid(newUid)?.metadata.name, 'recreated');
    assert.equal(informer.getByUid(oldUid), undefined);
    // And the new watch carries on.
    events.length = 0;
    await cluster.create(configMap('a', 'later'));
    await clock.settle();
    assert.deepEqual(events, ['add a/later']);
    await stop();
  });

  it('retries a failing list with backoff and syncs once it succeeds', async () => {
    const { clock, cluster } = setup();
    cluster.failLists = 2;
    await cluster.create(configMap('a', 'one'));
    const { informer, stop } = record(cluster, clock, { backoff: { baseMs: 100, capMs: 1000 } });
    await clock.settle();
    assert.equal(informer.hasSynced(), false);
    await clock.advance(99);
    assert.equal(cluster.lists, 1);
    await clock.advance(1);
    assert.equal(cluster.lists, 2, 'second attempt after 100 ms');
    await clock.advance(200);
    assert.equal(cluster.lists, 3, 'third after 200 more');
    assert.equal(informer.hasSynced(), true);
    assert.ok(informer.get('a/one'));
    await stop();
  });

  it('honours namespace and label selector; an object leaving the selector is deleted', async () => {
    const { clock, cluster } = setup();
    await cluster.create(configMap('a', 'match', {}, { tier: 'web' }));
    await cluster.create(configMap('a', 'other', {}, { tier: 'db' }));
    await cluster.create(configMap('b', 'elsewhere', {}, { tier: 'web' }));
    const { events, informer, stop } = record(cluster, clock, { namespace: 'a', labelSelector: 'tier=web' });
    await informer.waitForSync(AbortSignal.timeout(1000));
    assert.deepEqual(events, ['add a/match']);
    const match = await cluster.get({ ...CM, namespace: 'a', name: 'match' });
    await cluster.update({ ...match, metadata: { ...match.metadata, labels: { tier: 'db' } } });
    await clock.settle();
    assert.deepEqual(events, ['add a/match', 'delete a/match']);
    assert.equal(informer.list().length, 0);
    await stop();
  });

  it('re-delivers every cached object on each resync period', async () => {
    const { clock, cluster } = setup();
    await cluster.create(configMap('a', 'one'));
    await cluster.create(configMap('a', 'two'));
    const { events, informer, stop } = record(cluster, clock, { resyncPeriodMs: 60_000 });
    await informer.waitForSync(AbortSignal.timeout(1000));
    events.length = 0;
    await clock.advance(59_999);
    assert.deepEqual(events, []);
    await clock.advance(1);
    assert.deepEqual(events.sort(), ['resync a/one', 'resync a/two']);
    await clock.advance(60_000);
    assert.equal(events.length, 4);
    await stop();
  });

  it('caches and delivers what its transform keeps, from the list and from watch events', async () => {
    const { clock, cluster } = setup();
    await cluster.create(configMap('a', 'listed', { big: 'x' }, { keep: 'me' }));
    const slim = (o: KubeObject): KubeObject => ({ apiVersion: o.apiVersion, kind: o.kind, metadata: { name: o.metadata.name, namespace: o.metadata.namespace, labels: o.metadata.labels } });
    const seen: KubeObject[] = [];
    const informer = new Informer({ client: cluster, clock, resource: CM, transform: slim });
    informer.addHandlers({ onAdd: (o) => seen.push(o), onUpdate: (_old, o) => seen.push(o), onDelete: (o) => seen.push(o) });
    const ac = new AbortController();
    const running = informer.run(ac.signal);
    await informer.waitForSync(AbortSignal.timeout(1000));
    await cluster.create(configMap('b', 'watched', { big: 'y' }, { keep: 'too' }));
    await cluster.delete({ ...CM, namespace: 'a', name: 'listed' });
    await clock.settle();
    const expected = (ns: string, name: string, keep: string): KubeObject => ({ ...CM, metadata: { name, namespace: ns, labels: { keep } } });
    assert.deepEqual(seen, [expected('a', 'listed', 'me'), expected('b', 'watched', 'too'), expected('a', 'listed', 'me')]);
    assert.deepEqual(informer.get('b/watched'), expected('b', 'watched', 'too'));
    assert.equal(informer.get('a/listed'), undefined);
    ac.abort();
    await running;
  });

  it('replays the cache to handlers added after sync and stops cleanly', async () => {
    const { clock, cluster } = setup();
    await cluster.create(configMap('a', 'one'));
    const { informer, stop } = record(cluster, clock);
    await informer.waitForSync(AbortSignal.timeout(1000));
    const late: string[] = [];
    const remove = informer.addHandlers({ onAdd: (o) => late.push(o.metadata.name ?? '') });
    assert.deepEqual(late, ['one']);
    await stop();
    remove();
    await cluster.create(configMap('a', 'two'));
    await clock.settle();
    assert.equal(informer.get('a/two'), undefined, 'no events after stop');
    assert.equal(clock.pendingTimers(), 0, 'no timers left behind');
  });
});

describe('InformerFactory', () => {
  it('shares one informer per kind, namespace and selector, and runs late ones', async () => {
    const { clock, cluster } = setup();
    await cluster.create(configMap('a', 'one'));
    const factory = new InformerFactory({ client: cluster, clock });
    const first = factory.informerFor({ ...CM });
    assert.equal(factory.informerFor({ ...CM }), first);
    assert.notEqual(factory.informerFor({ ...CM, namespace: 'a' }), first);
    assert.notEqual(factory.informerFor({ ...CM, labelSelector: 'x=y' }), first);
    const slim = { id: 'slim', apply: (o: KubeObject): KubeObject => o };
    const transformed = factory.informerFor({ ...CM, transform: slim });
    assert.notEqual(transformed, first);
    assert.equal(factory.informerFor({ ...CM, transform: { ...slim } }), transformed);
    const ac = new AbortController();
    const running = factory.run(ac.signal);
    assert.equal(await factory.waitForSync(AbortSignal.timeout(1000)), true);
    const late = factory.informerFor({ apiVersion: 'v1', kind: 'Namespace' });
    assert.equal(await late.waitForSync(AbortSignal.timeout(1000)), true);
    assert.deepEqual(late.keys().sort(), ['a', 'b', 'default']);
    assert.equal(factory.all().length, 5);
    ac.abort();
    await running;
  });
});

describe('ObjectCache', () => {
  const obj = (name: string, uid: string, rv: string): KubeObject => ({
    ...CM,
    metadata: { namespace: 'n', name, uid, resourceVersion: rv },
  });

  it('replace reports only the differences', () => {
    const cache = new ObjectCache();
    cache.replace([
      obj('keep', 'u1', '1'),
      obj('bump', 'u2', '2'),
      obj('gone', 'u3', '3'),
      obj('swap', 'u4', '4'),
    ]);
    const changes = cache.replace([
      obj('keep', 'u1', '1'),
      obj('bump', 'u2', '9'),
      obj('swap', 'u5', '10'),
      obj('new', 'u6', '11'),
    ]);
    const summary = changes.map((c) => `${c.type} ${c.object.metadata.name}/${c.object.metadata.uid}`);
    assert.deepEqual(summary, [
      'update bump/u2',
      'delete swap/u4',
      'add swap/u5',
      'add new/u6',
      'delete gone/u3',
    ]);
    assert.equal(cache.getByUid('u4'), undefined);
    assert.equal(cache.getByUid('u5')?.metadata.name, 'swap');
    assert.equal(cache.getByUid('u3'), undefined);
    assert.equal(cache.size, 4);
  });
});
