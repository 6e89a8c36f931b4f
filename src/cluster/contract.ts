// The ClusterClient contract, written once and run against every implementation (memory now; the
// kube adapter against the embedded server and against $KUBECONFIG later). Each run works inside
// namespaces it creates and deletes, so it is safe on a shared cluster.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../api/kube.js';
import type { ClusterClient } from './client.js';
import type { ContractHooks } from './contract-helpers.js';
import { CM, NS, collectWatch, configMap, names, uniqueName } from './contract-helpers.js';
import { runDeletionContract } from './contract-deletion.js';
import {
  ClusterError,
  isAlreadyExists,
  isBadRequest,
  isConflict,
  isGone,
  isInvalid,
  isNotFound,
} from './errors.js';

export type { ContractHooks } from './contract-helpers.js';

export interface ContractContext {
  client: ClusterClient;
  /** A namespace created for this run. */
  ns: string;
  hooks: ContractHooks;
  timeoutMs: number;
}

export function runClusterContract(
  name: string,
  makeClient: () => Promise<ClusterClient> | ClusterClient,
  hooks: ContractHooks = {},
): void {
  void describe(`ClusterClient contract: ${name}`, () => {
    const ctx = { hooks, timeoutMs: hooks.timeoutMs ?? 30_000 } as ContractContext;
    const created: string[] = [];
    before(async () => {
      ctx.client = await makeClient();
      ctx.ns = uniqueName('sprout-contract');
      await ctx.client.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ctx.ns } });
      created.push(ctx.ns);
    });
    after(async () => {
      for (const ns of created) await ctx.client.delete({ ...NS, name: ns }).catch(() => undefined);
    });
    runCrudContract(ctx);
    runReadContract(ctx);
    runWatchContract(ctx);
    runDeletionContract(ctx, (ns) => created.push(ns));
    runAccessContract(ctx);
  });
}

function runAccessContract(ctx: ContractContext): void {
  void it('reviewAccess answers for the client itself: it may do what this suite does', async () => {
    assert.equal(typeof ctx.client.reviewAccess, 'function', 'the client reviews access');
    const decision = await ctx.client.reviewAccess?.({ verb: 'create', group: '', resource: 'configmaps', namespace: ctx.ns });
    assert.equal(decision?.allowed, true, decision?.reason);
  });
}

