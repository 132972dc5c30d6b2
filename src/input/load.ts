// `claimlens load DIR`: reads the input files of a directory into the input schema, validating every
// row against the contract in set-based SQL; rows that break a rule go to input.quarantine, never lost.

import { statSync } from 'node:fs';
import { duckdbDialect } from '../engine/dialect.ts';
import { ident, literal, type OpenOptions, type Warehouse, withStagedWarehouse } from '../engine/duckdb.ts';
import { onSessions, threadsPerSession, withThreads } from '../engine/sessions.ts';
import { ClaimlensError, UsageError } from '../errors.ts';
import {
  type DirectIdentifierMode,
  directColumns,
  LoadTokens,
  type PseudonymizedTable,
  type PseudonymizeReport,
} from '../governance/pseudonymize.ts';
import type { SourceGap, SourceReject } from '../sources/adapter.ts';
import { INPUT_SCHEMA, INPUT_TABLES, tableSpec } from './contract.ts';
import { createTableSql, LINEAGE_COLUMNS, virtualColumns } from './ddl.ts';
import { type DetectedInput, detectInput, type IgnoredEntry } from './formats.ts';
import {
  CREATE_LOAD_LOG_SQL,
  CREATE_QUARANTINE_SQL,
  CREATE_SOURCE_GAP_SQL,
  LOAD_LOG_TABLE,
  QUARANTINE_TABLE,
  SOURCE_GAP_TABLE,
} from './quarantine.ts';
import { type OpenedPart, readerFor } from './readers.ts';
import type { ColumnSpec, TableSpec } from './spec.ts';
import { brokenRulesList, passesAll, ruleChecks, typedValue } from './validate.ts';

export type LoadMode = 'replace' | 'append';

export interface LoadProgress {
  table: string;
  sourceFile?: string;
  message: string;
}

export interface LoadOptions {
  /** `auto` (default) reads every known format; `csv` or `parquet` only that one. */
  format?: string;
  /**
   * `replace` (default) replaces each input table present in the directory wholesale; `append` keeps
   * other files' rows and replaces only the rows previously loaded from the same files.
   */
  mode?: LoadMode;
  onProgress?: (event: LoadProgress) => void;
  /**
   * Pseudonymize identifier columns (HMAC-SHA-256 under this key, docs/governance.md): the load
   * writes tokens in its first pass and never stores direct identifiers in the input tables, so raw
   * identifiers never land in the warehouse file.
   */
  pseudonymize?: { key: Buffer; directIdentifiers: DirectIdentifierMode };
  /**
   * Refuse a directory without the required tables (eligibility, medical_claim); default true. Sources
   * that only carry some tables (X12 claims and remittances) load into a warehouse that has the rest.
   */
  requireTables?: boolean;
  /**
   * Set by source adapters (src/sources): the format and what it lacks, recorded in input.source_gap.
   * `complete` sources replace the whole input layer: in replace mode, tables they have no rows for are emptied.
   */
  source?: {
    format: string;
    gaps: readonly SourceGap[];
    complete: boolean;
    rejects?: readonly SourceReject[];
  };
}

/**
 * Required columns a source may leave empty because it declares the gap that explains why: a source
 * without ICD diagnoses (Synthea's SNOMED-CT) has no principal ICD diagnosis to give, and its claim
 * lines are still claim lines. Everything else about the column (pattern, code set) still applies.
 */
const WAIVED_BY_GAP: Partial<Record<SourceGap['capability'], string[]>> = {
  icd10_diagnoses: ['medical_claim.diagnosis_code_1'],
};

/** The contract spec of a table as this load validates it (see WAIVED_BY_GAP). */
function loadSpec(table: string, options: LoadOptions): TableSpec {
  const spec = tableSpec(table);
  const waived = new Set(
    (options.source?.gaps ?? [])
      .flatMap((g) => WAIVED_BY_GAP[g.capability] ?? [])
      .filter((c) => c.startsWith(`${table}.`)),
  );
  if (waived.size === 0) return spec;
  return {
    ...spec,
    columns: spec.columns.map((c) => (waived.has(`${table}.${c.name}`) ? { ...c, required: false } : c)),
  };
}

export interface FileLoadReport {
  sourceFile: string;
  reader: string;
  rowsRead: number;
  rowsLoaded: number;
  rowsQuarantined: number;
}

export interface TableLoadReport {
  table: string;
  files: FileLoadReport[];
  rowsRead: number;
  rowsLoaded: number;
  rowsQuarantined: number;
  /** Quarantine rows per rule; a row breaking two rules counts under both. */
  byRule: Record<string, number>;
  warnings: string[];
}

