import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CorruptDataError, crc32, decodeRecords, encodeRecord } from './record-format.js';

const records = [{ rv: 1, a: 'x' }, { rv: 2, text: 'line\nbreak and ünïcödé' }, { rv: 3, nested: { list: [1, 2] } }];
const flipBit = (buf: Buffer, at: number): void => {
  buf.writeUInt8((buf.readUInt8(at) ^ 0x01) & 0xff, at);
};
const log = (): Buffer => Buffer.concat(records.map(encodeRecord));

describe('record format', () => {
  it('computes the standard CRC-32 (IEEE) check value', () => {
    assert.equal(crc32(Buffer.from('123456789')), 0xcbf43926);
    assert.equal(crc32(Buffer.alloc(0)), 0);
  });

  it('frames each record as one line: checksum, byte length, JSON', () => {
    const line = encodeRecord({ rv: 2, text: 'é\n' }).toString('utf8');
    const json = '{"rv":2,"text":"é\\n"}';
    const crc = crc32(Buffer.from(json)).toString(16).padStart(8, '0');
    assert.equal(line, `${crc} ${Buffer.byteLength(json)} ${json}\n`);
    assert.equal(Buffer.byteLength(json), json.length + 1, 'the length counts bytes (é is two), not characters');
    assert.equal(line.split('\n').length, 2);
  });

  it('decodes records in the order they were written', () => {
    const decoded = decodeRecords(log(), 'wal');
    assert.deepEqual(decoded.payloads, records);
    assert.equal(decoded.validBytes, log().length);
    assert.equal(decoded.tornTail, undefined);
  });

  it('an empty file has no records', () => {
    assert.deepEqual(decodeRecords(Buffer.alloc(0), 'wal'), { payloads: [], validBytes: 0 });
  });

  it('cut anywhere inside the last record: the earlier records survive, the rest is a torn tail', () => {
    const full = log();
    const lastStart = full.length - encodeRecord(records[2]).length;
    for (let cut = lastStart + 1; cut < full.length; cut++) {
      const decoded = decodeRecords(full.subarray(0, cut), 'wal');
      assert.deepEqual(decoded.payloads, records.slice(0, 2), `cut at ${cut}`);
      assert.equal(decoded.validBytes, lastStart);
      assert.ok(decoded.tornTail !== undefined);
    }
  });

  it('a checksum mismatch in the last record is a torn tail', () => {
    const full = log();
    flipBit(full, full.length - 3); // inside the last payload
    const decoded = decodeRecords(full, 'wal');
    assert.deepEqual(decoded.payloads, records.slice(0, 2));
    assert.equal(decoded.tornTail, 'checksum mismatch');
  });

  it('zeros where the tail should be (a torn write after power loss) are a torn tail', () => {
    const decoded = decodeRecords(Buffer.concat([log(), Buffer.alloc(512)]), 'wal');
    assert.deepEqual(decoded.payloads, records);
    assert.equal(decoded.validBytes, log().length);
    assert.ok(decoded.tornTail !== undefined);
  });

  it('damage followed by intact records is corruption, not a tail to drop', () => {
    const full = log();
    const first = encodeRecord(records[0]).length;
    flipBit(full, first + 15); // inside the second record
    assert.throws(
      () => decodeRecords(full, 'wal-1'),
      (e: unknown) => e instanceof CorruptDataError && e.offset === first && /wal-1.*checksum mismatch/.test(e.message),
    );
  });

  it('a length that does not match the line is detected', () => {
    const good = encodeRecord({ rv: 1 }).toString('latin1');
    const wrongLength = good.replace(/ (\d+) /, (_m, n: string) => ` ${Number(n) + 1} `);
    const decoded = decodeRecords(Buffer.from(wrongLength + 'x', 'latin1'), 'wal');
    assert.equal(decoded.payloads.length, 0);
    assert.equal(decoded.tornTail, 'length does not match');
  });

  it('a malformed header is detected', () => {
    for (const bad of ['zzzzzzzz 2 {}\n', '0000000 2 {}\n', 'deadbeef x {}\n', 'deadbeef 2{}\n']) {
      const decoded = decodeRecords(Buffer.concat([encodeRecord({ rv: 1 }), Buffer.from(bad)]), 'wal');
      assert.deepEqual(decoded.payloads, [{ rv: 1 }], bad);
      assert.ok(decoded.tornTail !== undefined, bad);
    }
  });
});
