// Expands a path into the YAML/JSON files it names: the file itself, or every such file below a folder.
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

export async function listYamlFiles(path: string): Promise<string[]> {
  const s = await stat(path);
  if (!s.isDirectory()) return [path];
  const out: string[] = [];
  for (const e of (await readdir(path, { withFileTypes: true })).sort((a, b) =>
    a.name.localeCompare(b.name),
  )) {
    const child = join(path, e.name);
    if (e.isDirectory()) out.push(...(await listYamlFiles(child)));
    else if (/\.(ya?ml|json)$/.test(e.name)) out.push(child);
  }
  return out;
}
