// Readmissions services (seed 001): 30-day all-cause and unplanned readmission rates, preventable
// readmissions (proxy) by diagnosis, hospital and payer, hospital O:E benchmarking by indirect
// standardization, the transparent patient risk score and the intervention ROI simulation.
// Definitions in docs/marts/readmissions.md; the CLI, API and dashboard call these same functions.
import type { DuckDBValue } from '@duckdb/node-api';
import type { Config } from '../config.ts';
import type { Warehouse } from '../engine/duckdb.ts';
import { ClaimlensError } from '../errors.ts';
import { type MemberFilters, memberConditions, questionBinder } from './filters.ts';
import type { KpiDomain, KpiResult } from './kpi.ts';
import type { Period } from './period.ts';
import { periodDays } from './period.ts';
import {
  INTERVENTIONS,
  type InterventionKey,
  type ReadmissionsConfig,
  RISK_COMPONENTS,
  type RiskComponent,
  type RiskScoreConfig,
  type RiskTier,
  type RoiConfig,
} from './readmissions-config.ts';

export interface ReadmissionParams extends MemberFilters {
  /** Index discharges whose discharge date falls in the period; all dates when absent. */
  period?: Period;
  /** Index admissions billed to this payer. */
  payer?: string;
}

/** The readmission measures of a set of index admissions. */
export interface ReadmissionMeasures {
  index_admissions: number;
  readmissions_all_cause: number;
  readmissions_unplanned: number;
  planned_readmissions: number;
  readmission_rate_all_cause: number | null;
  readmission_rate_unplanned: number | null;
  preventable_readmissions: number;
  /** preventable / unplanned readmissions. */
  preventable_share: number | null;
  unplanned_readmission_paid: number;
  preventable_readmission_paid: number;
}

export interface ReadmissionSummary extends ReadmissionMeasures {
  period: Period | undefined;
  payer: string | undefined;
  first_discharge_date: string | null;
  last_discharge_date: string | null;
  /** End of the data window: index discharges after data_through - 30 days are not measured yet. */
  data_through: string | null;
}

export interface DiagnosisRow extends ReadmissionMeasures {
  diagnosis_chapter: string;
  diagnosis_chapter_description: string | null;
  diagnosis_category?: string;
  diagnosis_category_description?: string | null;
}

export interface PayerRow extends ReadmissionMeasures {
  payer: string;
  payer_type: string | null;
}

export interface TrendRow extends ReadmissionMeasures {
  month: string;
}

export const STAY_MART = 'marts.readmission_stay';
export const PATIENT_MART = 'marts.readmission_patient';

const MEASURES_SQL = `
  count(*) AS index_admissions,
  count(*) FILTER (WHERE readmitted_30d) AS readmissions_all_cause,
  count(*) FILTER (WHERE unplanned_readmission_30d) AS readmissions_unplanned,
  count(*) FILTER (WHERE readmission_planned) AS planned_readmissions,
  count(*) FILTER (WHERE readmitted_30d) / nullif(count(*), 0) AS readmission_rate_all_cause,
  count(*) FILTER (WHERE unplanned_readmission_30d) / nullif(count(*), 0) AS readmission_rate_unplanned,
  count(*) FILTER (WHERE preventable_readmission) AS preventable_readmissions,
  count(*) FILTER (WHERE preventable_readmission) / nullif(count(*) FILTER (WHERE unplanned_readmission_30d), 0)
    AS preventable_share,
  coalesce(sum(readmission_paid) FILTER (WHERE unplanned_readmission_30d), 0) AS unplanned_readmission_paid,
  coalesce(sum(readmission_paid) FILTER (WHERE preventable_readmission), 0) AS preventable_readmission_paid`;

async function requireMarts(wh: Warehouse, tables: readonly string[]): Promise<void> {
  for (const t of tables) {
    const [schema, name] = t.split('.') as [string, string];
    if (!(await wh.tableExists(schema, name))) {
      throw new ClaimlensError('warehouse', `the warehouse has no ${t}: run \`claimlens build\` first`);
    }
  }
}

/** WHERE clause (index admissions in scope) with its parameters; `alias` qualifies the columns. */
function indexScope(params: ReadmissionParams, alias = ''): { sql: string; args: DuckDBValue[] } {
  const parts = [`${alias}index_eligible`];
  const args: DuckDBValue[] = [];
  if (params.period) {
    parts.push(`${alias}discharge_date BETWEEN CAST(? AS DATE) AND CAST(? AS DATE)`);
    args.push(params.period.from, params.period.to);
  }
  if (params.payer !== undefined) {
    parts.push(`${alias}payer = ?`);
    args.push(params.payer);
  }
  // Plan of the discharging claim; state of the person (filters.ts).
  parts.push(
    ...memberConditions(params, { plan: `${alias}plan`, person: `${alias}person_id` }, questionBinder(args)),
  );
  return { sql: parts.join(' AND '), args };
}

/**
 * Index admissions, 30-day readmissions (all-cause and unplanned) and potentially preventable
 * readmissions with their spend, for index discharges in a period and of a payer.
 *
 * @example await readmissionSummary(wh, { period: parsePeriod({ period: '2024' }) })
 */
export async function readmissionSummary(
  wh: Warehouse,
  params: ReadmissionParams = {},
): Promise<ReadmissionSummary> {
  await requireMarts(wh, [STAY_MART]);
  const f = indexScope(params);
  const row = (await wh.one<Omit<ReadmissionSummary, 'period' | 'payer' | 'data_through'>>(
    `SELECT ${MEASURES_SQL}, min(discharge_date) AS first_discharge_date, max(discharge_date) AS last_discharge_date
     FROM ${STAY_MART} WHERE ${f.sql}`,
    f.args,
  ))!;
  const through = await wh.one<{ d: string | null }>(`SELECT max(data_through) AS d FROM ${STAY_MART}`);
  return { period: params.period, payer: params.payer, ...row, data_through: through?.d ?? null };
}

/**
 * Readmission measures by the index admission's principal diagnosis: ICD-10-CM chapter, or chapter
 * and three-character category; most preventable readmissions first.
 */
