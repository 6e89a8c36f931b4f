// Small lookups over rendered manifests, shared by the chart's tests.
import type { KubeObject } from '../../src/api/kube.js';
import type { RenderedChart, Values } from './chart.js';
import { ciValueFiles, ciValues, defaultValues, mergeValues, renderChart } from './chart.js';

export interface Case {
  file: string;
  values: Values;
  rendered: RenderedChart;
  objects: KubeObject[];
}

/** Every ci values file, rendered once. */
export const cases: Case[] = ciValueFiles().map((file) => {
  const overrides = ciValues(file);
  const rendered = renderChart(overrides);
  return { file, values: mergeValues(defaultValues(), overrides), rendered, objects: rendered.manifests.map((m) => m.object) };
});

export function ofKind(objects: KubeObject[], kind: string): KubeObject[] {
  return objects.filter((o) => o.kind === kind);
}

export function one(objects: KubeObject[], kind: string, name?: string): KubeObject {
  const found = ofKind(objects, kind).filter((o) => name === undefined || o.metadata.name === name);
  if (found.length !== 1) throw new Error(`expected one ${kind}${name === undefined ? '' : ` ${name}`}, found ${found.length}`);
  return found[0] as KubeObject;
}

/** Reads a path of plain keys; undefined when any step is missing. */
export function at(value: unknown, ...path: (string | number)[]): unknown {
  let cur = value;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[key];
  }
  return cur;
}

export function get<T>(value: unknown, ...path: (string | number)[]): T {
  return at(value, ...path) as T;
}

export interface Container {
  name: string;
  image: string;
  args?: string[];
  ports?: { name?: string; containerPort: number }[];
  securityContext?: Record<string, unknown>;
  livenessProbe?: { httpGet?: { path: string; port: string | number; scheme?: string } };
  readinessProbe?: { httpGet?: { path: string; port: string | number; scheme?: string } };
  startupProbe?: { httpGet?: { path: string; port: string | number; scheme?: string } };
  volumeMounts?: { name: string; mountPath: string }[];
}

export function containerOf(workload: KubeObject, name: string): Container {
  const all = [...get<Container[]>(workload, 'spec', 'template', 'spec', 'containers')];
  const c = all.find((x) => x.name === name);
  if (c === undefined) throw new Error(`no container ${name}`);
  return c;
}

/** A flag's value from `--name=value` arguments. */
export function flag(args: string[], name: string): string | undefined {
  const prefix = `--${name}=`;
  return args.find((a) => a.startsWith(prefix))?.slice(prefix.length);
}
