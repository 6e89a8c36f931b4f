// Field numbers of the few kinds the embedded server accepts as protobuf (from k8s.io/api's
// generated.proto files: ObjectMeta and the objects `kubectl create <kind>` sends).

export interface FieldSpec {
  name: string;
  type: 'string' | 'bytes' | 'int64' | 'int32' | 'bool' | 'message' | 'map' | 'time';
  repeated?: boolean;
  message?: MessageSchema;
  mapValue?: 'string' | 'bytes';
}

export type MessageSchema = Record<number, FieldSpec>;

const ownerReference: MessageSchema = {
  1: { name: 'kind', type: 'string' },
  3: { name: 'name', type: 'string' },
  4: { name: 'uid', type: 'string' },
  5: { name: 'apiVersion', type: 'string' },
  6: { name: 'controller', type: 'bool' },
  7: { name: 'blockOwnerDeletion', type: 'bool' },
};

const objectMeta: MessageSchema = {
  1: { name: 'name', type: 'string' },
  2: { name: 'generateName', type: 'string' },
  3: { name: 'namespace', type: 'string' },
  5: { name: 'uid', type: 'string' },
  6: { name: 'resourceVersion', type: 'string' },
  7: { name: 'generation', type: 'int64' },
  11: { name: 'labels', type: 'map' },
  12: { name: 'annotations', type: 'map' },
  13: { name: 'ownerReferences', type: 'message', repeated: true, message: ownerReference },
  14: { name: 'finalizers', type: 'string', repeated: true },
};

const meta: FieldSpec = { name: 'metadata', type: 'message', message: objectMeta };

const resourceAttributes: MessageSchema = {
  1: { name: 'namespace', type: 'string' },
  2: { name: 'verb', type: 'string' },
  3: { name: 'group', type: 'string' },
  4: { name: 'version', type: 'string' },
  5: { name: 'resource', type: 'string' },
  6: { name: 'subresource', type: 'string' },
  7: { name: 'name', type: 'string' },
};

const schemas: Record<string, MessageSchema> = {
  'v1/Namespace': { 1: meta, 2: { name: 'spec', type: 'message', message: { 1: { name: 'finalizers', type: 'string', repeated: true } } } },
  'v1/ConfigMap': {
    1: meta,
    2: { name: 'data', type: 'map' },
    3: { name: 'binaryData', type: 'map', mapValue: 'bytes' },
    4: { name: 'immutable', type: 'bool' },
  },
  'v1/Secret': {
    1: meta,
    2: { name: 'data', type: 'map', mapValue: 'bytes' },
    3: { name: 'type', type: 'string' },
    4: { name: 'stringData', type: 'map' },
    5: { name: 'immutable', type: 'bool' },
  },
  'v1/ServiceAccount': { 1: meta, 4: { name: 'automountServiceAccountToken', type: 'bool' } },
  'authorization.k8s.io/v1/SelfSubjectAccessReview': {
    1: meta,
    2: {
      name: 'spec',
      type: 'message',
      message: {
        1: { name: 'resourceAttributes', type: 'message', message: resourceAttributes },
        2: { name: 'nonResourceAttributes', type: 'message', message: { 1: { name: 'path', type: 'string' }, 2: { name: 'verb', type: 'string' } } },
      },
    },
  },
};

export const SUPPORTED_PROTOBUF_KINDS = Object.keys(schemas).map((k) => k.slice(k.lastIndexOf('/') + 1));

export function schemaForKind(apiVersion: string, kind: string): MessageSchema | undefined {
  return schemas[`${apiVersion}/${kind}`];
}