export async function readmissionsByDiagnosis(
  wh: Warehouse,
  params: ReadmissionParams = {},
  options: { level?: 'chapter' | 'category'; limit?: number } = {},
): Promise<DiagnosisRow[]> {
  await requireMarts(wh, [STAY_MART]);
  const f = indexScope(params);
  const byCategory = (options.level ?? 'category') === 'category';
  const keys = byCategory
    ? 'min(diagnosis_chapter) AS diagnosis_chapter, min(diagnosis_chapter_description) AS diagnosis_chapter_description, diagnosis_category, min(diagnosis_category_description) AS diagnosis_category_description'
    : 'diagnosis_chapter, min(diagnosis_chapter_description) AS diagnosis_chapter_description';
  return wh.all<DiagnosisRow>(
    `SELECT ${keys}, ${MEASURES_SQL}
     FROM ${STAY_MART} WHERE ${f.sql}
     GROUP BY ${byCategory ? 'diagnosis_category' : 'diagnosis_chapter'}
     ORDER BY preventable_readmissions DESC, readmissions_unplanned DESC, index_admissions DESC, 1, 3
     ${options.limit ? `LIMIT ${Math.trunc(options.limit)}` : ''}`,
    f.args,
  );
}

/** Readmission measures by payer of the index admission. */
export async function readmissionsByPayer(
  wh: Warehouse,
  params: ReadmissionParams = {},
): Promise<PayerRow[]> {
  await requireMarts(wh, [STAY_MART]);
  const f = indexScope(params);
  return wh.all<PayerRow>(
    `SELECT payer, mode() WITHIN GROUP (ORDER BY payer_type) AS payer_type, ${MEASURES_SQL}
     FROM ${STAY_MART} WHERE ${f.sql} GROUP BY payer ORDER BY payer`,
    f.args,
  );
}

/** Readmission measures by month of index discharge. */
export async function readmissionTrend(wh: Warehouse, params: ReadmissionParams = {}): Promise<TrendRow[]> {
  await requireMarts(wh, [STAY_MART]);
  const f = indexScope(params);
  return wh.all<TrendRow>(
    `SELECT discharge_month AS month, ${MEASURES_SQL}
     FROM ${STAY_MART} WHERE ${f.sql} GROUP BY discharge_month ORDER BY discharge_month`,
    f.args,
  );
}

// ---------------------------------------------------------------------------------------------
// Expected readmissions: a patient-level logistic model, fitted on covariate patterns.

/** Names of the model's coefficients, in design-matrix order. */
export const MODEL_TERMS = [
  'intercept',
  'age_45_64',
  'age_65_74',
  'age_75_84',
  'age_85_plus',
  'female',
  'chronic_conditions',
  'admissions_prior_12m',
] as const;

/** Caps of the numeric terms: beyond them the effect is assumed flat (and sparse data cannot pull it). */
const CHRONIC_CAP = 10;
const PRIOR_ADMISSIONS_CAP = 5;

export interface LogisticFit {
  coefficients: Float64Array;
  iterations: number;
  converged: boolean;
}

export interface ReadmissionModel {
  terms: readonly string[];
  coefficients: number[];
  l2: number;
  index_admissions: number;
  readmissions: number;
  iterations: number;
  converged: boolean;
}

/** Solves A x = b for a symmetric positive definite A (row-major p x p) by Cholesky; null when A is not SPD. */
export function solveSpd(a: Float64Array, b: Float64Array, p: number): Float64Array | null {
  const l = new Float64Array(p * p);
  for (let i = 0; i < p; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * p + j]!;
      for (let k = 0; k < j; k++) s -= l[i * p + k]! * l[j * p + k]!;
      if (i === j) {
        if (s <= 0) return null;
        l[i * p + i] = Math.sqrt(s);
      } else {
        l[i * p + j] = s / l[j * p + j]!;
      }
    }
  }
  const y = new Float64Array(p);
  for (let i = 0; i < p; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= l[i * p + k]! * y[k]!;
    y[i] = s / l[i * p + i]!;
  }
  const x = new Float64Array(p);
  for (let i = p - 1; i >= 0; i--) {
    let s = y[i]!;
    for (let k = i + 1; k < p; k++) s -= l[k * p + i]! * x[k]!;
    x[i] = s / l[i * p + i]!;
  }
  return x;
}

const sigmoid = (z: number) => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

/**
 * L2-penalized logistic regression on grouped (binomial) data by Newton-Raphson, i.e. iteratively
 * reweighted least squares: row k of `x` (row-major, `p` columns, the first the intercept) was seen
 * `trials[k]` times with `events[k]` events. Maximizes sum_k [y_k log pi_k + (n_k - y_k) log(1 - pi_k)]
 * - (l2 / 2) sum_{j >= 1} beta_j^2; the intercept is not penalized, so fitted events add up to the
 * observed ones. Grouping by covariate pattern gives the same estimate as one row per stay.
 *
 * @example fitLogistic(new Float64Array([1, 0, 1, 1]), 2, new Float64Array([1, 3]), new Float64Array([4, 4]), 0)
 * // coefficients = [logit(0.25), log(9)]
 */
export function fitLogistic(
  x: Float64Array,
  p: number,
  events: Float64Array,
  trials: Float64Array,
  l2: number,
  maxIterations = 100,
): LogisticFit {
  const n = trials.length;
  const beta = new Float64Array(p);
  const totalEvents = events.reduce((a, v) => a + v, 0);
  const totalTrials = trials.reduce((a, v) => a + v, 0);
  const rate = totalEvents / totalTrials;
  // Start at the overall rate: one step from the answer for an intercept-only model.
  beta[0] = Math.log(rate / (1 - rate));
  const objective = (b: Float64Array) => {
    let ll = 0;
    for (let k = 0; k < n; k++) {
      let eta = 0;
      for (let j = 0; j < p; j++) eta += x[k * p + j]! * b[j]!;
      // log(1 + e^eta) computed stably.
      const softplus = eta > 0 ? eta + Math.log1p(Math.exp(-eta)) : Math.log1p(Math.exp(eta));
      ll += events[k]! * eta - trials[k]! * softplus;
    }
    let pen = 0;
    for (let j = 1; j < p; j++) pen += b[j]! ** 2;
    return ll - (l2 / 2) * pen;
  };
  let current = objective(beta);
  for (let iter = 1; iter <= maxIterations; iter++) {
    const h = new Float64Array(p * p);
    const g = new Float64Array(p);
    for (let k = 0; k < n; k++) {
      let eta = 0;
      for (let j = 0; j < p; j++) eta += x[k * p + j]! * beta[j]!;
      const pi = sigmoid(eta);
      const w = trials[k]! * pi * (1 - pi);
      const r = events[k]! - trials[k]! * pi;
      for (let i = 0; i < p; i++) {
        const xi = x[k * p + i]!;
        if (xi === 0) continue;
        g[i] = g[i]! + xi * r;
        for (let j = 0; j <= i; j++) h[i * p + j] = h[i * p + j]! + w * xi * x[k * p + j]!;
      }
    }
    for (let i = 0; i < p; i++) for (let j = 0; j < i; j++) h[j * p + i] = h[i * p + j]!;
    for (let j = 1; j < p; j++) {
      g[j] = g[j]! - l2 * beta[j]!;
      h[j * p + j] = h[j * p + j]! + l2;
    }
    const step = solveSpd(h, g, p);
    if (!step) return { coefficients: beta, iterations: iter, converged: false };
    // Step halving keeps every iteration an ascent step (Newton can overshoot far from the optimum).
    let scale = 1;
    let next = new Float64Array(p);
    let value = Number.NEGATIVE_INFINITY;
    for (let half = 0; half < 30; half++) {
      next = beta.map((b, j) => b + scale * step[j]!);
      value = objective(next);
      if (value >= current - 1e-12 * Math.abs(current)) break;
      scale /= 2;
    }
    const change = Math.max(...step.map((s) => Math.abs(s * scale)));
    beta.set(next);
    current = value;
    if (change < 1e-10) return { coefficients: beta, iterations: iter, converged: true };
  }
  return { coefficients: beta, iterations: maxIterations, converged: false };
}

