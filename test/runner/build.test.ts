import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Warehouse } from '../../src/engine/duckdb.ts';
import { ClaimlensError } from '../../src/errors.ts';
import { buildWarehouse } from '../../src/runner/build.ts';
import { buildMemoryLimit } from '../../src/runner/concurrency.ts';
import { header, inputWarehouse, tempDir, writeModels } from './helpers.ts';

const REPO = fileURLToPath(new URL('../../', import.meta.url));

/** Models whose mart holds `value`; `extra` adds or replaces files. */
function models(value: number, extra: Record<string, string> = {}): string {
  return writeModels({
    'staging/base.sql': `${header('Base', 'id', ['-- materialized: view', '-- column id: Id', '-- column v: Value'])}\nSELECT 1 AS id, ${value} AS v`,
    'marts/x/a_fast.sql': `${header('Fast', 'id', ['-- columns: from staging.base'])}\nSELECT id, v FROM staging.base`,
    ...extra,
  });
}

async function read<T>(path: string, sql: string): Promise<T[]> {
  const wh = await Warehouse.open(path, { readOnly: true });
  try {
    return await wh.all<T>(sql);
  } finally {
    await wh.close();
  }
}

async function rejection(work: Promise<unknown>): Promise<ClaimlensError> {
  try {
    await work;
  } catch (err) {
    if (err instanceof ClaimlensError) return err;
    throw err;
  }
  throw new Error('expected a ClaimlensError');
}

/** DuckDB's spelling of a memory limit, as a warehouse opened with it reports it. */
async function memorySetting(memoryLimit: string): Promise<string> {
  const wh = await Warehouse.open(':memory:', { memoryLimit });
  try {
    return (await wh.one<{ v: string }>("SELECT current_setting('memory_limit') AS v"))!.v;
  } finally {
    await wh.close();
  }
}

