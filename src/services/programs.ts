// Programs savings model (seed 000): care management of the high-cost cohort and denial prevention,
// configured assumptions (low / base / high) applied to baselines measured in the warehouse, with
// net savings, ROI and a payback month that accounts for ramp-up. Formulas in docs/marts/programs.md.
import type { DuckDBValue } from '@duckdb/node-api';
import type { Config } from '../config.ts';
import type { Warehouse } from '../engine/duckdb.ts';
import { ClaimlensError } from '../errors.ts';
import { andMember, dollarBinder, type MemberFilters } from './filters.ts';
import type { KpiDomain, KpiResult } from './kpi.ts';
import { requireModels } from './payers.ts';
import type { ProgramsConfig, Scenario, ScenarioValues } from './programs-config.ts';
import { SCENARIOS } from './programs-config.ts';

export type ProgramName = 'care_management' | 'denial_prevention' | 'combined';

export interface BaselineWindow {
  asOf: string;
  /** First day of the window (first day of a month). */
  from: string;
  /** Last day of the window (last day of the as-of month). */
  to: string;
  months: number;
}

export interface CareManagementBaseline {
  members: number;
  cohort_members: number;
  /** Cohort paid in the window, scaled to 12 months. */
  cohort_spend_annual: number;
  total_spend_annual: number;
  cohort_share_pct: number | null;
}

export interface DenialBaseline {
  /** Which CARCs counted as preventable and where that list came from. */
  carc_source: string;
  preventable_carcs: string[];
  denied_claims_annual: number;
  denied_lines_annual: number;
  denied_charges_annual: number;
  /** What the denied lines would have paid (contract rate, else observed rate, else charge), scaled to 12 months. */
  denied_expected_annual: number;
  lines_valued_without_contract: number;
}

/** One program's money flows in one scenario: the inputs of payback and ROI. */
export interface ProgramFlows {
  annualSavings: number;
  annualCost: number;
  oneTimeCost: number;
  rampMonths: number;
}

export interface SavingsRow {
  program: ProgramName;
  scenario: Scenario;
  annual_gross_savings: number;
  annual_program_cost: number;
  one_time_cost: number;
  annual_net_savings: number;
  /** annual gross savings / annual program cost (x:1); null without cost. */
  roi_ratio: number | null;
  first_year_net_savings: number;
  /** First month whose cumulative savings reach cumulative cost; null when not within the horizon. */
  payback_months: number | null;
}

export interface AssumptionRow {
  program: ProgramName;
  assumption: string;
  low: number | string;
  base: number | string;
  high: number | string;
  description: string;
}