/** Design-row SQL terms (age band dummies, female, capped counts) over a readmission_stay row. */
function designSql(alias: string): string[] {
  const age = `${alias}age_at_admission`;
  return [
    '1.0',
    `CASE WHEN ${age} >= 45 AND ${age} < 65 THEN 1.0 ELSE 0.0 END`,
    `CASE WHEN ${age} >= 65 AND ${age} < 75 THEN 1.0 ELSE 0.0 END`,
    `CASE WHEN ${age} >= 75 AND ${age} < 85 THEN 1.0 ELSE 0.0 END`,
    `CASE WHEN ${age} >= 85 THEN 1.0 ELSE 0.0 END`,
    `CASE WHEN ${alias}gender = 'female' THEN 1.0 ELSE 0.0 END`,
    `CAST(least(${alias}chronic_condition_count, ${CHRONIC_CAP}) AS DOUBLE PRECISION)`,
    `CAST(least(${alias}admissions_prior_12m, ${PRIOR_ADMISSIONS_CAP}) AS DOUBLE PRECISION)`,
  ];
}

/** SQL for the expected readmission probability of a readmission_stay row under `model`. */
export function expectedProbabilitySql(model: ReadmissionModel, alias = ''): string {
  const terms = designSql(alias).map((t, j) => `(${String(model.coefficients[j])}) * ${t}`);
  return `(1.0 / (1.0 + exp(-(${terms.join(' + ')}))))`;
}

/**
 * Fits the expected-readmission model on every index admission in the warehouse (the book is the
 * reference population, so expected counts compare hospitals with the book's average patient mix):
 * outcome unplanned 30-day readmission; features age band, sex, chronic condition count (prior 12
 * months, capped at 10) and admissions in the prior 12 months (capped at 5); never the hospital.
 */
export async function fitReadmissionModel(wh: Warehouse, l2: number): Promise<ReadmissionModel> {
  await requireMarts(wh, [STAY_MART]);
  const design = designSql('');
  const rows = await wh.all<Record<string, number>>(
    `SELECT ${design.map((t, j) => `${t} AS x${j}`).join(', ')},
            count(*) AS trials, count(*) FILTER (WHERE unplanned_readmission_30d) AS events
     FROM ${STAY_MART} WHERE index_eligible
     GROUP BY ${design.map((_, j) => j + 1).join(', ')} ORDER BY ${design.map((_, j) => j + 1).join(', ')}`,
  );
  const p = MODEL_TERMS.length;
  const trials = Float64Array.from(rows, (r) => r.trials!);
  const events = Float64Array.from(rows, (r) => r.events!);
  const totalTrials = trials.reduce((a, v) => a + v, 0);
  const totalEvents = events.reduce((a, v) => a + v, 0);
  const base = { terms: MODEL_TERMS, l2, index_admissions: totalTrials, readmissions: totalEvents };
  if (totalTrials === 0 || totalEvents === 0 || totalEvents === totalTrials) {
    // No variation to model: every stay's expected probability is the observed rate (0 or 1 here).
    const rate = totalTrials === 0 ? 0 : totalEvents / totalTrials;
    const intercept = rate === 0 ? -40 : rate === 1 ? 40 : Math.log(rate / (1 - rate));
    return {
      ...base,
      coefficients: [intercept, ...new Array(p - 1).fill(0)],
      iterations: 0,
      converged: true,
    };
  }
  const x = new Float64Array(rows.length * p);
  rows.forEach((r, k) => {
    for (let j = 0; j < p; j++) x[k * p + j] = r[`x${j}`]!;
  });
  const fit = fitLogistic(x, p, events, trials, l2);
  return {
    ...base,
    coefficients: Array.from(fit.coefficients),
    iterations: fit.iterations,
    converged: fit.converged,
  };
}

/** The model stored by the last build (marts.readmission_risk_model), or a fresh fit when there is none. */
export async function readmissionModel(wh: Warehouse, l2: number): Promise<ReadmissionModel> {
  if (await wh.tableExists('marts', 'readmission_risk_model')) {
    const rows = await wh.all<{
      term: string;
      coefficient: number;
      l2: number;
      index_admissions: number;
      readmissions: number;
      iterations: number;
      converged: boolean;
    }>('SELECT * FROM marts.readmission_risk_model ORDER BY term_position');
    if (rows.length === MODEL_TERMS.length && rows[0]!.l2 === l2) {
      return {
        terms: MODEL_TERMS,
        coefficients: rows.map((r) => r.coefficient),
        l2,
        index_admissions: rows[0]!.index_admissions,
        readmissions: rows[0]!.readmissions,
        iterations: rows[0]!.iterations,
        converged: rows[0]!.converged,
      };
    }
  }
  return fitReadmissionModel(wh, l2);
}

/**
 * Writes the model back to the warehouse: marts.readmission_risk_model (one row per coefficient) and
 * marts.readmission_expected (one row per index admission with its expected probability). Run after
 * the SQL models (an afterModels build hook) on a writable warehouse.
 */
