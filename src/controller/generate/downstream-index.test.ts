import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/kube.js';
import { LABEL } from '../../engine/generate/labels.js';
import { DownstreamIndex, projectDownstream } from './downstream-index.js';

function downstream(name: string, labels: Record<string, string>, extra: Partial<KubeObject['metadata']> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'ns', labels, ...extra }, data: { k: 'v' } };
}

const of = (policy: string, rule: string, trigger: Record<string, string>): Record<string, string> => ({
  [LABEL.policyName]: policy,
  [LABEL.ruleName]: rule,
  ...trigger,
});

const names = (objs: KubeObject[]): string[] => objs.map((o) => o.metadata.name ?? '').sort();

describe('DownstreamIndex', () => {
  it('finds downstream by rule, by trigger uid and by the legacy trigger-name label', () => {
    const index = new DownstreamIndex();
    index.upsert(downstream('a', of('p', 'r1', { [LABEL.triggerUid]: 'u1' })));
    index.upsert(downstream('b', of('p', 'r1', { [LABEL.triggerUid]: 'u2' })));
    index.upsert(downstream('c', of('p', 'r2', { [LABEL.triggerUid]: 'u1' })));
    index.upsert(downstream('d', of('p', 'r1', { [LABEL.triggerName]: 'old-trigger' })));
    index.upsert(downstream('e', { ...of('q', 'r1', { [LABEL.triggerUid]: 'u1' }), [LABEL.policyNamespace]: 'team' }));

    assert.deepEqual(names(index.forTrigger('p', 'r1', 'u1')), ['a']);
    assert.deepEqual(names(index.forTrigger('p', 'r1', 'u1', 'old-trigger')), ['a', 'd']);
    assert.deepEqual(names(index.forTrigger('p', 'r1', 'nobody')), []);
    assert.deepEqual(names(index.forRule('p', 'r1')), ['a', 'b', 'd']);
    assert.deepEqual(names(index.forRule('p')), ['a', 'b', 'c', 'd']);
    assert.deepEqual(names(index.forRule('team/q')), ['e']);
    assert.deepEqual(names(index.forRule('q')), []);
    assert.equal(index.size(), 5);
  });

  it('refiles an object whose labels changed and forgets removed ones', () => {
    const index = new DownstreamIndex();
    index.upsert(downstream('a', of('p', 'r1', { [LABEL.triggerUid]: 'u1' })));
    index.upsert(downstream('a', of('p', 'r2', { [LABEL.triggerUid]: 'u9' })));
    assert.deepEqual(names(index.forTrigger('p', 'r1', 'u1')), []);
    assert.deepEqual(names(index.forRule('p', 'r1')), []);
    assert.deepEqual(names(index.forTrigger('p', 'r2', 'u9')), ['a']);
    index.remove(downstream('a', {}));
    assert.deepEqual(index.forRule('p'), []);
    assert.equal(index.size(), 0);
    // Removing what is not there is a no-op.
    index.remove(downstream('zzz', {}));
    assert.equal(index.size(), 0);
  });

  it('tracks copies of a clone source by uid or by name', () => {
    const index = new DownstreamIndex();
    const source: KubeObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'src', namespace: 'base', uid: 's-uid' } };
    const copy = (name: string, by: Record<string, string>): KubeObject =>
      downstream(name, { ...of('p', 'clone', { [LABEL.triggerUid]: 't' }), [LABEL.sourceKind]: 'Secret', [LABEL.sourceNamespace]: 'base', ...by });
    index.upsert(copy('by-uid', { [LABEL.sourceUid]: 's-uid' }));
    index.upsert(copy('by-name', { [LABEL.sourceName]: 'src' }));
    index.upsert(copy('other', { [LABEL.sourceUid]: 'another' }));
    assert.deepEqual(names(index.copiesOf(source)), ['by-name', 'by-uid']);
    index.remove(copy('by-uid', {}));
    assert.deepEqual(names(index.copiesOf(source)), ['by-name']);
  });

  it('answers whether an object with an identity is known', () => {
    const index = new DownstreamIndex();
    index.upsert(downstream('a', of('p', 'r', {})));
    assert.equal(index.has({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'ns', name: 'a' }), true);
    assert.equal(index.has({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'other', name: 'a' }), false);
    assert.equal(index.has({ apiVersion: 'v1', kind: 'Secret', namespace: 'ns', name: 'a' }), false);
  });
});

describe('projectDownstream', () => {
  it('keeps identity, labels and Sprout annotations; drops content and everything else', () => {
    const full: KubeObject = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'a',
        namespace: 'ns',
        uid: 'u',
        resourceVersion: '7',
        creationTimestamp: '2026-11-24T00:00:00Z',
        deletionTimestamp: '2026-11-24T00:01:00Z',
        labels: { x: '1' },
        annotations: { 'generate.sprout.io/kept-after-trigger-deletion': 'true', 'kubectl.kubernetes.io/last-applied-configuration': '{}' },
        managedFields: [{ manager: 'sprout' }],
      },
      data: { big: 'value' },
    };
    assert.deepEqual(projectDownstream(full), {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'a',
        namespace: 'ns',
        uid: 'u',
        resourceVersion: '7',
        deletionTimestamp: '2026-11-24T00:01:00Z',
        labels: { x: '1' },
        annotations: { 'generate.sprout.io/kept-after-trigger-deletion': 'true' },
      },
    });
    const bare = projectDownstream({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'n', annotations: { other: 'x' } } });
    assert.deepEqual(bare, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'n' } });
  });
});