function runCrudContract(ctx: ContractContext): void {
  void it('create fills server fields and returns copies the caller cannot use to change stored state', async () => {
    const obj = await ctx.client.create(configMap(ctx.ns, 'crud-a'));
    assert.match(obj.metadata.uid ?? '', /.+/);
    assert.match(obj.metadata.resourceVersion ?? '', /^\d+$/);
    assert.match(obj.metadata.creationTimestamp ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    (obj.data as Record<string, string>).k = 'mutated';
    const again = await ctx.client.get({ ...CM, namespace: ctx.ns, name: 'crud-a' });
    assert.deepEqual(again.data, { k: 'v' });
  });

  void it('typed errors carry the API server status and message', async () => {
    const cases: [() => Promise<unknown>, (e: unknown) => boolean, number, string | RegExp][] = [
      [
        () => ctx.client.get({ ...CM, namespace: ctx.ns, name: 'missing' }),
        isNotFound,
        404,
        'configmaps "missing" not found',
      ],
      [
        () => ctx.client.create(configMap(ctx.ns, 'crud-a')),
        isAlreadyExists,
        409,
        'configmaps "crud-a" already exists',
      ],
      [
        () => ctx.client.create(configMap('sprout-no-such-ns', 'x')),
        isNotFound,
        404,
        'namespaces "sprout-no-such-ns" not found',
      ],
      [
        () => ctx.client.create(configMap(ctx.ns, 'Bad_Name')),
        isInvalid,
        422,
        /^ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name"/,
      ],
      [
        () => ctx.client.get({ apiVersion: 'v1', kind: 'NoSuchKind', namespace: ctx.ns, name: 'x' }),
        isNotFound,
        404,
        'the server could not find the requested resource',
      ],
      [
        () => ctx.client.get({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: ctx.ns, name: 'nope' }),
        isNotFound,
        404,
        'deployments.apps "nope" not found',
      ],
      [() => ctx.client.list(CM, { namespace: ctx.ns, labelSelector: 'a in (b' }), isBadRequest, 400, /.*/],
    ];
    for (const [call, is, code, message] of cases) {
      await assert.rejects(call(), (e: unknown) => {
        assert.ok(e instanceof ClusterError, String(e));
        assert.ok(is(e), `${e.status.reason} ${e.message}`);
        assert.equal(e.status.code, code);
        assert.equal(e.status.kind, 'Status');
        if (typeof message === 'string') assert.equal(e.message, message);
        else assert.match(e.message, message);
        return true;
      });
    }
  });

  void it('a stale resourceVersion gets 409 Conflict; a fresh one succeeds', async () => {
    const first = await ctx.client.create(configMap(ctx.ns, 'crud-conflict'));
    const updated = await ctx.client.update({ ...first, data: { k: 'v2' } });
    assert.notEqual(updated.metadata.resourceVersion, first.metadata.resourceVersion);
    await assert.rejects(ctx.client.update({ ...first, data: { k: 'v3' } }), (e: unknown) => {
      assert.ok(isConflict(e));
      assert.equal(
        (e as ClusterError).message,
        'Operation cannot be fulfilled on configmaps "crud-conflict": the object has been modified; please apply your changes to the latest version and try again',
      );
      return true;
    });
    const latest = await ctx.client.update({ ...updated, data: { k: 'v3' } });
    assert.deepEqual(latest.data, { k: 'v3' });
  });

  void it('generateName appends a five-character suffix', async () => {
    const a = await ctx.client.create({
      ...configMap(ctx.ns, ''),
      metadata: { namespace: ctx.ns, generateName: 'gen-' },
    });
    const b = await ctx.client.create({
      ...configMap(ctx.ns, ''),
      metadata: { namespace: ctx.ns, generateName: 'gen-' },
    });
    assert.match(a.metadata.name ?? '', /^gen-[a-z0-9]{5}$/);
    assert.notEqual(a.metadata.name, b.metadata.name);
  });

  void it('generation starts at 1 and bumps on spec changes only', async () => {
    const deploy: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'gen-deploy', namespace: ctx.ns },
      spec: {
        replicas: 0,
        selector: { matchLabels: { app: 'x' } },
        template: {
          metadata: { labels: { app: 'x' } },
          spec: { containers: [{ name: 'c', image: 'nginx:1' }] },
        },
      },
    };
    const ref = { apiVersion: 'apps/v1', kind: 'Deployment', namespace: ctx.ns, name: 'gen-deploy' };
    assert.equal((await ctx.client.create(deploy)).metadata.generation, 1);
    const relabelled = await ctx.client.patch(ref, { metadata: { labels: { team: 'a' } } }, 'merge');
    assert.equal(relabelled.metadata.generation, 1);
    const respec = await ctx.client.patch(
      ref,
      { spec: { template: { spec: { containers: [{ name: 'c', image: 'nginx:2' }] } } } },
      'strategic',
    );
    assert.equal(respec.metadata.generation, 2);
  });

  void it('patches: merge, JSON, strategic (merge by key) and server-side apply', async () => {
    const ref = { ...CM, namespace: ctx.ns, name: 'patched' };
    await ctx.client.create(configMap(ctx.ns, 'patched', { labels: { a: '1', b: '2' } }));
    let obj = await ctx.client.patch(
      ref,
      { metadata: { labels: { b: null, c: '3' } }, data: { k2: 'v2' } },
      'merge',
    );
    assert.deepEqual(obj.metadata.labels, { a: '1', c: '3' });
    assert.deepEqual(obj.data, { k: 'v', k2: 'v2' });
    obj = await ctx.client.patch(
      ref,
      [
        { op: 'replace', path: '/data/k', value: 'j' },
        { op: 'remove', path: '/data/k2' },
      ],
      'json',
    );
    assert.deepEqual(obj.data, { k: 'j' });
    const dref = { apiVersion: 'apps/v1', kind: 'Deployment', namespace: ctx.ns, name: 'gen-deploy' };
    const d = await ctx.client.patch(
      dref,
      { spec: { template: { spec: { containers: [{ name: 'side', image: 'busybox:1' }] } } } },
      'strategic',
    );
    const containers = (
      d.spec as { template: { spec: { containers: { name: string }[] } } }
    ).template.spec.containers.map((c) => c.name);
    assert.deepEqual(containers, ['c', 'side']);
    const applied = await ctx.client.patch(
      { ...CM, namespace: ctx.ns, name: 'applied' },
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'applied', namespace: ctx.ns, labels: { x: '1', y: '2' } },
        data: { a: 'b' },
      },
      'apply',
      { fieldManager: 'contract' },
    );
    assert.deepEqual(applied.data, { a: 'b' });
    const reapplied = await ctx.client.patch(
      { ...CM, namespace: ctx.ns, name: 'applied' },
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'applied', namespace: ctx.ns, labels: { x: '1' } },
        data: { a: 'c' },
      },
      'apply',
      { fieldManager: 'contract' },
    );
    assert.deepEqual(reapplied.metadata.labels, { x: '1' });
    assert.deepEqual(reapplied.data, { a: 'c' });
    assert.ok(
      (reapplied.metadata.managedFields ?? []).some(
        (m) => m.manager === 'contract' && m.operation === 'Apply',
      ),
    );
  });

  void it('discovery maps kinds to plural resources with their scope', async () => {
    const cm = await ctx.client.resolveKind(CM);
    assert.equal(cm?.resource, 'configmaps');
    assert.equal(cm?.namespaced, true);
    const ns = await ctx.client.resolveKind(NS);
    assert.equal(ns?.namespaced, false);
    const np = await ctx.client.resolveResource('networking.k8s.io', 'v1', 'networkpolicies');
    assert.equal(np?.kind, 'NetworkPolicy');
    const deploy = await ctx.client.resolveKind({ apiVersion: 'apps/v1', kind: 'Deployment' });
    assert.ok(deploy?.subresources.includes('status') && deploy.subresources.includes('scale'));
    assert.equal(await ctx.client.resolveKind({ apiVersion: 'v1', kind: 'NoSuchKind' }), undefined);
    assert.ok(
      (await ctx.client.resources()).some(
        (r) => r.group === 'rbac.authorization.k8s.io' && r.resource === 'clusterroles',
      ),
    );
  });
}

