// The rules that make a CRD schema "structural", which apiextensions.k8s.io/v1 requires: every
// node states its type (unless it preserves unknown fields or is int-or-string), arrays say what
// their items are, and a node does not list properties and additionalProperties at once.

export function structuralProblems(schema: unknown, path = ''): string[] {
  if (schema === null || typeof schema !== 'object') return [`${path || '(root)'}: not a schema object`];
  const s = schema as Record<string, unknown>;
  const at = path || '(root)';
  const problems: string[] = [];
  const open = s['x-kubernetes-preserve-unknown-fields'] === true || s['x-kubernetes-int-or-string'] === true;
  if (typeof s.type !== 'string' && !open) problems.push(`${at}: type is required`);
  if (s.properties !== undefined && s.additionalProperties !== undefined) problems.push(`${at}: properties and additionalProperties are mutually exclusive`);
  if (s.type === 'array' && s.items === undefined) problems.push(`${at}: an array must specify items`);
  for (const k of ['$ref', 'definitions', 'dependencies', 'patternProperties']) if (k in s) problems.push(`${at}: ${k} is not allowed in a CRD schema`);
  for (const [k, sub] of Object.entries((s.properties ?? {}) as Record<string, unknown>)) problems.push(...structuralProblems(sub, `${path}.${k}`));
  if (s.items !== undefined) problems.push(...structuralProblems(s.items, `${path}[]`));
  if (s.additionalProperties !== undefined && typeof s.additionalProperties === 'object') {
    problems.push(...structuralProblems(s.additionalProperties, `${path}{}`));
  }
  return problems;
}
