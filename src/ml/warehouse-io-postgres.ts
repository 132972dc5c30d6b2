// Feature marts in and scores out on PostgreSQL, the same contract as DuckDB's pair in
// warehouse-io.ts. Rows move with COPY in PostgreSQL's text format over the session's connection:
// the mart's columns stream out of `COPY (SELECT ...) TO STDOUT` and are parsed field by field into
// the typed arrays (no row objects, no result set held in memory), and score rows stream into
// `COPY ... FROM STDIN` in large text batches instead of one INSERT per row.
//
// Staging tables are temporary tables of the session: a run that fails or is killed leaves nothing
// on the server, two runs never see each other's, and the scores mart itself is replaced in one
// transaction (publishScores), which is what the staged file copy gives on DuckDB.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { StringDecoder } from 'node:string_decoder';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { ident } from '../engine/duckdb.ts';
import type { SqlWarehouse } from '../engine/engine.ts';
import { withSessionSettings } from '../engine/postgres/copy.ts';
import { PostgresWarehouse } from '../engine/postgres/warehouse.ts';
import { DRIVERS, type FeatureMart, type MlEngineIo, ROW, type ScoreRecord } from './warehouse-io.ts';

const INPUT = 'pg_temp._ml_input';
const SCORES = 'pg_temp._ml_scores';

/**
 * Exact floats through text: with extra_float_digits > 0 (PostgreSQL 12+) float8 is printed in the
 * shortest form that reads back to the same double, whatever the server's default says; ISO dates.
 */
const EXACT_TEXT = { extra_float_digits: '3', DateStyle: 'ISO, YMD' };

/** Score batches written to COPY: large enough that the stream's per-chunk cost is negligible. */
const BATCH_CHARS = 1 << 20;

function server(wh: SqlWarehouse): PostgresWarehouse {
  if (!(wh instanceof PostgresWarehouse)) throw new Error(`${wh.path} is not a PostgreSQL warehouse`);
  return wh;
}

const UNESCAPE: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };

/** A field of COPY's text format: `\N` is NULL, backslash escapes as PostgreSQL writes them. */
function unescapeField(s: string): string {
  return s.replace(/\\(.)/gs, (_, c: string) => UNESCAPE[c] ?? c);
}

/** Text for COPY FROM's text format: backslash, tab and line breaks escaped; NULL as `\N`. */
function escapeField(s: string | null): string {
  if (s === null) return '\\N';
  return /[\\\t\n\r]/.test(s)
    ? s.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'))
    : s;
}

/**
 * Streams `COPY (query) TO STDOUT` (text format) and calls `fields[c](value)` for every field in
 * order, `null` for NULL. Lines are cut at newlines (a newline inside a value is escaped as `\n`),
 * fields at tabs; nothing but the field strings is allocated per row. Returns the number of rows.
 */
export async function copyOutText(
  wh: PostgresWarehouse,
  query: string,
  fields: readonly ((value: string | null) => void)[],
): Promise<number> {
  const width = fields.length;
  const decoder = new StringDecoder('utf8');
  let rest = '';
  let rows = 0;
  const consume = (text: string, final: boolean) => {
    const stop = final ? text.length : text.lastIndexOf('\n') + 1;
    let pos = 0;
    while (pos < stop) {
      let end = text.indexOf('\n', pos);
      if (end < 0 || end >= stop) end = stop;
      for (let c = 0; c < width; c++) {
        let next = c < width - 1 ? text.indexOf('\t', pos) : end;
        if (next < 0 || next > end) next = end;
        const raw = text.slice(pos, next);
        fields[c]!(raw === '\\N' ? null : raw.includes('\\') ? unescapeField(raw) : raw);
        pos = next + 1;
      }
      pos = end + 1;
      rows++;
    }
    return text.slice(stop);
  };
  const stream = wh.connection.query(copyTo(`COPY (${query}) TO STDOUT`));
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    rest = consume(rest + decoder.write(chunk), false);
  }
  rest += decoder.end();
  if (rest.length > 0) consume(rest, true);
  return rows;
}

