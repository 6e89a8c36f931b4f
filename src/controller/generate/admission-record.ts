// Durable admission records. A rule that reads what only the admission request carries (the
// requester, the operation, the old object) cannot be re-evaluated from the live trigger, so before the
// webhook answers, that request is written down: as a kyverno.io/v2 UpdateRequest, the kind Kyverno
// uses for the same purpose, so one reader serves Sprout's records and the URs a Kyverno install left
// pending. Only such rules get a record (ADR 5); the record is deleted once its keys converged.
import { createHash } from 'node:crypto';
import type { RequestUser } from '../../api/admission.js';
import type { JsonObject, JsonValue } from '../../api/json.js';
import { isJsonObject } from '../../api/json.js';
import type { KubeObject } from '../../api/kube.js';
import type { TriggerRef } from './key.js';
import type { AdmissionInfo } from './reconciler.js';

export const UPDATE_REQUEST = { apiVersion: 'kyverno.io/v2', kind: 'UpdateRequest' } as const;
/** On the records Sprout writes (and may delete); URs without it came from elsewhere. */
export const RECORD_LABEL = 'generate.sprout.io/admission-record';

export type RecordState = 'Pending' | 'Completed' | 'Failed';

export interface RecordedRule {
  rule: string;
  trigger: TriggerRef;
}

/** What a generate UpdateRequest asks for, read back. */
export interface AdmissionRecord {
  namespace: string;
  name: string;
  /** Kyverno's policy key: "name" or "ns/name". */
  policy: string;
  rules: RecordedRule[];
  admission?: AdmissionInfo;
  state: RecordState;
  ownedBySprout: boolean;
}

/** One record per (request, policy): the same request handed over twice writes the same name. */
export function recordName(requestUid: string, policy: string): string {
  return `sprout-ar-${createHash('sha256').update(`${requestUid}\n${policy}`).digest('hex').slice(0, 20)}`;
}

function triggerSpec(t: TriggerRef): JsonObject {
  return { apiVersion: t.apiVersion, kind: t.kind, namespace: t.namespace, name: t.name, uid: t.uid };
}

export function recordObject(
  namespace: string,
  name: string,
  policy: string,
  rules: RecordedRule[],
  admission: AdmissionInfo,
): KubeObject {
  const [first] = rules;
  const request: JsonObject = { operation: admission.operation };
  // Only what a rule can read and the live cluster cannot give back: the old object of an UPDATE/DELETE.
  if (admission.oldObject) request['oldObject'] = admission.oldObject as unknown as JsonValue;
  const user = admission.user;
  return {
    ...UPDATE_REQUEST,
    metadata: { name, namespace, labels: { [RECORD_LABEL]: 'true', 'generate.kyverno.io/policy-name': policy.split('/').pop() ?? policy } },
    spec: {
      requestType: 'generate',
      policy,
      rule: first?.rule ?? '',
      resource: first ? triggerSpec(first.trigger) : {},
      ruleContext: rules.map((r) => ({ rule: r.rule, trigger: triggerSpec(r.trigger), deleteDownstream: false, synchronize: false })),
      context: {
        userInfo: user ? { roles: user.roles, clusterRoles: user.clusterRoles, userInfo: user.userInfo as unknown as JsonValue } : {},
        admissionRequestInfo: { operation: admission.operation, admissionRequest: request },
      },
    },
  };
}

const str = (v: JsonValue | undefined): string => (typeof v === 'string' ? v : '');
const strings = (v: JsonValue | undefined): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const obj = (v: JsonValue | undefined): JsonObject => (isJsonObject(v) ? v : {});

function readTrigger(v: JsonValue | undefined): TriggerRef {
  const t = obj(v);
  return { apiVersion: str(t['apiVersion']), kind: str(t['kind']), namespace: str(t['namespace']), name: str(t['name']), uid: str(t['uid']) };
}

function readAdmission(context: JsonObject): AdmissionInfo | undefined {
  const info = obj(context['admissionRequestInfo']);
  const request = obj(info['admissionRequest']);
  const operation = str(info['operation']) || str(request['operation']);
  if (operation !== 'CREATE' && operation !== 'UPDATE' && operation !== 'DELETE' && operation !== 'CONNECT') return undefined;
  const out: AdmissionInfo = { operation };
  const old = request['oldObject'];
  if (isJsonObject(old) && Object.keys(old).length > 0) out.oldObject = old as unknown as KubeObject;
  const u = obj(context['userInfo']);
  const userInfo = obj(u['userInfo']);
  if (typeof userInfo['username'] === 'string') {
    const user: RequestUser = {
      userInfo: userInfo,
      roles: strings(u['roles']),
      clusterRoles: strings(u['clusterRoles']),
    };
    out.user = user;
  }
  return out;
}

/** A generate UpdateRequest read back; undefined for other request types or malformed objects. */
export function readRecord(o: KubeObject): AdmissionRecord | undefined {
  const spec = obj(o['spec'] as JsonValue | undefined);
  if (spec['requestType'] !== 'generate') return undefined;
  const policy = str(spec['policy']);
  const contexts = Array.isArray(spec['ruleContext']) ? spec['ruleContext'] : [];
  const rules = contexts.map((c) => ({ rule: str(obj(c)['rule']), trigger: readTrigger(obj(c)['trigger']) })).filter((r) => r.rule !== '');
  // Older URs name one rule and one resource instead of a rule context.
  if (rules.length === 0 && str(spec['rule']) !== '') rules.push({ rule: str(spec['rule']), trigger: readTrigger(spec['resource']) });
  if (policy === '' || rules.length === 0) return undefined;
  const state = str(obj(o['status'] as JsonValue | undefined)['state']);
  return {
    namespace: o.metadata.namespace ?? '',
    name: o.metadata.name ?? '',
    policy,
    rules,
    admission: readAdmission(obj(spec['context'])),
    state: state === 'Completed' || state === 'Failed' ? state : 'Pending',
    ownedBySprout: o.metadata.labels?.[RECORD_LABEL] === 'true',
  };
}
