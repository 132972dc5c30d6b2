import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Warehouse } from '../../src/engine/duckdb.ts';
import type { SqlWarehouse } from '../../src/engine/engine.ts';
import { onSessions, together } from '../../src/engine/sessions.ts';

let wh: Warehouse;
beforeEach(async () => {
  wh = await Warehouse.open(':memory:');
});
afterEach(async () => {
  await wh.close();
});

/** The warehouse with session() hidden, as an engine without sessions (or a wrapper) presents it. */
const withoutSessions = (w: SqlWarehouse): SqlWarehouse =>
  new Proxy(w, { get: (t, prop) => (prop === 'session' ? undefined : Reflect.get(t, prop, t)) });

describe('together', () => {
  it('returns each task result in order, running them on two sessions of one database', async () => {
    await wh.run('CREATE TABLE t AS SELECT range AS x FROM range(10)');
    const used = new Set<SqlWarehouse>();
    const task = (sql: string) => async (s: SqlWarehouse) => {
      used.add(s);
      return (await s.one<{ v: number }>(sql))!.v;
    };
    const out = await together(wh, 2, [
      task('SELECT sum(x) AS v FROM t'),
      task('SELECT max(x) AS v FROM t'),
      task('SELECT count(*) AS v FROM t'),
    ] as const);
    expect(out).toEqual([45, 9, 10]);
    expect(used.size).toBe(2);
    expect(used.has(wh)).toBe(true);
  });

  it('runs one at a time on the warehouse itself without sessions, and throws the first failure', async () => {
    const plain = withoutSessions(wh);
    const used = new Set<SqlWarehouse>();
    const out = await together(plain, 2, [
      async (s: SqlWarehouse) => {
        used.add(s);
        return 1;
      },
      async (s: SqlWarehouse) => {
        used.add(s);
        return 'two';
      },
    ] as const);
    expect(out).toEqual([1, 'two']);
    expect([...used]).toEqual([plain]);
    await expect(
      onSessions(wh, 2, [1, 2, 3], async (s, i) => {
        if (i === 2) throw new Error('task 2 failed');
        await s.run('SELECT 1');
      }),
    ).rejects.toThrow('task 2 failed');
  });
});
