import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/kube.js';
import { gvkOf } from '../../api/kube.js';
import type { MatchResources } from '../../api/policy.js';
import { matchMemo } from './kind-only.js';
import { matchesRule } from './match-rule.js';

const object = (apiVersion: string, kind: string): KubeObject => ({
  apiVersion,
  kind,
  metadata: { name: 'x', namespace: 'default' },
});

test('a kind-only block answers each kind and subresource in turn, as explained matching does', () => {
  const match: MatchResources = {
    any: [{ resources: { kinds: ['Pod', 'apps/v1/Deployment', 'Deployment/scale'] } }],
  };
  const exclude: MatchResources = { any: [{ resources: { kinds: ['Deployment'] } }] };
  // [object, subresource, matched with the exclude, matched without it]
  const requests: [KubeObject, string, boolean, boolean][] = [
    [object('v1', 'Pod'), '', true, true],
    [object('apps/v1', 'Deployment'), '', false, true],
    [object('apps/v1', 'Deployment'), 'scale', true, true],
    [object('v1', 'Pod'), 'exec', false, false],
    [object('v1', 'Pod'), 'ephemeralcontainers', true, true],
    [object('apps/v1beta1', 'Deployment'), '', false, false],
    [object('v1', 'Service'), '', false, false],
    [object('v1', 'Pod'), '', true, true],
  ];
  for (const [resource, subresource, want, withoutExclude] of [...requests, ...requests]) {
    const input = { resource, gvk: gvkOf(resource), subresource, operation: 'CREATE' as const };
    const label = `${resource.kind}/${subresource}`;
    assert.equal(matchesRule(input, match, exclude, false).matched, want, label);
    assert.equal(matchesRule(input, match, exclude, true).matched, want, label);
    // The same match block with another exclude is not answered from the first one's result.
    assert.equal(matchesRule(input, match, undefined, false).matched, withoutExclude, label);
  }
});

test('blocks with more than kinds are decided per request', () => {
  const match: MatchResources = { any: [{ resources: { kinds: ['Pod'], names: ['a*'] } }] };
  const named = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name } });
  for (const [name, want] of [
    ['abc', true],
    ['xyz', false],
    ['a', true],
  ] as const) {
    const resource = named(name);
    assert.equal(
      matchesRule({ resource, gvk: gvkOf(resource) }, match, undefined, false).matched,
      want,
      name,
    );
  }
});

test('a remembered answer is the same result as the first one', () => {
  const match: MatchResources = { any: [{ resources: { kinds: ['Pod', 'Deployment'] } }] };
  const exclude: MatchResources = { any: [{ resources: { kinds: ['Deployment'] } }] };
  for (const resource of [object('apps/v1', 'Deployment'), object('v1', 'Service'), object('v1', 'Pod')]) {
    const input = { resource, gvk: gvkOf(resource) };
    const first = matchesRule(input, match, exclude, false);
    assert.deepEqual(matchesRule(input, match, exclude, false), first, resource.kind);
  }
});

test('a memo keeps the verdict of a kind-only match block and still decides its exclude per request', () => {
  const match: MatchResources = { any: [{ resources: { kinds: ['Namespace', 'ConfigMap'] } }] };
  const exclude: MatchResources = { any: [{ resources: { names: ['kube-*', 'kyverno'] } }] };
  const memo = matchMemo(match, exclude);
  assert.equal(memo.byKind, false);
  assert.equal(memo.matchByKind, true);
  const named = (kind: string, name: string): KubeObject => ({ apiVersion: 'v1', kind, metadata: { name } });
  // [resource, selected]: matched by kind, then excluded by name or not.
  const requests: [KubeObject, boolean][] = [
    [named('Namespace', 'payments'), true],
    [named('Namespace', 'kube-system'), false],
    [named('Namespace', 'kyverno'), false],
    [named('Pod', 'payments'), false],
    [named('Pod', 'kube-proxy'), false],
    [named('ConfigMap', 'settings'), true],
    [named('ConfigMap', 'kube-root-ca.crt'), false],
    [named('Namespace', 'payments'), true],
  ];
  for (const [resource, want] of [...requests, ...requests]) {
    const input = { resource, gvk: gvkOf(resource), operation: 'CREATE' as const };
    const label = `${resource.kind}/${resource.metadata.name}`;
    assert.equal(matchesRule(input, match, exclude, false, memo).matched, want, label);
    assert.equal(matchesRule(input, match, exclude, true).matched, want, label);
  }
  // The memo answers the match side only: the whole rule is never answered by kind.
  assert.equal(memo.last, undefined);
});
