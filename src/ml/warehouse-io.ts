// Feature marts in, scores out, on either engine: reads a mart's columns in bulk straight into typed
// arrays (never row objects) and writes score rows in bulk, joining back to the mart's keys through a
// staging row number so keys never need to be held in memory. The SQL around the transfers (the
// contract check, the label check, the scores mart) is shared; how rows move differs per engine:
// DuckDB's data chunks and appender are below, PostgreSQL's COPY streams in warehouse-io-postgres.ts.
import type { DuckDBConnection } from '@duckdb/node-api';
import { ident, literal, type Warehouse } from '../engine/duckdb.ts';
import { ClaimlensError } from '../errors.ts';
import type { Dataset, FeatureColumn } from './dataset.ts';
import type { ModelFeature } from './model-file.ts';

/** Row number column of the scores staging table: the input row (0-based, key order) it scores. */
export const ROW = '_ml_row';

const NUMERIC =
  /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|REAL|DOUBLE|DECIMAL.*)$/;
const CATEGORICAL = /^(VARCHAR|BOOLEAN)$/;

/**
 * What one engine supplies for a train or score run. Staging tables hold the mart's rows in key order
 * (`input`) and the appended scores (`scores`); they live only as long as the run (DuckDB: inside the
 * staged warehouse copy; PostgreSQL: temporary tables of the session).
 */
export interface MlEngineIo {
  readonly input: string;
  readonly scores: string;
  /** SQL for the 0-based row number of staging input row `i` (what `ROW` of a score points at). */
  readonly inputRow: string;
  /** The engine's name of the 8-byte float type. */
  readonly double: string;
  /** ORDER BY terms for the mart's keys (text byte-wise on every engine), columns prefixed with `alias.`. */
  orderKeys(wh: Warehouse, mart: FeatureMart, alias?: string): Promise<string[]>;
  /** Replaces the input staging table by `columns` of the mart, numbered in `orderBy` order. */
  stageInput(wh: Warehouse, mart: FeatureMart, columns: string[], orderBy: string[]): Promise<void>;
  createScoresTable(wh: Warehouse, columns: string): Promise<void>;
  /** Reads label, event date and `features` of every staged row into `out`, at each row's number. */
  readColumns(wh: Warehouse, features: readonly ModelFeature[], out: MartColumns): Promise<void>;
  appendScores(wh: Warehouse, records: Iterable<ScoreRecord>): Promise<void>;
}

/** The engine's implementation; PostgreSQL's module (and its driver) is loaded only when used. */
async function ioFor(wh: Warehouse): Promise<MlEngineIo> {
  if (wh.engine === 'postgres') return (await import('./warehouse-io-postgres.ts')).postgresIo;
  return duckdbIo;
}

export interface FeatureMart {
  /** Qualified table name, e.g. `marts.ml_denial_features`. */
  table: string;
  keys: string[];
  /** Every `f_` column, in table order. */
  features: ModelFeature[];
}

/**
 * Checks a feature mart against the contract: key columns, `label`, `event_date` (DATE) and
 * `f_<name>` features that are numeric or VARCHAR/BOOLEAN. Every problem is reported at once.
 */
export async function inspectFeatureMart(
  wh: Warehouse,
  schema: string,
  name: string,
  keys: readonly string[],
): Promise<FeatureMart> {
  const table = `${schema}.${name}`;
  if (!(await wh.tableExists(schema, name))) {
    throw new ClaimlensError(
      'model',
      `feature mart ${table} does not exist: build it first (\`claimlens build\`)`,
    );
  }
  const cols = await wh.describe(`SELECT * FROM ${ident(schema)}.${ident(name)}`);
  const typeOf = new Map(cols.map((c) => [c.name, c.type]));
  const problems: string[] = [];
  for (const k of keys) if (!typeOf.has(k)) problems.push(`key column ${k} is missing`);
  if (!typeOf.has('label')) problems.push('column label (1/0, NULL = unlabeled) is missing');
  const dateType = typeOf.get('event_date');
  if (dateType === undefined) problems.push('column event_date (DATE) is missing');
  else if (dateType !== 'DATE') problems.push(`event_date is ${dateType}, expected DATE`);
  const features: ModelFeature[] = [];
  for (const c of cols) {
    if (!c.name.startsWith('f_')) continue;
    const kind = NUMERIC.test(c.type) ? 'numeric' : CATEGORICAL.test(c.type) ? 'categorical' : null;
    if (!kind) {
      problems.push(`feature ${c.name} is ${c.type}: features must be numeric, VARCHAR or BOOLEAN`);
      continue;
    }
    features.push({ column: c.name, name: c.name.slice(2), kind });
  }
  if (features.length === 0) problems.push('no feature columns (named f_<name>)');
  if (problems.length > 0) {
    throw new ClaimlensError(
      'model',
      `${table} does not follow the feature mart contract: ${problems.join('; ')}`,
    );
  }
  return { table, keys: [...keys], features };
}

