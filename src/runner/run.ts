// Runs ordered models in a warehouse: creates each table or view, then checks its column docs, its
// grain and its declared tests, so a model that builds but lies about its shape fails the build.
import type { Warehouse } from '../engine/duckdb.ts';
import { ident, literal } from '../engine/duckdb.ts';
import { withSessions, withSetting, withThreads } from '../engine/sessions.ts';
import { ClaimlensError } from '../errors.ts';
import { INPUT_SCHEMA, INPUT_TABLES } from '../input/contract.ts';
import type { ColumnDoc, Model, ModelTest } from './model.ts';
import { dependencies, orderModels } from './order.ts';
import { partitionPass } from './partition.ts';
import { MODEL_LAYERS } from './sqltext.ts';

export interface BuiltColumn {
  name: string;
  /** Engine type name, e.g. VARCHAR, DATE, DECIMAL(18,2). */
  type: string;
  description: string;
}

export interface ModelRun {
  model: Model;
  rows: number;
  seconds: number;
  startedAt: Date;
  finishedAt: Date;
  columns: BuiltColumn[];
  /** Statements the table was written in: its partitions on a large book, else 1. */
  passes: number;
}

export interface ModelProgress {
  /** 1-based position in the build order. */
  index: number;
  total: number;
  run: ModelRun;
}

export type OnModelProgress = (progress: ModelProgress) => void;

/** The qualified, quoted name of a model's table or view. */
export function modelTable(model: Pick<Model, 'layer' | 'name'>): string {
  return `${ident(model.layer)}.${ident(model.name)}`;
}

export interface RunModelsOptions {
  /**
   * Models created at the same time, each on its own session of the warehouse (engines without
   * `session()` run one at a time); default one. The build chooses with bookParallelism.
   */
  concurrency?: number;
  /** DuckDB threads while the models run (restored afterwards); default: the engine's setting. */
  threads?: number;
  /**
   * Passes a partitioned table model runs in on DuckDB (one per partition of its key); default 1,
   * the whole model in one statement. The build chooses with bookParallelism.
   */
  partitions?: number;
}

/**
 * Builds `models` in dependency order in `wh`: `CREATE OR REPLACE TABLE|VIEW layer.name AS <sql>`,
 * then the column-doc check, the grain test and the declared tests of each. A model starts once
 * every model it reads is built; up to `concurrency` run at a time, those reading the most rows
 * first (nextModel); what is built does not depend on timing. Progress is reported as models
 * finish; the runs come back in build order. Throws a ClaimlensError naming the model's file on
 * the first failure (after the models already running have finished); what was built before it
 * stays in `wh` (callers run this inside withStagedWarehouse, so a failure never reaches the live
 * warehouse).
 */
export async function runModels(
  wh: Warehouse,
  models: readonly Model[],
  onProgress?: OnModelProgress,
  options: RunModelsOptions = {},
): Promise<ModelRun[]> {
  const ordered = orderModels(models);
  const deps = dependencies(ordered);
  for (const layer of MODEL_LAYERS) await wh.run(`CREATE SCHEMA IF NOT EXISTS ${ident(layer)}`);
  const count = Math.min(options.concurrency ?? 1, ordered.length);
  // Tables written in any order: no model relies on the order of its rows (every order-dependent
  // window and pick has a unique ORDER BY), and DuckDB then writes a table's row groups as its
  // threads produce them instead of buffering them back into the source's order. At 10M claim
  // lines the build took 7-15 s less (three pairs); no change at 1M, where each model runs on one
  // thread (bench/README.md).
  return withSetting(wh, 'preserve_insertion_order', 'false', () =>
    withThreads(wh, options.threads, () =>
      withSessions(wh, count, (sessions) =>
        schedule(ordered, deps, sessions, Math.max(1, options.partitions ?? 1), onProgress),
      ),
    ),
  );
}

