// Discovery over the wire: /api, /apis and each group-version's APIResourceList become ResourceInfo
// entries (kind <-> plural resource, scope, subresources, verbs). The full picture is cached for a
// while; a lookup that misses refetches just that group-version, because CRDs appear at any time.
import { parseApiVersion } from '../../api/kube.js';
import type { ResourceInfo } from '../client.js';
import { isNotFound } from '../errors.js';

/** Fetches a discovery document; rejects with a typed error (NotFound when not served). */
export type FetchJson = (path: string) => Promise<unknown>;

interface ApiResource {
  name: string;
  singularName?: string;
  namespaced?: boolean;
  kind?: string;
  verbs?: string[];
  shortNames?: string[];
  categories?: string[];
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** One APIResourceList → its resources, with `x/y` entries folded into x's subresources. */
export function resourcesFromList(group: string, version: string, doc: unknown): ResourceInfo[] {
  const entries = (Array.isArray(record(doc).resources) ? (record(doc).resources as unknown[]) : [])
    .map(record)
    .filter((r) => typeof r.name === 'string') as unknown as ApiResource[];
  const byName = new Map<string, ResourceInfo>();
  for (const r of entries) {
    if (r.name.includes('/')) continue;
    const kind = r.kind ?? '';
    byName.set(r.name, {
      group,
      version,
      kind,
      resource: r.name,
      singular: r.singularName !== undefined && r.singularName !== '' ? r.singularName : kind.toLowerCase(),
      namespaced: r.namespaced === true,
      subresources: [],
      verbs: strings(r.verbs),
      shortNames: strings(r.shortNames),
      categories: strings(r.categories),
      listKind: `${kind}List`,
    });
  }
  for (const r of entries) {
    const [parent, sub] = r.name.split('/', 2);
    const owner = parent === undefined ? undefined : byName.get(parent);
    if (owner !== undefined && sub !== undefined && !owner.subresources.includes(sub))
      owner.subresources.push(sub);
  }
  return [...byName.values()];
}

function groupVersionPath(group: string, version: string): string {
  return group === '' ? `/api/${version}` : `/apis/${group}/${version}`;
}

export interface DiscoveryOptions {
  /** How long a full discovery stays fresh for `resources()` (default 30 s). */
  ttlMs?: number;
  now?: () => number;
}

export class DiscoveryCache {
  private readonly fetchJson: FetchJson;
  private readonly ttlMs: number;
  private readonly now: () => number;
  /** "group/version" → that group-version's resources. */
  private readonly byGroupVersion = new Map<string, ResourceInfo[]>();
  private loadedAt = -Infinity;
  private loading: Promise<void> | undefined;

  constructor(fetchJson: FetchJson, options: DiscoveryOptions = {}) {
    this.fetchJson = fetchJson;
    this.ttlMs = options.ttlMs ?? 30_000;
    this.now = options.now ?? (() => performance.now());
  }

  /** Forgets everything: the next call rediscovers. */
  invalidate(): void {
    this.byGroupVersion.clear();
    this.loadedAt = -Infinity;
  }

  async resources(): Promise<ResourceInfo[]> {
    if (this.now() - this.loadedAt > this.ttlMs) await this.loadAll();
    return [...this.byGroupVersion.values()].flat().map(copy);
  }

  async resolveKind(apiVersion: string, kind: string): Promise<ResourceInfo | undefined> {
    const { group, version } = parseApiVersion(apiVersion);
    const find = (): ResourceInfo | undefined =>
      this.byGroupVersion.get(`${group}/${version}`)?.find((r) => r.kind === kind);
    return copyOrUndefined(find() ?? ((await this.refreshGroupVersion(group, version)) ? find() : undefined));
  }

  async resolveResource(group: string, version: string, resource: string): Promise<ResourceInfo | undefined> {
    const find = (): ResourceInfo | undefined =>
      this.byGroupVersion.get(`${group}/${version}`)?.find((r) => r.resource === resource);
    return copyOrUndefined(find() ?? ((await this.refreshGroupVersion(group, version)) ? find() : undefined));
  }

  /** Refetches one group-version; false when the server does not serve it. */
  private async refreshGroupVersion(group: string, version: string): Promise<boolean> {
    try {
      const doc = await this.fetchJson(groupVersionPath(group, version));
      this.byGroupVersion.set(`${group}/${version}`, resourcesFromList(group, version, doc));
      return true;
    } catch (e) {
      if (!isNotFound(e)) throw e;
      this.byGroupVersion.delete(`${group}/${version}`);
      return false;
    }
  }

  private loadAll(): Promise<void> {
    this.loading ??= this.fetchAll().finally(() => {
      this.loading = undefined;
    });
    return this.loading;
  }

  private async fetchAll(): Promise<void> {
    const [core, apis] = await Promise.all([this.fetchJson('/api'), this.fetchJson('/apis')]);
    const gvs: [string, string][] = strings(record(core).versions).map((v) => ['', v]);
    for (const g of Array.isArray(record(apis).groups) ? (record(apis).groups as unknown[]) : []) {
      const name = record(g).name;
      if (typeof name !== 'string') continue;
      for (const v of Array.isArray(record(g).versions) ? (record(g).versions as unknown[]) : []) {
        const version = record(v).version;
        if (typeof version === 'string') gvs.push([name, version]);
      }
    }
    const fresh = new Map<string, ResourceInfo[]>();
    await Promise.all(
      gvs.map(async ([group, version]) => {
        try {
          fresh.set(
            `${group}/${version}`,
            resourcesFromList(group, version, await this.fetchJson(groupVersionPath(group, version))),
          );
        } catch {
          // An unavailable aggregated API (metrics.k8s.io without its server) must not hide the rest.
        }
      }),
    );
    this.byGroupVersion.clear();
    for (const [gv, list] of fresh) this.byGroupVersion.set(gv, list);
    this.loadedAt = this.now();
  }
}

function copy(r: ResourceInfo): ResourceInfo {
  return {
    ...r,
    subresources: [...r.subresources],
    verbs: [...r.verbs],
    shortNames: [...r.shortNames],
    categories: [...r.categories],
  };
}

function copyOrUndefined(r: ResourceInfo | undefined): ResourceInfo | undefined {
  return r === undefined ? undefined : copy(r);
}