/** Checks that the mart has every feature the model was trained with, of a compatible kind. */
export function requireFeatures(mart: FeatureMart, wanted: readonly ModelFeature[]): void {
  const have = new Map(mart.features.map((f) => [f.column, f]));
  const missing = wanted.filter((f) => !have.has(f.column));
  if (missing.length > 0) {
    throw new ClaimlensError(
      'model',
      `${mart.table} lacks feature${missing.length > 1 ? 's' : ''} ${missing.map((f) => f.column).join(', ')} that the model was trained with: rebuild the mart with ${missing.length > 1 ? 'them' : 'it'} or retrain the model`,
    );
  }
  for (const f of wanted) {
    const got = have.get(f.column)!;
    if (got.kind !== f.kind) {
      throw new ClaimlensError(
        'model',
        `${mart.table}.${f.column} is ${got.kind} now but the model was trained on it as ${f.kind}: retrain the model`,
      );
    }
  }
}

export interface MartRows {
  rows: number;
  /** Label per row; NaN = unlabeled (NULL). */
  label: Float64Array;
  /** Event date as days since 1970-01-01. */
  eventDay: Int32Array;
  data: Dataset;
}

/**
 * The typed arrays a mart is read into, filled by an engine's reader at each row's staging number.
 * Categorical codes are given in order of first appearance in key order, so both engines (which read
 * rows in key order) give the same levels in the same order.
 */
export class MartColumns {
  readonly label: Float64Array;
  readonly eventDay: Int32Array;
  /** Per feature: its values (numeric) or null. */
  readonly numeric: (Float64Array | null)[];
  /** Per feature: its codes (categorical, -1 = missing) or null. */
  readonly codes: (Int32Array | null)[];
  private readonly levels: string[][];
  private readonly index: Map<string, number>[];
  /** Rows whose event date was NULL (refused by `finish`). */
  nullDates = 0;

  constructor(
    readonly rows: number,
    readonly features: readonly ModelFeature[],
  ) {
    this.label = new Float64Array(rows);
    this.eventDay = new Int32Array(rows);
    this.numeric = features.map((f) => (f.kind === 'numeric' ? new Float64Array(rows) : null));
    this.codes = features.map((f) => (f.kind === 'categorical' ? new Int32Array(rows) : null));
    this.levels = features.map(() => []);
    this.index = features.map(() => new Map());
  }

  /** The code of categorical feature `j`'s value `s`, a new level when first seen. */
  code(j: number, s: string): number {
    const map = this.index[j]!;
    let c = map.get(s);
    if (c === undefined) {
      const lev = this.levels[j]!;
      c = lev.length;
      lev.push(s);
      map.set(s, c);
    }
    return c;
  }

  finish(table: string): MartRows {
    if (this.nullDates > 0) {
      throw new ClaimlensError(
        'model',
        `${table}.event_date is NULL in ${this.nullDates} row(s): every row needs an event date`,
      );
    }
    const columns: FeatureColumn[] = this.features.map((f, j) =>
      f.kind === 'numeric'
        ? { kind: 'numeric', name: f.name, values: this.numeric[j]! }
        : { kind: 'categorical', name: f.name, codes: this.codes[j]!, levels: this.levels[j]! },
    );
    const n = this.rows;
    return { rows: n, label: this.label, eventDay: this.eventDay, data: { rows: n, features: columns } };
  }
}

/**
 * Copies the mart into a staging table numbered in key order (so training sees rows in a fixed order
 * and scores can join back), then reads label, event date and `features` column by column.
 */
