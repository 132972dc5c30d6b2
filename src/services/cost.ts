// Cost services (seed 000): spend, PMPM, concentration (Pareto shares, Lorenz curve, Gini), high-cost
// cohorts with persistence, and trend, for any period and payer, as set-based SQL over the cost marts.
// Definitions in docs/marts/cost.md; the CLI, API and dashboard call these same functions.
import type { DuckDBValue } from '@duckdb/node-api';
import type { Row, Warehouse } from '../engine/duckdb.ts';
import { ClaimlensError, UsageError } from '../errors.ts';
import { andMember, type MemberFilters } from './filters.ts';
import type { KpiDomain, KpiResult, KpiSection } from './kpi.ts';
import type { Period } from './period.ts';

export interface CostParams extends MemberFilters {
  period?: Period;
  payer?: string;
}

/** Whose spend and member months: payer, plan and member state of residence (filters.ts). */
interface Who extends MemberFilters {
  payer?: string | undefined;
}

/** The member-month window a request covers: whole months, because member months are whole months. */
export interface CostScope {
  period: Period | undefined;
  payer: string | undefined;
  plan?: string | undefined;
  state?: string | undefined;
  /** First month_start in scope (YYYY-MM-01); null for all dates. */
  monthFrom: string | null;
  /** Last day in scope; null for all dates. */
  monthTo: string | null;
}

export interface CostSummary {
  scope: CostScope;
  /** Persons with at least one member month in scope. */
  members: number;
  member_months: number;
  medical_paid: number;
  pharmacy_paid: number;
  paid: number;
  allowed: number;
  pmpm_paid: number;
  pmpm_allowed: number;
  /** The same months one year earlier; null without a period or without enrollment then. */
  prior_year: { from: string; to: string; member_months: number; paid: number; pmpm_paid: number } | null;
  pmpm_yoy_change: number | null;
  /** Spend of claims in months without matching enrollment: kept out of PMPM, reported here. */
  outside_enrollment: { claim_lines: number; paid: number; allowed: number };
}

export type PmpmDimension = 'payer' | 'plan' | 'month' | 'service_category';

export interface PmpmRow {
  payer?: string;
  plan?: string;
  month?: string;
  service_category?: string;
  member_months: number;
  paid: number;
  allowed: number;
  pmpm_paid: number;
  pmpm_allowed: number;
}

export interface TopShare {
  /** 1, 5, 10 or 20: the top share of members. */
  top_pct: number;
  /** Members in that top group: ceil(top_pct% of members). */
  members: number;
  paid: number;
  /** Their share of all paid spend of the members in scope. */
  share: number | null;
}

export interface LorenzPoint {
  /** Cumulative share of members, poorest first (0..1). */
  member_share: number;
  /** Cumulative share of spend they hold (0..1). */
  spend_share: number | null;
}

export interface Concentration {
  scope: CostScope;
  members: number;
  /** Members with no paid spend in scope, included in every denominator. */
  zero_spend_members: number;
  paid: number;
  top: TopShare[];
  lorenz: LorenzPoint[];
  gini: number | null;
}

export type CostTier = 'top_1pct' | 'top_1_5pct' | 'top_5_20pct' | 'rest';

export interface CohortTier {
  cost_tier: CostTier;
  label: string;
  members: number;
  member_months: number;
  paid: number;
  allowed: number;
  /** Share of all paid spend in scope. */
  share: number | null;
  pmpm_paid: number | null;
}

export interface CohortCondition {
  cost_tier: CostTier;
  rank: number;
  /** ICD-10-CM chapter range (e.g. I00-I99) or three-character category (e.g. I21). */
  condition: string;
  description: string | null;
  paid: number;
  /** Share of the tier's paid spend. */
  share_of_tier: number | null;
  members: number;
}

export interface CohortServiceCategory {
  cost_tier: CostTier;
  service_category: string;
  paid: number;
  share_of_tier: number | null;
}

export interface Persistence {
  /** The period compared (the scope, or the latest calendar year when no period is given). */
  from: string;
  to: string;
  prior_from: string;
  prior_to: string;
  top5_members: number;
  /** Of them, members with enrollment in the prior period. */
  enrolled_prior: number;
  /** Of them, members who were in the prior period's top 5%. */
  persistent: number;
  /** persistent / top5_members; null when nobody was enrolled in the prior period. */
  persistence: number | null;
}

export interface Cohorts {
  scope: CostScope;
  tiers: CohortTier[];
  /** Top principal-diagnosis chapters of each tier by paid spend. */
  chapters: CohortCondition[];
  /** Top three-character diagnosis categories of each tier by paid spend. */
  categories: CohortCondition[];
  service_categories: CohortServiceCategory[];
  persistence: Persistence;
}

export interface TrendRow {
  month: string;
  member_months: number;
  paid: number;
  allowed: number;
  pmpm_paid: number;
  pmpm_allowed: number;
  prior_year_member_months: number | null;
  prior_year_paid: number | null;
  prior_year_pmpm_paid: number | null;
  paid_yoy_change: number | null;
  pmpm_paid_yoy_change: number | null;
}

