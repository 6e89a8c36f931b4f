import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createLogger } from './logger.js';

function capture(): { lines: () => Record<string, unknown>[]; destination: { write(chunk: string): void } } {
  const chunks: string[] = [];
  return {
    destination: { write: (chunk: string) => void chunks.push(chunk) },
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

describe('createLogger', () => {
  it('writes JSON at the configured level with base fields', () => {
    const out = capture();
    const log = createLogger({
      level: 'info',
      base: { component: 'controller' },
      destination: out.destination,
    });
    log.debug('hidden');
    log.info({ key: 'ns/name' }, 'reconciled');
    const [line, ...rest] = out.lines();
    assert.equal(rest.length, 0);
    assert.equal(line?.msg, 'reconciled');
    assert.equal(line?.component, 'controller');
    assert.equal(line?.key, 'ns/name');
    assert.equal(line?.level, 30);
    assert.equal(typeof line?.time, 'string');
  });

  it('redacts Secret data and stringData wherever an object is logged', () => {
    const out = capture();
    const log = createLogger({ level: 'info', destination: out.destination });
    const secret = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's' },
      data: { password: 'c2VjcmV0' },
      stringData: { token: 'x' },
    };
    log.info(secret, 'top level');
    log.info({ object: secret }, 'as a field');
    log.info({ request: { object: secret, oldObject: secret } }, 'nested in a request');
    const text = JSON.stringify(out.lines());
    assert.doesNotMatch(text, /c2VjcmV0|"token"/);
    const [top, field, nested] = out.lines() as {
      data?: unknown;
      object?: { data?: unknown; metadata?: unknown };
      request?: { oldObject?: { stringData?: unknown } };
    }[];
    assert.equal(top?.data, '[REDACTED]');
    assert.equal(field?.object?.data, '[REDACTED]');
    assert.deepEqual(field?.object?.metadata, { name: 's' }, 'the rest of the object is logged');
    assert.equal(nested?.request?.oldObject?.stringData, '[REDACTED]');
    assert.deepEqual(secret.data, { password: 'c2VjcmV0' }, 'the logged object itself is untouched');
  });
});