async function schedule(
  ordered: readonly Model[],
  deps: ReadonlyMap<Model, Model[]>,
  sessions: readonly Warehouse[],
  partitions: number,
  onProgress?: OnModelProgress,
): Promise<ModelRun[]> {
  const docsOf = new Map<string, ColumnDoc[]>();
  const runOf = new Map<Model, ModelRun>();
  const started = new Set<Model>();
  let failure: unknown;
  let finished = 0;
  let wake: (() => void)[] = [];
  const notify = () => {
    const waiting = wake;
    wake = [];
    for (const w of waiting) w();
  };
  const worker = async (session: Warehouse) => {
    while (failure === undefined && started.size < ordered.length) {
      const next = nextModel(ordered, deps, started, runOf);
      if (!next) {
        // Everything ready is running elsewhere: wait for a model to finish.
        await new Promise<void>((resolve) => wake.push(resolve));
        continue;
      }
      started.add(next);
      try {
        const docs = resolveColumnDocs(next, docsOf);
        const run = await buildModel(session, next, docs, partitions);
        docsOf.set(next.id, docs);
        runOf.set(next, run);
        finished++;
        onProgress?.({ index: finished, total: ordered.length, run });
      } catch (err) {
        failure ??= err;
      }
      notify();
    }
  };
  await Promise.all(sessions.map(worker));
  if (failure !== undefined) throw failure;
  return ordered.map((m) => runOf.get(m)!);
}

/**
 * The model to start next: of those not started whose models are all built, the one reading the
 * most rows from them, the earliest in build order on a tie; undefined when none is ready. The
 * rows a model reads stand in for its cost, so the long models start early instead of one of
 * them running alone at the end (the 1M book's build: 17.5-18.3 s against 18.4-18.9 s taking the
 * first in build order).
 */
function nextModel(
  ordered: readonly Model[],
  deps: ReadonlyMap<Model, Model[]>,
  started: ReadonlySet<Model>,
  runOf: ReadonlyMap<Model, ModelRun>,
): Model | undefined {
  let best: Model | undefined;
  let bestRows = -1;
  for (const m of ordered) {
    if (started.has(m) || !deps.get(m)!.every((d) => runOf.has(d))) continue;
    const rows = deps.get(m)!.reduce((sum, d) => sum + runOf.get(d)!.rows, 0);
    if (rows > bestRows) {
      best = m;
      bestRows = rows;
    }
  }
  return best;
}

async function buildModel(
  wh: Warehouse,
  model: Model,
  docs: ColumnDoc[],
  partitions: number,
): Promise<ModelRun> {
  const startedAt = new Date();
  const t0 = performance.now();
  // Only table models carry partition calls (loadModels refuses them in a view).
  const passes = wh.engine === 'duckdb' && model.partitionCalls.length > 0 ? partitions : 1;
  await createModel(wh, model, passes);
  const produced = await wh.describe(`SELECT * FROM ${modelTable(model)}`);
  checkColumnDocs(model, produced, docs);
  const names = produced.map((c) => c.name);
  let rows = await screenModel(wh, model, names);
  if (rows === undefined) {
    // Something failed (or could not be screened): the checks one by one say what and where.
    await checkGrain(wh, model, names);
    for (const test of model.tests) await runTest(wh, model, test);
    rows = (await wh.one<{ n: number }>(`SELECT count(*) AS n FROM ${modelTable(model)}`))?.n ?? 0;
  }
  const docByName = new Map(docs.map((d) => [d.name, d.description]));
  return {
    model,
    rows,
    seconds: (performance.now() - t0) / 1000,
    startedAt,
    finishedAt: new Date(),
    columns: produced.map((c) => ({ name: c.name, type: c.type, description: docByName.get(c.name)! })),
    passes,
  };
}

/**
 * The model's column docs: `-- columns: from ...` lines expanded (from the input contract or from a
 * model built earlier), then its own `-- column` lines, which override inherited descriptions.
 */
export function resolveColumnDocs(model: Model, built: ReadonlyMap<string, ColumnDoc[]>): ColumnDoc[] {
  const docs = new Map<string, ColumnDoc>();
  for (const inh of model.inherits) {
    let source: { name: string; description: string }[];
    if (inh.schema === INPUT_SCHEMA) {
      source = INPUT_TABLES.find((t) => t.name === inh.table)!.columns;
    } else {
      const found = built.get(`${inh.schema}.${inh.table}`);
      // orderModels makes the source a dependency, so it is built unless it is not in this run.
      if (!found) {
        throw new ClaimlensError(
          'model',
          `columns come from ${inh.schema}.${inh.table}, which is not built in this run`,
          { file: model.file, line: inh.line },
        );
      }
      source = found;
      const unknown = inh.except.filter((e) => !found.some((c) => c.name === e));
      if (unknown.length > 0) {
        throw new ClaimlensError('model', `${inh.schema}.${inh.table} has no column ${unknown.join(', ')}`, {
          file: model.file,
          line: inh.line,
        });
      }
    }
    for (const col of source) {
      if (inh.except.includes(col.name)) continue;
      docs.set(col.name, { name: col.name, description: col.description, line: inh.line });
    }
  }
  for (const col of model.columns) docs.set(col.name, col);
  return [...docs.values()];
}

