// Routes one request: authentication, non-resource paths (discovery, OpenAPI, health), then the
// resource handlers. Every failure becomes a Status reply; nothing a client sends can crash it.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { methodNotAllowed, resourceNotFound } from '../errors.js';
import { authenticate } from './auth.js';
import { apiGroupDoc, apiGroupList, apiResourceList, apiVersions, versionInfo } from './discovery-docs.js';
import { negotiate } from './negotiate.js';
import { openApiGroupVersionDoc, openApiRoot } from './openapi.js';
import { parseRequest } from './request-info.js';
import type { ResourceRequest } from './request-info.js';
import { plainStatus, sendJson, sendStatus, statusOf } from './respond.js';
import type { Call, ServerState } from './rest-context.js';
import { query, sendList, sendObject } from './rest-context.js';
import { handleDelete, handleDeleteCollection } from './rest-delete.js';
import { handlePatch } from './rest-patch.js';
import { handleCreate, handleUpdate } from './rest-write.js';
import { fieldSelectorFor, handleWatch } from './watch.js';

const HEALTH = new Set(['/healthz', '/livez', '/readyz']);

async function nonResource(state: ServerState, req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') throw resourceNotFound();
  const resources = await state.cluster.resources();
  const clean = path.replace(/\/+$/, '') || '/';
  if (clean === '/api') return sendJson(res, 200, apiVersions(req.socket.localAddress === undefined ? '' : `${req.socket.localAddress}:${req.socket.localPort ?? ''}`));
  if (clean === '/apis') return sendJson(res, 200, apiGroupList(resources));
  if (clean === '/openapi/v3') return sendJson(res, 200, openApiRoot(resources));
  const parts = clean.split('/').filter((p) => p !== '');
  let doc: unknown;
  if (parts[0] === 'api' && parts.length === 2) doc = apiResourceList(resources, '', parts[1] ?? '');
  else if (parts[0] === 'apis' && parts.length === 2) doc = apiGroupDoc(resources, parts[1] ?? '');
  else if (parts[0] === 'apis' && parts.length === 3) doc = apiResourceList(resources, parts[1] ?? '', parts[2] ?? '');
  else if (parts[0] === 'openapi' && parts[1] === 'v3') doc = openApiGroupVersionDoc(resources, parts.slice(2).join('/'));
  if (doc !== undefined) return sendJson(res, 200, doc);
  throw resourceNotFound();
}

async function resourceCall(state: ServerState, req: IncomingMessage, res: ServerResponse, url: URL, info: ResourceRequest): Promise<void> {
  const user = authenticate(req.headers);
  const resource = await state.cluster.resolveResource(info.group, info.version, info.resource);
  if (resource === undefined) throw resourceNotFound();
  if (resource.namespaced === false && info.namespace !== '') throw resourceNotFound();
  const representation = negotiate(req.headers.accept);
  const call: Call = { state, req, res, url, info, user, resource, representation, warnings: [] };
  if (!resource.verbs.includes(info.verb)) throw methodNotAllowed(info.verb, { group: resource.group, resource: resource.resource });
  const ns = resource.namespaced && info.namespace !== '' ? info.namespace : undefined;
  const ref = { apiVersion: resource.group === '' ? resource.version : `${resource.group}/${resource.version}`, kind: resource.kind };
  switch (info.verb) {
    case 'get':
      if (info.subresource !== '' && info.subresource !== 'status') throw resourceNotFound();
      return sendObject(call, 200, await state.cluster.get({ ...ref, name: info.name, namespace: ns }));
    case 'list': {
      const limit = Number(query(call, 'limit') ?? '0');
      return sendList(call, await state.cluster.list(ref, {
        namespace: ns,
        labelSelector: query(call, 'labelSelector'),
        fieldSelector: fieldSelectorFor(call),
        limit: Number.isFinite(limit) && limit > 0 ? limit : undefined,
        continue: query(call, 'continue'),
      }));
    }
    case 'watch':
      return handleWatch(call);
    case 'create':
      return handleCreate(call);
    case 'update':
      return handleUpdate(call);
    case 'patch':
      return handlePatch(call);
    case 'delete':
      return handleDelete(call);
    case 'deletecollection':
      return handleDeleteCollection(call);
  }
}

export async function route(state: ServerState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    const url = new URL(req.url ?? '/', 'https://localhost');
    if (HEALTH.has(url.pathname)) {
      res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('ok');
      return;
    }
    if (url.pathname === '/version') return sendJson(res, 200, versionInfo());
    const info = parseRequest(req.method ?? 'GET', url);
    if (info === undefined) {
      return sendStatus(res, plainStatus(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource'));
    }
    if (info.kind === 'nonresource') {
      authenticate(req.headers);
      return await nonResource(state, req, res, info.path);
    }
    await resourceCall(state, req, res, url, info);
  } catch (e) {
    if (!res.headersSent) sendStatus(res, statusOf(e));
    else if (!res.writableEnded) res.end();
  }
}
