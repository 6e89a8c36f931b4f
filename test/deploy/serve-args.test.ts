// The container args the chart renders are a command line `sprout serve` accepts: every Deployment of
// every ci values file, and with leader election off, parsed by the real CLI up to where it would
// connect to the cluster. A flag the CLI does not define would make every pod exit at start.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Command } from 'commander';
import type { KubeObject } from '../../src/api/kube.js';
import { registerServe } from '../../src/cli/commands/serve.js';
import type { CliIo } from '../../src/cli/io.js';
import { renderChart } from './chart.js';
import { cases, containerOf, ofKind } from './manifest-helpers.js';

/** Thrown where `sprout serve` would build its cluster client: the command line was accepted. */
class Accepted extends Error {
  constructor(readonly flags: Record<string, unknown>) {
    super('accepted');
  }
}

async function parseServe(args: string[]): Promise<Record<string, unknown>> {
  let errors = '';
  const io: CliIo = { out: () => undefined, err: (s) => (errors += s), cwd: process.cwd(), env: {} };
  const program = new Command().exitOverride().configureOutput({ writeErr: (s) => (errors += s) });
  registerServe(program, io, () => undefined, {
    untilStopped: () => Promise.resolve(),
    client: (flags) => {
      throw new Accepted(flags as unknown as Record<string, unknown>);
    },
  });
  try {
    await program.parseAsync(args, { from: 'user' });
  } catch (e) {
    if (e instanceof Accepted) return e.flags;
    throw new Error(`sprout ${args.join(' ')} was refused: ${e instanceof Error ? e.message : String(e)} ${errors}`);
  }
  throw new Error('sprout serve returned without reaching the cluster client');
}

function serveArgsOf(objects: KubeObject[]): { name: string; args: string[] }[] {
  return ofKind(objects, 'Deployment').map((d) => ({ name: d.metadata.name ?? '', args: containerOf(d, 'sprout').args ?? [] }));
}

describe('the chart runs `sprout serve` with flags it accepts', () => {
  for (const c of cases) {
    it(`ci/${c.file}`, async () => {
      for (const { name, args } of serveArgsOf(c.objects)) {
        assert.equal(args[0], 'serve', name);
        const flags = await parseServe(args);
        assert.equal(flags['leaderElect'], true, `${name}: leader election on by default`);
      }
    });
  }

  it('controller.leaderElect=false turns leader election off', async () => {
    for (const { name, args } of serveArgsOf(renderChart({ controller: { leaderElect: false } }).manifests.map((m) => m.object))) {
      const flags = await parseServe(args);
      assert.equal(flags['leaderElect'], false, name);
    }
  });
});
