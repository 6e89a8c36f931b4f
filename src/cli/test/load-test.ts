// Finds and reads kyverno-test.yaml files. Keys are matched case-insensitively and unknown keys are
// errors, as Kyverno's strict decoder does (so `isMUtatingPolicy` loads, a typo does not).
import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { TestResultSpec, TestSpec, UserInfoSpec, ValuesSpec } from '../../api/cli-test.js';
import type { JsonValue } from '../../api/json.js';
import { isJsonObject } from '../../api/json.js';
import { parseYamlDocuments } from '../../policy/yaml.js';

export interface LoadedTest {
  file: string;
  dir: string;
  spec: TestSpec;
}

export class TestLoadError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
    this.name = 'TestLoadError';
  }
}

const TEST_KEYS = [
  'apiVersion',
  'kind',
  'metadata',
  'name',
  'policies',
  'resources',
  'targetResources',
  'exceptions',
  'variables',
  'values',
  'userinfo',
  'context',
  'clusterResources',
  'paramResources',
  'jsonPayloads',
  'httpPayloads',
  'envoyPayloads',
  'apiCallResponses',
  'globalContextEntries',
  'results',
  'checks',
];
const RESULT_KEYS = [
  'policy',
  'rule',
  'kind',
  'resources',
  'resourceSpecs',
  'result',
  'generatedResource',
  'generatedResources',
  'cloneSourceResource',
  'patchedResources',
  'operation',
  'failOnMissingResources',
  'isValidatingPolicy',
  'isMutatingPolicy',
  'isGeneratingPolicy',
  'isImageValidatingPolicy',
  'isDeletingPolicy',
  'isValidatingAdmissionPolicy',
  'isMutatingAdmissionPolicy',
];

/** Every file named `fileName` below the given paths (a file path is taken as it is). */
export async function findTestFiles(paths: string[], fileName = 'kyverno-test.yaml'): Promise<string[]> {
  const out: string[] = [];
  async function walk(p: string): Promise<void> {
    const s = await stat(p);
    if (!s.isDirectory()) {
      out.push(p);
      return;
    }
    const entries = await readdir(p, { withFileTypes: true });
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const child = join(p, e.name);
      if (e.isDirectory()) {
        if (e.name !== 'node_modules' && e.name !== '.git') await walk(child);
      } else if (e.name === fileName) out.push(child);
    }
  }
  for (const p of paths) await walk(p);
  return out;
}

export async function loadTestFile(file: string): Promise<LoadedTest[]> {
  const text = await readFile(file, 'utf8');
  const docs = parseYamlDocuments(text, file);
  const tests: LoadedTest[] = [];
  for (const doc of docs) {
    if (!isJsonObject(doc.value)) throw new TestLoadError(file, `document ${doc.index} is not a mapping`);
    tests.push({ file, dir: dirname(file), spec: toTestSpec(doc.value, file) });
  }
  return tests;
}

/** Maps keys case-insensitively onto the known names; throws on an unknown key. */
function normaliseKeys(
  obj: Record<string, JsonValue>,
  known: string[],
  file: string,
  where: string,
): Record<string, JsonValue> {
  const byLower = new Map(known.map((k) => [k.toLowerCase(), k]));
  const out: Record<string, JsonValue> = {};
  for (const [k, v] of Object.entries(obj)) {
    const name = byLower.get(k.toLowerCase());
    if (name === undefined) throw new TestLoadError(file, `${where}: unknown field "${k}"`);
    out[name] = v;
  }
  return out;
}

function toTestSpec(raw: Record<string, JsonValue>, file: string): TestSpec {
  const t = normaliseKeys(raw, TEST_KEYS, file, 'test');
  const meta = isJsonObject(t['metadata']) ? t['metadata'] : {};
  const name =
    typeof meta['name'] === 'string' ? meta['name'] : typeof t['name'] === 'string' ? t['name'] : file;
  const strings = (v: JsonValue | undefined, field: string): string[] => {
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string'))
      throw new TestLoadError(file, `${field}: expected a list of paths`);
    return [...new Set(v as string[])];
  };
  const results = Array.isArray(t['results']) ? t['results'] : [];
  const spec: TestSpec = {
    name,
    policies: strings(t['policies'], 'policies'),
    resources: strings(t['resources'], 'resources'),
    results: results.map((r, i) => toResult(r, file, i)),
  };
  if (t['targetResources'] !== undefined)
    spec.targetResources = strings(t['targetResources'], 'targetResources');
  if (t['exceptions'] !== undefined) spec.exceptions = strings(t['exceptions'], 'exceptions');
  if (t['clusterResources'] !== undefined)
    spec.clusterResources = strings(t['clusterResources'], 'clusterResources');
  if (typeof t['variables'] === 'string') spec.variables = t['variables'];
  if (typeof t['userinfo'] === 'string') spec.userinfo = t['userinfo'];
  if (isJsonObject(t['values'])) spec.values = t['values'];
  if (Array.isArray(t['apiCallResponses']))
    spec.apiCallResponses = t['apiCallResponses'] as unknown as TestSpec['apiCallResponses'];
  return spec;
}

function toResult(raw: JsonValue, file: string, i: number): TestResultSpec {
  if (!isJsonObject(raw)) throw new TestLoadError(file, `results[${i}]: expected a mapping`);
  const r = normaliseKeys(raw, RESULT_KEYS, file, `results[${i}]`);
  if (typeof r['policy'] !== 'string') throw new TestLoadError(file, `results[${i}].policy: required`);
  const result = r['result'];
  if (
    result !== 'pass' &&
    result !== 'fail' &&
    result !== 'skip' &&
    result !== 'warn' &&
    result !== 'error'
  ) {
    throw new TestLoadError(file, `results[${i}].result: must be one of pass, fail, skip, warn, error`);
  }
  return r as unknown as TestResultSpec;
}

/** Reads a Values file (`kind: Values`); the first document that is one. */
export async function loadValuesFile(file: string): Promise<ValuesSpec> {
  const docs = parseYamlDocuments(await readFile(file, 'utf8'), file);
  const doc = docs.find((d) => isJsonObject(d.value));
  if (!doc || !isJsonObject(doc.value)) throw new TestLoadError(file, 'no Values document');
  const v = { ...doc.value };
  delete v['apiVersion'];
  delete v['kind'];
  delete v['metadata'];
  return v;
}

export async function loadUserInfoFile(file: string): Promise<UserInfoSpec> {
  const docs = parseYamlDocuments(await readFile(file, 'utf8'), file);
  const doc = docs.find((d) => isJsonObject(d.value));
  if (!doc || !isJsonObject(doc.value)) throw new TestLoadError(file, 'no UserInfo document');
  return doc.value;
}
