// Revenue-cycle services (seed 002): clean claim rate, collection rates, write-offs, bad debt, cost to
// collect, A/R with aging and days in A/R at any as-of date, days to pay, underpayments and geography,
// as set-based SQL over the rcm marts. Formulas and their sources (HFMA MAP Keys) in docs/marts/rcm.md.
import type { DuckDBValue } from '@duckdb/node-api';
import type { Config } from '../config.ts';
import type { Warehouse } from '../engine/duckdb.ts';
import { ClaimlensError } from '../errors.ts';
import { denialScope, denialSummary } from './denials.ts';
import {
  andMember,
  dollarBinder,
  type FilterColumns,
  hasMemberFilter,
  type MemberFilters,
  notFiltered,
} from './filters.ts';
import type { KpiDomain, KpiResult } from './kpi.ts';
import { requireModels } from './payers.ts';
import type { Period } from './period.ts';
import type { RcmConfig } from './rcm-config.ts';

export interface RcmParams extends MemberFilters {
  period?: Period;
  payer?: string;
  asOf?: string;
}

/** What a revenue-cycle request covers: claims billed from..to, seen as of asOf. */
export interface RcmScope extends MemberFilters {
  asOf: string;
  /** First billing date in scope (claims billed, cash received). */
  from: string;
  /** Last billing date in scope: the period's end, capped at asOf. */
  to: string;
  period: Period | undefined;
  payer: string | undefined;
  /** True when asOf came from the data (latest remittance or payment date). */
  asOfFromData: boolean;
}

export const AR_BUCKETS = ['0-30', '31-60', '61-90', '91-120', 'over 120'] as const;
export type ArBucket = (typeof AR_BUCKETS)[number];

export interface ArAgingRow {
  payer: string;
  bucket: ArBucket;
  /** Payer receivable: expected payment of lines billed and not yet closed (paid or finally denied) at asOf. */
  payer_open: number;
  /** Patient receivable: patient responsibility billed minus patient payments applied, at asOf. */
  patient_open: number;
  total: number;
}

export interface ArSummary {
  as_of: string;
  payer_open: number;
  patient_open: number;
  ar_total: number;
  /** A/R older than 90 days from billing / all A/R x 100 (HFMA Aged A/R as a Percentage of Billed A/R). */
  aged_over_90_pct: number | null;
  /** Net revenue billed in the trailing window / window days. */
  avg_daily_net_revenue: number | null;
  /** ar_total / avg_daily_net_revenue (HFMA Net Days in A/R). */
  days_in_ar: number | null;
  window_days: number;
}

/** Billing-cohort metrics: claims billed in the scope, their resolution as of asOf. */
export interface CohortMetrics {
  claims: number;
  adjudicated_claims: number;
  clean_claims: number;
  /** clean_claims / adjudicated_claims x 100. */
  clean_claim_rate_pct: number | null;
  claim_lines: number;
  initially_denied_lines: number;
  charges: number;
  net_revenue: number;
  payer_paid: number;
  patient_paid: number;
  contractual: number;
  denial_write_off: number;
  /** Patient balances of the cohort open more than badDebtDays after patient billing. */
  bad_debt: number;
  /** (payer_paid + patient_paid) / charges x 100. */
  gross_collection_rate_pct: number | null;
  /** (payer_paid + patient_paid) / (charges - contractual) x 100. */
  net_collection_rate_pct: number | null;
  contractual_write_off_pct: number | null;
  denial_write_off_pct: number | null;
  bad_debt_pct: number | null;
}

export interface CohortRow extends CohortMetrics {
  key: string | null;
}

export interface CashMetrics {
  /** Whole months the cash view covers (the ledger is monthly). */
  month_from: string;
  month_to: string;
  payer_cash: number;
  patient_cash: number;
  cash: number;
  net_revenue: number;
  /** cash / net revenue billed in the same months x 100 (HFMA Cash Collection as a Percentage of NPSR). */
  cash_collection_pct: number | null;
  revenue_cycle_cost: number | null;
  cost_source: 'finance_ledger' | 'config' | 'none';
  /** revenue_cycle_cost / cash x 100 (HFMA Cost to Collect). */
  cost_to_collect_pct: number | null;
  ledger_bad_debt: number | null;
  ledger_gross_charges: number | null;
  ledger_contractual: number | null;
}

