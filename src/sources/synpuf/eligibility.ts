// Beneficiary summary (one row per beneficiary and year) to eligibility spans. A year row says how
// many months of the year the beneficiary had Part A (BENE_HI_CVRAGE_TOT_MONS), Part B
// (BENE_SMI_CVRAGE_TOT_MONS), Part D (PLAN_CVRG_MOS_NUM) and Medicare Advantage (HMO,
// BENE_HMO_CVRAGE_TOT_MONS) coverage, not which months: each count becomes one span from January 1
// for that many months, cut at the death date (docs/sources/synpuf.md).
import { ident } from '../../engine/duckdb.ts';
import { cmsDate, cmsDateValue, dataSource, text } from './sql.ts';
import { ssaStatesSql } from './states.ts';

/**
 * Payers and plans of DE-SynPUF coverage. Parts A, B and D are separate payers (separate coverage with
 * its own months in the summary; Part D is run by private plan sponsors), so the spans of one payer
 * never overlap; each claim file is billed to the part that pays it.
 */
export const PART_A = { payer: 'Medicare Part A', plan: 'Part A' } as const;
export const PART_B = { payer: 'Medicare Part B', plan: 'Part B' } as const;
export const PART_D = { payer: 'Medicare Part D', plan: 'Part D' } as const;

export const COVERAGE = [
  { column: 'BENE_HI_CVRAGE_TOT_MONS', ...PART_A, payerType: 'medicare' },
  { column: 'BENE_SMI_CVRAGE_TOT_MONS', ...PART_B, payerType: 'medicare' },
  { column: 'PLAN_CVRG_MOS_NUM', ...PART_D, payerType: 'medicare' },
  {
    column: 'BENE_HMO_CVRAGE_TOT_MONS',
    payer: 'Medicare Advantage',
    plan: 'HMO',
    payerType: 'medicare_advantage',
  },
] as const;

export const BENEFICIARY_COLUMNS = [
  'DESYNPUF_ID',
  'BENE_BIRTH_DT',
  'BENE_DEATH_DT',
  'BENE_SEX_IDENT_CD',
  'BENE_RACE_CD',
  'SP_STATE_CODE',
  ...COVERAGE.map((c) => c.column),
] as const;

/**
 * One row per beneficiary, year and coverage with at least one month, from `bene` (every beneficiary
 * summary file, with `_file`, `_record` and `_year`). Columns: the eligibility contract's, plus `_file`.
 */
export function eligibilitySql(bene: string): string {
  const coverage = COVERAGE.map(
    (c, i) =>
      `SELECT _file, _record, _year, ${i + 1} AS _ord, TRY_CAST(${text(c.column)} AS INTEGER) AS months, ` +
      `'${c.payer}' AS payer, '${c.payerType}' AS payer_type, '${c.plan}' AS plan FROM ${ident(bene)}`,
  ).join(' UNION ALL ');
  return `
    WITH deceased AS (
      -- The death date is in the summary of the year of death only: every span of the person gets it.
      SELECT ${text('DESYNPUF_ID')} AS person_id, max(${cmsDateValue('BENE_DEATH_DT')}) AS death
      FROM ${ident(bene)} GROUP BY 1
    ),
    person AS (
      SELECT
        b._file, b._record, b._year,
        ${text('DESYNPUF_ID')} AS person_id,
        CASE ${text('BENE_SEX_IDENT_CD')} WHEN '1' THEN 'male' WHEN '2' THEN 'female' ELSE 'unknown' END AS gender,
        CASE ${text('BENE_RACE_CD')} WHEN '1' THEN 'white' WHEN '2' THEN 'black' WHEN '3' THEN 'other'
          WHEN '5' THEN 'hispanic' END AS race,
        ${cmsDate('BENE_BIRTH_DT')} AS birth_date,
        coalesce(strftime(d.death, '%Y-%m-%d'), ${cmsDate('BENE_DEATH_DT')}) AS death_date,
        d.death,
        s.state,
        make_date(b._year, 1, 1) AS year_start
      FROM ${ident(bene)} AS b
      LEFT JOIN deceased AS d ON d.person_id = ${text('DESYNPUF_ID')}
      LEFT JOIN ${ssaStatesSql('s')} ON s.ssa_code = lpad(${text('SP_STATE_CODE')}, 2, '0')
    ),
    coverage AS (${coverage}),
    span AS (
      SELECT
        p.*, c._ord, c.payer, c.payer_type, c.plan,
        least(last_day(p.year_start + to_months(c.months - 1)), coalesce(p.death, DATE '9999-12-31')) AS span_end
      FROM person AS p
      JOIN coverage AS c USING (_file, _record)
      WHERE c.months BETWEEN 1 AND 12
    )
    SELECT
      person_id,
      person_id AS member_id,
      gender,
      race,
      birth_date,
      death_date,
      CASE WHEN death_date IS NOT NULL THEN 'true' ELSE 'false' END AS death_flag,
      strftime(year_start, '%Y-%m-%d') AS enrollment_start_date,
      strftime(span_end, '%Y-%m-%d') AS enrollment_end_date,
      payer,
      payer_type,
      plan,
      state,
      ${dataSource()} AS data_source,
      _file,
      _record
    FROM span
    WHERE span_end >= year_start
    ORDER BY _file, _record, _ord`;
}
