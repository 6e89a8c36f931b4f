import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  alreadyExists,
  badRequest,
  conflict,
  errorFromStatus,
  forbidden,
  gone,
  internalError,
  invalid,
  isAlreadyExists,
  isBadRequest,
  isConflict,
  isForbidden,
  isGone,
  isInvalid,
  isMethodNotAllowed,
  isNotFound,
  isServerError,
  isTooManyRequests,
  methodNotAllowed,
  notFound,
  resourceExpired,
  tooManyRequests,
} from './errors.js';

test('errors carry the API server Status: code, reason, message, details', () => {
  const cm = { group: '', resource: 'configmaps' };
  const deploy = { group: 'apps', resource: 'deployments' };
  const cases: [
    Error & { status: { code: number; reason: string; message: string } },
    number,
    string,
    string,
    (e: unknown) => boolean,
  ][] = [
    [notFound(cm, 'x'), 404, 'NotFound', 'configmaps "x" not found', isNotFound],
    [notFound(deploy, 'd'), 404, 'NotFound', 'deployments.apps "d" not found', isNotFound],
    [alreadyExists(cm, 'x'), 409, 'AlreadyExists', 'configmaps "x" already exists', isAlreadyExists],
    [
      conflict(cm, 'x'),
      409,
      'Conflict',
      'Operation cannot be fulfilled on configmaps "x": the object has been modified; please apply your changes to the latest version and try again',
      isConflict,
    ],
    [gone('gone'), 410, 'Gone', 'gone', isGone],
    [
      resourceExpired('too old resource version: 1 (5)'),
      410,
      'Expired',
      'too old resource version: 1 (5)',
      isGone,
    ],
    [forbidden(cm, 'x', 'nope'), 403, 'Forbidden', 'configmaps "x" is forbidden: nope', isForbidden],
    [
      invalid({ group: 'apps', kind: 'Deployment' }, 'd', [
        {
          field: 'spec.replicas',
          type: 'FieldValueInvalid',
          detail: 'Invalid value: -1: must be greater than or equal to 0',
        },
      ]),
      422,
      'Invalid',
      'Deployment.apps "d" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0',
      isInvalid,
    ],
    [badRequest('bad'), 400, 'BadRequest', 'bad', isBadRequest],
    [
      methodNotAllowed('create', cm),
      405,
      'MethodNotAllowed',
      'create is not supported on resources of kind "configmaps"',
      isMethodNotAllowed,
    ],
    [tooManyRequests('slow down', 1), 429, 'TooManyRequests', 'slow down', isTooManyRequests],
    [internalError('boom'), 500, 'InternalError', 'Internal error occurred: boom', isServerError],
  ];
  for (const [e, code, reason, message, is] of cases) {
    assert.equal(e.status.code, code, message);
    assert.equal(e.status.reason, reason, message);
    assert.equal(e.message, message);
    assert.ok(is(e), message);
    const rebuilt = errorFromStatus(e.status as Parameters<typeof errorFromStatus>[0]);
    assert.equal(rebuilt.constructor, e.constructor, message);
  }
  assert.equal(isConflict(alreadyExists(cm, 'x')), false);
  assert.equal(isNotFound(new Error('configmaps "x" not found')), false);
  assert.deepEqual(notFound(deploy, 'd').status.details, { name: 'd', kind: 'deployments', group: 'apps' });
});

test('invalid with several field errors lists them in brackets', () => {
  const e = invalid({ group: '', kind: 'ConfigMap' }, 'x', [
    { field: 'a', type: 'FieldValueRequired', detail: 'Required value' },
    { field: 'b', type: 'FieldValueInvalid', detail: 'Invalid value: "q": no' },
  ]);
  assert.equal(e.message, 'ConfigMap "x" is invalid: [a: Required value, b: Invalid value: "q": no]');
  assert.equal(e.status.details?.causes?.length, 2);
});
