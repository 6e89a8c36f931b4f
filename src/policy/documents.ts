// Turns the text of one file into Kyverno policies: every YAML document, `kind: List` unpacked,
// non-policy documents set aside for the caller to mention. Pure: the webhook uses it on request
// bodies, the file loader on file contents.
import type { JsonValue } from '../api/json.js';
import { isJsonObject } from '../api/json.js';
import type { KyvernoPolicy } from '../api/policy.js';
import type { PolicyProblem } from './problems.js';
import type { ValidatePolicyOptions } from './validate.js';
import { isKyvernoPolicyDocument, validatePolicy } from './validate.js';
import { parseYamlDocuments, YamlSyntaxError } from './yaml.js';

export interface LoadedPolicy {
  policy: KyvernoPolicy;
  file: string;
  /** 0-based position of the YAML document in its file (the List's position for List items). */
  document: number;
  warnings: PolicyProblem[];
}

/** A document that is not a Kyverno ClusterPolicy / Policy (a resource, a kyverno-test.yaml, ...). */
export interface OtherDocument {
  file: string;
  document: number;
  apiVersion?: string;
  kind?: string;
  name?: string;
}

export interface LoadResult {
  policies: LoadedPolicy[];
  /** Unreadable files, YAML syntax errors, and every problem of each rejected policy (its warnings included). */
  errors: PolicyProblem[];
  others: OtherDocument[];
}

export function emptyLoadResult(): LoadResult {
  return { policies: [], errors: [], others: [] };
}

export function parsePolicyDocuments(
  text: string,
  file: string,
  options: ValidatePolicyOptions = {},
): LoadResult {
  const result = emptyLoadResult();
  let docs;
  try {
    docs = parseYamlDocuments(text, file);
  } catch (e) {
    const message = e instanceof YamlSyntaxError ? e.message.slice(file.length + 2) : String(e);
    result.errors.push({ file, path: '', message: `invalid YAML: ${message}`, severity: 'error' });
    return result;
  }
  for (const { index, value } of docs) addDocument(value, file, index, options, result);
  return result;
}

function addDocument(
  value: JsonValue,
  file: string,
  document: number,
  options: ValidatePolicyOptions,
  result: LoadResult,
): void {
  if (isList(value)) {
    for (const item of value.items) addDocument(item, file, document, options, result);
    return;
  }
  if (!isKyvernoPolicyDocument(value)) {
    result.others.push(describeOther(value, file, document));
    return;
  }
  const { policy, problems } = validatePolicy(value, file, options);
  const located = problems.map((p) => ({ ...p, document }));
  if (policy === undefined) result.errors.push(...located);
  else result.policies.push({ policy, file, document, warnings: located });
}

function isList(v: JsonValue): v is { kind: string; items: JsonValue[] } {
  return isJsonObject(v) && typeof v.kind === 'string' && v.kind.endsWith('List') && Array.isArray(v.items);
}

function describeOther(v: JsonValue, file: string, document: number): OtherDocument {
  const out: OtherDocument = { file, document };
  if (!isJsonObject(v)) return out;
  if (typeof v.apiVersion === 'string') out.apiVersion = v.apiVersion;
  if (typeof v.kind === 'string') out.kind = v.kind;
  if (isJsonObject(v.metadata) && typeof v.metadata.name === 'string') out.name = v.metadata.name;
  return out;
}

/** Appends one result to another (loading several files). */
export function mergeLoadResults(into: LoadResult, from: LoadResult): void {
  into.policies.push(...from.policies);
  into.errors.push(...from.errors);
  into.others.push(...from.others);
}
