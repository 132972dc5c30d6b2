// Patient financial services (seed 002): balances after insurance with payment history per person at
// any as-of date, and financial-assistance screening against the HHS poverty guidelines with the
// configured policy tiers; unknown income is reported as unknown, never guessed. See docs/marts/patients.md.
import type { DuckDBValue } from '@duckdb/node-api';
import type { Config } from '../config.ts';
import type { Warehouse } from '../engine/duckdb.ts';
import { andMember, dollarBinder, type MemberFilters } from './filters.ts';
import type { KpiDomain, KpiResult } from './kpi.ts';
import { requireModels } from './payers.ts';
import type { Period } from './period.ts';
import { dataEndDate } from './rcm.ts';
import type { FinancialAssistancePolicy } from './rcm-config.ts';

export interface PatientParams extends MemberFilters {
  asOf?: string;
  payer?: string;
  period?: Period;
}

export interface PatientScope extends MemberFilters {
  asOf: string;
  payer: string | undefined;
  /** HHS guideline year applied: the as-of year, or the nearest published year. */
  guidelineYear: number;
  asOfFromData: boolean;
  /**
   * True when nothing in the ledger is dated after the as-of date and no payer is asked for: the
   * accounts are then read from marts.patient_account (built at the end of the data) instead of
   * being summed from the ledger.
   */
  wholeLedger: boolean;
}

export type AssistanceTier = 'free_care' | 'sliding_discount' | 'none' | 'unknown';

/** One person's account at the as-of date with the financial-assistance screen. */
export interface PatientAccountRow {
  person_id: string;
  payer_type: string | null;
  state: string | null;
  billed: number;
  paid: number;
  open_balance: number;
  claims_billed: number;
  first_billed_date: string | null;
  last_billed_date: string | null;
  payments: number;
  last_payment_date: string | null;
  days_since_last_payment: number | null;
  household_size: number | null;
  household_income: number | null;
  guideline_amount: number | null;
  fpl_pct: number | null;
  assistance_tier: AssistanceTier;
  /** Why the tier is unknown: no household income, no household size, no guideline region, not in eligibility. */
  unknown_reason: string | null;
}

export interface PatientSummary {
  persons_billed: number;
  persons_with_open_balance: number;
  billed: number;
  paid: number;
  open_balance: number;
  /** paid / billed x 100. */
  patient_collection_rate_pct: number | null;
  /** Persons with an open balance whose last payment (or, never paying, whose first bill) is more than 120 days old. */
  persons_no_payment_120d: number;
}

export interface TierRow {
  assistance_tier: AssistanceTier;
  persons: number;
  persons_with_open_balance: number;
  billed: number;
  paid: number;
  open_balance: number;
}

const MARTS = ['marts.patient_ledger', 'marts.patient_account', 'intermediate.rcm_person_fpl'];

/** The as-of date (given, else the end of the period, else the data end) and the guideline year it uses. */
export async function patientScope(wh: Warehouse, params: PatientParams): Promise<PatientScope> {
  await requireModels(wh, MARTS);
  const asOf = params.asOf ?? params.period?.to ?? (await dataEndDate(wh));
  const years = await wh.one<{ first: number | null; last: number | null; ledger_end: string | null }>(
    `SELECT min(guideline_year) AS first, max(guideline_year) AS last,
       (SELECT max(greatest(last_billed_date, last_payment_date)) FROM marts.patient_account) AS ledger_end
     FROM intermediate.rcm_person_fpl`,
  );
  const year = Number(asOf.slice(0, 4));
  const guidelineYear =
    years?.first == null || years.last == null ? year : Math.min(Math.max(year, years.first), years.last);
  return {
    asOf,
    payer: params.payer,
    plan: params.plan,
    state: params.state,
    guidelineYear,
    asOfFromData: params.asOf === undefined && params.period === undefined,
    // A payer or plan keeps only its claims' rows, so the accounts are summed from the ledger.
    wholeLedger:
      params.payer === undefined &&
      params.plan === undefined &&
      (years?.ledger_end == null || years.ledger_end <= asOf),
  };
}

/**
 * The per-person SQL at the as-of date: ledger sums, payment history and the tier of the policy.
 * $1 as-of, $2 guideline year, $3 free-care limit, $4 discount limit, $5 payer (optional).
 */
