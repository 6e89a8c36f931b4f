// As much OpenAPI v3 as kubectl needs. kubectl asks it one question before `apply`/`create`: does the
// PATCH operation of this kind take the `fieldValidation` query parameter (server-side validation)?
// With "yes" it skips client-side schema validation, so no schemas are served: for strategic merge
// patches kubectl then falls back to the patch metadata compiled into it.
import { createHash } from 'node:crypto';
import type { ResourceInfo } from '../client.js';

function gvPath(group: string, version: string): string {
  return group === '' ? `api/${version}` : `apis/${group}/${version}`;
}

function patchOperation(r: ResourceInfo): Record<string, unknown> {
  return {
    patch: {
      operationId: `patch${r.kind}`,
      'x-kubernetes-action': 'patch',
      'x-kubernetes-group-version-kind': { group: r.group, version: r.version, kind: r.kind },
      parameters: ['dryRun', 'fieldManager', 'fieldValidation', 'force'].map((name) => ({
        name, in: 'query', schema: { type: name === 'force' ? 'boolean' : 'string' }, uniqueItems: true,
      })),
      responses: { '200': { description: 'OK' } },
    },
  };
}

export function openApiGroupVersionDoc(resources: ResourceInfo[], path: string): Record<string, unknown> | undefined {
  const served = resources.filter((r) => gvPath(r.group, r.version) === path);
  if (served.length === 0) return undefined;
  const paths: Record<string, unknown> = {};
  for (const r of served) {
    const base = `/${path}/${r.namespaced ? 'namespaces/{namespace}/' : ''}${r.resource}/{name}`;
    paths[base] = patchOperation(r);
  }
  return { openapi: '3.0.0', info: { title: 'Kubernetes', version: 'v1.32.0' }, paths, components: { schemas: {} } };
}

export function openApiRoot(resources: ResourceInfo[]): Record<string, unknown> {
  const paths: Record<string, unknown> = {};
  const seen = new Set(resources.map((r) => gvPath(r.group, r.version)));
  for (const p of [...seen].sort()) {
    const doc = openApiGroupVersionDoc(resources, p);
    const hash = createHash('sha256').update(JSON.stringify(doc)).digest('hex').slice(0, 32).toUpperCase();
    paths[p] = { serverRelativeURL: `/openapi/v3/${p}?hash=${hash}` };
  }
  return { paths };
}
