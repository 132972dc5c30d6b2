// The build service behind `claimlens build`: runs every SQL model (plus the hooks that load code
// sets and quality marts) on a staged copy of the warehouse and records what was built in `meta`.
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { OpenOptions, Warehouse } from '../engine/duckdb.ts';
import { ident, literal, withStagedWarehouse } from '../engine/duckdb.ts';
import { publishInputLayer } from '../engine/postgres/publish.ts';
import { ClaimlensError } from '../errors.ts';
import { INPUT_SCHEMA, INPUT_TABLES } from '../input/contract.ts';
import { createTableSql } from '../input/ddl.ts';
import { bookParallelism, buildMemoryLimit } from './concurrency.ts';
import { loadModels, type Model, ONE_ROW_GRAIN } from './model.ts';
import { orderModels } from './order.ts';
import { type ModelRun, modelTable, type OnModelProgress, runModels } from './run.ts';

/** The shipped models (src/models), found from this file so builds work from any directory. */
export const DEFAULT_MODELS_DIR = fileURLToPath(new URL('../models', import.meta.url));

/** Schema of the build's own records (`meta.build_log`, `meta.model_doc`). */
export const META_SCHEMA = 'meta';

export type BuildHook = (wh: Warehouse) => Promise<void>;

export interface BuildOptions {
  /** Directory holding `staging/`, `intermediate/` and `marts/`; defaults to the shipped models. */
  modelsDir?: string;
  /** Run before the models, e.g. loading code sets into schema `codes`. */
  beforeModels?: BuildHook[];
  /** Run after the models, e.g. data-quality marts. */
  afterModels?: BuildHook[];
  onProgress?: OnModelProgress;
  open?: OpenOptions;
}

export interface PostgresBuildOptions extends Omit<BuildOptions, 'open'> {
  /**
   * A DuckDB warehouse (from `claimlens load`) whose input layer is copied into the server first
   * (COPY, streamed); without it the server's own `input` schema is built from.
   */
  inputFrom?: string;
  /** Progress of the input copy. */
  onStep?: (message: string) => void;
}

export interface BuiltModel {
  model: string;
  layer: string;
  file: string;
  materialized: 'table' | 'view';
  rows: number;
  seconds: number;
  /** Statements the table was written in: its partitions on a large book, else 1 (docs/models.md). */
  passes: number;
}

export interface BuildReport {
  buildId: string;
  warehouse: string;
  startedAt: string;
  finishedAt: string;
  seconds: number;
  models: BuiltModel[];
  /** Optional input tables that did not exist and were created empty so models can read them. */
  createdEmptyInputs: string[];
}

/**
 * Builds the warehouse at `warehousePath` from its input layer. All work happens on a copy that
 * replaces the file only when everything succeeded, so a failed or killed build leaves the previous
 * warehouse readable. Model files are read and ordered before the copy is made, so header and
 * reference errors come fast.
 *
 * @example await buildWarehouse('claimlens.duckdb', { beforeModels: [loadCodesets] })
 */
export async function buildWarehouse(
  warehousePath: string,
  options: BuildOptions = {},
): Promise<BuildReport> {
  const models = orderModels(loadModels(options.modelsDir ?? DEFAULT_MODELS_DIR));
  if (warehousePath !== ':memory:' && !existsSync(warehousePath)) {
    throw new ClaimlensError(
      'warehouse',
      `no warehouse at ${warehousePath}: run \`claimlens load DIR\` first to load the input layer`,
    );
  }
  // The pool's blocks come from DuckDB's block allocator, reused across models, rather than from
  // the C library's heap: the 1M build spends about 1 s less system time (docs/models.md).
  return withStagedWarehouse(warehousePath, (wh) => buildIn(wh, warehousePath, models, options), {
    ...options.open,
    memoryLimit: buildMemoryLimit(options.open?.memoryLimit),
    blockAllocator: true,
  });
}