function scoreLine(r: ScoreRecord): string {
  let line = `${r.row}\t${escapeField(r.split)}\t${r.probability}\t${r.riskScore}\t${escapeField(r.tier)}`;
  for (let k = 0; k < DRIVERS; k++) {
    const d = r.drivers[k];
    line += d ? `\t${escapeField(d.feature)}\t${escapeField(d.value)}\t${d.contribution}` : '\t\\N\t\\N\t\\N';
  }
  return `${line}\n`;
}

function* batches(records: Iterable<ScoreRecord>): Generator<string> {
  let buf = '';
  for (const r of records) {
    buf += scoreLine(r);
    if (buf.length >= BATCH_CHARS) {
      yield buf;
      buf = '';
    }
  }
  if (buf.length > 0) yield buf;
}

export const postgresIo: MlEngineIo = {
  input: INPUT,
  scores: SCORES,
  inputRow: `i.${ROW}`,
  double: 'DOUBLE PRECISION',

  async orderKeys(wh, mart: FeatureMart, alias) {
    // Text keys sort byte-wise (COLLATE "C"), as in DuckDB, whatever the database's collation: the
    // row order decides the time split's ties and the categorical levels, so both engines train alike.
    const types = await wh.describe(`SELECT ${mart.keys.map(ident).join(', ')} FROM ${mart.table}`);
    return mart.keys.map((k, i) => {
      const col = alias ? `${alias}.${ident(k)}` : ident(k);
      return types[i]?.type === 'VARCHAR' ? `${col} COLLATE "C"` : col;
    });
  },

  async stageInput(wh, mart, columns, orderBy) {
    await wh.run(`DROP TABLE IF EXISTS ${INPUT}`);
    await wh.run(
      `CREATE TEMPORARY TABLE _ml_input AS SELECT CAST(row_number() OVER (ORDER BY ${orderBy.join(', ')}) - 1 AS INTEGER) AS ${ROW}, ${columns.join(', ')} FROM ${mart.table}`,
    );
    // Temporary tables get no statistics from autovacuum; the scores join is planned from these.
    await wh.run(`ANALYZE ${INPUT}`);
  },

  async createScoresTable(wh, columns) {
    await wh.run(`CREATE TEMPORARY TABLE IF NOT EXISTS _ml_scores (${columns})`);
  },

  async readColumns(wh, features, out) {
    const pgwh = server(wh);
    const select = [
      ROW,
      'CAST(label AS DOUBLE PRECISION)',
      "event_date - DATE '1970-01-01'",
      ...features.map(
        (f) => `CAST(${ident(f.column)} AS ${f.kind === 'numeric' ? 'DOUBLE PRECISION' : 'TEXT'})`,
      ),
    ];
    const { label, eventDay } = out;
    let r = 0;
    const fields: ((v: string | null) => void)[] = [
      (v) => {
        r = Number(v);
      },
      (v) => {
        label[r] = v === null ? Number.NaN : Number(v);
      },
      (v) => {
        if (v === null) out.nullDates++;
        eventDay[r] = v === null ? 0 : Number(v);
      },
      ...features.map((_, j) => {
        const num = out.numeric[j];
        if (num) {
          // Number() reads PostgreSQL's NaN and [-]Infinity spellings as JavaScript's.
          return (v: string | null) => {
            num[r] = v === null ? Number.NaN : Number(v);
          };
        }
        const codes = out.codes[j]!;
        return (v: string | null) => {
          codes[r] = v === null ? -1 : out.code(j, v);
        };
      }),
    ];
    // In row order, so categorical levels are met in key order, as DuckDB's ordered scan meets them.
    const n = await withSessionSettings(pgwh, EXACT_TEXT, () =>
      copyOutText(pgwh, `SELECT ${select.join(', ')} FROM ${INPUT} ORDER BY ${ROW}`, fields),
    );
    if (n !== out.rows) throw new Error(`read ${n} rows of ${INPUT}, expected ${out.rows}`);
  },

  async appendScores(wh, records) {
    const stream = server(wh).connection.query(copyFrom(`COPY ${SCORES} FROM STDIN`));
    // JavaScript prints doubles in the shortest form that reads back exactly, so the server stores
    // the very probabilities and contributions computed here.
    await pipeline(Readable.from(batches(records)), stream);
  },
};
