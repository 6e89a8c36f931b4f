// The embedded API server alone, in its own process, for the create-latency phase's "separate"
// topology (as in a real cluster: the API server and Sprout do not share an event loop).
// `--durable DIR` keeps state in a data dir as `sprout local --data-dir` does: every write is in the
// fsync'd write-ahead log before the API server answers, as etcd's is.
// Prints `READY {"kubeconfigPath":…}` once it listens. Usage: node dist/bench/webhook/api-server.js [--durable DIR]
import { startLocalServer } from '../../src/cluster/http/index.js';
import { openDurableCluster } from '../../src/cluster/persist/index.js';

const i = process.argv.indexOf('--durable');
const dir = i >= 0 ? process.argv[i + 1] : undefined;
const durable = dir === undefined ? undefined : await openDurableCluster({ dir });
const server = await startLocalServer(durable ? { cluster: durable.cluster } : {});
process.stdout.write(`READY ${JSON.stringify({ kubeconfigPath: server.kubeconfigPath })}\n`);
process.on('SIGTERM', () => {
  void (async () => {
    await server.close();
    await durable?.close({ snapshot: false });
    process.exit(0);
  })();
});
