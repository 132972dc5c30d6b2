// The service behind `claimlens sql`: one ad-hoc query on the warehouse opened read-only, with file
// access switched off, so an exploring analyst can neither change the warehouse nor copy rows out.
import type { OpenOptions, Row } from '../engine/duckdb.ts';
import { Warehouse } from '../engine/duckdb.ts';
import { ClaimlensError } from '../errors.ts';
import { blankCommentsAndStrings, singleStatement } from './sqltext.ts';

export interface QueryOptions {
  /** Most rows to return; 0 or undefined returns all. */
  limit?: number;
  open?: OpenOptions;
}

export interface QueryResult {
  columns: string[];
  rows: Row[];
  /** True when the query had more rows than `limit`. */
  truncated: boolean;
}

/** Statements whose result can be wrapped in `SELECT * FROM (...) LIMIT n`, so only n rows are read. */
const WRAPPABLE = /^\s*\(*\s*(select|with|from|values|table)\b/i;

/**
 * Runs one read-only statement against the warehouse at `warehousePath`.
 *
 * @example await queryWarehouse('claimlens.duckdb', 'SELECT count(*) AS n FROM staging.medical_claim')
 */
export async function queryWarehouse(
  warehousePath: string,
  sql: string,
  options: QueryOptions = {},
): Promise<QueryResult> {
  const { body, extraSeparators } = singleStatement(sql);
  const blanked = blankCommentsAndStrings(body);
  if (blanked.trim() === '') throw new ClaimlensError('sql', 'the query is empty');
  if (extraSeparators.length > 0) {
    throw new ClaimlensError(
      'sql',
      'claimlens sql runs one statement at a time; remove the `;` between statements',
    );
  }
  const limit = options.limit && options.limit > 0 ? options.limit : undefined;
  const wh = await Warehouse.open(warehousePath, { ...options.open, readOnly: true });
  try {
    // Cannot be turned back on in this session, so a query cannot read or write files.
    await wh.run('SET enable_external_access = false');
    const wrap = limit !== undefined && WRAPPABLE.test(blanked);
    const text = wrap ? `SELECT * FROM (\n${body}\n) AS q LIMIT ${limit + 1}` : body;
    let rows = await engine(() => wh.all(text));
    const truncated = limit !== undefined && rows.length > limit;
    if (truncated) rows = rows.slice(0, limit);
    let columns = rows.length > 0 ? Object.keys(rows[0]!) : [];
    if (rows.length === 0 && WRAPPABLE.test(blanked)) {
      columns = (await engine(() => wh.describe(body))).map((c) => c.name);
    }
    return { columns, rows, truncated };
  } finally {
    await wh.close();
  }
}

async function engine<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    const message = (err as Error).message;
    if (/read-only mode/i.test(message)) {
      throw new ClaimlensError(
        'sql',
        `claimlens sql only reads the warehouse (${message}); change it with \`claimlens load\` and \`claimlens build\``,
      );
    }
    if (/file system operations are disabled/i.test(message)) {
      throw new ClaimlensError(
        'sql',
        `claimlens sql does not read or write files (${message}); query the warehouse tables instead`,
      );
    }
    throw new ClaimlensError('sql', message);
  }
}