export interface LoadReport {
  loadId: number;
  directory: string;
  mode: LoadMode;
  format: string;
  loadedAt: string;
  tables: TableLoadReport[];
  /** Input tables with no file in the directory (created empty when new, otherwise left as they were). */
  absent: string[];
  ignored: IgnoredEntry[];
  rowsRead: number;
  rowsLoaded: number;
  rowsQuarantined: number;
  elapsedMs: number;
  /** Present when identifiers were pseudonymized during the load. */
  pseudonymization?: PseudonymizeReport;
}

/** What a directory holds, its CSV headers checked, before the warehouse is touched. */
interface LoadPlan {
  dir: string;
  detected: DetectedInput;
  mode: LoadMode;
  format: string;
}

function planLoad(dir: string, options: LoadOptions): LoadPlan {
  const mode = options.mode ?? 'replace';
  if (mode !== 'replace' && mode !== 'append') {
    throw new UsageError(`unknown mode '${String(mode)}': use replace or append`);
  }
  const format = options.format ?? 'auto';
  const detected = detectInput(dir, format);
  const present = new Set(detected.tables.map((t) => t.table));
  const required = options.requireTables ?? true;
  const missing = INPUT_TABLES.filter((t) => required && t.requiredFile && !present.has(t.name)).map(
    (t) => t.name,
  );
  if (missing.length > 0) {
    const files = missing.map((m) => `${m}.csv`).join(' and ');
    throw new ClaimlensError(
      'input_missing',
      `the directory has no ${files}: every load needs ${missing.length > 1 ? 'them' : 'it'} (or .csv.gz, .parquet, or a folder of parts); ` +
        'add the file or point the load at the directory that has it',
      { file: dir },
    );
  }
  for (const input of detected.tables) {
    for (const part of input.parts) readerFor(part.reader).check?.(part, tableSpec(input.table));
  }
  return { dir, detected, mode, format };
}

/**
 * Loads the input files of `dir` into the warehouse file at `warehousePath`. Works on a copy that
 * replaces the file only when the load succeeds, so a failed or killed load leaves it as it was.
 *
 * @example
 *   const report = await loadDirectory('claimlens.duckdb', 'data/demo', { mode: 'replace' });
 */
export async function loadDirectory(
  warehousePath: string,
  dir: string,
  options: LoadOptions = {},
  open: OpenOptions = {},
): Promise<LoadReport> {
  const plan = planLoad(dir, options);
  // A pseudonymizing load writes tokens only, but raw values can still reach the file outside its
  // live data: in the blocks freed when it replaces rows an earlier load wrote raw, and in the unused
  // tail of blocks DuckDB writes, which it does not clear (it holds whatever the process's memory
  // held: the raw text the load read; duckdb/duckdb#23382). The finished file is rewritten by a
  // fresh instance, which holds the live data only (docs/governance.md).
  return withStagedWarehouse(warehousePath, (wh) => executeLoad(wh, plan, options), open, {
    rewrite: options.pseudonymize !== undefined,
  });
}

/** Loads `dir` into an open warehouse (tests and the demo); not staged, so a failure can leave part of it done. */
export async function loadInto(wh: Warehouse, dir: string, options: LoadOptions = {}): Promise<LoadReport> {
  return executeLoad(wh, planLoad(dir, options), options);
}

/** Creates the input schema, every input table (empty when new), the quarantine and the load log. */
export async function ensureInputTables(wh: Warehouse): Promise<void> {
  await wh.run(`CREATE SCHEMA IF NOT EXISTS ${ident(INPUT_SCHEMA)}`);
  for (const spec of INPUT_TABLES) await wh.run(createTableSql(spec));
  await wh.run(CREATE_QUARANTINE_SQL);
  await wh.run(CREATE_LOAD_LOG_SQL);
  await wh.run(CREATE_SOURCE_GAP_SQL);
}

/**
 * Records what the loaded source lacks. A replace load of a complete source or of canonical files
 * starts the record afresh (canonical files can carry everything); an append adds to it.
 */
