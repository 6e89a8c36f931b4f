// Shared fixtures for the match tests: objects, users and a table runner (one node:test per row).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RequestUser } from '../../api/admission.js';
import type { KubeObject, ObjectMeta } from '../../api/kube.js';
import { gvkOf } from '../../api/kube.js';
import type { MatchResources } from '../../api/policy.js';
import type { MatchInput } from './match-rule.js';
import { matchesRule } from './match-rule.js';

export function obj(apiVersion: string, kind: string, metadata: ObjectMeta): KubeObject {
  return { apiVersion, kind, metadata };
}

export function pod(name: string, namespace = 'default', extra: Partial<ObjectMeta> = {}): KubeObject {
  return obj('v1', 'Pod', { name, namespace, ...extra });
}

export function user(
  username: string,
  opts: Partial<Omit<RequestUser, 'userInfo'>> & { groups?: string[] } = {},
): RequestUser {
  return {
    userInfo: { username, groups: opts.groups ?? ['system:authenticated'] },
    roles: opts.roles ?? [],
    clusterRoles: opts.clusterRoles ?? [],
  };
}

export interface Case {
  name: string;
  /** Defaults: pod "web" in "default", operation CREATE, no user. */
  input?: Partial<MatchInput>;
  match: MatchResources;
  exclude?: MatchResources;
  /** true = matched; a string = not matched and the reason contains it. */
  want: true | string;
}

export function runCases(cases: readonly Case[]): void {
  for (const c of cases) {
    void test(c.name, () => check(c));
  }
}

function check(c: Case): void {
  const resource = c.input?.resource ?? pod('web');
  const input: MatchInput = { resource, gvk: gvkOf(resource), operation: 'CREATE', ...c.input };
  const got = matchesRule(input, c.match, c.exclude);
  // Without explanations the verdict is the same, also when answered again (kind-only blocks are
  // answered from the previous call).
  for (let i = 0; i < 2; i++)
    assert.equal(matchesRule(input, c.match, c.exclude, false).matched, got.matched);
  if (c.want === true) {
    assert.deepEqual(got, { matched: true });
    return;
  }
  assert.equal(got.matched, false, 'expected no match');
  if (!got.matched) assert.ok(got.reason.includes(c.want), `reason "${got.reason}" lacks "${c.want}"`);
}