export async function materializeReadmissionModel(
  wh: Warehouse,
  config: ReadmissionsConfig,
): Promise<ReadmissionModel> {
  const model = await fitReadmissionModel(wh, config.benchmark.l2);
  // DROP + CREATE rather than CREATE OR REPLACE: the same statements run on PostgreSQL.
  await wh.run(wh.dialect.dropRelation('TABLE', 'marts.readmission_risk_model'));
  await wh.run(`CREATE TABLE marts.readmission_risk_model AS
    SELECT * FROM (VALUES ${model.terms
      .map(
        (t, j) =>
          `(${j + 1}, '${t}', CAST(${String(model.coefficients[j])} AS DOUBLE PRECISION), CAST(${model.l2} AS DOUBLE PRECISION), CAST(${model.index_admissions} AS BIGINT), CAST(${model.readmissions} AS BIGINT), ${model.iterations}, ${model.converged})`,
      )
      .join(
        ', ',
      )}) AS t(term_position, term, coefficient, l2, index_admissions, readmissions, iterations, converged)`);
  await wh.run(wh.dialect.dropRelation('TABLE', 'marts.readmission_expected'));
  await wh.run(`CREATE TABLE marts.readmission_expected AS
    SELECT encounter_id, person_id, discharge_date, facility_npi, payer,
           CAST(unplanned_readmission_30d AS INTEGER) AS observed,
           ${expectedProbabilitySql(model)} AS expected_probability
    FROM ${STAY_MART} WHERE index_eligible`);
  return model;
}

// ---------------------------------------------------------------------------------------------
// Hospital benchmarking: indirect standardization, Byar intervals and funnel limits.

/** Standard normal quantiles used for the 95% and 99.8% limits. */
export const Z_95 = 1.959963984540054;
export const Z_998 = 3.090232306167813;

/**
 * Byar's approximation to the exact Poisson confidence interval of an observed count O
 * (Breslow NE, Day NE. Statistical Methods in Cancer Research, Vol. II, IARC 1987, p. 69):
 * lower = O (1 - 1/(9O) - z/(3 sqrt O))^3, upper = (O+1) (1 - 1/(9(O+1)) + z/(3 sqrt(O+1)))^3.
 */
export function byarInterval(observed: number, z = Z_95): { lower: number; upper: number } {
  const lower = observed === 0 ? 0 : observed * (1 - 1 / (9 * observed) - z / (3 * Math.sqrt(observed))) ** 3;
  const o1 = observed + 1;
  const upper = o1 * (1 - 1 / (9 * o1) + z / (3 * Math.sqrt(o1))) ** 3;
  return { lower: Math.max(0, lower), upper };
}

/** The quantile `q` of a Poisson(mean) with Spiegelhalter's interpolation, as a count (continuous). */
export function poissonLimit(mean: number, q: number): number {
  if (mean <= 0) return 0;
  const logMean = Math.log(mean);
  let logFact = 0;
  let cdf = 0;
  let previous = 0;
  for (let k = 0; k < 1e7; k++) {
    if (k > 0) logFact += Math.log(k);
    previous = cdf;
    cdf += Math.exp(-mean + k * logMean - logFact);
    if (cdf >= q) {
      // Spiegelhalter DJ, Funnel plots for comparing institutional performance, Stat Med 2005;24:1185-1202,
      // appendix: r_p is the smallest r with F(r) >= p; alpha = (F(r_p) - p) / (F(r_p) - F(r_p - 1)).
      const alpha = (cdf - q) / (cdf - previous);
      return Math.max(0, k - alpha);
    }
  }
  return Number.POSITIVE_INFINITY;
}

export type BenchmarkFlag = 'higher_than_expected' | 'lower_than_expected' | 'as_expected';

export interface HospitalBenchmark {
  facility_npi: string;
  facility_name: string | null;
  index_admissions: number;
  observed: number;
  expected: number;
  /** Observed / expected unplanned readmissions. */
  oe_ratio: number | null;
  oe_lower_95: number | null;
  oe_upper_95: number | null;
  observed_rate: number;
  /** O:E x the overall observed rate of the scope. */
  risk_adjusted_rate: number | null;
  risk_adjusted_rate_lower_95: number | null;
  risk_adjusted_rate_upper_95: number | null;
  /** From the 95% interval of O:E: above 1, below 1, or containing 1. */
  flag: BenchmarkFlag;
  /** True when O:E lies outside the 99.8% funnel limits at the hospital's expected count. */
  outside_998: boolean;
}

export interface FunnelPoint {
  expected: number;
  lower_998: number;
  lower_95: number;
  upper_95: number;
  upper_998: number;
}

export interface Benchmark {
  model: ReadmissionModel;
  overall_rate: number | null;
  hospitals: HospitalBenchmark[];
  funnel: FunnelPoint[];
}

/** Expected readmissions below this are treated as none: no O:E ratio or interval is computed. */
const MIN_EXPECTED = 1e-6;

/** One hospital's benchmark from its observed and expected counts and the scope's overall rate. */
export function benchmarkHospital(
  h: {
    facility_npi: string;
    facility_name: string | null;
    index_admissions: number;
    observed: number;
    expected: number;
  },
  overallRate: number | null,
): HospitalBenchmark {
  // An expected count that is numerically zero (a model probability of e^-40) gives no usable ratio.
  const e = h.expected >= MIN_EXPECTED ? h.expected : 0;
  const oe = e > 0 ? h.observed / e : null;
  const ci = byarInterval(h.observed, Z_95);
  const lower = e > 0 ? ci.lower / e : null;
  const upper = e > 0 ? ci.upper / e : null;
  const scale = (v: number | null) => (v === null || overallRate === null ? null : v * overallRate);
  let outside = false;
  if (oe !== null) {
    const lo = poissonLimit(e, (1 - 0.998) / 2) / e;
    const hi = poissonLimit(e, 1 - (1 - 0.998) / 2) / e;
    outside = oe < lo || oe > hi;
  }
  return {
    ...h,
    oe_ratio: oe,
    oe_lower_95: lower,
    oe_upper_95: upper,
    observed_rate: h.index_admissions > 0 ? h.observed / h.index_admissions : 0,
    risk_adjusted_rate: scale(oe),
    risk_adjusted_rate_lower_95: scale(lower),
    risk_adjusted_rate_upper_95: scale(upper),
    flag:
      lower !== null && lower > 1
        ? 'higher_than_expected'
        : upper !== null && upper < 1
          ? 'lower_than_expected'
          : 'as_expected',
    outside_998: outside,
  };
}

/** Funnel-plot control limits for O:E around 1 at `points` expected counts spread over [from, to]. */
export function funnelLimits(from: number, to: number, points: number): FunnelPoint[] {
  const out: FunnelPoint[] = [];
  const lo = Math.max(from, 0.5);
  const hi = Math.max(to, lo);
  for (let i = 0; i < points; i++) {
    const e = points === 1 ? lo : lo + ((hi - lo) * i) / (points - 1);
    out.push({
      expected: e,
      lower_998: poissonLimit(e, 0.001) / e,
      lower_95: poissonLimit(e, 0.025) / e,
      upper_95: poissonLimit(e, 0.975) / e,
      upper_998: poissonLimit(e, 0.999) / e,
    });
  }
  return out;
}

