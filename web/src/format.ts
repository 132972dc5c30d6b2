// How a number reads depends on what it measures; the services name columns consistently
// (`_pct` already in percent, `share`/`rate` as fractions, money as paid/allowed/...), so the name decides.
import { type Cell, isSuppressed } from '../../src/server/api.ts';

export type ValueKind = 'money' | 'pct100' | 'fraction' | 'ratio' | 'count' | 'number' | 'date' | 'text';

const FRACTION = /(^|_)(share|rate|persistence|yoy_change|match_rate|pdc)($|_)|share_of_/;
const PCT100 = /(^|_)pct($|_)|_pct_change$|percent/;
const RATIO = /(^|_)roi_ratio$|^roi$/;
const MONEY =
  /(^|_)(paid|allowed|charges?|payments?|revenue|investment|profit|savings|cost|costs|spend|amount|variance|pmpm|monetary|per_dollar|billed|balance|cash|open|bad_debt|write_offs?|ar_total|total_spend)($|_)/;
const COUNT_WORDS =
  /^(members|member_months|claims|lines|providers|payers|persons|patients|admissions|readmissions|readmissions_unplanned|encounters|count|rows|files|checks|passed|failed|skipped|visits|frequency|rank|investigate|monitor|champions|enrollees|averted|fills|days|months)$/;
/** A/R aging buckets (`0-30`, `over 120`) hold dollars. */
const AGING_BUCKET = /^(\d+-\d+|over \d+)$/;

/** What a column holds, from its name (and a sample value for text and dates). */
export function columnKind(name: string, sample?: Cell): ValueKind {
  if (typeof sample === 'string') return /^\d{4}-\d{2}(-\d{2})?$/.test(sample) ? 'date' : 'text';
  const n = name.toLowerCase();
  if (n === 'gini') return 'number';
  // Years, NPIs and codes are labels that happen to be numbers: no thousands separator.
  if (/(^|_)(year|npi|id|code)$/.test(n)) return 'date';
  if (AGING_BUCKET.test(n)) return 'money';
  if (PCT100.test(n)) return 'pct100';
  if (RATIO.test(n)) return 'ratio';
  if (FRACTION.test(n)) return 'fraction';
  // Counts of people lead with them (persons_with_open_balance); otherwise the last word names the
  // unit: paid_claims counts claims, claims_paid is money.
  if (/^(persons|members|patients|providers)_/.test(n)) return 'count';
  if (/^days_|_days$/.test(n)) return 'number';
  const last = n.split('_').at(-1) ?? n;
  if (COUNT_WORDS.test(last) || COUNT_WORDS.test(n)) return /days|months$/.test(last) ? 'number' : 'count';
  if (MONEY.test(n)) return 'money';
  if (/(^|_)(members|claims|lines|providers|persons|patients|admissions)($|_)/.test(n)) return 'count';
  return 'number';
}

const usd0 = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 0 });
const usd2 = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 2 });
const int = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const dec = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

/** Compact money for headline cards: $12.8M, $311K. */
function compactMoney(v: number): string {
  const a = Math.abs(v);
  if (a >= 1e9) return `${v < 0 ? '-' : ''}$${(a / 1e9).toFixed(2)}B`;
  if (a >= 1e6) return `${v < 0 ? '-' : ''}$${(a / 1e6).toFixed(2)}M`;
  if (a >= 1e4) return `${v < 0 ? '-' : ''}$${(a / 1e3).toFixed(1)}K`;
  return usd2.format(v);
}

/** A cell as text; `compact` for headline cards. Suppressed cells say so. */
export function formatValue(v: Cell | undefined, kind: ValueKind, compact = false): string {
  if (v === null || v === undefined) return '–';
  if (isSuppressed(v)) return 'suppressed';
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (typeof v === 'string') return v;
  switch (kind) {
    case 'money':
      return compact ? compactMoney(v) : Math.abs(v) < 100 ? usd2.format(v) : usd0.format(v);
    case 'pct100':
      return `${dec.format(v)}%`;
    case 'fraction':
      return `${(v * 100).toFixed(Math.abs(v) < 0.1 ? 2 : 1)}%`;
    case 'ratio':
      return `${dec.format(v)}:1`;
    case 'count':
      return Number.isInteger(v) ? int.format(v) : dec.format(v);
    case 'date':
      return String(v);
    default:
      return Number.isInteger(v) ? int.format(v) : dec.format(v);
  }
}

/** Axis ticks: short and without false precision ($4K, 25%, 1.5M). */
export function formatAxis(v: number, kind: ValueKind): string {
  const short = (x: number): string => {
    const a = Math.abs(x);
    if (a >= 1e9) return `${+(x / 1e9).toFixed(1)}B`;
    if (a >= 1e6) return `${+(x / 1e6).toFixed(1)}M`;
    if (a >= 1e3) return `${+(x / 1e3).toFixed(1)}K`;
    return `${+x.toFixed(2)}`;
  };
  switch (kind) {
    case 'money':
      return `${v < 0 ? '-' : ''}$${short(Math.abs(v))}`;
    case 'pct100':
      return `${+v.toFixed(1)}%`;
    case 'fraction':
      return `${+(v * 100).toFixed(1)}%`;
    case 'ratio':
      return `${+v.toFixed(1)}:1`;
    default:
      return short(v);
  }
}

/** Lower-case identifiers in data (care_management, combined) read as words on chart axes; other text stays as is. */
export function displayLabel(v: string): string {
  return /^[a-z][a-z0-9_]*$/.test(v) ? humanize(v) : v;
}

const WORDS: Record<string, string> = {
  pmpm: 'PMPM',
  yoy: 'YoY',
  pct: '%',
  roi: 'ROI',
  ehr: 'EHR',
  npi: 'NPI',
  carc: 'CARC',
  ar: 'A/R',
  id: 'ID',
};

/** `pmpm_paid_yoy_change` → `PMPM paid YoY change`. */
export function humanize(name: string): string {
  const words = name
    .replace(/^top(\d+)_/, 'top $1%_')
    .split('_')
    .filter(Boolean)
    .map((w) => WORDS[w] ?? w);
  const s = words.join(' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Numeric value of a cell for charts and sorting; null for blanks, text and suppressed cells. */
export function numeric(v: Cell | undefined): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}
