// Shared read and write steps of the source adapters: a source CSV read into the scratch DuckDB with
// its header checked and its malformed lines reported by file and line, and a mapped SELECT written
// as an input-layer CSV part with exactly the contract's columns.
import { closeSync, mkdirSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { ident, literal } from '../engine/duckdb.ts';
import { ClaimlensError } from '../errors.ts';
import { tableSpec } from '../input/contract.ts';
import type { ConvertContext } from './adapter.ts';

export interface SourceCsvOptions {
  /** File name inside the load folder. */
  file: string;
  /** Scratch table to create; it gets every column as text plus `_record`, the 1-based record number. */
  table: string;
  /** Columns the mapping needs; a header without them is an error naming the file and the columns. */
  required: readonly string[];
  /** Field separator, default ','. */
  delimiter?: string;
}

/** Record number a DuckDB CSV error points at, if it says. */
function lineOf(message: string): number | undefined {
  const m = /line:?\s*(\d+)/i.exec(message);
  return m ? Number(m[1]) : undefined;
}

/**
 * Reads one source CSV into `ctx.db` as text columns, in file order. Empty files, missing columns and
 * malformed lines (bad quoting, wrong field count) are ClaimlensErrors naming the file and line.
 * Returns the number of records.
 */
export async function readSourceCsv(ctx: ConvertContext, options: SourceCsvOptions): Promise<number> {
  const path = join(ctx.dir, options.file);
  const header = readHeader(path, options.file, options.delimiter ?? ',');
  const missing = options.required.filter((c) => !header.includes(c));
  if (missing.length > 0) {
    throw sourceError(
      options.file,
      `the header lacks column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}: is this the right file and format?`,
      1,
    );
  }
  const columns = `{${header.map((h) => `${literal(h)}: 'VARCHAR'`).join(', ')}}`;
  const reader =
    `read_csv(${literal(path)}, header = true, auto_detect = false, delim = ${literal(options.delimiter ?? ',')}, ` +
    `quote = '"', escape = '"', strict_mode = true, null_padding = false, columns = ${columns})`;
  try {
    await ctx.db.run(`CREATE OR REPLACE TABLE ${ident(options.table)} AS SELECT * FROM ${reader}`);
    await ctx.db.run(
      `CREATE OR REPLACE TABLE ${ident(options.table)} AS SELECT rowid + 1 AS _record, * FROM ${ident(options.table)}`,
    );
  } catch (err) {
    const msg = firstLine(err);
    throw sourceError(options.file, `malformed CSV: ${msg}; fix the line or remove it`, lineOf(msg));
  }
  const n = await ctx.db.one<{ n: number }>(`SELECT count(*) AS n FROM ${ident(options.table)}`);
  return n?.n ?? 0;
}

/** The column names of a CSV's first line (quotes removed), read without the rest of the file. */
function readHeader(path: string, file: string, delimiter: string): string[] {
  let text: string;
  try {
    const fd = openSync(path, 'r');
    try {
      const buf = Buffer.alloc(65536);
      text = buf.toString('utf8', 0, readSync(fd, buf, 0, buf.length, 0));
    } finally {
      closeSync(fd);
    }
  } catch {
    throw new ClaimlensError('input_missing', 'cannot open the file', { file });
  }
  const line = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  if (line.trim() === '') throw sourceError(file, 'the file is empty: expected a header line', 1);
  return line.split(delimiter).map((h) => h.trim().replace(/^"(.*)"$/, '$1'));
}

function firstLine(err: unknown): string {
  return String((err as Error).message ?? err)
    .split('\n')[0]!
    .trim();
}

/** An error in a source file, at a line (CSV) or record (JSON line number) when known. */
export function sourceError(file: string, message: string, line?: number): ClaimlensError {
  return new ClaimlensError('input_format', message, { file, ...(line !== undefined ? { line } : {}) });
}

/**
 * Writes the rows of `select` (run in ctx.db) as `<out>/<table>/<part>.csv` with the contract's columns
 * in order: columns the SELECT does not produce are left empty, and a column the contract does not
 * have is a programming error. Returns the number of rows written.
 */
export async function writeTable(
  ctx: ConvertContext,
  table: string,
  part: string,
  select: string,
): Promise<number> {
  const spec = tableSpec(table);
  const produced = new Set((await ctx.db.describe(select)).map((c) => c.name));
  const known = new Set(spec.columns.map((c) => c.name));
  const unknown = [...produced].filter((c) => !known.has(c));
  if (unknown.length > 0)
    throw new Error(`mapping to ${table} produces unknown columns: ${unknown.join(', ')}`);
  const list = spec.columns
    .map((c) => (produced.has(c.name) ? ident(c.name) : `NULL AS ${ident(c.name)}`))
    .join(', ');
  mkdirSync(join(ctx.out, table), { recursive: true });
  const path = join(ctx.out, table, `${part}.csv`);
  await ctx.db.run(`COPY (SELECT ${list} FROM (${select})) TO ${literal(path)} (HEADER, DELIMITER ',')`);
  const n = await ctx.db.one<{ n: number }>(`SELECT count(*) AS n FROM (${select})`);
  return n?.n ?? 0;
}
