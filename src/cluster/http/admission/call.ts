// One webhook call over HTTPS as kube-apiserver makes it: POST an AdmissionReview to the URL (or
// the resolved service) with `?timeout=Ns`, verify the server against caBundle, and check the
// response. Failures come back as the message text kube-apiserver would put after
// `failed calling webhook "<name>": `.
import { request, Agent } from 'node:https';
import type { AdmissionResponse, AdmissionReview } from '../../../api/admission.js';
import { isJsonObject } from '../../../api/json.js';
import type { JsonValue } from '../../../api/json.js';
import type { ServiceResolver, Webhook } from './types.js';

export class WebhookCallError extends Error {}

interface Target {
  url: URL;
  servername?: string;
}

function target(hook: Webhook, resolveService: ServiceResolver | undefined): Target {
  const cc = hook.clientConfig ?? {};
  const timeout = `${Math.min(Math.max(hook.timeoutSeconds ?? 10, 1), 30)}s`;
  if (cc.url !== undefined) {
    const url = new URL(cc.url);
    url.searchParams.set('timeout', timeout);
    return { url };
  }
  const svc = cc.service;
  if (svc === undefined) throw new WebhookCallError('failed to call webhook: neither url nor service is set in clientConfig');
  if (resolveService === undefined) {
    throw new WebhookCallError(`failed to call webhook: service "${svc.namespace}/${svc.name}" cannot be resolved: this server has no service resolver`);
  }
  const base = resolveService(svc.namespace, svc.name, svc.port ?? 443).replace(/\/$/, '');
  const url = new URL(`${base}${svc.path ?? ''}`);
  url.searchParams.set('timeout', timeout);
  return { url, servername: `${svc.name}.${svc.namespace}.svc` };
}

/** Go's wording for the common transport failures, so messages read like kube-apiserver's. */
function describeTransportError(e: NodeJS.ErrnoException, url: URL): string {
  const host = url.host;
  switch (e.code) {
    case 'ECONNREFUSED':
      return `dial tcp ${host}: connect: connection refused`;
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
      return 'tls: failed to verify certificate: x509: certificate signed by unknown authority';
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return `tls: failed to verify certificate: x509: ${e.message}`;
    default:
      return e.message;
  }
}

// One keep-alive agent per (webhook host, CA): a TLS handshake per admission call would cost more
// than the review itself, as it does for kube-apiserver, which also reuses connections.
const agents = new Map<string, Agent>();

function agentFor(t: Target, ca: string | undefined): Agent {
  const key = `${t.url.host}|${t.servername ?? ''}|${ca ?? ''}`;
  let agent = agents.get(key);
  if (!agent) {
    if (agents.size > 64) {
      for (const a of agents.values()) a.destroy();
      agents.clear();
    }
    agent = new Agent({ keepAlive: true, maxSockets: 64, ca, servername: t.servername });
    agents.set(key, agent);
  }
  return agent;
}

/** caBundle (base64) -> PEM, decoded once per distinct bundle rather than on every call. */
const decodedCas = new Map<string, string>();

function caPemOf(caBundle: string | undefined): string | undefined {
  if (caBundle === undefined || caBundle === '') return undefined;
  let pem = decodedCas.get(caBundle);
  if (pem === undefined) {
    if (decodedCas.size > 64) decodedCas.clear();
    pem = Buffer.from(caBundle, 'base64').toString('utf8');
    decodedCas.set(caBundle, pem);
  }
  return pem;
}

function post(t: Target, hook: Webhook, body: string): Promise<string> {
  const timeoutMs = Math.min(Math.max(hook.timeoutSeconds ?? 10, 1), 30) * 1000;
  return new Promise((resolve, reject) => {
    // The agent carries the CA and server name: every connection it opens verifies against them.
    const req = request(t.url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'Content-Length': Buffer.byteLength(body) },
      agent: agentFor(t, caPemOf(hook.clientConfig?.caBundle)),
    });
    const shown = (): string => `Post "${t.url.toString()}"`;
    const timer = setTimeout(() => {
      req.destroy(new WebhookCallError(`failed to call webhook: ${shown()}: context deadline exceeded`));
    }, timeoutMs);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        clearTimeout(timer);
        const text = Buffer.concat(chunks).toString('utf8');
        const code = res.statusCode ?? 0;
        if (code < 200 || code >= 300) {
          reject(new WebhookCallError(`failed to call webhook: an error on the server ("${text.slice(0, 200)}") has prevented the request from succeeding`));
        } else resolve(text);
      });
      res.on('error', (e) => reject(e));
    });
    req.on('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (e instanceof WebhookCallError) reject(e);
      else reject(new WebhookCallError(`failed to call webhook: ${shown()}: ${describeTransportError(e, t.url)}`));
    });
    req.end(body);
  });
}

/** Sends the review; returns the webhook's response after checking its shape and uid. */
export async function callWebhook(hook: Webhook, review: AdmissionReview, resolveService: ServiceResolver | undefined): Promise<AdmissionResponse> {
  const text = await post(target(hook, resolveService), hook, JSON.stringify(review));
  let parsed: JsonValue;
  try {
    parsed = JSON.parse(text) as JsonValue;
  } catch (e) {
    throw new WebhookCallError(`received invalid webhook response: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!isJsonObject(parsed) || parsed.kind !== 'AdmissionReview' || parsed.apiVersion !== review.apiVersion) {
    throw new WebhookCallError(`received invalid webhook response: expected webhook response of ${review.apiVersion}, Kind=AdmissionReview`);
  }
  const response = parsed.response;
  if (!isJsonObject(response)) throw new WebhookCallError('received invalid webhook response: webhook response was absent');
  const expected = review.request?.uid ?? '';
  if (response.uid !== expected) {
    throw new WebhookCallError(`received invalid webhook response: expected response.uid="${expected}", got ${JSON.stringify(response.uid ?? null)}`);
  }
  return response as unknown as AdmissionResponse;
}
