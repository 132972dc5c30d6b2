// The HTTP contract the server serves and the dashboard reads: JSON shapes and canonical request URLs.
// No imports on purpose, so the web app (DOM, bundler) and the server (Node) share it without sharing code.

/** A table cell governance withheld (small-cell suppression: a count of 1-10 and what derives from it). */
export interface SuppressedCell {
  suppressed: true;
  /** Why, for the reader (for example `count 1-10`). */
  reason?: string;
}

export type Cell = string | number | boolean | null | SuppressedCell;
export type ApiRow = Record<string, Cell>;

export interface ApiPeriod {
  kind: 'month' | 'quarter' | 'year' | 'range';
  from: string;
  to: string;
  label: string;
}

export interface ApiKpiSection {
  title: string;
  rows: ApiRow[];
  columns?: string[];
}

/** What governance did to a result for the caller's role. */
export interface ApiKpiGovernance {
  role: string;
  /** Columns the role may not see, removed. */
  removed_columns: string[];
  /** Sections listing individual members, withheld from an aggregate-only role. */
  withheld_sections: string[];
  /** Cells shown as suppressed (small counts and what would recompute them). */
  suppressed_cells: number;
}

/** `GET /api/kpi/:domain`: the governed KpiResult of src/services/governed.ts, absent filters as null. */
export interface ApiKpiResult {
  domain: string;
  period: ApiPeriod | null;
  payer: string | null;
  /** The plan filter applied (claims billed to the plan, member months in it). */
  plan: string | null;
  /** The state filter applied (members' state of residence on their latest enrollment span). */
  state: string | null;
  headline: Record<string, Cell>;
  sections: ApiKpiSection[];
  notes: string[];
  /** What the loaded source does not carry, and the metrics, sections or whole domain (`*`) it took out. */
  unavailable?: ApiUnavailable[];
  governance?: ApiKpiGovernance;
}

export interface ApiUnavailable {
  capability: string;
  reason: string;
  affects: string[];
}

export interface ApiDomain {
  name: string;
  description: string;
}

export interface ApiLoad {
  table_name: string;
  files: number;
  rows_read: number;
  rows_loaded: number;
  rows_quarantined: number;
  loaded_at: string;
}

/** `GET /api/meta`: what the data is and how fresh it is. */
export interface ApiMeta {
  /** The caller's role and how requests are authenticated. */
  role: string;
  auth: 'bearer' | 'none';
  warehouse: {
    file: string;
    modified_at: string;
    size_bytes: number;
    /** Increases each time the server picks up a new build of the file. */
    generation: number;
  };
  build: { build_id: string; started_at: string; finished_at: string; models: number } | null;
  /** The latest load of each input table (input.load_log). */
  loads: ApiLoad[];
  last_load_at: string | null;
  data: {
    first_service_date: string | null;
    last_service_date: string | null;
    payers: string[];
    /** Plans in eligibility and claims: the values of the plan filter. */
    plans: string[];
    /** Members' states of residence (latest enrollment span): the values of the state filter. */
    states: string[];
  };
  /** The KPI domains the caller's role may read. */
  domains: ApiDomain[];
}

/** `GET /api/cost/pmpm-trend`: PMPM by month and service category. */
export interface ApiPmpmTrendRow {
  month: string;
  service_category: string;
  /** Suppressed (with paid and PMPM) for an aggregate-only role when 1 to 10. */
  member_months: number | SuppressedCell;
  paid: number | SuppressedCell;
  pmpm_paid: number | SuppressedCell;
}

export interface ApiPmpmTrend {
  period: ApiPeriod | null;
  payer: string | null;
  plan: string | null;
  state: string | null;
  rows: ApiPmpmTrendRow[];
}

/** `GET /api/quality`: the QualityReport of src/services/quality.ts. */
export interface ApiQualityCheck {
  check_id: string;
  table: string;
  severity: 'error' | 'warning' | 'info';
  category: string;
  unit: string;
  description: string;
  action: string;
  failing_rows: number;
  checked_rows: number;
  failing_pct: number | null;
  status: 'pass' | 'fail' | 'skipped';
  skip_reason: string | null;
  examples: string[];
}

export interface ApiEhrMatchRow {
  month: string | null;
  claim_type: 'professional' | 'institutional' | 'all';
  claims: number;
  claims_matched: number;
  claim_match_rate: number | null;
  encounters: number;
  encounters_matched: number;
  encounter_match_rate: number | null;
}

export interface ApiLedgerVarianceRow {
  month: string | null;
  payer: string | null;
  claims_paid: number;
  ledger_payer_payments: number;
  variance_amount: number;
  variance_pct: number | null;
}

export interface ApiQualityReport {
  generated_at: string;
  summary: {
    checks: number;
    passed: number;
    failed: number;
    skipped: number;
    failed_errors: number;
    failed_warnings: number;
    failed_info: number;
  };
  checks: ApiQualityCheck[];
  ehr_match: {
    status: 'ok' | 'skipped';
    reason: string | null;
    overall: ApiEhrMatchRow[];
    months_compared: number;
    by_month: ApiEhrMatchRow[];
  };
  ledger_variance: {
    status: 'ok' | 'skipped';
    reason: string | null;
    basis: string;
    overall: ApiLedgerVarianceRow | null;
    by_month: ApiLedgerVarianceRow[];
    by_month_payer: ApiLedgerVarianceRow[];
  };
}

export interface ApiError {
  error: string;
  status: number;
  message: string;
  /** The query or path parameter at fault, when one is. */
  parameter?: string;
  /** Why access was refused (401/403), as the audit log records it. */
  reason?: string;
}

export interface ApiHealth {
  status: 'ok' | 'degraded';
  warehouse: 'open' | 'missing' | 'error';
  message?: string;
  generation: number;
  uptime_seconds: number;
}

/** The global dashboard filters, as they appear in the page URL and in API query strings. */
export interface Filters {
  period?: string;
  from?: string;
  to?: string;
  payer?: string;
  plan?: string;
  state?: string;
  asOf?: string;
}

export const FILTER_KEYS = ['period', 'from', 'to', 'payer', 'plan', 'state', 'asOf'] as const;

/**
 * The one spelling of a request URL: filters in a fixed order, empty ones left out. The offline
 * report's snapshot is keyed by these URLs, so the dashboard finds its data with the same call.
 * @example apiPath('/api/kpi/cost', { payer: 'Aetna', period: '2025Q1' }) // '/api/kpi/cost?period=2025Q1&payer=Aetna'
 */
export function apiPath(route: string, filters: Filters = {}): string {
  const q = new URLSearchParams();
  for (const k of FILTER_KEYS) {
    const v = filters[k];
    if (v !== undefined && v !== '') q.set(k, v);
  }
  const s = q.toString();
  return s ? `${route}?${s}` : route;
}

/** One recorded API answer: errors are kept too, so the report shows what the dashboard would. */
export interface SnapshotAnswer {
  status: number;
  body: unknown;
}

/** The data snapshot the offline report embeds: API answers keyed by apiPath(). */
export interface Snapshot {
  generated_at: string;
  role: string;
  filters: Filters;
  responses: Record<string, SnapshotAnswer>;
}

/** Id of the script element that carries the snapshot JSON in the offline report. */
export const SNAPSHOT_ELEMENT_ID = 'claimlens-snapshot';

export function isSuppressed(v: unknown): v is SuppressedCell {
  return typeof v === 'object' && v !== null && (v as { suppressed?: unknown }).suppressed === true;
}
