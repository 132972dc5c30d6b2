// Payer scorecard for any period (seed 004): volume, charges, payments, contractual variance,
// denial rate and days to pay per payer, a risk label from configured thresholds, rank and trend.
// Aggregates intermediate.payer_claim at query time, so any range works; definitions in docs/marts/payers.md.

import type { DuckDBValue } from '@duckdb/node-api';
import type { Config } from '../config.ts';
import type { Warehouse } from '../engine/duckdb.ts';
import { ClaimlensError } from '../errors.ts';
import { andMember, dollarBinder, type MemberFilters } from './filters.ts';
import type { KpiDomain, KpiResult } from './kpi.ts';
import type { PayerRiskThresholds } from './payers-config.ts';
import { type Period, previousPeriod, quarterPeriod } from './period.ts';

export type RiskLabel = 'ok' | 'monitor' | 'investigate';

const SEVERITY: Record<RiskLabel, number> = { ok: 0, monitor: 1, investigate: 2 };

/** One payer's metrics for a period, before labelling. */
export interface PayerMetrics {
  payer: string;
  payer_type: string | null;
  /** False when the payer has no contract_allowed_pct: expected payment and variance are null. */
  has_contract: boolean;
  claims: number;
  charges: number;
  allowed: number;
  expected_payment: number | null;
  expected_paid_amount: number | null;
  net_variance: number | null;
  variance_pct: number | null;
  adjudicated_lines: number;
  denied_lines: number;
  denial_rate_pct: number | null;
  payments: number;
  paid_claims: number;
  avg_days_to_pay: number | null;
  median_days_to_pay: number | null;
}

export interface PayerScorecardRow extends PayerMetrics {
  rank: number;
  risk_label: RiskLabel;
  /** Which thresholds were reached, e.g. `denial rate 12.5% >= 12`; empty when ok. */
  risk_reasons: string;
}

export interface PayerTrendRow {
  payer: string;
  risk_label: RiskLabel;
  prev_risk_label: RiskLabel;
  /** worse / better / unchanged: the risk label's move since the previous period. */
  trend: 'worse' | 'better' | 'unchanged';
  payments: number;
  prev_payments: number;
  payments_change_pct: number | null;
  variance_pct: number | null;
  prev_variance_pct: number | null;
  variance_pct_change: number | null;
  denial_rate_pct: number | null;
  prev_denial_rate_pct: number | null;
  denial_rate_change: number | null;
  avg_days_to_pay: number | null;
  prev_avg_days_to_pay: number | null;
  avg_days_to_pay_change: number | null;
}

/** Refuses to query a warehouse built before these models existed, saying what to run. */
export async function requireModels(wh: Warehouse, tables: readonly string[]): Promise<void> {
  for (const t of tables) {
    const [schema, name] = t.split('.') as [string, string];
    if (!(await wh.tableExists(schema, name))) {
      throw new ClaimlensError('warehouse', `the warehouse has no ${t}: run \`claimlens build\` first`);
    }
  }
}