const COST_MARTS = [
  'cost_member_month',
  'cost_pmpm',
  'cost_spend_outside_enrollment',
  'cost_member_spend_detail',
] as const;

export const TOP_PERCENTS = [1, 5, 10, 20] as const;

const TIER_LABELS: Record<CostTier, string> = {
  top_1pct: 'Top 1%',
  top_1_5pct: 'Top 1-5%',
  top_5_20pct: 'Top 5-20%',
  rest: 'Rest',
};

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** The same calendar day `years` later (Feb 29 becomes Feb 28 in a common year). */
export function shiftYears(iso: string, years: number): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  const last = new Date(Date.UTC(y + years, m, 0)).getUTCDate();
  return `${y + years}-${pad(m)}-${pad(Math.min(d, last))}`;
}

/** Whole members in the top `pct` percent of `n`: ceil(n * pct / 100) in integer arithmetic, as the SQL does. */
export function topCount(n: number, pct: number): number {
  return Math.floor((n * pct + 99) / 100);
}

function ratio(num: number | null, den: number | null): number | null {
  return num === null || den === null || den === 0 ? null : num / den;
}

/**
 * Filter on a month column for a month window, payer, plan and state, with its parameters; `alias`
 * qualifies the columns. State goes through person_id (intermediate.rcm_person) unless the table
 * carries a state column (`stateColumn`).
 */
function filter(
  monthFrom: string | null,
  monthTo: string | null,
  who: Who,
  monthColumn = 'month_start',
  alias = '',
  stateColumn = false,
): { sql: string; args: DuckDBValue[] } {
  const payer = who.payer;
  const monthCol = `${alias}${monthColumn}`;
  const parts: string[] = ['TRUE'];
  const args: DuckDBValue[] = [];
  if (monthFrom !== null) {
    parts.push(`${monthCol} >= CAST(? AS DATE)`);
    args.push(monthFrom);
  }
  if (monthTo !== null) {
    parts.push(`${monthCol} <= CAST(? AS DATE)`);
    args.push(monthTo);
  }
  if (payer !== undefined) {
    parts.push(`${alias}payer = ?`);
    args.push(payer);
  }
  const member = andMember(
    who,
    stateColumn
      ? { plan: `${alias}plan`, state: `${alias}state` }
      : { plan: `${alias}plan`, person: `${alias}person_id` },
    (v) => {
      args.push(v);
      return '?';
    },
  );
  return { sql: parts.join(' AND ') + member, args };
}

function scopeFilter(scope: CostScope, monthColumn = 'month_start', alias = '', stateColumn = false) {
  return filter(scope.monthFrom, scope.monthTo, scope, monthColumn, alias, stateColumn);
}

/** The level member months are counted distinct at: the narrowest of plan, payer and all. */
function withinOf(who: Who, grouped: 'plan' | 'payer' | 'none' = 'none'): 'all' | 'payer' | 'plan' {
  if (grouped === 'plan' || who.plan !== undefined) return 'plan';
  if (grouped === 'payer' || who.payer !== undefined) return 'payer';
  return 'all';
}

/**
 * Checks the cost marts are built, the payer has enrollment and the period holds some, and returns
 * the whole-month window of the request. Empty scopes are usage errors that say what the data covers.
 */
export function costScope(wh: Warehouse, params: CostParams): Promise<CostScope> {
  // The cost domain asks for the same scope once per section: checked once per warehouse handle
  // (a new build is a new handle) and request, a failure never remembered.
  let memo = scopes.get(wh);
  if (!memo) {
    memo = new Map();
    scopes.set(wh, memo);
  }
  const key = JSON.stringify([
    params.period?.from,
    params.period?.to,
    params.period?.label,
    params.payer,
    params.plan,
    params.state,
  ]);
  let scope = memo.get(key);
  if (!scope) {
    if (memo.size >= 256) memo.clear(); // a long-running server sees many filters
    scope = checkScope(wh, params);
    memo.set(key, scope);
    scope.catch(() => memo.delete(key));
  }
  return scope;
}

const scopes = new WeakMap<Warehouse, Map<string, Promise<CostScope>>>();

