// Edge cases on edited copies of the Synthea sample: ADJUSTMENT transactions (absent from the
// sample) are reported, not loaded as claim adjustments, and do not change lines or payments.
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Warehouse } from '../../../src/engine/duckdb.ts';
import { loadSource } from '../../../src/sources/index.ts';
import { brokenCopy, cleanUp, tempDir } from './fixtures.ts';

afterAll(cleanUp);

describe('Synthea edge cases', () => {
  it('reports ADJUSTMENT transactions it cannot load as claim adjustments', async () => {
    // An ADJUSTMENT of 5.00 after the last transaction of the first claim (its one line).
    const dir = brokenCopy('claims_transactions.csv', (lines) => {
      const f = lines[1]!.split(',');
      f[0] = 'adj-test-1';
      f[2] = '999999';
      f[4] = 'ADJUSTMENT';
      f[5] = '';
      f[24] = '5.00';
      return [...lines.slice(0, 2), f.join(','), ...lines.slice(2)];
    });
    const warehouse = join(tempDir(), 'w.duckdb');
    const r = await loadSource(warehouse, dir, { format: 'synthea' });
    expect(r.source?.warnings).toContain(
      'claims_transactions.csv: 1 ADJUSTMENT transactions (5.00 in all) are not loaded as claim_adjustment rows: Synthea gives them no CARC group or reason code',
    );
    expect(r.load.rowsQuarantined).toBe(0);
    const wh = await Warehouse.open(warehouse, { readOnly: true });
    try {
      const n = await wh.one<{ lines: number; adj: number; pay: number }>(
        `SELECT (SELECT count(*) FROM input.medical_claim) AS lines,
                (SELECT count(*) FROM input.claim_adjustment) AS adj,
                (SELECT count(*) FROM input.payment) AS pay`,
      );
      expect(n).toEqual({ lines: 1545, adj: 0, pay: 1843 });
    } finally {
      await wh.close();
    }
  });
});
