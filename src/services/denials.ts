// Denial services (seed 000): initial and final denial rates by count and dollars, revenue at risk,
// preventable share, recoveries and write-offs, by payer, root cause, CARC, service category, HCPCS
// and month, summed from the denial marts for whole months. Definitions in docs/marts/denials.md.
import type { DuckDBValue } from '@duckdb/node-api';
import type { Config } from '../config.ts';
import type { Warehouse } from '../engine/duckdb.ts';
import { ClaimlensError } from '../errors.ts';
import { andMember, type MemberFilters } from './filters.ts';
import type { KpiDomain, KpiResult } from './kpi.ts';
import { requireModels } from './payers.ts';
import type { Period } from './period.ts';

export interface DenialParams extends MemberFilters {
  period?: Period;
  payer?: string;
}

/** The whole adjudication months a request covers (the marts are monthly). */
export interface DenialScope extends MemberFilters {
  period: Period | undefined;
  payer: string | undefined;
  /** First adjudication month in scope (YYYY-MM-01). */
  monthFrom: string;
  /** Last adjudication month in scope (YYYY-MM-01). */
  monthTo: string;
  /** True when the period did not start and end on month boundaries and was widened to whole months. */
  widened: boolean;
}

/** Counts and dollars of a group of adjudicated lines, with the rates derived from them. */
export interface DenialMetrics {
  adjudicated_lines: number;
  adjudicated_charges: number;
  initial_denied_lines: number;
  initial_denied_charges: number;
  /** initial_denied_lines / adjudicated_lines x 100, 2 decimals; null without adjudicated lines. */
  initial_denial_rate_pct: number | null;
  /** initial_denied_charges / adjudicated_charges x 100, 2 decimals. */
  initial_denial_rate_dollars_pct: number | null;
  final_denied_lines: number;
  /** final_denied_lines / adjudicated_lines x 100, 2 decimals. */
  final_denial_rate_pct: number | null;
  /** Expected payment of the initially denied lines. */
  revenue_at_risk: number;
  preventable_lines: number;
  /** Initially denied lines whose root cause is known (not a status-only denial). */
  known_cause_lines: number;
  /** preventable_lines / known_cause_lines x 100, 2 decimals. */
  preventable_share_pct: number | null;
  preventable_revenue_at_risk: number;
  recovered_lines: number;
  recovered_amount: number;
  /** recovered_lines / initial_denied_lines x 100, 2 decimals. */
  overturn_rate_pct: number | null;
  write_off_charges: number;
  /** Expected payment of the finally denied lines: revenue written off. */
  write_off_expected: number;
}

export type DenialDimension = 'payer' | 'root_cause' | 'carc' | 'service_category' | 'month';

export interface DenialBreakdownRow extends DenialMetrics {
  /** Value of the dimension: payer name, root cause, CARC, service category or month (YYYY-MM-01). */
  key: string;
  /** CARC description (dimension carc) or whether the root cause is preventable (root_cause); else null. */
  detail: string | null;
}

export interface DeniedServiceRow {
  hcpcs_code: string;
  /** HCPCS Level II description when shipped (CPT descriptions are AMA-licensed and not shipped). */
  description: string | null;
  adjudicated_lines: number;
  initial_denied_lines: number;
  initial_denied_charges: number;
  initial_denial_rate_pct: number | null;
  revenue_at_risk: number;
  final_denied_lines: number;
  write_off_charges: number;
}

const MARTS = ['marts.denial_monthly', 'marts.denial_hcpcs_monthly', 'marts.denial_line'] as const;

function monthStart(iso: string): string {
  return `${iso.slice(0, 7)}-01`;
}

function isMonthEnd(iso: string): boolean {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.getUTCDate() === 1;
}

/** The last day of the month of `iso`. */
function monthEnd(iso: string): string {
  const [y, m] = iso.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}

/** The first sentence of an X12 CARC description (its usage notes left for the full text). */
export function shortCarcText(text: string | null): string | null {
  if (text === null) return null;
  const first = text.split(/(?<=\.)\s+(?=Usage:|At least|Refer|Note:|To be used|This change)/)[0]!;
  return first.length > 100 ? `${first.slice(0, 97)}...` : first;
}