async function checkScope(wh: Warehouse, params: CostParams): Promise<CostScope> {
  const built = new Set(
    (
      await wh.all<{ name: string }>(
        `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'marts' AND table_name IN (${COST_MARTS.map(() => '?').join(', ')})`,
        [...COST_MARTS],
      )
    ).map((r) => r.name),
  );
  const missing = COST_MARTS.find((t) => !built.has(t));
  if (missing) {
    throw new ClaimlensError(
      'warehouse',
      `the warehouse has no marts.${missing}: run \`claimlens build\` first`,
    );
  }
  const { period, payer } = params;
  if (payer !== undefined) {
    const payers = await wh.all<{ payer: string }>(
      'SELECT DISTINCT payer FROM marts.cost_member_month ORDER BY payer',
    );
    if (!payers.some((p) => p.payer === payer)) {
      throw new UsageError(
        `no enrollment for payer '${payer}': payers with enrollment are ${payers.map((p) => p.payer).join(', ') || '(none)'}`,
      );
    }
  }
  const scope: CostScope = {
    period,
    payer,
    plan: params.plan,
    state: params.state,
    monthFrom: period ? `${period.from.slice(0, 7)}-01` : null,
    monthTo: period ? period.to : null,
  };
  const f = scopeFilter(scope);
  const found = await wh.one<{ n: number }>(
    `SELECT count(*) AS n FROM marts.cost_member_month WHERE ${f.sql}`,
    f.args,
  );
  if ((found?.n ?? 0) === 0) {
    const all = filter(null, null, scope);
    const cover = await wh.one<{ first: string | null; last: string | null }>(
      `SELECT min(month_start) AS first, max(month_start) AS last FROM marts.cost_member_month WHERE ${all.sql}`,
      all.args,
    );
    const names = [
      payer === undefined ? '' : `payer '${payer}'`,
      params.plan === undefined ? '' : `plan '${params.plan}'`,
      params.state === undefined ? '' : `state ${params.state}`,
    ].filter((x) => x !== '');
    const who = names.length === 0 ? '' : ` for ${names.join(', ')}`;
    const where = period ? ` in ${period.label} (${period.from}..${period.to})` : '';
    const covers = cover?.first
      ? `member months${who} (enrollment in the months the claims cover) run ${cover.first.slice(0, 7)}..${cover.last!.slice(0, 7)}; choose a period inside them`
      : params.plan !== undefined || params.state !== undefined
        ? 'no member of the book matches these plan and state filters; choose another plan or state'
        : 'load eligibility and run `claimlens build`';
    throw new UsageError(`no enrollment${who}${where}: ${covers}`);
  }
  return scope;
}

/**
 * Members, member months, spend and PMPM of a period and payer, with the same months a year earlier
 * and the spend left out because no enrollment matched it.
 *
 * @example await costSummary(wh, { period: parsePeriod({ period: '2024Q1' }), payer: 'Acme' })
 */
export async function costSummary(wh: Warehouse, params: CostParams): Promise<CostSummary> {
  const scope = await costScope(wh, params);
  const totals = await monthTotals(wh, scope.monthFrom, scope.monthTo, scope);
  const o = scopeFilter(scope, 'service_month', '', true);
  const outside = (await wh.one<{ claim_lines: number; paid: number; allowed: number }>(
    `SELECT coalesce(sum(claim_lines), 0) AS claim_lines, coalesce(sum(paid), 0) AS paid,
            coalesce(sum(allowed), 0) AS allowed
     FROM marts.cost_spend_outside_enrollment WHERE ${o.sql}`,
    o.args,
  ))!;
  let prior: CostSummary['prior_year'] = null;
  if (scope.monthFrom !== null && scope.monthTo !== null) {
    const from = shiftYears(scope.monthFrom, -1);
    const to = shiftYears(scope.monthTo, -1);
    const p = await monthTotals(wh, from, to, scope);
    if (p.member_months > 0) {
      prior = { from, to, member_months: p.member_months, paid: p.paid, pmpm_paid: p.paid / p.member_months };
    }
  }
  const pmpmPaid = totals.paid / totals.member_months;
  return {
    scope,
    members: totals.members,
    member_months: totals.member_months,
    medical_paid: totals.medical_paid,
    pharmacy_paid: totals.pharmacy_paid,
    paid: totals.paid,
    allowed: totals.allowed,
    pmpm_paid: pmpmPaid,
    pmpm_allowed: totals.allowed / totals.member_months,
    prior_year: prior,
    pmpm_yoy_change: prior && prior.pmpm_paid > 0 ? pmpmPaid / prior.pmpm_paid - 1 : null,
    outside_enrollment: outside,
  };
}

interface MonthTotals {
  members: number;
  member_months: number;
  medical_paid: number;
  pharmacy_paid: number;
  paid: number;
  allowed: number;
}

/**
 * Distinct member months of the rows summed: a person enrolled with two payers (or in two plans) in
 * one month is one member month of the scope, one per payer within a payer and one per plan within a
 * plan. The flags of marts.cost_member_month mark one row per person and month (and per payer), so
 * the count is a sum, not a DISTINCT over a million rows.
 */
function memberMonthsSql(within: 'all' | 'payer' | 'plan'): string {
  if (within === 'plan') return 'count(*)';
  return within === 'payer' ? 'sum(person_payer_month)' : 'sum(person_month)';
}

// A person enrolled in two plans (or with two payers) in one month is one member month of the
// scope; each plan still counts it in plan-level PMPM.
async function monthTotals(
  wh: Warehouse,
  from: string | null,
  to: string | null,
  who: Who,
): Promise<MonthTotals> {
  const f = filter(from, to, who);
  return (await wh.one<MonthTotals>(
    `SELECT count(DISTINCT person_id) AS members,
            ${memberMonthsSql(withinOf(who))} AS member_months,
            coalesce(sum(medical_paid), 0) AS medical_paid,
            coalesce(sum(pharmacy_paid), 0) AS pharmacy_paid,
            coalesce(sum(paid), 0) AS paid,
            coalesce(sum(allowed), 0) AS allowed
     FROM marts.cost_member_month WHERE ${f.sql}`,
    f.args,
  ))!;
}

