// generateExisting, foreach, trigger deletion and rule removal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apply, eventually, eventuallyGone, startHarness, staysGone } from './harness.js';

test('generateExisting generates for triggers that existed before the policy, honouring the selector', async () => {
  const h = await startHarness();
  try {
    await apply(
      h.client,
      'apiVersion: v1\nkind: Namespace\nmetadata: {name: red-ns, labels: {color: red}}\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: green-ns, labels: {color: green}}\n',
    );
    await apply(
      h.client,
      `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata: {name: existing}
spec:
  rules:
  - name: np
    match: {any: [{resources: {kinds: [Namespace], selector: {matchLabels: {color: red}}}}]}
    generate:
      generateExisting: true
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      name: deny
      namespace: "{{request.object.metadata.name}}"
      data: {metadata: {labels: {created-by: kyverno}}, spec: {podSelector: {}}}
`,
    );
    const np = await eventually(h.client, {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      namespace: 'red-ns',
      name: 'deny',
    });
    assert.equal(np.metadata.labels?.['created-by'], 'kyverno');
    assert.ok(
      await staysGone(h, {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        namespace: 'green-ns',
        name: 'deny',
      }),
    );
  } finally {
    await h.stop();
  }
});

test('foreach generates one object per element passing the per-element preconditions; dropping an element prunes its object', async () => {
  const h = await startHarness();
  try {
    await apply(
      h.client,
      `apiVersion: v1
kind: Namespace
metadata: {name: foreach-ns-1}
---
apiVersion: v1
kind: Namespace
metadata: {name: foreach-ns-2}
---
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata: {name: fe}
spec:
  rules:
  - name: per-ns
    match: {any: [{resources: {kinds: [ConfigMap], names: [targets]}}]}
    generate:
      synchronize: true
      foreach:
      - list: request.object.data.namespaces | split(@, ',')
        context:
        - name: ns
          variable: {jmesPath: element}
        preconditions:
          any:
          - {key: "{{ ns }}", operator: AnyIn, value: [foreach-ns-1, foreach-ns-2]}
        apiVersion: v1
        kind: ConfigMap
        name: "copy-{{ elementIndex }}"
        namespace: "{{ ns }}"
        data: {data: {from: "{{ request.object.metadata.namespace }}"}}
`,
    );
    await apply(
      h.client,
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: targets, namespace: default}\ndata: {namespaces: "foreach-ns-1,other,foreach-ns-2"}\n',
    );
    const a = await eventually(h.client, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      namespace: 'foreach-ns-1',
      name: 'copy-0',
    });
    assert.deepEqual(a['data'], { from: 'default' });
    // elementIndex is the position in the original list, also when earlier elements were skipped.
    await eventually(h.client, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      namespace: 'foreach-ns-2',
      name: 'copy-2',
    });
    await apply(
      h.client,
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: targets, namespace: default}\ndata: {namespaces: "foreach-ns-1"}\n',
    );
    await eventuallyGone(h.client, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      namespace: 'foreach-ns-2',
      name: 'copy-2',
    });
    await eventually(h.client, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      namespace: 'foreach-ns-1',
      name: 'copy-0',
    });
  } finally {
    await h.stop();
  }
});

test('deleting the trigger deletes synchronized downstream in other namespaces; removing a rule deletes its data downstream', async () => {
  const h = await startHarness();
  try {
    const policy = (rules: string): string => `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata: {name: cm}
spec:
  rules:${rules}
`;
    const rule = (name: string): string => `
  - name: ${name}
    match: {any: [{resources: {kinds: [ConfigMap], namespaces: [default], names: ["trigger"]}}]}
    generate:
      synchronize: true
      apiVersion: v1
      kind: ConfigMap
      name: ${name}-out
      namespace: target
      data: {data: {x: "1"}}`;
    await apply(h.client, 'apiVersion: v1\nkind: Namespace\nmetadata: {name: target}\n');
    await apply(h.client, policy(rule('one') + rule('two')));
    await apply(h.client, 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: trigger, namespace: default}\n');
    await eventually(h.client, { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'target', name: 'one-out' });
    await eventually(h.client, { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'target', name: 'two-out' });

    await apply(h.client, policy(rule('one')));
    await eventuallyGone(h.client, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      namespace: 'target',
      name: 'two-out',
    });

    await h.client.delete({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'default', name: 'trigger' });
    await eventuallyGone(h.client, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      namespace: 'target',
      name: 'one-out',
    });
  } finally {
    await h.stop();
  }
});

test('a rule listing DELETE generates when its trigger is deleted, and the downstream stays', async () => {
  const h = await startHarness();
  try {
    await apply(
      h.client,
      `apiVersion: v1
kind: Namespace
metadata: {name: manifest-ns}
---
apiVersion: v1
kind: Namespace
metadata: {name: trigger-ns, labels: {downstream: manifest-ns}}
---
apiVersion: v1
kind: Secret
metadata: {name: regcred, namespace: manifest-ns}
data: {foo: YmFy}
---
apiVersion: kyverno.io/v2beta1
kind: ClusterPolicy
metadata: {name: on-delete}
spec:
  rules:
  - name: clone-secret
    match: {any: [{resources: {kinds: [Namespace], operations: [DELETE]}}]}
    generate:
      apiVersion: v1
      kind: Secret
      name: out
      namespace: '{{request.object.metadata.labels.downstream}}'
      synchronize: true
      clone: {name: regcred, namespace: manifest-ns}
`,
    );
    const out = { apiVersion: 'v1', kind: 'Secret', namespace: 'manifest-ns', name: 'out' };
    assert.ok(await staysGone(h, out), 'nothing before the deletion');
    await h.client.delete({ apiVersion: 'v1', kind: 'Namespace', name: 'trigger-ns' });
    const secret = await eventually(h.client, out);
    assert.deepEqual(secret['data'], { foo: 'YmFy' });
    assert.ok(!(await staysGone(h, out)), 'kept although its trigger is gone');
  } finally {
    await h.stop();
  }
});

test('a rule with neither data nor clone generates a bare object (name from a wildcard-matched trigger), as Kyverno does', async () => {
  const h = await startHarness();
  try {
    await apply(h.client, 'apiVersion: v1\nkind: Namespace\nmetadata: {name: tst-home-dev}\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: prod-home}\n');
    await apply(
      h.client,
      `
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata: {name: default-sa}
spec:
  rules:
  - name: sa
    match: {any: [{resources: {kinds: [Namespace], names: ["tst-*"]}}]}
    generate:
      generateExisting: true
      apiVersion: v1
      kind: ServiceAccount
      namespace: "{{request.object.metadata.name}}"
      name: "{{ split(request.object.metadata.name, '-') | [1] }}"
`,
    );
    const sa = await eventually(h.client, { apiVersion: 'v1', kind: 'ServiceAccount', namespace: 'tst-home-dev', name: 'home' });
    assert.equal(sa.metadata.labels?.['generate.kyverno.io/policy-name'], 'default-sa');
    assert.ok(await staysGone(h, { apiVersion: 'v1', kind: 'ServiceAccount', namespace: 'prod-home', name: 'home' }));
  } finally {
    await h.stop();
  }
});
