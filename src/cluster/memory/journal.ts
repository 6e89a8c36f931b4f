// The hooks a persistence layer plugs into: a journal that sees every committed change in
// resourceVersion order, and the state a restarted server starts from. The memory core knows
// nothing about files; src/cluster/persist implements these.
import type { KubeObject } from '../../api/kube.js';
import type { Located } from './store.js';

/** One committed change: the object as stored after the write, or no object when it was removed. */
export interface JournalEntry {
  rv: number;
  /** The store table, "group/resource". */
  table: string;
  /** '' for cluster-scoped objects. */
  namespace: string;
  name: string;
  object?: KubeObject;
}

export interface WriteJournal {
  /**
   * Called synchronously inside every write, in resourceVersion order. The object belongs to the
   * store and is never mutated afterwards, but the journal must not modify it either.
   */
  record(entry: JournalEntry): void;
  /**
   * Resolves once every entry recorded so far is durable. Write (and read) calls wait for it before
   * they resolve, so nothing is acknowledged that a crash could take back.
   */
  sync(): Promise<void>;
}

/** The state a persisted server restarts from (or a snapshot is written from). */
export interface PersistedState {
  /** The resourceVersion counter: the next write gets rv + 1. */
  rv: number;
  /** Stored objects, shared with the store: treat them as read-only. */
  objects: Located[];
}