/**
 * Hospital O:E ratios by indirect standardization: expected unplanned readmissions of each hospital
 * = the sum over its index admissions of the book-wide model's probability; O:E with Byar's 95%
 * interval, risk-adjusted rate = O:E x the scope's observed rate, and funnel limits (95%, 99.8%).
 */
export async function hospitalBenchmark(
  wh: Warehouse,
  params: ReadmissionParams,
  config: ReadmissionsConfig,
): Promise<Benchmark> {
  const model = await readmissionModel(wh, config.benchmark.l2);
  const f = indexScope(params);
  const rows = await wh.all<{
    facility_npi: string;
    facility_name: string | null;
    index_admissions: number;
    observed: number;
    expected: number;
  }>(
    `SELECT coalesce(facility_npi, 'unknown') AS facility_npi, min(facility_name) AS facility_name,
            count(*) AS index_admissions, count(*) FILTER (WHERE unplanned_readmission_30d) AS observed,
            sum(${expectedProbabilitySql(model)}) AS expected
     FROM ${STAY_MART} WHERE ${f.sql}
     GROUP BY 1 ORDER BY 1`,
    f.args,
  );
  const n = rows.reduce((a, r) => a + r.index_admissions, 0);
  const o = rows.reduce((a, r) => a + r.observed, 0);
  const overall = n > 0 ? o / n : null;
  const hospitals = rows.map((r) => benchmarkHospital(r, overall));
  const expected = rows.map((r) => r.expected).filter((e) => e > 0);
  const funnel =
    expected.length > 0
      ? funnelLimits(Math.min(...expected) * 0.8, Math.max(...expected) * 1.2, config.benchmark.funnelPoints)
      : [];
  return { model, overall_rate: overall, hospitals, funnel };
}

// ---------------------------------------------------------------------------------------------
// The transparent risk score.

/** Column of each score component in marts.readmission_patient and in marts.readmission_stay. */
const PATIENT_COLUMNS: Record<RiskComponent, string> = {
  age: 'age',
  area_deprivation: 'adi_national_percentile',
  chronic_conditions: 'chronic_condition_count',
  admissions_12m: 'admissions_12m',
  ed_visits_12m: 'ed_visits_12m',
};
const STAY_COLUMNS: Record<RiskComponent, string> = {
  age: 'age_at_admission',
  area_deprivation: 'adi_national_percentile',
  chronic_conditions: 'chronic_condition_count',
  admissions_12m: 'admissions_prior_12m',
  ed_visits_12m: 'ed_visits_prior_12m',
};

/** Points of one component: the band with the largest `from` at or below the value; 0 when unknown or below. */
export function componentPoints(
  bands: readonly { from: number; points: number }[],
  value: number | null,
): number {
  if (value === null || Number.isNaN(value)) return 0;
  let points = 0;
  for (const b of bands) if (value >= b.from) points = b.points;
  return points;
}

export function riskTier(score: number, cfg: RiskScoreConfig): RiskTier {
  return score >= cfg.tiers.highFrom ? 'high' : score >= cfg.tiers.mediumFrom ? 'medium' : 'low';
}

/** SQL (numeric literals from the validated config only) scoring each component, the total and the tier. */
function scoreSql(cfg: RiskScoreConfig, columns: Record<RiskComponent, string>): string {
  const points = RISK_COMPONENTS.map((c) => {
    const cases = [...cfg[c]]
      .reverse()
      .map((b) => `WHEN ${columns[c]} >= ${Number(b.from)} THEN ${Math.trunc(b.points)}`)
      .join(' ');
    return `CASE ${cases} ELSE 0 END AS ${c}_points`;
  });
  return points.join(',\n');
}

function totalSql(): string {
  return RISK_COMPONENTS.map((c) => `${c}_points`).join(' + ');
}

function tierSql(cfg: RiskScoreConfig, score: string): string {
  return `CASE WHEN ${score} >= ${Number(cfg.tiers.highFrom)} THEN 'high' WHEN ${score} >= ${Number(cfg.tiers.mediumFrom)} THEN 'medium' ELSE 'low' END`;
}

/** The top three components by points (ties in component order), as 'name (points)'; zero-point components left out. */
function driversSql(engine: Warehouse['engine']): string {
  if (engine === 'postgres') {
    // No LIST values or lambdas: the same top three from a VALUES row per component, as text[].
    const rows = RISK_COMPONENTS.map((c, i) => `(-${c}_points, ${i + 1}, '${c}')`).join(', ');
    return `coalesce((SELECT array_agg(t.n || ' (' || CAST(-t.p AS VARCHAR) || ')' ORDER BY t.p, t.o)
      FROM (SELECT v.p, v.o, v.n FROM (VALUES ${rows}) AS v(p, o, n) WHERE v.p < 0 ORDER BY v.p, v.o LIMIT 3) AS t),
      ARRAY[]::text[])`;
  }
  const items = RISK_COMPONENTS.map((c, i) => `{'p': -${c}_points, 'o': ${i + 1}, 'n': '${c}'}`).join(', ');
  return `list_transform(list_slice(list_sort(list_filter([${items}], x -> x.p < 0)), 1, 3), x -> x.n || ' (' || CAST(-x.p AS VARCHAR) || ')')`;
}

export interface PatientRisk {
  person_id: string;
  as_of_date: string;
  age: number | null;
  adi_national_percentile: number | null;
  chronic_condition_count: number;
  admissions_12m: number;
  ed_visits_12m: number;
  age_points: number;
  area_deprivation_points: number;
  chronic_conditions_points: number;
  admissions_12m_points: number;
  ed_visits_12m_points: number;
  risk_score: number;
  risk_tier: RiskTier;
  /** Largest point components first, e.g. ['chronic_conditions (20)', 'age (15)']. */
  drivers: string[];
  index_admissions_12m: number;
  unplanned_readmissions_12m: number;
  payer: string | null;
}

/**
 * The transparent 0-100 readmission risk score of each recently discharged patient
 * (marts.readmission_patient): points per component from the configured bands, their sum, the tier
 * and the top three drivers. Highest scores first.
 */
