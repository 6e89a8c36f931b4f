// Finds chainsaw tests on disk and the suite configuration (.chainsaw.yaml) that governs them.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { JsonObject, JsonValue } from '../../../src/api/json.js';
import { isJsonObject } from '../../../src/api/json.js';
import { parseYamlDocuments } from '../../../src/policy/yaml.js';
import { parseDuration } from './duration.js';
import type { SuiteConfig, Test, Timeouts } from './model.js';
import { defaultConfig } from './model.js';
import { isTestDocument, parseTest } from './parse.js';

const testFileNames = new Set(['chainsaw-test.yaml', 'chainsaw-test.yml']);

/** A test that could not be parsed still shows up in the report, as a failure. */
export interface LoadFailure {
  file: string;
  error: string;
}

export interface LoadedTests {
  tests: Test[];
  failures: LoadFailure[];
}

const readText = (path: string): string => readFileSync(path, 'utf8');

/** Every chainsaw-test.yaml below the folders (hidden .chainsaw-test folders included), sorted by path. */
export function findTestFiles(dirs: string[]): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      if (name === 'node_modules' || name === '.git') continue;
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (testFileNames.has(name)) out.push(path);
    }
  };
  for (const d of dirs) {
    const abs = resolve(d);
    if (statSync(abs).isFile()) out.push(abs);
    else walk(abs);
  }
  return [...new Set(out)].sort();
}

export function loadTests(dirs: string[]): LoadedTests {
  const tests: Test[] = [];
  const failures: LoadFailure[] = [];
  for (const file of findTestFiles(dirs)) {
    try {
      const docs = parseYamlDocuments(readText(file), file).map((d) => d.value).filter(isTestDocument);
      if (docs.length === 0) failures.push({ file, error: 'no chainsaw Test document' });
      for (const doc of docs) tests.push(parseTest(doc, file, readText));
    } catch (e) {
      failures.push({ file, error: e instanceof Error ? e.message : String(e) });
    }
  }
  return { tests, failures };
}

/** The nearest .chainsaw.yaml at or above the folder, if any. */
export function findConfigFile(dir: string): string | undefined {
  let current = resolve(dir);
  for (;;) {
    const candidate = join(current, '.chainsaw.yaml');
    if (existsSync(candidate)) return candidate;
    const up = dirname(current);
    if (up === current) return undefined;
    current = up;
  }
}

export function loadConfig(file: string | undefined): SuiteConfig {
  if (file === undefined) return structuredClone(defaultConfig);
  const doc = parseYamlDocuments(readText(file), file).map((d) => d.value).find((d) => isJsonObject(d) && d['kind'] === 'Configuration');
  return isJsonObject(doc) ? configFromDocument(doc) : structuredClone(defaultConfig);
}

/** Reads v1alpha2 (grouped: timeouts, cleanup, namespace, templating) and v1alpha1 (flat) layouts. */
export function configFromDocument(doc: JsonObject): SuiteConfig {
  const config = structuredClone(defaultConfig);
  const spec = obj(doc['spec']);
  const timeouts = obj(spec['timeouts']);
  for (const k of Object.keys(config.timeouts) as (keyof Timeouts)[]) {
    const v = timeouts[k];
    if (typeof v === 'string') config.timeouts[k] = parseDuration(v);
  }
  const cleanup = obj(spec['cleanup']);
  const delay = cleanup['delayBeforeCleanup'] ?? spec['delayBeforeCleanup'];
  if (typeof delay === 'string') config.delayBeforeCleanupMs = parseDuration(delay);
  const skip = cleanup['skipDelete'] ?? spec['skipDelete'];
  if (typeof skip === 'boolean') config.skipDelete = skip;
  const templating = obj(spec['templating'])['enabled'] ?? spec['template'];
  if (typeof templating === 'boolean') config.templating = templating;
  if (obj(spec['namespace'])['fastDelete'] === true) config.fastNamespaceDelete = true;
  return config;
}

function obj(v: JsonValue | undefined): JsonObject {
  return isJsonObject(v) ? v : {};
}
