// The engine-neutral warehouse: what every part of claimlens (runner, services, quality) needs from
// a SQL engine. DuckDB (embedded, default) and PostgreSQL (server) implement it, so the same
// models, checks and KPI queries run on either; what differs in SQL lives in the dialect.
import type { Dialect } from './dialect.ts';

export type Row = Record<string, unknown>;

/**
 * A bound query parameter (`?` placeholders in the SQL, in order, on every engine): strings,
 * numbers, booleans, null; DuckDB value objects are accepted by the DuckDB engine only.
 */
export type SqlParam = unknown;

export type EngineName = 'duckdb' | 'postgres';

export const ENGINES: readonly EngineName[] = ['duckdb', 'postgres'];

export interface SqlWarehouse {
  /** Which engine this is; `dialect.name` says the same for SQL generation. */
  readonly engine: EngineName;
  readonly dialect: Dialect;
  /** The DuckDB file, or the PostgreSQL URL with its password hidden (for messages and audit). */
  readonly path: string;
  readonly readOnly: boolean;
  /** Runs statements that return nothing of interest. */
  run(sql: string, params?: SqlParam[]): Promise<void>;
  /** Rows as plain objects: BIGINT/DECIMAL/NUMERIC as JS numbers, dates as `YYYY-MM-DD` strings. */
  all<T = Row>(sql: string, params?: SqlParam[]): Promise<T[]>;
  one<T = Row>(sql: string, params?: SqlParam[]): Promise<T | undefined>;
  /** Column names and engine type names of a query's result, without reading rows. */
  describe(sql: string): Promise<{ name: string; type: string }[]>;
  tableExists(schema: string, table: string): Promise<boolean>;
  /**
   * Another session on the same database whose statements run concurrently with this one's (each
   * in its own autocommit transaction); closing it leaves this one open. Absent on an engine whose
   * work must stay in one session (the PostgreSQL build runs in one transaction).
   */
  session?(): Promise<SqlWarehouse>;
  close(): Promise<void>;
}

/** Hides the password of a connection URL, so it can be printed and audited. */
export function redactUrl(url: string): string {
  // The last @ of the authority ends the password, which may itself contain an (unencoded) @.
  return url.replace(/^(postgres(?:ql)?:\/\/[^:/@]*):[^/]*@/, '$1:***@');
}
