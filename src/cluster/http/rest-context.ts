// What every resource handler gets: the parsed request, who is asking, the resolved resource, and
// helpers to answer in the representation the client asked for.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { stringify as toYaml } from 'yaml';
import type { UserInfo } from '../../api/admission.js';
import type { JsonObject } from '../../api/json.js';
import type { KubeObject } from '../../api/kube.js';
import type { ObjectList, ResourceInfo } from '../client.js';
import { badRequest, isNotFound } from '../errors.js';
import type { MemoryCluster } from '../memory/index.js';
import type { AdmissionChain } from './admission/chain.js';
import type { Representation } from './negotiate.js';
import type { ResourceRequest } from './request-info.js';
import { sendJson, warningHeader } from './respond.js';
import type { PrinterColumn } from './table.js';
import { columnsFor, toTable } from './table.js';

export interface ServerState {
  cluster: MemoryCluster;
  admission: AdmissionChain;
  clock: () => Date;
  /** Watches being streamed; shutdown lets them end their responses before closing sockets. */
  openWatches: Set<Promise<void>>;
}

export interface Call {
  state: ServerState;
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  info: ResourceRequest;
  user: UserInfo;
  resource: ResourceInfo;
  representation: Representation;
  /** Admission warnings to send as Warning headers. */
  warnings: string[];
}

export function apiVersionOf(r: { group: string; version: string }): string {
  return r.group === '' ? r.version : `${r.group}/${r.version}`;
}

export function query(call: Call, name: string): string | undefined {
  const v = call.url.searchParams.get(name);
  return v === null || v === '' ? undefined : v;
}

export function dryRunOf(call: Call, body?: JsonObject): boolean {
  const values = [...call.url.searchParams.getAll('dryRun'), ...(Array.isArray(body?.dryRun) ? body.dryRun.map(String) : [])];
  for (const v of values) if (v !== 'All') throw badRequest(`Invalid dry run value: "${v}": supported values: "All"`);
  return values.length > 0;
}

async function columns(call: Call): Promise<PrinterColumn[]> {
  const r = call.resource;
  let crd: KubeObject | undefined;
  if (r.group !== '') {
    // Any group may be served by a CRD; the memory server answers this lookup cheaply.
    try {
      crd = await call.state.cluster.get({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', name: `${r.resource}.${r.group}` });
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }
  return columnsFor(r, crd);
}

function setWarnings(call: Call): void {
  if (call.warnings.length > 0 && !call.res.headersSent) call.res.setHeader('Warning', call.warnings.map(warningHeader));
}

function send(call: Call, code: number, body: unknown): void {
  setWarnings(call);
  if (call.representation.kind === 'yaml') {
    if (call.res.headersSent) return;
    const text = toYaml(body);
    call.res.writeHead(code, { 'Content-Type': 'application/yaml', 'Content-Length': Buffer.byteLength(text) });
    call.res.end(text);
    return;
  }
  sendJson(call.res, code, body);
}

export async function renderObjects(call: Call, objects: KubeObject[], listMeta: JsonObject | undefined, withHeaders = true): Promise<unknown> {
  const rep = call.representation;
  if (rep.kind === 'table') {
    const include = (query(call, 'includeObject') ?? 'Metadata') as 'None' | 'Metadata' | 'Object';
    return toTable(objects, await columns(call), { now: call.state.clock(), include, listMeta: listMeta ?? {}, apiVersion: `meta.k8s.io/${rep.version}`, withHeaders });
  }
  if (rep.kind === 'partial') {
    const items = objects.map((o) => ({ kind: 'PartialObjectMetadata', apiVersion: `meta.k8s.io/${rep.version}`, metadata: o.metadata }));
    return listMeta === undefined ? items[0] : { kind: 'PartialObjectMetadataList', apiVersion: `meta.k8s.io/${rep.version}`, metadata: listMeta, items };
  }
  if (listMeta === undefined) return objects[0];
  return { kind: call.resource.listKind, apiVersion: apiVersionOf(call.resource), metadata: listMeta, items: objects };
}

export async function sendObject(call: Call, code: number, obj: KubeObject): Promise<void> {
  send(call, code, await renderObjects(call, [obj], undefined));
}

export async function sendList(call: Call, list: ObjectList): Promise<void> {
  const meta: JsonObject = { resourceVersion: list.resourceVersion };
  if (list.continue !== undefined) meta.continue = list.continue;
  send(call, 200, await renderObjects(call, list.items, meta));
}

export function sendPlain(call: Call, code: number, body: unknown): void {
  send(call, code, body);
}
