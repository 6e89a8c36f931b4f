// ClusterClient over the kubectl binary, so the runner reaches any cluster through KUBECONFIG and
// exercises the same HTTP surface users do. Discovery (`get --raw /apis/g/v`) turns kinds into REST
// paths; reads and creates use --raw; merge patches use `kubectl patch`.
import type { JsonObject, JsonValue } from '../../../src/api/json.js';
import { isJsonObject } from '../../../src/api/json.js';
import { parseApiVersion } from '../../../src/api/kube.js';
import type { ClusterClient, ClusterErrorReason, ObjectRef } from './client.js';
import { ClusterError, refOf } from './client.js';
import type { ProcessRunner } from './process.js';

export interface KubectlClientOptions {
  kubeconfig: string;
  runner: ProcessRunner;
  kubectl?: string;
  /** Per kubectl call. */
  requestTimeoutMs?: number;
}

interface ResourceInfo {
  plural: string;
  namespaced: boolean;
}

export class KubectlClient implements ClusterClient {
  private readonly discovery = new Map<string, Map<string, ResourceInfo>>();

  constructor(private readonly options: KubectlClientOptions) {}

  async isNamespaced(apiVersion: string, kind: string): Promise<boolean> {
    return (await this.resource(apiVersion, kind)).namespaced;
  }

  async get(ref: ObjectRef & { name: string }): Promise<JsonObject | null> {
    let path: string;
    try {
      path = await this.path(ref);
    } catch (e) {
      if (e instanceof ClusterError && e.reason === 'UnknownKind') return null;
      throw e;
    }
    try {
      return asObject(await this.json(['get', '--raw', path]));
    } catch (e) {
      if (e instanceof ClusterError && e.reason === 'NotFound') return null;
      throw e;
    }
  }

  async list(ref: ObjectRef): Promise<JsonObject[]> {
    let path: string;
    try {
      path = await this.path({ ...ref, name: undefined });
    } catch (e) {
      if (e instanceof ClusterError && e.reason === 'UnknownKind') return [];
      throw e;
    }
    const selector = Object.entries(ref.labels ?? {}).map(([k, v]) => `${k}=${v}`).join(',');
    if (selector !== '') path += `?labelSelector=${encodeURIComponent(selector)}`;
    const list = asObject(await this.json(['get', '--raw', path]));
    const items = Array.isArray(list['items']) ? list['items'] : [];
    // List items omit apiVersion and kind; assertions usually name them.
    return items.filter(isJsonObject).map((item) => ({ apiVersion: ref.apiVersion, kind: ref.kind, ...item }));
  }

  async create(obj: JsonObject): Promise<JsonObject> {
    const ref = refOf(obj);
    return asObject(await this.json(['create', '--raw', await this.path({ ...ref, name: undefined }), '-f', '-'], JSON.stringify(obj)));
  }

  async mergePatch(ref: ObjectRef & { name: string }, patch: JsonObject): Promise<JsonObject> {
    const info = await this.resource(ref.apiVersion, ref.kind);
    const { group, version } = parseApiVersion(ref.apiVersion);
    const resourceArg = group === '' ? info.plural : `${info.plural}.${version}.${group}`;
    const args = ['patch', resourceArg, ref.name, '--type', 'merge', '-p', JSON.stringify(patch), '-o', 'json'];
    if (info.namespaced && ref.namespace !== undefined) args.push('-n', ref.namespace);
    return asObject(await this.json(args));
  }

  async replace(obj: JsonObject): Promise<JsonObject> {
    return asObject(await this.json(['replace', '--raw', await this.path(refOf(obj)), '-f', '-'], JSON.stringify(obj)));
  }

  async delete(ref: ObjectRef & { name: string }): Promise<boolean> {
    let path: string;
    try {
      path = await this.path(ref);
    } catch (e) {
      if (e instanceof ClusterError && e.reason === 'UnknownKind') return false;
      throw e;
    }
    try {
      await this.kubectl(['delete', '--raw', `${path}?propagationPolicy=Background`]);
      return true;
    } catch (e) {
      if (e instanceof ClusterError && e.reason === 'NotFound') return false;
      throw e;
    }
  }