async function recordSource(
  wh: Warehouse,
  loadId: number,
  loadedAt: string,
  plan: LoadPlan,
  options: LoadOptions,
  tokens: LoadTokens | undefined,
): Promise<void> {
  const source = options.source;
  if (plan.mode === 'replace' && (source === undefined || source.complete)) {
    await wh.run(`DELETE FROM ${SOURCE_GAP_TABLE}`);
  }
  if (!source) return;
  const rejects = source.rejects ?? [];
  // Records a source rejected before mapping: a reload of the same files replaces them.
  const files = [...new Set(rejects.map((r) => r.file))];
  if (files.length > 0) {
    await wh.run(
      `DELETE FROM ${QUARANTINE_TABLE} WHERE starts_with(rule, 'source_') AND list_contains([${files.map(literal).join(', ')}], source_file)`,
    );
  }
  for (const r of rejects) {
    // Pseudonymizing, the record goes in redacted, binding the key as $1 and $2 when it tokenizes.
    const spec = tableSpec(r.table);
    const keyed = tokens?.tokenizes(spec) ?? false;
    const n = (i: number) => `$${i + (keyed ? 3 : 1)}`;
    const record = tokens ? tokens.quarantineRecord(spec, n(6)) : n(6);
    await wh.run(
      `INSERT INTO ${QUARANTINE_TABLE} VALUES (${[0, 1, 2, 3, 4].map(n).join(', ')}, NULL, NULL, ${n(5)}, ` +
        `${record}, TIMESTAMP ${literal(loadedAt)})`,
      [...(keyed ? tokens!.params : []), loadId, r.table, r.file, r.line, r.rule, r.detail, r.record ?? null],
    );
  }
  for (const gap of source.gaps) {
    await wh.run(`DELETE FROM ${SOURCE_GAP_TABLE} WHERE format = ? AND capability = ?`, [
      source.format,
      gap.capability,
    ]);
    await wh.run(`INSERT INTO ${SOURCE_GAP_TABLE} VALUES (?, ?, ?, ?)`, [
      loadId,
      source.format,
      gap.capability,
      gap.reason,
    ]);
  }
}

async function executeLoad(wh: Warehouse, plan: LoadPlan, options: LoadOptions): Promise<LoadReport> {
  const started = Date.now();
  const progress = options.onProgress ?? (() => undefined);
  const loadedAt = new Date(started).toISOString().replace('T', ' ').replace('Z', '');
  await ensureInputTables(wh);
  const last = await wh.one<{ id: number | null }>(`SELECT max(load_id) AS id FROM ${LOAD_LOG_TABLE}`);
  const loadId = (last?.id ?? 0) + 1;

  // Every part is opened (headers and columns checked) before anything is written.
  const opened = new Map<string, OpenedPart[]>();
  let serial = 0;
  let tokens: LoadTokens | undefined;
  try {
    for (const input of plan.detected.tables) {
      const spec = loadSpec(input.table, options);
      const parts: OpenedPart[] = [];
      opened.set(input.table, parts);
      for (const part of input.parts) {
        parts.push(
          await readerFor(part.reader).open(wh, part, spec, `claimlens_load_${process.pid}_${serial++}`),
        );
      }
    }
    if (options.pseudonymize) {
      progress({ table: '*', message: 'pseudonymizing: token maps from the eligibility files' });
      tokens = await LoadTokens.open(
        wh,
        options.pseudonymize.key,
        options.pseudonymize.directIdentifiers,
        plan.detected.tables.map((t) => ({
          spec: tableSpec(t.table),
          // The rows read again without recording rejects: the insert's scan records them once.
          parts: opened.get(t.table)!.map((p) => ({ relation: p.rescan, text: p.text })),
        })),
        plan.mode === 'append' ? [...opened.values()].flat().map((p) => p.part.sourceFile) : undefined,
      );
    }
    const tables = await loadTables(wh, plan, opened, (session, input) => ({
      wh: session,
      spec: loadSpec(input.table, options),
      parts: opened.get(input.table)!,
      mode: plan.mode,
      loadId,
      loadedAt,
      progress,
      tokens,
    }));
    const present = new Set(tables.map((t) => t.table));
    if (options.source?.complete && plan.mode === 'replace') {
      // A source that is the whole book leaves nothing of an earlier book behind.
      for (const spec of INPUT_TABLES.filter((t) => !present.has(t.name))) {
        await wh.run(`DELETE FROM ${ident(INPUT_SCHEMA)}.${ident(spec.name)}`);
        await wh.run(`DELETE FROM ${QUARANTINE_TABLE} WHERE table_name = ?`, [spec.name]);
      }
    }
    await recordSource(wh, loadId, loadedAt, plan, options, tokens);
    let pseudonymization: PseudonymizeReport | undefined;
    if (tokens) {
      const quarantined = new Map(
        (
          await wh.all<{ table_name: string; n: number }>(
            `SELECT table_name, count(*) AS n FROM ${QUARANTINE_TABLE} WHERE load_id = ? GROUP BY table_name`,
            [loadId],
          )
        ).map((r) => [r.table_name, r.n]),
      );
      const loaded: PseudonymizedTable[] = [];
      for (const t of tables) {
        const spec = tableSpec(t.table);
        const virtual = await virtualColumns(wh, t.table);
        const parts = opened.get(t.table)!;
        loaded.push({
          spec,
          rows: t.rowsLoaded,
          columns: spec.columns
            .map((c) => c.name)
            .filter((c) => !virtual.has(c) || parts.some((p) => p.text.has(c))),
          quarantineRows: quarantined.get(t.table) ?? 0,
        });
      }
      pseudonymization = await tokens.finish(wh, loaded);
    }
    const sum = (f: (t: TableLoadReport) => number) => tables.reduce((s, t) => s + f(t), 0);
    return {
      loadId,
      directory: plan.dir,
      mode: plan.mode,
      format: plan.format,
      loadedAt,
      tables,
      absent: INPUT_TABLES.filter((t) => !present.has(t.name)).map((t) => t.name),
      ignored: plan.detected.ignored,
      rowsRead: sum((t) => t.rowsRead),
      rowsLoaded: sum((t) => t.rowsLoaded),
      rowsQuarantined: sum((t) => t.rowsQuarantined),
      elapsedMs: Date.now() - started,
      ...(pseudonymization ? { pseudonymization } : {}),
    };
  } finally {
    await tokens?.close(wh).catch(() => undefined);
    for (const parts of opened.values()) for (const p of parts) await p.cleanup().catch(() => undefined);
    await wh.run('RESET preserve_insertion_order').catch(() => undefined);
    await wh.run('RESET disabled_optimizers').catch(() => undefined);
  }
}

