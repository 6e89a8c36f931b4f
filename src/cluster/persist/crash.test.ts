// THE crash test: `sprout local --data-dir` is SIGKILLed in the middle of concurrent writes over
// HTTPS, restarted on the same dir, and every write it acknowledged must be there, exactly as
// acknowledged, with later resourceVersions larger than any acknowledged one. Twice, then a clean
// SIGTERM stop and a last restart from the final snapshot. Runs the built CLI (dist/).
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { LocalProcess } from './testing.js';
import { spawnLocal } from './testing.js';

const BASE = '/api/v1/namespaces/default/configmaps';
const WORKERS = 16;

type Op = 'create' | 'patch' | 'delete';

/** What the server acknowledged last for one object. */
interface Acked {
  present: boolean;
  v?: string;
  rv: number;
}

class Ledger {
  readonly acked = new Map<string, Acked>();
  /** Objects whose last request got no answer (the kill came first): either outcome is allowed. */
  readonly unanswered = new Map<string, Op>();
  maxRv = 0;
  count = 0;
  readonly unexpected: string[] = [];

  ack(name: string, state: Acked): void {
    this.acked.set(name, state);
    this.unanswered.delete(name);
    this.maxRv = Math.max(this.maxRv, state.rv);
    this.count++;
  }
}

function rvOf(body: unknown): number {
  const rv = (body as { metadata?: { resourceVersion?: string } }).metadata?.resourceVersion;
  return Number(rv ?? NaN);
}

async function send(p: LocalProcess, ledger: Ledger, name: string, op: Op): Promise<boolean> {
  ledger.unanswered.set(name, op);
  let reply;
  try {
    if (op === 'create') reply = await p.request('POST', BASE, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { v: '0' } });
    else if (op === 'patch') reply = await p.request('PATCH', `${BASE}/${name}`, { data: { v: '1' } }, 'application/merge-patch+json');
    else reply = await p.request('DELETE', `${BASE}/${name}`);
  } catch {
    return false; // No answer: the server is gone.
  }
  if (reply.status < 200 || reply.status > 299) {
    ledger.unexpected.push(`${op} ${name}: ${reply.status} ${JSON.stringify(reply.body)}`);
    return false;
  }
  const rv = rvOf(reply.body);
  if (op === 'delete') ledger.ack(name, { present: false, rv: Number.isNaN(rv) ? 0 : rv });
  else ledger.ack(name, { present: true, v: op === 'create' ? '0' : '1', rv });
  return true;
}

/** Each worker writes its own objects in order: create, and now and then patch or delete an older one. */
async function worker(p: LocalProcess, ledger: Ledger, prefix: string): Promise<void> {
  for (let i = 0; ; i++) {
    if (!(await send(p, ledger, `${prefix}-${i}`, 'create'))) return;
    if (i % 3 === 2 && !(await send(p, ledger, `${prefix}-${i - 1}`, 'patch'))) return;
    if (i % 5 === 4 && !(await send(p, ledger, `${prefix}-${i - 2}`, 'delete'))) return;
  }
}

/** Writes until `killAfter` acknowledgements, SIGKILLs the server mid-stream, waits for the writers. */
async function writeAndKill(p: LocalProcess, ledger: Ledger, round: number, killAfter: number): Promise<void> {
  const target = ledger.count + killAfter;
  const before = ledger.unanswered.size;
  const writers = Array.from({ length: WORKERS }, (_, w) => worker(p, ledger, `r${round}-w${w}`));
  while (ledger.count < target && ledger.unexpected.length === 0) await new Promise((r) => setTimeout(r, 2));
  p.child.kill('SIGKILL');
  await Promise.all(writers);
  assert.ok(ledger.unanswered.size > before, 'the kill landed while writes were in flight');
  assert.equal(await p.exited, 'SIGKILL');
  p.dispose();
  assert.deepEqual(ledger.unexpected, []);
}

async function verify(p: LocalProcess, ledger: Ledger): Promise<void> {
  const problems: string[] = [];
  await Promise.all(
    [...ledger.acked].map(async ([name, acked]) => {
      const reply = await p.request('GET', `${BASE}/${name}`);
      const inFlight = ledger.unanswered.get(name);
      if (inFlight !== undefined) {
        // The unanswered request may or may not have landed; what was acknowledged before it must.
        if (reply.status === 404 && inFlight === 'delete') return;
        if (reply.status === 200 && rvOf(reply.body) >= acked.rv) return;
        problems.push(`${name} (then unanswered ${inFlight}): ${reply.status} rv ${rvOf(reply.body)} < ${acked.rv}`);
        return;
      }
      if (!acked.present) {
        if (reply.status !== 404) problems.push(`${name}: deleted (acknowledged) but ${reply.status}`);
        return;
      }
      const v = (reply.body as { data?: { v?: string } }).data?.v;
      if (reply.status !== 200 || v !== acked.v || rvOf(reply.body) !== acked.rv)
        problems.push(`${name}: acknowledged v=${acked.v} rv=${acked.rv}, found ${reply.status} v=${v} rv=${rvOf(reply.body)}`);
    }),
  );
  assert.deepEqual(problems, [], `lost or changed acknowledged writes:\n${problems.slice(0, 20).join('\n')}`);
  // The counter carries on past everything acknowledged.
  const probe = await p.request('POST', BASE, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'probe-' } });
  assert.equal(probe.status, 201);
  assert.ok(rvOf(probe.body) > ledger.maxRv, `new rv ${rvOf(probe.body)} > acknowledged ${ledger.maxRv}`);
  ledger.maxRv = rvOf(probe.body);
}

test('sprout local --data-dir: every acknowledged write survives SIGKILL', { timeout: 120_000 }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'sprout-crash-'));
  const args = ['--data-dir', join(dir, 'data'), '--kubeconfig-out', join(dir, 'kubeconfig')];
  const ledger = new Ledger();
  const running: LocalProcess[] = [];
  try {
    for (let round = 0; round < 2; round++) {
      const p = await spawnLocal(args);
      running.push(p);
      if (round > 0) await verify(p, ledger);
      await writeAndKill(p, ledger, round, 400 + round * 300);
    }
    assert.ok(ledger.acked.size > 500, `${ledger.acked.size} objects written`);

    const p = await spawnLocal(args);
    running.push(p);
    // Printed just after the kubeconfig line.
    for (let i = 0; i < 500 && !/State is kept/.test(p.output()); i++) await new Promise((r) => setTimeout(r, 10));
    assert.match(p.output(), /State is kept in \S+ \(restored at resourceVersion \d+\)/);
    await verify(p, ledger);
    // A clean stop writes a final snapshot; the next start comes back from it.
    p.child.kill('SIGTERM');
    assert.equal(await p.exited, 0, p.output());
    p.dispose();
    const last = await spawnLocal(args);
    running.push(last);
    await verify(last, ledger);
    last.child.kill('SIGTERM');
    assert.equal(await last.exited, 0);
    last.dispose();
  } finally {
    for (const p of running) {
      if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
      p.dispose();
    }
    await rm(dir, { recursive: true, force: true });
  }
});
