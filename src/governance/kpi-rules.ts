// Suppression rules of the KPI sections that do not declare their own counts yet (cost, payers,
// providers, programs), keyed by domain and title; a section's own countColumns take precedence.
import type { Row } from '../engine/duckdb.ts';
import type { KpiResult, KpiSection } from '../services/kpi.ts';
import type { SuppressionRules } from './suppress.ts';

export interface SectionRules extends SuppressionRules {
  memberLevel?: boolean;
}

interface CatalogEntry {
  domain: string;
  /** Start of the section title (titles carry periods and dates after it). */
  title: string;
  rules: SectionRules;
}

const COHORT_CONDITIONS: SectionRules = {
  countColumns: ['members'],
  derived: ['paid', 'share_of_tier'],
  groupBy: ['tier'],
};

const PROGRAM_BASELINE_COUNTS = new Set([
  'members',
  'high_cost_cohort_members',
  'preventable_denied_claims',
  'preventable_denied_lines',
]);

const CATALOG: readonly CatalogEntry[] = [
  {
    domain: 'cost',
    title: 'PMPM by payer and plan',
    rules: {
      countColumns: ['member_months'],
      derived: ['paid', 'allowed', 'pmpm_paid', 'pmpm_allowed'],
      groupBy: ['payer'],
    },
  },
  { domain: 'cost', title: 'PMPM by service category', rules: { countColumns: [] } },
  {
    domain: 'cost',
    title: 'Spend concentration',
    rules: { countColumns: ['members'], derived: ['paid', 'share'] },
  },
  { domain: 'cost', title: 'Lorenz curve', rules: { countColumns: [] } },
  {
    domain: 'cost',
    title: 'High-cost cohorts',
    rules: { countColumns: ['members', 'member_months'], derived: ['paid', 'allowed', 'share', 'pmpm_paid'] },
  },
  { domain: 'cost', title: 'Top conditions by cohort', rules: COHORT_CONDITIONS },
  { domain: 'cost', title: 'Top diagnosis categories by cohort', rules: COHORT_CONDITIONS },
  { domain: 'cost', title: 'Service categories by cohort', rules: { countColumns: [] } },
  {
    domain: 'cost',
    title: 'Trend by month',
    rules: {
      countColumns: ['member_months', 'prior_year_member_months'],
      derived: {
        member_months: [
          'paid',
          'allowed',
          'pmpm_paid',
          'pmpm_allowed',
          'paid_yoy_change',
          'pmpm_paid_yoy_change',
        ],
        prior_year_member_months: [
          'prior_year_paid',
          'prior_year_pmpm_paid',
          'paid_yoy_change',
          'pmpm_paid_yoy_change',
        ],
      },
    },
  },
  {
    domain: 'payers',
    title: 'Payer scorecard',
    rules: {
      countColumns: ['claims', 'paid_claims', 'adjudicated_lines', 'denied_lines'],
      derived: {
        claims: [
          'charges',
          'allowed',
          'expected_payment',
          'expected_paid_amount',
          'net_variance',
          'variance_pct',
        ],
        paid_claims: ['payments', 'avg_days_to_pay', 'median_days_to_pay'],
        adjudicated_lines: ['denial_rate_pct'],
        denied_lines: ['denial_rate_pct'],
      },
    },
  },
  { domain: 'payers', title: 'Trend vs', rules: { countColumns: [] } },
  { domain: 'providers', title: 'Segment thresholds', rules: { countColumns: [] } },
  // Counts of providers are not counts of people or their services: shown as they are.
  { domain: 'providers', title: 'Segments and engagement ROI', rules: { countColumns: [] } },
  {
    domain: 'providers',
    title: 'Top ',
    rules: { countColumns: ['frequency'], derived: ['monetary', 'profit', 'profit_pct'] },
  },
  { domain: 'providers', title: 'Segment migration', rules: { countColumns: [] } },
  {
    domain: 'programs',
    title: 'Measured baselines',
    rules: {
      countColumns: ['value'],
      countCell: (row: Row) => PROGRAM_BASELINE_COUNTS.has(String(row.baseline)),
      derived: [],
    },
  },
  { domain: 'programs', title: 'Savings by program', rules: { countColumns: [] } },
  { domain: 'programs', title: 'Assumptions', rules: { countColumns: [] } },
];

const HEADLINE_COUNTS: Record<string, readonly string[]> = {
  cost: ['members', 'member_months'],
  payers: ['claims'],
  providers: [],
  programs: [],
};

/** The rules of a section: its own declaration first, else the catalog, else none (the sweep still runs). */
export function rulesFor(domain: string, section: KpiSection): SectionRules | undefined {
  if (section.countColumns !== undefined || section.memberLevel !== undefined) {
    return {
      countColumns: section.countColumns ?? [],
      derived: section.derivedColumns,
      groupBy: section.groupBy,
      memberLevel: section.memberLevel,
    };
  }
  return CATALOG.find((e) => e.domain === domain && section.title.startsWith(e.title))?.rules;
}

export function headlineCountsFor(result: KpiResult): readonly string[] | undefined {
  return result.headlineCounts ?? HEADLINE_COUNTS[result.domain];
}