/** Tables loaded at the same time, each on its own session of the warehouse. */
const LOAD_SESSIONS = 2;

/**
 * Loads the tables of a plan two at a time, each on its own session with the instance's threads
 * shared out between them: DuckDB parses and checks a CSV file on one thread with less CPU than on
 * two (measured at 1M claim lines, the five large files read side by side on one thread each: 6.1-6.2 s
 * against 8.4-8.5 s one after another on two threads). The largest tables (by bytes on disk) start
 * first: the claim lines take longer than every other table together, so started behind the small
 * ones they ended the load alone. A table's statements, its temporary tables and the reader's rejects
 * table all stay on its session. Reports come back in plan order; when tables fail, no further table
 * starts and the error of the earliest failing table in plan order is thrown (the staged copy is then
 * discarded, so nothing of the load reaches the warehouse).
 */
async function loadTables(
  wh: Warehouse,
  plan: LoadPlan,
  opened: ReadonlyMap<string, OpenedPart[]>,
  context: (session: Warehouse, input: LoadPlan['detected']['tables'][number]) => TableLoadContext,
): Promise<TableLoadReport[]> {
  const inputs = plan.detected.tables;
  // Insertion order is one setting of the whole instance: kept when any part numbers its rows by
  // their order (CSV), free otherwise (parquet rows carry their row number).
  const ordinal = [...opened.values()].flat().some((p) => p.line.kind === 'ordinal');
  await wh.run(`SET preserve_insertion_order = ${ordinal}`);
  // A pseudonymizing insert looks tokens up in small maps (LEFT JOIN). DuckDB may instead build its
  // hash table on the big side, the file's rows, and emit them out of file order, which breaks the
  // ordinal line numbers (149,402 of 149,402 claim lines misplaced on a 6,000-member book).
  await wh.run("SET disabled_optimizers = 'build_side_probe_side'");
  const reports: TableLoadReport[] = [];
  const sessions = Math.min(LOAD_SESSIONS, inputs.length);
  const bytes = inputs.map((t) => opened.get(t.table)!.reduce((a, p) => a + partBytes(p), 0));
  const largestFirst = [...inputs.keys()].sort((a, b) => bytes[b]! - bytes[a]! || a - b);
  await withThreads(wh, await threadsPerSession(wh, sessions), () =>
    onSessions(
      wh,
      sessions,
      [...inputs.keys()],
      async (session, i) => {
        reports[i] = await loadTable(context(session, inputs[i]!));
      },
      largestFirst,
    ),
  );
  return reports;
}

/** Size of a part's file (a folder of parts is one part per file); 0 when it cannot be read. */
function partBytes(part: OpenedPart): number {
  try {
    return statSync(part.part.path).size;
  } catch {
    return 0;
  }
}

interface TableLoadContext {
  wh: Warehouse;
  spec: TableSpec;
  parts: OpenedPart[];
  mode: LoadMode;
  loadId: number;
  loadedAt: string;
  progress: (event: LoadProgress) => void;
  /** Set when the load pseudonymizes: identifier columns are written as tokens. */
  tokens: LoadTokens | undefined;
}

