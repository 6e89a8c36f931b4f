// The persistence hooks of the memory core: every committed change reaches the journal in
// resourceVersion order, calls resolve only after the journal's sync, and a cluster restored from
// persisted state carries on where the old one stopped.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../api/kube.js';
import { collectWatch } from '../contract-helpers.js';
import { isNotFound } from '../errors.js';
import type { JournalEntry, WriteJournal } from './journal.js';
import { MemoryCluster } from './memory-cluster.js';

const CM = { apiVersion: 'v1', kind: 'ConfigMap' };
const cm = (name: string, namespace = 'default', meta: Partial<KubeObject['metadata']> = {}): KubeObject => ({
  ...CM,
  metadata: { name, namespace, ...meta },
  data: { k: name },
});

/** A journal whose durability the test controls. */
class ManualJournal implements WriteJournal {
  readonly entries: JournalEntry[] = [];
  private release: (() => void)[] = [];
  auto = true;
  record(entry: JournalEntry): void {
    this.entries.push(entry);
  }
  sync(): Promise<void> {
    if (this.auto) return Promise.resolve();
    return new Promise((resolve) => this.release.push(resolve));
  }
  flush(): void {
    for (const r of this.release.splice(0)) r();
  }
  get waiting(): number {
    return this.release.length;
  }
}

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

const CRD: KubeObject = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'widgets.example.com' },
  spec: {
    group: 'example.com',
    scope: 'Namespaced',
    names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
    versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
  },
};
const WIDGET = { apiVersion: 'example.com/v1', kind: 'Widget' };

describe('MemoryCluster journal hook', () => {
  it('records every change, start-up included, with contiguous resourceVersions', async () => {
    const journal = new ManualJournal();
    const c = new MemoryCluster({ journal });
    const created = await c.create(cm('a'));
    await c.patch({ ...CM, namespace: 'default', name: 'a' }, { data: { k: 'b' } }, 'merge');
    await c.delete({ ...CM, namespace: 'default', name: 'a' });
    assert.deepEqual(journal.entries.map((e) => e.rv), journal.entries.map((_, i) => i + 1));
    const mine = journal.entries.filter((e) => e.name === 'a');
    assert.deepEqual(mine.map((e) => [e.table, e.namespace, e.object?.data]), [
      ['/configmaps', 'default', { k: 'a' }],
      ['/configmaps', 'default', { k: 'b' }],
      ['/configmaps', 'default', undefined],
    ]);
    assert.equal(mine[0]?.object?.metadata.uid, created.metadata.uid);
    assert.equal(mine[0]?.object?.metadata.resourceVersion, created.metadata.resourceVersion);
  });

  it('records the cascade a namespace deletion causes', async () => {
    const journal = new ManualJournal();
    const c = new MemoryCluster({ journal });
    await c.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } });
    await c.create(cm('x', 'team'));
    const before = journal.entries.length;
    await c.delete({ apiVersion: 'v1', kind: 'Namespace', name: 'team' });
    const cascade = journal.entries.slice(before);
    assert.ok(cascade.some((e) => e.name === 'x' && e.object === undefined), 'the ConfigMap removal');
    assert.ok(cascade.some((e) => e.name === 'team' && e.object === undefined), 'the namespace removal');
    assert.deepEqual(cascade.map((e) => e.rv), cascade.map((_, i) => before + i + 1));
  });

  it('writes and reads resolve only after the journal is durable; dry runs record nothing', async () => {
    const journal = new ManualJournal();
    const c = new MemoryCluster({ journal });
    journal.auto = false;
    let acked = false;
    const write = c.create(cm('slow')).then(() => (acked = true));
    let read = false;
    const get = c.get({ ...CM, namespace: 'default', name: 'slow' }).then(() => (read = true));
    await tick();
    assert.equal(acked, false, 'not acknowledged before sync');
    assert.equal(read, false, 'a read does not show an undurable write');
    journal.flush();
    await Promise.all([write, get]);
    assert.ok(acked && read);
    const count = journal.entries.length;
    journal.auto = true;
    await c.create(cm('dry'), { dryRun: true });
    assert.equal(journal.entries.length, count);
  });

  it('a failed write still waits for the journal, then rejects with its own error', async () => {
    const journal = new ManualJournal();
    const c = new MemoryCluster({ journal });
    journal.auto = false;
    let settled = false;
    const failing = c.get({ ...CM, namespace: 'default', name: 'missing' }).finally(() => (settled = true));
    await tick();
    assert.equal(settled, false);
    journal.flush();
    await assert.rejects(failing, isNotFound);
  });
});

describe('MemoryCluster restore', () => {
  async function populated(): Promise<MemoryCluster> {
    const c = new MemoryCluster();
    await c.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } });
    await c.create(cm('keep', 'team'));
    await c.create(cm('gone', 'team'));
    await c.delete({ ...CM, namespace: 'team', name: 'gone' });
    await c.create(CRD);
    await c.create({ ...WIDGET, metadata: { name: 'w1', namespace: 'team' }, spec: { size: 3 } });
    return c;
  }

  it('serves the same objects, CRDs included, and continues the resourceVersion counter', async () => {
    const a = await populated();
    const state = a.persistedState();
    const b = new MemoryCluster({ restore: state });
    for (const ref of [CM, WIDGET, { apiVersion: 'v1', kind: 'Namespace' }]) {
      assert.deepEqual((await b.list(ref)).items, (await a.list(ref)).items, ref.kind);
    }
    assert.ok((await b.resolveKind(WIDGET)) !== undefined, 'the CRD is served again');
    const next = await b.create(cm('after', 'team'));
    assert.equal(Number(next.metadata.resourceVersion), state.rv + 1);
  });

  it('a watch from before the restart gets 410 Gone; from the restored version it sees new changes', async () => {
    const a = await populated();
    const state = a.persistedState();
    const b = new MemoryCluster({ restore: state });
    const old = await collectWatch(b, CM, { resourceVersion: '1' }, (e) => e.length > 0, 1000);
    assert.equal(old[0]?.type, 'ERROR');
    assert.equal((old[0]?.object as { code?: number }).code, 410);
    const fresh = await collectWatch(b, CM, { resourceVersion: String(state.rv) }, (e) => e.length > 0, 1000, async () => {
      await b.create(cm('new', 'team'));
    });
    assert.deepEqual(fresh.map((e) => [e.type, (e.object as KubeObject).metadata.name]), [['ADDED', 'new']]);
  });

  it('finishes garbage collection a crash interrupted', async () => {
    const a = await populated();
    const owner = await a.get({ ...CM, namespace: 'team', name: 'keep' });
    await a.create(cm('child', 'team', { ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'keep', uid: owner.metadata.uid ?? '' }] }));
    // As if the process died after removing the owner but before the collector ran.
    const state = a.persistedState();
    state.objects = state.objects.filter((o) => o.name !== 'keep');
    const b = new MemoryCluster({ restore: state });
    await assert.rejects(b.get({ ...CM, namespace: 'team', name: 'child' }), isNotFound);
    assert.equal(b.persistedState().rv, state.rv + 1, 'the collection is one more change');
  });
});
