import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { Warehouse } from '../../src/engine/duckdb.ts';
import { ClaimlensError } from '../../src/errors.ts';
import { queryWarehouse } from '../../src/runner/query.ts';
import { tempDir } from './helpers.ts';

let path: string;
beforeEach(async () => {
  path = join(tempDir(), 'q.duckdb');
  const wh = await Warehouse.open(path);
  await wh.run(
    "CREATE SCHEMA marts; CREATE TABLE marts.t AS SELECT * FROM (VALUES (1, 'a'), (2, 'b'), (3, 'c')) v(id, k)",
  );
  await wh.close();
});

async function sqlError(sql: string): Promise<ClaimlensError> {
  try {
    await queryWarehouse(path, sql);
  } catch (err) {
    if (err instanceof ClaimlensError) return err;
    throw err;
  }
  throw new Error('expected a ClaimlensError');
}

describe('queryWarehouse', () => {
  it('returns rows, and at most limit rows with truncated set', async () => {
    expect(await queryWarehouse(path, 'SELECT id, k FROM marts.t ORDER BY id;')).toEqual({
      columns: ['id', 'k'],
      rows: [
        { id: 1, k: 'a' },
        { id: 2, k: 'b' },
        { id: 3, k: 'c' },
      ],
      truncated: false,
    });
    const limited = await queryWarehouse(path, 'SELECT id FROM marts.t ORDER BY id DESC -- newest first', {
      limit: 2,
    });
    expect(limited).toEqual({ columns: ['id'], rows: [{ id: 3 }, { id: 2 }], truncated: true });
    expect((await queryWarehouse(path, 'SELECT id FROM marts.t', { limit: 3 })).truncated).toBe(false);
  });

  it('names the columns of an empty result', async () => {
    expect(await queryWarehouse(path, 'SELECT id, k FROM marts.t WHERE id > 9', { limit: 5 })).toEqual({
      columns: ['id', 'k'],
      rows: [],
      truncated: false,
    });
  });

  it('refuses writes, file access and several statements', async () => {
    const write = await sqlError('DELETE FROM marts.t');
    expect(write.code).toBe('sql');
    expect(write.message).toMatch(
      /^claimlens sql only reads the warehouse \(.*read-only mode.*\); change it with/,
    );
    expect((await sqlError("COPY marts.t TO '/tmp/claimlens-leak.csv'")).message).toMatch(
      /^claimlens sql does not read or write files/,
    );
    expect((await sqlError('SELECT 1; DROP TABLE marts.t')).message).toBe(
      'claimlens sql runs one statement at a time; remove the `;` between statements',
    );
    expect((await queryWarehouse(path, 'SELECT count(*) AS n FROM marts.t')).rows).toEqual([{ n: 3 }]);
  });

  it("passes DuckDB's message for bad SQL", async () => {
    const err = await sqlError('SELECT nope FROM marts.t');
    expect(err.code).toBe('sql');
    expect(err.message).toMatch(/^Binder Error: Referenced column "nope" not found/);
  });
});