/** The month `n` months after the month of `iso` (negative: before), as YYYY-MM-01. */
function addMonths(iso: string, n: number): string {
  const [y, m] = iso.split('-').map(Number) as [number, number];
  const d = new Date(Date.UTC(y, m - 1 + n, 1));
  return d.toISOString().slice(0, 10);
}

/**
 * The whole months of first adjudication a request covers: the months of the period, or without
 * one the 12 months ending with the latest adjudication month in the data.
 */
export async function denialScope(wh: Warehouse, params: DenialParams): Promise<DenialScope> {
  await requireModels(wh, MARTS);
  const { period, payer } = params;
  const member: MemberFilters = {};
  if (params.plan !== undefined) member.plan = params.plan;
  if (params.state !== undefined) member.state = params.state;
  if (period) {
    return {
      period,
      payer,
      ...member,
      monthFrom: monthStart(period.from),
      monthTo: monthStart(period.to),
      widened: period.from.slice(8) !== '01' || !isMonthEnd(period.to),
    };
  }
  const r = await wh.one<{ m: string | null }>(
    'SELECT max(adjudication_month) AS m FROM marts.denial_monthly',
  );
  if (!r?.m)
    throw new ClaimlensError(
      'warehouse',
      'the warehouse has no adjudicated claim lines: load and build first',
    );
  return { period, payer, ...member, monthFrom: addMonths(r.m, -11), monthTo: r.m, widened: false };
}

function scopeWhere(scope: DenialScope, alias = ''): { sql: string; args: DuckDBValue[] } {
  const parts = [`${alias}adjudication_month BETWEEN CAST(? AS DATE) AND CAST(? AS DATE)`];
  const args: DuckDBValue[] = [scope.monthFrom, scope.monthTo];
  if (scope.payer !== undefined) {
    parts.push(`${alias}payer = ?`);
    args.push(scope.payer);
  }
  // Both denial marts carry plan and member state in their grain (docs/marts/denials.md).
  const member = andMember(scope, { plan: `${alias}plan`, state: `${alias}state` }, (v) => {
    args.push(v);
    return '?';
  });
  return { sql: parts.join(' AND ') + member, args };
}

// Sums of the monthly cube and the rates derived from them; `key` and `detail` are filled by callers.
const METRIC_SELECT = `
  CAST(coalesce(sum(adjudicated_lines), 0) AS BIGINT) AS adjudicated_lines,
  CAST(coalesce(sum(adjudicated_charges), 0) AS DOUBLE PRECISION) AS adjudicated_charges,
  CAST(coalesce(sum(initial_denied_lines), 0) AS BIGINT) AS initial_denied_lines,
  CAST(coalesce(sum(initial_denied_charges), 0) AS DOUBLE PRECISION) AS initial_denied_charges,
  CASE WHEN sum(adjudicated_lines) > 0
    THEN round(100.0 * sum(initial_denied_lines) / sum(adjudicated_lines), 2) END AS initial_denial_rate_pct,
  CASE WHEN sum(adjudicated_charges) > 0
    THEN round(100.0 * sum(initial_denied_charges) / sum(adjudicated_charges), 2) END AS initial_denial_rate_dollars_pct,
  CAST(coalesce(sum(final_denied_lines), 0) AS BIGINT) AS final_denied_lines,
  CASE WHEN sum(adjudicated_lines) > 0
    THEN round(100.0 * sum(final_denied_lines) / sum(adjudicated_lines), 2) END AS final_denial_rate_pct,
  round(CAST(coalesce(sum(revenue_at_risk), 0) AS DOUBLE PRECISION), 2) AS revenue_at_risk,
  CAST(coalesce(sum(preventable_lines), 0) AS BIGINT) AS preventable_lines,
  CAST(coalesce(sum(initial_denied_lines) FILTER (WHERE denial_root_cause <> 'unknown'), 0) AS BIGINT) AS known_cause_lines,
  CASE WHEN sum(initial_denied_lines) FILTER (WHERE denial_root_cause <> 'unknown') > 0
    THEN round(100.0 * sum(preventable_lines) / sum(initial_denied_lines) FILTER (WHERE denial_root_cause <> 'unknown'), 2)
  END AS preventable_share_pct,
  round(CAST(coalesce(sum(preventable_revenue_at_risk), 0) AS DOUBLE PRECISION), 2) AS preventable_revenue_at_risk,
  CAST(coalesce(sum(recovered_lines), 0) AS BIGINT) AS recovered_lines,
  round(CAST(coalesce(sum(recovered_amount), 0) AS DOUBLE PRECISION), 2) AS recovered_amount,
  CASE WHEN sum(initial_denied_lines) > 0
    THEN round(100.0 * sum(recovered_lines) / sum(initial_denied_lines), 2) END AS overturn_rate_pct,
  CAST(coalesce(sum(write_off_charges), 0) AS DOUBLE PRECISION) AS write_off_charges,
  round(CAST(coalesce(sum(write_off_expected), 0) AS DOUBLE PRECISION), 2) AS write_off_expected`;

