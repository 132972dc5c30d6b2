// Provider segmentation (seed 003): recency, frequency and monetary value per provider as of a date,
// segments from thresholds (configured, or percentiles of the data), ROI per segment from the
// engagement cost model, top performers and segment migration. Definitions in docs/marts/providers.md.
import type { DuckDBValue } from '@duckdb/node-api';
import type { Config } from '../config.ts';
import { ident, type Warehouse } from '../engine/duckdb.ts';
import { ClaimlensError, UsageError } from '../errors.ts';
import { andMember, type MemberFilters } from './filters.ts';
import type { KpiDomain, KpiResult } from './kpi.ts';
import { requireModels } from './payers.ts';
import {
  PROVIDER_SEGMENTS,
  type ProviderSegment,
  type ProvidersConfig,
  SEGMENT_VISIT_KEY,
} from './providers-config.ts';

export type ProviderRole = ProvidersConfig['providerRole'];

export type ThresholdName =
  | 'monetaryHigh'
  | 'frequencyHigh'
  | 'frequencyMid'
  | 'recencyActiveDays'
  | 'recencyVeryActiveDays'
  | 'recencyDormantDays';

export interface ResolvedThreshold {
  value: number | null;
  /** `configured`, or the percentile it was derived from, e.g. `p80 of monetary`. */
  source: string;
}

export type SegmentThresholds = Record<ThresholdName, ResolvedThreshold>;

export interface ProviderScope extends MemberFilters {
  asOf: string;
  role: ProviderRole;
  /** Only claims billed to this payer. */
  payer?: string;
}

export interface ProviderRfmRow {
  npi: string;
  provider_name: string | null;
  specialty: string | null;
  practice_state: string | null;
  segment: ProviderSegment;
  first_service_date: string;
  last_service_date: string;
  recency_days: number;
  frequency: number;
  monetary: number;
}

export interface SegmentSummaryRow {
  segment: ProviderSegment;
  providers: number;
  provider_share_pct: number | null;
  claims: number;
  avg_claims: number | null;
  avg_recency_days: number | null;
  revenue: number;
  revenue_share_pct: number | null;
  visits_per_quarter: number;
  investment: number;
  profit: number;
  profit_share_pct: number | null;
  /** (revenue - investment) / investment. */
  roi_ratio: number | null;
  /** revenue / investment: the seed's "$68 per $1". */
  revenue_per_dollar: number | null;
}

export interface TopPerformerRow extends ProviderRfmRow {
  rank: number;
  investment: number;
  profit: number;
  profit_pct: number | null;
}

export interface TopPerformerFilters {
  segment?: ProviderSegment;
  specialty?: string;
  state?: string;
  minClaims?: number;
  limit?: number;
}

export interface MigrationRow {
  /** Segment at the earlier date; `(not yet active)` for providers with no service by then. */
  from_segment: ProviderSegment | '(not yet active)';
  to_segment: ProviderSegment;
  providers: number;
}

const THRESHOLDS: {
  name: ThresholdName;
  metric: 'monetary' | 'frequency' | 'recency_days';
  pct: keyof ProvidersConfig['percentiles'];
}[] = [
  { name: 'monetaryHigh', metric: 'monetary', pct: 'monetaryHigh' },
  { name: 'frequencyHigh', metric: 'frequency', pct: 'frequencyHigh' },
  { name: 'frequencyMid', metric: 'frequency', pct: 'frequencyMid' },
  { name: 'recencyActiveDays', metric: 'recency_days', pct: 'recencyActive' },
  { name: 'recencyVeryActiveDays', metric: 'recency_days', pct: 'recencyVeryActive' },
  { name: 'recencyDormantDays', metric: 'recency_days', pct: 'recencyDormant' },
];

/** Positional parameters for composed SQL: `add` returns the placeholder of a value. */
class Params {
  readonly values: DuckDBValue[] = [];
  add(v: DuckDBValue): string {
    this.values.push(v);
    return `$${this.values.length}`;
  }
}

