// ResourceDescription fields and the any/all/legacy shapes. Examples marked (docs) come from
// kyverno.io "Selecting Resources".
import type { Case } from './match-table.test-support.js';
import { obj, pod, runCases } from './match-table.test-support.js';

const svc = (name: string, namespace = 'default') => obj('v1', 'Service', { name, namespace });
const deploy = (name: string, namespace = 'default', labels: Record<string, string> = {}) =>
  obj('apps/v1', 'Deployment', { name, namespace, labels });
const namespace = (name: string) => obj('v1', 'Namespace', { name });
const clusterRole = obj('rbac.authorization.k8s.io/v1', 'ClusterRole', { name: 'view' });
const pods = (extra: object = {}) => ({ any: [{ resources: { kinds: ['Pod'], ...extra } }] });

const kinds: Case[] = [
  { name: 'legacy kinds: Pod selects a Pod', match: { resources: { kinds: ['Pod'] } }, want: true },
  {
    name: 'legacy kinds: reason names the kind',
    match: { resources: { kinds: ['Namespace'] } },
    want: 'kind Pod not in [Namespace]',
  },
  {
    name: 'OR inside the kinds list',
    match: { any: [{ resources: { kinds: ['Deployment', 'Pod'] } }] },
    want: true,
  },
  {
    name: 'GVK format (docs)',
    input: { resource: deploy('d') },
    match: { any: [{ resources: { kinds: ['apps/v1/Deployment'] } }] },
    want: true,
  },
  {
    name: 'version/kind mismatch',
    match: { any: [{ resources: { kinds: ['v2/Pod'] } }] },
    want: 'kind Pod not in [v2/Pod]',
  },
  {
    name: 'plain Pod ignores pods/exec',
    input: { subresource: 'exec', operation: 'CONNECT' },
    match: pods(),
    want: 'kind Pod/exec not in [Pod]',
  },
  {
    name: 'Pod/exec selects pods/exec',
    input: { subresource: 'exec', operation: 'CONNECT' },
    match: { any: [{ resources: { kinds: ['Pod/exec'] } }] },
    want: true,
  },
  {
    name: 'plain Pod selects pods/ephemeralcontainers',
    input: { subresource: 'ephemeralcontainers', operation: 'UPDATE' },
    match: pods(),
    want: true,
  },
  {
    name: '*/* selects deployments/scale',
    input: { resource: deploy('d'), subresource: 'scale', operation: 'UPDATE' },
    match: { any: [{ resources: { kinds: ['*/*'] } }] },
    want: true,
  },
  {
    name: '* does not select subresources',
    input: { subresource: 'status', operation: 'UPDATE' },
    match: { any: [{ resources: { kinds: ['*'] } }] },
    want: 'kind Pod/status',
  },
];

const names: Case[] = [
  {
    name: 'names wildcard (docs prod-*)',
    input: { resource: svc('prod-api') },
    match: { any: [{ resources: { kinds: ['Service'], names: ['prod-*', 'staging'] } }] },
    want: true,
  },
  {
    name: 'names exact (docs staging)',
    input: { resource: svc('staging') },
    match: { any: [{ resources: { kinds: ['Service'], names: ['prod-*', 'staging'] } }] },
    want: true,
  },
  {
    name: 'names miss (docs dev-)',
    input: { resource: svc('dev-api') },
    match: { any: [{ resources: { kinds: ['Service'], names: ['prod-*', 'staging'] } }] },
    want: 'name "dev-api" not in [prod-*, staging]',
  },
  {
    name: 'deprecated name with ?',
    input: { resource: pod('web-1') },
    match: pods({ name: 'web-?' }),
    want: true,
  },
  {
    name: 'deprecated name miss',
    input: { resource: pod('web-10') },
    match: pods({ name: 'web-?' }),
    want: 'name "web-10"',
  },
  {
    name: 'generateName when name is empty',
    input: { resource: pod('', 'default', { generateName: 'web-' }) },
    match: pods({ names: ['web-*'] }),
    want: true,
  },
  {
    name: 'name wins over generateName',
    input: { resource: pod('api', 'default', { generateName: 'web-' }) },
    match: pods({ names: ['web-*'] }),
    want: 'name "api"',
  },
];

