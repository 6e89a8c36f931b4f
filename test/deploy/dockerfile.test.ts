// The Dockerfile, checked as text: a build stage that compiles and prunes dev dependencies, a
// runtime stage with only the compiled output and production node_modules, a numeric non-root
// user, and an entry point that runs `sprout serve`. .dockerignore keeps what the build needs.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from '../support/paths.js';
import { copySources, execForm, parseDockerfile } from './dockerfile.js';

const stages = parseDockerfile(readFileSync(join(repoRoot, 'Dockerfile'), 'utf8'));
const build = stages[0]!;
const runtime = stages[stages.length - 1]!;
const runs = build.instructions.filter((i) => i.keyword === 'RUN').map((i) => i.args).join(' && ');
const ignore = readFileSync(join(repoRoot, '.dockerignore'), 'utf8')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l !== '' && !l.startsWith('#'));

/** Whether .dockerignore drops a context path (root-anchored names, `*` within a segment, `!` re-includes). */
function ignored(path: string): boolean {
  let out = false;
  for (const raw of ignore) {
    const negate = raw.startsWith('!');
    const pattern = raw.replace(/^!/, '').replace(/^\//, '').replace(/\/$/, '');
    const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')}(/|$)`);
    if (re.test(path)) out = !negate;
  }
  return out;
}

describe('Dockerfile', () => {
  it('has a build stage and a runtime stage on pinned Node 20 images', () => {
    assert.equal(stages.length, 2);
    assert.equal(build.name, 'build');
    for (const s of stages) assert.match(s.image, /^(node:20-bookworm-slim|gcr\.io\/distroless\/nodejs20-debian12(:nonroot)?)(@sha256:[0-9a-f]{64})?$/, s.image);
  });

  it('installs with the lockfile, compiles, then prunes dev dependencies', () => {
    assert.match(runs, /npm ci\b/);
    assert.match(runs, /npm run build/);
    assert.match(runs, /npm prune --omit=dev/);
    // `prepare` runs tsc, which cannot work before the sources are copied in.
    const ci = build.instructions.find((i) => i.keyword === 'RUN' && /npm ci\b/.test(i.args));
    const firstSourceCopy = build.instructions.find((i) => i.keyword === 'COPY' && copySources(i.args).sources.includes('src'));
    assert.ok(ci && firstSourceCopy);
    if (ci.line < firstSourceCopy.line) assert.match(ci.args, /--ignore-scripts/);
    assert.ok(runs.indexOf('npm run build') < runs.indexOf('npm prune --omit=dev'));
  });

  it('copies only package.json, production node_modules, compiled output and bin/ into the runtime', () => {
    const copies = runtime.instructions.filter((i) => i.keyword === 'COPY' || i.keyword === 'ADD');
    assert.ok(copies.every((i) => i.keyword === 'COPY'), 'no ADD');
    const sources = copies.flatMap((i) => {
      const c = copySources(i.args);
      assert.equal(c.from, 'build', i.args);
      return c.sources;
    });
    assert.deepEqual(sources.sort(), ['/src/bin', '/src/dist/src', '/src/node_modules', '/src/package.json']);
    assert.ok(!runtime.instructions.some((i) => i.keyword === 'RUN' && /npm (ci|install)/.test(i.args)), 'no install in the runtime stage');
  });

  it('runs as a numeric non-root user', () => {
    const users = runtime.instructions.filter((i) => i.keyword === 'USER');
    assert.equal(users.length, 1);
    const [uid, gid] = (users[0]?.args ?? '').split(':');
    assert.match(uid ?? '', /^[1-9]\d*$/);
    if (gid !== undefined) assert.match(gid, /^[1-9]\d*$/);
    const last = runtime.instructions.findLast((i) => ['USER', 'RUN', 'COPY'].includes(i.keyword));
    assert.equal(last?.keyword, 'USER', 'nothing after USER runs as root');
  });

  it('starts `node bin/sprout.js serve`, with exec-form ENTRYPOINT and CMD', () => {
    const entry = runtime.instructions.filter((i) => i.keyword === 'ENTRYPOINT');
    const cmd = runtime.instructions.filter((i) => i.keyword === 'CMD');
    assert.deepEqual(execForm(entry[0]?.args ?? ''), ['node', 'bin/sprout.js']);
    assert.deepEqual(execForm(cmd[0]?.args ?? ''), ['serve']);
    assert.match(runtime.instructions.find((i) => i.keyword === 'EXPOSE')?.args ?? '', /^9443\b/);
  });

  it('keeps in the build context everything the build stage copies, and nothing heavy', () => {
    const needed = build.instructions.filter((i) => i.keyword === 'COPY').flatMap((i) => copySources(i.args).sources);
    assert.ok(needed.length > 0);
    for (const path of needed) assert.ok(!ignored(path), `${path} is excluded by .dockerignore`);
    for (const path of ['node_modules', 'dist', '.git', 'test', '.env']) assert.ok(ignored(path), `${path} should be excluded`);
    assert.ok(!ignored('src/cli/test/rows.ts'), 'only the top-level test/ folder is excluded');
  });
});