export async function patientRiskScores(
  wh: Warehouse,
  config: ReadmissionsConfig,
  options: { payer?: string; plan?: string; state?: string; tier?: RiskTier; limit?: number } = {},
): Promise<PatientRisk[]> {
  await requireMarts(wh, [PATIENT_MART]);
  const cfg = config.riskScore;
  const where: string[] = ['TRUE'];
  const args: DuckDBValue[] = [];
  if (options.payer !== undefined) {
    where.push('payer = ?');
    args.push(options.payer);
  }
  // Plan of the latest discharge; state of the person.
  where.push(...memberConditions(options, { plan: 'plan', person: 'person_id' }, questionBinder(args)));
  if (options.tier !== undefined) {
    where.push('risk_tier = ?');
    args.push(options.tier);
  }
  return wh.all<PatientRisk>(
    `WITH scored AS (
       SELECT *, ${scoreSql(cfg, PATIENT_COLUMNS)} FROM ${PATIENT_MART}
     ), total AS (
       SELECT *, ${totalSql()} AS risk_score FROM scored
     ), tiered AS (
       SELECT *, ${tierSql(cfg, 'risk_score')} AS risk_tier, ${driversSql(wh.engine)} AS drivers FROM total
     )
     SELECT person_id, as_of_date, age, adi_national_percentile, chronic_condition_count, admissions_12m,
            ed_visits_12m, ${RISK_COMPONENTS.map((c) => `${c}_points`).join(', ')}, risk_score, risk_tier,
            drivers, index_admissions_12m, unplanned_readmissions_12m, payer
     FROM tiered WHERE ${where.join(' AND ')}
     ORDER BY risk_score DESC, person_id
     ${options.limit ? `LIMIT ${Math.trunc(options.limit)}` : ''}`,
    args,
  );
}

export interface TierSummary {
  risk_tier: RiskTier;
  patients: number;
  mean_score: number;
  index_admissions_12m: number;
  unplanned_readmissions_12m: number;
  /** Observed unplanned rate of their index admissions in the prior 12 months. */
  readmission_rate: number | null;
}

/** Patients, mean score and observed readmission rate per risk tier. */
export async function riskTierSummary(
  wh: Warehouse,
  config: ReadmissionsConfig,
  options: { payer?: string; plan?: string; state?: string } = {},
): Promise<TierSummary[]> {
  await requireMarts(wh, [PATIENT_MART]);
  const cfg = config.riskScore;
  const args: DuckDBValue[] = options.payer === undefined ? [] : [options.payer];
  const where = [
    options.payer === undefined ? 'TRUE' : 'payer = ?',
    ...memberConditions(options, { plan: 'plan', person: 'person_id' }, questionBinder(args)),
  ].join(' AND ');
  const rows = await wh.all<TierSummary>(
    `WITH scored AS (SELECT *, ${scoreSql(cfg, PATIENT_COLUMNS)} FROM ${PATIENT_MART} WHERE ${where}),
     total AS (SELECT *, ${totalSql()} AS risk_score FROM scored)
     SELECT ${tierSql(cfg, 'risk_score')} AS risk_tier, count(*) AS patients, avg(risk_score) AS mean_score,
            sum(index_admissions_12m) AS index_admissions_12m, sum(unplanned_readmissions_12m) AS unplanned_readmissions_12m,
            sum(unplanned_readmissions_12m) / nullif(sum(index_admissions_12m), 0) AS readmission_rate
     FROM total GROUP BY 1`,
    args,
  );
  const order: RiskTier[] = ['high', 'medium', 'low'];
  return order.map(
    (t) =>
      rows.find((r) => r.risk_tier === t) ?? {
        risk_tier: t,
        patients: 0,
        mean_score: 0,
        index_admissions_12m: 0,
        unplanned_readmissions_12m: 0,
        readmission_rate: null,
      },
  );
}

// ---------------------------------------------------------------------------------------------
// Intervention ROI: base case and a seeded Monte Carlo simulation.

/** What the interventions act on: the targeted index discharges of one year and their readmissions. */
export interface RoiBaseline {
  target_tier: RiskTier;
  window_from: string | null;
  window_to: string | null;
  window_days: number;
  /** Targeted index discharges, scaled to 12 months. */
  discharges_annual: number;
  /** Their unplanned 30-day readmissions, scaled to 12 months. */
  readmissions_annual: number;
  /** Mean paid amount of an unplanned readmission of the targeted discharges (all index discharges when none). */
  cost_per_readmission: number;
  /** Standard error of that mean (0 with fewer than two readmissions). */
  cost_standard_error: number;
  readmissions_costed: number;
}

export interface Distribution {
  median: number;
  p05: number;
  p95: number;
}

export interface InterventionRoi {
  intervention: InterventionKey;
  label: string;
  enrollees: number;
  cost_per_enrollee: number;
  program_cost: number;
  effect_low: number;
  effect_base: number;
  effect_high: number;
  /** Base case: baseline readmissions, the base effect and the mean readmission cost. */
  base_averted_readmissions: number;
  base_gross_savings: number;
  base_net_savings: number;
  /** (gross savings - program cost) / program cost; null without cost. */
  base_roi: number | null;
  averted_readmissions: Distribution;
  gross_savings: Distribution;
  net_savings: Distribution;
  roi: Distribution | null;
  /** Share of draws with positive net savings. */
  probability_net_positive: number;
  source: string;
}

/** Mulberry32: a small, fast, seeded 32-bit PRNG (deterministic across platforms). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Inverse-CDF draw from a triangular(low, mode, high) distribution. */
export function triangular(u: number, low: number, mode: number, high: number): number {
  if (high <= low) return low;
  const c = (mode - low) / (high - low);
  return u < c
    ? low + Math.sqrt(u * (high - low) * (mode - low))
    : high - Math.sqrt((1 - u) * (high - low) * (high - mode));
}

