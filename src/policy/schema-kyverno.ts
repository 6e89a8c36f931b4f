// The structure of kyverno.io ClusterPolicy / Policy (v1 and v2beta1), after Kyverno's CRD
// (config/crds/kyverno/kyverno.io_clusterpolicies.yaml) and the Go types in api/kyverno/v1.
// validate / mutate / verifyImages are only checked to be objects here: their insides are free-form
// enough (patterns, anchors, patches) that a later, dedicated checker handles them.
import type { Schema } from './schema-dsl.js';
import { anyJson, anyObject, arr, bool, int, map, obj, oneOf, str, strMax } from './schema-dsl.js';

export type PolicyApiVersion = 'kyverno.io/v1' | 'kyverno.io/v2beta1';

const failurePolicy = oneOf('Fail', 'Ignore');
const validationFailureAction = oneOf('Audit', 'Enforce', 'audit', 'enforce');

const labelSelector = obj({
  matchLabels: map(str),
  matchExpressions: arr(
    obj({ key: str, operator: oneOf('In', 'NotIn', 'Exists', 'DoesNotExist'), values: arr(str) }, [
      'key',
      'operator',
    ]),
  ),
});

const metadata = obj(
  {
    name: str,
    generateName: str,
    namespace: str,
    labels: map(str),
    annotations: map(str),
    uid: str,
    resourceVersion: str,
    generation: int,
    creationTimestamp: str,
    deletionTimestamp: str,
    deletionGracePeriodSeconds: int,
    selfLink: str,
    ownerReferences: arr(anyObject),
    finalizers: arr(str),
    managedFields: arr(anyObject),
  },
  ['name'],
);

const resourceDescription = obj({
  kinds: arr(str),
  name: str,
  names: arr(str),
  namespaces: arr(str),
  annotations: map(str),
  selector: labelSelector,
  namespaceSelector: labelSelector,
  operations: arr(oneOf('CREATE', 'CONNECT', 'UPDATE', 'DELETE')),
});

const subject = obj({ kind: str, name: str, namespace: str, apiGroup: str }, ['kind', 'name']);

const userInfoFields = {
  roles: arr(str),
  clusterRoles: arr(str),
  subjects: arr(subject),
};

const resourceFilter = obj({ resources: resourceDescription, ...userInfoFields });

/** v2beta1 drops the legacy single filter written directly under match / exclude. */
function matchResources(version: PolicyApiVersion): Schema {
  const anyAll = { any: arr(resourceFilter), all: arr(resourceFilter) };
  return version === 'kyverno.io/v1'
    ? obj({ ...anyAll, resources: resourceDescription, ...userInfoFields })
    : obj(anyAll);
}

// The operator is checked case-insensitively by the semantic pass, so the schema only wants a string.
const condition = obj({ key: anyJson, operator: str, value: anyJson, message: str });
const anyAllConditions = obj({ any: arr(condition), all: arr(condition) });

function preconditions(version: PolicyApiVersion): Schema {
  return version === 'kyverno.io/v1'
    ? { type: 'objectOrArray', object: anyAllConditions, array: arr(condition) }
    : anyAllConditions;
}

const keyValue = obj({ key: str, value: anyJson }, ['key']);

const contextEntry = obj({
  name: str,
  configMap: obj({ name: str, namespace: str }),
  apiCall: obj({
    urlPath: str,
    method: oneOf('GET', 'POST'),
    data: arr(keyValue),
    service: obj({ url: str, caBundle: str, headers: arr(obj({ key: str, value: str }, ['key'])) }),
    jmesPath: str,
    default: anyJson,
  }),
  variable: obj({ value: anyJson, jmesPath: str, default: anyJson }),
  globalReference: obj({ name: str, jmesPath: str }),
  imageRegistry: obj({
    reference: str,
    jmesPath: str,
    imageRegistryCredentials: obj({
      allowInsecureRegistry: bool,
      providers: arr(str),
      secrets: arr(str),
    }),
  }),
});

const generatePatternFields = {
  apiVersion: str,
  kind: str,
  name: str,
  namespace: str,
  uid: str,
  data: anyJson,
  clone: obj({ namespace: str, name: str }),
  cloneList: obj({ namespace: str, kinds: arr(str), selector: labelSelector }),
};

const generation = obj({
  ...generatePatternFields,
  synchronize: bool,
  orphanDownstreamOnPolicyDelete: bool,
  generateExisting: bool,
  foreach: arr(
    obj({
      ...generatePatternFields,
      list: str,
      context: arr(contextEntry),
      preconditions: anyAllConditions,
    }),
  ),
});

const matchCondition = obj({ name: str, expression: str }, ['name', 'expression']);

const imageExtractor = obj({ path: str, value: str, name: str, key: str, jmesPath: str }, ['path']);

function rule(version: PolicyApiVersion): Schema {
  return obj(
    {
      name: strMax(63),
      context: arr(contextEntry),
      match: matchResources(version),
      exclude: matchResources(version),
      imageExtractors: map(arr(imageExtractor)),
      preconditions: preconditions(version),
      celPreconditions: arr(matchCondition),
      mutate: anyObject,
      validate: anyObject,
      generate: generation,
      verifyImages: arr(anyObject),
      skipBackgroundRequests: bool,
      reportProperties: map(str),
    },
    ['name'],
  );
}

function spec(version: PolicyApiVersion): Schema {
  return obj({
    rules: arr(rule(version)),
    applyRules: oneOf('All', 'One'),
    failurePolicy,
    validationFailureAction,
    validationFailureActionOverrides: arr(
      obj({ action: validationFailureAction, namespaces: arr(str), namespaceSelector: labelSelector }),
    ),
    emitWarning: bool,
    admission: bool,
    background: bool,
    schemaValidation: bool,
    webhookTimeoutSeconds: int,
    mutateExistingOnPolicyUpdate: bool,
    generateExistingOnPolicyUpdate: bool,
    generateExisting: bool,
    useServerSideApply: bool,
    webhookConfiguration: obj({
      failurePolicy,
      timeoutSeconds: int,
      matchConditions: arr(matchCondition),
    }),
  });
}

const cache = new Map<PolicyApiVersion, Schema>();

/** The whole-document schema for one served version. */
export function policySchema(version: PolicyApiVersion): Schema {
  let s = cache.get(version);
  if (s === undefined) {
    s = obj({ apiVersion: str, kind: str, metadata, spec: spec(version), status: anyObject }, [
      'apiVersion',
      'kind',
      'metadata',
      'spec',
    ]);
    cache.set(version, s);
  }
  return s;
}
