// The /validate and /mutate handlers over a fixed policy set: Kyverno's deny message, Audit warnings,
// failurePolicy, JSONPatch answers, report hand-off and the generate hand-off.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AdmissionRequest, AdmissionResponse } from '../api/admission.js';
import type { KubeObject } from '../api/kube.js';
import type { KyvernoPolicy, Rule } from '../api/policy.js';
import { MemoryCluster } from '../cluster/memory/index.js';
import { emptyLookup } from '../engine/env.js';
import type { PolicyValidation } from '../pipeline/admission.js';
import { PERMISSION_HINT } from '../pipeline/generate-permissions.js';
import { admissionRoutes } from './handlers.js';
import type { HandlerDeps } from './handlers.js';

const env = { now: () => 0, random: () => 0.5, lookup: emptyLookup };

function policy(name: string, rules: Rule[], spec: Partial<KyvernoPolicy['spec']> = {}): KyvernoPolicy {
  return { apiVersion: 'kyverno.io/v1', kind: 'ClusterPolicy', metadata: { name }, spec: { rules, ...spec } };
}

const podRule = (name: string, body: Partial<Rule>): Rule => ({
  name,
  match: { any: [{ resources: { kinds: ['Pod'] } }] },
  ...body,
});

const requireTeam = podRule('check-team', {
  validate: { message: 'label team is required', pattern: { metadata: { labels: { team: '?*' } } } },
});
const noLatest = podRule('no-latest', {
  validate: { message: 'no latest tag', pattern: { spec: { containers: [{ image: '!*:latest' }] } } },
});
const addLabel = podRule('add-label', {
  mutate: { patchStrategicMerge: { metadata: { labels: { '+(owner)': 'platform' } } } },
});

function pod(labels: Record<string, string> = {}, image = 'nginx:1.27'): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', namespace: 'team-a', labels },
    spec: { containers: [{ name: 'c', image }] },
  };
}

function request(object: KubeObject, extra: Partial<AdmissionRequest> = {}): AdmissionRequest {
  return {
    uid: 'u-1',
    kind: { group: '', version: 'v1', kind: 'Pod' },
    resource: { group: '', version: 'v1', resource: 'pods' },
    name: object.metadata.name,
    namespace: object.metadata.namespace,
    operation: 'CREATE',
    userInfo: { username: 'alice' },
    object,
    ...extra,
  };
}

function routes(policies: KyvernoPolicy[], extra: Partial<HandlerDeps> = {}) {
  const r = admissionRoutes({ policies: { candidates: () => policies }, env, ...extra });
  const call = (path: '/validate' | '/mutate', req: AdmissionRequest): Promise<AdmissionResponse> => {
    const h = r[path];
    if (!h) throw new Error(`no ${path}`);
    return h(req);
  };
  return call;
}

test('Enforce failures deny with Kyverno\'s message; passes allow', async () => {
  const call = routes([
    policy('require-team', [requireTeam], { validationFailureAction: 'Enforce' }),
    policy('no-latest', [noLatest], { validationFailureAction: 'Enforce' }),
  ]);
  const denied = await call('/validate', request(pod({}, 'nginx:latest')));
  assert.equal(denied.allowed, false);
  assert.equal(denied.status?.code, 400);
  assert.equal(
    denied.status?.message,
    '\n\nresource Pod/team-a/web was blocked due to the following policies \n\n' +
      'require-team:\n' +
      "  check-team: 'validation error: label team is required. rule check-team failed at\n" +
      "    path /metadata/labels/team/'\n" +
      'no-latest:\n' +
      "  no-latest: 'validation error: no latest tag. rule no-latest failed at path\n" +
      "    /spec/containers/0/image/'\n",
  );
  const ok = await call('/validate', request(pod({ team: 'a' })));
  assert.deepEqual(ok, { uid: 'u-1', allowed: true });
});

test('Audit failures allow with warnings in Kyverno\'s format', async () => {
  const call = routes([policy('require-team', [requireTeam], { validationFailureAction: 'Audit' })]);
  const r = await call('/validate', request(pod()));
  assert.equal(r.allowed, true);
  assert.deepEqual(r.warnings, [
    'policy require-team.check-team: validation error: label team is required. rule check-team failed at path /metadata/labels/team/',
  ]);
});

