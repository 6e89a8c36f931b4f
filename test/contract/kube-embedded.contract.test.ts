// The ClusterClient contract through the kube adapter (@kubernetes/client-node credentials, HTTPS,
// discovery, streaming watch) against the embedded API server, exactly as it would run against a
// real cluster.
import { after } from 'node:test';
import { runClusterContract } from '../../src/cluster/contract.js';
import { startLocalServer } from '../../src/cluster/http/index.js';
import type { LocalServer } from '../../src/cluster/http/index.js';
import { KubeClient } from '../../src/cluster/kube/index.js';

let server: LocalServer | undefined;
let client: KubeClient | undefined;

after(async () => {
  client?.close();
  await server?.close();
});

runClusterContract(
  'kube → embedded server',
  async () => {
    server = await startLocalServer();
    client = KubeClient.fromKubeconfig(server.kubeconfigPath);
    return client;
  },
  {
    forgetHistory: () => {
      server?.cluster.compact();
      return Promise.resolve();
    },
    timeoutMs: 5_000,
  },
);
