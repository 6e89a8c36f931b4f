import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ClusterError } from '../errors.js';
import {
  AlreadyExistsError,
  ConflictError,
  ForbiddenError,
  GoneError,
  InvalidError,
  NotFoundError,
  ServerError,
  TooManyRequestsError,
  isServerError,
} from '../errors.js';
import { NetworkError, errorFromResponse, retryAfterMs, statusFromResponse } from './http-errors.js';

function statusBody(code: number, reason: string, message: string, extra: object = {}): string {
  return JSON.stringify({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    code,
    ...extra,
  });
}

describe('errors from API server answers', () => {
  it('a Status body becomes the typed error with the server message', () => {
    const table: [number, string, new (...a: never[]) => ClusterError][] = [
      [404, 'NotFound', NotFoundError],
      [409, 'AlreadyExists', AlreadyExistsError],
      [409, 'Conflict', ConflictError],
      [410, 'Expired', GoneError],
      [403, 'Forbidden', ForbiddenError],
      [422, 'Invalid', InvalidError],
      [429, 'TooManyRequests', TooManyRequestsError],
      [500, 'InternalError', ServerError],
      [503, 'ServiceUnavailable', ServerError],
    ];
    for (const [code, reason, type] of table) {
      const e = errorFromResponse(code, statusBody(code, reason, `msg ${reason}`));
      assert.ok(e instanceof type, `${code} ${reason} → ${e.constructor.name}`);
      assert.equal(e.message, `msg ${reason}`);
      assert.equal(e.status.reason, reason);
      assert.equal(e.status.code, code);
    }
  });

  it('keeps details (causes, names) as sent', () => {
    const details = {
      name: 'x',
      kind: 'configmaps',
      causes: [{ type: 'FieldValueInvalid', field: 'metadata.name', message: 'bad' }],
    };
    const e = errorFromResponse(422, statusBody(422, 'Invalid', 'ConfigMap "x" is invalid', { details }));
    assert.deepEqual(e.status.details, details);
  });

  it('answers without a Status body get the Status client-go would make up', () => {
    const table: [number, string, string, string][] = [
      [404, '404 page not found', 'NotFound', 'the server could not find the requested resource'],
      [
        502,
        '<html>Bad Gateway</html>',
        'InternalError',
        'an error on the server ("<html>Bad Gateway</html>") has prevented the request from succeeding',
      ],
      [
        503,
        '',
        'ServiceUnavailable',
        'the server responded with the status code 503 but did not return more information',
      ],
      [401, 'Unauthorized', 'Unauthorized', 'Unauthorized'],
      [418, '', '', 'the server responded with the status code 418 but did not return more information'],
    ];
    for (const [code, body, reason, message] of table) {
      const s = statusFromResponse(code, body);
      assert.deepEqual(
        [s.code, s.reason, s.message, s.kind],
        [code, reason, message, 'Status'],
        `${code} ${body}`,
      );
    }
    assert.ok(errorFromResponse(502, 'oops') instanceof ServerError);
  });

  it('a body code of 0 falls back to the HTTP code', () => {
    assert.equal(statusFromResponse(429, statusBody(0, 'TooManyRequests', 'slow down')).code, 429);
  });

  it('network failures are 503-coded ServerErrors that know whether the request went out', () => {
    const refused = new NetworkError(
      'https://x',
      Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
    );
    assert.ok(refused instanceof ServerError && isServerError(refused));
    assert.equal(refused.status.code, 503);
    assert.match(refused.message, /^unable to reach the API server at https:\/\/x: connect ECONNREFUSED$/);
    assert.equal(refused.neverSent, true);
    const reset = new NetworkError(
      'https://x',
      Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }),
    );
    assert.equal(reset.neverSent, false);
    const stale = new NetworkError(
      'https://x',
      Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }),
      true,
    );
    assert.equal(stale.neverSent, true, 'a reset on a reused keep-alive socket');
  });

  it('Retry-After comes from the header, else from the Status details', () => {
    const status = statusFromResponse(
      429,
      statusBody(429, 'TooManyRequests', 'x', { details: { retryAfterSeconds: 4 } }),
    );
    assert.equal(retryAfterMs('2', status), 2000);
    assert.equal(retryAfterMs(undefined, status), 4000);
    assert.equal(retryAfterMs(['7'], undefined), 7000);
    assert.equal(retryAfterMs('Wed, 21 Oct 2015 07:28:00 GMT', undefined), undefined);
  });
});
