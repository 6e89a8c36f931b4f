// Executes parsed templates: dot, variables scoped to their control structure, pipelines (the
// piped value is the last argument), lazy `and`/`or`, and `include` of named templates, which all
// files of a chart share, as in Helm.
import { functionNames, functions } from './functions.js';
import type { Command, Operand, ParsedTemplate, Pipeline, TemplateNode } from './parser.js';
import { parseTemplate } from './parser.js';
import { TemplateRuntimeError, fieldOf, isTruthy, kindOf, printed } from './values.js';

type Frame = Map<string, unknown>;
const NO_PIPE = Symbol('no piped value');
const MAX_INCLUDE_DEPTH = 100;

export class TemplateSet {
  private readonly files = new Map<string, ParsedTemplate>();
  private readonly defines = new Map<string, TemplateNode[]>();

  /** Parses one file; its `define`s become visible to every file of the set. */
  add(name: string, source: string): void {
    const parsed = parseTemplate(source, name, functionNames);
    this.files.set(name, parsed);
    for (const [k, v] of parsed.defines) this.defines.set(k, v);
  }

  render(name: string, data: unknown): string {
    const file = this.files.get(name);
    if (file === undefined) throw new TemplateRuntimeError(`no template file ${name}`);
    return new Execution(this.defines).run(file.root, data);
  }
}

class Execution {
  private depth = 0;

  constructor(private readonly defines: Map<string, TemplateNode[]>) {}

  run(nodes: TemplateNode[], data: unknown): string {
    return this.walk(nodes, data, [new Map([['$', data]])]);
  }

  private walk(nodes: TemplateNode[], dot: unknown, scopes: Frame[]): string {
    let out = '';
    for (const node of nodes) out += this.node(node, dot, scopes);
    return out;
  }

  private node(node: TemplateNode, dot: unknown, scopes: Frame[]): string {
    switch (node.type) {
      case 'text':
        return node.text;
      case 'output': {
        const value = this.pipeline(node.pipe, dot, scopes, node.where);
        return node.pipe.vars.length > 0 ? '' : printed(value);
      }
      case 'if': {
        const inner = [...scopes, new Map<string, unknown>()];
        const cond = isTruthy(this.pipeline(node.pipe, dot, inner, node.where));
        return this.walk(cond ? node.then : node.else, dot, inner);
      }
      case 'with': {
        const inner = [...scopes, new Map<string, unknown>()];
        const value = this.pipeline(node.pipe, dot, inner, node.where);
        return isTruthy(value) ? this.walk(node.body, value, inner) : this.walk(node.else, dot, inner);
      }
      case 'range':
        return this.range(node, dot, scopes);
      case 'template': {
        const arg = node.pipe === undefined ? null : this.pipeline(node.pipe, dot, scopes, node.where);
        return this.include(node.name, arg, node.where);
      }
    }
  }

  private range(node: Extract<TemplateNode, { type: 'range' }>, dot: unknown, scopes: Frame[]): string {
    const value = this.pipeline({ ...node.pipe, vars: [] }, dot, scopes, node.where);
    const entries: [unknown, unknown][] = [];
    const kind = kindOf(value);
    if (kind === 'slice') (value as unknown[]).forEach((v, i) => entries.push([BigInt(i), v]));
    else if (kind === 'map') {
      const obj = value as Record<string, unknown>;
      for (const k of Object.keys(obj).sort()) entries.push([k, obj[k]]);
    } else if (kind !== 'nil') throw new TemplateRuntimeError(`${node.where}: range can't iterate over ${printed(value)}`);
    if (entries.length === 0) return this.walk(node.else, dot, [...scopes, new Map<string, unknown>()]);
    let out = '';
    for (const [key, element] of entries) {
      const frame: Frame = new Map();
      const [first, second] = node.pipe.vars;
      if (second !== undefined && first !== undefined) {
        frame.set(first, key);
        frame.set(second, element);
      } else if (first !== undefined) frame.set(first, element);
      out += this.walk(node.body, element, [...scopes, frame]);
    }
    return out;
  }

  private include(name: string, data: unknown, where: string): string {
    const body = this.defines.get(name);
    if (body === undefined) throw new TemplateRuntimeError(`${where}: no template "${name}" associated with template`);
    if (++this.depth > MAX_INCLUDE_DEPTH) throw new TemplateRuntimeError(`${where}: include nested too deeply`);
    try {
      return this.walk(body, data, [new Map([['$', data]])]);
    } finally {
      this.depth--;
    }
  }

  private pipeline(pipe: Pipeline, dot: unknown, scopes: Frame[], where: string): unknown {
    let value: unknown = NO_PIPE;
    for (const cmd of pipe.cmds) value = this.command(cmd, dot, scopes, value, where);
    const [name] = pipe.vars;
    if (name !== undefined) {
      if (pipe.assign) {
        const frame = [...scopes].reverse().find((f) => f.has(name));
        if (frame === undefined) throw new TemplateRuntimeError(`${where}: undefined variable: ${name}`);
        frame.set(name, value);
      } else scopes[scopes.length - 1]?.set(name, value);
    }
    return value;
  }

  private command(cmd: Command, dot: unknown, scopes: Frame[], piped: unknown, where: string): unknown {
    const [head, ...rest] = cmd;
    if (head === undefined) throw new TemplateRuntimeError(`${where}: empty command`);
    if (head.op !== 'fn') {
      if (rest.length > 0 || piped !== NO_PIPE) throw new TemplateRuntimeError(`${where}: can't give argument to non-function`);
      return this.operand(head, dot, scopes, where);
    }
    const lazy = rest.map((op) => () => this.operand(op, dot, scopes, where));
    if (piped !== NO_PIPE) lazy.push(() => piped);
    if (head.name === 'and' || head.name === 'or') return this.shortCircuit(head.name, lazy, where);
    const args = lazy.map((f) => f());
    if (head.name === 'include') {
      if (args.length !== 2 || typeof args[0] !== 'string') throw new TemplateRuntimeError(`${where}: include takes a name and a value`);
      return this.include(args[0], args[1], where);
    }
    const fn = functions[head.name];
    if (fn === undefined) throw new TemplateRuntimeError(`${where}: function "${head.name}" not defined`);
    try {
      return fn(args);
    } catch (e) {
      if (e instanceof TemplateRuntimeError && !e.message.startsWith(where)) throw new TemplateRuntimeError(`${where}: ${e.message}`);
      throw e;
    }
  }

  /** Go 1.18+: `and` stops at the first false argument, `or` at the first true one. */
  private shortCircuit(name: 'and' | 'or', args: (() => unknown)[], where: string): unknown {
    if (args.length === 0) throw new TemplateRuntimeError(`${where}: ${name} needs arguments`);
    let value: unknown;
    for (const arg of args) {
      value = arg();
      if (isTruthy(value) === (name === 'or')) return value;
    }
    return value;
  }

  private operand(op: Operand, dot: unknown, scopes: Frame[], where: string): unknown {
    switch (op.op) {
      case 'literal':
        return op.value;
      case 'field':
        return fieldOf(dot, op.path, where);
      case 'var': {
        const frame = [...scopes].reverse().find((f) => f.has(op.name));
        if (frame === undefined) throw new TemplateRuntimeError(`${where}: undefined variable: ${op.name}`);
        return fieldOf(frame.get(op.name), op.path, where);
      }
      case 'sub':
        return this.pipeline(op.pipe, dot, scopes, where);
      case 'fn':
        return this.command([op], dot, scopes, NO_PIPE, where);
    }
  }
}
