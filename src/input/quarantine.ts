// Where rejected input goes and how loads are recorded: input.quarantine (one row per broken rule,
// with file, line, column, value and the raw record) and input.load_log (one row per file per load).
import { ident } from '../engine/duckdb.ts';
import { INPUT_SCHEMA } from './contract.ts';

export const QUARANTINE_TABLE = `${ident(INPUT_SCHEMA)}.quarantine`;
export const LOAD_LOG_TABLE = `${ident(INPUT_SCHEMA)}.load_log`;
export const SOURCE_GAP_TABLE = `${ident(INPUT_SCHEMA)}.source_gap`;

/** Columns of input.quarantine, documented here because no contract spec describes them. */
export const QUARANTINE_COLUMNS = [
  { name: 'load_id', sql: 'BIGINT', description: 'Load that quarantined the row (see input.load_log).' },
  { name: 'table_name', sql: 'VARCHAR', description: 'Input table the row was meant for.' },
  {
    name: 'source_file',
    sql: 'VARCHAR',
    description: 'File the row came from, relative to the load directory.',
  },
  {
    name: 'source_line',
    sql: 'BIGINT',
    description: 'Line of the row in that file (header is line 1; parquet: row number).',
  },
  {
    name: 'rule',
    sql: 'VARCHAR',
    description:
      'Broken rule: required, type, allowed, pattern, range, duplicate_grain, or csv_<error> for a malformed line.',
  },
  {
    name: 'column_name',
    sql: 'VARCHAR',
    description: 'Column that broke the rule (grain columns for duplicate_grain).',
  },
  { name: 'value', sql: 'VARCHAR', description: 'The offending value as read (trimmed).' },
  {
    name: 'detail',
    sql: 'VARCHAR',
    description: 'What the rule expects, or the reader message for a malformed line.',
  },
  {
    name: 'record',
    sql: 'VARCHAR',
    description:
      'The whole row: a JSON object of its non-empty values, or the raw line for a malformed line.',
  },
  { name: 'loaded_at', sql: 'TIMESTAMP', description: 'When the load ran.' },
] as const;

export const LOAD_LOG_COLUMNS = [
  { name: 'load_id', sql: 'BIGINT', description: 'Load number, increasing by one per load.' },
  { name: 'table_name', sql: 'VARCHAR', description: 'Input table loaded.' },
  { name: 'source_file', sql: 'VARCHAR', description: 'File loaded, relative to the load directory.' },
  {
    name: 'rows_read',
    sql: 'BIGINT',
    description: 'Data rows (lines after the header, blank lines aside) read from the file.',
  },
  { name: 'rows_loaded', sql: 'BIGINT', description: 'Rows inserted into the input table.' },
  {
    name: 'rows_quarantined',
    sql: 'BIGINT',
    description: 'Rows sent to input.quarantine (a row breaking several rules counts once).',
  },
  { name: 'loaded_at', sql: 'TIMESTAMP', description: 'When the load ran.' },
] as const;

/** Columns of input.source_gap: what the loaded source does not carry (src/sources/adapter.ts CAPABILITIES). */
export const SOURCE_GAP_COLUMNS = [
  { name: 'load_id', sql: 'BIGINT', description: 'Load that recorded the gap.' },
  { name: 'format', sql: 'VARCHAR', description: 'Source format (synthea, synpuf, fhir, x12).' },
  { name: 'capability', sql: 'VARCHAR', description: 'What the source lacks, e.g. claim_status.' },
  { name: 'reason', sql: 'VARCHAR', description: 'Why, in words shown next to the marts that need it.' },
] as const;

function createSql(table: string, columns: readonly { name: string; sql: string }[]): string {
  return `CREATE TABLE IF NOT EXISTS ${table} (${columns.map((c) => `${ident(c.name)} ${c.sql}`).join(', ')})`;
}

export const CREATE_QUARANTINE_SQL = createSql(QUARANTINE_TABLE, QUARANTINE_COLUMNS);
export const CREATE_LOAD_LOG_SQL = createSql(LOAD_LOG_TABLE, LOAD_LOG_COLUMNS);
export const CREATE_SOURCE_GAP_SQL = createSql(SOURCE_GAP_TABLE, SOURCE_GAP_COLUMNS);
