// Decodes the Kubernetes protobuf encoding of a few kinds. kubectl's typed clients (`kubectl
// create namespace|configmap|secret|serviceaccount`, `kubectl auth can-i`) send protobuf bodies
// and do not fall back to JSON, so the embedded server reads these; any other kind gets 415.
// Wire format: "k8s\0" + runtime.Unknown{typeMeta{apiVersion, kind}, raw} with `raw` the object.
import type { JsonObject, JsonValue } from '../../api/json.js';
import { unsupportedMediaType } from '../errors.js';
import type { MessageSchema } from './protobuf-schemas.js';
import { schemaForKind, SUPPORTED_PROTOBUF_KINDS } from './protobuf-schemas.js';

const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

class Reader {
  pos = 0;
  constructor(private readonly buf: Buffer) {}
  get done(): boolean {
    return this.pos >= this.buf.length;
  }
  varint(): number {
    let result = 0;
    let scale = 1;
    for (;;) {
      if (this.pos >= this.buf.length) throw new Error('truncated varint');
      const b = this.buf[this.pos++] ?? 0;
      result += (b & 0x7f) * scale;
      if ((b & 0x80) === 0) return result;
      scale *= 128;
    }
  }
  bytes(): Buffer {
    const len = this.varint();
    if (this.pos + len > this.buf.length) throw new Error('truncated field');
    const out = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return out;
  }
  skip(wireType: number): void {
    if (wireType === 0) this.varint();
    else if (wireType === 1) this.pos += 8;
    else if (wireType === 2) this.bytes();
    else if (wireType === 5) this.pos += 4;
    else throw new Error(`unsupported wire type ${wireType}`);
  }
}

/** Raw fields of one message: field number -> occurrences (varints as numbers, the rest as bytes). */
function fieldsOf(buf: Buffer): Map<number, (number | Buffer)[]> {
  const r = new Reader(buf);
  const out = new Map<number, (number | Buffer)[]>();
  while (!r.done) {
    const key = r.varint();
    const field = Math.floor(key / 8);
    const wire = key % 8;
    let value: number | Buffer | undefined;
    if (wire === 0) value = r.varint();
    else if (wire === 2) value = r.bytes();
    else r.skip(wire);
    if (value === undefined) continue;
    const list = out.get(field) ?? [];
    list.push(value);
    out.set(field, list);
  }
  return out;
}

function text(v: number | Buffer | undefined): string {
  if (v === undefined) return '';
  return Buffer.isBuffer(v) ? v.toString('utf8') : String(v);
}

function scalar(v: number | Buffer, type: string): JsonValue {
  switch (type) {
    case 'string':
      return Buffer.isBuffer(v) ? v.toString('utf8') : String(v);
    case 'bytes':
      return Buffer.isBuffer(v) ? v.toString('base64') : '';
    case 'bool':
      return v === 1;
    default:
      return typeof v === 'number' ? v : 0;
  }
}

function timeOf(buf: Buffer): string {
  const f = fieldsOf(buf);
  const seconds = Number(f.get(1)?.[0] ?? 0);
  return new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function decodeMessage(buf: Buffer, schema: MessageSchema): JsonObject {
  const out: JsonObject = {};
  for (const [num, values] of fieldsOf(buf)) {
    const spec = schema[num];
    if (spec === undefined) continue;
    const one = (v: number | Buffer): JsonValue => {
      if (spec.type === 'message') return Buffer.isBuffer(v) && spec.message !== undefined ? decodeMessage(v, spec.message) : {};
      if (spec.type === 'time') return Buffer.isBuffer(v) ? timeOf(v) : '';
      return scalar(v, spec.type);
    };
    if (spec.type === 'map') {
      const m: JsonObject = {};
      for (const entry of values) {
        if (!Buffer.isBuffer(entry)) continue;
        const e = fieldsOf(entry);
        const k = e.get(1)?.[0];
        const v = e.get(2)?.[0];
        m[text(k)] = v === undefined ? '' : scalar(v, spec.mapValue ?? 'string');
      }
      out[spec.name] = m;
    } else if (spec.repeated === true) out[spec.name] = values.map(one);
    else {
      const last = values[values.length - 1];
      const v = last === undefined ? undefined : one(last);
      // Protobuf carries empty scalars that JSON (omitempty) leaves out.
      if (v !== undefined && v !== '' && v !== 0) out[spec.name] = v;
    }
  }
  return out;
}

const unsupported = (why: string): Error =>
  unsupportedMediaType(`the body of the request was in an unknown format - accepted media types include: application/json, application/yaml (protobuf only for ${SUPPORTED_PROTOBUF_KINDS.join(', ')}): ${why}`);

export function decodeProtobufObject(body: Buffer): JsonObject {
  if (body.length < MAGIC.length || !body.subarray(0, MAGIC.length).equals(MAGIC)) throw unsupported('missing protobuf envelope');
  let unknown: Map<number, (number | Buffer)[]>;
  let typeMeta: Map<number, (number | Buffer)[]>;
  try {
    unknown = fieldsOf(body.subarray(MAGIC.length));
    const tm = unknown.get(1)?.[0];
    typeMeta = Buffer.isBuffer(tm) ? fieldsOf(tm) : new Map<number, (number | Buffer)[]>();
  } catch (e) {
    throw unsupported(e instanceof Error ? e.message : String(e));
  }
  const apiVersion = text(typeMeta.get(1)?.[0]);
  const kind = text(typeMeta.get(2)?.[0]);
  const schema = schemaForKind(apiVersion, kind);
  if (schema === undefined) throw unsupported(`kind ${kind}`);
  const raw = unknown.get(2)?.[0];
  try {
    return { apiVersion, kind, ...decodeMessage(Buffer.isBuffer(raw) ? raw : Buffer.alloc(0), schema) };
  } catch (e) {
    throw unsupported(e instanceof Error ? e.message : String(e));
  }
}
