// The embedded warehouse: a thin wrapper over @duckdb/node-api that returns plain JS rows
// (numbers, strings, booleans, ISO dates) and stages writes in a copy so a failed or killed
// load or build leaves the previous warehouse file untouched.
import {
  closeSync,
  copyFileSync,
  existsSync,
  fsyncSync,
  openSync,
  readdirSync,
  renameSync,
  rmSync,
} from 'node:fs';
import { totalmem } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { type DuckDBConnection, DuckDBInstance, type DuckDBValue } from '@duckdb/node-api';
import { ClaimlensError } from '../errors.ts';
import { type Dialect, duckdbDialect } from './dialect.ts';
import type { Row, SqlParam, SqlWarehouse } from './engine.ts';

export type { Row } from './engine.ts';

export interface OpenOptions {
  readOnly?: boolean;
  /** DuckDB threads; defaults to the engine's choice (all cores). */
  threads?: number;
  memoryLimit?: string;
  /**
   * Take the buffer pool's blocks from DuckDB's block allocator (`block_allocator_memory`, as much
   * as `memoryLimit`; nothing without one) and reuse them, instead of from the C library's heap,
   * which keeps much of what is freed. The instance holds what it has touched until it closes, so
   * only batch work (a build) asks for it.
   */
  blockAllocator?: boolean;
}

/**
 * Storage format of the files claimlens creates. DuckDB writes new files in its v0.10.2 format by
 * default, for older readers; that format lacks the newer string compression (DICT_FSST), and with it
 * DuckDB spends most of a table's write trying the older methods. On the 1M book, a warehouse in this
 * format built in 22.5 s with 37.0-37.2 s of CPU against 25.6-25.7 s and 42.8-43.1 s, and its file is
 * smaller (765 MB against 817 MB after a build). A file keeps the format it was created with; DuckDB
 * before 1.5 cannot open one in this format.
 */
export const STORAGE_VERSION = 'v1.5.0';

const NUMERIC_TYPES = /^(BIGINT|HUGEINT|UBIGINT|UHUGEINT|DECIMAL)/;

export class DuckDBWarehouse implements SqlWarehouse {
  readonly engine = 'duckdb' as const;
  readonly dialect: Dialect = duckdbDialect;
  readonly path: string;
  readonly readOnly: boolean;
  private readonly instance: DuckDBInstance;
  private readonly conn: DuckDBConnection;
  /** False for a session opened by `session()`: closing it closes its connection only. */
  private readonly ownsInstance: boolean;

  private constructor(
    path: string,
    readOnly: boolean,
    instance: DuckDBInstance,
    conn: DuckDBConnection,
    ownsInstance = true,
  ) {
    this.path = path;
    this.readOnly = readOnly;
    this.instance = instance;
    this.conn = conn;
    this.ownsInstance = ownsInstance;
  }

  /** Opens (or creates, when writable) a warehouse file; `:memory:` gives a scratch warehouse for tests. */
  static async open(path: string, options: OpenOptions = {}): Promise<DuckDBWarehouse> {
    const readOnly = options.readOnly ?? false;
    if (path !== ':memory:' && readOnly && !existsSync(path)) {
      throw new ClaimlensError(
        'warehouse',
        `no warehouse at ${path}: run \`claimlens load DIR\` and \`claimlens build\` first, or pass --warehouse PATH`,
      );
    }
    const config: Record<string, string> = { storage_compatibility_version: STORAGE_VERSION };
    if (readOnly) config.access_mode = 'READ_ONLY';
    if (options.threads) config.threads = String(options.threads);
    if (options.memoryLimit) config.memory_limit = options.memoryLimit;
    const blocks = options.blockAllocator ? blockAllocatorMemory(options.memoryLimit) : undefined;
    if (blocks) config.block_allocator_memory = blocks;
    try {
      const instance = await DuckDBInstance.create(path, config);
      const conn = await instance.connect();
      const wh = new DuckDBWarehouse(path, readOnly, instance, conn);
      await wh.run("SET TimeZone = 'UTC'");
      return wh;
    } catch (err) {
      throw new ClaimlensError('warehouse', `cannot open warehouse ${path}: ${(err as Error).message}`);
    }
  }