/**
 * DuckDB types a sum of DECIMAL(18,2) money as DECIMAL(38,2), a 128-bit integer that its storage
 * compresses poorly: every later scan of such a mart column reads and decodes several times more
 * (a KPI query over a million member months: ~150-300 ms against ~20-60 ms). Mart tables store those
 * columns as DECIMAL(18,s) again (up to 10^16: no book comes near; a sum that did would fail the
 * build with a conversion error, never wrap). The wrapper keeps the model's first line on the
 * statement's second line, so error lines still map to the file. Views are left as they are. Returns
 * the wrapper, read from `sql`'s columns: every pass of a partitioned model has the same columns.
 */
async function narrowDecimals(wh: Warehouse, sql: string): Promise<(select: string) => string> {
  let columns: { name: string; type: string }[];
  try {
    columns = await wh.describe(sql);
  } catch {
    return (select) => select; // The CREATE reports the error with its line.
  }
  const wide = columns.flatMap((c) => {
    const m = /^DECIMAL\((\d+),(\d+)\)$/.exec(c.type.replaceAll(' ', ''));
    return m && Number(m[1]) > 18 && Number(m[2]) <= 4 ? [{ name: c.name, scale: Number(m[2]) }] : [];
  });
  if (wide.length === 0) return (select) => select;
  const replace = wide.map((c) => `CAST(${ident(c.name)} AS DECIMAL(18,${c.scale})) AS ${ident(c.name)}`);
  return (select) => `SELECT * REPLACE (${replace.join(', ')}) FROM (${select}\n) AS narrowed`;
}

/**
 * Creates the model's table or view. A partitioned table (`passes` > 1) is written in one statement
 * per partition: the first creates it, the others insert into it.
 */
async function createModel(wh: Warehouse, model: Model, passes: number): Promise<void> {
  const kind = model.materialized === 'view' ? 'VIEW' : 'TABLE';
  // Neither engine replaces a view by a table (or back), which happens when `materialized` changes.
  const existing = await wh.one<{ table_type: string }>(
    'SELECT table_type FROM information_schema.tables WHERE table_schema = ? AND table_name = ?',
    [model.layer, model.name],
  );
  if (existing && (existing.table_type === 'VIEW') !== (kind === 'VIEW')) {
    await wh.run(
      wh.dialect.dropRelation(existing.table_type === 'VIEW' ? 'VIEW' : 'TABLE', modelTable(model)),
    );
  }
  const narrow =
    kind === 'TABLE' && wh.engine === 'duckdb'
      ? await narrowDecimals(wh, partitionPass(model.sql, model.partitionCalls, 1, 0))
      : (select: string) => select;
  const statements: string[] = [];
  for (let pass = 0; pass < passes; pass++) {
    // The SQL starts on the statement's second line, so engine line N is file line N - 1.
    const select = narrow(partitionPass(model.sql, model.partitionCalls, passes, pass));
    statements.push(
      ...(pass === 0
        ? wh.dialect.replaceRelation(kind, modelTable(model), select)
        : [`INSERT INTO ${modelTable(model)}\n${select}`]),
    );
  }
  statements.push(...wh.dialect.afterCreate(kind, modelTable(model)));
  for (const statement of statements) {
    try {
      await wh.run(statement);
    } catch (err) {
      const message = (err as Error).message;
      const engineLine = wh.dialect.errorLine(err, statement);
      const line = engineLine && engineLine > 1 ? engineLine - 1 : undefined;
      throw new ClaimlensError('build', `model ${model.id} failed: ${message}`, {
        file: model.file,
        line,
      });
    }
  }
}

export function checkColumnDocs(
  model: Model,
  produced: readonly { name: string }[],
  docs: readonly ColumnDoc[],
): void {
  const producedNames = new Set(produced.map((c) => c.name));
  const documented = new Set(docs.map((d) => d.name));
  const undocumented = produced.filter((c) => !documented.has(c.name)).map((c) => c.name);
  const missing = docs.filter((d) => !producedNames.has(d.name));
  if (undocumented.length === 0 && missing.length === 0) return;
  const parts: string[] = [];
  if (undocumented.length > 0) {
    parts.push(
      `produces columns with no doc: ${undocumented.join(', ')} (add \`-- column ${undocumented[0]}: ...\` lines to the header)`,
    );
  }
  if (missing.length > 0) {
    parts.push(
      `documents columns it does not produce: ${missing.map((d) => `${d.name} (line ${d.line})`).join(', ')} (remove the docs or produce the columns)`,
    );
  }
  throw new ClaimlensError('build', `model ${model.id} ${parts.join('; ')}`, {
    file: model.file,
    line: missing[0]?.line ?? 1,
  });
}

