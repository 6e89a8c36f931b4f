// The in-memory API server core: import MemoryCluster from here.
export { MemoryCluster } from './memory-cluster.js';
export type { MemoryClusterOptions } from './memory-cluster.js';
export type { AccessDenial, AccessOptions } from './access.js';
export { REVIEW_KINDS } from './access.js';