const namespaces: Case[] = [
  {
    name: 'namespaces wildcard (docs dev*)',
    input: { resource: pod('p', 'dev-1') },
    match: pods({ namespaces: ['dev*', 'test'] }),
    want: true,
  },
  {
    name: 'namespaces miss',
    input: { resource: pod('p', 'default') },
    match: pods({ namespaces: ['kube-system'] }),
    want: 'namespace "default" not in [kube-system]',
  },
  {
    name: 'a Namespace is in itself',
    input: { resource: namespace('prod-a') },
    match: { any: [{ resources: { kinds: ['Namespace'], namespaces: ['prod-*'] } }] },
    want: true,
  },
  {
    name: 'a Namespace is not in another one',
    input: { resource: namespace('dev') },
    match: { any: [{ resources: { kinds: ['Namespace'], namespaces: ['prod-*'] } }] },
    want: 'namespace "dev"',
  },
  {
    name: 'cluster-scoped object has namespace ""',
    input: { resource: clusterRole },
    match: { any: [{ resources: { kinds: ['ClusterRole'], namespaces: ['default'] } }] },
    want: 'namespace ""',
  },
  {
    name: '* also covers cluster-scoped objects',
    input: { resource: clusterRole },
    match: { any: [{ resources: { kinds: ['ClusterRole'], namespaces: ['*'] } }] },
    want: true,
  },
];

const annotated = pod('p', 'default', {
  annotations: { imageregistry: 'https://hub.docker.com/', 'example.com/owner': 'team-a' },
});
const annotations: Case[] = [
  {
    name: 'annotations exact (docs)',
    input: { resource: annotated },
    match: pods({ annotations: { imageregistry: 'https://hub.docker.com/' } }),
    want: true,
  },
  {
    name: 'annotations wildcard key and value',
    input: { resource: annotated },
    match: pods({ annotations: { 'example.com/*': 'team-?' } }),
    want: true,
  },
  {
    name: 'annotations value mismatch',
    input: { resource: annotated },
    match: pods({ annotations: { imageregistry: 'quay.io*' } }),
    want: 'annotations do not match',
  },
  {
    name: 'annotations all required (AND)',
    input: { resource: annotated },
    match: pods({ annotations: { imageregistry: '*', missing: '*' } }),
    want: 'annotations',
  },
  {
    name: 'annotations on an unannotated object',
    match: pods({ annotations: { a: '*' } }),
    want: 'annotations',
  },
];

const critical = deploy('mongo-1', 'dev-a', {
  app: 'critical',
  'app.kubernetes.io/name': 'mongo',
  tier: 'database',
});
const selectors: Case[] = [
  {
    name: 'selector matchLabels (docs app=critical)',
    input: { resource: critical },
    match: {
      any: [
        {
          resources: { kinds: ['Deployment', 'StatefulSet'], selector: { matchLabels: { app: 'critical' } } },
        },
      ],
    },
    want: true,
  },
  {
    name: 'selector mismatch',
    input: { resource: critical },
    match: { any: [{ resources: { kinds: ['Deployment'], selector: { matchLabels: { app: 'web' } } } }] },
    want: 'labels do not match selector',
  },
  {
    name: 'selector wildcard value',
    input: { resource: critical },
    match: {
      any: [
        {
          resources: { kinds: ['Deployment'], selector: { matchLabels: { 'app.kubernetes.io/name': '*' } } },
        },
      ],
    },
    want: true,
  },
  {
    name: 'selector wildcard key',
    input: { resource: critical },
    match: {
      any: [
        {
          resources: { kinds: ['Deployment'], selector: { matchLabels: { 'app.kubernetes.io/*': 'mon?o' } } },
        },
      ],
    },
    want: true,
  },
  {
    name: 'selector wildcard, label absent',
    input: { resource: deploy('d') },
    match: {
      any: [
        {
          resources: { kinds: ['Deployment'], selector: { matchLabels: { 'app.kubernetes.io/name': '*' } } },
        },
      ],
    },
    want: 'labels',
  },
  {
    name: 'advanced match statement (docs)',
    input: { resource: critical },
    match: {
      any: [
        {
          resources: {
            kinds: ['Deployment', 'StatefulSet'],
            names: ['mongo*', 'postgres*'],
            operations: ['CREATE', 'UPDATE'],
            namespaces: ['dev*', 'test'],
            selector: {
              matchLabels: { app: 'critical' },
              matchExpressions: [{ key: 'tier', operator: 'In', values: ['database'] }],
            },
          },
        },
      ],
    },
    want: true,
  },
  {
    name: 'selector that cannot be built never matches',
    input: { resource: critical },
    match: {
      any: [
        {
          resources: {
            kinds: ['Deployment'],
            selector: { matchExpressions: [{ key: 'tier', operator: 'NotIn', values: [] }] },
          },
        },
      ],
    },
    want: 'labels',
  },
];

