// Whether Sprout may do what a policy's generate rules will ask of it. Kyverno refuses a generate
// policy whose targets its background controller cannot manage (a SubjectAccessReview per verb); so
// does Sprout, with a message naming each missing verb, resource and namespace, instead of failing
// later, trigger by trigger, in the background.
//
// Verbs follow Kyverno: a target needs get and create, plus update and delete when the rule is
// synchronized. Sprout also reads clone sources itself: get for `clone`, list for `cloneList`.
// A kind or apiVersion written with a variable cannot be known ahead and is not checked; a namespace
// written with one may be any namespace, so it is checked cluster-wide.
import type { KyvernoPolicy } from '../api/policy.js';
import type { GeneratePattern } from '../api/policy.js';
import type { AccessAttributes, AccessDecision, ClusterClient, ResourceInfo } from '../cluster/client.js';
import type { PolicyProblem } from '../policy/problems.js';

export type PermissionRole = 'target' | 'clone source';

/** One kind in one namespace that a generate rule (or one of its foreach entries) acts on. */
export interface PermissionCheck {
  /** The rule's generate block (or foreach entry) the check comes from: `spec.rules[0].generate`. */
  path: string;
  apiVersion: string;
  kind: string;
  subresource?: string;
  /** Undefined: every namespace (a variable, or none given, e.g. a cluster-scoped kind). */
  namespace?: string;
  verbs: string[];
  role: PermissionRole;
}

const variable = /\{\{/;

function fixed(value: string | undefined): string | undefined {
  return value === undefined || value === '' || variable.test(value) ? undefined : value;
}

/** `Secret`, `v1/Secret`, `apps/v1/Deployment` (a cloneList entry) into apiVersion and kind. */
function splitKindEntry(entry: string): { apiVersion: string; kind: string } {
  const i = entry.lastIndexOf('/');
  return i < 0 ? { apiVersion: 'v1', kind: entry } : { apiVersion: entry.slice(0, i), kind: entry.slice(i + 1) };
}

function targetVerbs(synchronize: boolean): string[] {
  return synchronize ? ['get', 'create', 'update', 'delete'] : ['get', 'create'];
}

function patternChecks(p: GeneratePattern, path: string, synchronize: boolean): PermissionCheck[] {
  const out: PermissionCheck[] = [];
  const add = (
    apiVersion: string | undefined,
    kindText: string | undefined,
    namespace: string | undefined,
    verbs: string[],
    role: PermissionRole,
  ): void => {
    if (!apiVersion || !kindText || variable.test(apiVersion) || variable.test(kindText) || kindText.includes('*')) return;
    const [kind = '', subresource] = kindText.split('/');
    const check: PermissionCheck = { path, apiVersion, kind, verbs, role };
    if (subresource !== undefined && subresource !== '') check.subresource = subresource;
    const ns = fixed(namespace);
    if (ns !== undefined) check.namespace = ns;
    out.push(check);
  };
  const cloneKinds = p.cloneList?.kinds ?? [];
  if (cloneKinds.length > 0) {
    for (const entry of cloneKinds) {
      const { apiVersion, kind } = splitKindEntry(entry);
      add(apiVersion, kind, p.namespace, targetVerbs(synchronize), 'target');
      add(apiVersion, kind, p.cloneList?.namespace, ['list'], 'clone source');
    }
    return out;
  }
  add(p.apiVersion, p.kind, p.namespace, targetVerbs(synchronize), 'target');
  if (p.clone?.name) add(p.apiVersion, p.kind, p.clone.namespace, ['get'], 'clone source');
  return out;
}

/** Every (kind, namespace, verbs) a policy's generate rules need Sprout to be allowed. */
export function generatePermissionChecks(policy: KyvernoPolicy): PermissionCheck[] {
  const out: PermissionCheck[] = [];
  policy.spec.rules.forEach((rule, i) => {
    const g = rule.generate;
    if (!g) return;
    const path = `spec.rules[${i}].generate`;
    const synchronize = g.synchronize === true;
    out.push(...patternChecks(g, path, synchronize));
    (g.foreach ?? []).forEach((fe, j) => out.push(...patternChecks(fe, `${path}.foreach[${j}]`, synchronize)));
  });
  return out;
}

/** What the check needs from a cluster: discovery, and (when the client can) access reviews. */
export type AccessPort = Pick<ClusterClient, 'resolveKind' | 'reviewAccess'>;

export const PERMISSION_HINT =
  'grant it with a ClusterRole labelled rbac.sprout.io/aggregate-to-generate: "true" (or Kyverno\'s rbac.kyverno.io/aggregate-to-background-controller: "true")';

function resourceName(info: ResourceInfo, subresource: string | undefined): string {
  const name = info.group === '' ? info.resource : `${info.resource}.${info.group}`;
  return subresource === undefined ? name : `${name} (subresource ${subresource})`;
}

/** The sentence naming what is missing. */
export function permissionMessage(
  check: Pick<PermissionCheck, 'namespace' | 'role' | 'subresource'>,
  info: ResourceInfo,
  missing: string[],
): string {
  let where = '';
  if (info.namespaced) where = check.namespace === undefined ? ' in all namespaces' : ` in namespace ${JSON.stringify(check.namespace)}`;
  const role = check.role === 'clone source' ? ' (the clone source)' : '';
  return `Sprout's service account lacks permission to ${missing.join(', ')} ${resourceName(info, check.subresource)}${where}${role}; ${PERMISSION_HINT}`;
}

/**
 * Runs the policy's checks through the cluster's access reviews. One problem (severity error) per
 * check with missing verbs. A client that cannot review access yields no problems. Review failures
 * (the API server unreachable) are thrown: the caller decides whether that refuses the policy.
 */
export async function checkGeneratePermissions(policy: KyvernoPolicy, cluster: AccessPort): Promise<PolicyProblem[]> {
  if (cluster.reviewAccess === undefined) return [];
  const review = cluster.reviewAccess.bind(cluster);
  const file = `${policy.kind}/${policy.metadata.name}`;
  const answers = new Map<string, Promise<AccessDecision>>();
  const ask = (attrs: AccessAttributes): Promise<AccessDecision> => {
    const key = JSON.stringify([attrs.verb, attrs.group, attrs.resource, attrs.subresource, attrs.namespace]);
    let answer = answers.get(key);
    if (answer === undefined) {
      answer = review(attrs);
      answers.set(key, answer);
    }
    return answer;
  };
  const problems: PolicyProblem[] = [];
  for (const check of generatePermissionChecks(policy)) {
    const info = await cluster.resolveKind({ apiVersion: check.apiVersion, kind: check.kind });
    // An unknown kind is the schema checks' finding (and Kyverno's warning), not a permission problem.
    if (info === undefined) continue;
    const namespace = info.namespaced ? check.namespace : undefined;
    const decisions = await Promise.all(
      check.verbs.map((verb) =>
        ask({ verb, group: info.group, resource: info.resource, subresource: check.subresource, namespace }),
      ),
    );
    const missing = check.verbs.filter((_, i) => decisions[i]?.allowed !== true);
    if (missing.length === 0) continue;
    problems.push({
      file,
      path: check.path,
      severity: 'error',
      message: permissionMessage({ ...check, namespace }, info, missing),
    });
  }
  return problems;
}
