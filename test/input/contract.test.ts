import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Warehouse } from '../../src/engine/duckdb.ts';
import { INPUT_TABLES } from '../../src/input/contract.ts';
import { createTableSql } from '../../src/input/ddl.ts';
import { dataDictionary, erDiagram } from '../../src/input/dictionary.ts';

describe('input contract', () => {
  it('declares grain columns, patterns and foreign keys that exist', () => {
    const names = new Set(INPUT_TABLES.map((t) => t.name));
    for (const t of INPUT_TABLES) {
      const cols = new Set(t.columns.map((c) => c.name));
      expect(cols.size, `${t.name} has duplicate columns`).toBe(t.columns.length);
      for (const g of t.grain) expect(cols.has(g), `${t.name} grain ${g}`).toBe(true);
      for (const c of t.columns) {
        if (c.pattern) expect(() => new RegExp(c.pattern!)).not.toThrow();
        if (c.pattern) expect(c.patternText, `${t.name}.${c.name} needs patternText`).toBeTruthy();
        expect(c.description.length, `${t.name}.${c.name} description`).toBeGreaterThan(5);
      }
      for (const fk of t.foreignKeys ?? []) {
        expect(names.has(fk.references.table)).toBe(true);
        for (const c of fk.columns) expect(cols.has(c)).toBe(true);
      }
    }
  });

  it('keeps the Tuva input-layer column names of medical_claim', () => {
    const cols = INPUT_TABLES.find((t) => t.name === 'medical_claim')!.columns.map((c) => c.name);
    for (const c of [
      'claim_id',
      'claim_line_number',
      'claim_type',
      'person_id',
      'member_id',
      'payer',
      'plan',
      'claim_start_date',
      'claim_end_date',
      'admission_date',
      'discharge_date',
      'discharge_disposition_code',
      'place_of_service_code',
      'bill_type_code',
      'drg_code',
      'revenue_center_code',
      'hcpcs_code',
      'rendering_npi',
      'billing_npi',
      'facility_npi',
      'paid_date',
      'paid_amount',
      'allowed_amount',
      'charge_amount',
      'diagnosis_code_1',
      'diagnosis_code_25',
    ]) {
      expect(cols).toContain(c);
    }
  });

  it('creates every table in DuckDB from the generated DDL', async () => {
    const wh = await Warehouse.open(':memory:');
    await wh.run('CREATE SCHEMA input');
    for (const t of INPUT_TABLES) await wh.run(createTableSql(t));
    const cols = await wh.all<{ n: number }>(
      "SELECT count(*) AS n FROM information_schema.columns WHERE table_schema = 'input' AND table_name = 'medical_claim'",
    );
    const spec = INPUT_TABLES.find((t) => t.name === 'medical_claim')!;
    expect(cols[0]!.n).toBe(spec.columns.length + 3);
    await wh.close();
  });

  it('has a committed data dictionary that matches the contract', () => {
    const committed = readFileSync('docs/data-dictionary.md', 'utf8');
    expect(committed).toBe(`${dataDictionary()}\n`);
    expect(erDiagram()).toContain('medical_claim ||--o{ claim_adjustment');
  });
});
