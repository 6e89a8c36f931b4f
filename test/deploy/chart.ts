// Loads deploy/helm/sprout and renders it the way `helm template` would for the parts the chart
// uses: values.yaml coalesced with a values file, the built-in objects, every template file that
// does not start with "_", output split into YAML documents. See docs/adr/0004.
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import type { KubeObject } from '../../src/api/kube.js';
import { repoRoot } from '../support/paths.js';
import type { Schema } from './json-schema.js';
import { TemplateSet } from './template/render.js';
import { STRUCT } from './template/values.js';

export const chartDir = resolve(repoRoot, 'deploy', 'helm', 'sprout');

export type Values = Record<string, unknown>;

export interface Release {
  name: string;
  namespace: string;
}

export interface RenderedManifest {
  /** The template file, e.g. "templates/deployment.yaml". */
  source: string;
  object: KubeObject;
}

export interface RenderedChart {
  manifests: RenderedManifest[];
  notes: string;
}

/** YAML as helm reads it (YAML 1.1 scalars); duplicate keys are an error, as they are for kubectl. */
export function parseYaml(text: string, file: string): unknown[] {
  return parseAllDocuments(text, { version: '1.1', merge: true, uniqueKeys: true }).flatMap((doc, i) => {
    if (doc.errors.length > 0) throw new Error(`${file} (document ${i + 1}): ${doc.errors[0]?.message ?? ''}`);
    const value: unknown = doc.toJS({ maxAliasCount: 100 });
    return value === null || value === undefined ? [] : [value];
  });
}

function readText(rel: string): string {
  return readFileSync(join(chartDir, rel), 'utf8');
}

export function chartMetadata(): Record<string, unknown> {
  return parse(readText('Chart.yaml')) as Record<string, unknown>;
}

export function defaultValues(): Values {
  return parse(readText('values.yaml'), { version: '1.1' }) as Values;
}

export function valuesSchema(): Schema {
  return JSON.parse(readText('values.schema.json')) as Schema;
}

/** ci/*-values.yaml file names. */
export function ciValueFiles(): string[] {
  return readdirSync(join(chartDir, 'ci')).filter((f) => f.endsWith('-values.yaml')).sort();
}

export function ciValues(file: string): Values {
  return (parse(readText(join('ci', file)), { version: '1.1' }) ?? {}) as Values;
}

const isMap = (v: unknown): v is Values => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Helm's coalescing: maps merge key by key, anything else replaces, null removes the key. */
export function mergeValues(base: Values, override: Values): Values {
  const out: Values = { ...base };
  for (const [k, v] of Object.entries(override)) {
    if (v === null) delete out[k];
    else if (isMap(v) && isMap(out[k])) out[k] = mergeValues(out[k], v);
    else out[k] = v;
  }
  return out;
}

function struct(fields: Record<string, unknown>): Record<string | symbol, unknown> {
  return Object.freeze({ ...fields, [STRUCT]: true });
}

/** The chart's CRDs (crds/), which helm installs as they are, without templating. */
export function chartCrds(): { file: string; object: KubeObject }[] {
  return readdirSync(join(chartDir, 'crds'))
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .flatMap((f) => parseYaml(readText(join('crds', f)), f).map((o) => ({ file: `crds/${f}`, object: o as KubeObject })));
}

/** Renders every template with values.yaml coalesced with `overrides`. */
export function renderChart(overrides: Values = {}, release: Release = { name: 'sprout', namespace: 'sprout' }): RenderedChart {
  const meta = chartMetadata();
  const templates = new TemplateSet();
  const files = readdirSync(join(chartDir, 'templates')).sort();
  for (const f of files) templates.add(`templates/${f}`, readText(join('templates', f)));
  const data = {
    Values: mergeValues(defaultValues(), overrides),
    Release: struct({ Name: release.name, Namespace: release.namespace, Service: 'Helm', IsInstall: true, IsUpgrade: false, Revision: 1n }),
    Chart: struct({
      Name: meta.name,
      Version: meta.version,
      AppVersion: meta.appVersion,
      Description: meta.description,
      Type: meta.type,
      KubeVersion: meta.kubeVersion,
    }),
  };
  const manifests: RenderedManifest[] = [];
  let notes = '';
  for (const f of files) {
    if (f.startsWith('_')) continue;
    const source = `templates/${f}`;
    const text = templates.render(source, data);
    if (f === 'NOTES.txt') {
      notes = text;
      continue;
    }
    for (const doc of text.split(/^---[ \t]*$/m)) {
      for (const object of parseYaml(doc, source)) manifests.push({ source, object: object as KubeObject });
    }
  }
  return { manifests, notes };
}