describe('buildWarehouse', () => {
  it('caps DuckDB at a third of the machine memory unless a limit is configured', async () => {
    const seen: string[] = [];
    const blocks: string[] = [];
    const hook = async (wh: Warehouse) => {
      seen.push((await wh.one<{ v: string }>("SELECT current_setting('memory_limit') AS v"))!.v);
      blocks.push((await wh.one<{ v: string }>("SELECT current_setting('block_allocator_memory') AS v"))!.v);
    };
    const path = await inputWarehouse();
    await buildWarehouse(path, { modelsDir: models(1), beforeModels: [hook] });
    await buildWarehouse(path, { modelsDir: models(1), beforeModels: [hook], open: { memoryLimit: '1GB' } });
    expect(seen).toEqual([await memorySetting(buildMemoryLimit()), await memorySetting('1GB')]);
    expect(seen[0]).not.toBe(seen[1]);
    // The pool's blocks come from DuckDB's block allocator, as much of it as the pool may hold
    // (in whole MiB: 1 GB is 953.7 MiB).
    expect(blocks).toEqual([seen[0], '953.0 MiB']);
  });

  it('builds models between the hooks and records the build log and model docs', async () => {
    const path = await inputWarehouse();
    const calls: string[] = [];
    const report = await buildWarehouse(path, {
      modelsDir: models(7, {
        'marts/x/b_coded.sql': `${header('Coded', 'code', ['-- column code: Code', '-- column label: Label'])}\nSELECT code, label FROM codes.colour`,
      }),
      beforeModels: [
        async (wh) => {
          calls.push('before');
          await wh.run(
            "CREATE SCHEMA codes; CREATE TABLE codes.colour AS SELECT 'R' AS code, 'red' AS label",
          );
        },
      ],
      afterModels: [
        async (wh) => {
          calls.push(`after sees ${(await wh.one<{ v: number }>('SELECT v FROM marts.a_fast'))!.v}`);
        },
      ],
    });
    expect(calls).toEqual(['before', 'after sees 7']);
    expect(report.models.map((m) => [m.model, m.materialized, m.rows])).toEqual([
      ['staging.base', 'view', 1],
      ['marts.a_fast', 'table', 1],
      ['marts.b_coded', 'table', 1],
    ]);
    expect(report.createdEmptyInputs).toEqual([]);
    const log = await read<{ build_id: string; model: string; layer: string; rows: number }>(
      path,
      'SELECT build_id, model, layer, "rows" FROM meta.build_log ORDER BY layer, model',
    );
    expect(log.map((r) => [r.build_id, r.layer, r.model, r.rows])).toEqual([
      [report.buildId, 'marts', 'a_fast', 1],
      [report.buildId, 'marts', 'b_coded', 1],
      [report.buildId, 'staging', 'base', 1],
    ]);
    const docs = await read(
      path,
      `SELECT model, layer, grain, "column", column_type, column_description FROM meta.model_doc
       WHERE model = 'a_fast' ORDER BY column_position`,
    );
    expect(docs).toEqual([
      {
        model: 'a_fast',
        layer: 'marts',
        grain: 'id',
        column: 'id',
        column_type: 'INTEGER',
        column_description: 'Id',
      },
      {
        model: 'a_fast',
        layer: 'marts',
        grain: 'id',
        column: 'v',
        column_type: 'INTEGER',
        column_description: 'Value',
      },
    ]);
  });

  it('leaves the previous warehouse unchanged when a model fails, and drops retired models on success', async () => {
    const path = await inputWarehouse();
    const first = await buildWarehouse(path, {
      modelsDir: models(1, {
        'marts/old.sql': `${header('Old', 'id', ['-- column id: Id'])}\nSELECT 1 AS id`,
      }),
    });
    const failing = models(2, {
      'marts/x/z_dupes.sql': `${header('Dupes', 'id', ['-- column id: Id'])}\nSELECT 1 AS id UNION ALL SELECT 1`,
    });
    const err = await rejection(buildWarehouse(path, { modelsDir: failing }));
    expect(err.message).toContain('model marts.z_dupes grain (id) is not unique: 2 rows have id = 1');
    expect(await read(path, 'SELECT v FROM marts.a_fast')).toEqual([{ v: 1 }]);
    expect(await read(path, 'SELECT DISTINCT build_id FROM meta.build_log')).toEqual([
      { build_id: first.buildId },
    ]);
    expect(readdirSync(dirname(path)).sort()).toEqual(['wh.duckdb']);

    await buildWarehouse(path, { modelsDir: models(3) });
    expect(await read(path, 'SELECT v FROM marts.a_fast')).toEqual([{ v: 3 }]);
    expect(
      await read(path, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'marts'"),
    ).toEqual([{ table_name: 'a_fast' }]);
  });

  it('survives a build killed with SIGKILL mid-way', async () => {
    const path = await inputWarehouse();
    await buildWarehouse(path, { modelsDir: models(1) });
    const slow = models(2, {
      'marts/x/b_slow.sql': `${header('Slow', '(one row)', ['-- column n: N'])}
SELECT count(*) AS n FROM marts.a_fast, range(1000000) a, range(1000000) b WHERE (a.range * b.range) % 7 = 3`,
    });
    const child = spawn(
      process.execPath,
      [join(REPO, 'bin/run-ts.js'), join(REPO, 'test/runner/fixtures/slow-build.ts'), path, slow],
      {
        cwd: REPO,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    try {
      let stderr = '';
      child.stderr.on('data', (d) => {
        stderr += String(d);
      });
      const exit = new Promise<NodeJS.Signals | null>((resolve) =>
        child.on('exit', (_code, signal) => resolve(signal)),
      );
      await new Promise<void>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (d) => {
          out += String(d);
          // The fast mart is built in the copy; the slow one is now running.
          if (out.includes('built marts.a_fast')) resolve();
        });
        child.on('exit', () => reject(new Error(`child exited before building a_fast: ${stderr}`)));
      });
      child.kill('SIGKILL');
      expect(await exit).toBe('SIGKILL');
      expect(readdirSync(dirname(path)).some((f) => f.startsWith('wh.duckdb.building-'))).toBe(true);

      expect(await read(path, 'SELECT v FROM marts.a_fast')).toEqual([{ v: 1 }]);
      expect(await read(path, 'SELECT count(DISTINCT build_id) AS n FROM meta.build_log')).toEqual([
        { n: 1 },
      ]);
      // The next build runs and clears the dead build's copy.
      await buildWarehouse(path, { modelsDir: models(3) });
      expect(await read(path, 'SELECT v FROM marts.a_fast')).toEqual([{ v: 3 }]);
      expect(readdirSync(dirname(path)).sort()).toEqual(['wh.duckdb']);
    } finally {
      // Never leave a runaway build behind when an assertion above fails.
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });

  it('requires a loaded input layer', async () => {
    const dir = tempDir();
    const modelsDir = models(1);
    const none = join(dir, 'none.duckdb');
    expect((await rejection(buildWarehouse(none, { modelsDir }))).message).toBe(
      `no warehouse at ${none}: run \`claimlens load DIR\` first to load the input layer`,
    );
    expect(existsSync(none)).toBe(false);

    const empty = join(dir, 'empty.duckdb');
    await (await Warehouse.open(empty)).close();
    expect((await rejection(buildWarehouse(empty, { modelsDir }))).message).toBe(
      `${empty} has no input layer (schema input): run \`claimlens load DIR\` first`,
    );

    const partial = join(dir, 'partial.duckdb');
    const wh = await Warehouse.open(partial);
    await wh.run('CREATE SCHEMA input; CREATE TABLE input.payer (payer VARCHAR)');
    await wh.close();
    expect((await rejection(buildWarehouse(partial, { modelsDir }))).message).toMatch(
      /lacks required input tables input\.eligibility, input\.medical_claim: run `claimlens load DIR`/,
    );
  });

  it('creates absent optional input tables empty', async () => {
    const dir = tempDir();
    const path = await inputWarehouse(dir);
    const wh = await Warehouse.open(path);
    await wh.run('DROP TABLE input.finance_ledger; DROP TABLE input.encounter');
    await wh.close();
    const report = await buildWarehouse(path, { modelsDir: models(1) });
    expect(report.createdEmptyInputs).toEqual(['encounter', 'finance_ledger']);
    expect(await read(path, 'SELECT count(*) AS n FROM input.finance_ledger')).toEqual([{ n: 0 }]);
  });
});