function runReadContract(ctx: ContractContext): void {
  void it('label and field selectors filter lists', async () => {
    const labels: Record<string, Record<string, string>> = {
      'sel-a': { app: 'web', tier: 'front' },
      'sel-b': { app: 'web', tier: 'back' },
      'sel-c': { app: 'db' },
      'sel-d': { other: 'x' },
    };
    for (const [n, l] of Object.entries(labels)) await ctx.client.create(configMap(ctx.ns, n, { labels: l }));
    const cases: [string, string[]][] = [
      ['app=web', ['sel-a', 'sel-b']],
      ['app==web,tier!=front', ['sel-b']],
      ['app in (web,db)', ['sel-a', 'sel-b', 'sel-c']],
      ['app notin (web),tier', []],
      ['!app', ['sel-d']],
      ['app,!tier', ['sel-c']],
    ];
    for (const [selector, want] of cases) {
      const got = await ctx.client.list(CM, { namespace: ctx.ns, labelSelector: selector });
      assert.deepEqual(
        names(got.items).filter((n) => n.startsWith('sel-')),
        want,
        selector,
      );
    }
    const byName = await ctx.client.list(CM, { namespace: ctx.ns, fieldSelector: 'metadata.name=sel-c' });
    assert.deepEqual(names(byName.items), ['sel-c']);
    const allNs = await ctx.client.list(CM, {
      fieldSelector: `metadata.namespace=${ctx.ns},metadata.name!=sel-c`,
      labelSelector: 'app',
    });
    assert.deepEqual(names(allNs.items), ['sel-a', 'sel-b']);
  });

  void it('pagination with limit and continue returns every item once, in order', async () => {
    for (let i = 0; i < 5; i++)
      await ctx.client.create(configMap(ctx.ns, `page-${i}`, { labels: { paged: 'yes' } }));
    const seen: string[] = [];
    let cont: string | undefined;
    let pages = 0;
    do {
      const page = await ctx.client.list(CM, {
        namespace: ctx.ns,
        labelSelector: 'paged=yes',
        limit: 2,
        continue: cont,
      });
      assert.ok(page.items.length <= 2);
      seen.push(...names(page.items));
      cont = page.continue;
      pages++;
    } while (cont !== undefined && cont !== '' && pages < 10);
    assert.deepEqual(seen, ['page-0', 'page-1', 'page-2', 'page-3', 'page-4']);
    assert.equal(pages, 3);
  });
}