function personSql(
  scope: PatientScope,
  policy: FinancialAssistancePolicy,
): { sql: string; args: DuckDBValue[] } {
  const args: DuckDBValue[] = [
    scope.asOf,
    scope.guidelineYear,
    policy.freeCareMaxFplPct,
    policy.discountMaxFplPct,
  ];
  let payer = '';
  if (scope.payer !== undefined) {
    args.push(scope.payer);
    payer = ' AND payer = $5';
  }
  // Plan: the ledger rows of the plan's claims; state: the persons living there (filters.ts). The
  // account mart has no plan, so a plan filter always sums the ledger (wholeLedger is false).
  const member = andMember(scope, { plan: 'plan', person: 'person_id' }, dollarBinder(args));
  // The same columns from the ledger summed to the as-of date, or from the account mart when the
  // as-of date is past everything in the ledger.
  const accounts = scope.wholeLedger
    ? `
    SELECT
      person_id,
      CAST(billed_amount AS DOUBLE PRECISION) AS billed,
      CAST(paid_amount AS DOUBLE PRECISION) AS paid,
      CAST(claims_billed AS BIGINT) AS claims_billed,
      first_billed_date,
      last_billed_date,
      CAST(payments AS BIGINT) AS payments,
      last_payment_date
    FROM marts.patient_account
    WHERE TRUE${member}`
    : `
    SELECT
      person_id,
      round(CAST(sum(billed_amount) AS DOUBLE PRECISION), 2) AS billed,
      round(CAST(sum(paid_amount) AS DOUBLE PRECISION), 2) AS paid,
      CAST(count(*) FILTER (WHERE billed_amount <> 0) AS BIGINT) AS claims_billed,
      min(event_date) FILTER (WHERE billed_amount <> 0) AS first_billed_date,
      max(event_date) FILTER (WHERE billed_amount <> 0) AS last_billed_date,
      CAST(sum(payments) AS BIGINT) AS payments,
      max(event_date) FILTER (WHERE payments > 0) AS last_payment_date
    FROM marts.patient_ledger
    WHERE event_date <= CAST($1 AS DATE)${payer}${member}
    GROUP BY person_id`;
  // The tier compares income x 100 with limit x guideline, so a household exactly at a limit lands in
  // the more generous tier without rounding of a percentage deciding it.
  const sql = `
person AS (
  SELECT
    a.*,
    round(a.billed - a.paid, 2) AS open_balance,
    CAST($1 AS DATE) - a.last_payment_date AS days_since_last_payment,
    pa.payer_type,
    pa.state,
    f.household_size,
    CAST(f.household_income AS DOUBLE PRECISION) AS household_income,
    f.guideline_amount,
    f.fpl_pct,
    CASE
      WHEN f.fpl_pct IS NULL THEN 'unknown'
      WHEN f.household_income * 100 <= $3 * f.guideline_amount THEN 'free_care'
      WHEN f.household_income * 100 <= $4 * f.guideline_amount THEN 'sliding_discount'
      ELSE 'none'
    END AS assistance_tier,
    CASE WHEN f.person_id IS NULL THEN 'not in eligibility' ELSE f.unknown_reason END AS unknown_reason
  FROM (${accounts}
  ) AS a
  LEFT JOIN marts.patient_account AS pa ON pa.person_id = a.person_id
  LEFT JOIN intermediate.rcm_person_fpl AS f ON f.person_id = a.person_id AND f.guideline_year = $2
)`;
  return { sql, args };
}

/**
 * Persons' accounts at the as-of date, largest open balance first; `personId` picks one person.
 *
 * @example await patientAccounts(wh, await patientScope(wh, {}), config.rcm.financialAssistance, { limit: 10 })
 */
export async function patientAccounts(
  wh: Warehouse,
  scope: PatientScope,
  policy: FinancialAssistancePolicy,
  options: { limit?: number; personId?: string } = {},
): Promise<PatientAccountRow[]> {
  const p = personSql(scope, policy);
  const args = [...p.args];
  let where = '';
  if (options.personId !== undefined) {
    args.push(options.personId);
    where = ` WHERE person_id = $${args.length}`;
  }
  const limit = options.limit === undefined ? '' : ` LIMIT ${Math.max(0, Math.floor(options.limit))}`;
  return wh.all<PatientAccountRow>(
    `WITH ${p.sql}
SELECT person_id, payer_type, state, billed, paid, open_balance, claims_billed, first_billed_date, last_billed_date,
  payments, last_payment_date, days_since_last_payment, household_size, household_income, guideline_amount, fpl_pct,
  assistance_tier, unknown_reason
FROM person${where}
ORDER BY open_balance DESC, person_id${limit}`,
    args,
  );
}

export interface PatientOverview {
  summary: PatientSummary;
  tiers: TierRow[];
  reasons: { unknown_reason: string; persons: number; open_balance: number }[];
  bands: { balance_band: string; persons: number; open_balance: number }[];
}

const TIERS: readonly AssistanceTier[] = ['free_care', 'sliding_discount', 'none', 'unknown'];