const DIMENSION_COLUMN: Record<PmpmDimension, string> = {
  payer: 'payer',
  plan: 'plan',
  month: 'month_start',
  service_category: 'service_category',
};

/**
 * PMPM (paid and allowed spend per member month) of a period and payer, grouped by any of payer,
 * plan, month and service category; plan implies payer, since plan names repeat across payers.
 * Member months are distinct persons per month within each group, whatever the service category.
 *
 * @example await pmpm(wh, { period }, ['payer', 'service_category'])
 */
export async function pmpm(
  wh: Warehouse,
  params: CostParams,
  groupBy: readonly PmpmDimension[] = ['payer', 'plan', 'service_category'],
): Promise<PmpmRow[]> {
  const scope = await costScope(wh, params);
  const dims = (['payer', 'plan', 'month', 'service_category'] as const).filter(
    (d) => groupBy.includes(d) || (d === 'payer' && groupBy.includes('plan')),
  );
  const cols = dims.map((d) => DIMENSION_COLUMN[d]);
  const denCols = cols.filter((c) => c !== 'service_category');
  const sel = (list: string[], alias: string) => list.map((c) => `${alias}.${c}`).join(', ');
  const group = (list: string[]) => (list.length > 0 ? `GROUP BY ${list.join(', ')}` : '');
  const f = scopeFilter(scope);
  const within = withinOf(
    scope,
    denCols.includes('plan') ? 'plan' : denCols.includes('payer') ? 'payer' : 'none',
  );
  // marts.cost_pmpm has no member: under a state filter the spend is summed from the member-grain
  // detail mart instead (same enrolled spend, one row per member, month and category).
  const numSource = scope.state === undefined ? 'marts.cost_pmpm' : 'marts.cost_member_spend_detail';
  const rows = await wh.all<Row>(
    `WITH den AS (
       SELECT ${denCols.map((c) => `${c}, `).join('')}${memberMonthsSql(within)} AS member_months
       FROM marts.cost_member_month WHERE ${f.sql} ${group(denCols)}
     ),
     num AS (
       SELECT ${cols.map((c) => `${c}, `).join('')}${EXACT_SUMS}
       FROM ${numSource} WHERE ${f.sql} ${group(cols)}
     )
     SELECT ${cols.length > 0 ? `${sel(cols, 'num')}, ` : ''}den.member_months, num.paid, num.allowed,
            num.paid / den.member_months AS pmpm_paid, num.allowed / den.member_months AS pmpm_allowed
     FROM num JOIN den ON ${denCols.length > 0 ? denCols.map((c) => `den.${c} = num.${c}`).join(' AND ') : 'TRUE'}
     ORDER BY ${cols.length > 0 ? sel(cols, 'num') : '1'}`,
    [...f.args, ...f.args],
  );
  return rows.map((r) => {
    const out: PmpmRow = {
      member_months: r.member_months as number,
      paid: r.paid as number,
      allowed: r.allowed as number,
      pmpm_paid: r.pmpm_paid as number,
      pmpm_allowed: r.pmpm_allowed as number,
    };
    if (dims.includes('payer')) out.payer = r.payer as string;
    if (dims.includes('plan')) out.plan = r.plan as string;
    if (dims.includes('month')) out.month = r.month_start as string;
    if (dims.includes('service_category')) out.service_category = r.service_category as string;
    return out;
  });
}

// Exact (DECIMAL) sums, then one double: divided in SQL, the same double on every engine, where
// PostgreSQL's numeric division would round a half cent (152.075) the other way than DuckDB's double.
const EXACT_SUMS =
  'CAST(sum(paid) AS DOUBLE PRECISION) AS paid, CAST(sum(allowed) AS DOUBLE PRECISION) AS allowed';

/** Per-member paid spend of members with enrollment in a window (zero-spend members included). */
function memberSpendSql(where: string, who: Who): string {
  return `member AS (
    SELECT person_id, ${memberMonthsSql(withinOf(who))} AS member_months, sum(paid) AS paid, sum(allowed) AS allowed
    FROM marts.cost_member_month WHERE ${where} GROUP BY person_id
  )`;
}

/**
 * How concentrated spend is among the members enrolled in a period: the share of paid spend of the
 * top 1, 5, 10 and 20% of members (ceil of the percentage, in whole members), the Lorenz curve at
 * `points` + 1 evenly spaced member shares (linear between members) and the Gini coefficient
 * G = 2·Σ i·x_i / (n·Σ x) − (n + 1) / n over spend sorted ascending. Members with enrollment but
 * no spend count in every denominator.
 *
 * @example (await concentration(wh, { period })).top[1] // { top_pct: 5, members: 50, share: 0.52 }
 */