/**
 * Denial totals of the scope: rates by count and dollars, revenue at risk, preventable share,
 * recoveries and write-offs.
 *
 * @example await denialSummary(wh, await denialScope(wh, { period: parsePeriod({ period: '2024Q1' }) }))
 */
export async function denialSummary(wh: Warehouse, scope: DenialScope): Promise<DenialMetrics> {
  const w = scopeWhere(scope);
  const r = await wh.one<DenialMetrics>(
    `SELECT ${METRIC_SELECT} FROM marts.denial_monthly WHERE ${w.sql}`,
    w.args,
  );
  return r!;
}

const DIMENSION_SQL: Record<DenialDimension, string> = {
  payer: 'payer',
  root_cause: 'denial_root_cause',
  carc: 'denial_carc_code',
  service_category: 'service_category',
  month: 'CAST(adjudication_month AS VARCHAR)',
};

/**
 * The scope's metrics by one dimension. For root_cause and carc only denied lines have a cause,
 * so those rows carry the denial counts (adjudicated counts of the none group are left out).
 * Rows come largest first (by initial denied lines, then key), months in calendar order.
 */
export async function denialBreakdown(
  wh: Warehouse,
  scope: DenialScope,
  dimension: DenialDimension,
): Promise<DenialBreakdownRow[]> {
  const w = scopeWhere(scope);
  const byCause = dimension === 'root_cause' || dimension === 'carc';
  const hasCarc = await wh.tableExists('codes', 'carc');
  const detail =
    dimension === 'root_cause'
      ? "CASE WHEN bool_or(denial_preventable) THEN 'yes' WHEN bool_and(NOT denial_preventable) THEN 'no' END"
      : dimension === 'carc' && hasCarc
        ? `(SELECT min(description) FROM codes.carc WHERE code = ${DIMENSION_SQL.carc})`
        : 'CAST(NULL AS VARCHAR)';
  const order = dimension === 'month' ? 'key' : 'initial_denied_lines DESC, key';
  const sql = `
SELECT ${DIMENSION_SQL[dimension]} AS key, ${detail} AS detail, ${METRIC_SELECT}
FROM marts.denial_monthly
WHERE ${w.sql}${byCause ? " AND denial_root_cause <> 'none'" : ''}
GROUP BY ${DIMENSION_SQL[dimension]}
ORDER BY ${order}`;
  return wh.all<DenialBreakdownRow>(sql, w.args);
}

