import { runClusterContract } from '../contract.js';
import { MemoryCluster } from './memory-cluster.js';

runClusterContract('memory', () => new MemoryCluster(), {
  forgetHistory: (client) => {
    if (client instanceof MemoryCluster) client.compact();
    return Promise.resolve();
  },
  timeoutMs: 2_000,
});
