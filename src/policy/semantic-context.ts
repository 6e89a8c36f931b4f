// Checks of rule (and generate foreach) context entries: names, exactly one source per entry, and
// what each source needs.
import type { ContextEntry } from '../api/policy.js';
import type { ProblemList } from './problems.js';
import { child, index } from './problems.js';

// Names the engine itself puts into the context; an entry may not shadow them.
const reserved = [
  'images',
  'request',
  'serviceAccountName',
  'serviceAccountNamespace',
  'element',
  'elementIndex',
];

const sources = ['configMap', 'apiCall', 'variable', 'globalReference', 'imageRegistry'] as const;

export function checkContextEntries(
  entries: ContextEntry[] | undefined,
  path: string,
  problems: ProblemList,
): void {
  if (entries === undefined) return;
  const seen = new Set<string>();
  entries.forEach((entry, i) => {
    const p = index(path, i);
    checkName(entry, p, seen, problems);
    const present = sources.filter((s) => entry[s] !== undefined);
    if (present.length !== 1) {
      problems.error(
        p,
        present.length === 0
          ? `a context entry needs one source: one of ${sources.join(', ')}`
          : `a context entry can have only one source, found ${present.join(', ')}`,
      );
    }
    checkSources(entry, p, problems);
  });
}

function checkName(entry: ContextEntry, p: string, seen: Set<string>, problems: ProblemList): void {
  const name = entry.name;
  if (name === undefined || name === '') {
    problems.error(child(p, 'name'), 'a context entry needs a name');
    return;
  }
  const clash = reserved.find((r) => name === r || name.startsWith(`${r}.`));
  if (clash !== undefined) {
    problems.error(
      child(p, 'name'),
      `context entry name ${JSON.stringify(name)} clashes with the built-in variable ${clash}`,
    );
  }
  // Kyverno accepts a repeated name (the later entry replaces the earlier one), so this only warns.
  if (seen.has(name)) {
    problems.warning(
      child(p, 'name'),
      `context entry name ${JSON.stringify(name)} is used twice; the later entry replaces the earlier one`,
    );
  }
  seen.add(name);
}

function checkSources(entry: ContextEntry, p: string, problems: ProblemList): void {
  if (entry.configMap !== undefined) {
    const cm = entry.configMap;
    if (!cm.name)
      problems.error(child(child(p, 'configMap'), 'name'), 'a configMap context entry needs a name');
    if (!cm.namespace)
      problems.error(
        child(child(p, 'configMap'), 'namespace'),
        'a configMap context entry needs a namespace',
      );
  }
  if (entry.apiCall !== undefined) {
    const call = entry.apiCall;
    if (call.urlPath && call.service !== undefined) {
      problems.error(
        child(child(p, 'apiCall'), 'urlPath'),
        'an apiCall uses either urlPath or service, not both',
      );
    }
  }
  if (entry.variable !== undefined) {
    const v = entry.variable;
    const vp = child(p, 'variable');
    const hasValue = v.value !== undefined && v.value !== null;
    const hasJmesPath = v.jmesPath !== undefined && v.jmesPath !== '';
    if (!hasValue && !hasJmesPath) problems.error(vp, 'a variable needs a value or a jmesPath');
    if (v.default !== undefined && v.default !== null && !hasJmesPath) {
      problems.error(child(vp, 'default'), 'a variable default is only used with a jmesPath');
    }
  }
  if (entry.imageRegistry !== undefined && !entry.imageRegistry.reference) {
    problems.error(
      child(child(p, 'imageRegistry'), 'reference'),
      'an imageRegistry context entry needs a reference',
    );
  }
  // Kyverno only warns here: the entry then resolves to nothing at run time.
  if (entry.globalReference !== undefined && !entry.globalReference.name) {
    problems.warning(
      child(child(p, 'globalReference'), 'name'),
      'a globalReference context entry needs a name',
    );
  }
}