export async function concentration(
  wh: Warehouse,
  params: CostParams,
  options: { points?: number } = {},
): Promise<Concentration> {
  const points = options.points ?? 20;
  if (!Number.isInteger(points) || points < 1 || points > 1000) {
    throw new UsageError(`Lorenz points must be a whole number from 1 to 1000, got ${points}`);
  }
  const scope = await costScope(wh, params);
  const f = scopeFilter(scope);
  const topCols = TOP_PERCENTS.map(
    (p) => `sum(r.paid) FILTER (WHERE r.r_desc <= floor((t.n * ${p} + 99) / 100)) AS top${p}`,
  ).join(',\n            ');
  const head = (await wh.one<Record<string, number | null>>(
    `WITH ${memberSpendSql(f.sql, scope)},
     tot AS (SELECT count(*) AS n, sum(paid) AS total FROM member),
     ranked AS (
       SELECT paid,
              row_number() OVER (ORDER BY paid DESC, person_id) AS r_desc,
              row_number() OVER (ORDER BY paid, person_id) AS r_asc
       FROM member
     )
     SELECT t.n, t.total,
            count(*) FILTER (WHERE r.paid = 0) AS zero_spend,
            sum(r.r_asc * r.paid) AS weighted,
            ${topCols}
     FROM ranked AS r CROSS JOIN tot AS t
     GROUP BY t.n, t.total`,
    f.args,
  ))!;
  const n = head.n ?? 0;
  const total = head.total ?? 0;
  const lorenz = await wh.all<LorenzPoint>(
    `WITH ${memberSpendSql(f.sql, scope)},
     tot AS (SELECT count(*) AS n, sum(paid) AS total FROM member),
     ranked AS (
       SELECT paid,
              row_number() OVER (ORDER BY paid, person_id) AS i,
              sum(paid) OVER (ORDER BY paid, person_id ROWS UNBOUNDED PRECEDING) AS cum
       FROM member
     ),
     pos AS (
       SELECT g.k, CAST(g.k AS DOUBLE PRECISION) / ${points} AS member_share,
              CAST(g.k * t.n AS DOUBLE PRECISION) / ${points} AS x, floor(CAST(g.k * t.n AS DOUBLE PRECISION) / ${points}) AS fl,
              t.n, t.total
       FROM generate_series(0, ${points}) AS g(k) CROSS JOIN tot AS t
     )
     SELECT pos.member_share,
            CASE
              WHEN pos.total IS NULL OR pos.total = 0 THEN NULL
              WHEN pos.fl >= pos.n THEN 1.0
              ELSE (r.cum - r.paid + (pos.x - pos.fl) * r.paid) / pos.total
            END AS spend_share
     FROM pos LEFT JOIN ranked AS r ON r.i = pos.fl + 1
     ORDER BY pos.k`,
    f.args,
  );
  const positive = total > 0;
  return {
    scope,
    members: n,
    zero_spend_members: head.zero_spend ?? 0,
    paid: total,
    top: TOP_PERCENTS.map((p) => ({
      top_pct: p,
      members: topCount(n, p),
      paid: head[`top${p}`] ?? 0,
      share: positive ? (head[`top${p}`] ?? 0) / total : null,
    })),
    lorenz,
    gini: positive ? (2 * (head.weighted ?? 0)) / (n * total) - (n + 1) / n : null,
  };
}

/** Tiers of the members of a window: rank by paid (1 = highest, ties by person_id), cut at ceil(p%). */
function tieredSql(where: string, who: Who): string {
  return `${memberSpendSql(where, who)},
  ranked AS (
    SELECT *, row_number() OVER (ORDER BY paid DESC, person_id) AS r, count(*) OVER () AS n FROM member
  ),
  tiered AS (
    SELECT *,
      CASE
        WHEN paid <= 0 THEN 'rest'
        WHEN r <= floor((n * 1 + 99) / 100) THEN 'top_1pct'
        WHEN r <= floor((n * 5 + 99) / 100) THEN 'top_1_5pct'
        WHEN r <= floor((n * 20 + 99) / 100) THEN 'top_5_20pct'
        ELSE 'rest'
      END AS cost_tier
    FROM ranked
  )`;
}

/**
 * High-cost cohorts of a period and payer: tiers top 1%, 1-5%, 5-20% and rest with size, spend,
 * share and PMPM; each tier's top principal-diagnosis chapters and three-character categories and
 * its service-category mix; and persistence, the share of the top 5% who were also top 5% in the
 * same months a year earlier (the latest calendar year when no period is given).
 *
 * @example (await cohorts(wh, { period: parsePeriod({ period: '2024' }) })).persistence.persistence
 */
