// The user-info half of a match/exclude filter: roles, clusterRoles and subjects, checked against
// who made the request. Every listed field must match (Kyverno ANDs them); inside a list one hit is
// enough. Roles are compared exactly ("namespace:name"); subject names are wildcard patterns.
import type { RequestUser } from '../../api/admission.js';
import type { Subject, UserInfoFilter } from '../../api/policy.js';
import { wildcardMatch } from '../wildcard.js';

/** True when the filter names no roles, clusterRoles or subjects. */
export function isEmptyUserInfoFilter(filter: UserInfoFilter): boolean {
  return filter.roles == null && filter.clusterRoles == null && filter.subjects == null;
}

/**
 * Background work (generateExisting, resync, policy-triggered scans) carries no request user. Kyverno
 * detects that as an all-empty RequestInfo; an admission request always has at least a username.
 */
export function isEmptyRequestUser(user: RequestUser | undefined): boolean {
  if (user === undefined) return true;
  const info = user.userInfo;
  return (
    user.roles.length === 0 &&
    user.clusterRoles.length === 0 &&
    (info.username ?? '') === '' &&
    (info.uid ?? '') === '' &&
    (info.groups ?? []).length === 0 &&
    Object.keys(info.extra ?? {}).length === 0
  );
}

function subjectMatches(subject: Subject, username: string, groups: readonly string[]): boolean {
  switch (subject.kind) {
    case 'ServiceAccount':
      return wildcardMatch(`system:serviceaccount:${subject.namespace ?? ''}:${subject.name}`, username);
    case 'Group':
      return groups.some((g) => wildcardMatch(subject.name, g));
    case 'User':
      return wildcardMatch(subject.name, username);
    default:
      return false;
  }
}

function intersects(wanted: readonly string[], have: readonly string[]): boolean {
  return wanted.some((w) => have.includes(w));
}

/**
 * Why the request user fails the filter's user-info constraints, or undefined when it passes.
 * An absent user is checked as the empty user (so roles never match it).
 */
export function userInfoMismatch(filter: UserInfoFilter, user: RequestUser | undefined): string | undefined {
  const roles = user?.roles ?? [];
  const clusterRoles = user?.clusterRoles ?? [];
  const username = user?.userInfo.username ?? '';
  const groups = user?.userInfo.groups ?? [];
  if (filter.roles != null && filter.roles.length > 0 && !intersects(filter.roles, roles)) {
    return `roles [${roles.join(', ')}] not in [${filter.roles.join(', ')}]`;
  }
  if (
    filter.clusterRoles != null &&
    filter.clusterRoles.length > 0 &&
    !intersects(filter.clusterRoles, clusterRoles)
  ) {
    return `clusterRoles [${clusterRoles.join(', ')}] not in [${filter.clusterRoles.join(', ')}]`;
  }
  if (
    filter.subjects != null &&
    filter.subjects.length > 0 &&
    !filter.subjects.some((s) => subjectMatches(s, username, groups))
  ) {
    return `user "${username}" matches none of the subjects`;
  }
  return undefined;
}