/** Open-balance bands, upper bounds included: (low, high]. */
export const BALANCE_BANDS: readonly { band: string; high: number }[] = [
  { band: 'credit or zero', high: 0 },
  { band: '0-100', high: 100 },
  { band: '100-500', high: 500 },
  { band: '500-1,000', high: 1000 },
  { band: '1,000-5,000', high: 5000 },
  { band: 'over 5,000', high: Number.POSITIVE_INFINITY },
];

/**
 * Totals, tiers, unknown reasons and balance bands over all persons billed up to the as-of date,
 * from one pass over the ledger (GROUPING SETS), every tier and band listed even when empty.
 */
export async function patientOverview(
  wh: Warehouse,
  scope: PatientScope,
  policy: FinancialAssistancePolicy,
): Promise<PatientOverview> {
  const p = personSql(scope, policy);
  const band = `CASE ${BALANCE_BANDS.filter((b) => Number.isFinite(b.high))
    .map((b) => `WHEN open_balance <= ${b.high} THEN '${b.band}'`)
    .join(' ')} ELSE '${BALANCE_BANDS[BALANCE_BANDS.length - 1]!.band}' END`;
  const rows = await wh.all<{
    grouping_set: 'total' | 'tier' | 'reason' | 'band';
    assistance_tier: AssistanceTier | null;
    unknown_reason: string | null;
    balance_band: string | null;
    persons: number;
    persons_billed: number;
    persons_with_open_balance: number;
    billed: number;
    paid: number;
    open_balance: number;
    persons_no_payment_120d: number;
  }>(
    `WITH ${p.sql},
banded AS (SELECT *, ${band} AS balance_band FROM person)
SELECT
  CASE
    WHEN GROUPING(assistance_tier) = 0 THEN 'tier'
    WHEN GROUPING(unknown_reason) = 0 THEN 'reason'
    WHEN GROUPING(balance_band) = 0 THEN 'band'
    ELSE 'total'
  END AS grouping_set,
  assistance_tier,
  unknown_reason,
  balance_band,
  count(*) AS persons,
  count(*) FILTER (WHERE claims_billed > 0) AS persons_billed,
  count(*) FILTER (WHERE open_balance > 0) AS persons_with_open_balance,
  round(coalesce(sum(billed), 0), 2) AS billed,
  round(coalesce(sum(paid), 0), 2) AS paid,
  round(coalesce(sum(open_balance), 0), 2) AS open_balance,
  count(*) FILTER (
    WHERE open_balance > 0 AND CAST($1 AS DATE) - coalesce(last_payment_date, first_billed_date) > 120
  ) AS persons_no_payment_120d
FROM banded
GROUP BY GROUPING SETS ((), (assistance_tier), (unknown_reason), (balance_band))`,
    p.args,
  );
  const total = rows.find((r) => r.grouping_set === 'total');
  const summary: PatientSummary = {
    persons_billed: total?.persons_billed ?? 0,
    persons_with_open_balance: total?.persons_with_open_balance ?? 0,
    billed: total?.billed ?? 0,
    paid: total?.paid ?? 0,
    open_balance: total?.open_balance ?? 0,
    patient_collection_rate_pct:
      total && total.billed > 0 ? Math.round((10000 * total.paid) / total.billed) / 100 : null,
    persons_no_payment_120d: total?.persons_no_payment_120d ?? 0,
  };
  const tiers = TIERS.map((t) => {
    const r = rows.find((x) => x.grouping_set === 'tier' && x.assistance_tier === t);
    return {
      assistance_tier: t,
      persons: r?.persons ?? 0,
      persons_with_open_balance: r?.persons_with_open_balance ?? 0,
      billed: r?.billed ?? 0,
      paid: r?.paid ?? 0,
      open_balance: r?.open_balance ?? 0,
    };
  });
  const reasons = rows
    .filter((r) => r.grouping_set === 'reason' && r.unknown_reason !== null)
    .map((r) => ({ unknown_reason: r.unknown_reason!, persons: r.persons, open_balance: r.open_balance }))
    .sort((a, b) => b.persons - a.persons || a.unknown_reason.localeCompare(b.unknown_reason));
  const bands = BALANCE_BANDS.map(({ band: b }) => {
    const r = rows.find((x) => x.grouping_set === 'band' && x.balance_band === b);
    return { balance_band: b, persons: r?.persons ?? 0, open_balance: r?.open_balance ?? 0 };
  });
  return { summary, tiers, reasons, bands };
}

/** Totals over all persons billed up to the as-of date. */
export async function patientSummary(
  wh: Warehouse,
  scope: PatientScope,
  policy: FinancialAssistancePolicy,
): Promise<PatientSummary> {
  return (await patientOverview(wh, scope, policy)).summary;
}

