// Server-side printing: the meta.k8s.io Table that plain `kubectl get` asks for. Every kind gets
// Name and Age; a few common built-ins get their usual columns, and custom resources get their
// CRD's additionalPrinterColumns.
import type { JsonObject, JsonValue } from '../../api/json.js';
import { isJsonObject } from '../../api/json.js';
import type { KubeObject } from '../../api/kube.js';
import type { ResourceInfo } from '../client.js';
import { humanDuration, jsonPathValue } from './table-values.js';

export interface PrinterColumn {
  name: string;
  type: string;
  format?: string;
  description: string;
  priority: number;
  value(obj: KubeObject, now: Date): JsonValue;
}

const field = (obj: KubeObject, path: string): JsonValue => jsonPathValue(obj as unknown as JsonValue, path) ?? null;
const count = (v: unknown): number => (typeof v === 'object' && v !== null ? Object.keys(v).length : 0);

const num = (v: JsonValue, fallback: number): number => (typeof v === 'number' ? v : fallback);

const ageColumn: PrinterColumn = {
  name: 'Age', type: 'string', description: 'CreationTimestamp is a timestamp representing the server time when this object was created.', priority: 0,
  value: (obj, now) => age(obj.metadata.creationTimestamp, now),
};

function age(timestamp: unknown, now: Date): JsonValue {
  if (typeof timestamp !== 'string') return '<unknown>';
  return humanDuration(now.getTime() - Date.parse(timestamp));
}

function col(name: string, value: (obj: KubeObject) => JsonValue, type = 'string'): PrinterColumn {
  return { name, type, description: name, priority: 0, value };
}

function podReady(obj: KubeObject): JsonValue {
  const statuses = field(obj, '.status.containerStatuses');
  const containers = field(obj, '.spec.containers');
  const total = Array.isArray(containers) ? containers.length : 0;
  const ready = Array.isArray(statuses) ? statuses.filter((s) => isJsonObject(s) && s.ready === true).length : 0;
  return `${ready}/${total}`;
}

const builtinColumns: Record<string, PrinterColumn[]> = {
  '/namespaces': [col('Status', (o) => field(o, '.status.phase'))],
  '/configmaps': [col('Data', (o) => count(o.data) + count(o.binaryData), 'integer')],
  '/secrets': [col('Type', (o) => field(o, '.type')), col('Data', (o) => count(o.data), 'integer')],
  '/pods': [
    col('Ready', podReady),
    col('Status', (o) => field(o, '.status.phase') ?? 'Pending'),
    col('Restarts', () => 0, 'integer'),
  ],
  'apps/deployments': [
    col('Ready', (o) => `${num(field(o, '.status.readyReplicas'), 0)}/${num(field(o, '.spec.replicas'), 1)}`),
    col('Up-to-date', (o) => field(o, '.status.updatedReplicas') ?? 0, 'integer'),
    col('Available', (o) => field(o, '.status.availableReplicas') ?? 0, 'integer'),
  ],
  '/services': [
    col('Type', (o) => field(o, '.spec.type') ?? 'ClusterIP'),
    col('Cluster-IP', (o) => field(o, '.spec.clusterIP') ?? '<none>'),
  ],
};

interface CrdColumn {
  name?: string;
  type?: string;
  format?: string;
  description?: string;
  priority?: number;
  jsonPath?: string;
}

/** The printer columns of a served version of a CRD (undefined when it declares none). */
function crdColumns(crd: KubeObject | undefined, version: string): PrinterColumn[] | undefined {
  const spec = crd?.spec;
  if (!isJsonObject(spec) || !Array.isArray(spec.versions)) return undefined;
  const v = spec.versions.find((x) => isJsonObject(x) && x.name === version);
  if (!isJsonObject(v) || !Array.isArray(v.additionalPrinterColumns)) return undefined;
  return (v.additionalPrinterColumns as unknown as CrdColumn[]).map((c) => ({
    name: c.name ?? '', type: c.type ?? 'string', format: c.format, description: c.description ?? '', priority: c.priority ?? 0,
    value: (obj, now) => {
      const raw = jsonPathValue(obj as unknown as JsonValue, c.jsonPath ?? '');
      if (c.type === 'date') return raw === undefined ? null : age(raw, now);
      return raw ?? null;
    },
  }));
}

export function columnsFor(info: ResourceInfo, crd: KubeObject | undefined): PrinterColumn[] {
  const name: PrinterColumn = {
    name: 'Name', type: 'string', format: 'name', priority: 0,
    description: 'Name must be unique within a namespace.', value: (obj) => obj.metadata.name ?? '',
  };
  const custom = crdColumns(crd, info.version);
  if (custom !== undefined) return [name, ...custom];
  return [name, ...(builtinColumns[`${info.group}/${info.resource}`] ?? []), ageColumn];
}

export type IncludeObject = 'None' | 'Metadata' | 'Object';

function rowObject(obj: KubeObject, include: IncludeObject): JsonValue | undefined {
  if (include === 'None') return undefined;
  if (include === 'Object') return obj as unknown as JsonValue;
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata as unknown as JsonObject };
}

export function toTable(
  objects: KubeObject[],
  columns: PrinterColumn[],
  options: { now: Date; include: IncludeObject; listMeta: JsonObject; apiVersion: string; withHeaders?: boolean },
): JsonObject {
  const rows = objects.map((obj) => {
    const row: JsonObject = { cells: columns.map((c) => c.value(obj, options.now)) };
    const o = rowObject(obj, options.include);
    if (o !== undefined) row.object = o;
    return row;
  });
  const columnDefinitions = options.withHeaders === false ? [] : columns.map((c) => {
    const d: JsonObject = { name: c.name, type: c.type, format: c.format ?? '', description: c.description, priority: c.priority };
    return d;
  });
  return { kind: 'Table', apiVersion: options.apiVersion, metadata: options.listMeta, columnDefinitions, rows };
}
