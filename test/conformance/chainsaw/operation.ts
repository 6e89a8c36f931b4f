// Dispatches one operation and names it for the report.
import type { Bindings } from './bindings.js';
import { extendBindings } from './bindings.js';
import { runCheck, runWait } from './check-ops.js';
import type { OperationResult, RunContext } from './context.js';
import { errorMessage, text } from './context.js';
import { runExec, runSleep } from './exec-ops.js';
import type { Operation, Step } from './model.js';
import { runDelete, runWrite } from './write-ops.js';

export async function runOperation(op: Operation, step: Step, bindings: Bindings, ctx: RunContext): Promise<OperationResult> {
  const templating = op.template ?? step.template ?? ctx.test.template ?? ctx.config.templating;
  try {
    const b = extendBindings(bindings, op.bindings);
    switch (op.type) {
      case 'apply':
      case 'create':
      case 'update':
      case 'patch':
        return await runWrite({ ...op, type: op.type }, b, ctx, templating);
      case 'assert':
      case 'error':
        return await runCheck({ ...op, type: op.type }, b, ctx, templating);
      case 'delete':
        return await runDelete(op, b, ctx, templating);
      case 'script':
      case 'command':
        return await runExec(op, b, ctx);
      case 'sleep':
        return await runSleep(op, ctx);
      case 'wait':
        return await runWait(op, ctx);
    }
  } catch (e) {
    return { ok: false, reason: errorMessage(e) };
  }
}

export function describeOperation(op: Operation): string {
  switch (op.type) {
    case 'apply':
    case 'create':
    case 'update':
    case 'patch':
    case 'assert':
    case 'error':
    case 'delete':
      if ('file' in op.source) return `${op.type} ${op.source.file}`;
      if ('ref' in op.source) return `${op.type} ref ${text(op.source.ref['kind'])}/${text(op.source.ref['name'] ?? '*')}`;
      return `${op.type} inline ${text(op.source.resource['kind'])}`;
    case 'script':
      return `script ${JSON.stringify(oneLine(op.content ?? ''))}`;
    case 'command':
      return `command ${oneLine([op.entrypoint ?? '', ...op.args].join(' '))}`;
    case 'sleep':
      return `sleep ${op.durationMs} ms`;
    case 'wait':
      return `wait ${op.kind}/${op.name ?? '*'}`;
  }
}

function oneLine(s: string): string {
  const flat = s.replace(/\s+/g, ' ').trim();
  return flat.length > 80 ? `${flat.slice(0, 77)}...` : flat;
}
