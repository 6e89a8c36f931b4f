import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ruleMatches, selectorMatches } from './matching.js';
import type { AdmissionAttributes, RuleWithOperations } from './types.js';

const attrs = (resource: string, subResource = '', namespaced = true): AdmissionAttributes => ({
  operation: 'UPDATE',
  kind: { group: 'apps', version: 'v1', kind: 'Deployment' },
  resource: { group: 'apps', version: 'v1', resource },
  subResource, namespaced, namespace: 'default', name: 'x',
  userInfo: { username: 'u' }, dryRun: false, options: {},
});

describe('webhook rule matching', () => {
  const base: RuleWithOperations = { operations: ['UPDATE'], apiGroups: ['apps'], apiVersions: ['v1'] };
  const cases: [string, RuleWithOperations, AdmissionAttributes, boolean][] = [
    ['exact resource', { ...base, resources: ['deployments'] }, attrs('deployments'), true],
    ['resource does not match its subresource', { ...base, resources: ['deployments'] }, attrs('deployments', 'status'), false],
    ['explicit subresource', { ...base, resources: ['deployments/status'] }, attrs('deployments', 'status'), true],
    ['* is every resource but no subresource', { ...base, resources: ['*'] }, attrs('deployments', 'scale'), false],
    ['*/* is everything', { ...base, resources: ['*/*'] }, attrs('deployments', 'scale'), true],
    ['deployments/* includes the main resource', { ...base, resources: ['deployments/*'] }, attrs('deployments'), true],
    ['*/status', { ...base, resources: ['*/status'] }, attrs('replicasets', 'status'), true],
    ['operation mismatch', { ...base, operations: ['CREATE'], resources: ['*'] }, attrs('deployments'), false],
    ['operation *', { ...base, operations: ['*'], resources: ['*'] }, attrs('deployments'), true],
    ['group mismatch', { ...base, apiGroups: [''], resources: ['*'] }, attrs('deployments'), false],
    ['scope Cluster excludes namespaced', { ...base, resources: ['*'], scope: 'Cluster' }, attrs('deployments'), false],
    ['scope Namespaced', { ...base, resources: ['*'], scope: 'Namespaced' }, attrs('deployments'), true],
  ];
  for (const [name, rule, a, want] of cases) {
    it(name, () => assert.equal(ruleMatches(rule, a), want));
  }
});

describe('webhook label selectors', () => {
  it('matches metav1.LabelSelector semantics', () => {
    assert.equal(selectorMatches(undefined, undefined), true);
    assert.equal(selectorMatches({}, { a: 'b' }), true);
    assert.equal(selectorMatches({ matchLabels: { a: 'b' } }, { a: 'b' }), true);
    assert.equal(selectorMatches({ matchLabels: { a: 'b' } }, {}), false);
    assert.equal(selectorMatches({ matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['prod'] }] }, { env: 'dev' }), true);
    assert.equal(selectorMatches({ matchExpressions: [{ key: 'env', operator: 'Exists' }] }, {}), false);
  });
});
