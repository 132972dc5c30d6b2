import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Warehouse } from '../../src/engine/duckdb.ts';
import { ClaimlensError } from '../../src/errors.ts';
import { loadModels } from '../../src/runner/model.ts';
import { findPartitionCalls, partitionPass } from '../../src/runner/partition.ts';
import { runModels } from '../../src/runner/run.ts';
import { header, writeModels } from './helpers.ts';

describe('findPartitionCalls and partitionPass', () => {
  const sql = [
    '-- claimlens_partition(in_a_comment)',
    "SELECT 'claimlens_partition(in_a_string)' AS s FROM a",
    'WHERE x > 0 AND claimlens_partition(a.claim_id)',
    'UNION ALL SELECT s FROM b WHERE CLAIMLENS_PARTITION (',
    '  person_id)',
  ].join('\n');

  it('finds the calls outside comments and strings, with their key and line', () => {
    const calls = findPartitionCalls(sql);
    expect(calls.map((c) => ({ key: c.key, line: c.line }))).toEqual([
      { key: 'a.claim_id', line: 3 },
      { key: 'person_id', line: 4 },
    ]);
  });

  it('reads TRUE in one pass and a hash partition in several, keeping every line where it was', () => {
    const calls = findPartitionCalls(sql);
    const whole = partitionPass(sql, calls, 1, 0);
    expect(whole).toContain('WHERE x > 0 AND TRUE\n');
    expect(whole.endsWith('FROM b WHERE TRUE\n')).toBe(true);
    expect(whole.split('\n')).toHaveLength(5);
    const second = partitionPass(sql, calls, 3, 1);
    expect(second).toContain('AND (hash(a.claim_id) % 3 = 1)\n');
    expect(second).toContain('WHERE (hash(person_id) % 3 = 1\n)');
    expect(second.split('\n')).toHaveLength(5);
    // Comments and strings are left as they are.
    expect(second).toContain("'claimlens_partition(in_a_string)'");
    expect(second.split('\n')[0]).toBe('-- claimlens_partition(in_a_comment)');
  });
});

describe('partitioned models', () => {
  let wh: Warehouse;
  beforeEach(async () => {
    wh = await Warehouse.open(':memory:');
  });
  afterEach(async () => {
    await wh.close();
  });

  // 40 lines of 10 claims: the claim totals only come out right if every claim's lines fall in one pass.
  const files = {
    'staging/lines.sql': `${header('Lines', 'claim_id, line', ['-- materialized: view', '-- column claim_id: Claim', '-- column line: Line', '-- column amount: Amount'])}
SELECT 'C' || (range % 10) AS claim_id, range AS line, range * 1.5 AS amount FROM range(40)`,
    'marts/x/claim_total.sql': `${header('Claim totals', 'claim_id', ['-- column claim_id: Claim', '-- column lines: Lines', '-- column total: Sum of amounts'])}
SELECT claim_id, count(*) AS lines, sum(amount) AS total
FROM staging.lines
WHERE claimlens_partition(claim_id)
GROUP BY claim_id`,
  };

  it('runs a partitioned table in one statement per pass, with the rows of a whole run', async () => {
    const models = loadModels(writeModels(files));
    const whole = await runModels(wh, models);
    expect(whole.map((r) => [r.model.id, r.passes])).toEqual([
      ['staging.lines', 1],
      ['marts.claim_total', 1],
    ]);
    const expected = await wh.all('SELECT * FROM marts.claim_total ORDER BY claim_id');
    expect(expected).toHaveLength(10);
    expect(expected[0]).toEqual({ claim_id: 'C0', lines: 4, total: 90 }); // lines 0, 10, 20, 30

    const parted = await runModels(wh, models, undefined, { partitions: 3 });
    // The view reads no partition and runs whole.
    expect(parted.map((r) => [r.model.id, r.passes, r.rows])).toEqual([
      ['staging.lines', 1, 40],
      ['marts.claim_total', 3, 10],
    ]);
    expect(await wh.all('SELECT * FROM marts.claim_total ORDER BY claim_id')).toEqual(expected);
    // Each pass wrote a share of the claims: the hash spreads ten claims over more than one pass.
    const perPass = await wh.all<{ pass: number }>(
      'SELECT DISTINCT CAST(hash(claim_id) % 3 AS INTEGER) AS pass FROM marts.claim_total',
    );
    expect(perPass.length).toBeGreaterThan(1);
  });

  it('names the model file and line when a pass fails', async () => {
    const models = loadModels(
      writeModels({
        ...files,
        'marts/x/bad.sql': `${header('Bad', 'claim_id', ['-- column claim_id: Claim'])}
SELECT claim_id
FROM staging.lines
WHERE claimlens_partition(no_such_column)`,
      }),
    );
    const err = await runModels(wh, models, undefined, { partitions: 2 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ClaimlensError);
    expect((err as ClaimlensError).message).toMatch(/model marts\.bad failed: .*no_such_column/);
    expect((err as ClaimlensError).location?.line).toBe(6);
  });

  it('refuses a partitioned view, an empty key and a key in parentheses, naming the line', () => {
    const dir = writeModels({
      'staging/v.sql': `${header('View', 'id', ['-- materialized: view', '-- column id: Id'])}
SELECT 1 AS id WHERE claimlens_partition(id)`,
      'marts/x/empty.sql': `${header('Empty key', 'id', ['-- column id: Id'])}
SELECT 1 AS id
WHERE claimlens_partition( )`,
      'marts/x/nested.sql': `${header('Key in a call', 'id', ['-- column id: Id'])}
SELECT 1 AS id
WHERE claimlens_partition(lower(id))`,
    });
    expect(() => loadModels(dir)).toThrow(
      /empty\.sql:5: claimlens_partition takes a key column[\s\S]*nested\.sql:5: claimlens_partition takes a key column[\s\S]*v\.sql:5: a view runs whole/,
    );
  });
});