/** Quarantine rows of the table being loaded, before they are written; `rid` is the row's rowid when it was inserted. */
const PENDING = 'claimlens_pending_quarantine';
/**
 * Temporary column holding, for a row that breaks a rule, its record (JSON of its text) and the
 * rules it breaks, as the quarantine will show them (identifiers tokenized when pseudonymizing).
 */
const RAW = '_raw';
const RAW_TYPE =
  'STRUCT(record VARCHAR, broken STRUCT(rule VARCHAR, column_name VARCHAR, value VARCHAR, detail VARCHAR)[])';

async function loadTable(ctx: TableLoadContext): Promise<TableLoadReport> {
  const { wh, spec, parts } = ctx;
  const target = `${ident(INPUT_SCHEMA)}.${ident(spec.name)}`;
  const files = parts.map((p) => p.part.sourceFile);
  const fileList = `[${files.map(literal).join(', ')}]`;
  await wh.run(`ALTER TABLE ${target} DROP COLUMN IF EXISTS ${RAW}`);
  const virtual = await shapeTable(ctx);
  await wh.run(`ALTER TABLE ${target} ADD COLUMN ${RAW} ${RAW_TYPE}`);
  let report: TableLoadReport;
  try {
    // 1. Old rows out, every row of every part in, each in one scan.
    const produced = new Map<string, number>();
    await transaction(wh, async () => {
      if (ctx.mode === 'replace') {
        await wh.run(`DELETE FROM ${target}`);
        await wh.run(`DELETE FROM ${QUARANTINE_TABLE} WHERE table_name = ?`, [spec.name]);
      } else {
        await wh.run(`DELETE FROM ${target} WHERE list_contains(${fileList}, _source_file)`);
        await wh.run(
          `DELETE FROM ${QUARANTINE_TABLE} WHERE table_name = ? AND list_contains(${fileList}, source_file)`,
          [spec.name],
        );
      }
      for (const part of parts) {
        const file = part.part.sourceFile;
        ctx.progress({ table: spec.name, sourceFile: file, message: `reading ${file}` });
        produced.set(file, await insertPart(ctx, target, part, virtual));
      }
    });
    // 2. Lines from the order of the rows: numbered once committed, because an update of rows a
    //    transaction has just written costs DuckDB a rewrite of the whole insert at commit.
    await wh.run(`DROP TABLE IF EXISTS ${PENDING}`);
    await wh.run(
      `CREATE TEMP TABLE ${PENDING} (rid BIGINT, source_file VARCHAR, source_line BIGINT, rule VARCHAR, ` +
        'column_name VARCHAR, value VARCHAR, detail VARCHAR, record VARCHAR)',
    );
    for (const part of parts) {
      const outcome = await part.finish();
      const file = literal(part.part.sourceFile);
      if (part.line.kind === 'ordinal' && outcome.gapsSql)
        await numberLines(wh, target, file, outcome.gapsSql);
      if (outcome.rejectsSql) {
        // A malformed line cannot be split into columns: a pseudonymizing load withholds its text.
        const record = ctx.tokens?.sensitive(spec) ? 'NULL' : 'record';
        await wh.run(
          `INSERT INTO ${PENDING} SELECT NULL, ${file}, source_line, rule, column_name, value, detail, ` +
            `${record} FROM (${outcome.rejectsSql})`,
        );
      }
    }
    // 3. Broken rules and duplicates to the quarantine, their rows out of the table.
    ctx.progress({ table: spec.name, message: `checking ${spec.name}` });
    await transaction(wh, async () => {
      await quarantineSuspects(ctx, target, fileList);
      await quarantineDuplicates(ctx, target, fileList);
      await wh.run(`DELETE FROM ${target} WHERE rowid IN (SELECT rid FROM ${PENDING} WHERE rid IS NOT NULL)`);
      await wh.run(
        `INSERT INTO ${QUARANTINE_TABLE} SELECT ${ctx.loadId}, ${literal(spec.name)}, source_file, source_line, ` +
          `rule, column_name, value, detail, record, TIMESTAMP ${literal(ctx.loadedAt)} FROM ${PENDING} ` +
          `ORDER BY list_position(${fileList}, source_file), source_line, rule, column_name`,
      );
      report = await tableReport(ctx, produced);
      await wh.run(
        `INSERT INTO ${LOAD_LOG_TABLE} VALUES ${report.files
          .map(
            (f) =>
              `(${ctx.loadId}, ${literal(spec.name)}, ${literal(f.sourceFile)}, ${f.rowsRead}, ${f.rowsLoaded}, ` +
              `${f.rowsQuarantined}, TIMESTAMP ${literal(ctx.loadedAt)})`,
          )
          .join(', ')}`,
      );
    });
  } finally {
    await wh.run(`DROP TABLE IF EXISTS ${PENDING}`).catch(() => undefined);
    // Added and dropped outside the load's transactions: DuckDB refuses a commit that both altered and filled a table.
    await wh.run(`ALTER TABLE ${target} DROP COLUMN IF EXISTS ${RAW}`);
  }
  ctx.progress({
    table: spec.name,
    message: `${spec.name}: ${report!.rowsLoaded} rows loaded, ${report!.rowsQuarantined} quarantined`,
  });
  return report!;
}

