// `sprout serve --components` (env SPROUT_COMPONENTS): the flag's values reach the runtime, and a
// list it cannot read is a usage error that names the flag.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Command } from 'commander';
import { MemoryCluster } from '../../cluster/memory/index.js';
import { NotFoundError } from '../../cluster/errors.js';
import type { RuntimeComponents } from '../../main/components.js';
import type { CliIo } from '../io.js';
import { UsageError } from '../io.js';
import { registerServe } from './serve.js';

const LEASE = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', namespace: 'sprout', name: 'sprout-controller' };

interface Started {
  components: RuntimeComponents;
  errors: string;
  leaseExists: boolean;
}

/** Runs `sprout serve ARGS` on a memory cluster until it has started, then stops it. */
async function serve(args: string[], env: Record<string, string> = {}): Promise<Started> {
  const cluster = new MemoryCluster();
  await cluster.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'sprout' } });
  let errors = '';
  const io: CliIo = { out: () => undefined, err: (s) => (errors += s), cwd: process.cwd(), env };
  let stop: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  let started: RuntimeComponents | undefined;
  let leaseExists = false;
  const program = new Command().exitOverride();
  registerServe(program, io, () => undefined, {
    client: () => cluster,
    untilStopped: () => stopped,
    onStarted: (info) => {
      started = info.components;
      // Long enough for a campaigning process to have created the Lease.
      void new Promise((r) => setTimeout(r, 300))
        .then(() => cluster.get(LEASE))
        .then(
          () => (leaseExists = true),
          (e: unknown) => assert.ok(e instanceof NotFoundError),
        )
        .finally(stop);
    },
  });
  await program.parseAsync(['serve', '--webhook-host=127.0.0.1', '--webhook-port=0', '--log-level=fatal', '--webhook-url=https://127.0.0.1:1', ...args], { from: 'user' });
  assert.ok(started, 'the runtime started');
  return { components: started, errors, leaseExists };
}

describe('sprout serve --components', () => {
  it('runs both components by default, with the start-up line scripts wait for unchanged', async () => {
    const s = await serve([]);
    assert.deepEqual(s.components, { webhook: true, controller: true });
    assert.match(s.errors, /^sprout serve: webhook on 127\.0\.0\.1:\d+, namespace sprout\n$/);
    assert.ok(s.leaseExists, 'the default process campaigns');
  });

  it('runs the webhook only, which never campaigns for the Lease', async () => {
    const s = await serve(['--components', 'webhook']);
    assert.deepEqual(s.components, { webhook: true, controller: false });
    assert.match(s.errors, /, components webhook\n$/);
    assert.equal(s.leaseExists, false);
  });

  it('reads SPROUT_COMPONENTS, and the flag wins over it', async () => {
    assert.deepEqual((await serve([], { SPROUT_COMPONENTS: 'controller' })).components, { webhook: false, controller: true });
    assert.deepEqual((await serve(['--components=webhook,controller'], { SPROUT_COMPONENTS: 'controller' })).components, { webhook: true, controller: true });
  });

  for (const [args, env, message] of [
    [['--components', 'admission'], {}, /^--components: unknown component "admission"; use one or more of webhook, controller$/],
    [['--components', 'webhook,'], {}, /^--components: "webhook," has an empty entry/],
    [[], { SPROUT_COMPONENTS: 'background' }, /^--components: unknown component "background"/],
  ] as [string[], Record<string, string>, RegExp][]) {
    it(`refuses ${JSON.stringify(args.length > 0 ? args : env)} with a usage error naming the flag`, async () => {
      await assert.rejects(serve(args, env), (e: unknown) => e instanceof UsageError && message.test(e.message));
    });
  }
});

describe('sprout serve after losing the Lease', () => {
  it('exits 1 (so the pod restarts and can lead again) when another replica takes the Lease', { timeout: 30_000 }, async () => {
    const cluster = new MemoryCluster();
    await cluster.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'sprout' } });
    let errors = '';
    const io: CliIo = { out: () => undefined, err: (s) => (errors += s), cwd: process.cwd(), env: {} };
    let code: number | undefined;
    const program = new Command().exitOverride();
    registerServe(program, io, (c) => (code = c), {
      client: () => cluster,
      // Never stopped from outside: only losing the Lease ends this run.
      untilStopped: () => new Promise(() => undefined),
      onStarted: () => {
        void (async () => {
          // Wait until this process leads, then let another replica take the Lease over.
          for (let i = 0; i < 100; i++) {
            const lease = await cluster.get(LEASE).catch(() => undefined);
            const spec = lease?.['spec'] as Record<string, unknown> | undefined;
            if (lease && typeof spec?.['holderIdentity'] === 'string' && spec['holderIdentity'] !== '') {
              await cluster.update({ ...lease, spec: { ...spec, holderIdentity: 'other-replica', renewTime: new Date().toISOString(), leaseDurationSeconds: 3600 } });
              return;
            }
            await new Promise((r) => setTimeout(r, 50));
          }
        })();
      },
    });
    await program.parseAsync(['serve', '--webhook-host=127.0.0.1', '--webhook-port=0', '--log-level=fatal', '--webhook-url=https://127.0.0.1:1'], { from: 'user' });
    assert.equal(code, 1);
    assert.match(errors, /sprout serve: lost the Lease; exiting so the pod restarts\n$/);
  });
});