// Service basis (claim_start_date) for volume, charges, variance and denials, so expected and actual
// payment are compared on the same claims; cash basis (paid_date) for payments and days to pay.
// Plan and state (filters.ts) narrow both bases through payer_claim's plan and state columns.
const metricsSql = (member: string) => `
WITH service AS (
  SELECT
    payer,
    count(*) AS claims,
    sum(charge_amount) AS charges,
    sum(allowed_amount) AS allowed,
    sum(expected_payment) AS expected_payment,
    sum(expected_paid_amount) AS expected_paid_amount,
    sum(adjudicated_lines) AS adjudicated_lines,
    sum(denied_lines) AS denied_lines
  FROM intermediate.payer_claim
  WHERE claim_start_date BETWEEN CAST($1 AS DATE) AND CAST($2 AS DATE)${member}
  GROUP BY payer
),
cash AS (
  SELECT
    payer,
    sum(paid_amount) AS payments,
    count(days_to_pay) AS paid_claims,
    avg(days_to_pay) AS avg_days_to_pay,
    percentile_cont(0.5) WITHIN GROUP (ORDER BY days_to_pay) AS median_days_to_pay
  FROM intermediate.payer_claim
  WHERE paid_date BETWEEN CAST($1 AS DATE) AND CAST($2 AS DATE)${member}
  GROUP BY payer
),
joined AS (
  SELECT
    d.payer,
    d.payer_type,
    d.contract_allowed_pct IS NOT NULL AS has_contract,
    coalesce(s.claims, 0) AS claims,
    coalesce(s.charges, 0) AS charges,
    coalesce(s.allowed, 0) AS allowed,
    CASE WHEN d.contract_allowed_pct IS NOT NULL THEN coalesce(s.expected_payment, 0) END AS expected_payment,
    CASE WHEN d.contract_allowed_pct IS NOT NULL THEN coalesce(s.expected_paid_amount, 0) END AS expected_paid_amount,
    coalesce(s.adjudicated_lines, 0) AS adjudicated_lines,
    coalesce(s.denied_lines, 0) AS denied_lines,
    coalesce(c.payments, 0) AS payments,
    coalesce(c.paid_claims, 0) AS paid_claims,
    c.avg_days_to_pay,
    c.median_days_to_pay
  FROM intermediate.payer_directory AS d
  LEFT JOIN service AS s ON s.payer = d.payer
  LEFT JOIN cash AS c ON c.payer = d.payer
)
SELECT
  payer,
  payer_type,
  has_contract,
  claims,
  CAST(charges AS DOUBLE PRECISION) AS charges,
  CAST(allowed AS DOUBLE PRECISION) AS allowed,
  round(expected_payment, 2) AS expected_payment,
  CAST(expected_paid_amount AS DOUBLE PRECISION) AS expected_paid_amount,
  round(expected_payment - expected_paid_amount, 2) AS net_variance,
  CASE
    WHEN expected_payment > 0 THEN round(100 * (expected_payment - expected_paid_amount) / expected_payment, 2)
  END AS variance_pct,
  adjudicated_lines,
  denied_lines,
  CASE WHEN adjudicated_lines > 0 THEN round(100.0 * denied_lines / adjudicated_lines, 2) END AS denial_rate_pct,
  CAST(payments AS DOUBLE PRECISION) AS payments,
  paid_claims,
  round(avg_days_to_pay, 1) AS avg_days_to_pay,
  round(median_days_to_pay, 1) AS median_days_to_pay
FROM joined
ORDER BY payer`;

/** Every payer's metrics for a period: payers with no activity come back with zeros, never dropped. */
export async function payerMetrics(
  wh: Warehouse,
  period: Period,
  member: MemberFilters = {},
): Promise<PayerMetrics[]> {
  await requireModels(wh, ['intermediate.payer_claim', 'intermediate.payer_directory']);
  const args: DuckDBValue[] = [period.from, period.to];
  const where = andMember(member, { plan: 'plan', state: 'state' }, dollarBinder(args));
  return wh.all<PayerMetrics>(metricsSql(where), args);
}

/**
 * The risk label of one payer: the worst label any metric reaches, a value equal to a threshold
 * reaching it. Variance counts in absolute value (overpayment is recoupment risk); rates are
 * compared as shown (2 decimals). Below `minAdjudicatedLines` a payer stays ok.
 *
 * @example payerRiskLabel({ variance_pct: 10, denial_rate_pct: 2, avg_days_to_pay: 20, adjudicated_lines: 40 }, t) // investigate when t.variancePct.investigate = 10
 */
export function payerRiskLabel(
  m: Pick<PayerMetrics, 'variance_pct' | 'denial_rate_pct' | 'avg_days_to_pay' | 'adjudicated_lines'>,
  t: PayerRiskThresholds,
): { label: RiskLabel; reasons: string[] } {
  if (m.adjudicated_lines < t.minAdjudicatedLines) return { label: 'ok', reasons: [] };
  const checks: {
    value: number | null;
    t: { monitor: number; investigate: number };
    text: (v: number) => string;
  }[] = [
    {
      value: m.variance_pct === null ? null : Math.abs(m.variance_pct),
      t: t.variancePct,
      text: (v) => `|variance| ${v}%`,
    },
    { value: m.denial_rate_pct, t: t.denialRatePct, text: (v) => `denial rate ${v}%` },
    { value: m.avg_days_to_pay, t: t.avgDaysToPay, text: (v) => `avg days to pay ${v}` },
  ];
  let label: RiskLabel = 'ok';
  const reasons: string[] = [];
  for (const c of checks) {
    if (c.value === null) continue;
    const reached: RiskLabel =
      c.value >= c.t.investigate ? 'investigate' : c.value >= c.t.monitor ? 'monitor' : 'ok';
    if (reached === 'ok') continue;
    reasons.push(`${c.text(c.value)} >= ${reached === 'investigate' ? c.t.investigate : c.t.monitor}`);
    if (SEVERITY[reached] > SEVERITY[label]) label = reached;
  }
  return { label, reasons };
}

