import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isUnsupportedMediaType } from '../errors.js';
import { decodeProtobufObject } from './protobuf.js';

// A tiny protobuf writer, enough to build what kubectl's typed clients send.
const varint = (n: number): Buffer => {
  const out: number[] = [];
  let v = n;
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
  return Buffer.from(out);
};
const bytesField = (num: number, content: Buffer | string): Buffer => {
  const b = Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8');
  return Buffer.concat([varint(num * 8 + 2), varint(b.length), b]);
};
const envelope = (apiVersion: string, kind: string, raw: Buffer): Buffer =>
  Buffer.concat([Buffer.from('k8s\0', 'binary'), bytesField(1, Buffer.concat([bytesField(1, apiVersion), bytesField(2, kind)])), bytesField(2, raw)]);

describe('protobuf bodies', () => {
  it('decodes a Namespace as kubectl create namespace sends it', () => {
    const meta = Buffer.concat([bytesField(1, 'team-a'), bytesField(2, ''), bytesField(11, Buffer.concat([bytesField(1, 'env'), bytesField(2, 'dev')]))]);
    const obj = decodeProtobufObject(envelope('v1', 'Namespace', Buffer.concat([bytesField(1, meta), bytesField(2, Buffer.alloc(0))])));
    assert.deepEqual(obj, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a', labels: { env: 'dev' } }, spec: {} });
  });

  it('decodes Secret data as base64', () => {
    const data = bytesField(2, Buffer.concat([bytesField(1, 'k'), bytesField(2, Buffer.from([0, 1, 2]))]));
    const obj = decodeProtobufObject(envelope('v1', 'Secret', Buffer.concat([bytesField(1, bytesField(1, 's')), data, bytesField(3, 'Opaque')])));
    assert.deepEqual(obj.data, { k: 'AAEC' });
    assert.equal(obj.type, 'Opaque');
  });

  it('answers 415 for kinds it cannot decode and for garbage', () => {
    assert.throws(() => decodeProtobufObject(envelope('apps/v1', 'Deployment', Buffer.alloc(0))), isUnsupportedMediaType);
    assert.throws(() => decodeProtobufObject(Buffer.from('{"json": true}')), isUnsupportedMediaType);
    assert.throws(() => decodeProtobufObject(Buffer.from([0x6b, 0x38, 0x73, 0x00, 0x0a, 0xff])), isUnsupportedMediaType);
  });
});
