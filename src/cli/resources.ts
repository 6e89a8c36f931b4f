// Reads Kubernetes objects from YAML files for the offline CLI. A namespaced object without a
// namespace lands in `default`, as kubectl (and Kyverno's CLI) would put it.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { JsonValue } from '../api/json.js';
import { isJsonObject } from '../api/json.js';
import type { KubeObject } from '../api/kube.js';
import type { ScopeOracle } from '../policy/builtin-scopes.js';
import { parseYamlDocuments } from '../policy/yaml.js';

export type { ScopeOracle } from '../policy/builtin-scopes.js';

export function isKubeObject(v: JsonValue): v is JsonValue & KubeObject {
  return (
    isJsonObject(v) &&
    typeof v['kind'] === 'string' &&
    typeof v['apiVersion'] === 'string' &&
    isJsonObject(v['metadata'])
  );
}

/** Expands `kind: List` documents into their items. */
function flatten(v: JsonValue): JsonValue[] {
  if (
    isJsonObject(v) &&
    typeof v['kind'] === 'string' &&
    v['kind'].endsWith('List') &&
    Array.isArray(v['items'])
  ) {
    return v['items'];
  }
  return [v];
}

export async function loadResourceFiles(
  files: string[],
  baseDir: string,
  scopeOf: ScopeOracle,
): Promise<KubeObject[]> {
  const out: KubeObject[] = [];
  for (const f of files) {
    const path = resolve(baseDir, f);
    const docs = parseYamlDocuments(await readFile(path, 'utf8'), path);
    for (const doc of docs) {
      for (const item of flatten(doc.value)) {
        if (!isKubeObject(item)) continue;
        const obj = item as unknown as KubeObject;
        if (!obj.metadata.namespace && scopeOf(obj.apiVersion, obj.kind) !== 'Cluster')
          obj.metadata.namespace = 'default';
        out.push(obj);
      }
    }
  }
  return out;
}