/** Labels and ranks payers: worst label first, then the largest absolute net variance, then name. */
export function rankPayers(metrics: readonly PayerMetrics[], t: PayerRiskThresholds): PayerScorecardRow[] {
  const labelled = metrics.map((m) => {
    const { label, reasons } = payerRiskLabel(m, t);
    return { ...m, rank: 0, risk_label: label, risk_reasons: reasons.join('; ') };
  });
  labelled.sort(
    (a, b) =>
      SEVERITY[b.risk_label] - SEVERITY[a.risk_label] ||
      Math.abs(b.net_variance ?? 0) - Math.abs(a.net_variance ?? 0) ||
      (a.payer < b.payer ? -1 : a.payer > b.payer ? 1 : 0),
  );
  labelled.forEach((row, i) => {
    row.rank = i + 1;
  });
  return labelled;
}

/**
 * The scorecard of a period: every payer, labelled and ranked among all payers (a payer filter
 * keeps the rank it has among all).
 *
 * @example await payerScorecard(wh, parsePeriod({ period: '2024Q1' })!, config.payers.risk)
 */
export async function payerScorecard(
  wh: Warehouse,
  period: Period,
  thresholds: PayerRiskThresholds,
  payer?: string,
  member: MemberFilters = {},
): Promise<PayerScorecardRow[]> {
  const rows = rankPayers(await payerMetrics(wh, period, member), thresholds);
  return payer === undefined ? rows : rows.filter((r) => r.payer === payer);
}

function diff(a: number | null, b: number | null, digits: number): number | null {
  if (a === null || b === null) return null;
  const f = 10 ** digits;
  return Math.round((a - b) * f) / f;
}

/** Each payer's current scorecard row against its row of the previous period. */
export function trendRows(
  current: readonly PayerScorecardRow[],
  previous: readonly PayerScorecardRow[],
): PayerTrendRow[] {
  const before = new Map(previous.map((r) => [r.payer, r]));
  return current.map((c) => {
    const p = before.get(c.payer)!;
    const move = SEVERITY[c.risk_label] - SEVERITY[p.risk_label];
    return {
      payer: c.payer,
      risk_label: c.risk_label,
      prev_risk_label: p.risk_label,
      trend: move > 0 ? 'worse' : move < 0 ? 'better' : 'unchanged',
      payments: c.payments,
      prev_payments: p.payments,
      payments_change_pct:
        p.payments === 0 ? null : Math.round((1000 * (c.payments - p.payments)) / p.payments) / 10,
      variance_pct: c.variance_pct,
      prev_variance_pct: p.variance_pct,
      variance_pct_change: diff(c.variance_pct, p.variance_pct, 2),
      denial_rate_pct: c.denial_rate_pct,
      prev_denial_rate_pct: p.denial_rate_pct,
      denial_rate_change: diff(c.denial_rate_pct, p.denial_rate_pct, 2),
      avg_days_to_pay: c.avg_days_to_pay,
      prev_avg_days_to_pay: p.avg_days_to_pay,
      avg_days_to_pay_change: diff(c.avg_days_to_pay, p.avg_days_to_pay, 1),
    };
  });
}

/** Each payer against the comparable previous period (previousPeriod): changes in points, days and %. */
export async function payerTrend(
  wh: Warehouse,
  period: Period,
  thresholds: PayerRiskThresholds,
  payer?: string,
  member: MemberFilters = {},
): Promise<PayerTrendRow[]> {
  return trendRows(
    await payerScorecard(wh, period, thresholds, payer, member),
    await payerScorecard(wh, previousPeriod(period), thresholds, payer, member),
  );
}

