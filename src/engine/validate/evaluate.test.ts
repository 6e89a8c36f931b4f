import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { JsonObject } from '../../api/json.js';
import type { KubeObject } from '../../api/kube.js';
import type { KyvernoPolicy } from '../../api/policy.js';
import { pod, podRule, policyOf, testEnv } from '../test-support.js';
import { evaluateValidate } from './evaluate.js';

async function run(policy: KyvernoPolicy, object: KubeObject, operation: 'CREATE' | 'UPDATE' = 'CREATE') {
  return evaluateValidate(
    policy,
    { operation, object, oldObject: operation === 'UPDATE' ? object : undefined },
    testEnv,
  );
}

const containers = (...images: string[]): JsonObject => ({
  containers: images.map((image, i) => ({ name: `c${i}`, image })),
});

test('pattern: pass and fail with Kyverno messages', async () => {
  const p = policyOf([
    podRule('tag', {
      validate: {
        message: 'An image tag is required',
        pattern: { spec: { containers: [{ image: '*:*' }] } },
      },
    }),
  ]);
  const [ok] = await run(p, pod('a', containers('nginx:1')));
  assert.deepEqual([ok?.status, ok?.message], ['pass', "validation rule 'tag' passed."]);
  const [bad] = await run(p, pod('b', containers('nginx')));
  assert.equal(bad?.status, 'fail');
  assert.equal(
    bad?.message,
    'validation error: An image tag is required. rule tag failed at path /spec/containers/0/image/',
  );
});

test('message variables are substituted', async () => {
  const p = policyOf([
    podRule('r', {
      validate: {
        message: 'pod {{request.object.metadata.name}} is bad.',
        pattern: { metadata: { labels: { a: '?*' } } },
      },
    }),
  ]);
  const [r] = await run(p, pod('mine', containers('x:1')));
  assert.match(r?.message ?? '', /^validation error: pod mine is bad\. rule r failed at path/);
});

test('anyPattern: one alternative suffices; all failing lists each', async () => {
  const p = policyOf([
    podRule('nonroot', {
      validate: {
        message: 'root',
        anyPattern: [
          { spec: { securityContext: { runAsNonRoot: true } } },
          { spec: { containers: [{ securityContext: { runAsNonRoot: true } }] } },
        ],
      },
    }),
  ]);
  assert.equal(
    (await run(p, pod('a', { securityContext: { runAsNonRoot: true }, ...containers('x:1') })))[0]?.status,
    'pass',
  );
  const [bad] = await run(p, pod('b', containers('x:1')));
  assert.equal(bad?.status, 'fail');
  assert.match(bad?.message ?? '', /rule nonroot\[0\] failed at path .* rule nonroot\[1\] failed at path/);
});

test('deny: conditions decide; empty deny always denies; unresolved variables read as empty', async () => {
  const deny = (conditions: JsonObject | undefined): KyvernoPolicy =>
    policyOf([
      podRule('d', { validate: { message: 'no', deny: conditions === undefined ? {} : { conditions } } }),
    ]);
  const many = pod('m', containers('a:1', 'b:1', 'c:1'));
  const tooMany = deny({
    any: [{ key: '{{ request.object.spec.containers[] | length(@) }}', operator: 'GreaterThan', value: 2 }],
  });
  assert.equal((await run(tooMany, many))[0]?.status, 'fail');
  assert.equal((await run(tooMany, pod('o', containers('a:1'))))[0]?.status, 'pass');
  assert.equal((await run(deny(undefined), many))[0]?.status, 'fail');
  const missing = deny({
    all: [{ key: '{{ request.object.spec.nothing.here }}', operator: 'Equals', value: '' }],
  });
  assert.equal((await run(missing, many))[0]?.status, 'fail');
});

test('preconditions: not met skips; match miss yields no result', async () => {
  const p = policyOf([
    podRule('r', {
      preconditions: {
        all: [{ key: '{{ request.object.metadata.name }}', operator: 'Equals', value: 'only' }],
      },
      validate: { pattern: { metadata: { labels: { a: '?*' } } } },
    }),
  ]);
  assert.equal((await run(p, pod('other', containers('x:1'))))[0]?.status, 'skip');
  const svc = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 's', namespace: 'default' },
  } as KubeObject;
  assert.deepEqual(await run(p, svc), []);
});

test('foreach: list elements, skip when the list is empty, per-element preconditions', async () => {
  const p = policyOf([
    podRule('f', {
      validate: {
        message: 'latest not allowed',
        foreach: [
          { list: 'request.object.spec.initContainers', pattern: { image: '!*:latest' } },
          {
            list: 'request.object.spec.containers',
            preconditions: { all: [{ key: '{{ element.name }}', operator: 'NotEquals', value: 'c1' }] },
            pattern: { image: '!*:latest' },
          },
        ],
      },
    }),
  ]);
  assert.equal((await run(p, pod('a', containers('x:1', 'y:latest'))))[0]?.status, 'pass');
  const [bad] = await run(p, pod('b', containers('x:latest')));
  assert.equal(bad?.status, 'fail');
  assert.match(bad?.message ?? '', /^validation failure: /);
  const none = policyOf([
    podRule('f', {
      validate: { foreach: [{ list: 'request.object.spec.initContainers', pattern: { image: 'x' } }] },
    }),
  ]);
  assert.equal((await run(none, pod('c', containers('x:1'))))[0]?.status, 'skip');
});

