// `sprout serve` as its own process, the way it runs beside a real API server: against the embedded
// server through a kubeconfig, webhooks registered by URL (--webhook-url), driven with the real kubectl.
// Checks the whole production path (KubeClient, leader election, self-managed TLS Secret, webhook
// configurations) and a graceful stop: exit 0 and the Lease released.
// Local only: a real cluster cannot reach a webhook served from this machine's loopback.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startLocalServer } from '../../src/cluster/http/index.js';
import { repoRoot } from '../support/paths.js';
import { kubectlAvailable, kubectlWith } from './target.js';

async function until(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const start = Date.now();
  while (Date.now() - start < timeoutMs) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${what}: not within ${timeoutMs} ms`);
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const probe = createServer();
    probe.once('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => done(port));
    });
  });
}

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((done) => child.once('exit', (code) => done(code)));
}

const skip = !(await kubectlAvailable())
  ? 'kubectl is not installed'
  : process.env.KUBECONFIG
    ? 'needs the embedded server: a real cluster cannot reach a webhook on this machine\'s loopback'
    : false;

test('sprout serve beside an API server: generate, policy validation, self-healing, graceful stop', { skip }, async () => {
  const server = await startLocalServer();
  const cacheDir = await mkdtemp(join(tmpdir(), 'sprout-kubectl-'));
  const kubectl = kubectlWith(server.kubeconfigPath, cacheDir);
  let sprout: ChildProcess | undefined;
  let output = '';
  try {
    assert.equal((await kubectl(['create', 'namespace', 'sprout'])).code, 0);
    const port = await freePort();
    sprout = spawn(
      process.execPath,
      [resolve(repoRoot, 'bin/sprout.js'), 'serve', '--kubeconfig', server.kubeconfigPath, '--namespace', 'sprout',
        '--webhook-host', '127.0.0.1', '--webhook-port', String(port), '--webhook-url', `https://127.0.0.1:${port}`, '--log-level', 'warn'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    sprout.stdout?.on('data', (c: Buffer) => (output += c.toString('utf8')));
    sprout.stderr?.on('data', (c: Buffer) => (output += c.toString('utf8')));
    await until(() => Promise.resolve(output.includes('sprout serve: webhook on')), 20_000, `sprout serve start-up; output:\n${output}`);

    const platform = await kubectl(['apply', '-f', resolve(repoRoot, 'examples/resources/platform.yaml')]);
    assert.equal(platform.code, 0, platform.stderr);
    const policies = await kubectl(['apply', '-f', resolve(repoRoot, 'examples/policies')]);
    assert.equal(policies.code, 0, policies.stderr);
    await until(async () => {
      const r = await kubectl(['get', 'cpol', '-o', 'jsonpath={.items[*].status.conditions[0].status}']);
      return r.stdout.split(' ').filter((s) => s === 'True').length === 4;
    }, 20_000, 'policies Ready');

    // The TLS Secret the replicas share, and the webhook configurations by URL with its CA.
    const secret = await kubectl(['get', 'secret', 'sprout-tls', '-n', 'sprout', '-o', 'jsonpath={.data.ca\\.crt}']);
    assert.equal(secret.code, 0, secret.stderr);
    const hooks = await kubectl(['get', 'validatingwebhookconfigurations', '-o', 'json']);
    const configs = JSON.parse(hooks.stdout) as { items: { webhooks?: { clientConfig: { url?: string; caBundle?: string } }[] }[] };
    const clientConfigs = configs.items.flatMap((c) => c.webhooks ?? []).map((w) => w.clientConfig);
    assert.ok(clientConfigs.length > 0, 'Sprout registered validating webhooks');
    for (const c of clientConfigs) {
      assert.ok(c.url?.startsWith(`https://127.0.0.1:${port}/`), `webhook by URL: ${c.url}`);
      assert.equal(c.caBundle, secret.stdout, 'caBundle is the Secret\'s CA');
    }

    assert.equal((await kubectl(['create', 'ns', 'team-serve'])).code, 0);
    await until(async () => {
      const r = await kubectl(['get', 'networkpolicy,resourcequota,limitrange,secret', '-n', 'team-serve', '-o', 'name']);
      return ['networkpolicy.networking.k8s.io/default-deny', 'resourcequota/default-quota', 'limitrange/default-limits', 'secret/regcred'].every((n) => r.stdout.includes(n));
    }, 10_000, 'downstream in team-serve');

    const bad = await kubectl(
      ['apply', '-f', '-'],
      'apiVersion: kyverno.io/v1\nkind: ClusterPolicy\nmetadata: {name: broken}\nspec:\n  rules:\n  - name: r\n    match: {any: [{resources: {kinds: [Namespace]}}]}\n    generate: {apiVersion: v1, kind: ConfigMap, name: x, namespace: y, data: {}, clone: {name: a, namespace: b}}\n',
    );
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /admission webhook "policy\.sprout\.io" denied the request: policy broken is invalid: spec\.rules\[0\]\.generate/);

    assert.equal((await kubectl(['delete', 'networkpolicy', 'default-deny', '-n', 'team-serve', '--wait=false'])).code, 0);
    await until(async () => (await kubectl(['get', 'networkpolicy', 'default-deny', '-n', 'team-serve'])).code === 0, 10_000, 'NetworkPolicy re-created');

    const holder = await kubectl(['get', 'lease', 'sprout-controller', '-n', 'sprout', '-o', 'jsonpath={.spec.holderIdentity}']);
    assert.notEqual(holder.stdout, '', 'the leader holds the Lease');

    sprout.kill('SIGTERM');
    assert.equal(await exited(sprout), 0, `sprout serve exits 0 after SIGTERM; output:\n${output}`);
    const released = await kubectl(['get', 'lease', 'sprout-controller', '-n', 'sprout', '-o', 'jsonpath={.spec.holderIdentity}']);
    assert.equal(released.code, 0, released.stderr);
    assert.equal(released.stdout, '', 'the Lease is released on shutdown');
  } finally {
    if (sprout && sprout.exitCode === null) {
      sprout.kill('SIGKILL');
      await exited(sprout);
    }
    await server.close();
    await rm(cacheDir, { recursive: true, force: true });
  }
});