/** The quarter holding the latest date of service: the scorecard's period when none is given. */
export async function latestServiceQuarter(wh: Warehouse): Promise<Period> {
  await requireModels(wh, ['intermediate.payer_claim']);
  const r = await wh.one<{ d: string | null }>(
    'SELECT max(claim_start_date) AS d FROM intermediate.payer_claim',
  );
  if (!r?.d)
    throw new ClaimlensError('warehouse', 'the warehouse has no medical claims: load and build first');
  const [y, m] = r.d.split('-').map(Number) as [number, number];
  return quarterPeriod(y, Math.floor((m - 1) / 3) + 1);
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

export const payersDomain: KpiDomain = {
  name: 'payers',
  description:
    'Payer scorecard: claims, charges, payments, net variance, denial rate, days to pay, risk label, trend',
  async run(wh, params, config: Config): Promise<KpiResult> {
    const period = params.period ?? (await latestServiceQuarter(wh));
    const t = config.payers.risk;
    const prev = previousPeriod(period);
    const member: MemberFilters = { plan: params.plan, state: params.state };
    const all = await payerScorecard(wh, period, t, params.payer, member);
    const allTrend = trendRows(all, await payerScorecard(wh, prev, t, params.payer, member));
    // A plan belongs to its payer: under a plan filter the other payers (no claims and no payments
    // in the plan) are left out rather than listed with zeros.
    const active = (r: PayerScorecardRow) => params.plan === undefined || r.claims > 0 || r.payments !== 0;
    const rows = all.filter(active);
    const trend = allTrend.filter((_, i) => active(all[i]!));
    const sum = (f: (r: PayerScorecardRow) => number | null) =>
      round2(rows.reduce((a, r) => a + (f(r) ?? 0), 0));
    const expected = sum((r) => r.expected_payment);
    const expectedPaid = sum((r) => r.expected_paid_amount);
    const adjudicated = rows.reduce((a, r) => a + r.adjudicated_lines, 0);
    const denied = rows.reduce((a, r) => a + r.denied_lines, 0);
    const noContract = rows.filter((r) => !r.has_contract).map((r) => r.payer);
    const notes = [
      'Claims, charges, allowed, expected payment, net variance and denial rate count claims by first date of service (claim_start_date) in the period; payments and days to pay count claims by paid_date in the period.',
      'Expected payment = charge x payer.contract_allowed_pct - member cost sharing (coinsurance, copayment, deductible), floored at 0, over paid and partially paid lines; net variance = expected payment - amount paid on those lines (positive = underpaid); variance % = net variance / expected payment.',
      'Denial rate = denied lines / adjudicated (paid, partially paid, denied) lines. Days to pay = paid_date - submission_date (claim_end_date when no submission date), per claim. Reversed lines are left out.',
      `Risk label: the worst label any metric reaches (a value equal to a threshold reaches it): |variance %| ${t.variancePct.monitor}/${t.variancePct.investigate}, denial rate % ${t.denialRatePct.monitor}/${t.denialRatePct.investigate}, average days to pay ${t.avgDaysToPay.monitor}/${t.avgDaysToPay.investigate} (monitor/investigate). Rank: worst label, then largest absolute net variance.`,
      `Trend compares with the previous comparable period ${prev.label} (${prev.from}..${prev.to}).`,
    ];
    if (params.period === undefined)
      notes.push(`No period given: showing the quarter of the latest date of service (${period.label}).`);
    if (noContract.length > 0) {
      notes.push(
        `No contract_allowed_pct in input.payer for ${noContract.join(', ')}: no expected payment or variance for them.`,
      );
    }
    return {
      domain: 'payers',
      period,
      payer: params.payer,
      headline: {
        payers: rows.length,
        investigate: rows.filter((r) => r.risk_label === 'investigate').length,
        monitor: rows.filter((r) => r.risk_label === 'monitor').length,
        claims: rows.reduce((a, r) => a + r.claims, 0),
        charges: sum((r) => r.charges),
        payments: sum((r) => r.payments),
        net_variance: round2(expected - expectedPaid),
        variance_pct: expected > 0 ? round2((100 * (expected - expectedPaid)) / expected) : null,
        denial_rate_pct: adjudicated > 0 ? round2((100 * denied) / adjudicated) : null,
      },
      sections: [
        {
          title: `Payer scorecard ${period.label}`,
          rows: rows.map((r) => ({ ...r })),
          columns: [
            'rank',
            'payer',
            'risk_label',
            'claims',
            'charges',
            'allowed',
            'payments',
            'expected_payment',
            'net_variance',
            'variance_pct',
            'denial_rate_pct',
            'avg_days_to_pay',
            'median_days_to_pay',
            'risk_reasons',
          ],
        },
        {
          title: `Trend vs ${prev.label}`,
          rows: trend.map((r) => ({ ...r })),
          columns: [
            'payer',
            'prev_risk_label',
            'risk_label',
            'trend',
            'prev_payments',
            'payments',
            'payments_change_pct',
            'variance_pct_change',
            'denial_rate_change',
            'avg_days_to_pay_change',
          ],
        },
      ],
      notes,
    };
  },
};
