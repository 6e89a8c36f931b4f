// Durable state for the embedded API server (`sprout local --data-dir`): import from here.
export { openDurableCluster } from './durable-cluster.js';
export type { DurableCluster, DurableClusterOptions, DurableStats } from './durable-cluster.js';
export { DataDirLockedError } from './lock.js';
export { CorruptDataError } from './record-format.js';
