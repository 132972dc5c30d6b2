// Medication adherence services (seed 001): PQA proportion of days covered (PDC) by drug class,
// payer and prescriber for a calendar measurement year, and the members with the largest gaps.
// Definitions in docs/marts/adherence.md; the CLI, API and dashboard call these same functions.
import type { DuckDBValue } from '@duckdb/node-api';
import type { Warehouse } from '../engine/duckdb.ts';
import { ClaimlensError, UsageError } from '../errors.ts';
import { type MemberFilters, memberConditions, questionBinder } from './filters.ts';
import type { KpiDomain, KpiResult } from './kpi.ts';
import type { Period } from './period.ts';

/** The PQA adherence threshold for statins, RAS antagonists and non-insulin diabetes drugs. */
export const PDC_THRESHOLD = 0.8;

export const PDC_CLASSES = ['statins', 'ras_antagonists', 'diabetes_non_insulin'] as const;
export type PdcClass = (typeof PDC_CLASSES)[number];

const MEMBER_MART = 'marts.adherence_member_class';

export interface AdherenceParams extends MemberFilters {
  /** Calendar measurement year; the latest year with measured members when absent. */
  year?: number;
  payer?: string;
}

export interface AdherenceMeasures {
  members_with_fills: number;
  members_measured: number;
  adherent_members: number;
  /** adherent / measured members. */
  adherent_rate: number | null;
  mean_pdc: number | null;
  median_pdc: number | null;
  mean_gap_days: number | null;
}

export interface ClassRow extends AdherenceMeasures {
  pdc_class: string;
}

export interface AdherenceSummary {
  year: number;
  payer: string | undefined;
  /** Distinct members measured in at least one class. */
  members_measured: number;
  /** Distinct members adherent in every class they are measured in. */
  members_adherent_all_classes: number;
  classes: ClassRow[];
}

export interface PayerClassRow extends AdherenceMeasures {
  payer: string;
  pdc_class: string;
}

export interface PrescriberRow extends AdherenceMeasures {
  prescriber_npi: string;
  prescriber_name: string | null;
  specialty: string | null;
  pdc_class: string;
}

export interface GapRow {
  person_id: string;
  pdc_class: string;
  index_prescription_start_date: string;
  treatment_days: number;
  covered_days: number;
  gap_days: number;
  pdc: number;
  fills: number;
  prescriber_npi: string | null;
  payer: string | null;
}

const MEASURES_SQL = `
  count(*) AS members_with_fills,
  count(*) FILTER (WHERE measured) AS members_measured,
  count(*) FILTER (WHERE adherent) AS adherent_members,
  count(*) FILTER (WHERE adherent) / nullif(count(*) FILTER (WHERE measured), 0) AS adherent_rate,
  avg(pdc) FILTER (WHERE measured) AS mean_pdc,
  percentile_cont(0.5) WITHIN GROUP (ORDER BY pdc) FILTER (WHERE measured) AS median_pdc,
  avg(gap_days) FILTER (WHERE measured) AS mean_gap_days`;

async function requireMart(wh: Warehouse): Promise<void> {
  if (!(await wh.tableExists('marts', 'adherence_member_class'))) {
    throw new ClaimlensError(
      'warehouse',
      `the warehouse has no ${MEMBER_MART}: run \`claimlens build\` first`,
    );
  }
}

/**
 * The measurement year of a KPI period: PDC is measured per calendar year, so a period must be one
 * whole year (`--period 2024`); without a period, the latest year with measured members.
 */
export async function measurementYear(wh: Warehouse, period: Period | undefined): Promise<number> {
  await requireMart(wh);
  if (period !== undefined) {
    const y = Number(period.from.slice(0, 4));
    if (period.from !== `${y}-01-01` || period.to !== `${y}-12-31`) {
      throw new UsageError(
        `adherence (PDC) is measured per calendar year: give --period YYYY (got ${period.label})`,
      );
    }
    return y;
  }
  const row = await wh.one<{ y: number | null }>(
    `SELECT max(measurement_year) AS y FROM ${MEMBER_MART} WHERE measured`,
  );
  if (row?.y === null || row?.y === undefined) {
    throw new UsageError(
      'no member is measured for PDC: load pharmacy claims with NDCs of the PQA classes (codes.ndc_drug_class) and run `claimlens build`',
    );
  }
  return row.y;
}