// Trailing 12 months = the 12 months ending at the as-of date, both ends inside: (asOf - 12 months, asOf].
function rfmCte(p: Params, name: string, scope: ProviderScope, asOf: string): string {
  const d = `CAST(${p.add(asOf)} AS DATE)`;
  const role = p.add(scope.role);
  const payer = p.add(scope.payer ?? null);
  // Plan and member state (filters.ts) keep the claims of the plan and of members living in the
  // state, so a provider's recency, frequency and paid are its activity for them.
  const member = andMember(scope, { plan: 'plan', state: 'state' }, (v) => p.add(v));
  const inWindow = `service_date > CAST(${d} - INTERVAL '12 months' AS DATE)`;
  return `${name} AS (
  SELECT
    npi,
    min(service_date) AS first_service_date,
    max(service_date) AS last_service_date,
    ${d} - max(service_date) AS recency_days,
    ${d} - min(service_date) AS tenure_days,
    count(*) FILTER (WHERE ${inWindow}) AS frequency,
    CAST(coalesce(sum(paid_amount) FILTER (WHERE ${inWindow}), 0) AS DOUBLE PRECISION) AS monetary
  FROM intermediate.provider_claim
  WHERE provider_role = ${role} AND service_date <= ${d}
    AND (CAST(${payer} AS VARCHAR) IS NULL OR payer = ${payer})${member}
  GROUP BY npi
)`;
}

// Precedence follows PROVIDER_SEGMENTS: the first rule a provider meets names its segment.
function segmentCte(p: Params, name: string, rfm: string, t: SegmentThresholds, newDays: number): string {
  const v = (n: ThresholdName) => `CAST(${p.add(t[n].value)} AS DOUBLE PRECISION)`;
  const mh = v('monetaryHigh');
  const highValue = `(monetary > 0 AND monetary >= ${mh})`;
  const dormant = `recency_days > ${v('recencyDormantDays')}`;
  return `${name} AS (
  SELECT
    *,
    CASE
      WHEN frequency = 0 THEN 'Lapsed'
      WHEN frequency >= ${v('frequencyHigh')} AND ${highValue} AND recency_days <= ${v('recencyActiveDays')} THEN 'Champions'
      WHEN ${highValue} AND ${dormant} THEN 'Dormant Giants'
      WHEN frequency >= ${v('frequencyMid')} AND recency_days <= ${v('recencyVeryActiveDays')} THEN 'Rising Stars'
      WHEN tenure_days <= ${p.add(newDays)} THEN 'New'
      WHEN ${dormant} THEN 'At Risk'
      ELSE 'Standard'
    END AS segment
  FROM ${rfm}
)`;
}

/** The last date of service in the data for a provider role: the default as-of date. */
export async function latestServiceDate(wh: Warehouse, role: ProviderRole): Promise<string> {
  await requireModels(wh, ['intermediate.provider_claim', 'marts.provider_profile']);
  const r = await wh.one<{ d: string | null }>(
    'SELECT max(service_date) AS d FROM intermediate.provider_claim WHERE provider_role = $1',
    [role],
  );
  if (!r?.d)
    throw new ClaimlensError('warehouse', `no claims with a ${role} provider NPI: load and build first`);
  return r.d;
}

/**
 * Thresholds at an as-of date: each configured one as is, the others the configured percentile
 * (continuous) of that metric over providers with a claim in the trailing 12 months, to 2 decimals.
 */
export async function segmentThresholds(
  wh: Warehouse,
  cfg: ProvidersConfig,
  scope: ProviderScope,
): Promise<SegmentThresholds> {
  await requireModels(wh, ['intermediate.provider_claim']);
  const p = new Params();
  const cols = THRESHOLDS.map(
    (t) =>
      `round(percentile_cont(${p.add(cfg.percentiles[t.pct])}) WITHIN GROUP (ORDER BY ${t.metric}), 2) AS ${ident(t.name)}`,
  );
  const sql = `WITH ${rfmCte(p, 'rfm', scope, scope.asOf)}\nSELECT ${cols.join(',\n  ')} FROM rfm WHERE frequency > 0`;
  const derived = (await wh.one<Record<ThresholdName, number | null>>(sql, p.values))!;
  const out = {} as SegmentThresholds;
  for (const t of THRESHOLDS) {
    const set = cfg.thresholds[t.name];
    out[t.name] =
      set !== undefined
        ? { value: set, source: 'configured' }
        : { value: derived[t.name], source: `p${Math.round(cfg.percentiles[t.pct] * 100)} of ${t.metric}` };
  }
  return out;
}

