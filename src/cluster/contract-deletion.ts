// The deletion half of the ClusterClient contract: preconditions, finalizers, garbage collection in
// its three propagation modes, namespace termination.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject, OwnerReference } from '../api/kube.js';
import type { ContractContext } from './contract.js';
import { CM, NS, configMap, dropFinalizers, eventually, expectGone, uniqueName } from './contract-helpers.js';
import { isConflict, isForbidden } from './errors.js';

const HOLD = 'sprout.io/contract-hold';

function ownedBy(owner: KubeObject, block = false): OwnerReference {
  const ref: OwnerReference = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    name: owner.metadata.name ?? '',
    uid: owner.metadata.uid ?? '',
  };
  if (block) ref.blockOwnerDeletion = true;
  return ref;
}

export function runDeletionContract(ctx: ContractContext, track: (namespace: string) => void): void {
  const cm = (name: string): typeof CM & { name: string; namespace: string } => ({
    ...CM,
    namespace: ctx.ns,
    name,
  });

  void it('delete preconditions that do not match get 409 Conflict', async () => {
    await ctx.client.create(configMap(ctx.ns, 'del-pre'));
    await assert.rejects(
      ctx.client.delete(cm('del-pre'), { preconditions: { uid: 'not-the-uid' } }),
      (e: unknown) => isConflict(e),
    );
    await ctx.client.delete(cm('del-pre'));
    await expectGone(ctx.client, cm('del-pre'), ctx.timeoutMs);
  });

  void it('finalizers hold a deleted object (deletionTimestamp set) until they are removed', async () => {
    await ctx.client.create(configMap(ctx.ns, 'fin', { finalizers: [HOLD] }));
    await ctx.client.delete(cm('fin'));
    const held = await ctx.client.get(cm('fin'));
    assert.match(held.metadata.deletionTimestamp ?? '', /Z$/);
    assert.deepEqual(held.metadata.finalizers, [HOLD]);
    await dropFinalizers(ctx.client, cm('fin'));
    await expectGone(ctx.client, cm('fin'), ctx.timeoutMs);
  });

  void it('background propagation: dependents go after their owner', async () => {
    const owner = await ctx.client.create(configMap(ctx.ns, 'gc-bg-owner'));
    await ctx.client.create(configMap(ctx.ns, 'gc-bg-dep', { ownerReferences: [ownedBy(owner)] }));
    await ctx.client.delete(cm('gc-bg-owner'), { propagationPolicy: 'Background' });
    await expectGone(ctx.client, cm('gc-bg-owner'), ctx.timeoutMs);
    await expectGone(ctx.client, cm('gc-bg-dep'), ctx.timeoutMs);
  });

  void it('a dependent with another live owner only loses the reference to the deleted one', async () => {
    const a = await ctx.client.create(configMap(ctx.ns, 'gc-two-a'));
    const b = await ctx.client.create(configMap(ctx.ns, 'gc-two-b'));
    await ctx.client.create(configMap(ctx.ns, 'gc-two-dep', { ownerReferences: [ownedBy(a), ownedBy(b)] }));
    await ctx.client.delete(cm('gc-two-a'));
    await eventually(async () => {
      const dep = await ctx.client.get(cm('gc-two-dep'));
      assert.deepEqual(
        (dep.metadata.ownerReferences ?? []).map((r) => r.name),
        ['gc-two-b'],
      );
    }, ctx.timeoutMs);
  });

  void it('foreground propagation: the owner waits (foregroundDeletion) for blocking dependents', async () => {
    const owner = await ctx.client.create(configMap(ctx.ns, 'gc-fg-owner'));
    await ctx.client.create(
      configMap(ctx.ns, 'gc-fg-dep', { ownerReferences: [ownedBy(owner, true)], finalizers: [HOLD] }),
    );
    await ctx.client.delete(cm('gc-fg-owner'), { propagationPolicy: 'Foreground' });
    const waiting = await ctx.client.get(cm('gc-fg-owner'));
    assert.ok(waiting.metadata.deletionTimestamp !== undefined);
    assert.ok((waiting.metadata.finalizers ?? []).includes('foregroundDeletion'));
    await eventually(async () => {
      const dep = await ctx.client.get(cm('gc-fg-dep'));
      assert.ok(dep.metadata.deletionTimestamp !== undefined, 'dependent is being deleted');
    }, ctx.timeoutMs);
    assert.ok(
      (await ctx.client.get(cm('gc-fg-owner'))).metadata.deletionTimestamp !== undefined,
      'owner still waits',
    );
    await dropFinalizers(ctx.client, cm('gc-fg-dep'));
    await expectGone(ctx.client, cm('gc-fg-dep'), ctx.timeoutMs);
    await expectGone(ctx.client, cm('gc-fg-owner'), ctx.timeoutMs);
  });

  void it('orphan propagation: dependents stay and lose their owner reference', async () => {
    const owner = await ctx.client.create(configMap(ctx.ns, 'gc-or-owner'));
    await ctx.client.create(configMap(ctx.ns, 'gc-or-dep', { ownerReferences: [ownedBy(owner)] }));
    await ctx.client.delete(cm('gc-or-owner'), { propagationPolicy: 'Orphan' });
    await expectGone(ctx.client, cm('gc-or-owner'), ctx.timeoutMs);
    await eventually(async () => {
      const dep = await ctx.client.get(cm('gc-or-dep'));
      assert.equal((dep.metadata.ownerReferences ?? []).length, 0);
    }, ctx.timeoutMs);
  });

  void it('deleting a namespace: Terminating, no new content, content removed, then the namespace', async () => {
    const ns = uniqueName('sprout-contract-del');
    track(ns);
    await ctx.client.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    await ctx.client.create(configMap(ns, 'plain'));
    await ctx.client.create(configMap(ns, 'held', { finalizers: [HOLD] }));
    await ctx.client.delete({ ...NS, name: ns });
    const terminating = await ctx.client.get({ ...NS, name: ns });
    assert.equal((terminating.status as { phase?: string } | undefined)?.phase, 'Terminating');
    assert.ok(terminating.metadata.deletionTimestamp !== undefined);
    await assert.rejects(ctx.client.create(configMap(ns, 'late')), (e: unknown) => {
      assert.ok(isForbidden(e), String(e));
      assert.equal(
        (e as Error).message,
        `configmaps "late" is forbidden: unable to create new content in namespace ${ns} because it is being terminated`,
      );
      return true;
    });
    await expectGone(ctx.client, { ...CM, namespace: ns, name: 'plain' }, ctx.timeoutMs);
    await eventually(async () => {
      const held = await ctx.client.get({ ...CM, namespace: ns, name: 'held' });
      assert.ok(held.metadata.deletionTimestamp !== undefined);
    }, ctx.timeoutMs);
    await dropFinalizers(ctx.client, { ...CM, namespace: ns, name: 'held' });
    await expectGone(ctx.client, { ...NS, name: ns }, Math.max(ctx.timeoutMs, 60_000));
  });
}
