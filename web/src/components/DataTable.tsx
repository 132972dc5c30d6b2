// A section of a KpiResult as a table: sortable by any column, downloadable as CSV (in the order shown),
// suppressed cells marked as such, status words as coloured badges.
import { useMemo, useState } from 'react';
import { type ApiRow, type Cell, isSuppressed } from '../../../src/server/api.ts';
import { columnKind, formatValue, humanize, numeric, type ValueKind } from '../format.ts';

const BADGES = new Set([
  'risk_label',
  'prev_risk_label',
  'trend',
  'severity',
  'status',
  'segment',
  'risk_tier',
  'tier',
]);

export interface DataTableProps {
  title: string;
  rows: ApiRow[];
  columns?: string[];
  /** File name of the CSV download, without extension. */
  csvName: string;
  /** Rows shown before "show all". */
  limit?: number;
  /** How columns read where their names cannot say; the rest is decided by columnKind. */
  kinds?: Record<string, ValueKind>;
}

function csvField(v: Cell | undefined): string {
  if (v === null || v === undefined) return '';
  const s = isSuppressed(v) ? 'suppressed' : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export function toCsv(columns: string[], rows: ApiRow[]): string {
  return [
    columns.map(csvField).join(','),
    ...rows.map((r) => columns.map((c) => csvField(r[c])).join(',')),
  ].join('\r\n');
}

function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = `${name}.csv`;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Sort order: numbers by value, text alphabetically, blanks and suppressed cells last either way. */
function compare(a: Cell | undefined, b: Cell | undefined): number {
  const blank = (v: Cell | undefined) => v === null || v === undefined || isSuppressed(v);
  if (blank(a) || blank(b)) return Number(blank(a)) - Number(blank(b));
  const na = numeric(a);
  const nb = numeric(b);
  if (na !== null && nb !== null) return na - nb;
  return String(a).localeCompare(String(b), 'en', { numeric: true });
}

export function slug(s: string): string {
  return s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

export function DataTable({ title, rows, columns, csvName, limit = 25, kinds: given }: DataTableProps) {
  const cols = columns ?? (rows.length > 0 ? Object.keys(rows[0]!) : []);
  // The CSV carries every field of the rows (the shown columns first), in the order shown.
  const csvCols = [...cols, ...Object.keys(rows[0] ?? {}).filter((c) => !cols.includes(c))];
  const [sort, setSort] = useState<{ col: string; dir: 1 | -1 } | null>(null);
  const [all, setAll] = useState(false);
  const kinds = useMemo(() => {
    const k: Record<string, ValueKind> = {};
    for (const c of cols) {
      const sample = rows.find((r) => r[c] !== null && r[c] !== undefined && !isSuppressed(r[c]))?.[c];
      k[c] = given?.[c] ?? columnKind(c, sample ?? undefined);
    }
    return k;
  }, [cols, rows, given]);
  const sorted = useMemo(() => {
    if (!sort) return rows;
    const { col, dir } = sort;
    return [...rows].sort((a, b) => {
      const blankA = a[col] === null || a[col] === undefined || isSuppressed(a[col]);
      const blankB = b[col] === null || b[col] === undefined || isSuppressed(b[col]);
      if (blankA || blankB) return Number(blankA) - Number(blankB);
      return dir * compare(a[col], b[col]);
    });
  }, [rows, sort]);
  const shown = all ? sorted : sorted.slice(0, limit);
  const onSort = (col: string) =>
    setSort((s) =>
      s?.col === col ? { col, dir: s.dir === 1 ? -1 : 1 } : { col, dir: kinds[col] === 'text' ? 1 : -1 },
    );

  return (
    <section className="table-card" data-table={title}>
      <header>
        <h3>{title}</h3>
        <span className="table-meta">{rows.length.toLocaleString('en-US')} rows</span>
        <button
          type="button"
          className="link no-print"
          onClick={() => download(csvName, toCsv(csvCols, sorted))}
        >
          Download CSV
        </button>
      </header>
      {rows.length === 0 ? (
        <p className="empty" data-state="empty">
          No rows for these filters.
        </p>
      ) : (
        <div className="table-scroll">
          <table>
            <thead>
              <tr>
                {cols.map((c) => {
                  const numericCol = kinds[c] !== 'text' && kinds[c] !== 'date';
                  const state = sort?.col === c ? (sort.dir === 1 ? 'ascending' : 'descending') : 'none';
                  return (
                    <th key={c} className={numericCol ? 'num' : undefined} aria-sort={state}>
                      <button type="button" onClick={() => onSort(c)} title={`Sort by ${humanize(c)}`}>
                        {humanize(c)}
                        <span className="sort-mark">
                          {state === 'ascending' ? '▲' : state === 'descending' ? '▼' : ''}
                        </span>
                      </button>
                    </th>
                  );
                })}
              </tr>
            </thead>
            <tbody>
              {shown.map((r, i) => (
                // Rows have no id of their own; position in the sorted list is stable for a render.
                // biome-ignore lint/suspicious/noArrayIndexKey: see above
                <tr key={i}>
                  {cols.map((c) => {
                    const v = r[c];
                    const kind = kinds[c] ?? 'text';
                    if (isSuppressed(v)) {
                      return (
                        <td
                          key={c}
                          className="suppressed"
                          title={v.reason ?? 'Withheld by small-cell suppression (a count of 1-10)'}
                        >
                          suppressed
                        </td>
                      );
                    }
                    if (BADGES.has(c) && typeof v === 'string') {
                      return (
                        <td key={c}>
                          <span className={`badge badge-${slug(v)}`}>{v}</span>
                        </td>
                      );
                    }
                    const num = kind !== 'text' && kind !== 'date' && typeof v === 'number';
                    return (
                      <td key={c} className={num ? 'num' : kind === 'date' ? 'date' : undefined}>
                        {formatValue(v, kind)}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {rows.length > limit ? (
        <button type="button" className="link no-print" onClick={() => setAll((a) => !a)}>
          {all ? `Show the first ${limit}` : `Show all ${rows.length.toLocaleString('en-US')} rows`}
        </button>
      ) : null}
    </section>
  );
}