test('rule errors block under Enforce unless failurePolicy is Ignore', async () => {
  const erroring = podRule('cel-error', { validate: { cel: { expressions: [{ expression: 'object.spec.nope' }] } } });
  const fail = routes([policy('p', [erroring], { validationFailureAction: 'Enforce' })]);
  const r1 = await fail('/validate', request(pod()));
  assert.equal(r1.allowed, false);
  assert.match(r1.status?.message ?? '', /p:\n {2}cel-error: "expression 'object\.spec\.nope' resulted in error: field not found: nope"\n$/);
  const ignore = routes([policy('p', [erroring], { validationFailureAction: 'Enforce', failurePolicy: 'Ignore' })]);
  const r2 = await ignore('/validate', request(pod()));
  assert.equal(r2.allowed, true);
  assert.equal(r2.warnings?.length, 1);
  assert.match(r2.warnings?.[0] ?? '', /^policy p\.cel-error: expression 'object\.spec\.nope' resulted in error/);
});

test('an engine exception follows the policy\'s failurePolicy', async () => {
  const brokenEnv = { ...env, now: () => 0 };
  const bad = { ...requireTeam, match: null } as unknown as Rule;
  const fail = admissionRoutes({ policies: { candidates: () => [policy('boom', [bad])] }, env: brokenEnv });
  const r1 = await fail['/validate']?.(request(pod()));
  assert.equal(r1?.allowed, false);
  assert.match(r1?.status?.message ?? '', /boom:\n {2}policy-error: /);
  const ignore = admissionRoutes({
    policies: { candidates: () => [policy('boom', [bad], { webhookConfiguration: { failurePolicy: 'Ignore' } })] },
    env: brokenEnv,
  });
  const r2 = await ignore['/validate']?.(request(pod()));
  assert.equal(r2?.allowed, true);
  assert.match(r2?.warnings?.[0] ?? '', /^policy boom\.policy-error: /);
});

test('mutate answers a base64 JSONPatch that applies every policy in turn', async () => {
  const second = podRule('set-sa', { mutate: { patchStrategicMerge: { spec: { serviceAccountName: 'restricted' } } } });
  const call = routes([policy('add-owner', [addLabel]), policy('set-sa', [second])]);
  const r = await call('/mutate', request(pod({ team: 'a' })));
  assert.equal(r.allowed, true);
  assert.equal(r.patchType, 'JSONPatch');
  const patch = JSON.parse(Buffer.from(r.patch ?? '', 'base64').toString('utf8')) as { path: string }[];
  assert.deepEqual(patch.sort((a, b) => a.path.localeCompare(b.path)), [
    { op: 'add', path: '/metadata/labels/owner', value: 'platform' },
    { op: 'add', path: '/spec/serviceAccountName', value: 'restricted' },
  ]);
  const none = await call('/mutate', request(pod({ owner: 'me' }), { operation: 'DELETE', object: null, oldObject: pod() }));
  assert.deepEqual(none, { uid: 'u-1', allowed: true });
});

test('mutate without changes answers no patch; validate sees no mutate policies', async () => {
  const call = routes([policy('add-owner', [addLabel])]);
  const r = await call('/mutate', request(pod({ owner: 'me' })));
  assert.deepEqual(r, { uid: 'u-1', allowed: true });
  const v = await call('/validate', request(pod()));
  assert.deepEqual(v, { uid: 'u-1', allowed: true });
});

test('allowed results go to reports and generate; denied and dry-run ones do not', async () => {
  const recorded: PolicyValidation[][] = [];
  const generated: string[] = [];
  const call = routes([policy('require-team', [requireTeam], { validationFailureAction: 'Enforce' })], {
    reports: { recordAdmission: (_req, results) => recorded.push(results) },
    generate: { handleAdmission: (req) => void generated.push(req.uid) },
  });
  await call('/validate', request(pod({ team: 'a' })));
  await call('/validate', request(pod({ team: 'a' }), { uid: 'dry', dryRun: true }));
  await call('/validate', request(pod(), { uid: 'denied' }));
  assert.equal(recorded.length, 1);
  assert.deepEqual(recorded[0]?.map((r) => [r.policy.metadata.name, r.rules.map((x) => x.status)]), [
    ['require-team', ['pass']],
  ]);
  assert.deepEqual(generated, ['u-1']);
});

