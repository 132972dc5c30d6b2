// Pseudonymization of the input layer right after a load: identifier columns rewritten in place to
// keyed HMAC-SHA-256 tokens, direct identifiers moved to schema `restricted` or dropped, set-based in SQL.

import { type DuckDBValue, listValue } from '@duckdb/node-api';
import { ident, literal, type Warehouse } from '../engine/duckdb.ts';
import { ClaimlensError } from '../errors.ts';
import { INPUT_SCHEMA, INPUT_TABLES } from '../input/contract.ts';
import { virtualColumns } from '../input/ddl.ts';
import type { TableSpec } from '../input/spec.ts';
import type { GovernanceConfig } from './config.ts';
import { familyOf, hmacParams, TOKEN_FAMILIES, TOKEN_HEX, type TokenFamily, tokenSql } from './hmac.ts';
import { keyFingerprint, loadKey } from './key.ts';

export const RESTRICTED_SCHEMA = 'restricted';
export const GOVERNANCE_SCHEMA = 'governance';
const STATE_TABLE = `${GOVERNANCE_SCHEMA}.pseudonymization`;

export type DirectIdentifierMode = 'restrict' | 'drop';

export interface PseudonymizeOptions {
  /** Input tables holding freshly loaded raw rows (default: every input table). */
  tables?: readonly string[];
  /** Append loads: only rows (and quarantine rows) loaded from these source files; default all rows. */
  sourceFiles?: readonly string[];
  /** restrict (default): copy direct identifiers to `restricted.<table>` keyed by token; drop: discard. */
  directIdentifiers?: DirectIdentifierMode;
}

export interface TablePseudonymization {
  table: string;
  rows: number;
  identifierColumns: string[];
  directColumns: string[];
  /** Distinct token/direct-identifier rows added to `restricted.<table>` (0 when dropped). */
  restrictedRows: number;
  quarantineRows: number;
}

export interface PseudonymizeReport {
  /** Public fingerprint of the key (never the key). */
  keyFingerprint: string;
  directIdentifiers: DirectIdentifierMode;
  tables: TablePseudonymization[];
}

/** Identifier columns of a table with their token family; a new identifier column must get a family. */
export function identifierColumns(spec: TableSpec): { name: string; family: TokenFamily }[] {
  return spec.columns
    .filter((c) => c.phi === 'identifier')
    .map((c) => {
      const family = familyOf(c.name);
      if (!family) throw new Error(`identifier column ${spec.name}.${c.name} has no token family in hmac.ts`);
      return { name: c.name, family };
    });
}

export function directColumns(spec: TableSpec): string[] {
  return spec.columns.filter((c) => c.phi === 'direct').map((c) => c.name);
}

/**
 * Rewrites the identifier columns of the input tables in place with tokens of `key`, and moves (or
 * drops) their direct identifiers; quarantined copies of those rows are redacted the same way. Call it
 * once per load, inside the staged load, on the tables (and, for append loads, the files) just loaded.
 * The key reaches DuckDB only as bound BLOB parameters, so it is in no SQL text, log or table.
 *
 * @example await pseudonymizeInputLayer(wh, loadKey(cfg.keyFile).key, { tables: ['eligibility'] })
 */