/** RFM and segment of every provider (optionally filtered), largest monetary first. */
export async function providerRfm(
  wh: Warehouse,
  cfg: ProvidersConfig,
  scope: ProviderScope,
  thresholds: SegmentThresholds,
  filters: TopPerformerFilters = {},
): Promise<ProviderRfmRow[]> {
  const p = new Params();
  const where: string[] = [];
  if (filters.segment !== undefined) where.push(`s.segment = ${p.add(filters.segment)}`);
  if (filters.specialty !== undefined) where.push(`pp.specialty = ${p.add(filters.specialty)}`);
  if (filters.state !== undefined) where.push(`pp.practice_state = ${p.add(filters.state)}`);
  if (filters.minClaims !== undefined) where.push(`s.frequency >= ${p.add(filters.minClaims)}`);
  const rfm = rfmCte(p, 'rfm', scope, scope.asOf);
  const seg = segmentCte(p, 'seg', 'rfm', thresholds, cfg.newProviderDays);
  const limit = filters.limit !== undefined ? `LIMIT ${p.add(filters.limit)}` : '';
  const sql = `WITH ${rfm},\n${seg}
SELECT s.npi, pp.provider_name, pp.specialty, pp.practice_state, s.segment,
  s.first_service_date, s.last_service_date, s.recency_days, s.frequency, s.monetary
FROM seg AS s
LEFT JOIN marts.provider_profile AS pp ON pp.provider_role = ${p.add(scope.role)} AND pp.npi = s.npi
${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
ORDER BY s.monetary DESC, s.frequency DESC, s.npi
${limit}`;
  return wh.all<ProviderRfmRow>(sql, p.values);
}

/** Annual engagement investment per provider of a segment: visits per quarter x 4 x cost per visit. */
export function annualInvestmentPerProvider(cfg: ProvidersConfig, segment: ProviderSegment): number {
  const e = cfg.engagement;
  return e.visitsPerQuarter[SEGMENT_VISIT_KEY[segment]] * 4 * e.costPerVisit;
}

function pct(part: number, whole: number): number | null {
  return whole === 0 ? null : Math.round((10000 * part) / whole) / 100;
}

function ratio(a: number, b: number): number | null {
  return b === 0 ? null : Math.round((100 * a) / b) / 100;
}

/**
 * Providers, revenue and ROI per segment: revenue = trailing-12-month paid; investment = providers x
 * annual engagement cost; profit = revenue - investment; every segment listed, empty ones with zeros.
 */
export async function segmentSummary(
  wh: Warehouse,
  cfg: ProvidersConfig,
  scope: ProviderScope,
  thresholds: SegmentThresholds,
): Promise<SegmentSummaryRow[]> {
  const p = new Params();
  const sql = `WITH ${rfmCte(p, 'rfm', scope, scope.asOf)},\n${segmentCte(p, 'seg', 'rfm', thresholds, cfg.newProviderDays)}
SELECT segment, count(*) AS providers, sum(frequency) AS claims, sum(monetary) AS revenue,
  avg(recency_days) AS avg_recency_days
FROM seg GROUP BY segment`;
  const found = new Map(
    (
      await wh.all<{
        segment: ProviderSegment;
        providers: number;
        claims: number;
        revenue: number;
        avg_recency_days: number;
      }>(sql, p.values)
    ).map((r) => [r.segment, r]),
  );
  const base = PROVIDER_SEGMENTS.map((segment) => {
    const r = found.get(segment);
    const providers = r?.providers ?? 0;
    const revenue = Math.round((r?.revenue ?? 0) * 100) / 100;
    const investment = providers * annualInvestmentPerProvider(cfg, segment);
    return {
      segment,
      providers,
      claims: r?.claims ?? 0,
      revenue,
      investment,
      recency: r?.avg_recency_days ?? null,
    };
  });
  const total = (f: (r: (typeof base)[number]) => number) => base.reduce((a, r) => a + f(r), 0);
  const allProviders = total((r) => r.providers);
  const allRevenue = total((r) => r.revenue);
  const allProfit = total((r) => r.revenue - r.investment);
  return base.map((r) => {
    const profit = Math.round((r.revenue - r.investment) * 100) / 100;
    return {
      segment: r.segment,
      providers: r.providers,
      provider_share_pct: pct(r.providers, allProviders),
      claims: r.claims,
      avg_claims: r.providers === 0 ? null : Math.round((10 * r.claims) / r.providers) / 10,
      avg_recency_days: r.recency === null ? null : Math.round(r.recency * 10) / 10,
      revenue: r.revenue,
      revenue_share_pct: pct(r.revenue, allRevenue),
      visits_per_quarter: cfg.engagement.visitsPerQuarter[SEGMENT_VISIT_KEY[r.segment]],
      investment: r.investment,
      profit,
      profit_share_pct: pct(profit, allProfit),
      roi_ratio: ratio(profit, r.investment),
      revenue_per_dollar: ratio(r.revenue, r.investment),
    };
  });
}

