// The shape of the input-layer contract: one declared spec per table. The same spec drives DDL,
// load-time validation (quarantine rules), the data dictionary and governance classification.

/** Logical column types; each engine's dialect maps them to its own SQL types. */
export type ColumnType = 'string' | 'integer' | 'number' | 'money' | 'date' | 'timestamp' | 'boolean';

/**
 * How governance treats a column (HIPAA Safe Harbor and PHI minimization):
 * - `identifier`: a key that links records to a person (member_id, person_id, subscriber_id, SSN):
 *   pseudonymized with a keyed HMAC at load;
 * - `direct`: a direct identifier (name, street address, phone, email): dropped or kept restricted;
 * - `date`: a date tied to a person (birth, service, admission, death): reduced in de-identified exports;
 * - `geo`: geography smaller than a state (ZIP, city): ZIP cut to 3 digits in de-identified exports.
 */
export type PhiClass = 'identifier' | 'direct' | 'date' | 'geo';

export interface ColumnSpec {
  name: string;
  type: ColumnType;
  description: string;
  /** A row whose value is missing (null or empty) is quarantined. */
  required?: boolean;
  /** Closed list of values; anything else is quarantined. */
  allowed?: readonly string[];
  /** Anchored regular expression the text value must match (checked after trimming). */
  pattern?: string;
  /** Human-readable form of `pattern` for messages and docs. */
  patternText?: string;
  /** Inclusive numeric bounds; values outside are quarantined. */
  min?: number;
  max?: number;
  /** Name of a shipped code set this column draws from (checked as data quality, not rejected). */
  codeset?: string;
  phi?: PhiClass;
  /** Column added by claimlens beyond the Tuva Project input layer. */
  extension?: boolean;
}

export interface ForeignKey {
  columns: string[];
  references: { table: string; columns: string[] };
  /** Label for the ER diagram. */
  label: string;
}

export interface TableSpec {
  name: string;
  description: string;
  /** Columns that identify one row; loads reject duplicates of the grain within a file set. */
  grain: string[];
  /** A load without this table's file fails; optional tables may be absent. */
  requiredFile: boolean;
  columns: ColumnSpec[];
  foreignKeys?: ForeignKey[];
}

/** Builds `prefix_1..prefix_n` columns (Tuva's repeated diagnosis and procedure columns). */
export function numbered(
  prefix: string,
  count: number,
  make: (i: number) => Omit<ColumnSpec, 'name'>,
): ColumnSpec[] {
  return Array.from({ length: count }, (_, k) => ({ name: `${prefix}_${k + 1}`, ...make(k + 1) }));
}

export const NPI_PATTERN = '^[0-9]{10}$';
export const ZIP_PATTERN = '^[0-9]{5}$';
