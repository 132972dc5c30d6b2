// What each KPI domain needs from the source, and what it shows when the loaded source lacks it:
// the metric is null ("not available"), never a zero, and the result says why (docs/sources/README.md).
import type { Warehouse } from '../engine/duckdb.ts';
import { SOURCE_GAP_TABLE } from '../input/quarantine.ts';
import { type Capability, isCapability, type SourceGap } from '../sources/adapter.ts';
import type { KpiResult } from './kpi.ts';

export interface DomainNeeds {
  /** Without these the domain has nothing to show. */
  domain?: Capability[];
  /** Headline keys and section columns (same name in both) that need a capability. */
  metrics?: Record<string, Capability[]>;
  /** Sections (by title prefix) that need a capability; they are dropped when it is missing. */
  sections?: Record<string, Capability[]>;
}

const DENIAL_RATES = [
  'initial_denial_rate_pct',
  'initial_denial_rate_dollars_pct',
  'final_denial_rate_pct',
  'denial_rate_pct',
  'denial_rate_change',
  'clean_claim_rate_pct',
  'denial_write_off_pct',
  'initial_denied_lines',
  'initial_denied_charges',
];

function each(names: string[], needs: Capability[]): Record<string, Capability[]> {
  return Object.fromEntries(names.map((n) => [n, needs]));
}

/** The needs of each domain of src/services/domains.ts. Domains not listed need nothing beyond claims and eligibility. */
export const KPI_NEEDS: Record<string, DomainNeeds> = {
  denials: {
    domain: ['claim_status'],
    metrics: each(['preventable_share_pct', 'preventable_revenue_at_risk'], ['adjustment_reasons']),
    sections: {
      'Initial denials by root cause': ['adjustment_reasons'],
      'Top 15 CARCs': ['adjustment_reasons'],
    },
  },
  payers: {
    metrics: {
      ...each(['denial_rate_pct', 'denial_rate_change'], ['claim_status']),
      // The scorecard counts payments by the claim's paid date.
      ...each(
        [
          'avg_days_to_pay',
          'median_days_to_pay',
          'avg_days_to_pay_change',
          'payments',
          'prev_payments',
          'payments_change_pct',
        ],
        ['paid_dates'],
      ),
      ...each(['charges'], ['charge_amounts']),
      ...each(
        ['expected_payment', 'net_variance', 'variance_pct', 'variance_pct_change'],
        ['allowed_amounts'],
      ),
    },
  },
  rcm: {
    domain: ['payments'],
    metrics: {
      ...each(DENIAL_RATES, ['claim_status']),
      ...each(['ar_total', 'days_in_ar', 'aged_over_90_pct'], ['paid_dates']),
      ...each(
        ['gross_collection_rate_pct', 'net_collection_rate_pct', 'contractual_write_off_pct'],
        ['charge_amounts'],
      ),
    },
    sections: {
      'Days to pay': ['paid_dates'],
      'Underpayment against expected payment': ['allowed_amounts'],
      'A/R aging': ['paid_dates'],
      'A/R summary': ['paid_dates'],
    },
  },
  patients: { domain: ['payments', 'patient_responsibility'] },
  adherence: { domain: ['pharmacy_claims', 'ndc_codes'] },
  // The planned-readmission algorithm (CMS HWR v4) and PQI read ICD-10 diagnoses and procedures:
  // without them every readmission would count as unplanned, so only all-cause rates are shown.
  readmissions: {
    metrics: each(
      [
        'preventable_share',
        'preventable_readmission_paid',
        'preventable_readmissions',
        // The risk tiers' readmission_rate is their unplanned rate.
        'readmission_rate',
        'readmission_rate_unplanned',
        'readmissions_unplanned',
        'unplanned_readmission_paid',
        'unplanned_readmissions_12m',
      ],
      ['icd10_diagnoses'],
    ),
    sections: {
      'Index diagnoses with the most preventable readmissions': ['icd10_diagnoses'],
      'Hospital benchmark': ['facility_npi', 'icd10_diagnoses'],
      'Intervention ROI': ['icd10_diagnoses'],
    },
  },
  cost: {
    metrics: each(['allowed', 'pmpm_allowed'], ['allowed_amounts']),
    sections: {
      'Top conditions by cohort': ['icd10_diagnoses'],
      'Top diagnosis categories by cohort': ['icd10_diagnoses'],
    },
  },
  providers: { domain: ['provider_npi'] },
};

