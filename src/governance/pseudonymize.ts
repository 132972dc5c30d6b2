// Pseudonymization of the input layer, written by the load itself: identifier columns stored as keyed
// HMAC-SHA-256 tokens, direct identifiers moved to schema `restricted` or dropped, set-based in SQL.

import { type DuckDBValue, listValue } from '@duckdb/node-api';
import { ident, literal, type Warehouse } from '../engine/duckdb.ts';
import { ClaimlensError } from '../errors.ts';
import { INPUT_SCHEMA, INPUT_TABLES } from '../input/contract.ts';
import type { ColumnSpec, TableSpec } from '../input/spec.ts';
import type { GovernanceConfig } from './config.ts';
import { familyOf, hmacParams, TOKEN_FAMILIES, TOKEN_HEX, type TokenFamily, tokenSql } from './hmac.ts';
import { keyFingerprint, loadKey } from './key.ts';

export const RESTRICTED_SCHEMA = 'restricted';
export const GOVERNANCE_SCHEMA = 'governance';
const STATE_TABLE = `${GOVERNANCE_SCHEMA}.pseudonymization`;

export type DirectIdentifierMode = 'restrict' | 'drop';

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

/** The token family of an identifier column; a new identifier column must get one. */
function tokenFamily(table: string, column: string): TokenFamily {
  const family = familyOf(column);
  if (!family) throw new Error(`identifier column ${table}.${column} has no token family in hmac.ts`);
  return family;
}

/** Identifier columns of a table with their token family. */
export function identifierColumns(spec: TableSpec): { name: string; family: TokenFamily }[] {
  return spec.columns
    .filter((c) => c.phi === 'identifier')
    .map((c) => ({ name: c.name, family: tokenFamily(spec.name, c.name) }));
}

export function directColumns(spec: TableSpec): string[] {
  return spec.columns.filter((c) => c.phi === 'direct').map((c) => c.name);
}

/** The attached in-memory database holding a load's token maps; raw identifiers never reach the file. */
const TOKENS_DB = 'claimlens_tokens';

/**
 * Input tables whose identifiers seed the token maps: the roster of members every other table
 * refers to. Identifiers of other tables found in no map are tokenized row by row (about 1 s per
 * column and million rows on one thread, against 0.07 s for a map lookup).
 */
const SEED_TABLES: readonly string[] = ['eligibility'];

/** One part of a table being loaded, as the tokens see it: a side-effect-free scan and its columns' text. */
export interface TokenSourcePart {
  /** FROM item yielding the part's rows (read again, so it records no rejects). */
  relation: string;
  /** Contract column → SQL of its cleaned text over `relation`, for the columns the part has. */
  text: ReadonlyMap<string, string>;
}

export interface TokenSourceTable {
  spec: TableSpec;
  parts: readonly TokenSourcePart[];
}

/** A table a pseudonymizing load wrote, for its report. */
export interface PseudonymizedTable {
  spec: TableSpec;
  /** Rows loaded. */
  rows: number;
  /** Contract columns the load had (stored, or read and not stored: direct identifiers). */
  columns: readonly string[];
  /** Quarantine rows of the table in this load. */
  quarantineRows: number;
}

/** The token of each identifier column of an insert, and the map joins those tokens read. */
export interface TokenColumns {
  /** `LEFT JOIN` clauses to append to the insert's FROM. */
  joins: string;
  /** Contract column → SQL of its token (identifier columns the insert has). */
  token: Map<string, string>;
}

/**
 * Pseudonymization written in a load's first pass: every identifier column is inserted as its token
 * (HMAC-SHA-256 under the key, docs/governance.md) and direct identifiers are never stored in the
 * input tables, so no raw identifier is ever written to the warehouse file, not even to blocks a
 * later statement frees. Tokens come from maps of the seed tables' distinct values, held in an
 * attached in-memory database that every session of the load reads; values in no map are
 * tokenized in the row. Direct identifiers go to `restricted.<table>` (or nowhere) before the
 * insert, read from a second scan of their parts.
 *
 * @example
 *   const tokens = await LoadTokens.open(wh, key, 'restrict', tables, undefined);
 *   try { ...inserts using tokens.columns(...) and tokens.params... } finally { await tokens.close(wh); }
 */
export class LoadTokens {
  /** The padded key as two BLOB parameters: every statement using a token binds them as $1 and $2. */
  readonly params: DuckDBValue[];
  readonly fingerprint: string;
  private readonly seeded = new Set<TokenFamily>();
  private readonly restrictedRows = new Map<string, number>();