  /** Runs statements that return nothing of interest. */
  async run(sql: string, params?: SqlParam[]): Promise<void> {
    await this.conn.run(sql, params as DuckDBValue[] | undefined);
  }

  /** Runs a query and returns its rows as plain objects (BIGINT and DECIMAL as numbers, dates as ISO strings). */
  async all<T = Row>(sql: string, params?: SqlParam[]): Promise<T[]> {
    const reader = await this.conn.runAndReadAll(sql, params as DuckDBValue[] | undefined);
    const rows = reader.getRowObjectsJson() as Row[];
    const names = reader.columnNames();
    const types = reader.columnTypes();
    const numeric = names.filter((_, i) => NUMERIC_TYPES.test(String(types[i])));
    if (numeric.length > 0) {
      for (const row of rows) {
        for (const name of numeric) {
          const v = row[name];
          if (typeof v === 'string') row[name] = Number(v);
        }
      }
    }
    return rows as T[];
  }

  /** Column names and DuckDB type names of a query's result, without reading rows. */
  async describe(sql: string): Promise<{ name: string; type: string }[]> {
    const rows = await this.all<{ column_name: string; column_type: string }>(`DESCRIBE ${sql}`);
    return rows.map((r) => ({ name: r.column_name, type: r.column_type }));
  }

  async one<T = Row>(sql: string, params?: SqlParam[]): Promise<T | undefined> {
    const rows = await this.all<T>(sql, params);
    return rows[0];
  }

  async tableExists(schema: string, table: string): Promise<boolean> {
    const r = await this.one<{ n: number }>(
      'SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = ? AND table_name = ?',
      [schema, table],
    );
    return (r?.n ?? 0) > 0;
  }

  /** A second connection to the same database: DuckDB runs its statements alongside this one's. */
  async session(): Promise<DuckDBWarehouse> {
    const conn = await this.instance.connect();
    const wh = new DuckDBWarehouse(this.path, this.readOnly, this.instance, conn, false);
    await wh.run("SET TimeZone = 'UTC'");
    return wh;
  }

  async close(): Promise<void> {
    if (!this.ownsInstance) {
      this.conn.closeSync();
      return;
    }
    if (!this.readOnly && this.path !== ':memory:') await this.conn.run('CHECKPOINT');
    this.conn.closeSync();
    this.instance.closeSync();
  }
}

/** True for a PostgreSQL connection URL (postgres:// or postgresql://) where a warehouse path is expected. */
export function isPostgresUrl(target: string): boolean {
  return /^postgres(ql)?:\/\//i.test(target);
}

/**
 * Code throughout claimlens names the warehouse type `Warehouse` and opens it with
 * `Warehouse.open(config.warehouse)`. The type is any engine; `open` opens a DuckDB file, or a
 * PostgreSQL server when given its URL (`--engine postgres --url ...` puts the URL there), so
 * every reader (services, KPIs, the API) runs on either engine without knowing which.
 */
export const Warehouse = {
  async open(target: string, options: OpenOptions = {}): Promise<SqlWarehouse> {
    if (isPostgresUrl(target)) {
      // Imported on demand: the PostgreSQL driver costs every DuckDB command start-up time.
      const { PostgresWarehouse } = await import('./postgres/warehouse.ts');
      return PostgresWarehouse.open(target, { readOnly: options.readOnly });
    }
    return DuckDBWarehouse.open(target, options);
  },
};
export type Warehouse = SqlWarehouse;

/** Quotes an identifier for DuckDB/PostgreSQL. */
export function ident(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

const SIZE_UNITS: Record<string, number> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 2 ** 10,
  mib: 2 ** 20,
  gib: 2 ** 30,
  tib: 2 ** 40,
};

/**
 * `block_allocator_memory` for a memory limit: as much as the limit, at most the 80% of the machine
 * DuckDB reserves address space for; undefined when the limit is not a plain size (DuckDB 1.5 aborts
 * the process on a size it cannot read in this setting, where a bad memory limit is an error).
 */
export function blockAllocatorMemory(
  memoryLimit: string | undefined,
  machineBytes = totalmem(),
): string | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]i?b|b)\s*$/i.exec(memoryLimit ?? '');
  if (!m) return undefined;
  const bytes = Math.min(Number(m[1]) * SIZE_UNITS[m[2]!.toLowerCase()]!, machineBytes * 0.8);
  const mib = Math.floor(bytes / 2 ** 20);
  return mib > 0 ? `${mib}MiB` : undefined;
}

