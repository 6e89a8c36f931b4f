// script (sh -c) and command (no shell) against the test's cluster, with optional `check`
// assertions over $error, $stdout and $stderr; and sleep.
import type { JsonValue } from '../../../src/api/json.js';
import { checkAssertion } from './assertion.js';
import type { Bindings } from './bindings.js';
import { extendBindings } from './bindings.js';
import type { OperationResult, RunContext } from './context.js';
import type { ExecOperation, SleepOperation } from './model.js';

export async function runExec(op: ExecOperation, bindings: Bindings, ctx: RunContext): Promise<OperationResult> {
  const envBindings = extendBindings(bindings, op.env);
  const env: Record<string, string> = { KUBECONFIG: ctx.kubeconfig, NAMESPACE: ctx.namespace };
  for (const d of op.env) env[d.name] = stringValue(envBindings.get(d.name) ?? null);
  const command = op.type === 'script' ? 'sh' : (op.entrypoint ?? '');
  const args = op.type === 'script' ? ['-c', op.content ?? ''] : op.args.map((a) => expandEnv(a, env));
  const result = await ctx.runner.run({ command, args, env, cwd: ctx.test.dir, timeoutMs: op.timeoutMs ?? ctx.timeouts.exec });
  const outcome = bindings.with('stdout', result.stdout).with('stderr', result.stderr).with('error', result.error);
  if (op.check !== undefined) {
    const errors = checkAssertion(op.check, null, outcome);
    if (errors.length === 0) return { ok: true };
    return { ok: false, reason: `check failed: ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}${tail(result.stdout, result.stderr)}` };
  }
  if (result.error === null) return { ok: true };
  return { ok: false, reason: `${result.error}${tail(result.stdout, result.stderr)}` };
}

export async function runSleep(op: SleepOperation, ctx: RunContext): Promise<OperationResult> {
  await ctx.clock.sleep(op.durationMs);
  return { ok: true };
}

/** Commands expand $VAR and ${VAR} from their environment, as chainsaw does for args. */
export function expandEnv(text: string, env: Record<string, string>): string {
  return text.replace(/\$(?:\{(\w+)\}|(\w+))/g, (whole, braced: string | undefined, bare: string | undefined) => {
    const name = braced ?? bare ?? '';
    return env[name] ?? process.env[name] ?? whole;
  });
}

function stringValue(v: JsonValue): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function tail(stdout: string, stderr: string): string {
  const parts: string[] = [];
  if (stdout.trim() !== '') parts.push(`stdout: ${stdout.trim().slice(-500)}`);
  if (stderr.trim() !== '') parts.push(`stderr: ${stderr.trim().slice(-500)}`);
  return parts.length === 0 ? '' : ` (${parts.join(' | ')})`;
}
