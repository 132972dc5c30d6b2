// The service behind `claimlens sql`: one ad-hoc query on the warehouse opened read-only, with file
// access switched off, so an exploring analyst can neither change the warehouse nor copy rows out.
import { loadConfig } from '../config.ts';
import type { OpenOptions, Row } from '../engine/duckdb.ts';
import { Warehouse } from '../engine/duckdb.ts';
import { ClaimlensError } from '../errors.ts';
import type { GovernanceConfig } from '../governance/config.ts';
import { type Caller, cliCaller, governanceFor } from '../governance/runtime.ts';
import { governSql } from '../governance/sql-gate.ts';
import { blankCommentsAndStrings, singleStatement } from './sqltext.ts';

export interface QueryOptions {
  /** Most rows to return; 0 or undefined returns all. */
  limit?: number;
  open?: OpenOptions;
  // Governance (issue 7): who runs the query. Without a caller, the OS user under the configured
  // CLI role (governance.role); without a governance config, the one in claimlens.config.json.
  caller?: Caller;
  governance?: GovernanceConfig;
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
  // Governance (issue 7): the role decides whether the query runs and on what (the warehouse, or a
  // sandbox of allowed relations without identifier columns); the outcome is audited.
  const govConfig = options.governance ?? loadConfig().governance;
  const gov = governanceFor(govConfig, warehousePath);
  const caller = options.caller ?? cliCaller(govConfig);
  const open = () => Warehouse.open(warehousePath, { ...options.open, readOnly: true });
  return governSql(gov, caller, warehousePath, body, { limit: limit ?? 0 }, open, async (wh) => {
    // Cannot be turned back on in this session, so a query cannot read or write files. A
    // PostgreSQL session is read-only already (default_transaction_read_only); reading server
    // files needs a role the URL should not have (docs/engines.md).
    if (wh.engine === 'duckdb') await wh.run('SET enable_external_access = false');
    const wrap = limit !== undefined && WRAPPABLE.test(blanked);
    const text = wrap ? `SELECT * FROM (\n${body}\n) AS q LIMIT ${limit + 1}` : body;
    let rows = await engine(() => wh.all(text));
    const truncated = limit !== undefined && rows.length > limit;
    if (truncated) rows = rows.slice(0, limit);
    let columns = rows.length > 0 ? Object.keys(rows[0]!) : [];
    if (rows.length === 0 && WRAPPABLE.test(blanked)) {
      columns = (await engine(() => wh.describe(body))).map((c) => c.name);
    }
    return { result: { columns, rows, truncated }, rows: rows.length, columns };
  });
}

async function engine<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    const message = (err as Error).message;
    if (/read-only mode|read-only transaction/i.test(message)) {
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
