// Exclude any/all/legacy, user info (admission and background) and the namespaced Policy restriction.
// Examples marked (docs) come from kyverno.io "Selecting Resources".
import type { RequestUser } from '../../api/admission.js';
import type { Case } from './match-table.test-support.js';
import { obj, pod, runCases, user } from './match-table.test-support.js';

const podsCreateUpdate = { any: [{ resources: { kinds: ['Pod'], operations: ['CREATE', 'UPDATE'] } }] };
const dave = user('dave', { groups: ['system:authenticated', 'devs'], roles: ['default:dev-role'] });
const admin = user('admin', { clusterRoles: ['cluster-admin', 'view'] });
const john = user('John');
const bgController = user('system:serviceaccount:kyverno:kyverno-background-controller');
const emptyUser: RequestUser = { userInfo: {}, roles: [], clusterRoles: [] };

const exclude: Case[] = [
  {
    name: 'exclude kube-system (docs)',
    input: { resource: pod('p', 'kube-system') },
    match: podsCreateUpdate,
    exclude: { any: [{ resources: { namespaces: ['kube-system'] } }] },
    want: 'rule excluded by exclude.any[0]',
  },
  {
    name: 'exclude kube-system leaves default alone (docs)',
    match: podsCreateUpdate,
    exclude: { any: [{ resources: { namespaces: ['kube-system'] } }] },
    want: true,
  },
  {
    name: 'exclude.any: the second filter excludes',
    match: podsCreateUpdate,
    exclude: { any: [{ resources: { names: ['db'] } }, { resources: { names: ['w*'] } }] },
    want: 'rule excluded by exclude.any[1]',
  },
  {
    name: 'exclude.all: every filter matches',
    match: podsCreateUpdate,
    exclude: { all: [{ resources: { names: ['web'] } }, { resources: { namespaces: ['default'] } }] },
    want: 'rule excluded by exclude.all',
  },
  {
    name: 'exclude.all: one filter fails, not excluded',
    match: podsCreateUpdate,
    exclude: { all: [{ resources: { names: ['web'] } }, { resources: { namespaces: ['prod'] } }] },
    want: true,
  },
  {
    name: 'legacy exclude',
    match: { resources: { kinds: ['Pod'] } },
    exclude: { resources: { names: ['web'] } },
    want: 'rule excluded by exclude',
  },
  { name: 'empty legacy exclude excludes nothing', match: podsCreateUpdate, exclude: {}, want: true },
  {
    name: 'empty exclude.any filter excludes nothing',
    match: podsCreateUpdate,
    exclude: { any: [{}] },
    want: true,
  },
  {
    name: 'exclude is only consulted after a match',
    match: { any: [{ resources: { kinds: ['Service'] } }] },
    exclude: { any: [{ resources: { kinds: ['Pod'] } }] },
    want: 'no filter in match.any matched',
  },
  {
    name: 'exclude with operations: other operation',
    match: podsCreateUpdate,
    exclude: { any: [{ resources: { kinds: ['Pod'], operations: ['UPDATE'] } }] },
    want: true,
  },
  {
    name: 'exclude with operations: same operation',
    input: { operation: 'UPDATE' },
    match: podsCreateUpdate,
    exclude: { any: [{ resources: { kinds: ['Pod'], operations: ['UPDATE'] } }] },
    want: 'exclude.any[0]',
  },
  {
    name: 'exclude with operations never applies in background',
    input: { operation: '' },
    match: { any: [{ resources: { kinds: ['Pod'] } }] },
    exclude: { any: [{ resources: { kinds: ['Pod'], operations: ['CREATE'] } }] },
    want: true,
  },
  {
    name: 'exclude with a kind selector on a subresource',
    input: { subresource: 'status', operation: 'UPDATE' },
    match: { any: [{ resources: { kinds: ['*/*'] } }] },
    exclude: { any: [{ resources: { kinds: ['Pod/status'] } }] },
    want: 'exclude.any[0]',
  },
];

