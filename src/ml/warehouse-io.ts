// Feature marts in, scores out: reads a mart's columns in bulk (DuckDB data chunks straight into
// typed arrays, never row objects) and appends score rows with the DuckDB appender, joining back to
// the mart's keys through a row number so keys never need to be held in memory.
import type { DuckDBConnection } from '@duckdb/node-api';
import { ident, literal, type Warehouse } from '../engine/duckdb.ts';
import { ClaimlensError } from '../errors.ts';
import type { Dataset, FeatureColumn } from './dataset.ts';
import type { ModelFeature } from './model-file.ts';

/** Staging tables of one train or score run, inside the staged warehouse copy only; scores point at input rows by rowid. */
const INPUT = 'main._ml_input';
const SCORES = 'main._ml_scores';
const ROW = '_ml_row';

const NUMERIC =
  /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|REAL|DOUBLE|DECIMAL.*)$/;
const CATEGORICAL = /^(VARCHAR|BOOLEAN)$/;

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
  const cols = await wh.describe(`${ident(schema)}.${ident(name)}`);
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
 * Copies the mart into a staging table numbered in key order (so training sees rows in a fixed order
 * and scores can join back), then reads label, event date and `features` column by column.
 */
export async function readFeatureMart(
  wh: Warehouse,
  mart: FeatureMart,
  features: readonly ModelFeature[],
): Promise<MartRows> {
  const keys = mart.keys.map(ident).join(', ');
  const cols = features.map((f) => ident(f.column)).join(', ');
  await wh.run(
    `CREATE OR REPLACE TABLE ${INPUT} AS SELECT ${keys}, label, event_date${cols ? `, ${cols}` : ''} FROM ${mart.table} ORDER BY ${keys}`,
  );
  const bad = await wh.one<{ n: number; example: string | null }>(
    `SELECT count(*) AS n, any_value(CAST(label AS VARCHAR)) AS example FROM ${INPUT} WHERE label IS NOT NULL AND CAST(label AS DOUBLE) NOT IN (0, 1)`,
  );
  if (bad && bad.n > 0) {
    throw new ClaimlensError(
      'model',
      `${mart.table}.label must be 1, 0 or NULL; ${bad.n} row(s) have other values (e.g. ${bad.example})`,
    );
  }
  const count = await wh.one<{ n: number }>(`SELECT count(*) AS n FROM ${INPUT}`);
  const n = count?.n ?? 0;
  const select = [
    'CAST(rowid AS INTEGER)',
    'CAST(label AS DOUBLE)',
    "CAST(date_diff('day', DATE '1970-01-01', event_date) AS INTEGER)",
    ...features.map((f) => `CAST(${ident(f.column)} AS ${f.kind === 'numeric' ? 'DOUBLE' : 'VARCHAR'})`),
  ];
  const label = new Float64Array(n);
  const eventDay = new Int32Array(n);
  const numeric = features.map((f) => (f.kind === 'numeric' ? new Float64Array(n) : null));
  const codes = features.map((f) => (f.kind === 'categorical' ? new Int32Array(n) : null));
  const levels = features.map(() => [] as string[]);
  const index = features.map(() => new Map<string, number>());
  // Rows land at their rowid, the staging table's insertion position (key order), so the scan can
  // run in parallel without a second sort.
  const result = await connection(wh).stream(`SELECT ${select.join(', ')} FROM ${INPUT}`);
  const at = new Int32Array(2048);
  let nullDates = 0;
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
      if (d === null) nullDates++;
      eventDay[r] = d ?? 0;
    }
    features.forEach((_, j) => {
      const v = chunk.getColumnVector(j + 3);
      const num = numeric[j];
      if (num) {
        for (let i = 0; i < m; i++) {
          const x = v.getItem(i) as number | null;
          num[pos[i]!] = x === null ? Number.NaN : x;
        }
        return;
      }
      const out = codes[j]!;
      const map = index[j]!;
      const lev = levels[j]!;
      for (let i = 0; i < m; i++) {
        const s = v.getItem(i) as string | null;
        if (s === null) {
          out[pos[i]!] = -1;
          continue;
        }
        let c = map.get(s);
        if (c === undefined) {
          c = lev.length;
          lev.push(s);
          map.set(s, c);
        }
        out[pos[i]!] = c;
      }
    });
  }
  if (nullDates > 0) {
    throw new ClaimlensError(
      'model',
      `${mart.table}.event_date is NULL in ${nullDates} row(s): every row needs an event date`,
    );
  }
  const columns: FeatureColumn[] = features.map((f, j) =>
    f.kind === 'numeric'
      ? { kind: 'numeric', name: f.name, values: numeric[j]! }
      : { kind: 'categorical', name: f.name, codes: codes[j]!, levels: levels[j]! },
  );
  return { rows: n, label, eventDay, data: { rows: n, features: columns } };
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

async function createScoresTable(wh: Warehouse): Promise<void> {
  const driverCols = Array.from(
    { length: DRIVERS },
    (_, k) => `driver_${k + 1} VARCHAR, driver_${k + 1}_value VARCHAR, driver_${k + 1}_shap DOUBLE`,
  ).join(', ');
  await wh.run(
    `CREATE TABLE IF NOT EXISTS ${SCORES} (${ROW} BIGINT, split VARCHAR, probability DOUBLE, risk_score INTEGER, risk_tier VARCHAR, ${driverCols})`,
  );
}

/** Appends score records to the run's scratch table (created on first use). */
export async function appendScores(wh: Warehouse, records: Iterable<ScoreRecord>): Promise<void> {
  await createScoresTable(wh);
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
}

/**
 * Replaces `target` (e.g. `marts.ml_denial_scores`) with the appended scores joined to the mart's
 * keys, event date and label, highest probability first, and drops the run's staging tables.
 */
export async function publishScores(
  wh: Warehouse,
  mart: FeatureMart,
  target: { schema: string; table: string },
  info: ScoreTableInfo,
): Promise<number> {
  const keys = mart.keys.map((k) => `i.${ident(k)}`).join(', ');
  const stamp = info.scoredAt.toISOString().replace('T', ' ').replace('Z', '');
  await wh.run(`CREATE SCHEMA IF NOT EXISTS ${ident(target.schema)}`);
  await createScoresTable(wh);
  const driverCols = Array.from(
    { length: DRIVERS },
    (_, k) => `s.driver_${k + 1}, s.driver_${k + 1}_value, s.driver_${k + 1}_shap`,
  ).join(', ');
  await wh.run(
    `CREATE OR REPLACE TABLE ${ident(target.schema)}.${ident(target.table)} AS
     SELECT ${keys}, i.event_date, CAST(i.label AS INTEGER) AS label, s.split, s.probability, s.risk_score, s.risk_tier,
            ${driverCols},
            ${literal(info.model)} AS model, ${literal(info.modelId)} AS model_id, TIMESTAMP ${literal(stamp)} AS scored_at
     FROM ${SCORES} s JOIN ${INPUT} i ON i.rowid = s.${ROW}
     ORDER BY s.probability DESC, ${keys}`,
  );
  const n = await wh.one<{ n: number }>(
    `SELECT count(*) AS n FROM ${ident(target.schema)}.${ident(target.table)}`,
  );
  await dropStaging(wh);
  return n?.n ?? 0;
}

export async function dropStaging(wh: Warehouse): Promise<void> {
  await wh.run(`DROP TABLE IF EXISTS ${SCORES}`);
  await wh.run(`DROP TABLE IF EXISTS ${INPUT}`);
}