/** Persons and balances by financial-assistance tier (every tier listed, empty ones with zeros). */
export async function assistanceByTier(
  wh: Warehouse,
  scope: PatientScope,
  policy: FinancialAssistancePolicy,
): Promise<TierRow[]> {
  return (await patientOverview(wh, scope, policy)).tiers;
}

const TOP_BALANCES = 10;

export const patientsDomain: KpiDomain = {
  name: 'patients',
  description:
    'Patient balances after insurance with payment history, and financial-assistance screening by percent of the HHS poverty guideline',
  async run(wh, params, config: Config): Promise<KpiResult> {
    const policy = config.rcm.financialAssistance;
    const scope = await patientScope(wh, params);
    const { summary, tiers, reasons, bands } = await patientOverview(wh, scope, policy);
    const top = await patientAccounts(wh, scope, policy, { limit: TOP_BALANCES });
    const tier = (t: AssistanceTier) => tiers.find((r) => r.assistance_tier === t);
    const notes = [
      `As of ${scope.asOf}${scope.asOfFromData ? ' (the latest remittance or payment date in the data; --as-of to change)' : ''}: everything billed to patients and paid by them up to that date.`,
      'Billed to the patient = patient responsibility after insurance: the PR adjustments of the 835 remittances (deductible, coinsurance, copay...), or the member cost share of lines without remittance (self-pay); reversed lines left out. Paid = patient payments (input.payment, payment_source patient), including payments on account. Open balance = billed - paid.',
      `Financial-assistance screen: household income (latest eligibility span) as a percent of the ${scope.guidelineYear} HHS poverty guideline for the household size (sizes above 8 add the per-person amount) and region (Alaska and Hawaii have their own). Tiers: free care at or below ${policy.freeCareMaxFplPct}% FPL, sliding discount at or below ${policy.discountMaxFplPct}%, none above (rcm.financialAssistance). Members without income, household size or a guideline region are unknown, never guessed.`,
    ];
    if (String(scope.guidelineYear) !== scope.asOf.slice(0, 4)) {
      notes.push(
        `No HHS guideline for ${scope.asOf.slice(0, 4)} is shipped: the nearest published year, ${scope.guidelineYear}, is used.`,
      );
    }
    if (scope.payer !== undefined)
      notes.push(
        `Payer ${scope.payer}: bills and payments of its claims only (payments on account left out).`,
      );
    if (scope.plan !== undefined)
      notes.push(`Plan ${scope.plan}: bills and payments of its claims only (payments on account left out).`);
    return {
      domain: 'patients',
      period: params.period,
      payer: params.payer,
      headline: {
        as_of: scope.asOf,
        guideline_year: String(scope.guidelineYear),
        persons_billed: summary.persons_billed,
        persons_with_open_balance: summary.persons_with_open_balance,
        billed: summary.billed,
        paid: summary.paid,
        open_balance: summary.open_balance,
        patient_collection_rate_pct: summary.patient_collection_rate_pct,
        persons_no_payment_120d: summary.persons_no_payment_120d,
        persons_free_care: tier('free_care')?.persons ?? 0,
        persons_sliding_discount: tier('sliding_discount')?.persons ?? 0,
        persons_unknown_income: tier('unknown')?.persons ?? 0,
        open_balance_free_care: tier('free_care')?.open_balance ?? 0,
      },
      headlineCounts: [
        'persons_billed',
        'persons_with_open_balance',
        'persons_no_payment_120d',
        'persons_free_care',
        'persons_sliding_discount',
        'persons_unknown_income',
      ],
      sections: [
        {
          title: 'Financial-assistance screen by tier',
          rows: tiers.map((r) => ({ ...r })),
          columns: [
            'assistance_tier',
            'persons',
            'persons_with_open_balance',
            'billed',
            'paid',
            'open_balance',
          ],
          countColumns: ['persons', 'persons_with_open_balance'],
        },
        {
          title: 'Unknown screening: reasons',
          rows: reasons.map((r) => ({ ...r })),
          columns: ['unknown_reason', 'persons', 'open_balance'],
          countColumns: ['persons'],
        },
        {
          title: 'Open balance distribution',
          rows: bands.map((r) => ({ ...r })),
          columns: ['balance_band', 'persons', 'open_balance'],
          countColumns: ['persons'],
        },
        {
          title: `Largest open balances (top ${TOP_BALANCES})`,
          rows: top.map((r) => ({ ...r })),
          columns: [
            'person_id',
            'open_balance',
            'billed',
            'paid',
            'payments',
            'last_payment_date',
            'days_since_last_payment',
            'fpl_pct',
            'assistance_tier',
          ],
          memberLevel: true,
        },
      ],
      notes,
    };
  },
};
