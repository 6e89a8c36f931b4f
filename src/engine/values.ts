// Values the offline CLI supplies instead of a cluster (Kyverno's `Values` file):
// dotted keys written into the context before context entries are loaded.
import type { JsonValue } from '../api/json.js';

export interface RuleValues {
  values?: Record<string, JsonValue>;
  /** The i-th value of each variable is used in the i-th foreach iteration. */
  foreachValues?: Record<string, JsonValue[]>;
}

export interface ContextValues {
  global?: Record<string, JsonValue>;
  /** Values for the resource being evaluated. */
  resource?: Record<string, JsonValue>;
  rules?: Record<string, RuleValues>;
}
