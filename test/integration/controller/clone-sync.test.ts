// §3.7 rows for clone and cloneList rules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apply, eventually, eventuallyGone, startHarness, staysGone } from './harness.js';

const source = (data: string): string => `
apiVersion: v1
kind: Namespace
metadata: {name: platform}
---
apiVersion: v1
kind: Secret
metadata: {name: regcred, namespace: platform, labels: {share: "yes"}}
data: ${data}
`;
const clonePolicy = (sync: boolean): string => `
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata: {name: regcred}
spec:
  rules:
  - name: clone
    match: {any: [{resources: {kinds: [Namespace], names: ["team-*"]}}]}
    generate:
      apiVersion: v1
      kind: Secret
      name: regcred
      namespace: "{{request.object.metadata.name}}"
      synchronize: ${sync}
      clone: {namespace: platform, name: regcred}
`;
const copy = { apiVersion: 'v1', kind: 'Secret', namespace: 'team-a', name: 'regcred' };
const src = { apiVersion: 'v1', kind: 'Secret', namespace: 'platform', name: 'regcred' };
const teamA = 'apiVersion: v1\nkind: Namespace\nmetadata: {name: team-a}\n';

test('clone + sync: the copy follows its source (changed keys, removed keys) and goes when the source goes', async () => {
  const h = await startHarness();
  try {
    await apply(h.client, source('{a: YQ==, b: Yg==}'));
    await apply(h.client, clonePolicy(true));
    await apply(h.client, teamA);
    const c = await eventually(h.client, copy);
    assert.deepEqual(c['data'], { a: 'YQ==', b: 'Yg==' });
    assert.equal(c.metadata.labels?.['generate.kyverno.io/source-namespace'], 'platform');
    assert.equal((await h.client.get(src)).metadata.labels?.['generate.kyverno.io/clone-source'], '');

    await apply(h.client, source('{a: eg==}'));
    await eventually(
      h.client,
      copy,
      (o) => JSON.stringify(o['data']) === JSON.stringify({ a: 'eg==' }),
      'updated without key b',
    );

    await h.client.update({ ...(await h.client.get(copy)), data: { a: 'aGFja2Vk' } });
    await eventually(
      h.client,
      copy,
      (o) => JSON.stringify(o['data']) === JSON.stringify({ a: 'eg==' }),
      'reverted',
    );

    await h.client.delete(src);
    await eventuallyGone(h.client, copy);
  } finally {
    await h.stop();
  }
});

test('clone without sync: a source change is not propagated', async () => {
  const h = await startHarness();
  try {
    await apply(h.client, source('{a: YQ==}'));
    await apply(h.client, clonePolicy(false));
    await apply(h.client, teamA);
    await eventually(h.client, copy);
    await apply(h.client, source('{a: eg==}'));
    assert.ok(!(await staysGone(h, copy)));
    assert.deepEqual((await h.client.get(copy))['data'], { a: 'YQ==' });
  } finally {
    await h.stop();
  }
});

test('a clone source created after the policy and the trigger is picked up (Kyverno #10715)', async () => {
  const h = await startHarness();
  try {
    await apply(h.client, 'apiVersion: v1\nkind: Namespace\nmetadata: {name: platform}\n');
    await apply(h.client, clonePolicy(true));
    await apply(h.client, teamA);
    assert.ok(await staysGone(h, copy), 'nothing to copy yet');
    await apply(h.client, source('{a: YQ==}'));
    await eventually(h.client, copy, (o) => JSON.stringify(o['data']) === '{"a":"YQ=="}');
  } finally {
    await h.stop();
  }
});