test('spec.admission: false keeps a policy out of admission', async () => {
  const call = routes([policy('bg-only', [requireTeam], { validationFailureAction: 'Enforce', admission: false })]);
  assert.deepEqual(await call('/validate', request(pod())), { uid: 'u-1', allowed: true });
});

// /policy-validate and Sprout's own permissions (a SelfSubjectAccessReview per verb, like Kyverno).
const npPolicy = (kind: 'ClusterPolicy' | 'Policy', namespace: string): KubeObject => ({
  apiVersion: 'kyverno.io/v1',
  kind,
  metadata: kind === 'Policy' ? { name: 'np', namespace: 'team' } : { name: 'np' },
  spec: {
    rules: [
      {
        name: 'default-deny',
        match: { any: [{ resources: { kinds: ['ConfigMap'] } }] },
        generate: {
          apiVersion: 'networking.k8s.io/v1',
          kind: 'NetworkPolicy',
          name: 'default-deny',
          namespace,
          synchronize: true,
          data: { spec: { podSelector: {} } },
        },
      },
    ],
  },
});

function policyRequest(object: KubeObject, operation: AdmissionRequest['operation'] = 'CREATE'): AdmissionRequest {
  return request(object, {
    kind: { group: 'kyverno.io', version: 'v1', kind: object.kind },
    resource: { group: 'kyverno.io', version: 'v1', resource: object.kind === 'Policy' ? 'policies' : 'clusterpolicies' },
    operation,
  });
}

test('/policy-validate refuses a generate policy whose targets Sprout may not manage, naming what is missing', async () => {
  const cluster = new MemoryCluster();
  const validate = admissionRoutes({ access: cluster })['/policy-validate'];
  assert.ok(validate);
  const allowed = await validate(policyRequest(npPolicy('ClusterPolicy', 'team')));
  assert.equal(allowed.allowed, true);

  cluster.denyAccess({ group: 'networking.k8s.io', resource: 'networkpolicies', verb: 'delete', namespace: 'team' });
  const refused = await validate(policyRequest(npPolicy('ClusterPolicy', 'team')));
  assert.equal(refused.allowed, false);
  assert.equal(
    refused.status?.message,
    `policy np cannot be applied: spec.rules[0].generate: Sprout's service account lacks permission to delete networkpolicies.networking.k8s.io in namespace "team"; ${PERMISSION_HINT}`,
  );
  // Other namespaces are unaffected; deleting a policy needs nothing.
  assert.equal((await validate(policyRequest(npPolicy('ClusterPolicy', 'elsewhere')))).allowed, true);
  assert.equal((await validate(policyRequest(npPolicy('ClusterPolicy', 'team'), 'DELETE'))).allowed, true);
});

test('/policy-validate: no access port, no permission check; a failing review refuses', async () => {
  const cluster = new MemoryCluster();
  cluster.denyAccess({});
  const unchecked = admissionRoutes({})['/policy-validate'];
  assert.equal((await unchecked?.(policyRequest(npPolicy('ClusterPolicy', 'team'))))?.allowed, true);
  const failing = admissionRoutes({
    access: { resolveKind: (r) => cluster.resolveKind(r), reviewAccess: () => Promise.reject(new Error('timeout')) },
  })['/policy-validate'];
  const answer = await failing?.(policyRequest(npPolicy('ClusterPolicy', 'team')));
  assert.equal(answer?.allowed, false);
  assert.equal(answer?.status?.message, "policy np: could not check Sprout's permissions: timeout");
});

test('/policy-validate: a namespaced Policy generates only into its own namespace', async () => {
  const validate = admissionRoutes({ access: new MemoryCluster() })['/policy-validate'];
  assert.equal((await validate?.(policyRequest(npPolicy('Policy', 'team'))))?.allowed, true);
  const outside = await validate?.(policyRequest(npPolicy('Policy', 'other')));
  assert.equal(outside?.allowed, false);
  assert.match(outside?.status?.message ?? '', /spec\.rules\[0\]\.generate\.namespace: a namespaced Policy can only generate into its own namespace "team", not "other"/);
});