export async function pseudonymizeInputLayer(
  wh: Warehouse,
  key: Buffer,
  options: PseudonymizeOptions = {},
): Promise<PseudonymizeReport> {
  const mode = options.directIdentifiers ?? 'restrict';
  const fingerprint = keyFingerprint(key);
  const wanted = options.tables ?? INPUT_TABLES.map((t) => t.name);
  for (const name of wanted) {
    if (!INPUT_TABLES.some((t) => t.name === name)) throw new Error(`unknown input table ${name}`);
  }
  const specs: TableSpec[] = [];
  for (const spec of INPUT_TABLES) {
    if (!wanted.includes(spec.name)) continue;
    if (identifierColumns(spec).length === 0 && directColumns(spec).length === 0) continue;
    if (await wh.tableExists(INPUT_SCHEMA, spec.name)) specs.push(spec);
  }
  await wh.run(`CREATE SCHEMA IF NOT EXISTS ${GOVERNANCE_SCHEMA}`);
  await wh.run(
    `CREATE TABLE IF NOT EXISTS ${STATE_TABLE} (table_name VARCHAR PRIMARY KEY, key_fingerprint VARCHAR, direct_identifiers VARCHAR, pseudonymized_at TIMESTAMP)`,
  );
  const files = options.sourceFiles ? filesValue(options.sourceFiles) : undefined;
  await assertOneKey(wh, fingerprint, specs, files);

  const pads = hmacParams(key);
  const params: DuckDBValue[] = files ? [...pads, files] : pads;
  // The same filter numbered for statements with and without the two key parameters before it.
  const rowFilter = files ? 'list_contains($3, _source_file)' : 'TRUE';
  const countFilter = files ? 'list_contains($1, _source_file)' : 'TRUE';
  const countParams: DuckDBValue[] = files ? [files] : [];
  const quarantine = await wh.tableExists(INPUT_SCHEMA, 'quarantine');
  const maps = await createTokenMaps(wh, specs, params, rowFilter);
  const report: TablePseudonymization[] = [];
  for (const spec of specs) {
    // Virtual columns (no loaded file had them) are NULL by definition and cannot be updated.
    const virtual = await virtualColumns(wh, spec.name);
    const ids = identifierColumns(spec).filter((c) => !virtual.has(c.name));
    const direct = directColumns(spec).filter((c) => !virtual.has(c));
    const table = `${ident(INPUT_SCHEMA)}.${ident(spec.name)}`;
    const rows =
      (await wh.one<{ n: number }>(`SELECT count(*) AS n FROM ${table} WHERE ${countFilter}`, countParams))
        ?.n ?? 0;
    let restrictedRows = 0;
    if (rows > 0) {
      if (direct.length > 0 && mode === 'restrict')
        restrictedRows = await restrict(wh, spec, params, rowFilter);
      // Each identifier from its family's map; NULL and empty values are in no map and stay as
      // they are, as tokenSql leaves them.
      for (const c of ids) {
        await wh.run(
          `UPDATE ${table} AS r SET ${ident(c.name)} = t.token FROM ${maps.get(c.family)} AS t ` +
            `WHERE t.raw = r.${ident(c.name)} AND ${countFilter}`,
          countParams,
        );
      }
      if (direct.length > 0) {
        await wh.run(
          `UPDATE ${table} SET ${direct.map((c) => `${ident(c)} = NULL`).join(', ')} WHERE ${countFilter}`,
          countParams,
        );
      }
      await wh.run(`INSERT OR REPLACE INTO ${STATE_TABLE} VALUES (?, ?, ?, current_timestamp)`, [
        spec.name,
        fingerprint,
        mode,
      ]);
    }
    // Quarantined rows are redacted even when every row of the load was rejected.
    const quarantineRows = quarantine ? await redactQuarantine(wh, spec, params, files !== undefined) : 0;
    if (rows === 0 && quarantineRows === 0) continue;
    report.push({
      table: spec.name,
      rows,
      identifierColumns: ids.map((c) => c.name),
      directColumns: direct,
      restrictedRows,
      quarantineRows,
    });
  }
  for (const map of maps.values()) await wh.run(`DROP TABLE IF EXISTS ${map}`);
  return { keyFingerprint: fingerprint, directIdentifiers: mode, tables: report };
}

/**
 * One temporary table per token family mapping each distinct raw value in scope (all tables) to its
 * token. An identifier repeats on many rows (a person on about 25 claim lines), so computing the
 * HMAC once per value and joining is 4-5x faster than computing it on every row; the key is bound
 * here only, as before.
 */