export interface ProgramSavings {
  window: BaselineWindow;
  careManagement: CareManagementBaseline;
  denials: DenialBaseline;
  rows: SavingsRow[];
  assumptions: AssumptionRow[];
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/** Share of the full monthly savings reached in month m (1-based): linear over the ramp months. */
export function rampFactor(month: number, rampMonths: number): number {
  return rampMonths <= 0 ? 1 : Math.min(month / rampMonths, 1);
}

/**
 * First month m (1-based) whose cumulative savings reach cumulative cost:
 * sum_{k<=m} sum_i (S_i/12) x min(k/R_i, 1) >= sum_i (U_i + m x C_i/12), S annual savings, C annual
 * run cost, U one-time cost paid in month 1, R ramp months. Null when savings are not positive or
 * payback is beyond `horizon` months.
 *
 * @example paybackMonth([{ annualSavings: 120, annualCost: 60, oneTimeCost: 30, rampMonths: 4 }], 60) // 9
 */
export function paybackMonth(flows: readonly ProgramFlows[], horizon: number): number | null {
  if (flows.reduce((a, f) => a + f.annualSavings, 0) <= 0) return null;
  let savings = 0;
  let cost = flows.reduce((a, f) => a + f.oneTimeCost, 0);
  for (let m = 1; m <= horizon; m++) {
    for (const f of flows) {
      savings += (f.annualSavings / 12) * rampFactor(m, f.rampMonths);
      cost += f.annualCost / 12;
    }
    // A relative tolerance keeps float noise from moving an exact tie to the next month.
    if (savings >= cost - 1e-9 * Math.max(1, cost)) return m;
  }
  return null;
}

/** Savings in the first 12 months (with ramp-up) minus the first year's run and one-time costs. */
export function firstYearNet(flows: readonly ProgramFlows[]): number {
  let net = 0;
  for (const f of flows) {
    for (let m = 1; m <= 12; m++) net += (f.annualSavings / 12) * rampFactor(m, f.rampMonths);
    net -= f.annualCost + f.oneTimeCost;
  }
  return net;
}

function savingsRow(
  program: ProgramName,
  scenario: Scenario,
  flows: ProgramFlows[],
  horizon: number,
): SavingsRow {
  const gross = flows.reduce((a, f) => a + f.annualSavings, 0);
  const cost = flows.reduce((a, f) => a + f.annualCost, 0);
  return {
    program,
    scenario,
    annual_gross_savings: round2(gross),
    annual_program_cost: round2(cost),
    one_time_cost: round2(flows.reduce((a, f) => a + f.oneTimeCost, 0)),
    annual_net_savings: round2(gross - cost),
    roi_ratio: cost > 0 ? round2(gross / cost) : null,
    first_year_net_savings: round2(firstYearNet(flows)),
    payback_months: paybackMonth(flows, horizon),
  };
}

/** Care management in one scenario: enrolled = cohort x enrollment rate; savings = their spend x reduction. */
export function careManagementFlows(
  b: CareManagementBaseline,
  cfg: ProgramsConfig,
  s: Scenario,
): ProgramFlows {
  const c = cfg.careManagement;
  const enrolled = b.cohort_members * c.enrollmentRate;
  return {
    annualSavings: b.cohort_spend_annual * c.enrollmentRate * c.costReductionRate[s],
    annualCost: enrolled * c.costPerEnrolleePerMonth[s] * 12 + c.fixedCostPerYear[s],
    oneTimeCost: c.oneTimeCost[s],
    rampMonths: c.rampMonths[s],
  };
}

/** Denial prevention in one scenario: savings = preventable denied expected payment x recovery rate. */
export function denialPreventionFlows(b: DenialBaseline, cfg: ProgramsConfig, s: Scenario): ProgramFlows {
  const d = cfg.denialPrevention;
  return {
    annualSavings: b.denied_expected_annual * d.recoveryRate[s],
    annualCost: b.denied_claims_annual * d.costPerDeniedClaim[s] + d.fixedCostPerYear[s],
    oneTimeCost: d.oneTimeCost[s],
    rampMonths: d.rampMonths[s],
  };
}

/** Every program and the two combined, in each scenario. */
export function savingsRows(
  care: CareManagementBaseline,
  denials: DenialBaseline,
  cfg: ProgramsConfig,
): SavingsRow[] {
  const rows: SavingsRow[] = [];
  for (const s of SCENARIOS) {
    const cm = careManagementFlows(care, cfg, s);
    const dp = denialPreventionFlows(denials, cfg, s);
    rows.push(savingsRow('care_management', s, [cm], cfg.paybackHorizonMonths));
    rows.push(savingsRow('denial_prevention', s, [dp], cfg.paybackHorizonMonths));
    rows.push(savingsRow('combined', s, [cm, dp], cfg.paybackHorizonMonths));
  }
  return rows;
}

function lastDayOfMonth(y: number, m: number): string {
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}

/** The baseline window: the `months` calendar months ending with the month of `asOf`. */
export function baselineWindow(asOf: string, months: number): BaselineWindow {
  const [y, m] = asOf.split('-').map(Number) as [number, number];
  const first = new Date(Date.UTC(y, m - months, 1)).toISOString().slice(0, 10);
  return { asOf, from: first, to: lastDayOfMonth(y, m), months };
}

/** Members and the high-cost cohort: the top cohortTopPct% of members (enrolled in or billed for the window) by paid. */
export async function careManagementBaseline(
  wh: Warehouse,
  cfg: ProgramsConfig,
  w: BaselineWindow,
  payer?: string,
  member: MemberFilters = {},
): Promise<CareManagementBaseline> {
  const args: DuckDBValue[] = [w.from, w.to, payer ?? null, cfg.careManagement.cohortTopPct];
  // Plan: spend billed to the plan and spans enrolled in it; state: members living there (filters.ts).
  const who = andMember(member, { plan: 'plan', person: 'person_id' }, dollarBinder(args));
  // Members with no claims count in the population (they are part of "all members"), with 0 paid.
  const r = (await wh.one<{
    members: number;
    cohort_members: number;
    cohort_spend: number;
    total_spend: number;
  }>(
    `WITH spend AS (
  SELECT person_id, sum(paid) AS paid
  FROM marts.program_member_spend
  WHERE month BETWEEN CAST($1 AS DATE) AND CAST($2 AS DATE) AND (CAST($3 AS VARCHAR) IS NULL OR payer = $3)${who}
  GROUP BY person_id
),
members AS (
  SELECT person_id FROM marts.program_enrollment
  WHERE enrollment_start_date <= CAST($2 AS DATE) AND enrollment_end_date >= CAST($1 AS DATE)
    AND (CAST($3 AS VARCHAR) IS NULL OR payer = $3)${who}
  UNION
  SELECT person_id FROM spend
),
ranked AS (
  SELECT
    coalesce(s.paid, 0) AS paid,
    row_number() OVER (ORDER BY coalesce(s.paid, 0) DESC, m.person_id) AS rn,
    count(*) OVER () AS n
  FROM members AS m
  LEFT JOIN spend AS s ON s.person_id = m.person_id
)
SELECT
  count(*) AS members,
  count(*) FILTER (WHERE rn <= ceil(n * CAST($4 AS DOUBLE PRECISION) / 100)) AS cohort_members,
  CAST(coalesce(sum(paid) FILTER (WHERE rn <= ceil(n * CAST($4 AS DOUBLE PRECISION) / 100)), 0) AS DOUBLE PRECISION) AS cohort_spend,
  CAST(coalesce(sum(paid), 0) AS DOUBLE PRECISION) AS total_spend
FROM ranked`,
    args,
  ))!;
  const annual = 12 / w.months;
  return {
    members: r.members,
    cohort_members: r.cohort_members,
    cohort_spend_annual: round2(r.cohort_spend * annual),
    total_spend_annual: round2(r.total_spend * annual),
    cohort_share_pct: r.total_spend > 0 ? round2((100 * r.cohort_spend) / r.total_spend) : null,
  };
}

/**
 * The preventable CARC list. With codes.carc loaded: the CARCs of the configured root causes, else
 * those flagged preventable_at_submission, else (an older table without the flag) the CARCs sharing a
 * root cause with the fallback list. Without codes.carc: the configured fallback CARCs.
 */
export async function preventableCarcs(
  wh: Warehouse,
  cfg: ProgramsConfig,
): Promise<{ codes: string[]; source: string }> {
  const fallback = cfg.denialPrevention.preventableCarcs;
  const cols = await wh.all<{ column_name: string }>(
    "SELECT column_name FROM information_schema.columns WHERE table_schema = 'codes' AND table_name = 'carc'",
  );
  const names = new Set(cols.map((c) => c.column_name));
  if (!names.has('code') || !names.has('root_cause')) {
    return {
      codes: [...fallback],
      source: `codes.carc is not loaded: fallback list of preventable CARCs ${fallback.join(', ')}`,
    };
  }
  const list = (n: number, from = 1) => Array.from({ length: n }, (_, i) => `$${i + from}`).join(', ');
  let causes = cfg.denialPrevention.preventableRootCauses;
  let how = 'configured preventable root causes';
  if (causes === undefined) {
    const flagged = names.has('preventable_at_submission');
    how = flagged ? 'root causes preventable at submission' : 'root causes of the fallback CARCs';
    const rows = await wh.all<{ root_cause: string }>(
      flagged
        ? 'SELECT DISTINCT root_cause FROM codes.carc WHERE preventable_at_submission AND root_cause IS NOT NULL ORDER BY 1'
        : `SELECT DISTINCT root_cause FROM codes.carc WHERE root_cause IS NOT NULL AND code IN (${list(fallback.length)}) ORDER BY 1`,
      flagged ? [] : fallback,
    );
    causes = rows.map((r) => r.root_cause);
  }
  const rows =
    causes.length === 0
      ? []
      : await wh.all<{ code: string }>(
          `SELECT DISTINCT CAST(code AS VARCHAR) AS code FROM codes.carc WHERE root_cause IN (${list(causes.length)}) ORDER BY 1`,
          causes,
        );
  if (rows.length === 0) {
    return {
      codes: [...fallback],
      source: `codes.carc names no preventable CARC: fallback list of preventable CARCs ${fallback.join(', ')}`,
    };
  }
  return {
    codes: rows.map((r) => r.code),
    source: `codes.carc: CARCs whose root cause is one of the ${how} (${causes.join(', ')})`,
  };
}

/** Preventable denials in the window: lines with a preventable CARC first remitted in it, each line once. */
export async function denialBaseline(
  wh: Warehouse,
  cfg: ProgramsConfig,
  w: BaselineWindow,
  payer?: string,
  member: MemberFilters = {},
): Promise<DenialBaseline> {
  const carcs = await preventableCarcs(wh, cfg);
  const list = carcs.codes.map((_, i) => `$${i + 4}`).join(', ');
  const args: DuckDBValue[] = [w.from, w.to, payer ?? null, ...carcs.codes];
  const who = andMember(member, { plan: 'plan', state: 'state' }, dollarBinder(args));
  const r = (await wh.one<{
    claims: number;
    lines: number;
    charges: number;
    expected: number;
    estimated: number;
  }>(
    `WITH hit AS (
  SELECT claim_id, claim_line_number, min(first_remit_date) AS first_remit_date, min(payer) AS payer,
    min(plan) AS plan, min(state) AS state,
    min(charge_amount) AS charge_amount, min(expected_payment) AS expected_payment, min(expected_basis) AS expected_basis
  FROM marts.program_denial_line
  WHERE carc_code IN (${list || 'NULL'})
  GROUP BY claim_id, claim_line_number
)
SELECT
  count(DISTINCT claim_id) AS claims,
  count(*) AS lines,
  CAST(coalesce(sum(charge_amount), 0) AS DOUBLE PRECISION) AS charges,
  CAST(coalesce(sum(expected_payment), 0) AS DOUBLE PRECISION) AS expected,
  count(*) FILTER (WHERE expected_basis <> 'contract') AS estimated
FROM hit
WHERE first_remit_date BETWEEN CAST($1 AS DATE) AND CAST($2 AS DATE)
  AND (CAST($3 AS VARCHAR) IS NULL OR payer = $3)${who}`,
    args,
  ))!;
  const annual = 12 / w.months;
  return {
    carc_source: carcs.source,
    preventable_carcs: carcs.codes,
    denied_claims_annual: round2(r.claims * annual),
    denied_lines_annual: round2(r.lines * annual),
    denied_charges_annual: round2(r.charges * annual),
    denied_expected_annual: round2(r.expected * annual),
    lines_valued_without_contract: r.estimated,
  };
}

function scenarioRow(
  program: ProgramName,
  assumption: string,
  v: ScenarioValues,
  description: string,
): AssumptionRow {
  return { program, assumption, low: v.low, base: v.base, high: v.high, description };
}

function sameRow(
  program: ProgramName,
  assumption: string,
  v: number | string,
  description: string,
): AssumptionRow {
  return { program, assumption, low: v, base: v, high: v, description };
}

/** Every assumption, as printed next to the results. */
export function assumptionRows(cfg: ProgramsConfig, carcs: DenialBaseline): AssumptionRow[] {
  const c = cfg.careManagement;
  const d = cfg.denialPrevention;
  return [
    sameRow(
      'combined',
      'baselineMonths',
      cfg.baselineMonths,
      'Months of data the baselines are measured on (scaled to 12).',
    ),
    sameRow('care_management', 'cohortTopPct', c.cohortTopPct, 'High-cost cohort: top % of members by paid.'),
    sameRow('care_management', 'enrollmentRate', c.enrollmentRate, 'Share of the cohort enrolled.'),
    scenarioRow(
      'care_management',
      'costReductionRate',
      c.costReductionRate,
      'Reduction of an enrolled member’s annual spend.',
    ),
    scenarioRow(
      'care_management',
      'costPerEnrolleePerMonth',
      c.costPerEnrolleePerMonth,
      'Program cost per enrollee per month ($).',
    ),
    scenarioRow(
      'care_management',
      'fixedCostPerYear',
      c.fixedCostPerYear,
      'Fixed program cost per year ($).',
    ),
    scenarioRow('care_management', 'oneTimeCost', c.oneTimeCost, 'One-time start-up cost ($, month 1).'),
    scenarioRow('care_management', 'rampMonths', c.rampMonths, 'Months to full savings (linear ramp).'),
    sameRow('denial_prevention', 'preventableCarcs', carcs.preventable_carcs.join(' '), carcs.carc_source),
    scenarioRow(
      'denial_prevention',
      'recoveryRate',
      d.recoveryRate,
      'Share of preventable denied expected payment recovered.',
    ),
    scenarioRow(
      'denial_prevention',
      'costPerDeniedClaim',
      d.costPerDeniedClaim,
      'Annual cost per preventable denied claim ($).',
    ),
    scenarioRow(
      'denial_prevention',
      'fixedCostPerYear',
      d.fixedCostPerYear,
      'Fixed program cost per year ($).',
    ),
    scenarioRow('denial_prevention', 'oneTimeCost', d.oneTimeCost, 'One-time start-up cost ($, month 1).'),
    scenarioRow('denial_prevention', 'rampMonths', d.rampMonths, 'Months to full savings (linear ramp).'),
  ];
}

/** The last date of service in the data: the default as-of date. */
export async function latestClaimDate(wh: Warehouse): Promise<string> {
  const r = await wh.one<{ d: string | null }>(
    'SELECT max(last_service_date) AS d FROM marts.program_member_spend',
  );
  if (!r?.d) throw new ClaimlensError('warehouse', 'the warehouse has no claims: load and build first');
  return r.d;
}

/**
 * The savings model: baselines measured over the window ending at `asOf`, every program and the
 * combination in the low, base and high scenarios, and the assumptions used.
 *
 * @example await programSavings(wh, config.programs, { asOf: '2024-12-31' })
 */
export async function programSavings(
  wh: Warehouse,
  cfg: ProgramsConfig,
  opts: { asOf?: string; payer?: string; plan?: string; state?: string } = {},
): Promise<ProgramSavings> {
  await requireModels(wh, [
    'marts.program_member_spend',
    'marts.program_enrollment',
    'marts.program_denial_line',
  ]);
  const asOf = opts.asOf ?? (await latestClaimDate(wh));
  const window = baselineWindow(asOf, cfg.baselineMonths);
  const member: MemberFilters = { plan: opts.plan, state: opts.state };
  const careManagement = await careManagementBaseline(wh, cfg, window, opts.payer, member);
  const denials = await denialBaseline(wh, cfg, window, opts.payer, member);
  return {
    window,
    careManagement,
    denials,
    rows: savingsRows(careManagement, denials, cfg),
    assumptions: assumptionRows(cfg, denials),
  };
}

export const programsDomain: KpiDomain = {
  name: 'programs',
  description:
    'Savings model for care management and denial prevention: net savings, ROI, payback months, low/base/high',
  async run(wh, params, config: Config): Promise<KpiResult> {
    const asOf = params.asOf ?? params.period?.to;
    const s = await programSavings(wh, config.programs, {
      asOf,
      payer: params.payer,
      plan: params.plan,
      state: params.state,
    });
    const base = s.rows.find((r) => r.program === 'combined' && r.scenario === 'base')!;
    const cm = s.careManagement;
    const dn = s.denials;
    const w = s.window;
    return {
      domain: 'programs',
      period: params.period,
      payer: params.payer,
      headline: {
        as_of: w.asOf,
        baseline_window: `${w.from}..${w.to}`,
        base_annual_gross_savings: base.annual_gross_savings,
        base_annual_net_savings: base.annual_net_savings,
        base_roi_ratio: base.roi_ratio,
        base_payback_months: base.payback_months,
      },
      sections: [
        {
          title: `Measured baselines (${w.from}..${w.to}, scaled to 12 months)`,
          rows: [
            { baseline: 'members', value: cm.members },
            { baseline: 'high_cost_cohort_members', value: cm.cohort_members },
            { baseline: 'high_cost_cohort_spend', value: cm.cohort_spend_annual },
            { baseline: 'total_spend', value: cm.total_spend_annual },
            { baseline: 'cohort_share_of_spend_pct', value: cm.cohort_share_pct },
            { baseline: 'preventable_denied_claims', value: dn.denied_claims_annual },
            { baseline: 'preventable_denied_lines', value: dn.denied_lines_annual },
            { baseline: 'preventable_denied_charges', value: dn.denied_charges_annual },
            { baseline: 'preventable_denied_expected_payment', value: dn.denied_expected_annual },
          ],
          columns: ['baseline', 'value'],
        },
        {
          title: 'Savings by program and scenario (annual, steady state)',
          rows: s.rows.map((r) => ({ ...r })),
          columns: [
            'program',
            'scenario',
            'annual_gross_savings',
            'annual_program_cost',
            'annual_net_savings',
            'roi_ratio',
            'one_time_cost',
            'first_year_net_savings',
            'payback_months',
          ],
        },
        {
          title: 'Assumptions',
          rows: s.assumptions.map((r) => ({ ...r })),
          columns: ['program', 'assumption', 'low', 'base', 'high', 'description'],
        },
      ],
      notes: [
        `High-cost cohort: the top ${config.programs.careManagement.cohortTopPct}% of members (enrolled in or billed during the window) by medical and pharmacy paid; care-management savings = cohort spend x enrollment rate x cost reduction rate; cost = enrolled members x cost per enrollee per month x 12 + fixed cost.`,
        `Preventable denials: ${dn.carc_source}. A line counts once, in the window of its first preventable-CARC remittance, valued at the payment it was worth (contract rate; ${dn.lines_valued_without_contract} lines valued at the payer's observed allowed/charge ratio or at charge for want of contract terms). Savings = that value x recovery rate; cost = preventable denied claims x cost per claim + fixed cost.`,
        'ROI ratio = annual gross savings / annual program cost (x:1). Payback = first month m with sum over k<=m of (annual savings/12) x min(k/ramp months, 1) >= one-time cost + m x annual cost/12; none when beyond the horizon.',
        'Scenarios: low takes the conservative value of every assumption, high the optimistic one, so low <= base <= high for net savings and ROI. These are planning estimates on measured baselines, not measured savings.',
      ],
    };
  },
};
