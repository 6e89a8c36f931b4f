// What operations share while a test runs.
import type { JsonObject } from '../../../src/api/json.js';
import type { ClusterClient, ObjectRef } from './client.js';
import type { Clock } from './clock.js';
import type { Operation, SuiteConfig, Test, Timeouts } from './model.js';
import type { ReadText } from './parse.js';
import type { ProcessRunner } from './process.js';

export interface OperationResult {
  ok: boolean;
  reason?: string;
  /** For assertion failures: expected ("-") against the closest actual object ("+"). */
  diff?: string;
}

/** Everything a test created, in creation order, plus step `cleanup` operations to run at the end. */
export class CleanupRegistry {
  readonly created: (ObjectRef & { name: string })[] = [];
  readonly deferred: { op: Operation; stepIndex: number }[] = [];

  register(ref: ObjectRef & { name: string }): void {
    this.created.push(ref);
  }
}

export interface RunContext {
  client: ClusterClient;
  clock: Clock;
  runner: ProcessRunner;
  /** Handed to scripts and commands as KUBECONFIG. */
  kubeconfig: string;
  config: SuiteConfig;
  test: Test;
  /** The test's namespace: where resources that name none go; also $namespace. */
  namespace: string;
  timeouts: Timeouts;
  cleanup: CleanupRegistry;
  readText: ReadText;
}

export function metadataOf(obj: JsonObject): JsonObject {
  const m = obj['metadata'];
  return m !== null && typeof m === 'object' && !Array.isArray(m) ? m : {};
}

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** A JSON value as text for messages and keys (strings unquoted). */
export function text(v: unknown): string {
  return typeof v === 'string' ? v : (JSON.stringify(v) ?? 'undefined');
}