function runWatchContract(ctx: ContractContext): void {
  void it('a watch resumes from a list resourceVersion and sees every later change in order', async () => {
    const list = await ctx.client.list(CM, { namespace: ctx.ns });
    const ref = { ...CM, namespace: ctx.ns, name: 'watched' };
    const created = await ctx.client.create(configMap(ctx.ns, 'watched'));
    await ctx.client.update({ ...created, data: { k: 'changed' } });
    await ctx.client.delete(ref);
    const events = await collectWatch(
      ctx.client,
      CM,
      { namespace: ctx.ns, resourceVersion: list.resourceVersion },
      (es) => es.some((e) => e.type === 'DELETED'),
      ctx.timeoutMs,
    );
    const mine = events.filter(
      (e) => e.type !== 'BOOKMARK' && e.type !== 'ERROR' && e.object.metadata.name === 'watched',
    );
    assert.deepEqual(
      mine.map((e) => e.type),
      ['ADDED', 'MODIFIED', 'DELETED'],
    );
    const rvs = mine.map((e) => Number((e.object as KubeObject).metadata.resourceVersion));
    assert.ok(
      rvs.every((rv, i) => i === 0 || rv > (rvs[i - 1] ?? 0)),
      `resourceVersions increase: ${rvs.join(',')}`,
    );
  });

  void it('a watch without a resourceVersion starts with the current objects, then follows changes', async () => {
    await ctx.client.create(configMap(ctx.ns, 'w-initial', { labels: { w: 'init' } }));
    const events = await collectWatch(
      ctx.client,
      CM,
      { namespace: ctx.ns, labelSelector: 'w' },
      (es) => es.length >= 2,
      ctx.timeoutMs,
      async () => {
        await ctx.client.create(configMap(ctx.ns, 'w-later', { labels: { w: 'later' } }));
      },
    );
    assert.deepEqual(
      events.map((e) => [e.type, (e.object as KubeObject).metadata.name]),
      [
        ['ADDED', 'w-initial'],
        ['ADDED', 'w-later'],
      ],
    );
  });

  void it('an object that stops matching a watch selector is reported DELETED', async () => {
    const obj = await ctx.client.create(configMap(ctx.ns, 'w-leaves', { labels: { stay: 'yes' } }));
    const events = await collectWatch(
      ctx.client,
      CM,
      { namespace: ctx.ns, labelSelector: 'stay=yes', resourceVersion: obj.metadata.resourceVersion },
      (es) => es.length >= 1,
      ctx.timeoutMs,
      async () => {
        await ctx.client.patch(
          { ...CM, namespace: ctx.ns, name: 'w-leaves' },
          { metadata: { labels: { stay: 'no' } } },
          'merge',
        );
      },
    );
    assert.deepEqual(
      events.map((e) => [e.type, (e.object as KubeObject).metadata.name]),
      [['DELETED', 'w-leaves']],
    );
  });

  void it('a watch from a compacted resourceVersion ends with 410 Gone', async () => {
    await ctx.client.create(configMap(ctx.ns, 'w-old'));
    await ctx.hooks.forgetHistory?.(ctx.client);
    let events: { type: string; object: unknown }[] = [];
    try {
      events = await collectWatch(
        ctx.client,
        CM,
        { namespace: ctx.ns, resourceVersion: '1' },
        (es) => es.some((e) => e.type === 'ERROR'),
        ctx.timeoutMs,
      );
    } catch (e) {
      assert.ok(isGone(e), String(e));
      return;
    }
    const error = events.find((e) => e.type === 'ERROR');
    assert.ok(error !== undefined, `expected an ERROR event, got ${events.map((e) => e.type).join(',')}`);
    assert.equal((error.object as { code: number }).code, 410);
  });
}