/** Top providers by trailing-12-month paid, with their engagement investment and profit. */
export async function topPerformers(
  wh: Warehouse,
  cfg: ProvidersConfig,
  scope: ProviderScope,
  thresholds: SegmentThresholds,
  filters: TopPerformerFilters = {},
): Promise<TopPerformerRow[]> {
  const rows = await providerRfm(wh, cfg, scope, thresholds, { limit: cfg.topPerformers, ...filters });
  return rows.map((r, i) => {
    const investment = annualInvestmentPerProvider(cfg, r.segment);
    const profit = Math.round((r.monetary - investment) * 100) / 100;
    return { rank: i + 1, ...r, investment, profit, profit_pct: pct(profit, r.monetary) };
  });
}

/**
 * How providers moved between segments from one as-of date to a later one. Both dates use the same
 * thresholds (those given, normally the later date's), so a move reflects the provider's behaviour,
 * not a shift of percentiles.
 */
export async function segmentMigration(
  wh: Warehouse,
  cfg: ProvidersConfig,
  scope: ProviderScope,
  fromAsOf: string,
  thresholds: SegmentThresholds,
): Promise<MigrationRow[]> {
  if (fromAsOf >= scope.asOf) {
    throw new UsageError(`migration needs an earlier date: ${fromAsOf} is not before ${scope.asOf}`);
  }
  const p = new Params();
  const ctes = [
    rfmCte(p, 'rfm_from', scope, fromAsOf),
    segmentCte(p, 'seg_from', 'rfm_from', thresholds, cfg.newProviderDays),
    rfmCte(p, 'rfm_to', scope, scope.asOf),
    segmentCte(p, 'seg_to', 'rfm_to', thresholds, cfg.newProviderDays),
  ];
  const sql = `WITH ${ctes.join(',\n')}
SELECT coalesce(f.segment, '(not yet active)') AS from_segment, t.segment AS to_segment, count(*) AS providers
FROM seg_to AS t LEFT JOIN seg_from AS f ON f.npi = t.npi
GROUP BY 1, 2`;
  const order = (s: string) => {
    const i = (PROVIDER_SEGMENTS as readonly string[]).indexOf(s);
    return i < 0 ? PROVIDER_SEGMENTS.length : i;
  };
  const rows = await wh.all<MigrationRow>(sql, p.values);
  return rows.sort(
    (a, b) => order(a.from_segment) - order(b.from_segment) || order(a.to_segment) - order(b.to_segment),
  );
}

/** The migration as a matrix: one row per earlier segment, one column per later segment. */
export function migrationMatrix(rows: readonly MigrationRow[]): Record<string, string | number>[] {
  const froms = [...new Set(rows.map((r) => r.from_segment))];
  return froms.map((from) => {
    const out: Record<string, string | number> = { from_segment: from };
    for (const to of PROVIDER_SEGMENTS) {
      out[to] = rows.find((r) => r.from_segment === from && r.to_segment === to)?.providers ?? 0;
    }
    return out;
  });
}

/** The date `months` months before an ISO date (day clamped to the month's end). */
export function monthsBefore(iso: string, months: number): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  const first = new Date(Date.UTC(y, m - 1 - months, 1));
  const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  first.setUTCDate(Math.min(d, last));
  return first.toISOString().slice(0, 10);
}

