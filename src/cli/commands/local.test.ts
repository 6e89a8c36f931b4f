import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Command } from 'commander';
import { apiRequest } from '../../cluster/http/testing.js';
import type { LocalServer } from '../../cluster/http/index.js';
import type { CliIo } from '../io.js';
import { UsageError } from '../io.js';
import { localCommand, registerLocal } from './local.js';

function capture(cwd: string): CliIo & { text: () => string; errors: () => string } {
  let out = '';
  let err = '';
  return { out: (s) => (out += s), err: (s) => (err += s), cwd, text: () => out, errors: () => err };
}

describe('sprout local', () => {
  it('starts the server quickly, prints how to use it, and stops cleanly', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sprout-local-test-'));
    try {
      const io = capture(dir);
      let stop: () => void = () => undefined;
      let server: LocalServer | undefined;
      const begun = Date.now();
      const run = localCommand({ port: '0', demo: false, logLevel: 'warn', kubeconfigOut: 'kc.yaml', dataDir: 'state' }, io, {
        untilStopped: () => new Promise<void>((resolve) => (stop = resolve)),
        onStarted: (s) => (server = s),
      });
      while (server === undefined) await new Promise((r) => setTimeout(r, 5));
      assert.ok(Date.now() - begun < 1000, 'started in under a second');
      const kubeconfig = join(dir, 'kc.yaml');
      assert.match(io.text(), new RegExp(`kubeconfig: ${kubeconfig}`));
      assert.match(io.text(), new RegExp(`export KUBECONFIG=${kubeconfig}`));
      assert.ok(existsSync(join(dir, 'state', 'snapshot.dat')), '--data-dir initialises the data dir');
      assert.match(await readFile(kubeconfig, 'utf8'), new RegExp(`server: ${server.url}`));
      assert.equal((await apiRequest(server, 'GET', '/api/v1/namespaces/default')).status, 200);
      stop();
      assert.equal(await run, 0);
      assert.match(io.text(), /shutting down/);
      assert.match(io.text(), /State is kept in \S+state \(new data dir\)/);
      await assert.rejects(apiRequest(server, 'GET', '/version'));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('--namespace runs Sprout in the given namespace (where Kyverno-based tools look)', async () => {
    let stop: () => void = () => undefined;
    let server: LocalServer | undefined;
    const run = localCommand({ port: '0', demo: false, logLevel: 'warn', namespace: 'kyverno' }, capture('/'), {
      untilStopped: () => new Promise<void>((resolve) => (stop = resolve)),
      onStarted: (s) => (server = s),
    });
    while (server === undefined) await new Promise((r) => setTimeout(r, 5));
    assert.equal((await apiRequest(server, 'GET', '/api/v1/namespaces/kyverno')).status, 200);
    assert.equal((await apiRequest(server, 'GET', '/api/v1/namespaces/sprout')).status, 404);
    stop();
    assert.equal(await run, 0);
  });

  it('rejects a bad port', async () => {
    await assert.rejects(localCommand({ port: 'http', demo: false, logLevel: 'warn' }, capture('/'), { untilStopped: () => Promise.resolve() }), UsageError);
  });

  it('registers the command with its flags', () => {
    const program = new Command();
    registerLocal(program, capture('/'), () => undefined, { untilStopped: () => Promise.resolve() });
    const cmd = program.commands.find((c) => c.name() === 'local');
    assert.deepEqual(cmd?.options.map((o) => o.long), ['--port', '--kubeconfig-out', '--data-dir', '--policies', '--demo', '--log-level', '--namespace']);
  });

  it('removes its temporary kubeconfig on stop', async () => {
    let server: LocalServer | undefined;
    await localCommand({ port: '0', demo: false, logLevel: 'warn' }, capture('/'), { untilStopped: () => Promise.resolve(), onStarted: (s) => (server = s) });
    assert.ok(server !== undefined);
    assert.equal(existsSync(server.kubeconfigPath), false);
  });
});
