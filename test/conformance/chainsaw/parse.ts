// Parses chainsaw Test documents into the model, inlining `use.template` step templates.
// Unknown fields are errors on purpose: a silently ignored field would make a test pass wrongly.
import { dirname, resolve } from 'node:path';
import type { JsonObject, JsonValue } from '../../../src/api/json.js';
import { isJsonObject } from '../../../src/api/json.js';
import { parseYamlDocuments } from '../../../src/policy/yaml.js';
import type { BindingDecl } from './bindings.js';
import { parseDuration } from './duration.js';
import type { Operation, ResourceSource, Step, Test, Timeouts } from './model.js';

export class ParseError extends Error {
  constructor(file: string, message: string) {
    super(`${file}: ${message}`);
    this.name = 'ParseError';
  }
}

export type ReadText = (path: string) => string;

const chainsawApi = /^chainsaw\.kyverno\.io\//;

/** True for a chainsaw Test document. */
export function isTestDocument(doc: JsonValue): doc is JsonObject {
  return isJsonObject(doc) && doc['kind'] === 'Test' && typeof doc['apiVersion'] === 'string' && chainsawApi.test(doc['apiVersion']);
}

export function parseTest(doc: JsonObject, file: string, read: ReadText): Test {
  const ctx = new Ctx(file, read);
  const spec = ctx.object(doc['spec'], 'spec');
  ctx.only(spec, 'spec', ['steps', 'timeouts', 'bindings', 'namespace', 'skipDelete', 'concurrent', 'template', 'description']);
  const meta = isJsonObject(doc['metadata']) ? doc['metadata'] : {};
  const steps = ctx.array(spec['steps'], 'spec.steps').map((s, i) => ctx.step(s, `spec.steps[${i}]`, dirname(file)));
  const test: Test = {
    name: typeof meta['name'] === 'string' ? meta['name'] : dirname(file),
    file,
    dir: dirname(file),
    steps,
    timeouts: ctx.timeouts(spec['timeouts'], 'spec.timeouts'),
    bindings: ctx.bindings(spec['bindings'], 'spec.bindings'),
    skipDelete: spec['skipDelete'] === true,
    concurrent: spec['concurrent'] !== false,
  };
  if (typeof spec['namespace'] === 'string') test.namespace = spec['namespace'];
  if (typeof spec['template'] === 'boolean') test.template = spec['template'];
  return test;
}

const timeoutKeys: (keyof Timeouts)[] = ['apply', 'assert', 'cleanup', 'delete', 'error', 'exec'];

class Ctx {
  constructor(
    readonly file: string,
    readonly read: ReadText,
  ) {}

  fail(message: string): never {
    throw new ParseError(this.file, message);
  }

  object(v: JsonValue | undefined, path: string): JsonObject {
    if (!isJsonObject(v)) this.fail(`${path} must be an object`);
    return v;
  }

