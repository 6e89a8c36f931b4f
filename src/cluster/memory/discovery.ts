// The memory server's REST mapping: built-ins plus whatever established CRDs serve.
import type { ResourceInfo } from '../client.js';
import type { ServedResource } from './builtin-resources.js';
import { builtinResources } from './builtin-resources.js';

export class Discovery {
  private readonly byKind = new Map<string, ServedResource>();
  private readonly byResource = new Map<string, ServedResource>();
  /** CRD name -> the keys it registered, so deleting the CRD unregisters exactly those. */
  private readonly fromCrd = new Map<string, ServedResource[]>();

  constructor() {
    for (const r of builtinResources()) this.add(r);
  }

  private add(r: ServedResource): void {
    this.byKind.set(`${r.group}/${r.version}/${r.kind}`, r);
    this.byResource.set(`${r.group}/${r.version}/${r.resource}`, r);
  }

  byGvk(group: string, version: string, kind: string): ServedResource | undefined {
    return this.byKind.get(`${group}/${version}/${kind}`);
  }

  byGvr(group: string, version: string, resource: string): ServedResource | undefined {
    return this.byResource.get(`${group}/${version}/${resource}`);
  }

  /** Any served version of a group/kind (owner references may name another version). */
  anyVersion(group: string, kind: string): ServedResource | undefined {
    for (const r of this.byKind.values()) if (r.group === group && r.kind === kind) return r;
    return undefined;
  }

  /** The resource stored in a table ("group/resource"), whichever version. */
  byTable(table: string): ServedResource | undefined {
    for (const r of this.byKind.values()) if (`${r.group}/${r.resource}` === table) return r;
    return undefined;
  }

  registerCrd(crdName: string, resources: ServedResource[]): void {
    this.unregisterCrd(crdName);
    for (const r of resources) this.add(r);
    this.fromCrd.set(crdName, resources);
  }

  unregisterCrd(crdName: string): void {
    for (const r of this.fromCrd.get(crdName) ?? []) {
      this.byKind.delete(`${r.group}/${r.version}/${r.kind}`);
      this.byResource.delete(`${r.group}/${r.version}/${r.resource}`);
    }
    this.fromCrd.delete(crdName);
  }

  all(): ServedResource[] {
    return [...this.byKind.values()];
  }
}

/** The public view of a ServedResource (callers never see the memory server's extras). */
export function publicInfo(r: ServedResource): ResourceInfo {
  return {
    group: r.group,
    version: r.version,
    kind: r.kind,
    resource: r.resource,
    singular: r.singular,
    namespaced: r.namespaced,
    subresources: [...r.subresources],
    verbs: [...r.verbs],
    shortNames: [...r.shortNames],
    categories: [...r.categories],
    listKind: r.listKind,
  };
}
