// The webhook admission chain: every matching mutating webhook in turn (configurations sorted by
// name, JSONPatch responses applied to the object), then every matching validating webhook in
// parallel. Denials, failures and warnings are reported the way kube-apiserver reports them.
import { randomUUID } from 'node:crypto';
import fastJsonPatch from 'fast-json-patch';
import type { Operation as PatchOperation } from 'fast-json-patch';
import type { AdmissionRequest, AdmissionResponse, AdmissionReview } from '../../../api/admission.js';
import type { KubeObject } from '../../../api/kube.js';
import type { ClusterClient } from '../../client.js';
import type { Status } from '../../errors.js';
import { badRequest, errorFromStatus, internalError, isNotFound } from '../../errors.js';
import { cloneJson } from '../../json-util.js';
import { callWebhook, WebhookCallError } from './call.js';
import { webhookMatches } from './matching.js';
import type { AdmissionAttributes, ServiceResolver, Webhook } from './types.js';

export interface AdmissionChainOptions {
  serviceResolver?: ServiceResolver;
  newUid?: () => string;
}

export interface AdmissionOutcome {
  /** The object after mutation (unchanged when no webhook patched it). */
  object?: KubeObject;
  warnings: string[];
}

type Phase = 'MutatingWebhookConfiguration' | 'ValidatingWebhookConfiguration';

function review(hook: Webhook, a: AdmissionAttributes, uid: string): AdmissionReview {
  const gvk = a.kind;
  const request: AdmissionRequest = {
    uid,
    kind: gvk,
    resource: a.resource,
    requestKind: gvk,
    requestResource: a.resource,
    namespace: a.namespace === '' ? undefined : a.namespace,
    name: a.name === '' ? undefined : a.name,
    operation: a.operation,
    userInfo: a.userInfo,
    object: a.object ?? null,
    oldObject: a.oldObject ?? null,
    dryRun: a.dryRun,
    options: a.options,
  };
  if (a.subResource !== '') {
    request.subResource = a.subResource;
    request.requestSubResource = a.subResource;
  }
  const v1 = (hook.admissionReviewVersions ?? ['v1']).includes('v1');
  return { apiVersion: (v1 ? 'admission.k8s.io/v1' : 'admission.k8s.io/v1beta1') as 'admission.k8s.io/v1', kind: 'AdmissionReview', request };
}

/** kube-apiserver's ToStatusErr: the webhook's status, with the "denied the request" prefix. */
export function denialStatus(hookName: string, response: AdmissionResponse): Status {
  const given = response.status ?? {};
  const deniedBy = `admission webhook "${hookName}" denied the request`;
  const message = given.message !== undefined && given.message !== ''
    ? `${deniedBy}: ${given.message}`
    : given.reason !== undefined && given.reason !== '' ? `${deniedBy}: ${given.reason}` : `${deniedBy} without explanation`;
  const code = given.code !== undefined && given.code >= 400 ? given.code : 400;
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: (given.reason ?? '') as Status['reason'], code };
}

export class AdmissionChain {
  constructor(private readonly cluster: ClusterClient, private readonly options: AdmissionChainOptions = {}) {}

  private async webhooks(phase: Phase): Promise<Webhook[]> {
    const list = await this.cluster.list({ apiVersion: 'admissionregistration.k8s.io/v1', kind: phase });
    const configs = [...list.items].sort((x, y) => (x.metadata.name ?? '').localeCompare(y.metadata.name ?? ''));
    return configs.flatMap((c) => (Array.isArray(c.webhooks) ? (c.webhooks as Webhook[]) : []));
  }

  private async matching(phase: Phase, a: AdmissionAttributes): Promise<Webhook[]> {
    const hooks = await this.webhooks(phase);
    const labels = async (ns: string): Promise<Record<string, string> | undefined> => {
      try {
        return (await this.cluster.get({ apiVersion: 'v1', kind: 'Namespace', name: ns })).metadata.labels;
      } catch (e) {
        if (isNotFound(e)) return undefined;
        throw e;
      }
    };
    const out: Webhook[] = [];
    for (const h of hooks) if (await webhookMatches(h, a, labels)) out.push(h);
    return out;
  }

  /** Calls one webhook; undefined when it failed and its failurePolicy is Ignore. */
  private async call(hook: Webhook, a: AdmissionAttributes): Promise<AdmissionResponse | undefined> {
    if (a.dryRun && hook.sideEffects !== 'None' && hook.sideEffects !== 'NoneOnDryRun') {
      throw badRequest(`admission webhook "${hook.name}" does not support dry run`);
    }
    try {
      return await callWebhook(hook, review(hook, a, (this.options.newUid ?? randomUUID)()), this.options.serviceResolver);
    } catch (e) {
      if (hook.failurePolicy === 'Ignore') return undefined;
      const why = e instanceof WebhookCallError || e instanceof Error ? e.message : String(e);
      throw internalError(`failed calling webhook "${hook.name}": ${why}`);
    }
  }

  async mutate(a: AdmissionAttributes): Promise<AdmissionOutcome> {
    const warnings: string[] = [];
    let object = a.object === undefined ? undefined : cloneJson(a.object);
    for (const hook of await this.matching('MutatingWebhookConfiguration', a)) {
      const response = await this.call(hook, { ...a, object });
      if (response === undefined) continue;
      warnings.push(...(response.warnings ?? []));
      if (!response.allowed) throw errorFromStatus(denialStatus(hook.name, response));
      if (response.patch === undefined || response.patch === '' || object === undefined) continue;
      object = applyWebhookPatch(hook.name, object, response.patch);
    }
    return { object, warnings };
  }

  /** Whether any webhook configuration exists: without one, requests skip admission entirely. */
  async active(): Promise<boolean> {
    for (const phase of ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'] as const) {
      const list = await this.cluster.list({ apiVersion: 'admissionregistration.k8s.io/v1', kind: phase }, { limit: 1 });
      if (list.items.length > 0) return true;
    }
    return false;
  }

  /**
   * `finalObject` computes what would be stored (a dry run); it runs only when a validating
   * webhook matches the request as it stands.
   */
  async validate(attrs: AdmissionAttributes, finalObject?: () => Promise<KubeObject | undefined>): Promise<AdmissionOutcome> {
    let a = attrs;
    const hooks = await this.matching('ValidatingWebhookConfiguration', a);
    if (hooks.length > 0 && finalObject !== undefined) a = { ...a, object: await finalObject() };
    const settled = await Promise.allSettled(hooks.map((h) => this.call(h, a)));
    const warnings: string[] = [];
    for (const [i, s] of settled.entries()) {
      if (s.status === 'rejected') throw s.reason;
      const response = s.value;
      if (response === undefined) continue;
      warnings.push(...(response.warnings ?? []));
      if (!response.allowed) throw errorFromStatus(denialStatus(hooks[i]?.name ?? '', response));
    }
    return { object: a.object, warnings };
  }
}

function applyWebhookPatch(hookName: string, object: KubeObject, patch: string): KubeObject {
  try {
    const ops = JSON.parse(Buffer.from(patch, 'base64').toString('utf8')) as PatchOperation[];
    return fastJsonPatch.applyPatch(cloneJson(object), ops, true, false).newDocument;
  } catch (e) {
    throw internalError(`admission webhook "${hookName}" returned an invalid patch: ${e instanceof Error ? e.message.split('\n')[0] ?? '' : String(e)}`);
  }
}
