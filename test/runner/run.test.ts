import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Warehouse } from '../../src/engine/duckdb.ts';
import { ClaimlensError } from '../../src/errors.ts';
import { loadModels } from '../../src/runner/model.ts';
import { type ModelProgress, runModels } from '../../src/runner/run.ts';
import { header, writeModels } from './helpers.ts';

let wh: Warehouse;
beforeEach(async () => {
  wh = await Warehouse.open(':memory:');
});
afterEach(async () => {
  await wh.close();
});

async function buildError(files: Record<string, string>): Promise<ClaimlensError> {
  try {
    await runModels(wh, loadModels(writeModels(files)));
  } catch (err) {
    if (err instanceof ClaimlensError) return err;
    throw err;
  }
  throw new Error('expected the build to fail');
}

const dupes = "SELECT * FROM (VALUES (1, 'a', 10), (1, 'a', 20), (2, 'b', 30)) t(id, k, amount)";

describe('runModels', () => {
  it('writes the models with insertion order free and restores the setting afterwards', async () => {
    await runModels(
      wh,
      loadModels(
        writeModels({
          'intermediate/order_setting.sql': `${header('Setting', '(one row)', ['-- column v: preserve_insertion_order while the model ran'])}
SELECT CAST(current_setting('preserve_insertion_order') AS VARCHAR) AS v`,
        }),
      ),
    );
    expect(await wh.all('SELECT v FROM intermediate.order_setting')).toEqual([{ v: 'false' }]);
    expect(await wh.one("SELECT CAST(current_setting('preserve_insertion_order') AS VARCHAR) AS v")).toEqual({
      v: 'true',
    });
  });

  it('builds tables and views in order, reports progress and inherits docs from a model', async () => {
    const events: ModelProgress[] = [];
    const runs = await runModels(
      wh,
      loadModels(
        writeModels({
          'staging/lines.sql': `${header('Lines', 'id', ['-- materialized: view', '-- column id: Line id', '-- column amount: Amount'])}
SELECT * FROM (VALUES (1, 10.5), (2, 4.5), (3, 5.0)) t(id, amount)`,
          'marts/x/total.sql': `${header('Total', '(one row)', ['-- column total: Sum of amounts', '-- test expression: total = 20'])}
SELECT sum(amount) AS total FROM staging.lines`,
          'intermediate/lines_copy.sql': `${header('Copy', 'id', ['-- columns: from staging.lines except amount', '-- column doubled: Twice the amount'])}
SELECT id, amount * 2 AS doubled FROM staging.lines`,
        }),
      ),
      (p) => events.push(p),
      { concurrency: 1 },
    );
    expect(runs.map((r) => [r.model.id, r.rows])).toEqual([
      ['staging.lines', 3],
      ['intermediate.lines_copy', 3],
      ['marts.total', 1],
    ]);
    expect(events.map((e) => `${e.index}/${e.total} ${e.run.model.id}`)).toEqual([
      '1/3 staging.lines',
      '2/3 intermediate.lines_copy',
      '3/3 marts.total',
    ]);
    expect(runs[1]!.columns.map((c) => [c.name, c.description])).toEqual([
      ['id', 'Line id'],
      ['doubled', 'Twice the amount'],
    ]);
    const kinds = await wh.all(
      'SELECT table_schema, table_name, table_type FROM information_schema.tables ORDER BY 1, 2',
    );
    expect(kinds).toEqual([
      { table_schema: 'intermediate', table_name: 'lines_copy', table_type: 'BASE TABLE' },
      { table_schema: 'marts', table_name: 'total', table_type: 'BASE TABLE' },
      { table_schema: 'staging', table_name: 'lines', table_type: 'VIEW' },
    ]);
    expect(await wh.one('SELECT total FROM marts.total')).toEqual({ total: 20 });
  });

  it('builds independent models on two sessions, never a model before the models it reads', async () => {
    // Which session ran each CREATE: the runner must use a second one, and marts.both (reading two
    // models built side by side) must start only after both finished.
    const creates: { session: number; sql: string }[] = [];
    const tag = (session: Warehouse, n: number): Warehouse =>
      new Proxy(session, {
        get(target, prop, receiver) {
          if (prop === 'run')
            return (sql: string, params?: unknown[]) => {
              if (sql.startsWith('CREATE OR REPLACE')) creates.push({ session: n, sql });
              return target.run(sql, params);
            };
          if (prop === 'session') return async () => tag(await target.session!(), n + 1);
          const v = Reflect.get(target, prop, receiver);
          return typeof v === 'function' ? v.bind(target) : v;
        },
      });
    const events: string[] = [];
    const runs = await runModels(
      tag(wh, 0),
      loadModels(
        writeModels({
          'staging/base.sql': `${header('Base', 'id', ['-- materialized: view', '-- column id: Id'])}
SELECT * FROM range(1000) t(id)`,
          'intermediate/odd.sql': `${header('Odd', 'id', ['-- columns: from staging.base'])}
SELECT id FROM staging.base WHERE id % 2 = 1`,
          'intermediate/even.sql': `${header('Even', 'id', ['-- columns: from staging.base'])}
SELECT id FROM staging.base WHERE id % 2 = 0`,
          'marts/x/both.sql': `${header('Both', '(one row)', ['-- column n: Rows of both', '-- test expression: n = 1000'])}
SELECT (SELECT count(*) FROM intermediate.odd) + (SELECT count(*) FROM intermediate.even) AS n`,
        }),
      ),
      (p) => events.push(p.run.model.id),
      { concurrency: 2 },
    );
    expect(runs.map((r) => [r.model.id, r.rows])).toEqual([
      ['staging.base', 1000],
      ['intermediate.even', 500],
      ['intermediate.odd', 500],
      ['marts.both', 1],
    ]);
    expect(new Set(creates.map((c) => c.session))).toEqual(new Set([0, 1]));
    expect(events[0]).toBe('staging.base');
    expect(events[3]).toBe('marts.both');
    const both = runs[3]!;
    for (const dep of runs.slice(1, 3))
      expect(both.startedAt.getTime()).toBeGreaterThanOrEqual(dep.finishedAt.getTime());
  });

  it('runs the models with the threads asked for and restores the setting afterwards', async () => {
    const setting = async () =>
      (await wh.one<{ n: number }>("SELECT CAST(current_setting('threads') AS BIGINT) AS n"))!.n;
    await wh.run('SET threads = 3');
    const models = loadModels(
      writeModels({
        'intermediate/t.sql': `${header('Threads', '(one row)', ['-- column n: Threads while the model ran', '-- test expression: n = 1'])}
SELECT CAST(current_setting('threads') AS BIGINT) AS n`,
      }),
    );
    await runModels(wh, models, undefined, { concurrency: 2, threads: 1 });
    expect(await setting()).toBe(3);
  });

  it('reports the failing model of two running side by side and lets the other finish', async () => {
    const models = loadModels(
      writeModels({
        'intermediate/good.sql': `${header('Good', 'id', ['-- column id: Id'])}
SELECT * FROM range(10) t(id)`,
        'intermediate/bad.sql': `${header('Bad', 'id', ['-- column id: Id'])}
SELECT id FROM no_such_table`,
        'marts/x/after.sql': `${header('After', 'id', ['-- columns: from intermediate.bad'])}
SELECT id FROM intermediate.bad`,
      }),
    );
    const err = await runModels(wh, models, undefined, { concurrency: 2 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ClaimlensError);
    expect((err as ClaimlensError).message).toMatch(/model intermediate\.bad failed: .*no_such_table/);
    expect((err as ClaimlensError).location?.file).toMatch(/intermediate\/bad\.sql$/);
    expect(await wh.tableExists('intermediate', 'good')).toBe(true);
    expect(await wh.tableExists('marts', 'after')).toBe(false);
  });

  it('fails a non-unique grain with the duplicate key', async () => {
    const err = await buildError({
      'marts/m.sql': `${header('M', 'id, k', ['-- column id: Id', '-- column k: Key', '-- column amount: Amount'])}\n${dupes}`,
    });
    expect(err.code).toBe('build');
    expect(err.message).toBe(
      "model marts.m grain (id, k) is not unique: 2 rows have id = 1, k = a; fix the model's joins or its `-- grain`",
    );
    expect(err.location).toMatchObject({ line: 2 });
    expect(err.location?.file).toMatch(/marts\/m\.sql$/);
  });

  it('fails a grain with a NULL part', async () => {
    const err = await buildError({
      'marts/m.sql': `${header('M', 'id', ['-- column id: Id'])}\nSELECT * FROM (VALUES (1), (NULL)) t(id)`,
    });
    expect(err.message).toBe(
      'model marts.m grain (id) has NULL parts, e.g. id = NULL; every grain column must be filled',
    );
  });

  it('fails a (one row) model with two rows', async () => {
    const err = await buildError({
      'marts/m.sql': `${header('M', '(one row)', ['-- column n: N'])}\nSELECT * FROM (VALUES (1), (2)) t(n)`,
    });
    expect(err.message).toBe('model marts.m declares grain (one row) but has 2 rows');
  });

  it('fails undocumented and phantom columns, naming both', async () => {
    const err = await buildError({
      'marts/m.sql': `${header('M', 'id', ['-- column id: Id', '-- column gone: Not produced'])}\nSELECT 1 AS id, 2 AS extra, 3 AS more`,
    });
    expect(err.message).toBe(
      'model marts.m produces columns with no doc: extra, more (add `-- column extra: ...` lines to the header); documents columns it does not produce: gone (line 4) (remove the docs or produce the columns)',
    );
    expect(err.location?.line).toBe(4);
  });

  it('names the file, the line and the engine message of a model that fails', async () => {
    const err = await buildError({
      'marts/m.sql': `${header('M', 'id', ['-- column id: Id'])}\nSELECT id\nFROM input.no_such_table`,
    });
    expect(err.code).toBe('build');
    expect(err.message).toMatch(
      /^model marts\.m failed: Catalog Error: Table with name "input\.no_such_table" does not exist/,
    );
    expect(err.describe()).toMatch(/marts\/m\.sql:5: model marts\.m failed/);
  });

  it('runs declared tests', async () => {
    const files = (test: string) => ({
      'marts/m.sql': `${header('M', 'id', ['-- column id: Id', '-- column k: Key', '-- column amount: Amount', test])}
SELECT * FROM (VALUES (1, 'a', 10), (2, 'a', NULL), (3, 'c', -5)) t(id, k, amount)`,
    });
    expect((await buildError(files('-- test not_null: id, amount'))).message).toBe(
      'model marts.m test not_null failed: amount is NULL in 1 rows',
    );
    expect((await buildError(files('-- test unique: id, k'))).message).toBe(
      'model marts.m test unique failed: k = a appears in 2 rows',
    );
    expect((await buildError(files('-- test accepted_values: k in (a, b)'))).message).toBe(
      'model marts.m test accepted_values failed: k has values outside (a, b): c (1 rows)',
    );
    expect((await buildError(files('-- test expression: amount >= 0'))).message).toBe(
      'model marts.m test expression failed: `amount >= 0` is false in 1 rows, e.g. id = 3',
    );
    const typo = await buildError(files('-- test not_null: amount_typo'));
    expect(typo.message).toMatch(/^model marts\.m test cannot run: Binder Error/);
    expect(typo.location?.line).toBe(6);
    // The same model passes tests that hold.
    const runs = await runModels(wh, loadModels(writeModels(files('-- test accepted_values: k in (a, c)'))));
    expect(runs[0]!.rows).toBe(3);
  });

  it('gives the smallest offending key as the example, whatever the order of the rows', async () => {
    const rows =
      "SELECT * FROM (VALUES (9, 'b', -1), (4, 'a', -2), (4, 'a', 0), (7, 'a', -3)) t(id, k, amount)";
    const files = (grain: string, test: string) => ({
      'marts/m.sql': `${header('M', grain, ['-- column id: Id', '-- column k: Key', '-- column amount: Amount', test])}\n${rows}`,
    });
    expect((await buildError(files('id, amount', '-- test expression: amount >= 0'))).message).toBe(
      'model marts.m test expression failed: `amount >= 0` is false in 3 rows, e.g. id = 4, amount = -2',
    );
    expect((await buildError(files('id, amount', '-- test unique: k'))).message).toBe(
      'model marts.m test unique failed: k = a appears in 3 rows',
    );
    const dup = await buildError({
      'marts/m.sql': `${header('M', 'k', ['-- column k: Key'])}\nSELECT * FROM (VALUES ('z'), ('z'), ('b'), ('b')) t(k)`,
    });
    expect(dup.message).toBe(
      "model marts.m grain (k) is not unique: 2 rows have k = b; fix the model's joins or its `-- grain`",
    );
  });

  it('checks a model whose grain and tests hold in one scan, with its row count', async () => {
    const tests = [
      '-- test not_null: id, k',
      '-- test unique: id, amount',
      '-- test accepted_values: k in (a, c)',
      '-- test expression: amount > -10',
    ];
    const files = {
      'marts/m.sql': `${header('M', 'id, k', ['-- column id: Id', '-- column k: Key', '-- column amount: Amount', ...tests])}
SELECT * FROM (VALUES (1, 'a', 10), (2, 'a', NULL), (3, 'c', -5)) t(id, k, amount)`,
    };
    const reads: string[] = [];
    const one = wh.one.bind(wh);
    wh.one = ((sql: string, params?: unknown[]) => {
      if (sql.includes('"marts"."m"')) reads.push(sql);
      return one(sql, params as never);
    }) as typeof wh.one;
    const runs = await runModels(wh, loadModels(writeModels(files)));
    expect(runs[0]!.rows).toBe(3);
    expect(reads).toHaveLength(1);
    expect(reads[0]).toMatch(/^SELECT count\(\*\) AS n, count\(DISTINCT hash\("id", "k"\)\)/);
  });

  it('replaces a view by a table when the materialization changes', async () => {
    const make = (m: string) =>
      loadModels(
        writeModels({
          'staging/s.sql': `${header('S', 'id', [`-- materialized: ${m}`, '-- column id: Id'])}\nSELECT 1 AS id`,
        }),
      );
    await runModels(wh, make('view'));
    await runModels(wh, make('table'));
    expect(await wh.one("SELECT table_type FROM information_schema.tables WHERE table_name = 's'")).toEqual({
      table_type: 'BASE TABLE',
    });
  });
});
