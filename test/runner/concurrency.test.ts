import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Warehouse } from '../../src/engine/duckdb.ts';
import { bookConcurrency } from '../../src/runner/concurrency.ts';

let wh: Warehouse;
beforeEach(async () => {
  wh = await Warehouse.open(':memory:');
});
afterEach(async () => {
  await wh.close();
});

describe('bookConcurrency', () => {
  it('runs two at a time up to the line limit, one above it and one without claims', async () => {
    expect(await bookConcurrency(wh, 5)).toBe(1);
    await wh.run('CREATE SCHEMA input');
    await wh.run('CREATE TABLE input.medical_claim AS SELECT range AS claim_line_number FROM range(5)');
    expect(await bookConcurrency(wh, 5)).toBe(2);
    await wh.run('INSERT INTO input.medical_claim VALUES (5)');
    expect(await bookConcurrency(wh, 5)).toBe(1);
  });
});
