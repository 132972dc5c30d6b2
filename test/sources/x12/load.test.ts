import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Warehouse } from '../../../src/engine/duckdb.ts';
import { loadX12Directory } from '../../../src/sources/x12/load.ts';
import { sample } from './fixtures.ts';

describe('loadX12Directory', () => {
  it('loads the 835 samples into the input layer and reports the file it cannot read', async () => {
    const warehouse = join(mkdtempSync(join(tmpdir(), 'x12-load-')), 'w.duckdb');
    const { x12, load } = await loadX12Directory(warehouse, sample('edi-835-parser'));
    // emedny: 3 CLP loops paying 45.75 (= its BPR02); united_healthcare_legacy: 2 CLP loops paying 349.99.
    expect(x12.remittanceClaims).toBe(5);
    // blue_cross_nc_sample has no ISA envelope: reported, the other two files still load.
    expect(x12.errors.map((e) => e.message)).toEqual([
      expect.stringContaining('does not start with an ISA segment'),
    ]);
    expect(load.mode).toBe('append');
    expect(load.rowsQuarantined).toBe(0);
    const wh = await Warehouse.open(warehouse, { readOnly: true });
    try {
      const pay = await wh.one<{ n: number; total: number }>(
        'SELECT count(*) AS n, sum(payment_amount)::DOUBLE AS total FROM input.payment',
      );
      expect(pay?.total).toBeCloseTo(45.75 + 349.99, 2);
      const adj = await wh.one<{ n: number }>('SELECT count(*) AS n FROM input.claim_adjustment');
      expect(adj?.n).toBe(x12.adjustments);
      // The unreadable file is in the quarantine with its file and line: nothing is lost unseen.
      const quarantined = await wh.all(
        "SELECT table_name, source_file, source_line, rule FROM input.quarantine WHERE starts_with(rule, 'source_')",
      );
      expect(quarantined).toEqual([
        {
          table_name: 'claim_adjustment',
          source_file: 'blue_cross_nc_sample.835.txt',
          source_line: 1,
          rule: 'source_x12_file',
        },
      ]);
      // Loading the same directory again replaces its rows instead of adding them.
      await wh.close();
      await loadX12Directory(warehouse, sample('edi-835-parser'));
      const again = await Warehouse.open(warehouse, { readOnly: true });
      const n = await again.one<{ n: number }>('SELECT count(*) AS n FROM input.claim_adjustment');
      expect(n?.n).toBe(x12.adjustments);
      const q = await again.one<{ n: number }>(
        "SELECT count(*) AS n FROM input.quarantine WHERE starts_with(rule, 'source_')",
      );
      expect(q?.n).toBe(1);
      await again.close();
    } catch (err) {
      await wh.close().catch(() => undefined);
      throw err;
    }
  });

  it('puts every malformed transaction of the parser test files in the quarantine with file and segment', async () => {
    const warehouse = join(mkdtempSync(join(tmpdir(), 'x12-load-')), 'w.duckdb');
    const { x12 } = await loadX12Directory(warehouse, sample('imsweb-x12-parser'));
    expect(x12.quarantined.length).toBeGreaterThan(0);
    const wh = await Warehouse.open(warehouse, { readOnly: true });
    try {
      const rows = await wh.all<{ source_file: string; source_line: number; rule: string; detail: string }>(
        "SELECT source_file, source_line, rule, detail FROM input.quarantine WHERE rule = 'source_x12_transaction' ORDER BY source_file, source_line",
      );
      const expected = x12.quarantined
        .map((q) => ({ source_file: q.file.split('/').pop(), source_line: q.segment }))
        .sort((a, b) =>
          a.source_file === b.source_file
            ? a.source_line - b.source_line
            : a.source_file! < b.source_file!
              ? -1
              : 1,
        );
      expect(rows.map((r) => ({ source_file: r.source_file, source_line: r.source_line }))).toEqual(expected);
      expect(rows.every((r) => r.detail.length > 0)).toBe(true);
    } finally {
      await wh.close();
    }
  });
});