export async function cohorts(
  wh: Warehouse,
  params: CostParams,
  options: { topConditions?: number } = {},
): Promise<Cohorts> {
  const topN = options.topConditions ?? 3;
  const scope = await costScope(wh, params);
  const f = scopeFilter(scope);
  const tiers = await wh.all<Omit<CohortTier, 'label'>>(
    `WITH ${tieredSql(f.sql, scope)},
     tier (cost_tier, tier_order) AS (VALUES ('top_1pct', 1), ('top_1_5pct', 2), ('top_5_20pct', 3), ('rest', 4)),
     tot AS (SELECT sum(paid) AS total FROM member)
     SELECT tier.cost_tier,
            count(t.person_id) AS members,
            coalesce(sum(t.member_months), 0) AS member_months,
            coalesce(sum(t.paid), 0) AS paid,
            coalesce(sum(t.allowed), 0) AS allowed,
            CASE WHEN max(tot.total) <> 0 THEN coalesce(sum(t.paid), 0) / max(tot.total) END AS share,
            sum(t.paid) / nullif(sum(t.member_months), 0) AS pmpm_paid
     FROM tier CROSS JOIN tot LEFT JOIN tiered AS t ON t.cost_tier = tier.cost_tier
     GROUP BY tier.cost_tier, tier.tier_order
     ORDER BY tier.tier_order`,
    f.args,
  );
  const detail = scopeFilter(scope, 'month_start', 'd.');
  const withCodes = await wh.tableExists('codes', 'icd10cm');
  // One pass over the detail mart: grouping sets give each tier's total, chapters, three-character
  // categories and service categories; spend without a groupable diagnosis (pharmacy, unknown codes)
  // counts in the tier total but is not a condition.
  const groups = await wh.all<{
    kind: 'tier' | 'chapter' | 'category' | 'service';
    cost_tier: CostTier;
    key: string;
    chapter_description: string | null;
    paid: number;
    members: number;
    rank: number;
    share_of_tier: number | null;
  }>(
    `WITH ${tieredSql(f.sql, scope)},
     spend AS (
       SELECT t.cost_tier, d.person_id, d.service_category, d.paid, d.diagnosis_chapter_description,
              CASE WHEN d.diagnosis_chapter NOT IN ('no diagnosis', 'unrecognized') THEN d.diagnosis_chapter END
                AS chapter,
              CASE WHEN d.diagnosis_chapter NOT IN ('no diagnosis', 'unrecognized') THEN d.diagnosis_category END
                AS category
       FROM marts.cost_member_spend_detail AS d JOIN tiered AS t ON t.person_id = d.person_id
       WHERE ${detail.sql}
     ),
     grouped AS (
       SELECT
         CASE
           WHEN GROUPING(chapter) = 0 THEN 'chapter'
           WHEN GROUPING(category) = 0 THEN 'category'
           WHEN GROUPING(service_category) = 0 THEN 'service'
           ELSE 'tier'
         END AS kind,
         cost_tier,
         CASE
           WHEN GROUPING(chapter) = 0 THEN chapter
           WHEN GROUPING(category) = 0 THEN category
           WHEN GROUPING(service_category) = 0 THEN service_category
           ELSE cost_tier
         END AS key,
         min(diagnosis_chapter_description) AS chapter_description,
         sum(paid) AS paid,
         count(DISTINCT person_id) AS members
       FROM spend
       GROUP BY GROUPING SETS ((cost_tier), (cost_tier, chapter), (cost_tier, category), (cost_tier, service_category))
     ),
     group_rank AS (
       SELECT *,
              row_number() OVER (PARTITION BY kind, cost_tier ORDER BY paid DESC, key) AS rank,
              paid / nullif(max(CASE WHEN kind = 'tier' THEN paid END) OVER (PARTITION BY cost_tier), 0)
                AS share_of_tier
       FROM grouped
       WHERE key IS NOT NULL
     )
     SELECT kind, cost_tier, key, chapter_description, paid, members, rank, share_of_tier
     FROM group_rank
     WHERE kind = 'service' OR (kind IN ('chapter', 'category') AND rank <= ${topN})
     ORDER BY CASE cost_tier WHEN 'top_1pct' THEN 1 WHEN 'top_1_5pct' THEN 2 WHEN 'top_5_20pct' THEN 3 ELSE 4 END,
              kind, rank`,
    [...f.args, ...detail.args],
  );
  const ranked = (kind: 'chapter' | 'category' | 'service') => groups.filter((g) => g.kind === kind);
  const categoryCodes = ranked('category');
  const descriptions = new Map<string, string>();
  if (withCodes && categoryCodes.length > 0) {
    const rows = await wh.all<{ code: string; description: string }>(
      `SELECT replace(upper(code), '.', '') AS code, min(description) AS description FROM codes.icd10cm
       WHERE replace(upper(code), '.', '') IN (${categoryCodes.map(() => '?').join(', ')}) GROUP BY 1`,
      categoryCodes.map((c) => c.key),
    );
    for (const r of rows) descriptions.set(r.code, r.description);
  }
  const condition = (g: ReturnType<typeof ranked>[number], description: string | null): CohortCondition => ({
    cost_tier: g.cost_tier,
    rank: g.rank,
    condition: g.key,
    description,
    paid: g.paid,
    share_of_tier: g.share_of_tier,
    members: g.members,
  });
  const chapters = ranked('chapter').map((g) => condition(g, g.chapter_description));
  const categories = categoryCodes.map((g) => condition(g, descriptions.get(g.key) ?? null));
  const serviceCategories: CohortServiceCategory[] = ranked('service').map((g) => ({
    cost_tier: g.cost_tier,
    service_category: g.key,
    paid: g.paid,
    share_of_tier: g.share_of_tier,
  }));
  return {
    scope,
    tiers: tiers.map((t) => ({ ...t, label: TIER_LABELS[t.cost_tier] })),
    chapters,
    categories,
    service_categories: serviceCategories,
    persistence: await persistence(wh, scope),
  };
}