const userInfo: Case[] = [
  {
    name: 'subjects User (docs dave)',
    input: { user: dave },
    match: { any: [{ resources: { kinds: ['Pod'] }, subjects: [{ kind: 'User', name: 'dave' }] }] },
    want: true,
  },
  {
    name: 'subjects User miss',
    input: { user: john },
    match: { any: [{ resources: { kinds: ['Pod'] }, subjects: [{ kind: 'User', name: 'dave' }] }] },
    want: 'user "John" matches none of the subjects',
  },
  {
    name: 'subjects User wildcard',
    input: { user: user('mary@somecorp.com') },
    match: { any: [{ resources: { kinds: ['Pod'] }, subjects: [{ kind: 'User', name: '*@somecorp.com' }] }] },
    want: true,
  },
  {
    name: 'subjects Group wildcard',
    input: { user: dave },
    match: { any: [{ resources: { kinds: ['Pod'] }, subjects: [{ kind: 'Group', name: 'dev*' }] }] },
    want: true,
  },
  {
    name: 'subjects Group miss',
    input: { user: john },
    match: { any: [{ resources: { kinds: ['Pod'] }, subjects: [{ kind: 'Group', name: 'devs' }] }] },
    want: 'subjects',
  },
  {
    name: 'subjects ServiceAccount',
    input: { user: bgController },
    match: {
      any: [
        {
          resources: { kinds: ['Pod'] },
          subjects: [{ kind: 'ServiceAccount', namespace: 'kyverno', name: 'kyverno-*' }],
        },
      ],
    },
    want: true,
  },
  {
    name: 'subjects ServiceAccount other namespace',
    input: { user: bgController },
    match: {
      any: [
        {
          resources: { kinds: ['Pod'] },
          subjects: [{ kind: 'ServiceAccount', namespace: 'default', name: '*' }],
        },
      ],
    },
    want: 'subjects',
  },
  {
    name: 'OR inside subjects (docs susan/dave)',
    input: { user: dave },
    match: {
      any: [
        {
          resources: { kinds: ['Pod'] },
          subjects: [
            { kind: 'User', name: 'susan' },
            { kind: 'User', name: 'dave' },
          ],
        },
      ],
    },
    want: true,
  },
  {
    name: 'roles: namespace:name exact',
    input: { user: dave },
    match: { any: [{ resources: { kinds: ['Pod'] }, roles: ['default:dev-role'] }] },
    want: true,
  },
  {
    name: 'roles: no wildcards',
    input: { user: dave },
    match: { any: [{ resources: { kinds: ['Pod'] }, roles: ['default:*'] }] },
    want: 'roles [default:dev-role] not in [default:*]',
  },
  {
    name: 'clusterRoles',
    input: { user: admin },
    match: { any: [{ resources: { kinds: ['Pod'] }, clusterRoles: ['cluster-admin'] }] },
    want: true,
  },
  {
    name: 'user-info fields are ANDed',
    input: { user: admin },
    match: {
      any: [
        {
          resources: { kinds: ['Pod'] },
          clusterRoles: ['cluster-admin'],
          subjects: [{ kind: 'User', name: 'mary' }],
        },
      ],
    },
    want: 'subjects',
  },
  {
    name: 'legacy top-level subjects',
    input: { user: john },
    match: { resources: { kinds: ['Pod'] }, subjects: [{ kind: 'User', name: 'John' }] },
    want: true,
  },
  {
    name: 'docs any[1]: Services created by dave',
    input: { resource: obj('v1', 'Service', { name: 'x', namespace: 'default' }), user: dave },
    match: {
      any: [
        { resources: { names: ['prod-*', 'staging'], kinds: ['Service'], operations: ['CREATE'] } },
        {
          resources: { kinds: ['Service'], operations: ['CREATE'] },
          subjects: [{ kind: 'User', name: 'dave' }],
        },
      ],
    },
    want: true,
  },
  {
    name: 'exclude cluster-admin (docs)',
    input: { user: admin },
    match: podsCreateUpdate,
    exclude: { any: [{ clusterRoles: ['cluster-admin'] }] },
    want: 'exclude.any[0]',
  },
  {
    name: 'exclude cluster-admin keeps others (docs)',
    input: { user: dave },
    match: podsCreateUpdate,
    exclude: { any: [{ clusterRoles: ['cluster-admin'] }] },
    want: true,
  },
  {
    name: 'exclude cluster-admin OR John (docs)',
    input: { user: john },
    match: podsCreateUpdate,
    exclude: { any: [{ clusterRoles: ['cluster-admin'] }, { subjects: [{ kind: 'User', name: 'John' }] }] },
    want: 'exclude.any[1]',
  },
];

