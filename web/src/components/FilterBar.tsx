// The global filters (period as month, quarter, year or custom range; payer; plan; member state) that
// every chart and table obeys. They live in the URL; the offline report shows the filters its
// snapshot was made for. Plan and state values come from /api/meta (data.plans, data.states).
import { useEffect, useState } from 'react';
import type { ApiMeta, Filters } from '../../../src/server/api.ts';
import { SNAPSHOT } from '../data.ts';
import { navigate, type Place } from '../router.ts';

type Kind = '' | 'month' | 'quarter' | 'year' | 'range';

function kindOf(f: Filters): Kind {
  if (f.from || f.to) return 'range';
  const p = f.period ?? '';
  if (/^\d{4}-\d{2}$/.test(p)) return 'month';
  if (/^\d{4}-?Q[1-4]$/i.test(p)) return 'quarter';
  if (/^\d{4}$/.test(p)) return 'year';
  return '';
}

/** Months, quarters and years the data covers, newest first. */
export function periodChoices(
  first: string | null,
  last: string | null,
): Record<'month' | 'quarter' | 'year', string[]> {
  const out = { month: [] as string[], quarter: [] as string[], year: [] as string[] };
  if (!first || !last) return out;
  let y = Number(first.slice(0, 4));
  let m = Number(first.slice(5, 7));
  const endY = Number(last.slice(0, 4));
  const endM = Number(last.slice(5, 7));
  while (y < endY || (y === endY && m <= endM)) {
    out.month.push(`${y}-${String(m).padStart(2, '0')}`);
    const q = `${y}Q${Math.floor((m - 1) / 3) + 1}`;
    if (!out.quarter.includes(q)) out.quarter.push(q);
    if (!out.year.includes(String(y))) out.year.push(String(y));
    m += 1;
    if (m > 12) {
      m = 1;
      y += 1;
    }
  }
  return { month: out.month.reverse(), quarter: out.quarter.reverse(), year: out.year.reverse() };
}

export function describeFilters(f: Filters): string {
  const parts: string[] = [];
  if (f.period) parts.push(`period ${f.period}`);
  else if (f.from || f.to) parts.push(`${f.from ?? '…'} to ${f.to ?? '…'}`);
  else parts.push('default period of each domain');
  parts.push(f.payer ? `payer ${f.payer}` : 'all payers');
  parts.push(f.plan ? `plan ${f.plan}` : 'all plans');
  parts.push(f.state ? `state ${f.state}` : 'all states');
  return parts.join(', ');
}

/** The known values, with the URL's value kept selectable even before /api/meta answers. */
function withCurrent(values: readonly string[], current: string | undefined): string[] {
  return current && !values.includes(current) ? [current, ...values] : [...values];
}

/** One member filter (payer, plan, state): "all" or one value; a value from the URL the data lacks stays listed. */
function Choice(props: {
  label: 'Payer' | 'Plan' | 'State';
  all: string;
  values: readonly string[];
  current: string | undefined;
  onChoose: (value: string) => void;
}) {
  return (
    <label>
      {props.label}
      <select
        name={props.label.toLowerCase()}
        value={props.current ?? ''}
        onChange={(e) => props.onChoose(e.target.value)}
      >
        <option value="">{props.all}</option>
        {withCurrent(props.values, props.current).map((v) => (
          <option key={v} value={v}>
            {v}
          </option>
        ))}
      </select>
    </label>
  );
}

export function FilterBar({ place, meta }: { place: Place; meta: ApiMeta | undefined }) {
  const { filters } = place;
  const kind = kindOf(filters);
  const [from, setFrom] = useState(filters.from ?? '');
  const [to, setTo] = useState(filters.to ?? '');
  const [rangeOpen, setRangeOpen] = useState(kind === 'range');
  useEffect(() => {
    setFrom(filters.from ?? '');
    setTo(filters.to ?? '');
    setRangeOpen(kindOf(filters) === 'range');
  }, [filters]);

  if (SNAPSHOT) {
    return (
      <div className="filters" data-filters="snapshot">
        <span>
          Offline report: {describeFilters(SNAPSHOT.filters)}; role {SNAPSHOT.role}; data as of{' '}
          {SNAPSHOT.generated_at.slice(0, 16).replace('T', ' ')} UTC
        </span>
      </div>
    );
  }

  const choices = periodChoices(meta?.data.first_service_date ?? null, meta?.data.last_service_date ?? null);
  const set = (f: Filters) => navigate({ page: place.page, filters: f });
  // What a period change keeps: every filter but the period.
  const base: Filters = {};
  if (filters.payer) base.payer = filters.payer;
  if (filters.plan) base.plan = filters.plan;
  if (filters.state) base.state = filters.state;
  if (filters.asOf) base.asOf = filters.asOf;
  /** A select of one non-period filter: empty means all. */
  const choose = (key: 'payer' | 'plan' | 'state', value: string) => {
    const next: Filters = { ...filters };
    if (value) next[key] = value;
    else delete next[key];
    set(next);
  };

  const onKind = (k: Kind) => {
    if (k === 'range') {
      setRangeOpen(true);
      return;
    }
    setRangeOpen(false);
    if (k === '') set(base);
    else set({ ...base, period: choices[k][0] ?? '' });
  };

  return (
    <div className="filters" data-filters="live">
      <label>
        Period
        <select
          name="period-kind"
          value={rangeOpen ? 'range' : kind}
          onChange={(e) => onKind(e.target.value as Kind)}
        >
          <option value="">Default</option>
          <option value="month">Month</option>
          <option value="quarter">Quarter</option>
          <option value="year">Year</option>
          <option value="range">Custom range</option>
        </select>
      </label>
      {!rangeOpen && kind !== '' && kind !== 'range' ? (
        <select
          name="period"
          aria-label="Period"
          value={filters.period ?? ''}
          onChange={(e) => set({ ...base, period: e.target.value })}
        >
          {(choices[kind].includes(filters.period ?? '')
            ? choices[kind]
            : [filters.period ?? '', ...choices[kind]]
          ).map((p) => (
            <option key={p} value={p}>
              {p}
            </option>
          ))}
        </select>
      ) : null}
      {rangeOpen ? (
        <form
          className="range"
          onSubmit={(e) => {
            e.preventDefault();
            set({ ...base, from, to });
          }}
        >
          <input
            type="date"
            name="from"
            aria-label="From"
            value={from}
            min={meta?.data.first_service_date ?? undefined}
            onChange={(e) => setFrom(e.target.value)}
          />
          <span>to</span>
          <input
            type="date"
            name="to"
            aria-label="To"
            value={to}
            max={meta?.data.last_service_date ?? undefined}
            onChange={(e) => setTo(e.target.value)}
          />
          <button type="submit">Apply</button>
        </form>
      ) : null}
      <Choice
        label="Payer"
        all="All payers"
        values={meta?.data.payers ?? []}
        current={filters.payer}
        onChoose={(v) => choose('payer', v)}
      />
      <Choice
        label="Plan"
        all="All plans"
        values={meta?.data.plans ?? []}
        current={filters.plan}
        onChoose={(v) => choose('plan', v)}
      />
      <Choice
        label="State"
        all="All states"
        values={meta?.data.states ?? []}
        current={filters.state}
        onChoose={(v) => choose('state', v)}
      />
      {Object.keys(filters).length > 0 ? (
        <button type="button" className="link" onClick={() => set({})}>
          Reset
        </button>
      ) : null}
      <span className="print-only">{describeFilters(filters)}</span>
    </div>
  );
}