  private constructor(
    key: Buffer,
    readonly mode: DirectIdentifierMode,
  ) {
    this.params = hmacParams(key);
    this.fingerprint = keyFingerprint(key);
  }

  /**
   * Checks the warehouse can take tokens of this key (the rows a load keeps carry them), builds
   * the maps and writes the restricted direct identifiers. `files` names the files of an append
   * load, whose earlier rows are replaced; undefined for a replace load.
   */
  static async open(
    wh: Warehouse,
    key: Buffer,
    mode: DirectIdentifierMode,
    tables: readonly TokenSourceTable[],
    files: readonly string[] | undefined,
  ): Promise<LoadTokens> {
    const tokens = new LoadTokens(key, mode);
    await wh.run(`CREATE SCHEMA IF NOT EXISTS ${GOVERNANCE_SCHEMA}`);
    await wh.run(
      `CREATE TABLE IF NOT EXISTS ${STATE_TABLE} (table_name VARCHAR PRIMARY KEY, key_fingerprint VARCHAR, direct_identifiers VARCHAR, pseudonymized_at TIMESTAMP)`,
    );
    await assertOneKey(
      wh,
      tokens.fingerprint,
      tables.map((t) => t.spec),
      files ? listValue([...files]) : undefined,
    );
    await wh.run(`DETACH DATABASE IF EXISTS ${TOKENS_DB}`);
    await wh.run(`ATTACH ':memory:' AS ${TOKENS_DB}`);
    try {
      await tokens.seed(wh, tables);
      if (mode === 'restrict') for (const t of tables) await tokens.restrict(wh, t);
    } catch (err) {
      await tokens.close(wh);
      throw err;
    }
    return tokens;
  }

  private async seed(wh: Warehouse, tables: readonly TokenSourceTable[]): Promise<void> {
    const sources = new Map<TokenFamily, string[]>();
    for (const { spec, parts } of tables.filter((t) => SEED_TABLES.includes(t.spec.name))) {
      for (const c of identifierColumns(spec)) {
        for (const part of parts) {
          const text = part.text.get(c.name);
          if (text === undefined) continue;
          sources.set(c.family, [
            ...(sources.get(c.family) ?? []),
            `SELECT ${text} AS raw FROM ${part.relation}`,
          ]);
        }
      }
    }
    for (const [family, selects] of sources) {
      await wh.run(
        `CREATE TABLE ${TOKENS_DB}.${family} AS SELECT raw, ${tokenSql('raw', family)} AS token ` +
          `FROM (SELECT DISTINCT raw FROM (${selects.join(' UNION ALL ')})) AS v WHERE raw IS NOT NULL AND raw <> ''`,
        this.params,
      );
      this.seeded.add(family);
    }
  }

  /**
   * Tokens of the identifier columns among `present`, whose text `textOf` gives. Each seeded family
   * is a LEFT JOIN (so rows keep their order and count); NULL and empty values stay as they are.
   */
  columns(present: readonly ColumnSpec[], textOf: (c: ColumnSpec) => string): TokenColumns {
    const joins: string[] = [];
    const token = new Map<string, string>();
    for (const c of present) {
      if (c.phi !== 'identifier') continue;
      const family = tokenFamily('input', c.name);
      const text = textOf(c);
      const inRow = tokenSql(text, family);
      if (!this.seeded.has(family)) {
        token.set(c.name, inRow);
        continue;
      }
      const alias = `claimlens_k${joins.length}`;
      joins.push(`LEFT JOIN ${TOKENS_DB}.${family} AS ${alias} ON ${alias}.raw = ${text}`);
      token.set(c.name, `coalesce(${alias}.token, ${inRow})`);
    }
    return { joins: joins.join(' '), token };
  }

