// Readers turn one source part into rows of text for validation: which relation to scan, which of its
// columns feed which contract column, how `_source_line` is known, and what the reader itself rejected.
import { ident, literal, type Warehouse } from '../engine/duckdb.ts';
import { ClaimlensError } from '../errors.ts';
import { readCsvHeader, scanCsvBody } from './csv.ts';
import type { SourcePart } from './formats.ts';
import type { ColumnSpec, TableSpec } from './spec.ts';
import { cleanText } from './validate.ts';

/** How the line of each row is known. */
export type LineSource =
  /** An expression over the relation (parquet row number, a parser's line). */
  | { kind: 'expression'; sql: string }
  /** Only the order of the rows gives it: the n-th row is the n-th line not listed in `gaps`. */
  | { kind: 'ordinal' };

/** What a reader found in the part after its rows were read. */
export interface ReadOutcome {
  /**
   * SELECT of the lines that yielded no row, header included (column `line`), for ordinal numbering.
   * Undefined for expression lines.
   */
  gapsSql?: string;
  /**
   * SELECT of the lines the reader quarantined itself, with columns source_line, rule, column_name,
   * value, detail, record.
   */
  rejectsSql?: string;
}

export interface OpenedPart {
  part: SourcePart;
  /** FROM item that yields one row per record of the part. */
  relation: string;
  /**
   * FROM item yielding the same rows again without recording anything (no rejects), for a pass
   * that reads a few columns before the load (pseudonymization's token maps).
   */
  rescan: string;
  /**
   * For each contract column the part holds, SQL over the relation giving its text as the rules see
   * it: trimmed of spaces and tabs, NULL when empty.
   */
  text: Map<string, string>;
  line: LineSource;
  warnings: string[];
  /** Called once the rows were read (the relation scanned). */
  finish(): Promise<ReadOutcome>;
  /** Drops whatever the reader kept in the warehouse. */
  cleanup(): Promise<void>;
}

export interface PartReader {
  readonly name: string;
  /**
   * Optional check that needs no warehouse (a CSV header), run before a staged load copies the
   * warehouse, so a wrong header fails at once. Throws a ClaimlensError naming the file.
   */
  check?(part: SourcePart, spec: TableSpec): void;
  /**
   * Checks the part can be loaded (header, columns) before anything is written, failing with a
   * ClaimlensError that names the file. `tempName` is unique per part, for temp tables.
   */
  open(wh: Warehouse, part: SourcePart, spec: TableSpec, tempName: string): Promise<OpenedPart>;
}

const readers = new Map<string, PartReader>();

export function registerReader(reader: PartReader): void {
  readers.set(reader.name, reader);
}

export function readerFor(name: string): PartReader {
  const reader = readers.get(name);
  if (!reader) throw new Error(`no reader registered for '${name}'`);
  return reader;
}

export interface ColumnMatch {
  /** Contract column name → name in the source. */
  matched: Map<string, string>;
  warnings: string[];
}

/**
 * Matches source column names to the contract (case-insensitive, trimmed). Missing required columns
 * fail naming the file; missing optional columns load as NULL; unknown columns become warnings.
 */
export function matchColumns(
  spec: TableSpec,
  sourceColumns: readonly string[],
  part: SourcePart,
  line: number | undefined,
): ColumnMatch {
  const file = part.path;
  const byKey = new Map<string, string>();
  for (const name of sourceColumns) {
    const key = name.trim().toLowerCase();
    if (key === '') continue;
    if (byKey.has(key)) {
      throw new ClaimlensError(
        'input_header',
        `column ${name} appears twice in the header: rename or remove one of them`,
        { file, line, column: name },
      );
    }
    byKey.set(key, name);
  }
  const matched = new Map<string, string>();
  for (const col of spec.columns) {
    const source = byKey.get(col.name);
    if (source !== undefined) matched.set(col.name, source);
  }
  const missing = spec.columns.filter((c) => c.required && !matched.has(c.name)).map((c) => c.name);
  if (missing.length > 0) {
    throw new ClaimlensError(
      'input_header',
      `missing required column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} for table ${spec.name}: ` +
        `add ${missing.length > 1 ? 'them' : 'it'} to the header. Expected header: ${spec.columns.map((c) => c.name).join(',')}`,
      { file, line, column: missing[0] },
    );
  }
  const known = new Set(spec.columns.map((c) => c.name));
  const extra = sourceColumns.filter((n) => n.trim() !== '' && !known.has(n.trim().toLowerCase()));
  const unnamed = sourceColumns.filter((n) => n.trim() === '').length;
  const warnings: string[] = [];
  if (extra.length > 0) {
    warnings.push(
      `${part.sourceFile}: column${extra.length > 1 ? 's' : ''} ${extra.join(', ')} not in table ${spec.name}, not loaded`,
    );
  }
  if (unnamed > 0)
    warnings.push(`${part.sourceFile}: ${unnamed} column(s) without a name in the header, not loaded`);
  return { matched, warnings };
}

