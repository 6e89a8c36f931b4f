import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/kube.js';
import { readRecord, recordName, recordObject } from './admission-record.js';

const trigger = { apiVersion: 'v1', kind: 'Namespace', namespace: '', name: 'team-a', uid: 'u1' };
const user = { userInfo: { username: 'nancy', groups: ['devs'] }, roles: ['dev:editor'], clusterRoles: ['view'] };

test('a record reads back as written: policy, rules and triggers, requester, operation, old object', () => {
  const old: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a', labels: { a: 'b' } } };
  const o = recordObject('sprout', recordName('req', 'p'), 'p', [{ rule: 'r1', trigger }, { rule: 'r2', trigger }], { operation: 'UPDATE', user, oldObject: old });
  assert.deepEqual(readRecord(o), {
    namespace: 'sprout',
    name: recordName('req', 'p'),
    policy: 'p',
    rules: [{ rule: 'r1', trigger }, { rule: 'r2', trigger }],
    admission: { operation: 'UPDATE', user, oldObject: old },
    state: 'Pending',
    ownedBySprout: true,
  });
});

test('record names are stable per (request, policy), distinct otherwise, and valid object names', () => {
  assert.equal(recordName('req', 'p'), recordName('req', 'p'));
  assert.notEqual(recordName('req', 'p'), recordName('req', 'ns/p'));
  assert.match(recordName('req', 'p'), /^[a-z0-9-]{1,63}$/);
});

test("Kyverno's own UpdateRequests are read too: state, legacy rule/resource form, foreign ownership", () => {
  const ur = (spec: object, status?: object): KubeObject => ({ apiVersion: 'kyverno.io/v2', kind: 'UpdateRequest', metadata: { name: 'ur-1', namespace: 'kyverno' }, spec, ...(status ? { status } : {}) });
  const legacy = readRecord(ur({ requestType: 'generate', policy: 'p', rule: 'r', resource: trigger, context: { userInfo: {}, admissionRequestInfo: { operation: 'CREATE' } } }, { state: 'Failed' }));
  assert.deepEqual(legacy?.rules, [{ rule: 'r', trigger }]);
  assert.equal(legacy?.state, 'Failed');
  assert.equal(legacy?.ownedBySprout, false);
  assert.deepEqual(legacy?.admission, { operation: 'CREATE' });
  assert.equal(readRecord(ur({ requestType: 'mutate', policy: 'p', rule: 'r' })), undefined);
  assert.equal(readRecord(ur({ requestType: 'generate', policy: '' })), undefined);
});