  /** Copies the direct identifiers of every well-formed row of the table to `restricted.<table>`, keyed by tokens. */
  private async restrict(wh: Warehouse, { spec, parts }: TokenSourceTable): Promise<void> {
    const ids = identifierColumns(spec);
    const direct = directColumns(spec);
    if (!parts.some((p) => direct.some((c) => p.text.has(c)))) return;
    const target = `${ident(RESTRICTED_SCHEMA)}.${ident(spec.name)}`;
    await wh.run(`CREATE SCHEMA IF NOT EXISTS ${RESTRICTED_SCHEMA}`);
    const cols = [...ids.map((c) => c.name), ...direct];
    await wh.run(
      `CREATE TABLE IF NOT EXISTS ${target} (${cols.map((c) => `${ident(c)} VARCHAR`).join(', ')})`,
    );
    const before = (await wh.one<{ n: number }>(`SELECT count(*) AS n FROM ${target}`))?.n ?? 0;
    for (const part of parts) {
      const present = spec.columns.filter((c) => part.text.has(c.name));
      const { joins, token } = this.columns(present, (c) => part.text.get(c.name)!);
      const text = (c: string) => part.text.get(c) ?? 'NULL';
      const select = [
        ...ids.map((c) => `${token.get(c.name) ?? 'NULL'} AS ${ident(c.name)}`),
        ...direct.map((c) => `CAST(${text(c)} AS VARCHAR) AS ${ident(c)}`),
      ];
      const anyDirect = direct.map((c) => `${text(c)} IS NOT NULL`).join(' OR ');
      await wh.run(
        `INSERT INTO ${target} SELECT DISTINCT ${select.join(', ')} FROM ${part.relation} ${joins} ` +
          `WHERE ${anyDirect} EXCEPT SELECT ${cols.map(ident).join(', ')} FROM ${target}`,
        token.size > 0 ? this.params : [],
      );
    }
    const after = (await wh.one<{ n: number }>(`SELECT count(*) AS n FROM ${target}`))?.n ?? 0;
    this.restrictedRows.set(spec.name, after - before);
  }

  /** Whether the table has identifiers or direct identifiers, whose quarantined copies are redacted. */
  sensitive(spec: TableSpec): boolean {
    return identifierColumns(spec).length > 0 || directColumns(spec).length > 0;
  }

  /** Whether redacting the table's quarantined rows computes tokens (its SQL then binds `params`). */
  tokenizes(spec: TableSpec): boolean {
    return identifierColumns(spec).length > 0;
  }

  /**
   * SQL of a quarantine `record` of the table, redacted: a JSON object gets its identifiers
   * tokenized and its direct identifiers removed (RFC 7396 merge patch: a null member removes the
   * key); any other text (a raw line that cannot be split into columns) is withheld. Records of
   * tables without identifiers are kept as they are.
   */
  quarantineRecord(spec: TableSpec, record: string): string {
    if (!this.sensitive(spec)) return record;
    const patch = [
      ...identifierColumns(spec).map(
        (c) => `${literal(c.name)}, ${tokenSql(`(${record} ->> ${literal(c.name)})`, c.family)}`,
      ),
      ...directColumns(spec).map((c) => `${literal(c)}, NULL`),
    ];
    return (
      `CASE WHEN json_valid(${record}) AND json_type(${record}) = 'OBJECT' ` +
      `THEN CAST(json_merge_patch(${record}, json_object(${patch.join(', ')})) AS VARCHAR) END`
    );
  }

  /** Records the key of every table that received rows and reports what was pseudonymized. */
  async finish(wh: Warehouse, loaded: readonly PseudonymizedTable[]): Promise<PseudonymizeReport> {
    const tables: TablePseudonymization[] = [];
    for (const { spec, rows, columns, quarantineRows } of loaded) {
      const ids = identifierColumns(spec).filter((c) => columns.includes(c.name));
      const direct = directColumns(spec).filter((c) => columns.includes(c));
      if (ids.length === 0 && direct.length === 0) continue;
      if (rows > 0) {
        await wh.run(`INSERT OR REPLACE INTO ${STATE_TABLE} VALUES (?, ?, ?, current_timestamp)`, [
          spec.name,
          this.fingerprint,
          this.mode,
        ]);
      }
      if (rows === 0 && quarantineRows === 0) continue;
      tables.push({
        table: spec.name,
        rows,
        identifierColumns: ids.map((c) => c.name),
        directColumns: direct,
        restrictedRows: this.restrictedRows.get(spec.name) ?? 0,
        quarantineRows,
      });
    }
    return { keyFingerprint: this.fingerprint, directIdentifiers: this.mode, tables };
  }

  /** Drops the maps (raw values) with their in-memory database. */
  async close(wh: Warehouse): Promise<void> {
    await wh.run(`DETACH DATABASE IF EXISTS ${TOKENS_DB}`);
  }
}

/**
 * Every table keeping identifiers must carry tokens of one key, or joins silently break (and raw and
 * tokenized rows would mix). Checked before the load writes: the tables it replaces (all their
 * rows, or for an append the rows of its files) are exempt.
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
