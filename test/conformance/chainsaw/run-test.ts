// Runs one chainsaw test: its namespace, its steps (try, then catch on failure, then finally),
// and the cleanup of everything it created, newest first.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Bindings, extendBindings } from './bindings.js';
import type { ClusterClient, ObjectRef } from './client.js';
import { describeRef } from './client.js';
import type { Clock } from './clock.js';
import type { RunContext } from './context.js';
import { CleanupRegistry, errorMessage } from './context.js';
import type { Operation, Step, SuiteConfig, Test } from './model.js';
import { describeOperation, runOperation } from './operation.js';
import type { ReadText } from './parse.js';
import type { ProcessRunner } from './process.js';
import { waitGone } from './write-ops.js';

export interface RunnerEnv {
  client: ClusterClient;
  clock: Clock;
  runner: ProcessRunner;
  kubeconfig: string;
  config: SuiteConfig;
  readText?: ReadText;
  /** Names the per-test namespace; random by default. */
  namespaceName?: () => string;
}

export interface StepFailure {
  phase: 'try' | 'catch' | 'finally' | 'cleanup';
  /** Position of the operation within its phase. */
  index: number;
  operation: string;
  reason: string;
  diff?: string;
}

export interface StepResult {
  name: string;
  status: 'passed' | 'failed' | 'skipped';
  failures: StepFailure[];
}

export interface TestResult {
  name: string;
  file: string;
  namespace: string;
  passed: boolean;
  durationMs: number;
  steps: StepResult[];
  /** Problems while cleaning up; they fail the test, as leftovers would break the next one. */
  cleanupErrors: string[];
}

export function randomNamespaceName(): string {
  return `chainsaw-${randomBytes(4).toString('hex')}`;
}

export async function runTest(test: Test, env: RunnerEnv): Promise<TestResult> {
  const started = env.clock.now();
  const namespace = test.namespace ?? (env.namespaceName ?? randomNamespaceName)();
  const ctx: RunContext = {
    client: env.client,
    clock: env.clock,
    runner: env.runner,
    kubeconfig: env.kubeconfig,
    config: env.config,
    test,
    namespace,
    timeouts: { ...env.config.timeouts, ...test.timeouts },
    cleanup: new CleanupRegistry(),
    readText: env.readText ?? ((p) => readFileSync(p, 'utf8')),
  };
  const result: TestResult = { name: test.name, file: test.file, namespace, passed: true, durationMs: 0, steps: [], cleanupErrors: [] };
  let bindings = Bindings.of({ namespace });
  try {
    await ensureNamespace(ctx);
    bindings = extendBindings(bindings, test.bindings);
  } catch (e) {
    result.steps.push({ name: 'setup', status: 'failed', failures: [{ phase: 'try', index: 0, operation: `create namespace ${namespace}`, reason: errorMessage(e) }] });
  }
  for (const [i, step] of test.steps.entries()) {
    if (result.steps.some((s) => s.status === 'failed')) {
      result.steps.push({ name: step.name, status: 'skipped', failures: [] });
      continue;
    }
    result.steps.push(await runStep(step, i, bindings, ctx));
  }
  if (!(test.skipDelete || env.config.skipDelete)) result.cleanupErrors = await cleanup(ctx, bindings, test);
  result.passed = result.steps.every((s) => s.status !== 'failed') && result.cleanupErrors.length === 0;
  result.durationMs = env.clock.now() - started;
  return result;
}

async function ensureNamespace(ctx: RunContext): Promise<void> {
  const ref = { apiVersion: 'v1', kind: 'Namespace', name: ctx.namespace };
  if ((await ctx.client.get(ref)) !== null) return;
  await ctx.client.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ctx.namespace } });
  ctx.cleanup.register(ref);
}

async function runStep(step: Step, stepIndex: number, testBindings: Bindings, ctx: RunContext): Promise<StepResult> {
  const failures: StepFailure[] = [];
  let bindings: Bindings;
  try {
    bindings = extendBindings(testBindings, step.bindings);
  } catch (e) {
    return { name: step.name, status: 'failed', failures: [{ phase: 'try', index: 0, operation: 'bindings', reason: errorMessage(e) }] };
  }
  const runPhase = async (phase: StepFailure['phase'], ops: Operation[], stopAtFirst: boolean): Promise<void> => {
    for (const [index, op] of ops.entries()) {
      const r = await runOperation(op, step, bindings, ctx);
      if (r.ok) continue;
      const failure: StepFailure = { phase, index, operation: describeOperation(op), reason: r.reason ?? 'failed' };
      if (r.diff !== undefined) failure.diff = r.diff;
      failures.push(failure);
      if (stopAtFirst) return;
    }
  };
  await runPhase('try', step.try, true);
  if (failures.length > 0) await runPhase('catch', step.catch, false);
  await runPhase('finally', step.finally, false);
  for (const op of step.cleanup) ctx.cleanup.deferred.push({ op, stepIndex });
  return { name: step.name, status: failures.length === 0 ? 'passed' : 'failed', failures };
}

/** Step cleanup operations (last step first), then created objects newest first; the namespace was created first, so it goes last. */
async function cleanup(ctx: RunContext, bindings: Bindings, test: Test): Promise<string[]> {
  const errors: string[] = [];
  if (ctx.config.delayBeforeCleanupMs > 0) await ctx.clock.sleep(ctx.config.delayBeforeCleanupMs);
  for (const { op, stepIndex } of [...ctx.cleanup.deferred].reverse()) {
    const step = test.steps[stepIndex];
    if (step === undefined) continue;
    const r = await runOperation(op, step, bindings, ctx);
    if (!r.ok) errors.push(`${describeOperation(op)}: ${r.reason ?? 'failed'}`);
  }
  for (const ref of [...ctx.cleanup.created].reverse()) {
    const inTestNamespace = ref.namespace === ctx.namespace && ref.kind !== 'Namespace';
    // With fastDelete the namespace takes its contents with it.
    if (ctx.config.fastNamespaceDelete && inTestNamespace) continue;
    const error = await deleteAndWait(ref, ctx, !(ctx.config.fastNamespaceDelete && isTestNamespace(ref, ctx)));
    if (error !== null) errors.push(error);
  }
  return errors;
}

function isTestNamespace(ref: ObjectRef, ctx: RunContext): boolean {
  return ref.kind === 'Namespace' && ref.name === ctx.namespace;
}

async function deleteAndWait(ref: ObjectRef & { name: string }, ctx: RunContext, wait: boolean): Promise<string | null> {
  try {
    const deleted = await ctx.client.delete(ref);
    if (!deleted || !wait) return null;
    if (!(await waitGone(ref, ctx, ctx.timeouts.cleanup))) return `cleanup: ${describeRef(ref)} still present after ${ctx.timeouts.cleanup} ms`;
    return null;
  } catch (e) {
    return `cleanup: ${describeRef(ref)}: ${errorMessage(e)}`;
  }
}