function formatKey(row: Record<string, unknown>, columns: readonly string[]): string {
  return columns.map((c) => `${c} = ${row[c] === null ? 'NULL' : String(row[c])}`).join(', ');
}

/**
 * Screens a model built in DuckDB in one scan: its row count, and whether its grain and every
 * declared test hold, as counts of the rows that break each (keys as distinct 64-bit hashes against
 * their rows). Returns the row count when everything holds; undefined when anything
 * breaks or the query fails (a typo in a test), and on other engines, where a failed statement
 * aborts the build's transaction; the caller then runs the exact checks one by one, which say what
 * failed and where. One scan instead of one per check: at 1M lines the checks took 2.4 s of the
 * build's 30 s of model time.
 */
async function screenModel(
  wh: Warehouse,
  model: Model,
  produced: readonly string[],
): Promise<number | undefined> {
  if (wh.engine !== 'duckdb' || model.grain.some((g) => !produced.includes(g))) return undefined;
  // Each check: an aggregate and the value it must have (a number, or 'n' for the row count).
  const checks: { sql: string; expect: number | 'n' }[] = [];
  if (model.grain.length === 0) {
    checks.push({ sql: 'least(count(*), 1)', expect: 'n' });
  } else {
    // Distinct 64-bit hashes of the key count faster than grouping by the key's text (every grain
    // test of the 1M book: 1.08 s against 1.86 s). As many hashes as rows proves the key unique;
    // fewer means a repeated key or a hash collision, and checkGrain's exact pass tells them apart.
    checks.push({ sql: `count(DISTINCT hash(${keyList(model.grain)}))`, expect: 'n' });
    checks.push({ sql: `count(*) FILTER (WHERE ${grainHasNull(model.grain)})`, expect: 0 });
  }
  for (const test of model.tests) {
    switch (test.kind) {
      case 'not_null':
        for (const c of test.columns)
          checks.push({ sql: `count(*) FILTER (WHERE ${ident(c)} IS NULL)`, expect: 0 });
        break;
      case 'unique':
        for (const c of test.columns)
          checks.push({
            sql: `count(${ident(c)}) - count(DISTINCT hash(${ident(c)})) FILTER (WHERE ${ident(c)} IS NOT NULL)`,
            expect: 0,
          });
        break;
      case 'accepted_values':
        checks.push({ sql: `count(*) FILTER (WHERE ${outsideValues(test.column, test.values)})`, expect: 0 });
        break;
      case 'expression':
        checks.push({ sql: `count(*) FILTER (WHERE NOT (${test.expression}))`, expect: 0 });
        break;
    }
  }
  let row: Record<string, number> | undefined;
  try {
    row = await wh.one<Record<string, number>>(
      `SELECT count(*) AS n, ${checks.map((c, i) => `${c.sql} AS _check_${i}`).join(', ')} FROM ${modelTable(model)}`,
    );
  } catch {
    return undefined;
  }
  if (!row) return undefined;
  const n = Number(row.n);
  const holds = checks.every((c, i) => Number(row[`_check_${i}`]) === (c.expect === 'n' ? n : c.expect));
  return holds ? n : undefined;
}

/** The grain's columns as a SQL list (`"claim_id", "claim_line_number"`). */
function keyList(grain: readonly string[]): string {
  return grain.map(ident).join(', ');
}

/** A row whose grain key has a NULL part. */
function grainHasNull(grain: readonly string[]): string {
  return grain.map((g) => `${ident(g)} IS NULL`).join(' OR ');
}

/** A row whose `column` holds a value outside an accepted_values test's list. */
function outsideValues(column: string, values: readonly string[]): string {
  return `${ident(column)} IS NOT NULL AND CAST(${ident(column)} AS VARCHAR) NOT IN (${values.map(literal).join(', ')})`;
}

