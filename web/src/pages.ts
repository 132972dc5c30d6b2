// The dashboard's pages. A domain page is a KPI domain plus which of its sections to chart and how;
// a domain without declared charts gets charts chosen from its columns, and one missing from the
// server says so. Adding a page is adding an entry here.
import type { ChartSpec } from './charts.ts';
import type { ValueKind } from './format.ts';

export interface PageDef {
  id: string;
  title: string;
  kind: 'overview' | 'domain' | 'quality';
  /** KPI domain behind a domain page. */
  domain?: string;
  intro: string;
  /** Charts of the domain's sections; undefined: chosen from the columns (autoSpecs). */
  charts?: ChartSpec[];
  /** Headline metrics to show first, in this order (the rest follow). */
  headline?: string[];
  /** Sections drawn but not worth a table (a curve of 100 points). */
  noTable?: RegExp[];
  /** How columns read where their names cannot say (`payments` as a count of payments). */
  kinds?: Record<string, ValueKind>;
  /** Typed routes beyond the KpiResult this page also charts. */
  extra?: 'cost-pmpm-trend';
}

const bySegment = /^Segments and engagement ROI/;
const scorecard = /^Payer scorecard/;
const savings = /^Savings by program and scenario/;

export const PAGES: PageDef[] = [
  {
    id: 'overview',
    title: 'Overview',
    kind: 'overview',
    intro: 'Headline numbers of every domain, the savings model and how fresh the data is.',
  },
  {
    id: 'cost',
    title: 'Cost',
    kind: 'domain',
    domain: 'cost',
    intro:
      'Which members drive spend, the high-cost cohorts, and PMPM by payer, plan and service category over time.',
    headline: ['paid', 'pmpm', 'pmpm_yoy_change', 'top1_share', 'top5_share', 'top10_share', 'gini'],
    extra: 'cost-pmpm-trend',
    noTable: [/^Lorenz curve/],
    charts: [
      {
        type: 'pareto',
        section: /^Spend concentration/,
        title: 'Pareto: share of paid spend held by the top members',
        pct: 'top_pct',
        share: 'share',
      },
      {
        type: 'lorenz',
        section: /^Lorenz curve/,
        title: 'Lorenz curve of paid spend',
        x: 'member_share',
        y: 'spend_share',
      },
      {
        type: 'bar',
        section: /^High-cost cohorts/,
        title: 'Share of paid spend by cost cohort',
        category: 'label',
        values: ['share'],
      },
      {
        type: 'bar',
        section: /^High-cost cohorts/,
        title: 'PMPM by cost cohort',
        category: 'label',
        values: ['pmpm_paid'],
      },
      {
        type: 'line',
        section: /^Trend by month/,
        title: 'PMPM by month against the same month a year earlier',
        x: 'month',
        values: ['pmpm_paid', 'prior_year_pmpm_paid'],
      },
      {
        type: 'treemap',
        section: /^PMPM by service category/,
        title: 'Paid spend by service category',
        name: 'service_category',
        value: 'paid',
      },
      {
        type: 'bar',
        section: /^PMPM by payer and plan/,
        title: 'PMPM by payer and plan',
        category: ['payer', 'plan'],
        values: ['pmpm_paid'],
        horizontal: true,
      },
    ],
  },
  {
    id: 'denials',
    title: 'Denials',
    kind: 'domain',
    domain: 'denials',
    intro:
      'Denial rate in claims and dollars, the CARC root causes and payers behind it, and revenue at risk.',
    headline: [
      'initial_denial_rate_pct',
      'initial_denial_rate_dollars_pct',
      'final_denial_rate_pct',
      'revenue_at_risk',
      'preventable_revenue_at_risk',
      'overturn_rate_pct',
    ],
    charts: [
      {
        type: 'line',
        section: /^Trend by month/,
        title: 'Denial rate by month (initial and final)',
        x: 'month',
        values: ['initial_denial_rate_pct', 'final_denial_rate_pct'],
      },
      {
        type: 'bar',
        section: /^Initial denials by root cause/,
        title: 'Revenue at risk by root cause',
        category: 'root_cause',
        values: ['revenue_at_risk'],
        horizontal: true,
      },
      {
        type: 'bar',
        section: /^Denials by payer/,
        title: 'Denial rate by payer (lines and dollars)',
        category: 'payer',
        values: ['initial_denial_rate_pct', 'initial_denial_rate_dollars_pct'],
      },
      {
        type: 'bar',
        section: /^Top \d+ CARCs/,
        title: 'Top CARCs by initially denied lines',
        category: 'carc',
        values: ['initial_denied_lines'],
        horizontal: true,
      },
      {
        type: 'treemap',
        section: /^Denials by service category/,
        title: 'Revenue at risk by service category',
        name: 'service_category',
        value: 'revenue_at_risk',
      },
    ],
  },
  {
    id: 'rcm',
    title: 'Revenue cycle',
    kind: 'domain',
    domain: 'rcm',
    intro:
      'Collection rate, write-offs, cost to collect, days in A/R and aging, payer efficiency and geography.',
    headline: [
      'days_in_ar',
      'net_collection_rate_pct',
      'gross_collection_rate_pct',
      'clean_claim_rate_pct',
      'cost_to_collect_pct',
      'ar_total',
      'aged_over_90_pct',
    ],
    charts: [
      {
        type: 'bar',
        section: /^A\/R aging/,
        title: 'A/R aging by payer (days from billing)',
        category: 'payer',
        values: ['0-30', '31-60', '61-90', '91-120', 'over 120'],
        stacked: true,
        horizontal: true,
        kind: 'money',
      },
      {
        type: 'bar',
        section: /^Claims billed .* by payer/,
        title: 'Collection rate by payer (gross and net)',
        category: 'payer',
        values: ['gross_collection_rate_pct', 'net_collection_rate_pct'],
      },
      {
        type: 'bar',
        section: /^Days to pay by payer/,
        title: 'Days to pay by payer',
        category: 'payer',
        values: ['avg_days_to_pay', 'median_days_to_pay', 'p90_days_to_pay'],
      },
      {
        type: 'bar',
        section: /^Underpayment against expected payment/,
        title: 'Net underpayment by payer',
        category: 'payer',
        values: ['net_variance'],
      },
      {
        type: 'bar',
        section: /^Geography: member state/,
        title: 'Net collection rate by member state',
        category: 'state',
        values: ['net_collection_rate_pct'],
      },
    ],
  },
  {
    id: 'patients',
    title: 'Patient balances',
    kind: 'domain',
    domain: 'patients',
    intro:
      'Patient balances, likelihood to pay and financial-assistance eligibility against the poverty guidelines.',
    charts: [
      {
        type: 'bar',
        section: /^Financial-assistance screen by tier/,
        title: 'Persons by financial-assistance tier',
        category: 'assistance_tier',
        values: ['persons', 'persons_with_open_balance'],
      },
      {
        type: 'bar',
        section: /^Financial-assistance screen by tier/,
        title: 'Open balance by financial-assistance tier',
        category: 'assistance_tier',
        values: ['open_balance'],
      },
      {
        type: 'bar',
        section: /^Open balance distribution/,
        title: 'Persons by open balance',
        category: 'balance_band',
        values: ['persons'],
      },
    ],
  },
  {
    id: 'readmissions',
    title: 'Readmissions',
    kind: 'domain',
    domain: 'readmissions',
    intro:
      '30-day all-cause and unplanned readmission rates, preventable readmissions by diagnosis and their spend, hospital O:E ratios and patient risk tiers.',
    charts: [
      {
        type: 'line',
        section: /^Monthly trend/,
        title: '30-day readmission rate by index discharge month',
        x: 'month',
        values: ['readmission_rate_unplanned', 'readmission_rate_all_cause'],
      },
      {
        type: 'bar',
        section: /^Index diagnoses with the most preventable/,
        title: 'Preventable readmissions by index diagnosis',
        category: ['diagnosis_category', 'diagnosis_category_description'],
        values: ['preventable_readmissions'],
        horizontal: true,
      },
      {
        type: 'bar',
        section: /^Hospital benchmark/,
        title: 'Hospital observed-to-expected ratio (1 = as expected)',
        category: 'facility_name',
        values: ['oe_ratio'],
        horizontal: true,
      },
      {
        type: 'bar',
        section: /^Patients by risk tier/,
        title: 'Readmission rate by patient risk tier',
        category: 'risk_tier',
        values: ['readmission_rate'],
      },
      {
        type: 'bar',
        section: /^By payer/,
        title: 'Unplanned readmission rate by payer',
        category: 'payer',
        values: ['readmission_rate_unplanned'],
      },
      {
        type: 'bar',
        section: /^Intervention ROI/,
        title: 'Intervention net savings for the high-risk tier (base case)',
        category: 'intervention',
        values: ['base_net_savings'],
      },
    ],
  },
  {
    id: 'adherence',
    title: 'Adherence',
    kind: 'domain',
    domain: 'adherence',
    intro:
      'Proportion of days covered (PDC) by drug class under PQA rules, by payer and prescriber, and adherence gaps.',
    charts: [
      {
        type: 'bar',
        section: /^PDC by drug class/,
        title: 'Adherent members (PDC ≥ 80%) by drug class',
        category: 'pdc_class',
        values: ['adherent_rate'],
      },
      {
        type: 'grouped',
        section: /^PDC by payer/,
        title: 'Adherent share by payer and drug class',
        category: 'payer',
        series: 'pdc_class',
        value: 'adherent_rate',
      },
      {
        type: 'bar',
        section: /^Adherence gaps/,
        title: 'Non-adherent members by drug class',
        category: 'pdc_class',
        values: ['non_adherent_members'],
      },
      {
        type: 'bar',
        section: /^Prescribers with the lowest adherence/,
        title: 'Prescribers with the lowest adherent share',
        category: ['prescriber_name', 'pdc_class'],
        values: ['adherent_rate'],
        horizontal: true,
      },
    ],
  },
  {
    id: 'providers',
    title: 'Providers',
    kind: 'domain',
    domain: 'providers',
    intro:
      'Provider segments from recency, frequency and paid, engagement ROI per segment, top performers and migration.',
    headline: ['providers', 'champions', 'champions_revenue_share_pct', 'revenue', 'investment', 'roi_ratio'],
    charts: [
      {
        type: 'bar',
        section: bySegment,
        title: 'Providers by segment',
        category: 'segment',
        values: ['providers'],
      },
      {
        type: 'bar',
        section: bySegment,
        title: 'Share of providers and of revenue by segment',
        category: 'segment',
        values: ['provider_share_pct', 'revenue_share_pct'],
      },
      {
        type: 'bar',
        section: bySegment,
        title: 'Engagement ROI per segment',
        category: 'segment',
        values: ['roi_ratio'],
      },
      {
        type: 'heatmap',
        section: /^Segment migration/,
        title: 'Segment migration over the last 3 months (providers, then → now)',
        rowKey: 'from_segment',
      },
      {
        type: 'bar',
        section: /^Top \d+ providers/,
        title: 'Top performers by trailing-12-month paid',
        category: 'provider_name',
        values: ['monetary'],
        horizontal: true,
        limit: 10,
      },
    ],
  },
  {
    id: 'payers',
    title: 'Payers',
    kind: 'domain',
    domain: 'payers',
    intro:
      'The period scorecard: claims, charges, payments, net variance, days to pay, denial rate and risk label, with the trend against the previous period.',
    headline: [
      'payers',
      'investigate',
      'monitor',
      'payments',
      'net_variance',
      'variance_pct',
      'denial_rate_pct',
    ],
    charts: [
      {
        type: 'bar',
        section: scorecard,
        title: 'Net variance by payer (positive = underpaid)',
        category: 'payer',
        values: ['net_variance'],
      },
      {
        type: 'bar',
        section: scorecard,
        title: 'Denial rate by payer',
        category: 'payer',
        values: ['denial_rate_pct'],
      },
      {
        type: 'bar',
        section: scorecard,
        title: 'Days to pay by payer (average and median)',
        category: 'payer',
        values: ['avg_days_to_pay', 'median_days_to_pay'],
      },
      {
        type: 'bar',
        section: /^Trend vs/,
        title: 'Payments against the previous period',
        category: 'payer',
        values: ['prev_payments', 'payments'],
      },
    ],
  },
  {
    id: 'programs',
    title: 'Programs',
    kind: 'domain',
    domain: 'programs',
    intro:
      'Savings model for care management and denial prevention: low, base and high scenarios, with assumptions.',
    charts: [
      {
        type: 'grouped',
        section: savings,
        title: 'Annual net savings by program and scenario',
        category: 'program',
        series: 'scenario',
        value: 'annual_net_savings',
      },
      {
        type: 'grouped',
        section: savings,
        title: 'ROI ratio by program and scenario',
        category: 'program',
        series: 'scenario',
        value: 'roi_ratio',
      },
      {
        type: 'grouped',
        section: savings,
        title: 'Payback months by program and scenario',
        category: 'program',
        series: 'scenario',
        value: 'payback_months',
      },
    ],
  },
  {
    id: 'quality',
    title: 'Data quality',
    kind: 'quality',
    intro:
      'Structural, logical, referential and code-set checks, the claims-to-EHR match and the finance-ledger variance.',
  },
];

/** The overview's savings chart: the same spec the programs page draws first. */
export const SAVINGS_CHART: ChartSpec = PAGES.find((p) => p.id === 'programs')!.charts![0]!;

/** Pages for the served domains no page names (a new domain appears without a code change here). */
export function pagesFor(domains: readonly string[]): PageDef[] {
  const named = new Set(PAGES.map((p) => p.domain).filter(Boolean));
  const extra = domains
    .filter((d) => !named.has(d))
    .map(
      (d): PageDef => ({
        id: d,
        title: d.charAt(0).toUpperCase() + d.slice(1),
        kind: 'domain',
        domain: d,
        intro: `KPIs of the ${d} domain.`,
      }),
    );
  const quality = PAGES.findIndex((p) => p.kind === 'quality');
  return [...PAGES.slice(0, quality), ...extra, ...PAGES.slice(quality)];
}