export interface DaysToPayRow {
  payer: string;
  paid_claims: number;
  avg_days_to_pay: number | null;
  median_days_to_pay: number | null;
  p90_days_to_pay: number | null;
}

export interface UnderpaymentRow {
  payer: string;
  claims: number;
  expected_payment: number;
  paid: number;
  /** expected_payment - paid: positive when paid less than the contract implies. */
  net_variance: number;
  variance_pct: number | null;
  underpaid_claims: number;
  /** Sum of expected - paid over the underpaid claims. */
  underpaid_amount: number;
}

const MARTS = [
  'marts.rcm_claim_event',
  'marts.rcm_daily',
  'marts.rcm_payment_variance',
  'intermediate.rcm_data_end',
];

function addDays(iso: string, days: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

function monthStart(iso: string): string {
  return `${iso.slice(0, 7)}-01`;
}

/** The date the data runs to (latest remittance or payment date): the default as-of date. */
export async function dataEndDate(wh: Warehouse): Promise<string> {
  await requireModels(wh, ['intermediate.rcm_data_end']);
  const r = await wh.one<{ d: string | null }>('SELECT data_end_date AS d FROM intermediate.rcm_data_end');
  if (!r?.d)
    throw new ClaimlensError('warehouse', 'the warehouse has no medical claims: load and build first');
  return r.d;
}

/**
 * The as-of date (given, else the latest remittance or payment date) and the billing window: the
 * period capped at the as-of date, or without one the 12 months (365 days) ending at the as-of date.
 */
export async function rcmScope(wh: Warehouse, params: RcmParams): Promise<RcmScope> {
  await requireModels(wh, MARTS);
  const asOf = params.asOf ?? (await dataEndDate(wh));
  const from = params.period?.from ?? addDays(asOf, -364);
  // ISO dates sort as text: the earlier of the period end and the as-of date.
  const to = [params.period?.to ?? asOf, asOf].sort()[0]!;
  return {
    asOf,
    from,
    to,
    period: params.period,
    payer: params.payer,
    plan: params.plan,
    state: params.state,
    asOfFromData: params.asOf === undefined,
  };
}

function payerFilter(scope: RcmScope, args: DuckDBValue[], column = 'payer'): string {
  if (scope.payer === undefined) return '';
  args.push(scope.payer);
  return ` AND ${column} = $${args.length}`;
}

// How each mart carries plan and member state (filters.ts). rcm_claim_event (claim and day grain)
// has the member's state but no plan: the plan goes through intermediate.payer_claim by claim_id.
const CLAIM_EVENT: FilterColumns = { state: 'state', claim: 'claim_id' };
const WITH_PLAN_STATE: FilterColumns = { plan: 'plan', state: 'state' };

/** The plan and state conditions of a mart, bound after what `args` holds (`$n` numbering). */
function memberFilter(scope: RcmScope, args: DuckDBValue[], cols: FilterColumns): string {
  return andMember(scope, cols, dollarBinder(args));
}

/**
 * A/R at the as-of date by payer and aging bucket (days from billing to the as-of date). Patient
 * balances more than `badDebtDays` past patient billing are bad debt, written off, so not A/R.
 */
export async function arAging(wh: Warehouse, scope: RcmScope, badDebtDays: number): Promise<ArAgingRow[]> {
  const args: DuckDBValue[] = [scope.asOf, addDays(scope.asOf, -badDebtDays)];
  const payer = payerFilter(scope, args) + memberFilter(scope, args, CLAIM_EVENT);
  return wh.all<ArAgingRow>(
    `
WITH balance AS (
  SELECT
    payer,
    billed_date,
    sum(payer_open) AS payer_open,
    sum(patient_billed - patient_paid) FILTER (WHERE patient_billed_date >= CAST($2 AS DATE)) AS patient_open
  FROM marts.rcm_claim_event
  WHERE event_date <= CAST($1 AS DATE) AND billed_date <= CAST($1 AS DATE)${payer}
  GROUP BY payer, billed_date
),
aged AS (
  SELECT
    payer,
    CASE
      WHEN CAST($1 AS DATE) - billed_date <= 30 THEN '0-30'
      WHEN CAST($1 AS DATE) - billed_date <= 60 THEN '31-60'
      WHEN CAST($1 AS DATE) - billed_date <= 90 THEN '61-90'
      WHEN CAST($1 AS DATE) - billed_date <= 120 THEN '91-120'
      ELSE 'over 120'
    END AS bucket,
    payer_open,
    coalesce(patient_open, 0) AS patient_open
  FROM balance
)
SELECT
  payer,
  bucket,
  round(CAST(sum(payer_open) AS DOUBLE PRECISION), 2) AS payer_open,
  round(CAST(sum(patient_open) AS DOUBLE PRECISION), 2) AS patient_open,
  round(CAST(sum(payer_open + patient_open) AS DOUBLE PRECISION), 2) AS total
FROM aged
GROUP BY payer, bucket
ORDER BY payer, bucket`,
    args,
  );
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

/** Total A/R, aged share and days in A/R at the as-of date, from the aging rows. */
export async function arSummary(
  wh: Warehouse,
  scope: RcmScope,
  aging: readonly ArAgingRow[],
  windowDays: number,
): Promise<ArSummary> {
  const args: DuckDBValue[] = [addDays(scope.asOf, -(windowDays - 1)), scope.asOf];
  const payer = payerFilter(scope, args) + memberFilter(scope, args, WITH_PLAN_STATE);
  const r = await wh.one<{ net_revenue: number | null }>(
    `SELECT CAST(sum(net_revenue) AS DOUBLE PRECISION) AS net_revenue FROM marts.rcm_daily
     WHERE day BETWEEN CAST($1 AS DATE) AND CAST($2 AS DATE)${payer}`,
    args,
  );
  const payerOpen = round2(aging.reduce((a, x) => a + x.payer_open, 0));
  const patientOpen = round2(aging.reduce((a, x) => a + x.patient_open, 0));
  const total = round2(payerOpen + patientOpen);
  const aged = aging
    .filter((x) => x.bucket === '91-120' || x.bucket === 'over 120')
    .reduce((a, x) => a + x.total, 0);
  const daily = r?.net_revenue ? r.net_revenue / windowDays : null;
  return {
    as_of: scope.asOf,
    payer_open: payerOpen,
    patient_open: patientOpen,
    ar_total: total,
    aged_over_90_pct: total > 0 ? round2((100 * aged) / total) : null,
    avg_daily_net_revenue: daily === null ? null : round2(daily),
    days_in_ar: daily ? Math.round((10 * total) / daily) / 10 : null,
    window_days: windowDays,
  };
}

export type CohortDimension = 'total' | 'payer' | 'state' | 'zip3';

const COHORT_SETS: Record<CohortDimension, string> = {
  total: '()',
  payer: '(payer)',
  state: '(state)',
  zip3: '(zip3)',
};

/**
 * Claims billed in the scope and how they stand at the as-of date: clean claim rate, collection
 * rates and write-offs (contractual, denial, bad debt) as shares of charges, for each requested
 * dimension from one scan (GROUPING SETS). Rows of a dimension come largest charges first.
 */
export async function cohortMetrics(
  wh: Warehouse,
  scope: RcmScope,
  dimensions: readonly CohortDimension[],
  badDebtDays: number,
): Promise<Record<CohortDimension, CohortRow[]>> {
  const args: DuckDBValue[] = [scope.asOf, scope.from, scope.to, addDays(scope.asOf, -badDebtDays)];
  const payer = payerFilter(scope, args) + memberFilter(scope, args, CLAIM_EVENT);
  const sets = [...new Set(dimensions)];
  // GROUPING() may only name grouped columns, and a total alone needs no grouping at all.
  const cols = sets.filter((d) => d !== 'total');
  const dimensionSql =
    cols.length === 0
      ? "'total'"
      : `CASE ${cols.map((c) => `WHEN GROUPING(${c}) = 0 THEN '${c}'`).join(' ')} ELSE 'total' END`;
  const keySql =
    cols.length === 0
      ? 'CAST(NULL AS VARCHAR)'
      : `coalesce(${cols.map((c) => `CASE WHEN GROUPING(${c}) = 0 THEN ${c} END`).join(', ')})`;
  const groupBy =
    cols.length === 0 ? '' : `GROUP BY GROUPING SETS (${sets.map((d) => COHORT_SETS[d]).join(', ')})`;
  const rows = await wh.all<CohortRow & { dimension: CohortDimension }>(
    `
WITH s AS (
  SELECT
    ${dimensionSql} AS dimension,
    ${keySql} AS key,
    sum(claims) AS claims,
    sum(claims) FILTER (WHERE adjudicated_date <= CAST($1 AS DATE)) AS adjudicated_claims,
    sum(clean_claim) FILTER (WHERE adjudicated_date <= CAST($1 AS DATE)) AS clean_claims,
    sum(claim_lines) AS claim_lines,
    sum(initially_denied_lines) AS initially_denied_lines,
    sum(charges) AS charges,
    sum(expected_allowed) AS net_revenue,
    sum(payer_paid) AS payer_paid,
    sum(patient_paid) AS patient_paid,
    sum(contractual) AS contractual,
    sum(denial_write_off) AS denial_write_off,
    sum(patient_billed - patient_paid) FILTER (WHERE patient_billed_date < CAST($4 AS DATE)) AS bad_debt
  FROM marts.rcm_claim_event
  WHERE event_date <= CAST($1 AS DATE) AND billed_date BETWEEN CAST($2 AS DATE) AND CAST($3 AS DATE)${payer}
  ${groupBy}
)
SELECT
  dimension,
  key,
  CAST(coalesce(claims, 0) AS BIGINT) AS claims,
  CAST(coalesce(adjudicated_claims, 0) AS BIGINT) AS adjudicated_claims,
  CAST(coalesce(clean_claims, 0) AS BIGINT) AS clean_claims,
  CASE WHEN adjudicated_claims > 0 THEN round(100.0 * clean_claims / adjudicated_claims, 2) END AS clean_claim_rate_pct,
  CAST(coalesce(claim_lines, 0) AS BIGINT) AS claim_lines,
  CAST(coalesce(initially_denied_lines, 0) AS BIGINT) AS initially_denied_lines,
  round(CAST(coalesce(charges, 0) AS DOUBLE PRECISION), 2) AS charges,
  round(CAST(coalesce(net_revenue, 0) AS DOUBLE PRECISION), 2) AS net_revenue,
  round(CAST(coalesce(payer_paid, 0) AS DOUBLE PRECISION), 2) AS payer_paid,
  round(CAST(coalesce(patient_paid, 0) AS DOUBLE PRECISION), 2) AS patient_paid,
  round(CAST(coalesce(contractual, 0) AS DOUBLE PRECISION), 2) AS contractual,
  round(CAST(coalesce(denial_write_off, 0) AS DOUBLE PRECISION), 2) AS denial_write_off,
  round(CAST(greatest(coalesce(bad_debt, 0), 0) AS DOUBLE PRECISION), 2) AS bad_debt,
  CASE WHEN charges > 0 THEN round(100 * CAST(payer_paid + patient_paid AS DOUBLE PRECISION) / CAST(charges AS DOUBLE PRECISION), 2) END
    AS gross_collection_rate_pct,
  CASE WHEN charges - contractual > 0
    THEN round(100 * CAST(payer_paid + patient_paid AS DOUBLE PRECISION) / CAST(charges - contractual AS DOUBLE PRECISION), 2) END
    AS net_collection_rate_pct,
  CASE WHEN charges > 0 THEN round(100 * CAST(contractual AS DOUBLE PRECISION) / CAST(charges AS DOUBLE PRECISION), 2) END
    AS contractual_write_off_pct,
  CASE WHEN charges > 0 THEN round(100 * CAST(denial_write_off AS DOUBLE PRECISION) / CAST(charges AS DOUBLE PRECISION), 2) END
    AS denial_write_off_pct,
  CASE WHEN charges > 0 THEN round(100 * CAST(greatest(coalesce(bad_debt, 0), 0) AS DOUBLE PRECISION) / CAST(charges AS DOUBLE PRECISION), 2) END
    AS bad_debt_pct
FROM s
ORDER BY dimension, charges DESC, key`,
    args,
  );
  const out: Record<CohortDimension, CohortRow[]> = { total: [], payer: [], state: [], zip3: [] };
  for (const { dimension, ...row } of rows) out[dimension].push(row);
  // An empty scope still has its total: zero claims, rates null.
  if (sets.includes('total') && out.total.length === 0) out.total.push(emptyCohort());
  return out;
}

function emptyCohort(): CohortRow {
  return {
    key: null,
    claims: 0,
    adjudicated_claims: 0,
    clean_claims: 0,
    clean_claim_rate_pct: null,
    claim_lines: 0,
    initially_denied_lines: 0,
    charges: 0,
    net_revenue: 0,
    payer_paid: 0,
    patient_paid: 0,
    contractual: 0,
    denial_write_off: 0,
    bad_debt: 0,
    gross_collection_rate_pct: null,
    net_collection_rate_pct: null,
    contractual_write_off_pct: null,
    denial_write_off_pct: null,
    bad_debt_pct: null,
  };
}

/**
 * Cash received in the whole months of the scope against net revenue billed in them (cash
 * collection), and the revenue-cycle cost per dollar collected (cost to collect), with the finance
 * ledger's booked figures of the same months.
 */
export async function cashMetrics(wh: Warehouse, scope: RcmScope, cfg: RcmConfig): Promise<CashMetrics> {
  const monthFrom = monthStart(scope.from);
  const monthTo = monthStart(scope.to);
  const args: DuckDBValue[] = [monthFrom, monthTo];
  const payer = payerFilter(scope, args);
  const member = memberFilter(scope, args, WITH_PLAN_STATE);
  // The finance ledger is booked per payer and month, with no plan or member: under a plan or state
  // filter its figures would describe the whole payer, so they are left out (null) and said so.
  const ledgerFiltered = hasMemberFilter(scope);
  const r = (await wh.one<{
    payer_cash: number | null;
    patient_cash: number | null;
    net_revenue: number | null;
    claims: number | null;
    cost: number | null;
    cost_rows: number;
    bad_debt: number | null;
    gross_charges: number | null;
    contractual: number | null;
  }>(
    `
WITH d AS (
  SELECT
    CAST(sum(payer_cash) AS DOUBLE PRECISION) AS payer_cash,
    CAST(sum(patient_cash) AS DOUBLE PRECISION) AS patient_cash,
    CAST(sum(net_revenue) AS DOUBLE PRECISION) AS net_revenue,
    CAST(sum(claims) AS BIGINT) AS claims
  FROM marts.rcm_daily
  WHERE date_trunc('month', day) BETWEEN CAST($1 AS DATE) AND CAST($2 AS DATE)${payer}${member}
),
l AS (
  SELECT
    CAST(sum(revenue_cycle_cost) AS DOUBLE PRECISION) AS cost,
    count(revenue_cycle_cost) AS cost_rows,
    CAST(sum(bad_debt) AS DOUBLE PRECISION) AS bad_debt,
    CAST(sum(gross_charges) AS DOUBLE PRECISION) AS gross_charges,
    CAST(sum(contractual_adjustments) AS DOUBLE PRECISION) AS contractual
  FROM staging.finance_ledger
  WHERE ledger_month BETWEEN CAST($1 AS DATE) AND CAST($2 AS DATE)${payer}${ledgerFiltered ? ' AND FALSE' : ''}
)
SELECT * FROM d CROSS JOIN l`,
    args,
  ))!;
  const payerCash = round2(r.payer_cash ?? 0);
  const patientCash = round2(r.patient_cash ?? 0);
  const cash = round2(payerCash + patientCash);
  const netRevenue = round2(r.net_revenue ?? 0);
  let cost: number | null = null;
  let source: CashMetrics['cost_source'] = 'none';
  if (r.cost_rows > 0 && r.cost !== null) {
    cost = round2(r.cost);
    source = 'finance_ledger';
  } else if (cfg.costPerClaim !== null) {
    cost = round2(cfg.costPerClaim * (r.claims ?? 0));
    source = 'config';
  }
  return {
    month_from: monthFrom,
    month_to: monthTo,
    payer_cash: payerCash,
    patient_cash: patientCash,
    cash,
    net_revenue: netRevenue,
    cash_collection_pct: netRevenue > 0 ? round2((100 * cash) / netRevenue) : null,
    revenue_cycle_cost: cost,
    cost_source: source,
    cost_to_collect_pct: cost !== null && cash > 0 ? round2((100 * cost) / cash) : null,
    ledger_bad_debt: r.bad_debt === null ? null : round2(r.bad_debt),
    ledger_gross_charges: r.gross_charges === null ? null : round2(r.gross_charges),
    ledger_contractual: r.contractual === null ? null : round2(r.contractual),
  };
}

/** Days from submission to payment per payer, for claims paid in the scope (marts.rcm_payment_variance). */
export async function daysToPay(wh: Warehouse, scope: RcmScope): Promise<DaysToPayRow[]> {
  const args: DuckDBValue[] = [scope.from, scope.to];
  const payer = payerFilter(scope, args) + memberFilter(scope, args, WITH_PLAN_STATE);
  return wh.all<DaysToPayRow>(
    `
SELECT
  payer,
  count(days_to_pay) AS paid_claims,
  round(avg(days_to_pay), 1) AS avg_days_to_pay,
  round(percentile_cont(0.5) WITHIN GROUP (ORDER BY days_to_pay), 1) AS median_days_to_pay,
  round(percentile_cont(0.9) WITHIN GROUP (ORDER BY days_to_pay), 1) AS p90_days_to_pay
FROM marts.rcm_payment_variance
WHERE paid_date BETWEEN CAST($1 AS DATE) AND CAST($2 AS DATE) AND days_to_pay IS NOT NULL${payer}
GROUP BY payer
ORDER BY payer`,
    args,
  );
}

/**
 * Payment against the contract per payer, for claims paid in the scope whose payer has contract
 * terms: net variance and the claims paid more than `tolerance` dollars below expected.
 */
export async function underpayments(
  wh: Warehouse,
  scope: RcmScope,
  tolerance: number,
): Promise<UnderpaymentRow[]> {
  const args: DuckDBValue[] = [scope.from, scope.to, tolerance];
  const payer = payerFilter(scope, args) + memberFilter(scope, args, WITH_PLAN_STATE);
  return wh.all<UnderpaymentRow>(
    `
SELECT
  payer,
  count(*) AS claims,
  -- DECIMAL sum: a sum of doubles depends on row order, and its rounding to cents with it.
  round(sum(CAST(expected_payment AS DECIMAL(38, 6))), 2) AS expected_payment,
  round(sum(expected_paid_amount), 2) AS paid,
  round(sum(shortfall), 2) AS net_variance,
  CASE WHEN sum(expected_payment) > 0 THEN round(100 * sum(shortfall) / sum(expected_payment), 2) END AS variance_pct,
  count(*) FILTER (WHERE shortfall > $3) AS underpaid_claims,
  round(coalesce(sum(shortfall) FILTER (WHERE shortfall > $3), 0), 2) AS underpaid_amount
FROM marts.rcm_payment_variance
WHERE paid_date BETWEEN CAST($1 AS DATE) AND CAST($2 AS DATE) AND expected_payment IS NOT NULL${payer}
GROUP BY payer
ORDER BY payer`,
    args,
  );
}

function cohortRows(rows: readonly CohortRow[], name: string): Record<string, unknown>[] {
  return rows.map(({ key, ...m }) => ({ [name]: key ?? '(unknown)', ...m }));
}

const COHORT_COLUMNS = [
  'claims',
  'clean_claim_rate_pct',
  'charges',
  'payer_paid',
  'patient_paid',
  'gross_collection_rate_pct',
  'net_collection_rate_pct',
  'contractual_write_off_pct',
  'denial_write_off_pct',
  'bad_debt_pct',
];

const TOP_ZIP3 = 20;

export const rcmDomain: KpiDomain = {
  name: 'rcm',
  description:
    'Revenue cycle: clean claim and denial rates, collection rates, write-offs, bad debt, cost to collect, A/R aging and days in A/R, days to pay, underpayments, geography',
  async run(wh, params, config: Config): Promise<KpiResult> {
    const cfg = config.rcm;
    const scope = await rcmScope(wh, params);
    const aging = await arAging(wh, scope, cfg.badDebtDays);
    const ar = await arSummary(wh, scope, aging, cfg.daysInArWindowDays);
    const cohorts = await cohortMetrics(wh, scope, ['total', 'payer', 'state', 'zip3'], cfg.badDebtDays);
    const total = cohorts.total[0];
    const byPayer = cohorts.payer;
    const byState = cohorts.state;
    const byZip3 = cohorts.zip3;
    const cash = await cashMetrics(wh, scope, cfg);
    const pay = await daysToPay(wh, scope);
    const under = await underpayments(wh, scope, cfg.underpaymentTolerance);
    const window = `${scope.from}..${scope.to}`;
    const denials = await denialSummary(
      wh,
      await denialScope(wh, {
        period: { kind: 'range', from: scope.from, to: scope.to, label: window },
        payer: params.payer,
        plan: params.plan,
        state: params.state,
      }),
    );
    const t = total ?? null;
    const agingWide = [...new Set(aging.map((a) => a.payer))].map((p) => {
      const row: Record<string, string | number> = { payer: p };
      let sum = 0;
      for (const b of AR_BUCKETS) {
        const v = aging.find((a) => a.payer === p && a.bucket === b)?.total ?? 0;
        row[b] = v;
        sum += v;
      }
      row.total = round2(sum);
      return row;
    });
    const notes = [
      `As of ${scope.asOf}${scope.asOfFromData ? ' (the latest remittance or payment date in the data; --as-of to change)' : ''}. Billing-period figures cover claims billed (submission date, else claim end date) ${window}${scope.period ? '' : ' (no period given: the 365 days ending at the as-of date)'}, seen as of the as-of date; recent claims are still being paid.`,
      `A/R = payer receivable (expected payment of lines billed and not yet paid or finally denied) + patient receivable (patient responsibility minus patient payments applied, net of credit balances, until it is more than ${cfg.badDebtDays} days past patient billing and so bad debt); aged by days from billing to the as-of date: 0-30, 31-60, 61-90, 91-120, over 120.`,
      `Days in A/R = A/R / (net revenue billed in the ${ar.window_days} days to the as-of date / ${ar.window_days}) (HFMA MAP Key Net Days in A/R); net revenue = charge x expected rate (contract share, else observed allowed ratio). Aged A/R % = A/R over 90 days / A/R (HFMA Aged A/R as a Percentage of Billed A/R, aged from billing here).`,
      'Clean claim rate = claims paid on their first remittance with no denial adjustment on any line and no sign of resubmission / claims fully adjudicated by the as-of date (a payer-side proxy for HFMA Clean Claim Rate, which counts claims passing pre-submission edits).',
      `Net collection rate = payments (payer + patient applied) / (charges - contractual adjustments); gross collection rate = payments / charges. Write-offs as % of charges: contractual (CARC root cause contractual, e.g. CO-45), denial (charges of lines still denied), bad debt (patient balances open more than ${cfg.badDebtDays} days after patient billing at the as-of date; HFMA Bad Debt is bad debt / gross patient service revenue).`,
      `Cost to collect = revenue-cycle cost / cash collected in the months ${cash.month_from.slice(0, 7)}..${cash.month_to.slice(0, 7)} (HFMA Cost to Collect); cash collection % = cash / net revenue billed in those months (HFMA Cash Collection as a Percentage of Net Patient Service Revenue).`,
      'Initial denial rate: lines first adjudicated in the whole months of the billing window (claimlens kpi denials). Days to pay and underpayments: claims whose payment date falls in the billing window (marts.rcm_payment_variance, from intermediate.payer_claim); underpaid = paid more than the tolerance below the contractual expected payment.',
    ];
    const ledgerOut = notFiltered(
      params,
      ['plan', 'state'],
      'the finance ledger (revenue-cycle cost, booked bad debt) is booked per payer and month with no plan or member, so its figures are left out (null) under these filters; cost to collect uses rcm.costPerClaim x the filtered claims when configured.',
    );
    if (ledgerOut) notes.push(ledgerOut.note);
    if (cash.cost_source === 'config')
      notes.push(
        `${ledgerOut ? 'Ledger left out under the plan or state filter' : 'No revenue_cycle_cost in finance_ledger for these months'}: cost = rcm.costPerClaim ${cfg.costPerClaim} x claims billed.`,
      );
    if (cash.cost_source === 'none' && !ledgerOut)
      notes.push(
        'No revenue_cycle_cost in finance_ledger for these months and no rcm.costPerClaim configured: cost to collect not computed.',
      );
    return {
      domain: 'rcm',
      period: params.period ?? { kind: 'range', from: scope.from, to: scope.to, label: window },
      payer: params.payer,
      headline: {
        as_of: scope.asOf,
        billing_window: window,
        claims: t?.claims ?? 0,
        clean_claim_rate_pct: t?.clean_claim_rate_pct ?? null,
        initial_denial_rate_pct: denials.initial_denial_rate_pct,
        gross_collection_rate_pct: t?.gross_collection_rate_pct ?? null,
        net_collection_rate_pct: t?.net_collection_rate_pct ?? null,
        contractual_write_off_pct: t?.contractual_write_off_pct ?? null,
        denial_write_off_pct: t?.denial_write_off_pct ?? null,
        bad_debt_pct: t?.bad_debt_pct ?? null,
        cost_to_collect_pct: cash.cost_to_collect_pct,
        cash_collection_pct: cash.cash_collection_pct,
        ar_total: ar.ar_total,
        days_in_ar: ar.days_in_ar,
        aged_over_90_pct: ar.aged_over_90_pct,
      },
      headlineCounts: ['claims'],
      sections: [
        {
          title: `A/R aging at ${scope.asOf} (days from billing)`,
          rows: agingWide,
          columns: ['payer', ...AR_BUCKETS, 'total'],
          countColumns: [],
        },
        {
          title: 'A/R summary',
          rows: [{ ...ar }],
          columns: [
            'as_of',
            'payer_open',
            'patient_open',
            'ar_total',
            'aged_over_90_pct',
            'avg_daily_net_revenue',
            'days_in_ar',
          ],
          countColumns: [],
        },
        {
          title: `Claims billed ${window} by payer`,
          rows: cohortRows(byPayer, 'payer'),
          columns: ['payer', ...COHORT_COLUMNS],
          countColumns: [
            'claims',
            'adjudicated_claims',
            'clean_claims',
            'claim_lines',
            'initially_denied_lines',
          ],
        },
        {
          title: `Cash, cost to collect and the finance ledger${ledgerOut ? ' (ledger figures not available by plan or state)' : ''}`,
          rows: [{ ...cash }],
          columns: [
            'month_from',
            'month_to',
            'payer_cash',
            'patient_cash',
            'net_revenue',
            'cash_collection_pct',
            'revenue_cycle_cost',
            'cost_source',
            'cost_to_collect_pct',
            'ledger_bad_debt',
          ],
          countColumns: [],
        },
        {
          title: 'Days to pay by payer',
          rows: pay.map((r) => ({ ...r })),
          columns: ['payer', 'paid_claims', 'avg_days_to_pay', 'median_days_to_pay', 'p90_days_to_pay'],
          countColumns: ['paid_claims'],
        },
        {
          title: 'Underpayment against expected payment by payer',
          rows: under.map((r) => ({ ...r })),
          columns: [
            'payer',
            'claims',
            'expected_payment',
            'paid',
            'net_variance',
            'variance_pct',
            'underpaid_claims',
            'underpaid_amount',
          ],
          countColumns: ['claims', 'underpaid_claims'],
        },
        {
          title: 'Geography: member state',
          rows: cohortRows(byState, 'state'),
          columns: ['state', ...COHORT_COLUMNS],
          countColumns: [
            'claims',
            'adjudicated_claims',
            'clean_claims',
            'claim_lines',
            'initially_denied_lines',
          ],
        },
        {
          title: `Geography: top ${TOP_ZIP3} member 3-digit ZIPs by charges`,
          rows: cohortRows(byZip3.slice(0, TOP_ZIP3), 'zip3'),
          columns: ['zip3', ...COHORT_COLUMNS],
          countColumns: [
            'claims',
            'adjudicated_claims',
            'clean_claims',
            'claim_lines',
            'initially_denied_lines',
          ],
        },
      ],
      notes,
    };
  },
};
