// Go duration strings as chainsaw writes them ("10s", "1m30s", "500ms", "2h").

const unitMs: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Milliseconds in a Go duration string; throws on anything time.ParseDuration would reject. */
export function parseDuration(text: string): number {
  const s = text.trim();
  if (s === '0') return 0;
  const part = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/y;
  let total = 0;
  let pos = 0;
  while (pos < s.length) {
    part.lastIndex = pos;
    const m = part.exec(s);
    if (m === null) throw new Error(`invalid duration ${JSON.stringify(text)}`);
    total += Number(m[1]) * (unitMs[m[2] ?? ''] ?? 0);
    pos = part.lastIndex;
  }
  if (pos === 0) throw new Error(`invalid duration ${JSON.stringify(text)}`);
  return total;
}

export function formatDuration(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)}s` : `${Math.round(ms)}ms`;
}