async function createTokenMaps(
  wh: Warehouse,
  specs: readonly TableSpec[],
  params: DuckDBValue[],
  rowFilter: string,
): Promise<Map<TokenFamily, string>> {
  const sources = new Map<TokenFamily, string[]>();
  for (const spec of specs) {
    for (const c of identifierColumns(spec)) {
      const select = `SELECT ${ident(c.name)} AS raw FROM ${ident(INPUT_SCHEMA)}.${ident(spec.name)} WHERE ${rowFilter}`;
      sources.set(c.family, [...(sources.get(c.family) ?? []), select]);
    }
  }
  const maps = new Map<TokenFamily, string>();
  for (const [family, selects] of sources) {
    const map = `claimlens_token_${family}`;
    await wh.run(
      `CREATE OR REPLACE TEMP TABLE ${map} AS SELECT raw, ${tokenSql('raw', family)} AS token ` +
        `FROM (${selects.join(' UNION ')}) AS v WHERE raw IS NOT NULL AND raw <> ''`,
      params,
    );
    maps.set(family, map);
  }
  return maps;
}

function filesValue(files: readonly string[]): DuckDBValue {
  return listValue([...files]);
}

/**
 * Every table keeping identifiers must carry tokens of one key, or joins silently break (and raw and
 * tokenized rows would mix). Rows this call rewrites are exempt: they are raw by contract.
 */
async function assertOneKey(
  wh: Warehouse,
  fingerprint: string,
  rewriting: readonly TableSpec[],
  files: DuckDBValue | undefined,
): Promise<void> {
  const state = await wh.all<{ table_name: string; key_fingerprint: string }>(
    `SELECT table_name, key_fingerprint FROM ${STATE_TABLE}`,
  );
  for (const spec of INPUT_TABLES) {
    if (identifierColumns(spec).length === 0) continue;
    if (!(await wh.tableExists(INPUT_SCHEMA, spec.name))) continue;
    const inCall = rewriting.some((s) => s.name === spec.name);
    if (inCall && files === undefined) continue;
    const recorded = state.find((s) => s.table_name === spec.name)?.key_fingerprint;
    const kept = inCall ? 'NOT list_contains($1, _source_file)' : 'TRUE';
    // Rows kept as they are must already hold tokens: raw values appended by other means would
    // never join and would sit unprotected beside tokenized ones.
    const raw = identifierColumns(spec)
      .map((c) => {
        const col = ident(c.name);
        const prefix = TOKEN_FAMILIES[c.family];
        return `(${col} IS NOT NULL AND ${col} <> '' AND (left(${col}, ${prefix.length}) <> ${literal(prefix)} OR length(${col}) <> ${prefix.length + TOKEN_HEX}))`;
      })
      .join(' OR ');
    const held = await wh.one<{ n: number; raw: number }>(
      `SELECT count(*) AS n, count(*) FILTER (WHERE ${raw}) AS raw FROM ${ident(INPUT_SCHEMA)}.${ident(spec.name)} WHERE ${kept}`,
      inCall && files !== undefined ? [files] : [],
    );
    if ((held?.n ?? 0) === 0) continue;
    if (recorded === undefined || (held?.raw ?? 0) > 0) {
      throw new ClaimlensError(
        'config',
        `input.${spec.name} holds identifiers that were never pseudonymized (${held?.raw ?? 0} rows); re-load every input table from source with pseudonymization on`,
      );
    }
    if (recorded !== fingerprint) {
      throw new ClaimlensError(
        'config',
        `input.${spec.name} was pseudonymized with another key (fingerprint ${recorded}, this key ${fingerprint}); use the same key, or rotate by re-loading every table from source (docs/governance.md)`,
      );
    }
  }
}

