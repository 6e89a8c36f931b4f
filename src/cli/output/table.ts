// Box-drawn tables like Kyverno's CLI prints. Pure: rows in, text out.
export function renderTable(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => firstLine(r[i] ?? '').length)));
  const rule = `│${widths.map((w) => '─'.repeat(w + 2)).join('│')}│`;
  const line = (cells: string[]): string =>
    `│${cells.map((c, i) => ` ${firstLine(c).padEnd(widths[i] ?? 0)} `).join('│')}│`;
  const out = [rule, line(headers), rule];
  for (const r of rows) out.push(line(r));
  out.push(rule);
  return out.join('\n') + '\n';
}

function firstLine(s: string): string {
  const i = s.indexOf('\n');
  return i < 0 ? s : `${s.slice(0, i)} …`;
}