/** The gaps recorded by the loads of this warehouse (none for canonical files or an older warehouse). */
export async function sourceGaps(wh: Warehouse): Promise<SourceGap[]> {
  if (!(await wh.tableExists('input', 'source_gap'))) return [];
  const rows = await wh.all<{ capability: string; reason: string }>(
    `SELECT capability, min(reason) AS reason FROM ${SOURCE_GAP_TABLE} GROUP BY capability ORDER BY capability`,
  );
  return rows.flatMap((r) =>
    isCapability(r.capability) ? [{ capability: r.capability, reason: r.reason }] : [],
  );
}

/**
 * The capabilities a whole domain lacks: when any is missing the domain is not run at all (its marts
 * may not even exist for such a source) and shows only why.
 */
export function domainGaps(domain: string, gaps: readonly SourceGap[]): Unavailable[] {
  const needs = KPI_NEEDS[domain]?.domain ?? [];
  return gaps
    .filter((g) => needs.includes(g.capability))
    .map((g) => ({ capability: g.capability, reason: g.reason, affects: ['*'] }));
}

/** The note that says why something is not shown. */
export function unavailableNote(u: Unavailable): string {
  return (
    `Not available from this source (${u.capability}): ${u.reason}. ` +
    (u.affects[0] === '*' ? 'The domain has nothing to show.' : `Affects: ${u.affects.join(', ')}.`)
  );
}

/** One capability the result could not use, and what it took out. */
export interface Unavailable {
  capability: Capability;
  reason: string;
  /** Headline metrics, columns or section titles set to not available; ['*'] for the whole domain. */
  affects: string[];
}

/**
 * Marks what a domain's result cannot honestly show given the source's gaps: some sections (dropped)
 * or some metrics (headline values and section columns become null); see domainGaps for a whole domain. Returns the result
 * with `unavailable` set and a note per gap; a result with no affected parts is returned as it was.
 */
export function applySourceGaps(result: KpiResult, gaps: readonly SourceGap[]): KpiResult {
  const needs = KPI_NEEDS[result.domain];
  if (!needs || gaps.length === 0) return result;
  const missing = new Map(gaps.map((g) => [g.capability, g.reason]));
  const lacking = (list: Capability[] | undefined) => (list ?? []).filter((c) => missing.has(c));
  const unavailable = new Map<Capability, string[]>();
  const mark = (caps: Capability[], what: string) => {
    for (const c of caps) unavailable.set(c, [...(unavailable.get(c) ?? []), what]);
  };
  const nulled = new Set<string>();
  const shown = new Set([
    ...Object.keys(result.headline),
    ...result.sections.flatMap((x) => x.columns ?? Object.keys(x.rows[0] ?? {})),
  ]);
  for (const [metric, caps] of Object.entries(needs.metrics ?? {})) {
    const gone = lacking(caps);
    if (gone.length === 0 || !shown.has(metric)) continue;
    nulled.add(metric);
    mark(gone, metric);
  }
  const headline = Object.fromEntries(
    Object.entries(result.headline).map(([k, v]) => [k, nulled.has(k) ? null : v]),
  );
  const sections = result.sections.flatMap((section) => {
    const entry = Object.entries(needs.sections ?? {}).find(([prefix]) => section.title.startsWith(prefix));
    const gone = lacking(entry?.[1]);
    if (gone.length > 0) {
      mark(gone, section.title);
      return [];
    }
    const hit = (section.columns ?? Object.keys(section.rows[0] ?? {})).filter((c) => nulled.has(c));
    if (hit.length === 0) return [section];
    return [
      {
        ...section,
        rows: section.rows.map((row) => ({ ...row, ...Object.fromEntries(hit.map((c) => [c, null])) })),
      },
    ];
  });
  if (unavailable.size === 0) return result;
  const list: Unavailable[] = [...unavailable].map(([capability, affects]) => ({
    capability,
    reason: missing.get(capability)!,
    affects: [...new Set(affects)],
  }));
  return {
    ...result,
    headline,
    sections,
    unavailable: list,
    notes: [...list.map(unavailableNote), ...result.notes],
  };
}