function scope(year: number, params: AdherenceParams, alias = ''): { sql: string; args: DuckDBValue[] } {
  const parts = [`${alias}measurement_year = ?`];
  const args: DuckDBValue[] = [year];
  if (params.payer !== undefined) {
    parts.push(`${alias}payer = ?`);
    args.push(params.payer);
  }
  // Plan of the index prescription (as payer is); state of the member (filters.ts).
  parts.push(
    ...memberConditions(params, { plan: `${alias}plan`, person: `${alias}person_id` }, questionBinder(args)),
  );
  return { sql: parts.join(' AND '), args };
}

async function resolveYear(wh: Warehouse, params: AdherenceParams): Promise<number> {
  await requireMart(wh);
  return params.year ?? measurementYear(wh, undefined);
}

/**
 * Members measured, mean and median PDC and the share adherent (PDC >= 0.80) per PQA class for a
 * measurement year and payer; every class appears, with zeros when nobody filled it.
 *
 * @example await adherenceSummary(wh, { year: 2024 })
 */
export async function adherenceSummary(
  wh: Warehouse,
  params: AdherenceParams = {},
): Promise<AdherenceSummary> {
  const year = await resolveYear(wh, params);
  const f = scope(year, params);
  const rows = await wh.all<ClassRow>(
    `SELECT pdc_class, ${MEASURES_SQL} FROM ${MEMBER_MART} WHERE ${f.sql} GROUP BY pdc_class`,
    f.args,
  );
  const members = (await wh.one<{ measured: number; adherent: number }>(
    `SELECT count(*) AS measured, count(*) FILTER (WHERE all_adherent) AS adherent
     FROM (SELECT person_id, bool_and(adherent) AS all_adherent FROM ${MEMBER_MART}
           WHERE ${f.sql} AND measured GROUP BY person_id) AS member_adherence`,
    f.args,
  ))!;
  const classes = PDC_CLASSES.map(
    (c) =>
      rows.find((r) => r.pdc_class === c) ?? {
        pdc_class: c,
        members_with_fills: 0,
        members_measured: 0,
        adherent_members: 0,
        adherent_rate: null,
        mean_pdc: null,
        median_pdc: null,
        mean_gap_days: null,
      },
  );
  return {
    year,
    payer: params.payer,
    members_measured: members.measured,
    members_adherent_all_classes: members.adherent,
    classes,
  };
}

/** PDC measures per payer (of the index prescription) and class. */
export async function adherenceByPayer(
  wh: Warehouse,
  params: AdherenceParams = {},
): Promise<PayerClassRow[]> {
  const year = await resolveYear(wh, params);
  const f = scope(year, params);
  return wh.all<PayerClassRow>(
    `SELECT coalesce(payer, 'unknown') AS payer, pdc_class, ${MEASURES_SQL}
     FROM ${MEMBER_MART} WHERE ${f.sql} GROUP BY 1, 2 ORDER BY 1, 2`,
    f.args,
  );
}

/**
 * PDC measures per prescriber of the index prescriptions and class, lowest adherence first, among
 * prescribers with at least `minMembers` measured members (small panels say little).
 */
export async function adherenceByPrescriber(
  wh: Warehouse,
  params: AdherenceParams & { minMembers?: number; limit?: number } = {},
): Promise<PrescriberRow[]> {
  const year = await resolveYear(wh, params);
  const f = scope(year, params, 'm.');
  const min = Math.max(1, Math.trunc(params.minMembers ?? 1));
  return wh.all<PrescriberRow>(
    `SELECT coalesce(m.prescriber_npi, 'unknown') AS prescriber_npi, min(p.provider_name) AS prescriber_name,
            min(p.specialty) AS specialty, m.pdc_class, ${MEASURES_SQL}
     FROM ${MEMBER_MART} AS m LEFT JOIN staging.provider AS p ON p.npi = m.prescriber_npi
     WHERE ${f.sql}
     GROUP BY 1, 4
     HAVING count(*) FILTER (WHERE measured) >= ${min}
     ORDER BY adherent_rate ASC NULLS LAST, members_measured DESC, 1, 4
     ${params.limit ? `LIMIT ${Math.trunc(params.limit)}` : ''}`,
    f.args,
  );
}

