// What the write verbs (create-object, update-object, patch-object, delete-object) act on.
// MemoryCluster builds one at construction and hands the same object to every write.
import type { AccessControl } from './access.js';
import type { Core } from './core.js';
import type { Lifecycle } from './lifecycle.js';

export interface WriteContext {
  readonly core: Core;
  /** Settled after every write, so deletion and collection finish before the request returns. */
  readonly lifecycle: Lifecycle;
  /** Answers the review kinds (SubjectAccessReview...) that are created but never stored. */
  readonly access: AccessControl;
}
