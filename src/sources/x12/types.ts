// Shared shapes of the X12 source: tokens (segments), the rows handed to the input layer and the
// report of a read. Kept apart so the tokenizer, the envelope walker and the mappers stay decoupled.
import type { ClaimlensError } from '../../errors.ts';

/** The four separators of an interchange, taken from its ISA segment. */
export interface Delimiters {
  /** ISA character 4. */
  element: string;
  /** ISA16. */
  component: string;
  /** ISA11 in 5010 and later; null in 4010 (where ISA11 is the standards identifier `U`). */
  repetition: string | null;
  /** The character right after ISA16. */
  segment: string;
}

/** One segment: `elements[0]` is the segment id, so `elements[n]` is X12 element n (CLP01 = elements[1]). */
export interface Segment {
  id: string;
  elements: string[];
  /** 1-based position of the segment in the file (ISA = 1): the "segment number" of messages. */
  ordinal: number;
  /** Byte offset of the segment's first character in the file. */
  offset: number;
  delimiters: Delimiters;
  /** Set on the last segment of a file that ends without a segment terminator (truncated). */
  incomplete?: true;
}

/** Tables the X12 adapter fills: input-layer tables, plus `remittance_claim` (one row per 835 CLP). */
export type X12Table =
  | 'medical_claim'
  | 'claim_adjustment'
  | 'payment'
  | 'payer'
  | 'provider'
  | 'remittance_claim';

export const X12_TABLES: readonly X12Table[] = [
  'payer',
  'provider',
  'medical_claim',
  'claim_adjustment',
  'payment',
  'remittance_claim',
];

/** A row keyed by contract column names; columns without a value in the source are absent. */
export type X12Record = Record<string, string | number>;

export interface X12Row {
  table: X12Table;
  row: X12Record;
}

/** A transaction (or claim) that was not read, and why. */
export interface X12Problem {
  file: string;
  /** Segment number (in the file) where the transaction starts or the problem was found. */
  segment: number;
  /** ST01 (835, 837, 277, ...). */
  transactionSet?: string;
  /** ST02 control number. */
  controlNumber?: string;
  /** For claims skipped inside a good transaction. */
  claimId?: string;
  reason: string;
}

export interface X12Warning {
  file: string;
  segment: number;
  message: string;
}

export interface X12FileReport {
  file: string;
  bytes: number;
  interchanges: number;
  /** Transactions read (valid and mapped) in this file. */
  transactions: number;
  quarantined: number;
  skipped: number;
  /** Set when the file could not be read as X12 at all (directory reads keep going). */
  error?: string;
}

export interface X12Report {
  files: X12FileReport[];
  /** Files in a directory that are not X12 (no ISA at the start and no X12-like content). */
  skippedFiles: { file: string; reason: string }[];
  /** Valid transactions read, by kind: `835`, `837P`, `837I`, `837D`, `837`. */
  transactions: Record<string, number>;
  /** 837 claims mapped to medical_claim. */
  claims: number;
  /** medical_claim rows (837 service lines). */
  serviceLines: number;
  /** 835 CLP loops read. */
  remittanceClaims: number;
  /** 835 SVC loops read. */
  remittanceLines: number;
  /** claim_adjustment rows. */
  adjustments: number;
  /** payment rows. */
  payments: number;
  /** 837 claims whose status, paid amounts and dates came from an 835 read before them. */
  claimsWithRemittance: number;
  /** Rows produced per table. */
  rows: Record<X12Table, number>;
  /** Transactions not read because they are malformed (envelope, segment count, segment ids). */
  quarantined: X12Problem[];
  /** Transaction sets claimlens does not read (277, 999, 270/271, ...) and claims it does not map (dental). */
  skipped: X12Problem[];
  /** Envelope errors (ISA/IEA, GS/GE) and, in directory reads, files unreadable as X12. */
  errors: ClaimlensError[];
  /** Non-fatal findings (unbalanced remittances, unknown codes, tolerated syntax), first 200 kept. */
  warnings: X12Warning[];
  warningCount: number;
}

export interface X12Options {
  /**
   * What a wrong segment count (SE01, GE01, IEA01) does: `quarantine` (default) quarantines the
   * transaction (SE01) or reports an envelope error (GE01, IEA01); `warn` only warns. Some
   * generators write a fixed SE01; `warn` reads their files.
   */
  countMismatch?: 'quarantine' | 'warn';
  /** Throw the first envelope error, and in directory reads the first unreadable file, instead of reporting it. */
  strict?: boolean;
  /**
   * Directory reads: settle the 837 claims with the 835s of the same directory (status, paid
   * amounts and dates; default true). Keeps a small record per remitted claim; turn off for
   * remittance volumes in the millions of claims and settle in SQL from remittance_claim.
   */
  applyRemittances?: boolean;
  /** Read chunk size in bytes (default 64 KiB: batches small enough to die young in the GC). */
  chunkSize?: number;
}

export function emptyReport(): X12Report {
  return {
    files: [],
    skippedFiles: [],
    transactions: {},
    claims: 0,
    serviceLines: 0,
    remittanceClaims: 0,
    remittanceLines: 0,
    adjustments: 0,
    payments: 0,
    claimsWithRemittance: 0,
    rows: { payer: 0, provider: 0, medical_claim: 0, claim_adjustment: 0, payment: 0, remittance_claim: 0 },
    quarantined: [],
    skipped: [],
    errors: [],
    warnings: [],
    warningCount: 0,
  };
}
