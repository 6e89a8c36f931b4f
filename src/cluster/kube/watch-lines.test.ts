import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LineSplitter, WatchDecodeError, parseWatchLine } from './watch-lines.js';

const CM = { apiVersion: 'v1', kind: 'ConfigMap' };

const events = [
  {
    type: 'ADDED',
    object: {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'a', resourceVersion: '5' },
      data: { k: 'grüße 🌱' },
    },
  },
  {
    type: 'MODIFIED',
    object: {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'a', resourceVersion: '6' },
      data: { k: '日本' },
    },
  },
  { type: 'BOOKMARK', object: { kind: 'ConfigMap', apiVersion: 'v1', metadata: { resourceVersion: '7' } } },
  {
    type: 'DELETED',
    object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', resourceVersion: '8' } },
  },
];
const wire = Buffer.from(events.map((e) => `${JSON.stringify(e)}\n`).join(''), 'utf8');

function splitAt(buf: Buffer, cuts: number[]): Buffer[] {
  const chunks: Buffer[] = [];
  let start = 0;
  for (const cut of [...cuts, buf.length]) {
    chunks.push(buf.subarray(start, cut));
    start = cut;
  }
  return chunks;
}

function decode(chunks: Buffer[]): string[] {
  const splitter = new LineSplitter();
  const lines = chunks.flatMap((c) => splitter.push(c));
  const rest = splitter.end();
  return rest === undefined ? lines : [...lines, rest];
}

describe('watch line decoding', () => {
  it('any single cut, including inside multi-byte characters, yields the same events', () => {
    for (let cut = 0; cut <= wire.length; cut++) {
      const parsed = decode(splitAt(wire, [cut])).map((l) => parseWatchLine(l, CM));
      assert.deepEqual(parsed, events, `cut at byte ${cut}`);
    }
  });

  it('one byte at a time', () => {
    const chunks = [...wire].map((b) => Buffer.from([b]));
    assert.deepEqual(
      decode(chunks).map((l) => parseWatchLine(l, CM)),
      events,
    );
  });

  it('several events in one chunk, and a last line without its newline', () => {
    const noTrailing = wire.subarray(0, wire.length - 1);
    assert.equal(decode([noTrailing]).length, 4);
    const splitter = new LineSplitter();
    assert.equal(splitter.push(wire).length, 4);
    assert.equal(splitter.end(), undefined);
  });

  it('blank keep-alive lines are skipped', () => {
    assert.equal(parseWatchLine('', CM), undefined);
    assert.equal(parseWatchLine('  \r', CM), undefined);
  });

  it('fills apiVersion and kind when the server left them out', () => {
    const ev = parseWatchLine('{"type":"ADDED","object":{"metadata":{"name":"x"}}}', CM);
    assert.deepEqual(ev, {
      type: 'ADDED',
      object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } },
    });
  });

  it('ERROR events carry a complete Status (410 tells the informer to relist)', () => {
    const line = JSON.stringify({
      type: 'ERROR',
      object: {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: 'too old resource version: 1 (42)',
        reason: 'Expired',
        code: 410,
      },
    });
    const ev = parseWatchLine(line, CM);
    assert.equal(ev?.type, 'ERROR');
    assert.deepEqual(ev.object, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'too old resource version: 1 (42)',
      reason: 'Expired',
      code: 410,
    });
    const bare = parseWatchLine('{"type":"ERROR","object":{"message":"internal","code":500}}', CM);
    assert.deepEqual(bare?.type === 'ERROR' && [bare.object.kind, bare.object.code, bare.object.message], [
      'Status',
      500,
      'internal',
    ]);
  });

  it('rejects lines that are not watch events', () => {
    for (const line of [
      'not json',
      '[]',
      '"x"',
      '{"type":"ADDED"}',
      '{"type":"NOPE","object":{}}',
      '{"object":{}}',
    ]) {
      assert.throws(() => parseWatchLine(line, CM), WatchDecodeError, line);
    }
  });
});
