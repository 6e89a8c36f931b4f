// The ClusterClient contract against whatever cluster $KUBECONFIG points at (kind, k3d, a shared
// dev cluster: the suite only touches namespaces it creates). Without KUBECONFIG it is skipped, and
// says so in the report.
import { after, test } from 'node:test';
import { runClusterContract } from '../../src/cluster/contract.js';
import { KubeClient } from '../../src/cluster/kube/index.js';

const kubeconfig = process.env.KUBECONFIG;

if (kubeconfig === undefined || kubeconfig === '') {
  test(
    'ClusterClient contract: kube → $KUBECONFIG',
    {
      skip: 'KUBECONFIG not set: skipping the contract against a real cluster',
    },
    () => undefined,
  );
} else {
  let client: KubeClient | undefined;
  after(() => client?.close());
  runClusterContract(
    'kube → $KUBECONFIG',
    () => {
      client = KubeClient.fromKubeconfig(undefined, {
        context: process.env.SPROUT_TEST_CONTEXT || undefined,
      });
      return client;
    },
    // A real cluster's garbage collector and namespace controller take their time.
    { timeoutMs: 60_000 },
  );
}
