// What every source adapter has (docs/sources/README.md): detect (does this folder hold my files?),
// read and map (source records to input-layer rows, written as contract CSV parts that the ordinary
// loader validates and quarantines), and report (what was read, what was written, what the source
// cannot tell us). The gaps a source declares travel into the warehouse (input.source_gap), so a mart
// that needs them says "not available from this source" instead of showing zeros.
import type { Warehouse } from '../engine/duckdb.ts';

/**
 * Facts a mart may need that some sources do not carry. Adapters declare the ones they lack; the KPI
 * layer (src/services/capabilities.ts) marks what depends on them as unavailable.
 */
export const CAPABILITIES = {
  claim_status: 'adjudication outcome of each claim line (paid, denied, pending), the basis of denial rates',
  adjustment_reasons:
    'CARC group and reason codes on remittance adjustments, the basis of denial root causes',
  submission_dates:
    'the date each claim was submitted, for timely filing and days from submission to payment',
  paid_dates: 'the date each claim was paid, for days to pay and A/R aging',
  charge_amounts: 'billed charges per line, for collection rates and contractual variance',
  allowed_amounts: 'contractually allowed amounts per line, for variance against expected payment',
  payments: 'payer and patient payment transactions with dates, for collection and patient balances',
  pharmacy_claims: 'pharmacy claims with days supply, for adherence (PDC) and pharmacy spend',
  ehr_encounters: 'EHR encounters, for the claims-to-EHR match rate',
  finance_ledger: 'the finance ledger, for revenue reconciliation',
  icd10_diagnoses:
    'ICD-10-CM diagnosis codes, for CCSR groups, the planned-readmission algorithm and PQI measures',
  prior_authorization: 'prior-authorization numbers on claim lines',
  procedure_codes: 'CPT/HCPCS procedure codes on claim lines, for top services and service categories',
  ndc_codes: 'NDC product codes on pharmacy claims, for drug classes (adherence, pharmacy mix)',
  provider_npi: 'NPIs of rendering, billing and facility providers, for provider and hospital views',
  patient_responsibility:
    'deductible, coinsurance and copay amounts per line: what the patient owes, the billed side of patient balances',
  facility_npi:
    'NPIs of the facilities on institutional claims, for hospital benchmarking and transfer chains',
} as const;

export type Capability = keyof typeof CAPABILITIES;

export function isCapability(name: string): name is Capability {
  return Object.hasOwn(CAPABILITIES, name);
}

/** Something a source does not carry, and why, in words a reader of the mart understands. */
export interface SourceGap {
  capability: Capability;
  reason: string;
}

/** What `detect` recognized in a folder. */
export interface SourceDetection {
  format: string;
  /** One line for the user: what was recognized, e.g. "Synthea CSV export (claims.csv, ...)". */
  summary: string;
  /** Entries of the folder the adapter will read. */
  files: string[];
}

/** One source file read: records in it and the input tables it fed. */
export interface SourceFileReport {
  file: string;
  records: number;
  tables: string[];
}

/** The adapter's own report, printed before the loader's. */
export interface SourceReport {
  format: string;
  summary: string;
  files: SourceFileReport[];
  /** Rows written per input table (before the loader's validation). */
  tables: Record<string, number>;
  gaps: SourceGap[];
  /** Records skipped or mapped with loss, each naming the file and record. */
  warnings: string[];
  /** The adapter's own detailed report (X12: transactions, quarantined interchanges), for --json. */
  details?: unknown;
  /**
   * Source records the adapter could not map at all (an X12 transaction with a broken envelope, ...):
   * they go to input.quarantine with the source file and line, like rows the loader rejects.
   */
  rejects?: SourceReject[];
}

/** A source record rejected before it became a row; see SourceReport.rejects. */
export interface SourceReject {
  /** Input table the record would have fed. */
  table: string;
  /** Source file, as the adapter names it in its report. */
  file: string;
  /** Line or segment number in that file where the record starts. */
  line: number;
  /** Rule broken, prefixed `source_` (e.g. source_x12_envelope). */
  rule: string;
  detail: string;
  /** The record itself or an excerpt, when the adapter has it. */
  record?: string;
}

export interface ConvertContext {
  /** The folder being loaded. */
  dir: string;
  /** Staging folder: write input tables as `<out>/<table>/<part>.csv` (see writeTable in staging.ts). */
  out: string;
  /** A scratch in-memory DuckDB for set-based mapping; dropped after the load. */
  db: Warehouse;
  progress: (message: string) => void;
}

export interface SourceAdapter {
  /** Name used by `--format`. */
  readonly format: string;
  /** Human name, e.g. "Synthea CSV". */
  readonly title: string;
  /** The mapping table of this source, relative to the repository root. */
  readonly docs: string;
  /**
   * Sources that carry only some input tables (X12 claims and remittances) add to a warehouse that
   * has the rest: they append by default and do not require eligibility. Default false.
   */
  readonly partial?: boolean;
  /** Recognizes the folder from its entries (sorted file names), or returns undefined. Must be cheap. */
  detect(dir: string, entries: readonly string[]): SourceDetection | undefined;
  /** Reads the source files and writes input-layer parts into ctx.out. */
  convert(ctx: ConvertContext): Promise<SourceReport>;
}