  array(v: JsonValue | undefined, path: string): JsonValue[] {
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) this.fail(`${path} must be a list`);
    return v;
  }

  string(v: JsonValue | undefined, path: string): string {
    if (typeof v !== 'string') this.fail(`${path} must be a string`);
    return v;
  }

  only(o: JsonObject, path: string, allowed: string[]): void {
    for (const k of Object.keys(o)) if (!allowed.includes(k)) this.fail(`${path}.${k} is not supported by this runner`);
  }

  timeouts(v: JsonValue | undefined, path: string): Partial<Timeouts> {
    if (v === undefined || v === null) return {};
    const o = this.object(v, path);
    this.only(o, path, timeoutKeys);
    const out: Partial<Timeouts> = {};
    for (const k of timeoutKeys) if (o[k] !== undefined) out[k] = parseDuration(this.string(o[k], `${path}.${k}`));
    return out;
  }

  bindings(v: JsonValue | undefined, path: string): BindingDecl[] {
    return this.array(v, path).map((b, i) => {
      const o = this.object(b, `${path}[${i}]`);
      return { name: this.string(o['name'], `${path}[${i}].name`), value: o['value'] ?? null };
    });
  }

  step(v: JsonValue, path: string, testDir: string): Step {
    const o = this.object(v, path);
    this.only(o, path, ['name', 'description', 'try', 'catch', 'finally', 'cleanup', 'use', 'bindings', 'template']);
    let step: Step = {
      name: typeof o['name'] === 'string' ? o['name'] : `step-${path}`,
      bindings: this.bindings(o['bindings'], `${path}.bindings`),
      try: this.ops(o['try'], `${path}.try`),
      catch: this.ops(o['catch'], `${path}.catch`),
      finally: this.ops(o['finally'], `${path}.finally`),
      cleanup: this.ops(o['cleanup'], `${path}.cleanup`),
    };
    if (typeof o['template'] === 'boolean') step.template = o['template'];
    if (o['use'] !== undefined) step = this.inline(step, this.object(o['use'], `${path}.use`), `${path}.use`, testDir);
    return step;
  }

  /** Step template: its bindings are defaults that with.bindings override; its operations come first. */
  inline(step: Step, use: JsonObject, path: string, testDir: string): Step {
    this.only(use, path, ['template', 'with']);
    const templateFile = resolve(testDir, this.string(use['template'], `${path}.template`));
    const docs = parseYamlDocuments(this.read(templateFile), templateFile);
    const tpl = docs.map((d) => d.value).find((d) => isJsonObject(d) && d['kind'] === 'StepTemplate');
    if (!isJsonObject(tpl)) this.fail(`${templateFile} holds no StepTemplate`);
    const t = new Ctx(templateFile, this.read);
    const spec = t.object(tpl['spec'], 'spec');
    t.only(spec, 'spec', ['bindings', 'try', 'catch', 'finally', 'cleanup']);
    const withBlock = use['with'] === undefined ? {} : this.object(use['with'], `${path}.with`);
    this.only(withBlock, `${path}.with`, ['bindings']);
    return {
      ...step,
      bindings: [...t.bindings(spec['bindings'], 'spec.bindings'), ...this.bindings(withBlock['bindings'], `${path}.with.bindings`), ...step.bindings],
      try: [...t.ops(spec['try'], 'spec.try'), ...step.try],
      catch: [...t.ops(spec['catch'], 'spec.catch'), ...step.catch],
      finally: [...t.ops(spec['finally'], 'spec.finally'), ...step.finally],
      cleanup: [...t.ops(spec['cleanup'], 'spec.cleanup'), ...step.cleanup],
    };
  }

  ops(v: JsonValue | undefined, path: string): Operation[] {
    return this.array(v, path).map((op, i) => this.op(op, `${path}[${i}]`));
  }

  op(v: JsonValue, path: string): Operation {
    const o = this.object(v, path);
    const common = ['description'];
    const types = Object.keys(o).filter((k) => !common.includes(k));
    if (types.length !== 1) this.fail(`${path} must hold exactly one operation, found ${types.join(', ') || 'none'}`);
    const type = types[0] ?? '';
    const p = `${path}.${type}`;
    const body = this.object(o[type], p);
    const bindings = this.bindings(body['bindings'], `${p}.bindings`);
    const base = { bindings, ...this.timing(body, p) };
    switch (type) {
      case 'apply':
      case 'create':
      case 'update':
      case 'patch':
      case 'assert':
      case 'error':
        this.only(body, p, ['file', 'resource', 'template', 'timeout', 'bindings']);
        return { type, source: this.source(body, p), ...base };
      case 'delete':
        this.only(body, p, ['file', 'resource', 'ref', 'template', 'timeout', 'bindings']);
        return { type, source: body['ref'] !== undefined ? { ref: this.object(body['ref'], `${p}.ref`) } : this.source(body, p), ...base };
      case 'script':
      case 'command':
        return this.exec(type, body, p, base);
      case 'sleep':
        this.only(body, p, ['duration', 'bindings']);
        return { type, durationMs: parseDuration(this.string(body['duration'], `${p}.duration`)), bindings };
      case 'wait':
        return this.wait(body, p, base);
      default:
        return this.fail(`${p}: operation "${type}" is not supported by this runner`);
    }
  }

  timing(body: JsonObject, path: string): { timeoutMs?: number; template?: boolean } {
    const out: { timeoutMs?: number; template?: boolean } = {};
    if (body['timeout'] !== undefined) out.timeoutMs = parseDuration(this.string(body['timeout'], `${path}.timeout`));
    if (typeof body['template'] === 'boolean') out.template = body['template'];
    return out;
  }

  source(body: JsonObject, path: string): ResourceSource {
    if (typeof body['file'] === 'string') return { file: body['file'] };
    if (isJsonObject(body['resource'])) return { resource: body['resource'] };
    return this.fail(`${path} needs file or resource`);
  }

  exec(type: 'script' | 'command', body: JsonObject, p: string, base: { bindings: BindingDecl[]; timeoutMs?: number }): Operation {
    this.only(body, p, ['content', 'entrypoint', 'args', 'env', 'check', 'timeout', 'skipLogOutput', 'workDir', 'bindings']);
    if (body['workDir'] !== undefined) this.fail(`${p}.workDir is not supported by this runner`);
    const op: Operation = {
      type,
      args: this.array(body['args'], `${p}.args`).map((a, i) => this.string(a, `${p}.args[${i}]`)),
      env: this.bindings(body['env'], `${p}.env`),
      ...base,
    };
    if (type === 'script') op.content = this.string(body['content'], `${p}.content`);
    else op.entrypoint = this.string(body['entrypoint'], `${p}.entrypoint`);
    if (body['check'] !== undefined) op.check = this.object(body['check'], `${p}.check`);
    return op;
  }

  wait(body: JsonObject, p: string, base: { bindings: BindingDecl[]; timeoutMs?: number }): Operation {
    this.only(body, p, ['apiVersion', 'kind', 'name', 'namespace', 'timeout', 'for', 'bindings']);
    const forBlock = this.object(body['for'], `${p}.for`);
    this.only(forBlock, `${p}.for`, ['condition', 'deletion']);
    const op: Operation = {
      type: 'wait',
      apiVersion: this.string(body['apiVersion'], `${p}.apiVersion`),
      kind: this.string(body['kind'], `${p}.kind`),
      deletion: forBlock['deletion'] !== undefined,
      ...base,
    };
    if (typeof body['name'] === 'string') op.name = body['name'];
    if (typeof body['namespace'] === 'string') op.namespace = body['namespace'];
    if (forBlock['condition'] !== undefined) {
      const c = this.object(forBlock['condition'], `${p}.for.condition`);
      op.condition = { name: this.string(c['name'], `${p}.for.condition.name`), value: typeof c['value'] === 'string' ? c['value'] : 'True' };
    }
    if (op.condition === undefined && !op.deletion) this.fail(`${p}.for needs condition or deletion`);
    return op;
  }
}