test('foreach: deny per element, nested foreach with element0/element1', async () => {
  const drop = policyOf([
    podRule('drop', {
      validate: {
        foreach: [
          {
            list: 'request.object.spec.containers[]',
            deny: {
              conditions: {
                all: [
                  {
                    key: 'ALL',
                    operator: 'AnyNotIn',
                    value: '{{ element.securityContext.capabilities.drop[] || `[]` }}',
                  },
                ],
              },
            },
          },
        ],
      },
    }),
  ]);
  const sc = (drop: string[]): JsonObject => ({
    containers: [{ name: 'a', image: 'x:1', securityContext: { capabilities: { drop } } }],
  });
  assert.equal((await run(drop, pod('a', sc(['ALL']))))[0]?.status, 'pass');
  assert.equal((await run(drop, pod('b', sc(['NET_RAW']))))[0]?.status, 'fail');
  const nested = policyOf([
    podRule('n', {
      validate: {
        foreach: [
          {
            list: 'request.object.spec.containers',
            foreach: [
              {
                list: 'element.ports',
                deny: {
                  conditions: {
                    any: [{ key: '{{ element1.containerPort }}', operator: 'LessThan', value: 1024 }],
                  },
                },
              },
            ],
          },
        ],
      },
    }),
  ]);
  const ports = (p: number): JsonObject => ({
    containers: [{ name: 'a', image: 'x:1', ports: [{ containerPort: 8080 }, { containerPort: p }] }],
  });
  assert.equal((await run(nested, pod('a', ports(9090))))[0]?.status, 'pass');
  assert.equal((await run(nested, pod('b', ports(80))))[0]?.status, 'fail');
});

test('foreach: elementScope false checks patterns against the resource', async () => {
  const p = policyOf([
    podRule('s', {
      validate: {
        foreach: [
          {
            list: 'request.object.spec.containers',
            elementScope: false,
            pattern: { metadata: { labels: { app: '?*' } } },
          },
        ],
      },
    }),
  ]);
  assert.equal((await run(p, pod('a', containers('x:1'), { labels: { app: 'y' } })))[0]?.status, 'pass');
  assert.equal((await run(p, pod('b', containers('x:1'))))[0]?.status, 'fail');
});

test('conditional anchor mismatch skips; negation anchor fails; UPDATE with the same violation skips', async () => {
  const cpu = policyOf([
    podRule('cpu', {
      validate: {
        pattern: {
          spec: { containers: [{ '(name)': '*', '=(resources)': { '=(limits)': { 'X(cpu)': null } } }] },
        },
      },
    }),
  ]);
  const limited = pod('a', { containers: [{ name: 'a', image: 'x', resources: { limits: { cpu: '1' } } }] });
  assert.equal((await run(cpu, limited))[0]?.status, 'fail');
  assert.equal((await run(cpu, limited, 'UPDATE'))[0]?.status, 'skip');
  const storage = policyOf([
    podRule('sc', { validate: { pattern: { spec: { '(storageClassName)': 'nfs', x: 1 } } } }),
  ]);
  assert.equal((await run(storage, pod('b', { storageClassName: 'other' })))[0]?.status, 'skip');
});

test('failure action: policy default, rule failureAction, namespace overrides', async () => {
  const rule = podRule('r', { validate: { pattern: { metadata: { labels: { a: '?*' } } } } });
  const enforce = policyOf([rule], {
    validationFailureAction: 'Enforce',
    validationFailureActionOverrides: [{ action: 'Audit', namespaces: ['dev-*'] }],
  });
  assert.equal((await run(enforce, pod('a', {})))[0]?.action, 'Enforce');
  assert.equal((await run(enforce, pod('a', {}, { namespace: 'dev-1' })))[0]?.action, 'Audit');
  const perRule = policyOf([{ ...rule, validate: { ...rule.validate, failureAction: 'Enforce' } }]);
  assert.equal((await run(perRule, pod('a', {})))[0]?.action, 'Enforce');
  assert.equal((await run(policyOf([rule]), pod('a', {})))[0]?.action, 'Audit');
});

test('podSecurity: baseline and restricted levels, exclusions by control and image', async () => {
  const pss = (level: string, exclude?: JsonObject[]): KyvernoPolicy =>
    policyOf([
      podRule('pss', {
        validate: { podSecurity: { level, version: 'latest', ...(exclude ? { exclude } : {}) } },
      }),
    ]);
  const plain = pod('a', containers('nginx:1'));
  assert.equal((await run(pss('baseline'), plain))[0]?.status, 'pass');
  assert.equal(
    (await run(pss('baseline'), pod('b', { hostIPC: true, ...containers('nginx:1') })))[0]?.status,
    'fail',
  );
  assert.equal((await run(pss('restricted'), plain))[0]?.status, 'fail');
  const hardened = pod('c', {
    securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
    containers: [
      {
        name: 'a',
        image: 'nginx:1',
        securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
      },
    ],
  });
  assert.equal((await run(pss('restricted'), hardened))[0]?.status, 'pass');
  const privileged = pod('d', {
    containers: [{ name: 'a', image: 'nginx:1', securityContext: { privileged: true } }],
  });
  assert.equal((await run(pss('baseline'), privileged))[0]?.status, 'fail');
  assert.equal(
    (
      await run(pss('baseline', [{ controlName: 'Privileged Containers', images: ['nginx*'] }]), privileged)
    )[0]?.status,
    'pass',
  );
  assert.equal(
    (
      await run(pss('baseline', [{ controlName: 'Privileged Containers', images: ['redis*'] }]), privileged)
    )[0]?.status,
    'fail',
  );
  assert.equal(
    (await run(pss('baseline', [{ controlName: 'Host Namespaces' }]), pod('e', { hostNetwork: true })))[0]
      ?.status,
    'pass',
  );
});
