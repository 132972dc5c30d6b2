// The KPI surface shared by CLI, API and report: each domain (cost, payers, providers, programs,
// denials, rcm, readmissions, adherence) turns typed service results into titled sections.
import type { Config } from '../config.ts';
import type { Row, Warehouse } from '../engine/duckdb.ts';
import { ClaimlensError, UsageError } from '../errors.ts';
import {
  applySourceGaps,
  domainGaps,
  sourceGaps,
  type Unavailable,
  unavailableNote,
} from './capabilities.ts';
import { memberFilterNote } from './filters.ts';
import type { Period } from './period.ts';

export interface KpiParams {
  period?: Period;
  payer?: string;
  /** Only this health plan (src/services/filters.ts: claims billed to it, member months in it). */
  plan?: string;
  /** Only members with this state of residence on their latest enrollment span (src/services/filters.ts). */
  state?: string;
  /** As-of date for point-in-time views (provider recency, A/R); defaults per domain. */
  asOf?: string;
}

export interface KpiSection {
  title: string;
  rows: Row[];
  /** Column order for display; defaults to the keys of the first row. */
  columns?: string[];
  /**
   * Governance (optional): columns holding counts of members, member months, claims or services.
   * For roles without member-level access, counts from 1 to 10 are suppressed (docs/governance.md).
   */
  countColumns?: string[];
  /** Governance (optional): columns computed from the row's counts, hidden with them; default every other numeric column. */
  derivedColumns?: string[];
  /** Governance (optional): rows with equal values here form a subtotal group for complementary suppression. */
  groupBy?: string[];
  /** Governance (optional): each row is one member; withheld from roles without member-level access. */
  memberLevel?: boolean;
}

export interface KpiResult {
  domain: string;
  period: Period | undefined;
  payer: string | undefined;
  /** The plan filter applied (set by runKpiDomain from the request). */
  plan?: string | undefined;
  /** The state filter applied (set by runKpiDomain from the request). */
  state?: string | undefined;
  /** Headline numbers of the domain, for the overview and the demo. */
  headline: Record<string, number | string | null>;
  sections: KpiSection[];
  /** Definitions and assumptions a reader needs next to the numbers. */
  notes: string[];
  /** Governance (optional): headline metrics that are counts, suppressed from 1 to 10 for aggregate-only roles. */
  headlineCounts?: string[];
  /** What the loaded source does not carry and which metrics, sections or the whole domain it took out (capabilities.ts). */
  unavailable?: Unavailable[];
}

export interface KpiDomain {
  name: string;
  description: string;
  run(wh: Warehouse, params: KpiParams, config: Config): Promise<KpiResult>;
}

/** Runs a domain and marks what the loaded source cannot support (every caller runs domains through this). */
export async function runKpiDomain(
  domain: KpiDomain,
  wh: Warehouse,
  params: KpiParams,
  config: Config,
): Promise<KpiResult> {
  const gaps = await sourceGaps(wh);
  const missing = domainGaps(domain.name, gaps);
  if (missing.length > 0) {
    return {
      domain: domain.name,
      period: params.period,
      payer: params.payer,
      plan: params.plan,
      state: params.state,
      headline: {},
      sections: [],
      notes: missing.map(unavailableNote),
      unavailable: missing,
    };
  }
  try {
    const result = await domain.run(wh, params, config);
    // Every domain narrows every section by plan and state or marks the section it cannot (with a
    // note); the filters and what they mean are stated once here for all of them.
    const filterNote = memberFilterNote(params);
    return applySourceGaps(
      {
        ...result,
        plan: params.plan,
        state: params.state,
        notes: filterNote ? [filterNote, ...result.notes] : result.notes,
      },
      gaps,
    );
  } catch (err) {
    // A mart missing a column or a table the service reads: the warehouse predates these models.
    if (!(err instanceof ClaimlensError) && /^(Binder|Catalog) Error/.test((err as Error).message ?? '')) {
      throw new ClaimlensError(
        'warehouse',
        `the warehouse's marts do not match this claimlens (${(err as Error).message.split('\n')[0]}): run \`claimlens build\` to rebuild them`,
      );
    }
    throw err;
  }
}

/** Finds a domain by name; an unknown name is a usage error listing the known ones. */
export function findKpiDomain(domains: readonly KpiDomain[], name: string): KpiDomain {
  const d = domains.find((x) => x.name === name);
  if (!d) {
    throw new UsageError(
      `unknown KPI domain '${name}': choose one of ${domains.map((x) => x.name).join(', ') || '(none)'}`,
    );
  }
  return d;
}

/** Refuses a payer filter naming no payer in the warehouse, listing the known ones. */
export async function assertKnownPayer(wh: Warehouse, payer: string | undefined): Promise<void> {
  if (payer === undefined) return;
  const rows = await wh.all<{ payer: string }>(
    'SELECT DISTINCT payer FROM input.eligibility UNION SELECT DISTINCT payer FROM input.medical_claim ORDER BY 1',
  );
  const known = rows.map((r) => r.payer);
  if (!known.includes(payer)) {
    throw new UsageError(`unknown payer '${payer}': known payers are ${known.join(', ') || '(none loaded)'}`);
  }
}