export const providersDomain: KpiDomain = {
  name: 'providers',
  description:
    'Provider segments (Champions, Rising Stars, Dormant Giants, ...) from recency, frequency and paid; ROI per segment; top performers; migration',
  async run(wh, params, config: Config): Promise<KpiResult> {
    const cfg = config.providers;
    const asOf = params.asOf ?? params.period?.to ?? (await latestServiceDate(wh, cfg.providerRole));
    await requireModels(wh, ['intermediate.provider_claim', 'marts.provider_profile']);
    const scope: ProviderScope = {
      asOf,
      role: cfg.providerRole,
      payer: params.payer,
      plan: params.plan,
      state: params.state,
    };
    const thresholds = await segmentThresholds(wh, cfg, scope);
    const summary = await segmentSummary(wh, cfg, scope, thresholds);
    const top = await topPerformers(wh, cfg, scope, thresholds);
    const fromAsOf = monthsBefore(asOf, 3);
    const migration = await segmentMigration(wh, cfg, scope, fromAsOf, thresholds);
    const revenue = summary.reduce((a, r) => a + r.revenue, 0);
    const investment = summary.reduce((a, r) => a + r.investment, 0);
    const champions = summary.find((r) => r.segment === 'Champions')!;
    return {
      domain: 'providers',
      period: params.period,
      payer: params.payer,
      headline: {
        as_of: asOf,
        provider_role: cfg.providerRole,
        providers: summary.reduce((a, r) => a + r.providers, 0),
        revenue: Math.round(revenue * 100) / 100,
        investment,
        roi_ratio: ratio(revenue - investment, investment),
        champions: champions.providers,
        champions_revenue_share_pct: champions.revenue_share_pct,
      },
      sections: [
        {
          title: 'Segment thresholds',
          rows: THRESHOLDS.map((t) => ({
            threshold: t.name,
            value: thresholds[t.name].value,
            source: thresholds[t.name].source,
          })),
          columns: ['threshold', 'value', 'source'],
        },
        {
          title: `Segments and engagement ROI as of ${asOf}`,
          rows: summary.map((r) => ({ ...r })),
          columns: [
            'segment',
            'providers',
            'provider_share_pct',
            'avg_claims',
            'avg_recency_days',
            'revenue',
            'revenue_share_pct',
            'visits_per_quarter',
            'investment',
            'profit',
            'profit_share_pct',
            'roi_ratio',
            'revenue_per_dollar',
          ],
        },
        {
          title: `Top ${cfg.topPerformers} providers by trailing-12-month paid`,
          rows: top.map((r) => ({ ...r })),
          columns: [
            'rank',
            'npi',
            'provider_name',
            'specialty',
            'segment',
            'recency_days',
            'frequency',
            'monetary',
            'investment',
            'profit',
            'profit_pct',
          ],
        },
        {
          title: `Segment migration ${fromAsOf} -> ${asOf} (rows: segment then, columns: segment now)`,
          rows: migrationMatrix(migration),
          columns: ['from_segment', ...PROVIDER_SEGMENTS],
        },
      ],
      notes: [
        `Provider = the ${cfg.providerRole} NPI. Recency = days from the last date of service to ${asOf}; frequency = distinct claims and monetary = amount paid with a date of service in the 12 months ending ${asOf}.`,
        'Segments, first rule met wins: Lapsed (no claim in 12 months); Champions (frequency >= frequencyHigh, monetary >= monetaryHigh, recency <= recencyActiveDays); Dormant Giants (monetary >= monetaryHigh, recency > recencyDormantDays); Rising Stars (frequency >= frequencyMid, recency <= recencyVeryActiveDays); New (first service within newProviderDays); At Risk (recency > recencyDormantDays); Standard (the rest).',
        `Engagement ROI: investment = providers x visits per quarter x 4 x $${cfg.engagement.costPerVisit} per visit (annual, matching the 12-month revenue window); ROI ratio = (revenue - investment) / investment. Revenue is what payers paid for the providers' claims, not revenue caused by engagement.`,
        'Migration uses the thresholds above at both dates, so a move reflects the provider, not a shift of percentiles.',
        ...(params.plan !== undefined || params.state !== undefined
          ? [
              'Under a plan or state filter every figure (thresholds included, as percentiles of the filtered activity) counts only the claims of that plan and of members living in that state; the state is the member’s, not the provider’s practice state.',
            ]
          : []),
      ],
    };
  },
};