export async function readFeatureMart(
  wh: Warehouse,
  mart: FeatureMart,
  features: readonly ModelFeature[],
): Promise<MartRows> {
  const io = await ioFor(wh);
  const columns = [...mart.keys.map(ident), 'label', 'event_date', ...features.map((f) => ident(f.column))];
  await io.stageInput(wh, mart, columns, await io.orderKeys(wh, mart));
  const bad = await wh.one<{ n: number; example: string | null }>(
    `SELECT count(*) AS n, min(CAST(label AS VARCHAR)) AS example FROM ${io.input} WHERE label IS NOT NULL AND CAST(label AS ${io.double}) NOT IN (0, 1)`,
  );
  if (bad && bad.n > 0) {
    throw new ClaimlensError(
      'model',
      `${mart.table}.label must be 1, 0 or NULL; ${bad.n} row(s) have other values (e.g. ${bad.example})`,
    );
  }
  const count = await wh.one<{ n: number }>(`SELECT count(*) AS n FROM ${io.input}`);
  const out = new MartColumns(count?.n ?? 0, features);
  await io.readColumns(wh, features, out);
  return out.finish(mart.table);
}

export interface ScoreDriver {
  feature: string;
  value: string | null;
  contribution: number;
}

export interface ScoreRecord {
  row: number;
  split: string;
  probability: number;
  riskScore: number;
  tier: string;
  drivers: ScoreDriver[];
}

export interface ScoreTableInfo {
  /** Model name and file hash, stamped on every row. */
  model: string;
  modelId: string;
  scoredAt: Date;
}

/** Drivers kept per scored row. */
export const DRIVERS = 3;

/** Column definitions of the scores staging table, in the order the engines' writers fill it. */
export function scoresColumns(double: string): string {
  const driverCols = Array.from(
    { length: DRIVERS },
    (_, k) => `driver_${k + 1} VARCHAR, driver_${k + 1}_value VARCHAR, driver_${k + 1}_shap ${double}`,
  ).join(', ');
  return `${ROW} BIGINT, split VARCHAR, probability ${double}, risk_score INTEGER, risk_tier VARCHAR, ${driverCols}`;
}

/** Appends score records to the run's scratch table (created on first use). */
export async function appendScores(wh: Warehouse, records: Iterable<ScoreRecord>): Promise<void> {
  const io = await ioFor(wh);
  await io.createScoresTable(wh, scoresColumns(io.double));
  await io.appendScores(wh, records);
}

/**
 * Replaces `target` (e.g. `marts.ml_denial_scores`) with the appended scores joined to the mart's
 * keys, event date and label, highest probability first, and drops the run's staging tables. The
 * replacement is one transaction: readers of a server see the old scores or the new ones.
 */
export async function publishScores(
  wh: Warehouse,
  mart: FeatureMart,
  target: { schema: string; table: string },
  info: ScoreTableInfo,
): Promise<number> {
  const io = await ioFor(wh);
  const keys = mart.keys.map((k) => `i.${ident(k)}`).join(', ');
  const order = (await io.orderKeys(wh, mart, 'i')).join(', ');
  const stamp = info.scoredAt.toISOString().replace('T', ' ').replace('Z', '');
  const table = `${ident(target.schema)}.${ident(target.table)}`;
  await wh.run(`CREATE SCHEMA IF NOT EXISTS ${ident(target.schema)}`);
  await io.createScoresTable(wh, scoresColumns(io.double));
  const driverCols = Array.from(
    { length: DRIVERS },
    (_, k) => `s.driver_${k + 1}, s.driver_${k + 1}_value, s.driver_${k + 1}_shap`,
  ).join(', ');
  const select = `SELECT ${keys}, i.event_date, CAST(i.label AS INTEGER) AS label, s.split, s.probability, s.risk_score, s.risk_tier,
            ${driverCols},
            ${literal(info.model)} AS model, ${literal(info.modelId)} AS model_id, TIMESTAMP ${literal(stamp)} AS scored_at
     FROM ${io.scores} s JOIN ${io.input} i ON ${io.inputRow} = s.${ROW}
     ORDER BY s.probability DESC, ${order}`;
  await wh.run('BEGIN TRANSACTION');
  try {
    for (const statement of [
      ...wh.dialect.replaceRelation('TABLE', table, select),
      ...wh.dialect.afterCreate('TABLE', table),
    ])
      await wh.run(statement);
    await wh.run('COMMIT');
  } catch (err) {
    await wh.run('ROLLBACK').catch(() => undefined);
    throw err;
  }
  const n = await wh.one<{ n: number }>(`SELECT count(*) AS n FROM ${table}`);
  await dropStaging(wh);
  return n?.n ?? 0;
}

