import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { GroupVersionKind } from '../../api/kube.js';
import { kindMatches, parseKindSelector } from './kind-selector.js';

test('parseKindSelector splits every documented format', () => {
  const cases: [string, [string, string, string, string]][] = [
    ['Pod', ['*', '*', 'Pod', '']],
    ['*', ['*', '*', '*', '']],
    ['v1/Pod', ['*', 'v1', 'Pod', '']],
    ['v2beta1/HorizontalPodAutoscaler', ['*', 'v2beta1', 'HorizontalPodAutoscaler', '']],
    ['v10/Foo', ['*', 'v10', 'Foo', '']],
    ['*/Pod', ['*', '*', 'Pod', '']],
    ['apps/v1/Deployment', ['apps', 'v1', 'Deployment', '']],
    ['networking.k8s.io/v1/NetworkPolicy', ['networking.k8s.io', 'v1', 'NetworkPolicy', '']],
    ['tekton.dev/*/TaskRun', ['tekton.dev', '*', 'TaskRun', '']],
    ['Pod/exec', ['*', '*', 'Pod', 'exec']],
    ['Pod.status', ['*', '*', 'Pod', 'status']],
    ['v1/Pod/status', ['*', 'v1', 'Pod', 'status']],
    ['v1/Pod.eviction', ['*', 'v1', 'Pod', 'eviction']],
    ['*/Node/status', ['*', '*', 'Node', 'status']],
    ['apps/v1/Deployment/scale', ['apps', 'v1', 'Deployment', 'scale']],
    ['apps/v1/Deployment.scale', ['apps', 'v1', 'Deployment', 'scale']],
    ['*/*', ['*', '*', '*', '*']],
    ['*/scale', ['*', '*', '*', 'scale']],
    // Not a version: kind/subresource, as Kyverno reads it.
    ['apps/Deployment', ['*', '*', 'apps', 'Deployment']],
  ];
  for (const [input, [group, version, kind, subresource]] of cases) {
    const s = parseKindSelector(input);
    assert.deepEqual(
      { group: s.group, version: s.version, kind: s.kind, subresource: s.subresource, valid: s.valid },
      { group, version, kind, subresource, valid: true },
      input,
    );
  }
  assert.equal(parseKindSelector('a/b/c/d/e').valid, false);
});

test('parseKindSelector is memoised and returns frozen selectors', () => {
  const a = parseKindSelector('apps/v1/Deployment/scale');
  assert.equal(parseKindSelector('apps/v1/Deployment/scale'), a);
  assert.equal(Object.isFrozen(a), true);
});

const pod: GroupVersionKind = { group: '', version: 'v1', kind: 'Pod' };
const deployment: GroupVersionKind = { group: 'apps', version: 'v1', kind: 'Deployment' };
const taskRunAlpha: GroupVersionKind = { group: 'tekton.dev', version: 'v1alpha1', kind: 'TaskRun' };
const k8sNetpol: GroupVersionKind = { group: 'networking.k8s.io', version: 'v1', kind: 'NetworkPolicy' };
const antreaNetpol: GroupVersionKind = { group: 'crd.antrea.io', version: 'v1alpha1', kind: 'NetworkPolicy' };
const postgres: GroupVersionKind = { group: 'acid.zalan.do', version: 'v1', kind: 'postgresdb' };
const fakePod: GroupVersionKind = { group: 'example.com', version: 'v1', kind: 'Pod' };

test('kindMatches follows Kyverno (CheckKind with the ephemeralcontainers allowance)', () => {
  const cases: [string, GroupVersionKind, string, boolean][] = [
    ['*', deployment, '', true],
    ['*', pod, 'status', false],
    ['*/*', pod, 'status', true],
    ['*/*', deployment, '', true],
    ['Pod', pod, '', true],
    ['v1/Pod', pod, '', true],
    ['v2/Pod', pod, '', false],
    ['*/Pod', pod, '', true],
    ['tekton.dev/*/TaskRun', taskRunAlpha, '', true],
    ['tekton.dev/v1beta1/TaskRun', taskRunAlpha, '', false],
    ['networking.k8s.io/v1/NetworkPolicy', k8sNetpol, '', true],
    ['networking.k8s.io/v1/NetworkPolicy', antreaNetpol, '', false],
    ['NetworkPolicy', antreaNetpol, '', true],
    ['postgresdb', postgres, '', true],
    ['Postgresdb', postgres, '', false],
    // A plain kind is the resource, not its subresources...
    ['v1/Pod', pod, 'status', false],
    ['Pod', pod, 'exec', false],
    // ...except ephemeralcontainers on core Pods, which Kyverno's engine always lets through.
    ['Pod', pod, 'ephemeralcontainers', true],
    ['v1/Pod', pod, 'ephemeralcontainers', true],
    ['Pod/status', pod, 'ephemeralcontainers', true],
    ['Pod', fakePod, 'ephemeralcontainers', false],
    ['Pod/exec', pod, 'exec', true],
    ['Pod/exec', pod, '', false],
    ['Pod.status', pod, 'status', true],
    ['v1/Pod.status', pod, 'status', true],
    ['*/Pod.eviction', pod, 'eviction', true],
    ['v1alpha1/Pod.eviction', pod, 'eviction', false],
    ['apps/v1/Deployment/scale', deployment, 'scale', true],
    ['apps/v1/Deployment/scale', deployment, '', false],
    ['*/scale', deployment, 'scale', true],
    ['*/scale', deployment, '', false],
    ['Deployment/*', deployment, 'status', true],
    ['a/b/c/d/e', pod, '', false],
  ];
  for (const [selector, gvk, sub, want] of cases) {
    assert.equal(
      kindMatches(selector, gvk, sub),
      want,
      `${selector} vs ${gvk.group}/${gvk.version}/${gvk.kind}/${sub}`,
    );
  }
  assert.equal(kindMatches(parseKindSelector('Pod'), pod, ''), true, 'accepts a parsed selector');
});
