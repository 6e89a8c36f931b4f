import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../api/kube.js';
import type { Rule } from '../api/policy.js';
import { imagesOf, ruleMayReadImages } from './images.js';

const deployment: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web' },
  spec: { template: { spec: { containers: [{ name: 'nginx', image: 'ghcr.io/acme/nginx:1.25' }] } } },
};

test('imagesOf parses the images of a pod template, with their JSON pointers', () => {
  assert.deepEqual(imagesOf(deployment), {
    containers: {
      nginx: {
        registry: 'ghcr.io',
        name: 'nginx',
        path: 'acme/nginx',
        tag: '1.25',
        digest: '',
        reference: 'ghcr.io/acme/nginx:1.25',
        referenceWithTag: 'ghcr.io/acme/nginx:1.25',
        jsonPointer: '/spec/template/spec/containers/0/image',
      },
    },
  });
  assert.equal(imagesOf({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x' } }), undefined);
});

const base: Rule = { name: 'r', match: { any: [{ resources: { kinds: ['Pod'] } }] } };

test('ruleMayReadImages: only rules that name images, read the root or build expressions at run time', () => {
  const cases: [string, Rule, boolean][] = [
    ['plain generate', { ...base, generate: { kind: 'ConfigMap', name: 'x', data: { a: '{{ request.object.metadata.name }}' } } }, false],
    ['names images', { ...base, preconditions: { all: [{ key: '{{ images.containers.*.tag }}', operator: 'AnyIn', value: ['latest'] }] } }, true],
    ['reads the root', { ...base, context: [{ name: 'all', variable: { jmesPath: 'keys(@)' } }] }, true],
    ['nested variable', { ...base, generate: { kind: 'ConfigMap', name: 'x', data: { a: '{{ x.{{ y }} }}' } } }, true],
    ['jmesPath with a variable', { ...base, context: [{ name: 'v', variable: { jmesPath: '{{ which }}' } }] }, true],
  ];
  for (const [name, rule, want] of cases) assert.equal(ruleMayReadImages(rule), want, name);
});