/** The services (HCPCS/CPT) with the most initially denied charges in the scope. */
export async function topDeniedServices(
  wh: Warehouse,
  scope: DenialScope,
  limit = 10,
): Promise<DeniedServiceRow[]> {
  const w = scopeWhere(scope, 'h.');
  const hasLevel2 = await wh.tableExists('codes', 'hcpcs_level2');
  return wh.all<DeniedServiceRow>(
    `
WITH s AS (
  SELECT
    h.hcpcs_code,
    sum(h.adjudicated_lines) AS adjudicated_lines,
    sum(h.initial_denied_lines) AS initial_denied_lines,
    sum(h.initial_denied_charges) AS initial_denied_charges,
    sum(h.revenue_at_risk) AS revenue_at_risk,
    sum(h.final_denied_lines) AS final_denied_lines,
    sum(h.write_off_charges) AS write_off_charges
  FROM marts.denial_hcpcs_monthly AS h
  WHERE ${w.sql}
  GROUP BY h.hcpcs_code
  HAVING sum(h.initial_denied_lines) > 0
)
SELECT
  s.hcpcs_code,
  ${hasLevel2 ? '(SELECT min(description) FROM codes.hcpcs_level2 AS c WHERE c.code = s.hcpcs_code)' : 'CAST(NULL AS VARCHAR)'} AS description,
  CAST(s.adjudicated_lines AS BIGINT) AS adjudicated_lines,
  CAST(s.initial_denied_lines AS BIGINT) AS initial_denied_lines,
  CAST(s.initial_denied_charges AS DOUBLE PRECISION) AS initial_denied_charges,
  round(100.0 * s.initial_denied_lines / s.adjudicated_lines, 2) AS initial_denial_rate_pct,
  round(CAST(s.revenue_at_risk AS DOUBLE PRECISION), 2) AS revenue_at_risk,
  CAST(s.final_denied_lines AS BIGINT) AS final_denied_lines,
  CAST(s.write_off_charges AS DOUBLE PRECISION) AS write_off_charges
FROM s
ORDER BY s.initial_denied_charges DESC, s.hcpcs_code
LIMIT ${Math.max(1, Math.floor(limit))}`,
    w.args,
  );
}

const TOP_CARCS = 15;

/** A breakdown row for display: the key under the dimension's name, the detail under its own, or dropped. */
function named(
  rows: readonly DenialBreakdownRow[],
  name: string,
  detailName?: string,
): Record<string, unknown>[] {
  return rows.map(({ key, detail, ...m }) =>
    detailName === undefined ? { [name]: key, ...m } : { [name]: key, [detailName]: detail, ...m },
  );
}