async function checkGrain(wh: Warehouse, model: Model, produced: readonly string[]): Promise<void> {
  const where = { file: model.file, line: model.grainLine };
  const table = modelTable(model);
  if (model.grain.length === 0) {
    const r = await wh.one<{ n: number }>(`SELECT count(*) AS n FROM ${table}`);
    if ((r?.n ?? 0) > 1) {
      throw new ClaimlensError(
        'build',
        `model ${model.id} declares grain (one row) but has ${r!.n} rows`,
        where,
      );
    }
    return;
  }
  const absent = model.grain.filter((g) => !produced.includes(g));
  if (absent.length > 0) {
    throw new ClaimlensError(
      'build',
      `model ${model.id} grain names columns it does not produce: ${absent.join(', ')}`,
      where,
    );
  }
  const cols = keyList(model.grain);
  // One pass finds either a repeated key or a key with a NULL part.
  const bad = await wh.one<Record<string, unknown> & { _rows: number }>(
    `SELECT ${cols}, count(*) AS _rows FROM ${table} GROUP BY ${cols} HAVING count(*) > 1 OR ${grainHasNull(model.grain)} ORDER BY ${cols} LIMIT 1`,
  );
  if (!bad) return;
  const key = formatKey(bad, model.grain);
  const grain = model.grain.join(', ');
  if (model.grain.some((g) => bad[g] === null)) {
    throw new ClaimlensError(
      'build',
      `model ${model.id} grain (${grain}) has NULL parts, e.g. ${key}; every grain column must be filled`,
      where,
    );
  }
  throw new ClaimlensError(
    'build',
    `model ${model.id} grain (${grain}) is not unique: ${bad._rows} rows have ${key}; fix the model's joins or its \`-- grain\``,
    where,
  );
}

async function runTest(wh: Warehouse, model: Model, test: ModelTest): Promise<void> {
  const table = modelTable(model);
  const where = { file: model.file, line: test.line };
  const fail = (message: string) =>
    new ClaimlensError('build', `model ${model.id} test ${test.kind} failed: ${message}`, where);
  switch (test.kind) {
    case 'not_null': {
      const counts = test.columns
        .map((c) => `count(*) FILTER (WHERE ${ident(c)} IS NULL) AS ${ident(c)}`)
        .join(', ');
      const r = (await wrapEngine(model, test.line, () =>
        wh.one<Record<string, number>>(`SELECT ${counts} FROM ${table}`),
      ))!;
      const bad = test.columns.filter((c) => r[c]! > 0);
      if (bad.length > 0) throw fail(bad.map((c) => `${c} is NULL in ${r[c]} rows`).join(', '));
      return;
    }
    case 'unique':
      for (const c of test.columns) {
        const r = await wrapEngine(model, test.line, () =>
          wh.one<{ v: unknown; n: number }>(
            `SELECT ${ident(c)} AS v, count(*) AS n FROM ${table} WHERE ${ident(c)} IS NOT NULL GROUP BY 1 HAVING count(*) > 1 ORDER BY 1 LIMIT 1`,
          ),
        );
        if (r) throw fail(`${c} = ${String(r.v)} appears in ${r.n} rows`);
      }
      return;
    case 'accepted_values': {
      const rows = await wrapEngine(model, test.line, () =>
        wh.all<{ v: string; n: number }>(
          `SELECT CAST(${ident(test.column)} AS VARCHAR) AS v, count(*) AS n FROM ${table}
           WHERE ${outsideValues(test.column, test.values)}
           GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 5`,
        ),
      );
      if (rows.length > 0) {
        throw fail(
          `${test.column} has values outside (${test.values.join(', ')}): ${rows.map((r) => `${r.v} (${r.n} rows)`).join(', ')}`,
        );
      }
      return;
    }
    case 'expression': {
      const r = await wrapEngine(model, test.line, () =>
        wh.one<{ n: number }>(`SELECT count(*) AS n FROM ${table} WHERE NOT (${test.expression})`),
      );
      if ((r?.n ?? 0) > 0) {
        let example = '';
        if (model.grain.length > 0) {
          const key = keyList(model.grain);
          const row = await wh.one<Record<string, unknown>>(
            `SELECT ${key} FROM ${table} WHERE NOT (${test.expression}) ORDER BY ${key} LIMIT 1`,
          );
          if (row) example = `, e.g. ${formatKey(row, model.grain)}`;
        }
        throw fail(`\`${test.expression}\` is false in ${r!.n} rows${example}`);
      }
      return;
    }
  }
}

/** Turns an engine error in a declared test (a typo in a column or expression) into one naming the line. */
async function wrapEngine<T>(model: Model, line: number, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof ClaimlensError) throw err;
    throw new ClaimlensError('build', `model ${model.id} test cannot run: ${(err as Error).message}`, {
      file: model.file,
      line,
    });
  }
}