const background: Case[] = [
  {
    name: 'background: match subjects ignored',
    input: { operation: '' },
    match: { any: [{ resources: { kinds: ['Pod'] }, subjects: [{ kind: 'User', name: 'dave' }] }] },
    want: true,
  },
  {
    name: 'background: match roles ignored',
    input: { operation: '' },
    match: { any: [{ resources: { kinds: ['Pod'] }, roles: ['default:dev-role'], clusterRoles: ['x'] }] },
    want: true,
  },
  {
    name: 'background: an all-empty user is no user',
    input: { operation: '', user: emptyUser },
    match: { any: [{ resources: { kinds: ['Pod'] }, subjects: [{ kind: 'User', name: 'dave' }] }] },
    want: true,
  },
  {
    name: 'background: user-info-only match is empty',
    input: { operation: '' },
    match: { any: [{ clusterRoles: ['cluster-admin'] }] },
    want: 'match cannot be empty',
  },
  {
    name: 'background: exclude clusterRoles does not exclude',
    input: { operation: '' },
    match: { any: [{ resources: { kinds: ['Pod'] } }] },
    exclude: { any: [{ clusterRoles: ['cluster-admin'] }] },
    want: true,
  },
  {
    name: 'background: exclude subjects does not exclude',
    input: { operation: '' },
    match: { any: [{ resources: { kinds: ['Pod'] } }] },
    exclude: { any: [{ resources: { kinds: ['Pod'] }, subjects: [{ kind: 'User', name: 'John' }] }] },
    want: true,
  },
  {
    name: 'background: resource exclude still applies',
    input: { operation: '', resource: pod('p', 'kube-system') },
    match: { any: [{ resources: { kinds: ['Pod'] } }] },
    exclude: { any: [{ resources: { namespaces: ['kube-*'] } }] },
    want: 'exclude.any[0]',
  },
];

const namespacedPolicy: Case[] = [
  {
    name: 'Policy: resource in the policy namespace',
    input: { resource: pod('p', 'team-a'), policyNamespace: 'team-a' },
    match: { any: [{ resources: { kinds: ['Pod'] } }] },
    want: true,
  },
  {
    name: 'Policy: resource in another namespace',
    input: { resource: pod('p', 'team-b'), policyNamespace: 'team-a' },
    match: { any: [{ resources: { kinds: ['Pod'] } }] },
    want: 'is not the policy namespace "team-a"',
  },
  {
    name: 'Policy: cluster-scoped objects are out of reach',
    input: { resource: obj('v1', 'Namespace', { name: 'team-a' }), policyNamespace: 'team-a' },
    match: { any: [{ resources: { kinds: ['Namespace'] } }] },
    want: 'policy namespace',
  },
  {
    name: 'ClusterPolicy: empty policyNamespace',
    input: { resource: pod('p', 'team-b'), policyNamespace: '' },
    match: { any: [{ resources: { kinds: ['Pod'] } }] },
    want: true,
  },
];

runCases([...exclude, ...userInfo, ...background, ...namespacedPolicy]);
