// Terminal output: aligned tables, JSON, and progress lines on stderr (so stdout stays parseable).
import type { Row } from '../engine/duckdb.ts';

function cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') {
    if (Number.isInteger(v)) return v.toLocaleString('en-US');
    return v.toLocaleString('en-US', { maximumFractionDigits: 4 });
  }
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** Renders rows as an aligned text table; numbers right-aligned. */
export function formatTable(rows: Row[], columns?: string[]): string {
  const cols = columns ?? (rows.length > 0 ? Object.keys(rows[0]!) : []);
  if (cols.length === 0) return '(no columns)';
  const text = rows.map((r) => cols.map((c) => cell(r[c])));
  const numeric = cols.map(
    (c) => rows.length > 0 && rows.every((r) => r[c] === null || typeof r[c] === 'number'),
  );
  const widths = cols.map((c, i) => Math.max(c.length, ...text.map((t) => t[i]!.length)));
  const line = (vals: string[]) =>
    vals
      .map((v, i) => (numeric[i] ? v.padStart(widths[i]!) : v.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  const out = [line(cols), widths.map((w) => '-'.repeat(w)).join('  '), ...text.map(line)];
  if (rows.length === 0) out.push('(no rows)');
  return out.join('\n');
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Reports progress of long jobs on stderr with elapsed time; silent when `quiet`. */
export class Progress {
  private readonly started = Date.now();
  constructor(private readonly quiet = false) {}

  step(message: string): void {
    if (this.quiet) return;
    const s = ((Date.now() - this.started) / 1000).toFixed(1).padStart(6);
    process.stderr.write(`[${s}s] ${message}\n`);
  }
}

export function formatMoney(v: number): string {
  return v.toLocaleString('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 0 });
}

export function formatPct(v: number | null, digits = 1): string {
  return v === null || Number.isNaN(v) ? 'n/a' : `${(v * 100).toFixed(digits)}%`;
}
