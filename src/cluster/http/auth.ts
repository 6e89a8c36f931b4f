// Authentication for the embedded server: any bearer token is the cluster admin (it is a local
// development server), and impersonation headers replace that user as kube-apiserver does.
import type { IncomingHttpHeaders } from 'node:http';
import type { UserInfo } from '../../api/admission.js';
import { plainStatus } from './respond.js';
import { ClusterError } from '../errors.js';

export const ADMIN_USER: UserInfo = { username: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] };

export class UnauthorizedError extends ClusterError {
  constructor() {
    super(plainStatus(401, 'Unauthorized', 'Unauthorized'));
  }
}

function values(h: string | string[] | undefined): string[] {
  if (h === undefined) return [];
  return (Array.isArray(h) ? h : [h]).flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== '');
}

/** @throws UnauthorizedError when no bearer token is present */
export function authenticate(headers: IncomingHttpHeaders): UserInfo {
  const auth = headers.authorization ?? '';
  if (!/^Bearer\s+\S+/i.test(auth)) throw new UnauthorizedError();
  const user = headers['impersonate-user'];
  if (typeof user !== 'string' || user === '') return { ...ADMIN_USER, groups: [...(ADMIN_USER.groups ?? [])] };
  const groups = values(headers['impersonate-group']);
  const sa = /^system:serviceaccount:([^:]+):[^:]+$/.exec(user);
  if (sa?.[1] !== undefined) groups.push('system:serviceaccounts', `system:serviceaccounts:${sa[1]}`);
  if (user !== 'system:anonymous' && !groups.includes('system:authenticated')) groups.push('system:authenticated');
  const info: UserInfo = { username: user, groups };
  const uid = headers['impersonate-uid'];
  if (typeof uid === 'string' && uid !== '') info.uid = uid;
  const extra: Record<string, string[]> = {};
  for (const [key, value] of Object.entries(headers)) {
    if (!key.startsWith('impersonate-extra-')) continue;
    extra[decodeURIComponent(key.slice('impersonate-extra-'.length))] = values(value);
  }
  if (Object.keys(extra).length > 0) info.extra = extra;
  return info;
}