function normal(rand: () => number): number {
  // Box-Muller; 1 - u keeps the logarithm finite.
  const u = 1 - rand();
  const v = rand();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** A Poisson draw: Knuth's product method for small means, the rounded normal approximation above 30. */
function poisson(rand: () => number, mean: number): number {
  if (mean <= 0) return 0;
  if (mean > 30) return Math.max(0, Math.round(mean + Math.sqrt(mean) * normal(rand)));
  const limit = Math.exp(-mean);
  let k = 0;
  let prod = rand();
  while (prod > limit) {
    k++;
    prod *= rand();
  }
  return k;
}

/** Quantile with linear interpolation between order statistics (type 7) of a sorted array. */
export function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

function distribution(values: Float64Array): Distribution {
  const s = Float64Array.from(values).sort();
  return { median: quantile(s, 0.5), p05: quantile(s, 0.05), p95: quantile(s, 0.95) };
}

/**
 * ROI of each intervention applied to the targeted discharges. Enrollees = discharges x enrollment
 * rate; program cost = enrollees x cost per enrollee; averted = readmissions x enrollment rate x
 * effect; gross savings = averted x cost per readmission; net = gross - cost; ROI = net / cost.
 * The base case uses the base effect, the baseline readmissions and the mean cost; each Monte Carlo
 * draw takes the effect from triangular(low, base, high), the enrollees' readmissions from a Poisson
 * around the baseline, and the cost per readmission from a normal around the mean with its standard
 * error (floored at 0). The seed makes the draws reproducible.
 */
export function simulateRoi(baseline: RoiBaseline, roi: RoiConfig): InterventionRoi[] {
  return INTERVENTIONS.map((key, index) => {
    const iv = roi.interventions[key];
    const enrollees = baseline.discharges_annual * roi.enrollmentRate;
    const cost = enrollees * iv.costPerEnrollee;
    const enrolledReadmissions = baseline.readmissions_annual * roi.enrollmentRate;
    const baseAverted = enrolledReadmissions * iv.effect.base;
    const baseGross = baseAverted * baseline.cost_per_readmission;
    // One stream per intervention, so adding an intervention does not change the others' draws.
    const rand = mulberry32((roi.seed + index * 0x9e3779b1) >>> 0);
    const averted = new Float64Array(roi.draws);
    const gross = new Float64Array(roi.draws);
    const net = new Float64Array(roi.draws);
    const ratio = new Float64Array(roi.draws);
    let positive = 0;
    for (let d = 0; d < roi.draws; d++) {
      const effect = triangular(rand(), iv.effect.low, iv.effect.base, iv.effect.high);
      const readmissions = poisson(rand, enrolledReadmissions);
      const unitCost = Math.max(
        0,
        baseline.cost_per_readmission + baseline.cost_standard_error * normal(rand),
      );
      averted[d] = readmissions * effect;
      gross[d] = averted[d]! * unitCost;
      net[d] = gross[d]! - cost;
      ratio[d] = cost > 0 ? net[d]! / cost : 0;
      if (net[d]! > 0) positive++;
    }
    return {
      intervention: key,
      label: iv.label,
      enrollees,
      cost_per_enrollee: iv.costPerEnrollee,
      program_cost: cost,
      effect_low: iv.effect.low,
      effect_base: iv.effect.base,
      effect_high: iv.effect.high,
      base_averted_readmissions: baseAverted,
      base_gross_savings: baseGross,
      base_net_savings: baseGross - cost,
      base_roi: cost > 0 ? (baseGross - cost) / cost : null,
      averted_readmissions: distribution(averted),
      gross_savings: distribution(gross),
      net_savings: distribution(net),
      roi: cost > 0 ? distribution(ratio) : null,
      probability_net_positive: roi.draws > 0 ? positive / roi.draws : 0,
      source: iv.source,
    };
  });
}

/**
 * The ROI baseline: index discharges in the window whose risk score at discharge (the configured
 * point table over the stay's age, area deprivation, chronic burden and prior 12-month utilization)
 * falls in the targeted tier, with their unplanned readmissions, scaled to 12 months. The window is
 * the period when given, else the 365 days ending at the last measured index discharge.
 */
export async function roiBaseline(
  wh: Warehouse,
  params: ReadmissionParams,
  config: ReadmissionsConfig,
): Promise<RoiBaseline> {
  await requireMarts(wh, [STAY_MART]);
  const cfg = config.riskScore;
  const tier = config.roi.targetTier;
  let from: string | null;
  let to: string | null;
  let days: number;
  if (params.period) {
    from = params.period.from;
    to = params.period.to;
    days = periodDays(params.period);
  } else {
    const last = await wh.one<{ last: string | null; first: string | null }>(
      `SELECT max(discharge_date) AS last, CAST(max(discharge_date) - 364 AS DATE) AS first FROM ${STAY_MART} WHERE index_eligible`,
    );
    from = last?.first ?? null;
    to = last?.last ?? null;
    days = 365;
  }
  const scope = indexScope({
    payer: params.payer,
    plan: params.plan,
    state: params.state,
    period: from && to ? { kind: 'range', from, to, label: '' } : undefined,
  });
  const row = (await wh.one<{
    discharges: number;
    readmissions: number;
    mean_cost: number | null;
    sd_cost: number | null;
    n_cost: number;
    all_mean_cost: number | null;
    all_sd_cost: number | null;
    all_n_cost: number;
  }>(
    `WITH scored AS (SELECT *, ${scoreSql(cfg, STAY_COLUMNS)} FROM ${STAY_MART} WHERE ${scope.sql}),
     tiered AS (SELECT *, ${tierSql(cfg, totalSql())} AS risk_tier FROM scored)
     SELECT count(*) FILTER (WHERE risk_tier = ?) AS discharges,
            count(*) FILTER (WHERE risk_tier = ? AND unplanned_readmission_30d) AS readmissions,
            avg(readmission_paid) FILTER (WHERE risk_tier = ? AND unplanned_readmission_30d) AS mean_cost,
            stddev_samp(readmission_paid) FILTER (WHERE risk_tier = ? AND unplanned_readmission_30d) AS sd_cost,
            count(readmission_paid) FILTER (WHERE risk_tier = ? AND unplanned_readmission_30d) AS n_cost,
            avg(readmission_paid) FILTER (WHERE unplanned_readmission_30d) AS all_mean_cost,
            stddev_samp(readmission_paid) FILTER (WHERE unplanned_readmission_30d) AS all_sd_cost,
            count(readmission_paid) FILTER (WHERE unplanned_readmission_30d) AS all_n_cost
     FROM tiered`,
    [...scope.args, tier, tier, tier, tier, tier],
  ))!;
  const targeted = row.n_cost > 0;
  const mean = (targeted ? row.mean_cost : row.all_mean_cost) ?? 0;
  const sd = (targeted ? row.sd_cost : row.all_sd_cost) ?? 0;
  const n = targeted ? row.n_cost : row.all_n_cost;
  const annual = days > 0 ? 365 / days : 0;
  return {
    target_tier: tier,
    window_from: from,
    window_to: to,
    window_days: days,
    discharges_annual: row.discharges * annual,
    readmissions_annual: row.readmissions * annual,
    cost_per_readmission: mean,
    cost_standard_error: n >= 2 ? sd / Math.sqrt(n) : 0,
    readmissions_costed: n,
  };
}

/** Baseline and simulated ROI of every configured intervention. */
export async function interventionRoi(
  wh: Warehouse,
  params: ReadmissionParams,
  config: ReadmissionsConfig,
): Promise<{ baseline: RoiBaseline; interventions: InterventionRoi[] }> {
  const baseline = await roiBaseline(wh, params, config);
  return { baseline, interventions: simulateRoi(baseline, config.roi) };
}

// ---------------------------------------------------------------------------------------------
// KPI domain.

const round = (x: number | null, digits = 4) =>
  x === null ? null : Math.round(x * 10 ** digits) / 10 ** digits;

export const readmissionsDomain: KpiDomain = {
  name: 'readmissions',
  description:
    '30-day all-cause and unplanned readmission rates, preventable readmissions (proxy) and their spend, hospital O:E, risk tiers, intervention ROI',
  async run(wh, params, config: Config): Promise<KpiResult> {
    const cfg = config.readmissions;
    const p: ReadmissionParams = {
      period: params.period,
      payer: params.payer,
      plan: params.plan,
      state: params.state,
    };
    const summary = await readmissionSummary(wh, p);
    const diagnoses = await readmissionsByDiagnosis(wh, p, { level: 'category', limit: 10 });
    const payers = await readmissionsByPayer(wh, p);
    const trend = await readmissionTrend(wh, p);
    const bench = await hospitalBenchmark(wh, p, cfg);
    const tiers = await riskTierSummary(wh, cfg, {
      payer: params.payer,
      plan: params.plan,
      state: params.state,
    });
    const roi = await interventionRoi(wh, p, cfg);
    const measures = [
      'index_admissions',
      'readmissions_unplanned',
      'readmission_rate_unplanned',
      'readmission_rate_all_cause',
      'preventable_readmissions',
      'preventable_share',
      'preventable_readmission_paid',
    ];
    return {
      domain: 'readmissions',
      period: params.period,
      payer: params.payer,
      headline: {
        index_admissions: summary.index_admissions,
        readmission_rate_all_cause: round(summary.readmission_rate_all_cause),
        readmission_rate_unplanned: round(summary.readmission_rate_unplanned),
        preventable_share: round(summary.preventable_share),
        preventable_readmission_paid: round(summary.preventable_readmission_paid, 2),
        unplanned_readmission_paid: round(summary.unplanned_readmission_paid, 2),
        data_through: summary.data_through,
      },
      sections: [
        {
          title: 'Index diagnoses with the most preventable readmissions (ICD-10-CM category)',
          rows: diagnoses.map((d) => ({ ...d })),
          columns: [
            'diagnosis_category',
            'diagnosis_category_description',
            ...measures,
            'unplanned_readmission_paid',
          ],
        },
        {
          title: `Hospital benchmark (indirect standardization; overall unplanned rate ${round(bench.overall_rate)})`,
          rows: bench.hospitals.map((h) => ({
            facility_npi: h.facility_npi,
            facility_name: h.facility_name,
            index_admissions: h.index_admissions,
            observed: h.observed,
            expected: round(h.expected, 2),
            oe_ratio: round(h.oe_ratio, 3),
            oe_95: h.oe_lower_95 === null ? null : `${round(h.oe_lower_95, 2)}-${round(h.oe_upper_95, 2)}`,
            risk_adjusted_rate: round(h.risk_adjusted_rate),
            flag: h.flag,
          })),
        },
        {
          title: 'By payer',
          rows: payers.map((r) => ({ ...r })),
          columns: ['payer', 'payer_type', ...measures],
        },
        {
          title: 'Monthly trend (index discharge month)',
          rows: trend.map((r) => ({ ...r })),
          columns: ['month', ...measures],
        },
        {
          title: 'Patients by risk tier (discharged in the 12 months before the end of the data)',
          rows: tiers.map((t) => ({
            ...t,
            mean_score: round(t.mean_score, 1),
            readmission_rate: round(t.readmission_rate),
          })),
        },
        {
          title: `Intervention ROI for the ${roi.baseline.target_tier}-risk tier (${round(roi.baseline.discharges_annual, 1)} discharges and ${round(roi.baseline.readmissions_annual, 1)} unplanned readmissions a year; ${config.readmissions.roi.draws} draws, seed ${config.readmissions.roi.seed})`,
          rows: roi.interventions.map((r) => ({
            intervention: r.label,
            enrollees: round(r.enrollees, 1),
            program_cost: round(r.program_cost, 0),
            effect: `${r.effect_low}/${r.effect_base}/${r.effect_high}`,
            base_averted: round(r.base_averted_readmissions, 2),
            base_net_savings: round(r.base_net_savings, 0),
            base_roi: round(r.base_roi, 2),
            net_savings_median: round(r.net_savings.median, 0),
            net_savings_90: `${round(r.net_savings.p05, 0)}..${round(r.net_savings.p95, 0)}`,
            roi_median: r.roi ? round(r.roi.median, 2) : null,
            roi_90: r.roi ? `${round(r.roi.p05, 2)}..${round(r.roi.p95, 2)}` : null,
            p_net_positive: round(r.probability_net_positive, 3),
          })),
        },
      ],
      notes: [
        'Index admissions follow the CMS Hospital-Wide Readmission logic as far as claims allow: acute stays (type of bill 11x) chained across transfers and adjacent days; adults discharged alive, not against medical advice, not transferred out, no psychiatric, rehabilitation, medical cancer or obstetric principal diagnosis, with 30 days of follow-up in the data and enrollment.',
        'Unplanned: the first readmission within 30 days is not planned under the CMS Planned Readmission Algorithm v4 (a documented subset of its value sets; MS-DRG proxies when claims carry no ICD-10-PCS). A planned first readmission means no unplanned outcome.',
        'Potentially preventable is a proxy, not a clinical judgment: an unplanned readmission whose admitting diagnosis is an AHRQ PQI ambulatory care sensitive condition, or with no follow-up visit within 7 days of discharge before it.',
        `Expected readmissions: L2 logistic model (lambda ${cfg.benchmark.l2}) on all index admissions with age band, sex, chronic conditions and prior admissions, never the hospital; O:E intervals by Byar's approximation to the Poisson interval on O with E fixed; risk-adjusted rate = O:E x overall rate.`,
        `Risk score: sum of configured points (age, area deprivation, chronic conditions, admissions and ED visits in 12 months); tiers low < ${cfg.riskScore.tiers.mediumFrom} <= medium < ${cfg.riskScore.tiers.highFrom} <= high.`,
        'ROI: base case = baseline readmissions x enrollment x base effect x mean readmission cost - enrollees x cost per enrollee; ROI = net / cost. The Monte Carlo median and 5th-95th percentiles carry the uncertainty of effect, readmission counts and cost. Effects are from published studies (see config sources); program costs are planning assumptions.',
      ],
    };
  },
};