const typeIn = {
  matchExpressions: [{ key: 'type', operator: 'In' as const, values: ['connector', 'compute'] }],
};
const namespaceSelectors: Case[] = [
  {
    name: 'namespaceSelector (docs type In connector/compute)',
    input: { resource: deploy('d'), namespaceLabels: { type: 'compute' } },
    match: { any: [{ resources: { kinds: ['Deployment'], namespaceSelector: typeIn } }] },
    want: true,
  },
  {
    name: 'namespaceSelector miss',
    input: { resource: deploy('d'), namespaceLabels: { type: 'batch' } },
    match: { any: [{ resources: { kinds: ['Deployment'], namespaceSelector: typeIn } }] },
    want: 'namespace labels do not match',
  },
  {
    name: 'namespaceSelector without labels',
    input: { resource: deploy('d') },
    match: { any: [{ resources: { kinds: ['Deployment'], namespaceSelector: typeIn } }] },
    want: 'namespace labels',
  },
  {
    name: 'namespaceSelector DoesNotExist without labels',
    match: pods({ namespaceSelector: { matchExpressions: [{ key: 'frozen', operator: 'DoesNotExist' }] } }),
    want: true,
  },
  {
    name: 'namespaceSelector wildcard matchLabels',
    input: { namespaceLabels: { 'team.example.com/name': 'a' } },
    match: pods({ namespaceSelector: { matchLabels: { 'team.example.com/*': '?' } } }),
    want: true,
  },
  {
    name: 'namespaceSelector never selects a Namespace',
    input: { resource: namespace('prod'), namespaceLabels: { type: 'compute' } },
    match: { any: [{ resources: { kinds: ['Namespace'], namespaceSelector: typeIn } }] },
    want: 'does not apply to Namespace',
  },
];

const operations: Case[] = [
  { name: 'operations contains the operation', match: pods({ operations: ['CREATE'] }), want: true },
  {
    name: 'operations miss',
    input: { operation: 'UPDATE' },
    match: pods({ operations: ['CREATE'] }),
    want: 'operation "UPDATE" not in [CREATE]',
  },
  {
    name: 'operations never match background work',
    input: { operation: '' },
    match: pods({ operations: ['CREATE', 'UPDATE'] }),
    want: 'operation ""',
  },
  {
    name: 'absent operation is background work',
    input: { operation: undefined },
    match: pods({ operations: ['CREATE'] }),
    want: 'operation ""',
  },
  {
    name: 'no operations list: background work matches',
    input: { operation: '' },
    match: pods(),
    want: true,
  },
  {
    name: 'DELETE listed',
    input: { operation: 'DELETE' },
    match: pods({ operations: ['DELETE'] }),
    want: true,
  },
];

const shapes: Case[] = [
  {
    name: 'any: the second filter matches',
    match: { any: [{ resources: { kinds: ['Service'] } }, { resources: { kinds: ['Pod'] } }] },
    want: true,
  },
  {
    name: 'any: no filter matches, every reason listed',
    match: {
      any: [{ resources: { kinds: ['Service'] } }, { resources: { kinds: ['Pod'], namespaces: ['prod'] } }],
    },
    want: 'no filter in match.any matched: [0] kind Pod not in [Service]; [1] namespace "default"',
  },
  {
    name: 'all: every filter matches (AND)',
    match: { all: [{ resources: { kinds: ['Pod'] } }, { resources: { namespaces: ['default'] } }] },
    want: true,
  },
  {
    name: 'all: one filter fails',
    match: { all: [{ resources: { kinds: ['Pod'] } }, { resources: { namespaces: ['prod'] } }] },
    want: 'match.all[1]: namespace',
  },
  {
    name: 'AND across fields in one filter',
    match: pods({ names: ['web'], namespaces: ['prod'] }),
    want: 'namespace "default"',
  },
  {
    name: 'any wins over a legacy resources block',
    match: { any: [{ resources: { kinds: ['Pod'] } }], resources: { kinds: ['Service'] } },
    want: true,
  },
  { name: 'empty legacy match never matches', match: {}, want: 'match cannot be empty' },
  { name: 'empty any filter never matches', match: { any: [{}] }, want: 'match cannot be empty' },
  {
    name: 'empty lists fall back to legacy',
    match: { any: [], all: [], resources: { kinds: ['Pod'] } },
    want: true,
  },
];

runCases([
  ...kinds,
  ...names,
  ...namespaces,
  ...annotations,
  ...selectors,
  ...namespaceSelectors,
  ...operations,
  ...shapes,
]);