async function persistence(wh: Warehouse, scope: CostScope): Promise<Persistence> {
  let from = scope.monthFrom;
  let to = scope.monthTo;
  if (from === null || to === null) {
    const all = filter(null, null, scope);
    const last = (await wh.one<{ y: number }>(
      `SELECT CAST(extract(year FROM max(month_start)) AS INTEGER) AS y FROM marts.cost_member_month WHERE ${all.sql}`,
      all.args,
    ))!;
    from = `${last.y}-01-01`;
    to = `${last.y}-12-31`;
  }
  const priorFrom = shiftYears(from, -1);
  const priorTo = shiftYears(to, -1);
  const cur = filter(from, to, scope);
  const pri = filter(priorFrom, priorTo, scope);
  const top5 = (where: string) => `SELECT person_id FROM (
      SELECT person_id, paid, row_number() OVER (ORDER BY paid DESC, person_id) AS r, count(*) OVER () AS n
      FROM (SELECT person_id, sum(paid) AS paid FROM marts.cost_member_month WHERE ${where} GROUP BY person_id) AS m
    ) AS ranked
    WHERE paid > 0 AND r <= floor((n * 5 + 99) / 100)`;
  const r = (await wh.one<{ top5_members: number; enrolled_prior: number; persistent: number }>(
    `WITH cur AS (${top5(cur.sql)}),
     prior_members AS (SELECT DISTINCT person_id FROM marts.cost_member_month WHERE ${pri.sql}),
     prior_top AS (${top5(pri.sql)})
     SELECT count(*) AS top5_members,
            count(*) FILTER (WHERE person_id IN (SELECT person_id FROM prior_members)) AS enrolled_prior,
            count(*) FILTER (WHERE person_id IN (SELECT person_id FROM prior_top)) AS persistent
     FROM cur`,
    [...cur.args, ...pri.args, ...pri.args],
  ))!;
  const anyPrior = await wh.one<{ n: number }>(
    `SELECT count(*) AS n FROM marts.cost_member_month WHERE ${pri.sql}`,
    pri.args,
  );
  return {
    from,
    to,
    prior_from: priorFrom,
    prior_to: priorTo,
    ...r,
    persistence: (anyPrior?.n ?? 0) > 0 ? ratio(r.persistent, r.top5_members) : null,
  };
}

/**
 * Monthly member months, spend and PMPM of a period and payer, each month next to the same month a
 * year earlier with the year-over-year change of paid spend and of PMPM.
 *
 * @example await trend(wh, { period: parsePeriod({ period: '2024' }), payer: 'Acme' })
 */
export async function trend(wh: Warehouse, params: CostParams): Promise<TrendRow[]> {
  const scope = await costScope(wh, params);
  const priorFrom = scope.monthFrom === null ? null : shiftYears(scope.monthFrom, -1);
  const f = filter(priorFrom, scope.monthTo, scope);
  const inScope = scope.monthFrom === null ? 'TRUE' : 'm.month_start >= CAST(? AS DATE)';
  return wh.all<TrendRow>(
    `WITH monthly AS (
       SELECT month_start, ${memberMonthsSql(withinOf(scope))} AS member_months,
              ${EXACT_SUMS}
       FROM marts.cost_member_month WHERE ${f.sql} GROUP BY month_start
     )
     SELECT m.month_start AS month, m.member_months, m.paid, m.allowed,
            m.paid / m.member_months AS pmpm_paid, m.allowed / m.member_months AS pmpm_allowed,
            p.member_months AS prior_year_member_months, p.paid AS prior_year_paid,
            p.paid / p.member_months AS prior_year_pmpm_paid,
            CASE WHEN p.paid > 0 THEN m.paid / p.paid - 1 END AS paid_yoy_change,
            CASE WHEN p.paid > 0 THEN (m.paid / m.member_months) / (p.paid / p.member_months) - 1 END
              AS pmpm_paid_yoy_change
     FROM monthly AS m
     LEFT JOIN monthly AS p ON p.month_start = CAST(m.month_start - INTERVAL '1 year' AS DATE)
     WHERE ${inScope}
     ORDER BY m.month_start`,
    scope.monthFrom === null ? f.args : [...f.args, scope.monthFrom],
  );
}

function round(v: number | null, digits: number): number | null {
  if (v === null) return null;
  const k = 10 ** digits;
  return Math.round(v * k) / k;
}

