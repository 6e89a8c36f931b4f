// The roles and cluster roles bound to whoever makes an admission request, which `match`/`exclude`
// `roles` and `clusterRoles` (and `request.roles`/`request.clusterRoles`) are checked against. Like
// Kyverno, a RoleBinding contributes "namespace:role" (or the ClusterRole it references) and a
// ClusterRoleBinding its ClusterRole, when one of its subjects is the user, one of the user's groups,
// or the user's service account (the caches live in admission-view.ts).
import type { UserInfo } from '../api/admission.js';
import type { KubeObject } from '../api/kube.js';

export interface RequesterRoles {
  roles: string[];
  clusterRoles: string[];
}

interface Subject {
  kind?: unknown;
  name?: unknown;
  namespace?: unknown;
}

function subjectsOf(binding: KubeObject): Subject[] {
  const s = (binding as { subjects?: unknown }).subjects;
  return Array.isArray(s) ? (s.filter((x) => typeof x === 'object' && x !== null) as Subject[]) : [];
}

function roleRefOf(binding: KubeObject): { kind: string; name: string } | undefined {
  const r = (binding as { roleRef?: { kind?: unknown; name?: unknown } }).roleRef;
  return typeof r?.kind === 'string' && typeof r.name === 'string' ? { kind: r.kind, name: r.name } : undefined;
}

function subjectIs(s: Subject, user: UserInfo): boolean {
  switch (s.kind) {
    case 'User':
      return s.name === user.username;
    case 'Group':
      return typeof s.name === 'string' && (user.groups ?? []).includes(s.name);
    case 'ServiceAccount':
      return user.username === `system:serviceaccount:${String(s.namespace)}:${String(s.name)}`;
    default:
      return false;
  }
}

/** Pure: the roles the given bindings grant to `user`, each listed once, in binding order. */
export function rolesFor(user: UserInfo, roleBindings: KubeObject[], clusterRoleBindings: KubeObject[]): RequesterRoles {
  const roles = new Set<string>();
  const clusterRoles = new Set<string>();
  for (const rb of roleBindings) {
    const ref = roleRefOf(rb);
    if (!ref || !subjectsOf(rb).some((s) => subjectIs(s, user))) continue;
    if (ref.kind === 'Role') roles.add(`${rb.metadata.namespace ?? ''}:${ref.name}`);
    else if (ref.kind === 'ClusterRole') clusterRoles.add(ref.name);
  }
  for (const crb of clusterRoleBindings) {
    const ref = roleRefOf(crb);
    if (ref && subjectsOf(crb).some((s) => subjectIs(s, user))) clusterRoles.add(ref.name);
  }
  return { roles: [...roles], clusterRoles: [...clusterRoles] };
}