export async function dropStaging(wh: Warehouse): Promise<void> {
  const io = await ioFor(wh);
  await wh.run(`DROP TABLE IF EXISTS ${io.scores}`);
  await wh.run(`DROP TABLE IF EXISTS ${io.input}`);
}

// ---- DuckDB -------------------------------------------------------------------------------------

/**
 * The warehouse's connection. `Warehouse` keeps it private and returns plain rows; bulk columnar
 * reads and the appender need the connection itself, so this is the one place that reaches it.
 */
function connection(wh: Warehouse): DuckDBConnection {
  const conn = (wh as unknown as { conn?: DuckDBConnection }).conn;
  if (!conn)
    throw new Error('Warehouse no longer exposes its connection as `conn`; update src/ml/warehouse-io.ts');
  return conn;
}

/** DuckDB: staging tables inside the staged warehouse copy; scores point at input rows by rowid. */
const duckdbIo: MlEngineIo = {
  input: 'main._ml_input',
  scores: 'main._ml_scores',
  inputRow: 'i.rowid',
  double: 'DOUBLE',

  async orderKeys(_wh, mart, alias) {
    return mart.keys.map((k) => (alias ? `${alias}.${ident(k)}` : ident(k)));
  },

  async stageInput(wh, mart, columns, orderBy) {
    await wh.run(
      `CREATE OR REPLACE TABLE ${this.input} AS SELECT ${columns.join(', ')} FROM ${mart.table} ORDER BY ${orderBy.join(', ')}`,
    );
  },

  async createScoresTable(wh, columns) {
    await wh.run(`CREATE TABLE IF NOT EXISTS ${this.scores} (${columns})`);
  },

  async readColumns(wh, features, out) {
    const select = [
      'CAST(rowid AS INTEGER)',
      'CAST(label AS DOUBLE)',
      "CAST(date_diff('day', DATE '1970-01-01', event_date) AS INTEGER)",
      ...features.map((f) => `CAST(${ident(f.column)} AS ${f.kind === 'numeric' ? 'DOUBLE' : 'VARCHAR'})`),
    ];
    const { label, eventDay } = out;
    // Rows land at their rowid, the staging table's insertion position (key order), so the scan can
    // run in parallel without a second sort.
    const result = await connection(wh).stream(`SELECT ${select.join(', ')} FROM ${this.input}`);
    const at = new Int32Array(2048);
    for (;;) {
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) break;
      const m = chunk.rowCount;
      const pos = at.length >= m ? at : new Int32Array(m);
      const rv = chunk.getColumnVector(0);
      const lv = chunk.getColumnVector(1);
      const dv = chunk.getColumnVector(2);
      for (let i = 0; i < m; i++) {
        const r = rv.getItem(i) as number;
        pos[i] = r;
        const y = lv.getItem(i) as number | null;
        label[r] = y === null ? Number.NaN : y;
        const d = dv.getItem(i) as number | null;
        if (d === null) out.nullDates++;
        eventDay[r] = d ?? 0;
      }
      features.forEach((_, j) => {
        const v = chunk.getColumnVector(j + 3);
        const num = out.numeric[j];
        if (num) {
          for (let i = 0; i < m; i++) {
            const x = v.getItem(i) as number | null;
            num[pos[i]!] = x === null ? Number.NaN : x;
          }
          return;
        }
        const codes = out.codes[j]!;
        for (let i = 0; i < m; i++) {
          const s = v.getItem(i) as string | null;
          codes[pos[i]!] = s === null ? -1 : out.code(j, s);
        }
      });
    }
  },

  async appendScores(wh, records) {
    const appender = await connection(wh).createAppender('_ml_scores', 'main');
    try {
      for (const r of records) {
        appender.appendBigInt(BigInt(r.row));
        appender.appendVarchar(r.split);
        appender.appendDouble(r.probability);
        appender.appendInteger(r.riskScore);
        appender.appendVarchar(r.tier);
        for (let k = 0; k < DRIVERS; k++) {
          const d = r.drivers[k];
          if (!d) {
            appender.appendNull();
            appender.appendNull();
            appender.appendNull();
            continue;
          }
          appender.appendVarchar(d.feature);
          if (d.value === null) appender.appendNull();
          else appender.appendVarchar(d.value);
          appender.appendDouble(d.contribution);
        }
        appender.endRow();
      }
      appender.flushSync();
    } finally {
      appender.closeSync();
    }
  },
};
