// The kubeconfig written for the embedded server: its CA, its URL and a bearer token.
import { writeFile } from 'node:fs/promises';
import { stringify } from 'yaml';

export interface KubeconfigInput {
  server: string;
  caBase64: string;
  token: string;
  /** Cluster, user and context name. */
  name: string;
  namespace?: string;
}

export function kubeconfigYaml(k: KubeconfigInput): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: k.name, cluster: { server: k.server, 'certificate-authority-data': k.caBase64 } }],
    users: [{ name: `${k.name}-admin`, user: { token: k.token } }],
    contexts: [{ name: k.name, context: { cluster: k.name, user: `${k.name}-admin`, namespace: k.namespace ?? 'default' } }],
    'current-context': k.name,
    preferences: {},
  });
}

export async function writeKubeconfig(path: string, k: KubeconfigInput): Promise<void> {
  await writeFile(path, kubeconfigYaml(k), { mode: 0o600 });
}
