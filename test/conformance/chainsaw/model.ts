// The parsed form of chainsaw's Test and StepTemplate documents (the subset the runner supports).
import type { JsonObject } from '../../../src/api/json.js';
import type { BindingDecl } from './bindings.js';

/** Where an operation's resources come from: a file (relative to the test folder, may be "(expr)") or inline. */
export type ResourceSource = { file: string } | { resource: JsonObject };

interface OperationBase {
  /** Operation-level `timeout`, in ms. */
  timeoutMs?: number;
  /** Operation-level `template` switch. */
  template?: boolean;
  bindings: BindingDecl[];
}

export interface ResourceOperation extends OperationBase {
  type: 'apply' | 'create' | 'update' | 'patch' | 'assert' | 'error';
  source: ResourceSource;
}

export interface DeleteOperation extends OperationBase {
  type: 'delete';
  source: ResourceSource | { ref: JsonObject };
}

export interface ExecOperation extends OperationBase {
  type: 'script' | 'command';
  /** script: shell text run by `sh -c`. */
  content?: string;
  /** command: program and arguments, no shell. */
  entrypoint?: string;
  args: string[];
  env: BindingDecl[];
  /** Assertion tree over $error, $stdout, $stderr; without it a non-zero exit fails. */
  check?: JsonObject;
}

export interface SleepOperation extends OperationBase {
  type: 'sleep';
  durationMs: number;
}

export interface WaitOperation extends OperationBase {
  type: 'wait';
  apiVersion: string;
  kind: string;
  name?: string;
  namespace?: string;
  /** Condition name and wanted status ("True" when omitted); or deletion. */
  condition?: { name: string; value: string };
  deletion: boolean;
}

export type Operation = ResourceOperation | DeleteOperation | ExecOperation | SleepOperation | WaitOperation;

export interface Step {
  name: string;
  bindings: BindingDecl[];
  try: Operation[];
  catch: Operation[];
  finally: Operation[];
  cleanup: Operation[];
  template?: boolean;
}

export interface Timeouts {
  apply: number;
  assert: number;
  cleanup: number;
  delete: number;
  error: number;
  exec: number;
}

export interface Test {
  name: string;
  /** The chainsaw-test.yaml file. */
  file: string;
  /** Folder that relative file paths resolve against. */
  dir: string;
  steps: Step[];
  /** Test-level overrides (ms) of the configured timeouts. */
  timeouts: Partial<Timeouts>;
  bindings: BindingDecl[];
  namespace?: string;
  skipDelete: boolean;
  concurrent: boolean;
  template?: boolean;
}

export interface SuiteConfig {
  timeouts: Timeouts;
  templating: boolean;
  delayBeforeCleanupMs: number;
  skipDelete: boolean;
  /** Delete the test namespace without waiting for what it contains. */
  fastNamespaceDelete: boolean;
}

/** Chainsaw's defaults, used when no .chainsaw.yaml says otherwise. */
export const defaultConfig: SuiteConfig = {
  timeouts: { apply: 5000, assert: 30000, cleanup: 30000, delete: 15000, error: 30000, exec: 5000 },
  templating: true,
  delayBeforeCleanupMs: 0,
  skipDelete: false,
  fastNamespaceDelete: false,
};