async function transaction(wh: Warehouse, work: () => Promise<void>): Promise<void> {
  await wh.run('BEGIN TRANSACTION');
  try {
    await work();
    await wh.run('COMMIT');
  } catch (err) {
    await wh.run('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

const vCol = (c: ColumnSpec) => ident(`v:${c.name}`);
const tCol = (c: ColumnSpec) => (c.type === 'string' ? vCol(c) : ident(`t:${c.name}`));

/**
 * Gives the table the columns this load stores and returns the virtual ones. A contract column that
 * no file of the load has is virtual (always NULL, stored as nothing): DuckDB spends about 30 ms per
 * million rows writing a NULL text column, and a Tuva-shaped claims file leaves most of the 148
 * columns empty (103 of them in the generated book: 2.9 s of the 5.3 s insert at 1M lines).
 * Replace: the table is created afresh with this load's shape (it is emptied anyway). Append: a
 * virtual column a new file has becomes stored, the rows already there keeping NULL in it; a stored
 * column stays stored.
 */
async function shapeTable(ctx: TableLoadContext): Promise<Set<string>> {
  const { wh, spec, parts } = ctx;
  if (wh.engine !== 'duckdb') return new Set();
  const contract = tableSpec(spec.name);
  // Direct identifiers of a pseudonymizing load are never stored (restricted.<table> has them).
  const direct = new Set(ctx.tokens ? directColumns(contract) : []);
  const provided = new Set(parts.flatMap((p) => [...p.text.keys()]).filter((c) => !direct.has(c)));
  const current = await virtualColumns(wh, spec.name);
  const wanted =
    ctx.mode === 'replace'
      ? new Set(contract.columns.map((c) => c.name).filter((c) => !provided.has(c)))
      : new Set([...current].filter((c) => !provided.has(c)));
  if (wanted.size === current.size && [...wanted].every((c) => current.has(c))) return current;
  const target = `${ident(INPUT_SCHEMA)}.${ident(spec.name)}`;
  if (ctx.mode === 'replace') {
    await wh.run(`DROP TABLE ${target}`);
    await wh.run(createTableSql(contract, duckdbDialect, { virtual: wanted }));
    return wanted;
  }
  const reshaped = `${spec.name}__reshaped`;
  const reshapedTable = `${ident(INPUT_SCHEMA)}.${ident(reshaped)}`;
  const kept = [
    ...contract.columns.map((c) => c.name).filter((c) => !current.has(c)),
    ...LINEAGE_COLUMNS.map((c) => c.name),
  ]
    .map(ident)
    .join(', ');
  await transaction(wh, async () => {
    await wh.run(`DROP TABLE IF EXISTS ${reshapedTable}`);
    await wh.run(createTableSql(contract, duckdbDialect, { virtual: wanted, table: reshaped }));
    await wh.run(`INSERT INTO ${reshapedTable} (${kept}) SELECT ${kept} FROM ${target}`);
    await wh.run(`DROP TABLE ${target}`);
    await wh.run(`ALTER TABLE ${reshapedTable} RENAME TO ${ident(spec.name)}`);
  });
  return wanted;
}

/**
 * Inserts every row of one part in a single scan: typed values (identifiers as tokens when
 * pseudonymizing), lineage, and for rows that break a rule their record and the rules they break
 * (computed only for those rows; quarantineSuspects lists them). Returns the rows read.
 */
async function insertPart(
  ctx: TableLoadContext,
  target: string,
  part: OpenedPart,
  virtual: ReadonlySet<string>,
): Promise<number> {
  const { wh, spec, tokens } = ctx;
  const stored = spec.columns.filter((c) => !virtual.has(c.name));
  const present = spec.columns.filter((c) => part.text.has(c.name));
  const expressionLine = part.line.kind === 'expression' ? part.line.sql : undefined;
  const scan = [
    ...present.map((c) => `${part.text.get(c.name)!} AS ${vCol(c)}`),
    ...(expressionLine ? [`${expressionLine} AS _line`] : []),
  ];
  const typed = present
    .filter((c) => c.type !== 'string')
    .map((c) => `${typedValue(c, vCol(c))} AS ${tCol(c)}`);
  const checks = ruleChecks({ ...spec, columns: present }, vCol, tCol);
  // Pseudonymizing, identifiers are written as tokens and direct identifiers shown nowhere, not
  // even in the record and values of a row that breaks a rule.
  const { joins, token } = tokens?.columns(present, vCol) ?? { joins: '', token: new Map<string, string>() };
  const direct = new Set(tokens ? directColumns(spec) : []);
  const shown = (c: ColumnSpec) => token.get(c.name) ?? (direct.has(c.name) ? 'NULL' : vCol(c));
  const byName = new Map(present.map((c) => [c.name, c]));
  const flagged =
    `{'record': CAST(${recordJson(present, shown)} AS VARCHAR), ` +
    `'broken': ${brokenRulesList(checks, (name) => shown(byName.get(name)!))}}`;
  const out = [
    ...stored.map((c) =>
      part.text.has(c.name) && !direct.has(c.name) ? (token.get(c.name) ?? tCol(c)) : 'NULL',
    ),
    literal(part.part.sourceFile),
    expressionLine ? '_line' : 'NULL',
    `TIMESTAMP ${literal(ctx.loadedAt)}`,
    `CASE WHEN ${passesAll(checks)} THEN NULL ELSE ${flagged} END`,
  ];
  const columns = [...stored.map((c) => ident(c.name)), '_source_file', '_source_line', '_loaded_at', RAW];
  const result = await wh.one<{ Count: number }>(
    `INSERT INTO ${target} (${columns.join(', ')}) SELECT ${out.join(', ')} FROM ` +
      `(SELECT *${typed.length > 0 ? `, ${typed.join(', ')}` : ''} FROM (SELECT ${scan.join(', ')} FROM ${part.relation})) ` +
      `AS claimlens_rows ${joins}`,
    tokens && token.size > 0 ? tokens.params : [],
  );
  return Number(result?.Count ?? 0);
}

/**
 * Sets `_source_line` of the rows just inserted from one file, in file order: the n-th row is on the
 * n-th line that is not a gap (header, malformed line, blank line). Gap j (sorted) has g_j - j
 * non-gap lines before it, so row n lies after every gap with g_j - j < n: line = n + that count.
 */
async function numberLines(wh: Warehouse, target: string, file: string, gapsSql: string): Promise<void> {
  await wh.run('DROP TABLE IF EXISTS claimlens_gaps');
  await wh.run(
    `CREATE TEMP TABLE claimlens_gaps AS SELECT before, max(j) AS j FROM ` +
      `(SELECT line - row_number() OVER (ORDER BY line) AS before, row_number() OVER (ORDER BY line) AS j ` +
      `FROM (${gapsSql})) GROUP BY before`,
  );
  const gaps = await wh.one<{ n: number; header: number }>(
    'SELECT count(*) AS n, max(j) FILTER (WHERE before = 0) AS header FROM claimlens_gaps',
  );
  const base = `(SELECT min(rowid) FROM ${target} WHERE _source_file = ${file})`;
  if (gaps?.n === 1 && gaps.header === 1) {
    // Only the header: the common case, no join needed.
    await wh.run(`UPDATE ${target} SET _source_line = rowid - ${base} + 2 WHERE _source_file = ${file}`);
  } else {
    await wh.run(
      `UPDATE ${target} SET _source_line = numbered.line FROM (` +
        `SELECT r.rid, r.n + coalesce(g.j, 0) AS line FROM ` +
        `(SELECT rowid AS rid, rowid - ${base} + 1 AS n FROM ${target} WHERE _source_file = ${file}) r ` +
        `ASOF LEFT JOIN claimlens_gaps g ON r.n > g.before) numbered WHERE ${target}.rowid = numbered.rid`,
    );
  }
  await wh.run('DROP TABLE claimlens_gaps');
}

/** JSON object of a row's non-empty values, for the quarantine's `record`. */
function recordJson(columns: readonly ColumnSpec[], textOf: (c: ColumnSpec) => string): string {
  const entries = columns.map((c) => `{'k': ${literal(c.name)}, 'v': ${textOf(c)}}`);
  return `to_json(map_from_entries(list_filter([${entries.join(', ')}], e -> e.v IS NOT NULL)))`;
}

/** Lists, for each row the insert flagged, every rule it breaks (one pending quarantine row each). */
async function quarantineSuspects(ctx: TableLoadContext, target: string, fileList: string): Promise<void> {
  await ctx.wh.run(
    `INSERT INTO ${PENDING} SELECT rid, _source_file, _source_line, b.rule, b.column_name, b.value, b.detail, record FROM (` +
      `SELECT rowid AS rid, _source_file, _source_line, ${RAW}.record AS record, unnest(${RAW}.broken) AS b ` +
      `FROM ${target} WHERE ${RAW} IS NOT NULL AND list_contains(${fileList}, _source_file))`,
  );
}

/**
 * Rows that repeat the grain of an earlier valid row of this load (earlier file, then earlier line):
 * the first is kept, the others quarantined. Grain is compared on typed values ('01' and '1' are one line number).
 */
async function quarantineDuplicates(ctx: TableLoadContext, target: string, fileList: string): Promise<void> {
  const { wh, spec } = ctx;
  const grain = spec.grain.map(ident);
  const grainCols = grain.join(', ');
  const valid =
    `list_contains(${fileList}, _source_file) AND ` +
    `rowid NOT IN (SELECT rid FROM ${PENDING} WHERE rid IS NOT NULL)`;
  const value = `concat_ws(', ', ${spec.grain.map((g) => `${literal(`${g}=`)} || CAST(${ident(g)} AS VARCHAR)`).join(', ')})`;
  const cols = spec.columns;
  await wh.run(
    `INSERT INTO ${PENDING} SELECT rid, _source_file, _source_line, 'duplicate_grain', ${literal(spec.grain.join(','))}, ` +
      `${value}, 'first loaded from ' || first_file || ' line ' || first_line, record FROM (` +
      `SELECT t.rowid AS rid, t.*, ${recordJson(cols, (c) => `CAST(t.${ident(c.name)} AS VARCHAR)`)} AS record, ` +
      'row_number() OVER w AS k, first_value(_source_file) OVER w AS first_file, first_value(_source_line) OVER w AS first_line ' +
      `FROM ${target} t SEMI JOIN (SELECT ${grainCols} FROM ${target} WHERE ${valid} GROUP BY ALL HAVING count(*) > 1) d ` +
      `USING (${grainCols}) WHERE ${valid} ` +
      `WINDOW w AS (PARTITION BY ${spec.grain.map((g) => `t.${ident(g)}`).join(', ')} ` +
      `ORDER BY list_position(${fileList}, _source_file), _source_line)) WHERE k > 1`,
  );
}

/** Counts per file and per rule, from the rows read and the pending quarantine. */
async function tableReport(ctx: TableLoadContext, produced: Map<string, number>): Promise<TableLoadReport> {
  const { wh, spec, parts } = ctx;
  const perFile = await wh.all<{ source_file: string; bad_rows: number; reject_lines: number }>(
    'SELECT source_file, count(DISTINCT rid) AS bad_rows, ' +
      `count(DISTINCT source_line) FILTER (WHERE rid IS NULL) AS reject_lines FROM ${PENDING} GROUP BY source_file`,
  );
  const byFile = new Map(perFile.map((r) => [r.source_file, r]));
  const warnings = parts.flatMap((p) => p.warnings);
  const files: FileLoadReport[] = parts.map((p) => {
    const file = p.part.sourceFile;
    const bad = byFile.get(file);
    const rejectLines = bad?.reject_lines ?? 0;
    const rowsRead = (produced.get(file) ?? 0) + rejectLines;
    const rowsQuarantined = (bad?.bad_rows ?? 0) + rejectLines;
    if (rowsRead === 0) warnings.push(`${file}: no data rows after the header`);
    return {
      sourceFile: file,
      reader: p.part.reader,
      rowsRead,
      rowsLoaded: rowsRead - rowsQuarantined,
      rowsQuarantined,
    };
  });
  const rules = await wh.all<{ rule: string; n: number }>(
    `SELECT rule, count(*) AS n FROM ${PENDING} GROUP BY rule ORDER BY rule`,
  );
  const sum = (f: (r: FileLoadReport) => number) => files.reduce((s, r) => s + f(r), 0);
  return {
    table: spec.name,
    files,
    rowsRead: sum((f) => f.rowsRead),
    rowsLoaded: sum((f) => f.rowsLoaded),
    rowsQuarantined: sum((f) => f.rowsQuarantined),
    byRule: Object.fromEntries(rules.map((r) => [r.rule, r.n])),
    warnings,
  };
}