/** Measured members below the threshold, largest gap (days without medication on hand) first. */
export async function adherenceGaps(
  wh: Warehouse,
  params: AdherenceParams & { pdcClass?: PdcClass; limit?: number } = {},
): Promise<GapRow[]> {
  const year = await resolveYear(wh, params);
  const f = scope(year, params);
  const args = [...f.args];
  let cls = '';
  if (params.pdcClass !== undefined) {
    cls = ' AND pdc_class = ?';
    args.push(params.pdcClass);
  }
  return wh.all<GapRow>(
    `SELECT person_id, pdc_class, index_prescription_start_date, treatment_days, covered_days, gap_days, pdc,
            fills, prescriber_npi, payer
     FROM ${MEMBER_MART}
     WHERE ${f.sql}${cls} AND measured AND NOT adherent
     ORDER BY gap_days DESC, person_id, pdc_class
     ${params.limit ? `LIMIT ${Math.trunc(params.limit)}` : ''}`,
    args,
  );
}

const round = (x: number | null, digits = 4) =>
  x === null ? null : Math.round(x * 10 ** digits) / 10 ** digits;

export const adherenceDomain: KpiDomain = {
  name: 'adherence',
  description: 'PQA proportion of days covered (PDC) by drug class, payer and prescriber; adherence gaps',
  async run(wh, params): Promise<KpiResult> {
    const year = await measurementYear(wh, params.period);
    const p: AdherenceParams = { year, payer: params.payer, plan: params.plan, state: params.state };
    const summary = await adherenceSummary(wh, p);
    const payers = await adherenceByPayer(wh, p);
    const prescribers = await adherenceByPrescriber(wh, { ...p, minMembers: 11, limit: 10 });
    const gaps = await adherenceGaps(wh, { ...p, limit: 0 });
    const headline: Record<string, number | string | null> = {
      measurement_year: String(year),
      members_measured: summary.members_measured,
    };
    for (const c of summary.classes) {
      headline[`${c.pdc_class}_members_measured`] = c.members_measured;
      headline[`${c.pdc_class}_mean_pdc`] = round(c.mean_pdc);
      headline[`${c.pdc_class}_pct_adherent`] =
        c.adherent_rate === null ? null : round(c.adherent_rate * 100, 1);
    }
    const measures = [
      'members_measured',
      'adherent_members',
      'adherent_rate',
      'mean_pdc',
      'median_pdc',
      'mean_gap_days',
    ];
    return {
      domain: 'adherence',
      period: params.period,
      payer: params.payer,
      headline,
      sections: [
        {
          title: `PDC by drug class (${year})`,
          rows: summary.classes.map((c) => ({ ...c })),
          columns: ['pdc_class', 'members_with_fills', ...measures],
        },
        {
          title: 'PDC by payer of the index prescription',
          rows: payers.map((r) => ({ ...r })),
          columns: ['payer', 'pdc_class', ...measures],
        },
        {
          title: 'Prescribers with the lowest adherence (at least 11 measured members)',
          rows: prescribers.map((r) => ({ ...r })),
          columns: ['prescriber_npi', 'prescriber_name', 'specialty', 'pdc_class', ...measures],
        },
        {
          title: 'Adherence gaps: measured members below 80% by class',
          rows: PDC_CLASSES.map((c) => {
            const g = gaps.filter((r) => r.pdc_class === c);
            return {
              pdc_class: c,
              non_adherent_members: g.length,
              gap_days_total: g.reduce((a, r) => a + r.gap_days, 0),
              gap_days_mean: g.length > 0 ? round(g.reduce((a, r) => a + r.gap_days, 0) / g.length, 1) : null,
            };
          }),
        },
      ],
      notes: [
        'PDC follows the PQA specification: members with two or more fills of the class on different dates in the calendar year; treatment period from the first fill (index prescription start date) to 31 December, or to death or disenrollment; treatment periods under 91 days, members under 18, and hospice, ESRD (and insulin, for the diabetes class) excluded.',
        'Days covered: early refills of the same drug are shifted to start the day after the previous supply ends; overlapping supply of different drugs in the class counts once; supply beyond the treatment period is truncated. Adherent when PDC >= 0.80.',
        'Payer, plan and prescriber are those of the index prescription (the first fill of the year).',
      ],
    };
  },
};