export const denialsDomain: KpiDomain = {
  name: 'denials',
  description:
    'Initial and final denial rates (count and dollars), revenue at risk, preventable share, write-offs, by payer, root cause, CARC, service and month',
  async run(wh, params, _config: Config): Promise<KpiResult> {
    const scope = await denialScope(wh, params);
    const total = await denialSummary(wh, scope);
    const [byPayer, byCause, byCarc, byCategory, byMonth, services] = [
      await denialBreakdown(wh, scope, 'payer'),
      await denialBreakdown(wh, scope, 'root_cause'),
      await denialBreakdown(wh, scope, 'carc'),
      await denialBreakdown(wh, scope, 'service_category'),
      await denialBreakdown(wh, scope, 'month'),
      await topDeniedServices(wh, scope),
    ];
    const months = `${scope.monthFrom.slice(0, 7)}..${scope.monthTo.slice(0, 7)}`;
    const rateColumns = [
      'adjudicated_lines',
      'initial_denied_lines',
      'initial_denial_rate_pct',
      'initial_denial_rate_dollars_pct',
      'final_denial_rate_pct',
      'initial_denied_charges',
      'revenue_at_risk',
      'recovered_amount',
      'write_off_expected',
    ];
    const counts = ['adjudicated_lines', 'initial_denied_lines', 'final_denied_lines', 'recovered_lines'];
    const notes = [
      `Lines are counted in the month of their first adjudication (first 835 remittance, else paid date, else submission date): ${months}${scope.period ? '' : ' (no period given: the 12 months ending with the latest adjudication month)'}.`,
      'Initial denial: the first remittance carries a denial adjustment (group CO, PI or OA with a CARC whose root cause in codes.carc is not contractual or patient responsibility; CARC 23 and 133 excepted) and pays 0 by 835 balancing (charge minus adjustments); a line without remittance counts as denied when its status is denied (root cause unknown). Final denial: claim_status denied. Reversed lines are left out.',
      'Denial rate by dollars = initially denied charges / adjudicated charges (HFMA Claim Integrity Task Force, Standardizing Denial Metrics, 2021: initial denial rate as a percentage of volume and of dollars). Line based; rcm shows the clean-claim rate per claim.',
      'Revenue at risk = expected payment of the initially denied lines: charge x payer.contract_allowed_pct (else the payer’s observed allowed / charge, else the charge) - member cost share, floored at 0. Write-offs = the same for lines still denied (revenue lost), and their charges.',
      'Preventable share = initially denied lines whose root cause is preventable at submission (codes.denial_root_cause: eligibility/coverage, authorization, coding, timely filing, duplicate) / initially denied lines with a known cause.',
    ];
    if (scope.widened && scope.period) {
      notes.push(
        `The period ${scope.period.label} was widened to whole months (${months}): the denial marts are monthly.`,
      );
    }
    if (total.known_cause_lines < total.initial_denied_lines) {
      notes.push(
        `${total.initial_denied_lines - total.known_cause_lines} initially denied lines have no remittance and so no CARC: root cause unknown, left out of the preventable share.`,
      );
    }
    return {
      domain: 'denials',
      period: scope.period ?? {
        kind: 'range',
        from: scope.monthFrom,
        to: monthEnd(scope.monthTo),
        label: months,
      },
      payer: scope.payer,
      headline: {
        months,
        adjudicated_lines: total.adjudicated_lines,
        initial_denied_lines: total.initial_denied_lines,
        initial_denial_rate_pct: total.initial_denial_rate_pct,
        initial_denial_rate_dollars_pct: total.initial_denial_rate_dollars_pct,
        final_denial_rate_pct: total.final_denial_rate_pct,
        denied_charges: total.initial_denied_charges,
        revenue_at_risk: total.revenue_at_risk,
        preventable_share_pct: total.preventable_share_pct,
        preventable_revenue_at_risk: total.preventable_revenue_at_risk,
        overturn_rate_pct: total.overturn_rate_pct,
        recovered_amount: total.recovered_amount,
        write_offs: total.write_off_expected,
        write_off_charges: total.write_off_charges,
      },
      headlineCounts: ['adjudicated_lines', 'initial_denied_lines'],
      sections: [
        {
          title: 'Denials by payer',
          rows: named(byPayer, 'payer'),
          columns: ['payer', ...rateColumns],
          countColumns: counts,
        },
        {
          title: 'Initial denials by root cause',
          rows: named(byCause, 'root_cause', 'preventable'),
          columns: [
            'root_cause',
            'preventable',
            'initial_denied_lines',
            'initial_denied_charges',
            'revenue_at_risk',
            'recovered_lines',
            'overturn_rate_pct',
            'write_off_expected',
          ],
          countColumns: counts,
        },
        {
          title: `Top ${TOP_CARCS} CARCs by initially denied lines`,
          rows: named(
            byCarc.slice(0, TOP_CARCS).map((r) => ({ ...r, detail: shortCarcText(r.detail) })),
            'carc',
            'description',
          ),
          columns: [
            'carc',
            'description',
            'initial_denied_lines',
            'initial_denied_charges',
            'revenue_at_risk',
            'overturn_rate_pct',
            'write_off_expected',
          ],
          countColumns: counts,
        },
        {
          title: 'Denials by service category',
          rows: named(byCategory, 'service_category'),
          columns: ['service_category', ...rateColumns],
          countColumns: counts,
        },
        {
          title: 'Top denied services (HCPCS/CPT) by denied charges',
          rows: services.map((r) => ({ ...r })),
          columns: [
            'hcpcs_code',
            'description',
            'adjudicated_lines',
            'initial_denied_lines',
            'initial_denial_rate_pct',
            'initial_denied_charges',
            'revenue_at_risk',
            'write_off_charges',
          ],
          countColumns: ['adjudicated_lines', 'initial_denied_lines', 'final_denied_lines'],
        },
        {
          title: 'Trend by month of first adjudication',
          rows: named(byMonth, 'month'),
          columns: [
            'month',
            'adjudicated_lines',
            'initial_denial_rate_pct',
            'initial_denial_rate_dollars_pct',
            'final_denial_rate_pct',
            'revenue_at_risk',
            'preventable_share_pct',
            'write_off_expected',
          ],
          countColumns: counts,
        },
      ],
      notes,
    };
  },
};
