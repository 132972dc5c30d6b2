// The NPI check digit in SQL against values worked out by hand (CMS example and a Luhn by hand).
import { describe, expect, it } from 'vitest';
import { literal, Warehouse } from '../../src/engine/duckdb.ts';
import { npiValidSql } from '../../src/quality/npi.ts';

describe('npiValidSql', () => {
  it('accepts valid check digits and rejects everything else', async () => {
    // 1234567893: the CMS example (digits 123456789 give check digit 3).
    // 1245319599: doubled 1,4,3,9,9 -> 2+8+6+9+9 = 34, kept 2,5,1,5 = 13, 34+13+24 = 71 -> check digit 9.
    // 0000000000: 24 does not end in 0. The others have a wrong digit, a letter or the wrong length.
    const cases: [string | null, boolean | null][] = [
      ['1234567893', true],
      ['1245319599', true],
      ['1234567890', false],
      ['1245319590', false],
      ['0000000000', false],
      ['12345678a3', false],
      ['123456789', false],
      ['12345678930', false],
      [null, null],
    ];
    const wh = await Warehouse.open(':memory:', { threads: 1 });
    try {
      const values = cases.map(([v]) => `(${v === null ? 'NULL' : literal(v)})`).join(', ');
      const rows = await wh.all<{ v: string | null; ok: boolean | null }>(
        `SELECT v, ${npiValidSql('v')} AS ok FROM (VALUES ${values}) AS t(v)`,
      );
      expect(rows.map((r) => [r.v, r.ok])).toEqual(cases);
    } finally {
      await wh.close();
    }
  });
});
