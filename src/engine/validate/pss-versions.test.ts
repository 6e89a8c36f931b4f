// podSecurity.version: which checks a pinned Kubernetes minor runs (pod-security-admission's check
// versions, run as Kyverno runs them: every version of a check up to the pinned minor).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { JsonObject } from '../../api/json.js';
import { validatePodSecurity } from './pod-security.js';
import { parsePssVersion } from './pss-versions.js';

/** A Pod that passes restricted at every version, changed by `edit`. */
function pod(edit: (spec: JsonObject, metadata: JsonObject) => void = () => undefined): JsonObject {
  const container: JsonObject = {
    name: 'app',
    image: 'nginx:1.2',
    securityContext: {
      allowPrivilegeEscalation: false,
      runAsNonRoot: true,
      capabilities: { drop: ['ALL'] },
    },
  };
  const spec: JsonObject = {
    securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
    containers: [container],
  };
  const metadata: JsonObject = { name: 'p', namespace: 'default' };
  edit(spec, metadata);
  return { apiVersion: 'v1', kind: 'Pod', metadata, spec };
}

const containerSc = (spec: JsonObject): JsonObject =>
  ((spec['containers'] as JsonObject[])[0] as JsonObject)['securityContext'] as JsonObject;
const podSc = (spec: JsonObject): JsonObject => spec['securityContext'] as JsonObject;

/** The controls a rule reports ([] when it passes), or 'error'. */
function controls(level: string, version: string | undefined, resource: JsonObject): string[] | 'error' {
  const v = validatePodSecurity('pss', version === undefined ? { level } : { level, version }, resource);
  if (v.status === 'error') return 'error';
  if (v.status === 'pass') return [];
  return [...v.message.matchAll(/Forbidden reason: ([^,]+),/g)].map((m) => m[1] ?? '');
}

const noDropAll = pod((s) => delete (containerSc(s)['capabilities'] as JsonObject)['drop']);
const rootUser = pod((s) => (containerSc(s)['runAsUser'] = 0));
const noSeccomp = pod((s) => delete podSc(s)['seccompProfile']);
const escalation = pod((s) => delete containerSc(s)['allowPrivilegeEscalation']);
const keepalive = pod((s) => (podSc(s)['sysctls'] = [{ name: 'net.ipv4.tcp_keepalive_time', value: '60' }]));
const engineType = pod((s) => (containerSc(s)['seLinuxOptions'] = { type: 'container_engine_t' }));
const unconfinedAnnotation = pod(
  (_s, m) => (m['annotations'] = { 'seccomp.security.alpha.kubernetes.io/pod': 'unconfined' }),
);
const unconfinedField = pod((s) => (podSc(s)['seccompProfile'] = { type: 'Unconfined' }));

const cases: [string, string, string | undefined, JsonObject, string[] | 'error'][] = [
  ['compliant pod, latest', 'restricted', undefined, pod(), []],
  ['compliant pod, v1.0', 'restricted', 'v1.0', pod(), []],
  ['capabilities: checked from 1.22', 'restricted', 'v1.22', noDropAll, ['Capabilities']],
  ['capabilities: not before 1.22', 'restricted', 'v1.21', noDropAll, []],
  ['capabilities: latest', 'restricted', 'latest', noDropAll, ['Capabilities']],
  ['runAsUser 0: checked from 1.23', 'restricted', 'v1.23', rootUser, ['Running as Non-root user']],
  ['runAsUser 0: not before 1.23', 'restricted', 'v1.22', rootUser, []],
  ['no seccomp: restricted from 1.19', 'restricted', 'v1.19', noSeccomp, ['Seccomp']],
  ['no seccomp: not before 1.19', 'restricted', 'v1.18', noSeccomp, []],
  ['privilege escalation: from 1.8', 'restricted', 'v1.8', escalation, ['Privilege Escalation']],
  ['privilege escalation: not before 1.8', 'restricted', 'v1.7', escalation, []],
  ['newer safe sysctl: allowed by latest', 'baseline', 'latest', keepalive, []],
  ['newer safe sysctl: pinned versions also run the 1.0 list', 'baseline', 'v1.29', keepalive, ['Sysctls']],
  ['container_engine_t: allowed by latest', 'baseline', undefined, engineType, []],
  ['container_engine_t: pinned versions also run the 1.0 list', 'baseline', 'v1.31', engineType, ['SELinux']],
  ['seccomp annotation: not read by latest', 'baseline', 'latest', unconfinedAnnotation, []],
  ['seccomp annotation: read by pinned versions', 'baseline', 'v1.18', unconfinedAnnotation, ['Seccomp']],
  ['seccomp annotation: still read at 1.19', 'baseline', 'v1.19', unconfinedAnnotation, ['Seccomp']],
  ['seccomp field: checked from 1.19', 'baseline', 'v1.19', unconfinedField, ['Seccomp']],
  ['seccomp field: not before 1.19', 'baseline', 'v1.18', unconfinedField, []],
  ['restricted checks stay off for baseline', 'baseline', 'v1.25', noDropAll, []],
  ['an unknown version is an error', 'baseline', 'v2.0', pod(), 'error'],
  ['a version without the v is an error', 'baseline', '1.24', pod(), 'error'],
];

for (const [name, level, version, resource, want] of cases) {
  test(`podSecurity ${level}:${version ?? '(default)'}: ${name}`, () => {
    assert.deepEqual(controls(level, version, resource), want);
  });
}

test('the message names the pinned version', () => {
  const v = validatePodSecurity('pss', { level: 'restricted', version: 'v1.22' }, noDropAll);
  assert.equal(v.status, 'fail');
  assert.match(v.message, /^Validation rule 'pss' failed\. It violates PodSecurity "restricted:v1\.22": /);
  assert.match(v.message, /capabilities is forbidden, forbidden values found: \[drop:ALL missing\]/);
});

test('versions the library accepts', () => {
  const parsed = ['latest', '', 'v1.0', 'v1.25', 'v1.100', 'v1.01', 'v1', 'V1.2', 'v1.2.3'].map((v) =>
    parsePssVersion(v),
  );
  assert.deepEqual(parsed, ['latest', 'latest', 0, 25, 100, undefined, undefined, undefined, undefined]);
});