/**
 * Builds a PostgreSQL warehouse at `url`, optionally copying the input layer of the DuckDB file
 * `inputFrom` first. Everything runs in one transaction (PostgreSQL DDL is transactional), so a
 * failed build rolls back to the previous warehouse and readers never see half a build.
 */
export async function buildPostgresWarehouse(
  url: string,
  options: PostgresBuildOptions = {},
): Promise<BuildReport> {
  const models = orderModels(loadModels(options.modelsDir ?? DEFAULT_MODELS_DIR));
  if (options.inputFrom !== undefined && !existsSync(options.inputFrom)) {
    throw new ClaimlensError(
      'warehouse',
      `no warehouse at ${options.inputFrom} to copy the input layer from: run \`claimlens load DIR\` first`,
    );
  }
  const { PostgresWarehouse } = await import('../engine/postgres/warehouse.ts');
  const wh = await PostgresWarehouse.open(url);
  try {
    // The models join large intermediate results with no indexes; PostgreSQL's row estimates for
    // multi-column joins of CTEs are often 1, and a nested loop chosen on that takes minutes where
    // a hash join takes a second. Discouraged for this session only (still used where it is the
    // only plan, e.g. LATERAL).
    await wh.run('SET enable_nestloop = off');
    await wh.run('BEGIN');
    if (options.inputFrom !== undefined) {
      const copied = await publishInputLayer(options.inputFrom, wh);
      const rows = copied.reduce((a, c) => a + c.rows, 0);
      options.onStep?.(
        `copied ${copied.length} input tables (${rows.toLocaleString('en-US')} rows) from ${options.inputFrom} with COPY`,
      );
    }
    const report = await buildIn(wh, wh.path, models, options);
    await wh.run('COMMIT');
    return report;
  } catch (err) {
    await wh.run('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    await wh.close();
  }
}

async function buildIn(
  wh: Warehouse,
  label: string,
  models: readonly Model[],
  options: Omit<BuildOptions, 'open' | 'modelsDir'>,
): Promise<BuildReport> {
  const buildId = randomUUID();
  const started = new Date();
  const createdEmptyInputs = await ensureInputLayer(wh, label);
  for (const hook of options.beforeModels ?? []) await hook(wh);
  await dropRetiredModels(wh, models);
  const parallel = await bookParallelism(wh);
  const runs = await runModels(wh, models, options.onProgress, {
    concurrency: parallel.sessions,
    threads: parallel.threads,
    partitions: parallel.partitions,
  });
  for (const hook of options.afterModels ?? []) await hook(wh);
  await recordBuild(wh, buildId, runs);
  const finished = new Date();
  return {
    buildId,
    warehouse: label,
    startedAt: started.toISOString(),
    finishedAt: finished.toISOString(),
    seconds: (finished.getTime() - started.getTime()) / 1000,
    models: runs.map((r) => ({
      model: r.model.id,
      layer: r.model.layer,
      file: r.model.file,
      materialized: r.model.materialized,
      rows: r.rows,
      seconds: r.seconds,
      passes: r.passes,
    })),
    createdEmptyInputs,
  };
}

/**
 * Requires the tables of required input files; creates optional ones empty when a load had no file
 * for them, so staging models (one per input table) can always be built.
 */
async function ensureInputLayer(wh: Warehouse, warehousePath: string): Promise<string[]> {
  const missing: { name: string; required: boolean }[] = [];
  for (const spec of INPUT_TABLES) {
    if (!(await wh.tableExists(INPUT_SCHEMA, spec.name)))
      missing.push({ name: spec.name, required: spec.requiredFile });
  }
  if (missing.length === INPUT_TABLES.length) {
    throw new ClaimlensError(
      'build',
      `${warehousePath} has no input layer (schema ${INPUT_SCHEMA}): run \`claimlens load DIR\` first`,
    );
  }
  const required = missing.filter((m) => m.required);
  if (required.length > 0) {
    throw new ClaimlensError(
      'build',
      `${warehousePath} lacks required input tables ${required.map((m) => `${INPUT_SCHEMA}.${m.name}`).join(', ')}: run \`claimlens load DIR\` with their files`,
    );
  }
  if (missing.length > 0) await wh.run(`CREATE SCHEMA IF NOT EXISTS ${ident(INPUT_SCHEMA)}`);
  for (const m of missing)
    await wh.run(createTableSql(INPUT_TABLES.find((t) => t.name === m.name)!, wh.dialect));
  return missing.map((m) => m.name);
}

/** Drops tables and views a previous build made for models whose files are gone, so no stale mart lingers. */
async function dropRetiredModels(wh: Warehouse, models: readonly Model[]): Promise<void> {
  if (!(await wh.tableExists(META_SCHEMA, 'model_doc'))) return;
  const current = new Set(models.map((m) => m.id));
  const previous = await wh.all<{ layer: string; model: string; table_type: string }>(
    `SELECT DISTINCT d.layer, d.model, t.table_type
     FROM ${META_SCHEMA}.model_doc d
     JOIN information_schema.tables t ON t.table_schema = d.layer AND t.table_name = d.model`,
  );
  for (const p of previous) {
    if (current.has(`${p.layer}.${p.model}`)) continue;
    await wh.run(
      wh.dialect.dropRelation(
        p.table_type === 'VIEW' ? 'VIEW' : 'TABLE',
        modelTable({ layer: p.layer as Model['layer'], name: p.model }),
      ),
    );
  }
}

function sqlTimestamp(d: Date): string {
  return `TIMESTAMP ${literal(d.toISOString().replace('T', ' ').replace('Z', ''))}`;
}

function values(rows: string[][]): string {
  return rows.map((r) => `(${r.join(', ')})`).join(',\n');
}

const nullable = (v: string | undefined) => (v === undefined ? 'NULL' : literal(v));

/** Appends this build to `meta.build_log` and replaces `meta.model_doc` with the models' docs. */
async function recordBuild(wh: Warehouse, buildId: string, runs: readonly ModelRun[]): Promise<void> {
  const meta = ident(META_SCHEMA);
  await wh.run(`CREATE SCHEMA IF NOT EXISTS ${meta}`);
  await wh.run(`CREATE TABLE IF NOT EXISTS ${meta}.build_log (
    build_id VARCHAR NOT NULL,
    started_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP NOT NULL,
    model VARCHAR NOT NULL,
    layer VARCHAR NOT NULL,
    "rows" BIGINT NOT NULL,
    seconds ${wh.dialect.sqlType('number')} NOT NULL
  )`);
  await wh.run(wh.dialect.dropRelation('TABLE', `${meta}.model_doc`));
  await wh.run(`CREATE TABLE ${meta}.model_doc (
    model VARCHAR NOT NULL,
    layer VARCHAR NOT NULL,
    materialized VARCHAR NOT NULL,
    description VARCHAR NOT NULL,
    grain VARCHAR NOT NULL,
    "column" VARCHAR NOT NULL,
    column_position INTEGER NOT NULL,
    column_type VARCHAR NOT NULL,
    column_description VARCHAR NOT NULL
  )`);
  if (runs.length === 0) return;
  await wh.run(
    `INSERT INTO ${meta}.build_log VALUES\n${values(
      runs.map((r) => [
        literal(buildId),
        sqlTimestamp(r.startedAt),
        sqlTimestamp(r.finishedAt),
        literal(r.model.name),
        literal(r.model.layer),
        String(r.rows),
        String(r.seconds),
      ]),
    )}`,
  );
  const docRows = runs.flatMap((r) =>
    r.columns.map((c, i) => [
      literal(r.model.name),
      literal(r.model.layer),
      literal(r.model.materialized),
      literal(r.model.description),
      literal(r.model.grain.length === 0 ? ONE_ROW_GRAIN : r.model.grain.join(', ')),
      literal(c.name),
      String(i + 1),
      literal(c.type),
      nullable(c.description),
    ]),
  );
  if (docRows.length > 0) await wh.run(`INSERT INTO ${meta}.model_doc VALUES\n${values(docRows)}`);
}