/** CSV through DuckDB's read_csv: every field as text, malformed lines kept in a rejects table. */
export const csvReader: PartReader = {
  name: 'csv',
  check(part, spec) {
    matchColumns(spec, readCsvHeader(part.path), part, 1);
  },
  async open(wh, part, spec, tempName) {
    const header = readCsvHeader(part.path);
    const { matched, warnings } = matchColumns(spec, header, part, 1);
    // DuckDB needs a name per field; blank header cells get a placeholder that cannot match the contract.
    const names = header.map((h, i) => (h === '' ? `_unnamed_${i + 1}` : h));
    const scan = await scanCsvBody(part.path);
    const rejectsTable = `${tempName}_rejects`;
    const rejectsScan = `${tempName}_scan`;
    const columns = names.map((n) => `${literal(n)}: 'VARCHAR'`).join(', ');
    const read = (errors: string) =>
      `read_csv(${literal(part.path)}, header = true, delim = ',', quote = '"', escape = '"', ` +
      `auto_detect = false, columns = {${columns}}, ${errors})`;
    const relation = read(
      `store_rejects = true, rejects_table = ${literal(rejectsTable)}, rejects_scan = ${literal(rejectsScan)}`,
    );
    // read_csv already reads empty fields as NULL; trimming is only paid for when some field may need it.
    const text = new Map<string, string>();
    for (const [col, source] of matched)
      text.set(col, scan.mayNeedTrim ? cleanText(ident(source)) : ident(source));
    // A one-column file gets a NULL row for a blank line, so only wider files have blank-line gaps.
    const blank = names.length > 1 ? scan.blankLines : [];
    return {
      part,
      relation,
      // Rejected lines are skipped here as in the load's own scan, so both yield the same rows.
      rescan: read('ignore_errors = true'),
      text,
      line: { kind: 'ordinal' },
      warnings,
      async finish() {
        const blankSql = blank.length > 0 ? ` UNION SELECT unnest([${blank.join(', ')}])::BIGINT` : '';
        return {
          gapsSql: `SELECT 1::BIGINT AS line UNION SELECT line::BIGINT FROM ${ident(rejectsTable)}${blankSql}`,
          // DuckDB lists a line once per missing column; the quarantine gets one row per line and error.
          rejectsSql:
            `SELECT line::BIGINT AS source_line, 'csv_' || lower(replace(error_type, ' ', '_')) AS rule, ` +
            'CASE WHEN count(*) = 1 THEN any_value(column_name) END AS column_name, NULL::VARCHAR AS value, ' +
            'min(error_message) AS detail, trim(any_value(csv_line), chr(10) || chr(13)) AS record ' +
            `FROM ${ident(rejectsTable)} GROUP BY line, error_type`,
        };
      },
      async cleanup() {
        await wh.run(`DROP TABLE IF EXISTS ${ident(rejectsTable)}`);
        await wh.run(`DROP TABLE IF EXISTS ${ident(rejectsScan)}`);
      },
    };
  },
};

/**
 * Text of a typed parquet column for contract column `col`: a timestamp at midnight feeding a date
 * column becomes the date, so parquet written from data frames (which store dates as timestamps) loads.
 */
function parquetText(source: string, sourceType: string, col: ColumnSpec): string {
  const c = ident(source);
  if (sourceType === 'VARCHAR') return cleanText(c);
  if (col.type === 'date' && sourceType.startsWith('TIMESTAMP')) {
    return `CASE WHEN CAST(${c} AS TIME) = TIME '00:00:00' THEN CAST(CAST(${c} AS DATE) AS VARCHAR) ELSE CAST(${c} AS VARCHAR) END`;
  }
  return `CAST(${c} AS VARCHAR)`;
}

/** Parquet through read_parquet; a row's line is its row number in the file, starting at 1. */
export const parquetReader: PartReader = {
  name: 'parquet',
  async open(wh, part, spec) {
    const relation = `read_parquet(${literal(part.path)}, file_row_number = true)`;
    let described: { name: string; type: string }[];
    try {
      described = await wh.describe(`SELECT * FROM ${relation}`);
    } catch (err) {
      throw new ClaimlensError(
        'input_format',
        `cannot read it as parquet (${(err as Error).message.split('\n')[0]}): write it again as parquet or as csv`,
        { file: part.path },
      );
    }
    const sourceColumns = described.map((d) => d.name).filter((n) => n !== 'file_row_number');
    const { matched, warnings } = matchColumns(spec, sourceColumns, part, undefined);
    const types = new Map(described.map((d) => [d.name, d.type]));
    const text = new Map<string, string>();
    for (const col of spec.columns) {
      const source = matched.get(col.name);
      if (source !== undefined) text.set(col.name, parquetText(source, types.get(source) ?? 'VARCHAR', col));
    }
    return {
      part,
      relation,
      rescan: relation,
      text,
      line: { kind: 'expression', sql: 'file_row_number + 1' },
      warnings,
      async finish() {
        return {};
      },
      async cleanup() {},
    };
  },
};

registerReader(csvReader);
registerReader(parquetReader);