/** Quotes a string literal. */
export function literal(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

function stagingPath(path: string): string {
  return join(dirname(path), `${basename(path)}.building-${process.pid}`);
}

/** Removes staging copies left by killed runs whose process is gone. */
function removeStaleStaging(path: string): void {
  const dir = dirname(resolve(path));
  const prefix = `${basename(path)}.building-`;
  for (const name of readdirSync(dir)) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(name.slice(prefix.length).split('.')[0]);
    let alive = false;
    try {
      process.kill(pid, 0);
      alive = pid !== process.pid;
    } catch {
      alive = false;
    }
    if (!alive) rmSync(join(dir, name), { force: true });
  }
}

export interface StagingOptions {
  /**
   * Rewrite the finished copy into a fresh file, from a new DuckDB instance, before it replaces the
   * warehouse. DuckDB never overwrites the blocks a statement frees and does not clear the unused
   * tail of a block it writes (duckdb/duckdb#23382), so deleted values and whatever the writing
   * process's memory held (raw text a load read) can sit in the file's bytes; the fresh file holds
   * the live data only.
   */
  rewrite?: boolean;
}

/**
 * Runs `work` against a copy of the warehouse and swaps the copy in only when `work` succeeds.
 * A failure (or a kill) leaves the previous file as it was, so readers never see half a build.
 */
export async function withStagedWarehouse<T>(
  path: string,
  work: (wh: DuckDBWarehouse) => Promise<T>,
  options: OpenOptions = {},
  staging: StagingOptions = {},
): Promise<T> {
  if (path === ':memory:') {
    const wh = await DuckDBWarehouse.open(path, options);
    try {
      return await work(wh);
    } finally {
      await wh.close();
    }
  }
  removeStaleStaging(path);
  const staged = stagingPath(path);
  rmSync(staged, { force: true });
  rmSync(`${staged}.wal`, { force: true });
  if (existsSync(path)) {
    if (existsSync(`${path}.wal`)) {
      // Fold a leftover write-ahead log into the file before copying it.
      const wh = await DuckDBWarehouse.open(path);
      await wh.close();
    }
    copyFileSync(path, staged);
  }
  let wh: DuckDBWarehouse | undefined;
  try {
    wh = await DuckDBWarehouse.open(staged, options);
    const result = await work(wh);
    await wh.close();
    wh = undefined;
    if (staging.rewrite) await rewriteDatabase(staged, options);
    const fd = openSync(staged, 'r');
    fsyncSync(fd);
    closeSync(fd);
    renameSync(staged, path);
    return result;
  } catch (err) {
    if (wh) await wh.close().catch(() => undefined);
    rmSync(staged, { force: true });
    rmSync(`${staged}.wal`, { force: true });
    throw err;
  }
}

/**
 * Replaces the DuckDB file `file` (closed) by a fresh copy of its live data (`COPY FROM DATABASE`:
 * every schema, table, view and constraint), leaving none of the freed blocks behind.
 */
async function rewriteDatabase(file: string, options: OpenOptions): Promise<void> {
  const fresh = `${file}.rewrite`;
  const removeFresh = () => {
    rmSync(fresh, { force: true });
    rmSync(`${fresh}.wal`, { force: true });
  };
  removeFresh();
  const wh = await DuckDBWarehouse.open(':memory:', {
    threads: options.threads,
    memoryLimit: options.memoryLimit,
  });
  try {
    await wh.run(`ATTACH ${literal(file)} AS claimlens_live (READ_ONLY)`);
    await wh.run(`ATTACH ${literal(fresh)} AS claimlens_fresh (STORAGE_VERSION ${literal(STORAGE_VERSION)})`);
    await wh.run('COPY FROM DATABASE claimlens_live TO claimlens_fresh');
    await wh.run('DETACH claimlens_fresh');
    await wh.run('DETACH claimlens_live');
  } catch (err) {
    await wh.close();
    removeFresh();
    throw err;
  }
  await wh.close();
  renameSync(fresh, file);
}