/** The `cost` KPI domain: headline spend, PMPM and concentration, and the tables behind them. */
export const costDomain: KpiDomain = {
  name: 'cost',
  description: 'Spend, PMPM by payer, plan and service category, concentration, high-cost cohorts and trend',
  async run(wh, params): Promise<KpiResult> {
    const p: CostParams = {
      period: params.period,
      payer: params.payer,
      plan: params.plan,
      state: params.state,
    };
    const summary = await costSummary(wh, p);
    const conc = await concentration(wh, p);
    const coh = await cohorts(wh, p);
    const byCategory = await pmpm(wh, p, ['service_category']);
    const byPlan = await pmpm(wh, p, ['payer', 'plan']);
    const months = await trend(wh, p);
    const share = (pct: number) => round(conc.top.find((t) => t.top_pct === pct)?.share ?? null, 4);
    const money = (v: number | null) => round(v, 2);
    const sections: KpiSection[] = [
      {
        title: 'PMPM by payer and plan',
        rows: byPlan.map((r) => ({
          ...r,
          pmpm_paid: money(r.pmpm_paid),
          pmpm_allowed: money(r.pmpm_allowed),
        })),
        columns: ['payer', 'plan', 'member_months', 'paid', 'allowed', 'pmpm_paid', 'pmpm_allowed'],
      },
      {
        title: 'PMPM by service category',
        rows: byCategory.map((r) => ({
          ...r,
          share: round(ratio(r.paid, summary.paid), 4),
          pmpm_paid: money(r.pmpm_paid),
          pmpm_allowed: money(r.pmpm_allowed),
        })),
        columns: ['service_category', 'paid', 'share', 'pmpm_paid', 'allowed', 'pmpm_allowed'],
      },
      {
        title: 'Spend concentration (share of paid by top members)',
        rows: conc.top.map((t) => ({ ...t, share: round(t.share, 4) })),
        columns: ['top_pct', 'members', 'paid', 'share'],
      },
      {
        title: 'Lorenz curve',
        rows: conc.lorenz.map((l) => ({
          member_share: l.member_share,
          spend_share: round(l.spend_share, 4),
        })),
      },
      {
        title: 'High-cost cohorts',
        rows: coh.tiers.map((t) => ({ ...t, share: round(t.share, 4), pmpm_paid: money(t.pmpm_paid) })),
        columns: ['label', 'members', 'member_months', 'paid', 'share', 'pmpm_paid'],
      },
      {
        title: 'Top conditions by cohort (principal diagnosis, ICD-10-CM chapter)',
        rows: coh.chapters.map((c) => ({
          ...c,
          tier: TIER_LABELS[c.cost_tier],
          share_of_tier: round(c.share_of_tier, 4),
        })),
        columns: ['tier', 'rank', 'condition', 'description', 'members', 'paid', 'share_of_tier'],
      },
      {
        title: 'Top diagnosis categories by cohort (principal diagnosis, 3 characters)',
        rows: coh.categories.map((c) => ({
          ...c,
          tier: TIER_LABELS[c.cost_tier],
          share_of_tier: round(c.share_of_tier, 4),
        })),
        columns: ['tier', 'rank', 'condition', 'description', 'members', 'paid', 'share_of_tier'],
      },
      {
        title: 'Service categories by cohort',
        rows: coh.service_categories.map((s) => ({
          ...s,
          tier: TIER_LABELS[s.cost_tier],
          share_of_tier: round(s.share_of_tier, 4),
        })),
        columns: ['tier', 'service_category', 'paid', 'share_of_tier'],
      },
      {
        title: 'Trend by month',
        rows: months.map((m) => ({
          ...m,
          pmpm_paid: money(m.pmpm_paid),
          prior_year_pmpm_paid: money(m.prior_year_pmpm_paid),
          pmpm_paid_yoy_change: round(m.pmpm_paid_yoy_change, 4),
          paid_yoy_change: round(m.paid_yoy_change, 4),
        })),
        columns: [
          'month',
          'member_months',
          'paid',
          'pmpm_paid',
          'prior_year_pmpm_paid',
          'pmpm_paid_yoy_change',
        ],
      },
    ];
    const pers = coh.persistence;
    const notes = [
      'A member month is a person enrolled on at least one day of the month (Tuva convention); overlapping spans count once.',
      'Spend is paid (and allowed) of paid and partially paid medical lines and pharmacy fills, by month of service; denied, pending and reversed lines are not spend.',
      `Spend of claims without matching enrollment (same person, payer, plan and month) is kept out of PMPM: ${summary.outside_enrollment.claim_lines} lines, paid ${summary.outside_enrollment.paid}.`,
      `Concentration and cohorts rank the ${conc.members} members enrolled in the period by paid spend, ${conc.zero_spend_members} of them with none; top p% = ceil(p% of members).`,
      `Persistence compares ${pers.from}..${pers.to} with ${pers.prior_from}..${pers.prior_to}: ${pers.persistent} of ${pers.top5_members} top-5% members were top 5% before (${pers.enrolled_prior} were enrolled then).`,
    ];
    if (summary.scope.period && summary.scope.monthFrom !== summary.scope.period.from) {
      notes.push(`Member months are whole months: the period starts at ${summary.scope.monthFrom}.`);
    }
    return {
      domain: 'cost',
      period: params.period,
      payer: params.payer,
      headline: {
        members: summary.members,
        member_months: summary.member_months,
        paid: summary.paid,
        allowed: summary.allowed,
        pmpm: money(summary.pmpm_paid),
        pmpm_allowed: money(summary.pmpm_allowed),
        pmpm_yoy_change: round(summary.pmpm_yoy_change, 4),
        top1_share: share(1),
        top5_share: share(5),
        top10_share: share(10),
        gini: round(conc.gini, 4),
        top5_persistence: round(pers.persistence, 4),
        outside_enrollment_paid: summary.outside_enrollment.paid,
      },
      sections,
      notes,
    };
  },
};
