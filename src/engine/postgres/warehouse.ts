// The PostgreSQL warehouse: the same surface as the DuckDB one (plain JS rows, `?` placeholders,
// BIGINT/NUMERIC as numbers, dates as ISO strings) over one `pg` connection, so services, the
// runner and the API read identical rows from either engine.
import pg from 'pg';
import { ClaimlensError } from '../../errors.ts';
import { type Dialect, postgresDialect } from '../dialect.ts';
import { type Row, redactUrl, type SqlParam, type SqlWarehouse } from '../engine.ts';
import { COMPAT_SCHEMA, COMPAT_VERSION, compatStatements } from './compat.ts';

export interface PostgresOpenOptions {
  readOnly?: boolean;
}

// Type OIDs (pg_type) the wrapper converts or names.
const OID = {
  bool: 16,
  int8: 20,
  int2: 21,
  int4: 23,
  text: 25,
  float4: 700,
  float8: 701,
  bpchar: 1042,
  varchar: 1043,
  date: 1082,
  time: 1083,
  timestamp: 1114,
  timestamptz: 1184,
  interval: 1186,
  numeric: 1700,
} as const;

const TYPE_NAMES: Record<number, string> = {
  [OID.bool]: 'BOOLEAN',
  [OID.int8]: 'BIGINT',
  [OID.int2]: 'SMALLINT',
  [OID.int4]: 'INTEGER',
  [OID.text]: 'VARCHAR',
  [OID.float4]: 'FLOAT',
  [OID.float8]: 'DOUBLE',
  [OID.bpchar]: 'VARCHAR',
  [OID.varchar]: 'VARCHAR',
  [OID.date]: 'DATE',
  [OID.time]: 'TIME',
  [OID.timestamp]: 'TIMESTAMP',
  [OID.timestamptz]: 'TIMESTAMP WITH TIME ZONE',
  [OID.interval]: 'INTERVAL',
  [OID.numeric]: 'DECIMAL',
};

const identity = (v: string) => v;
const toNumber = (v: string) => Number(v);
/** DuckDB prints timestamps as `YYYY-MM-DD HH:MM:SS[.ffffff]`; PostgreSQL's text form is the same. */
const PARSERS: Record<number, (v: string) => unknown> = {
  [OID.int8]: toNumber,
  [OID.numeric]: toNumber,
  [OID.date]: identity,
  [OID.timestamp]: identity,
  [OID.timestamptz]: identity,
  [OID.interval]: identity,
};