/** Copies the direct identifiers of the rows in scope to `restricted.<table>`, keyed by their tokens. */
async function restrict(
  wh: Warehouse,
  spec: TableSpec,
  params: DuckDBValue[],
  rowFilter: string,
): Promise<number> {
  const ids = identifierColumns(spec);
  const direct = directColumns(spec);
  const target = `${ident(RESTRICTED_SCHEMA)}.${ident(spec.name)}`;
  await wh.run(`CREATE SCHEMA IF NOT EXISTS ${RESTRICTED_SCHEMA}`);
  const cols = [...ids.map((c) => c.name), ...direct];
  await wh.run(`CREATE TABLE IF NOT EXISTS ${target} (${cols.map((c) => `${ident(c)} VARCHAR`).join(', ')})`);
  const before = (await wh.one<{ n: number }>(`SELECT count(*) AS n FROM ${target}`))?.n ?? 0;
  const select = [
    ...ids.map((c) => `${tokenSql(ident(c.name), c.family)} AS ${ident(c.name)}`),
    ...direct.map((c) => `CAST(${ident(c)} AS VARCHAR) AS ${ident(c)}`),
  ];
  const anyDirect = direct.map((c) => `${ident(c)} IS NOT NULL`).join(' OR ');
  await wh.run(
    `INSERT INTO ${target} SELECT DISTINCT ${select.join(', ')} FROM ${ident(INPUT_SCHEMA)}.${ident(spec.name)} ` +
      `WHERE (${rowFilter}) AND (${anyDirect}) EXCEPT SELECT ${cols.map(ident).join(', ')} FROM ${target}`,
    params,
  );
  const after = (await wh.one<{ n: number }>(`SELECT count(*) AS n FROM ${target}`))?.n ?? 0;
  return after - before;
}

/**
 * Quarantined rows of the table keep raw values for the analyst fixing the source; their identifiers
 * are tokenized too (in `value` and in the JSON `record`), direct identifiers removed, and values that
 * mix several columns (duplicate grain) or raw malformed lines withheld, since they cannot be split.
 */
async function redactQuarantine(
  wh: Warehouse,
  spec: TableSpec,
  params: DuckDBValue[],
  partial: boolean,
): Promise<number> {
  const ids = identifierColumns(spec);
  const direct = directColumns(spec);
  const sensitive = [...ids.map((c) => c.name), ...direct];
  const where = (n: number) =>
    `table_name = ${literal(spec.name)}${partial ? ` AND list_contains($${n}, source_file)` : ''}`;
  const q = `${ident(INPUT_SCHEMA)}.quarantine`;
  const n = (
    await wh.one<{ n: number }>(
      `SELECT count(*) AS n FROM ${q} WHERE ${where(1)}`,
      partial ? [params[2]!] : [],
    )
  )?.n;
  if (!n) return 0;
  const valueCase = [
    ...ids.map((c) => `WHEN column_name = ${literal(c.name)} THEN ${tokenSql('value', c.family)}`),
    `WHEN list_has_any(string_split(column_name, ','), [${sensitive.map(literal).join(', ')}]) THEN NULL`,
  ];
  const patch = [
    ...ids.map((c) => `${literal(c.name)}, ${tokenSql(`(record ->> ${literal(c.name)})`, c.family)}`),
    ...direct.map((c) => `${literal(c)}, NULL`),
  ];
  // RFC 7396 merge patch: a null member removes the key, a string replaces the value.
  await wh.run(
    `UPDATE ${q} SET value = CASE ${valueCase.join(' ')} ELSE value END, ` +
      `record = CASE WHEN json_valid(record) AND json_type(record) = 'OBJECT' ` +
      `THEN CAST(json_merge_patch(record, json_object(${patch.join(', ')})) AS VARCHAR) ELSE NULL END ` +
      `WHERE ${where(3)}`,
    params,
  );
  return n;
}

/**
 * The load option for a governance configuration: the key (a missing key is a clear error, never a
 * silent fallback) and what to do with direct identifiers; undefined when pseudonymization is off.
 */
export function pseudonymizationFor(
  config: GovernanceConfig,
): { key: Buffer; directIdentifiers: DirectIdentifierMode } | undefined {
  if (!config.pseudonymize) return undefined;
  return { key: loadKey(config.keyFile).key, directIdentifiers: config.directIdentifiers };
}
