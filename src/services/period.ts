// Reporting periods: month (2024-03), quarter (2024Q1), year (2024) or a custom inclusive range,
// parsed once from loose CLI/API options, with the comparable previous period for trends.
import { UsageError } from '../errors.ts';

export type PeriodKind = 'month' | 'quarter' | 'year' | 'range';

export interface Period {
  kind: PeriodKind;
  /** Inclusive first day, YYYY-MM-DD. */
  from: string;
  /** Inclusive last day, YYYY-MM-DD. */
  to: string;
  label: string;
}

export interface PeriodOptions {
  period?: string;
  from?: string;
  to?: string;
}

const DAY_MS = 86_400_000;

function toDate(iso: string): Date {
  return new Date(`${iso}T00:00:00Z`);
}

function toIso(d: Date): string {
  return d.toISOString().slice(0, 10);
}

function lastDayOfMonth(year: number, month: number): string {
  return toIso(new Date(Date.UTC(year, month, 0)));
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** Parses a calendar date, refusing impossible ones such as 2024-02-30. */
export function parseDate(value: string, option: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (m) {
    const d = toDate(value);
    if (!Number.isNaN(d.getTime()) && toIso(d) === value) return value;
  }
  throw new UsageError(`${option} must be a calendar date as YYYY-MM-DD, got '${value}'`);
}

export function monthPeriod(year: number, month: number): Period {
  return {
    kind: 'month',
    from: `${year}-${pad(month)}-01`,
    to: lastDayOfMonth(year, month),
    label: `${year}-${pad(month)}`,
  };
}

export function quarterPeriod(year: number, quarter: number): Period {
  const first = (quarter - 1) * 3 + 1;
  return {
    kind: 'quarter',
    from: `${year}-${pad(first)}-01`,
    to: lastDayOfMonth(year, first + 2),
    label: `${year}Q${quarter}`,
  };
}

/**
 * Turns `--period` or `--from/--to` into a Period; undefined when neither is given.
 * @example parsePeriod({ period: '2024Q1' }) // { kind: 'quarter', from: '2024-01-01', to: '2024-03-31', ... }
 */
export function parsePeriod(opts: PeriodOptions): Period | undefined {
  const { period, from, to } = opts;
  if (period !== undefined && (from !== undefined || to !== undefined)) {
    throw new UsageError('give either --period or --from/--to, not both');
  }
  if (period !== undefined) {
    const p = period.trim();
    let m = /^(\d{4})-?Q([1-4])$/i.exec(p);
    if (m) return quarterPeriod(Number(m[1]), Number(m[2]));
    m = /^(\d{4})-(\d{2})$/.exec(p);
    if (m && Number(m[2]) >= 1 && Number(m[2]) <= 12) return monthPeriod(Number(m[1]), Number(m[2]));
    m = /^(\d{4})$/.exec(p);
    if (m) return { kind: 'year', from: `${m[1]}-01-01`, to: `${m[1]}-12-31`, label: m[1]! };
    throw new UsageError(
      `--period '${period}' is not a period: use a month (2024-03), a quarter (2024Q1) or a year (2024), or --from/--to`,
    );
  }
  if (from === undefined && to === undefined) return undefined;
  if (from === undefined || to === undefined)
    throw new UsageError('--from and --to go together: give both dates');
  const f = parseDate(from, '--from');
  const t = parseDate(to, '--to');
  if (f > t) throw new UsageError(`the range is inverted: --from ${f} is after --to ${t}`);
  return { kind: 'range', from: f, to: t, label: `${f}..${t}` };
}

/** Number of days in a period, both ends included. */
export function periodDays(p: Period): number {
  return Math.round((toDate(p.to).getTime() - toDate(p.from).getTime()) / DAY_MS) + 1;
}

/** The comparable period just before: previous month, quarter or year; for a range, as many days before. */
export function previousPeriod(p: Period): Period {
  const from = toDate(p.from);
  switch (p.kind) {
    case 'month': {
      const d = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth() - 1, 1));
      return monthPeriod(d.getUTCFullYear(), d.getUTCMonth() + 1);
    }
    case 'quarter': {
      const q = Math.floor(from.getUTCMonth() / 3) + 1;
      return q === 1
        ? quarterPeriod(from.getUTCFullYear() - 1, 4)
        : quarterPeriod(from.getUTCFullYear(), q - 1);
    }
    case 'year': {
      const y = String(from.getUTCFullYear() - 1);
      return { kind: 'year', from: `${y}-01-01`, to: `${y}-12-31`, label: y };
    }
    case 'range': {
      const days = periodDays(p);
      const to = new Date(from.getTime() - DAY_MS);
      const start = new Date(to.getTime() - (days - 1) * DAY_MS);
      const f = toIso(start);
      const t = toIso(to);
      return { kind: 'range', from: f, to: t, label: `${f}..${t}` };
    }
  }
}
