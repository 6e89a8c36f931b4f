// The discovery documents kubectl reads before anything else: /version, /api, /apis and the
// per-group-version APIResourceLists, built from the cluster's REST mapping (CRDs included).
import type { ResourceInfo } from '../client.js';

export const KUBERNETES_VERSION = { major: '1', minor: '32', gitVersion: 'v1.32.0-sprout' };

export function versionInfo(): Record<string, string> {
  return {
    ...KUBERNETES_VERSION,
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2024-12-11T00:00:00Z',
    goVersion: 'go1.23.4',
    compiler: 'gc',
    platform: 'linux/amd64',
  };
}

/** Kubernetes version priority: GA before beta before alpha, higher numbers first. */
export function compareVersions(a: string, b: string): number {
  const rank = (v: string): [number, number, number] => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (m === null) return [3, 0, 0];
    const level = m[2] === undefined ? 0 : m[2] === 'beta' ? 1 : 2;
    return [level, -Number(m[1]), -Number(m[3] ?? 0)];
  };
  const [la, ma, na] = rank(a);
  const [lb, mb, nb] = rank(b);
  return la - lb || ma - mb || na - nb || a.localeCompare(b);
}

export function apiVersions(serverAddress: string): Record<string, unknown> {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
}

interface GroupVersions {
  name: string;
  versions: string[];
}

function groupsOf(resources: ResourceInfo[]): GroupVersions[] {
  const byGroup = new Map<string, Set<string>>();
  for (const r of resources) {
    if (r.group === '') continue;
    let set = byGroup.get(r.group);
    if (set === undefined) byGroup.set(r.group, (set = new Set()));
    set.add(r.version);
  }
  return [...byGroup.entries()].map(([name, vs]) => ({ name, versions: [...vs].sort(compareVersions) }));
}

function apiGroup(g: GroupVersions): Record<string, unknown> {
  const versions = g.versions.map((v) => ({ groupVersion: `${g.name}/${v}`, version: v }));
  return { name: g.name, versions, preferredVersion: versions[0] };
}

export function apiGroupList(resources: ResourceInfo[]): Record<string, unknown> {
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: groupsOf(resources).map(apiGroup) };
}

export function apiGroupDoc(resources: ResourceInfo[], group: string): Record<string, unknown> | undefined {
  const g = groupsOf(resources).find((x) => x.name === group);
  return g === undefined ? undefined : { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(g) };
}

interface SubresourceShape {
  kind?: string;
  group?: string;
  version?: string;
  verbs: string[];
}

/** How kube-apiserver lists subresources in discovery (kind defaults to the parent's). */
const SUBRESOURCES: Record<string, SubresourceShape> = {
  status: { verbs: ['get', 'patch', 'update'] },
  scale: { kind: 'Scale', group: 'autoscaling', version: 'v1', verbs: ['get', 'patch', 'update'] },
  finalize: { verbs: ['update'] },
  token: { kind: 'TokenRequest', group: 'authentication.k8s.io', version: 'v1', verbs: ['create'] },
  eviction: { kind: 'Eviction', group: 'policy', version: 'v1', verbs: ['create'] },
  binding: { kind: 'Binding', verbs: ['create'] },
  exec: { kind: 'PodExecOptions', verbs: ['create', 'get'] },
  attach: { kind: 'PodAttachOptions', verbs: ['create', 'get'] },
  portforward: { kind: 'PodPortForwardOptions', verbs: ['create', 'get'] },
  log: { verbs: ['get'] },
  /** Kind: NodeProxyOptions, PodProxyOptions, ServiceProxyOptions. */
  proxy: { verbs: ['create', 'delete', 'get', 'patch', 'update'] },
};

/** undefined when nothing is served in that group/version. */
export function apiResourceList(resources: ResourceInfo[], group: string, version: string): Record<string, unknown> | undefined {
  const served = resources.filter((r) => r.group === group && r.version === version);
  if (served.length === 0) return undefined;
  const entries: Record<string, unknown>[] = [];
  for (const r of [...served].sort((a, b) => a.resource.localeCompare(b.resource))) {
    const entry: Record<string, unknown> = { name: r.resource, singularName: r.singular, namespaced: r.namespaced, kind: r.kind, verbs: r.verbs };
    if (r.shortNames.length > 0) entry.shortNames = r.shortNames;
    if (r.categories.length > 0) entry.categories = r.categories;
    entries.push(entry);
    for (const sub of r.subresources) {
      const shape = SUBRESOURCES[sub] ?? { verbs: ['get', 'patch', 'update'] };
      const subEntry: Record<string, unknown> = { name: `${r.resource}/${sub}`, singularName: '', namespaced: r.namespaced };
      if (shape.group !== undefined) subEntry.group = shape.group;
      if (shape.version !== undefined) subEntry.version = shape.version;
      subEntry.kind = sub === 'proxy' ? `${r.kind}ProxyOptions` : (shape.kind ?? r.kind);
      subEntry.verbs = shape.verbs;
      entries.push(subEntry);
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group === '' ? version : `${group}/${version}`, resources: entries };
}