  /** REST path of a collection (no name) or an object. */
  async path(ref: ObjectRef): Promise<string> {
    const info = await this.resource(ref.apiVersion, ref.kind);
    const { group, version } = parseApiVersion(ref.apiVersion);
    let path = group === '' ? `/api/${version}` : `/apis/${group}/${version}`;
    if (info.namespaced && ref.namespace !== undefined) path += `/namespaces/${encodeURIComponent(ref.namespace)}`;
    path += `/${info.plural}`;
    if (ref.name !== undefined) path += `/${encodeURIComponent(ref.name)}`;
    return path;
  }

  private async resource(apiVersion: string, kind: string): Promise<ResourceInfo> {
    const cached = this.discovery.get(apiVersion)?.get(kind);
    if (cached !== undefined) return cached;
    // Unknown so far: CRDs appear during tests, so ask again before giving up.
    const fresh = await this.discover(apiVersion);
    const info = fresh.get(kind);
    if (info === undefined) throw new ClusterError('UnknownKind', `the server doesn't serve ${kind} in ${apiVersion}`);
    return info;
  }

  private async discover(apiVersion: string): Promise<Map<string, ResourceInfo>> {
    const { group, version } = parseApiVersion(apiVersion);
    const path = group === '' ? `/api/${version}` : `/apis/${group}/${version}`;
    const kinds = new Map<string, ResourceInfo>();
    try {
      const doc = asObject(await this.json(['get', '--raw', path]));
      for (const r of Array.isArray(doc['resources']) ? doc['resources'] : []) {
        if (!isJsonObject(r) || typeof r['name'] !== 'string' || typeof r['kind'] !== 'string') continue;
        if (r['name'].includes('/')) continue; // subresources
        kinds.set(r['kind'], { plural: r['name'], namespaced: r['namespaced'] === true });
      }
    } catch (e) {
      if (!(e instanceof ClusterError && e.reason === 'NotFound')) throw e;
    }
    this.discovery.set(apiVersion, kinds);
    return kinds;
  }

  private async json(args: string[], stdin?: string): Promise<JsonValue> {
    const out = await this.kubectl(args, stdin);
    try {
      return JSON.parse(out) as JsonValue;
    } catch {
      throw new ClusterError('Other', `kubectl ${args[0] ?? ''}: output is not JSON: ${out.slice(0, 200)}`);
    }
  }

  private async kubectl(args: string[], stdin?: string): Promise<string> {
    const timeout = this.options.requestTimeoutMs ?? 30_000;
    const full = [`--kubeconfig=${this.options.kubeconfig}`, `--request-timeout=${Math.ceil(timeout / 1000)}s`, ...args];
    const r = await this.options.runner.run({ command: this.options.kubectl ?? 'kubectl', args: full, stdin, timeoutMs: timeout + 5000 });
    if (r.error === null) return r.stdout;
    throw new ClusterError(reasonOf(r.stderr), `kubectl ${args.slice(0, 3).join(' ')}: ${r.stderr.trim() || r.error}`);
  }
}

/** kubectl prints "Error from server (NotFound): …"; the reason decides retries and absence. */
export function reasonOf(stderr: string): ClusterErrorReason {
  const m = /Error from server \((\w+)\)/.exec(stderr);
  switch (m?.[1]) {
    case 'NotFound':
      return 'NotFound';
    case 'AlreadyExists':
      return 'AlreadyExists';
    case 'Conflict':
      return 'Conflict';
    default:
      return 'Other';
  }
}

function asObject(v: JsonValue): JsonObject {
  if (!isJsonObject(v)) throw new ClusterError('Other', 'kubectl returned something other than an object');
  return v;
}