test('policy deletion keeps clone downstream (Kyverno conformance), the opt-in annotation deletes it', async () => {
  const h = await startHarness();
  try {
    await apply(h.client, source('{a: YQ==}'));
    await apply(h.client, clonePolicy(true));
    await apply(h.client, teamA);
    await eventually(h.client, copy);
    await h.client.delete({ apiVersion: 'kyverno.io/v1', kind: 'ClusterPolicy', name: 'regcred' });
    assert.ok(!(await staysGone(h, copy)), 'kept');

    await h.client.delete(copy);
    await apply(
      h.client,
      clonePolicy(true).replace(
        'metadata: {name: regcred}',
        'metadata: {name: regcred, annotations: {sprout.io/delete-cloned-downstream: "true"}}',
      ),
    );
    await apply(h.client, 'apiVersion: v1\nkind: Namespace\nmetadata: {name: team-b}\n');
    const copyB = { ...copy, namespace: 'team-b' };
    await eventually(h.client, copyB);
    await h.client.delete({ apiVersion: 'kyverno.io/v1', kind: 'ClusterPolicy', name: 'regcred' });
    await eventuallyGone(h.client, copyB);
  } finally {
    await h.stop();
  }
});

test('cloneList with a selector copies labelled sources of several kinds, and follows them', async () => {
  const h = await startHarness();
  try {
    await apply(
      h.client,
      `${source('{a: YQ==}')}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: settings, namespace: platform, labels: {share: "yes"}}
data: {k: v}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: private, namespace: platform}
data: {k: secret}
---
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata: {name: share}
spec:
  rules:
  - name: share
    match: {any: [{resources: {kinds: [Namespace], names: ["team-*"]}}]}
    generate:
      namespace: "{{request.object.metadata.name}}"
      synchronize: true
      cloneList:
        namespace: platform
        kinds: [v1/Secret, v1/ConfigMap]
        selector: {matchLabels: {share: "yes"}}
`,
    );
    await apply(h.client, teamA);
    await eventually(h.client, copy);
    await eventually(h.client, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      namespace: 'team-a',
      name: 'settings',
    });
    assert.ok(
      await staysGone(h, { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'team-a', name: 'private' }),
      'unlabelled source not cloned',
    );
    await apply(
      h.client,
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings, namespace: platform, labels: {share: "yes"}}\ndata: {k: v2}\n',
    );
    await eventually(
      h.client,
      { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'team-a', name: 'settings' },
      (o) => JSON.stringify(o['data']) === '{"k":"v2"}',
    );
  } finally {
    await h.stop();
  }
});

test('an explicit orphanDownstreamOnPolicyDelete: false deletes clone downstream with the policy', async () => {
  const h = await startHarness();
  try {
    await apply(h.client, source('{a: YQ==}'));
    await apply(h.client, clonePolicy(true).replace('clone: {namespace: platform, name: regcred}', 'orphanDownstreamOnPolicyDelete: false\n      clone: {namespace: platform, name: regcred}'));
    await apply(h.client, teamA);
    await eventually(h.client, copy);
    await h.client.delete({ apiVersion: 'kyverno.io/v1', kind: 'ClusterPolicy', name: 'regcred' });
    await eventuallyGone(h.client, copy);
  } finally {
    await h.stop();
  }
});

test('a source namespace named by a variable: copies still follow their source', async () => {
  const h = await startHarness();
  try {
    await apply(h.client, source('{a: YQ==}'));
    await apply(
      h.client,
      `
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata: {name: regcred-list}
spec:
  rules:
  - name: clone-list
    match: {any: [{resources: {kinds: [Namespace], names: ["team-*"]}}]}
    context:
    - {name: from, variable: {value: platform}}
    generate:
      namespace: "{{request.object.metadata.name}}"
      synchronize: true
      cloneList: {namespace: "{{from}}", kinds: [v1/Secret], selector: {matchLabels: {share: "yes"}}}
`,
    );
    await apply(h.client, teamA);
    await eventually(h.client, copy, (o) => JSON.stringify(o['data']) === '{"a":"YQ=="}');
    await apply(h.client, source('{a: Yg==}'));
    await eventually(h.client, copy, (o) => JSON.stringify(o['data']) === '{"a":"Yg=="}', 'following the update');
  } finally {
    await h.stop();
  }
});