const types = {
  getTypeParser: ((oid: number, format?: string) =>
    PARSERS[oid] ?? pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

/**
 * `?` placeholders (DuckDB's, used throughout claimlens) to PostgreSQL's `$n`, skipping string
 * literals, quoted identifiers and comments.
 */
export function numberPlaceholders(sql: string): string {
  let out = '';
  let n = 0;
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    if (c === "'" || c === '"') {
      let j = i + 1;
      while (j < sql.length) {
        if (sql[j] === c) {
          if (sql[j + 1] === c) {
            j += 2;
            continue;
          }
          break;
        }
        j++;
      }
      out += sql.slice(i, j + 1);
      i = j + 1;
    } else if (c === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      const j = end < 0 ? sql.length : end;
      out += sql.slice(i, j);
      i = j;
    } else if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      const j = end < 0 ? sql.length : end + 2;
      out += sql.slice(i, j);
      i = j;
    } else if (c === '?') {
      n++;
      out += `$${n}`;
      i++;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

function toPgParam(v: unknown): unknown {
  if (typeof v === 'bigint') return v.toString();
  return v;
}

export class PostgresWarehouse implements SqlWarehouse {
  readonly engine = 'postgres' as const;
  readonly dialect: Dialect = postgresDialect;
  readonly path: string;
  readonly readOnly: boolean;
  readonly url: string;
  private readonly client: pg.Client;

  private constructor(url: string, readOnly: boolean, client: pg.Client) {
    this.url = url;
    this.path = redactUrl(url);
    this.readOnly = readOnly;
    this.client = client;
  }

  /** Connects to `url` (postgres://user:pass@host:port/db), installs the compatibility schema when missing or old. */
  static async open(url: string, options: PostgresOpenOptions = {}): Promise<PostgresWarehouse> {
    const readOnly = options.readOnly ?? false;
    const client = new pg.Client({ connectionString: url, types });
    try {
      await client.connect();
    } catch (err) {
      throw new ClaimlensError(
        'warehouse',
        `cannot connect to PostgreSQL at ${redactUrl(url)}: ${(err as Error).message}; check --url (postgres://user:password@host:port/database) and that the server runs`,
      );
    }
    // A connection error after connect (server gone) must not crash the process as 'unhandled'.
    client.on('error', () => undefined);
    const wh = new PostgresWarehouse(url, readOnly, client);
    try {
      await client.query("SET TimeZone = 'UTC'");
      await client.query('SET client_min_messages = warning');
      // Readers never change the server: a missing or older compatibility schema means no current build.
      if (readOnly && !(await compatIsCurrent(client))) {
        throw new ClaimlensError(
          'warehouse',
          `no warehouse at ${redactUrl(url)}: the server has no current claimlens build (schema ${COMPAT_SCHEMA} missing or older); run \`claimlens build --engine postgres\` first`,
        );
      }
      if (!readOnly) await ensureCompat(client);
      await client.query(`SET search_path = ${COMPAT_SCHEMA}, pg_catalog, public`);
      if (readOnly) {
        await client.query('SET default_transaction_read_only = on');
        // Readers answer KPI and API questions of a second or less: compiling each plan with LLVM
        // cost more than it saved (the cost domain took 5.4 s with JIT and 4.6 s without on the
        // 1M book). Builds keep the server's setting, where queries run long enough to repay it.
        await client.query('SET jit = off');
      }
    } catch (err) {
      await client.end().catch(() => undefined);
      if (err instanceof ClaimlensError) throw err;
      throw new ClaimlensError(
        'warehouse',
        `cannot prepare PostgreSQL warehouse ${redactUrl(url)}: ${(err as Error).message}`,
      );
    }
    return wh;
  }

  async run(sql: string, params?: SqlParam[]): Promise<void> {
    await this.client.query(params?.length ? numberPlaceholders(sql) : sql, params?.map(toPgParam));
  }

  async all<T = Row>(sql: string, params?: SqlParam[]): Promise<T[]> {
    const result = await this.client.query(
      params?.length ? numberPlaceholders(sql) : sql,
      params?.map(toPgParam),
    );
    // A multi-statement text gives one result per statement; the last one is the query's.
    const last = Array.isArray(result) ? result.at(-1) : result;
    return (last?.rows ?? []) as T[];
  }

  async one<T = Row>(sql: string, params?: SqlParam[]): Promise<T | undefined> {
    const rows = await this.all<T>(sql, params);
    return rows[0];
  }

  async describe(sql: string): Promise<{ name: string; type: string }[]> {
    const text = /^\s*(select|with|values|table)\b/i.test(sql)
      ? `SELECT * FROM (\n${sql}\n) AS q LIMIT 0`
      : sql;
    const result = await this.client.query(text);
    const unknown = result.fields.filter((f) => TYPE_NAMES[f.dataTypeID] === undefined);
    const names = new Map<number, string>();
    if (unknown.length > 0) {
      const rows = await this.client.query(
        'SELECT oid::integer AS oid, upper(format_type(oid, NULL)) AS name FROM pg_type WHERE oid = ANY($1)',
        [unknown.map((f) => f.dataTypeID)],
      );
      for (const r of rows.rows as { oid: number; name: string }[]) names.set(r.oid, r.name);
    }
    return result.fields.map((f) => ({
      name: f.name,
      type: TYPE_NAMES[f.dataTypeID] ?? names.get(f.dataTypeID) ?? `OID ${f.dataTypeID}`,
    }));
  }

  async tableExists(schema: string, table: string): Promise<boolean> {
    const r = await this.one<{ n: number }>(
      'SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = ? AND table_name = ?',
      [schema, table],
    );
    return (r?.n ?? 0) > 0;
  }

  /** The raw `pg` client, for COPY streams (src/engine/postgres/copy.ts). */
  get connection(): pg.Client {
    return this.client;
  }

  async close(): Promise<void> {
    await this.client.end();
  }
}

async function compatIsCurrent(client: pg.Client): Promise<boolean> {
  const present = await client.query(
    `SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND table_name = 'version'`,
    [COMPAT_SCHEMA],
  );
  if (!present.rowCount) return false;
  const v = await client.query(`SELECT max(version) AS v FROM ${COMPAT_SCHEMA}.version`);
  return (v.rows[0] as { v: number | null }).v === COMPAT_VERSION;
}

/**
 * Creates the compatibility schema unless the server already has this version of it. A new
 * version drops the old schema with CASCADE, which takes views built on its functions with it:
 * writers (builds) do this, and the build recreates them.
 */
async function ensureCompat(client: pg.Client): Promise<void> {
  if (await compatIsCurrent(client)) return;
  // One transaction, and a lock, so two first connections do not create it twice.
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock(7406301)');
    if (!(await compatIsCurrent(client)))
      for (const statement of compatStatements()) await client.query(statement);
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}
