// The quality marts: declared grain and column docs (one source for their DDL and docs/quality.md),
// written by materializeQuality after the models are built.
import { ident } from '../engine/duckdb.ts';

export const MARTS_SCHEMA = 'marts';

export interface MartColumn {
  name: string;
  sql: string;
  description: string;
}

export interface MartSpec {
  name: string;
  description: string;
  grain: string[];
  columns: MartColumn[];
}

export const QUALITY_CHECK_RESULT: MartSpec = {
  name: 'quality_check_result',
  description:
    'One row per data-quality check of the last build: what was checked, how many units failed, examples.',
  grain: ['check_id'],
  columns: [
    { name: 'check_id', sql: 'VARCHAR', description: 'Check identifier (see docs/quality.md).' },
    { name: 'table_name', sql: 'VARCHAR', description: 'Input table whose rows the check counts.' },
    { name: 'severity', sql: 'VARCHAR', description: 'error, warning or info.' },
    {
      name: 'category',
      sql: 'VARCHAR',
      description: 'structural, logical, referential, codeset or reconciliation.',
    },
    { name: 'unit', sql: 'VARCHAR', description: 'What a counted unit is: row (of table_name) or claim.' },
    { name: 'description', sql: 'VARCHAR', description: 'What the check finds.' },
    { name: 'action', sql: 'VARCHAR', description: 'What to do when it fails.' },
    { name: 'failing_rows', sql: 'BIGINT', description: 'Units that fail the check.' },
    { name: 'checked_rows', sql: 'BIGINT', description: 'Units the check applies to (the denominator).' },
    {
      name: 'failing_pct',
      sql: 'DOUBLE PRECISION',
      description: 'failing_rows / checked_rows (0 to 1); null when nothing was checked.',
    },
    { name: 'status', sql: 'VARCHAR', description: 'pass, fail or skipped.' },
    { name: 'skip_reason', sql: 'VARCHAR', description: 'Why a skipped check did not run.' },
    {
      name: 'examples',
      sql: 'VARCHAR',
      description: 'Up to 5 failing locations as _source_file:_source_line, separated by "; ".',
    },
    { name: 'checked_at', sql: 'TIMESTAMP', description: 'When the checks ran (UTC).' },
  ],
};

export const QUALITY_EHR_MATCH: MartSpec = {
  name: 'quality_ehr_match',
  description:
    'Claims-to-EHR match by service month and claim type: share of claims with a matching encounter and share of encounters with a matching claim.',
  grain: ['month', 'claim_type'],
  columns: [
    {
      name: 'month',
      sql: 'DATE',
      description:
        'First day of the month: claim service month (admission month for inpatient claims) or encounter start month.',
    },
    { name: 'claim_type', sql: 'VARCHAR', description: 'professional, institutional or all.' },
    {
      name: 'claims',
      sql: 'BIGINT',
      description: 'Claims (claim grain, reversed lines left out) of the month and type.',
    },
    { name: 'claims_matched', sql: 'BIGINT', description: 'Of those, claims with a matching encounter.' },
    {
      name: 'claim_match_rate',
      sql: 'DOUBLE PRECISION',
      description: 'claims_matched / claims; null when no claims.',
    },
    {
      name: 'encounters',
      sql: 'BIGINT',
      description: 'EHR encounters starting in the month (the same on every claim_type row).',
    },
    {
      name: 'encounters_matched',
      sql: 'BIGINT',
      description: 'Encounters with a matching claim of claim_type (any claim on the all row).',
    },
    {
      name: 'encounter_match_rate',
      sql: 'DOUBLE PRECISION',
      description: 'encounters_matched / encounters; null when no encounters.',
    },
  ],
};

export const QUALITY_LEDGER_VARIANCE: MartSpec = {
  name: 'quality_ledger_variance',
  description:
    'Claims payer payments (medical paid_amount by paid month) against finance-ledger payer payments by month and payer, over the ledger months.',
  grain: ['month', 'payer'],
  columns: [
    {
      name: 'month',
      sql: 'DATE',
      description: 'First day of the month (paid month for claims, ledger_month for the ledger).',
    },
    { name: 'payer', sql: 'VARCHAR', description: 'Payer as named in claims and the ledger.' },
    {
      name: 'claims_paid',
      sql: 'DECIMAL(18,2)',
      description: 'Sum of medical_claim paid_amount with paid_date in the month (reversed lines left out).',
    },
    {
      name: 'ledger_payer_payments',
      sql: 'DECIMAL(18,2)',
      description: 'finance_ledger payer_payments of the month.',
    },
    { name: 'variance_amount', sql: 'DECIMAL(18,2)', description: 'ledger_payer_payments - claims_paid.' },
    {
      name: 'variance_pct',
      sql: 'DOUBLE PRECISION',
      description: 'variance_amount / claims_paid; null when claims_paid is 0.',
    },
  ],
};

export const QUALITY_MARTS: readonly MartSpec[] = [
  QUALITY_CHECK_RESULT,
  QUALITY_EHR_MATCH,
  QUALITY_LEDGER_VARIANCE,
];

export function martTable(spec: MartSpec): string {
  return `${ident(MARTS_SCHEMA)}.${ident(spec.name)}`;
}

export function createMartSql(spec: MartSpec): string {
  const cols = spec.columns.map((c) => `  ${ident(c.name)} ${c.sql}`).join(',\n');
  return `CREATE TABLE ${martTable(spec)} (\n${cols}\n)`;
}

export function columnList(spec: MartSpec): string {
  return spec.columns.map((c) => ident(c.name)).join(', ');
}
