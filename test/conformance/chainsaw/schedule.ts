// Runs tests in parallel, never two at once that touch the same cluster-scoped name or the same
// fixed namespace (tests name their own namespaces and cluster objects, so those would collide).
import { resolve } from 'node:path';
import type { JsonObject } from '../../../src/api/json.js';
import { isJsonObject } from '../../../src/api/json.js';
import { Bindings, extendBindings } from './bindings.js';
import { metadataOf, text } from './context.js';
import { evaluate, parseExpression } from './expression.js';
import type { Operation, Test } from './model.js';
import type { ReadText } from './parse.js';
import { parseYamlDocuments } from '../../../src/policy/yaml.js';

/**
 * Names a test may touch: "ns/<name>" for every namespace it names (objects' metadata.namespace,
 * Namespace objects, -n/--namespace in scripts) and "obj/<Kind>/<name>" for objects without a
 * namespace (cluster-scoped ones, conservatively including namespaced ones that land in the test namespace).
 */
export function conflictKeys(test: Test, read: ReadText): Set<string> {
  const keys = new Set<string>();
  if (test.namespace !== undefined) keys.add(`ns/${test.namespace}`);
  for (const step of test.steps) {
    let bindings = Bindings.of({ namespace: 'chainsaw-placeholder' });
    try {
      bindings = extendBindings(bindings, step.bindings);
    } catch {
      // Keys are best effort; an unevaluable binding only loses precision.
    }
    for (const op of [...step.try, ...step.catch, ...step.finally, ...step.cleanup]) {
      for (const obj of objectsOf(op, test, bindings, read)) addObjectKeys(obj, keys);
      if (op.type === 'script' || op.type === 'command') {
        const text = op.type === 'script' ? (op.content ?? '') : op.args.join(' ');
        for (const m of text.matchAll(/(?:^|\s)(?:-n|--namespace|ns|namespaces?)[=\s]+([a-z0-9][-a-z0-9.]*)/g)) keys.add(`ns/${m[1] ?? ''}`);
      }
    }
  }
  return keys;
}

function objectsOf(op: Operation, test: Test, bindings: Bindings, read: ReadText): JsonObject[] {
  if (!('source' in op)) return [];
  const source = op.source;
  if ('ref' in source) return [{ apiVersion: source.ref['apiVersion'] ?? null, kind: source.ref['kind'] ?? null, metadata: { name: source.ref['name'] ?? null, namespace: source.ref['namespace'] ?? null } }];
  if ('resource' in source) return [source.resource];
  try {
    const statement = parseExpression(source.file);
    const file = statement === null ? source.file : evaluate(statement, null, bindings);
    if (typeof file !== 'string') return [];
    const path = resolve(test.dir, file);
    return parseYamlDocuments(read(path), path).map((d) => d.value).filter(isJsonObject);
  } catch {
    return [];
  }
}

function addObjectKeys(obj: JsonObject, keys: Set<string>): void {
  const meta = metadataOf(obj);
  const name = typeof meta['name'] === 'string' && parseExpression(meta['name']) === null ? meta['name'] : undefined;
  const namespace = typeof meta['namespace'] === 'string' && parseExpression(meta['namespace']) === null ? meta['namespace'] : undefined;
  if (obj['kind'] === 'Namespace' && name !== undefined) keys.add(`ns/${name}`);
  else if (namespace !== undefined) keys.add(`ns/${namespace}`);
  else if (name !== undefined) keys.add(`obj/${text(obj['kind'])}/${name}`);
}

export interface ScheduleOptions<R> {
  parallel: number;
  keys: (test: Test) => Set<string>;
  run: (test: Test) => Promise<R>;
}

/** Results in input order. Picks, whenever a slot frees up, the first waiting test that conflicts with no running one. */
export async function runScheduled<R>(tests: Test[], options: ScheduleOptions<R>): Promise<R[]> {
  const keysOf = tests.map((t) => options.keys(t));
  const results: (R | undefined)[] = new Array<R | undefined>(tests.length);
  const waiting = tests.map((_, i) => i);
  const running = new Map<number, Promise<number>>();
  const limit = Math.max(1, options.parallel);
  const clashes = (i: number): boolean => [...running.keys()].some((j) => [...(keysOf[i] ?? [])].some((k) => keysOf[j]?.has(k) === true));
  while (waiting.length > 0 || running.size > 0) {
    while (running.size < limit) {
      const pos = waiting.findIndex((i) => !clashes(i));
      if (pos < 0) break;
      const [i] = waiting.splice(pos, 1);
      if (i === undefined) break;
      const test = tests[i];
      if (test === undefined) continue;
      running.set(i, options.run(test).then((r) => {
        results[i] = r;
        return i;
      }));
    }
    if (running.size === 0) break;
    const done = await Promise.race(running.values());
    running.delete(done);
  }
  return results.filter((r): r is R => r !== undefined);
}
