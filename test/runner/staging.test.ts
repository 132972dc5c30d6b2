import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { duckdbDialect } from '../../src/engine/dialect.ts';
import { Warehouse } from '../../src/engine/duckdb.ts';
import { INPUT_TABLES } from '../../src/input/contract.ts';
import { DEFAULT_MODELS_DIR } from '../../src/runner/build.ts';
import { loadModels } from '../../src/runner/model.ts';
import { runModels } from '../../src/runner/run.ts';
import { createInputLayer } from './helpers.ts';

const staging = () => loadModels(DEFAULT_MODELS_DIR).filter((m) => m.layer === 'staging');

let wh: Warehouse;
beforeEach(async () => {
  wh = await Warehouse.open(':memory:');
  await createInputLayer(wh);
});
afterEach(async () => {
  await wh.close();
});

describe('staging models', () => {
  it('build on an empty input layer, one per input table, keeping every input column and its type', async () => {
    const runs = await runModels(wh, staging());
    expect(runs.map((r) => r.model.name).sort()).toEqual(INPUT_TABLES.map((t) => t.name).sort());
    for (const spec of INPUT_TABLES) {
      const run = runs.find((r) => r.model.name === spec.name)!;
      expect(run.rows).toBe(0);
      expect(run.model.materialized).toBe('view');
      expect(run.model.grain).toEqual(spec.grain);
      const types = new Map(run.columns.map((c) => [c.name, c.type]));
      for (const col of spec.columns) {
        expect(types.get(col.name), `staging.${spec.name}.${col.name}`).toBe(duckdbDialect.sqlType(col.type));
      }
      expect(types.has('_source_file')).toBe(false);
    }
    const extra = runs.flatMap((r) =>
      r.columns
        .filter(
          (c) => !INPUT_TABLES.find((t) => t.name === r.model.name)!.columns.some((ic) => ic.name === c.name),
        )
        .map((c) => `${r.model.name}.${c.name} ${c.type}`),
    );
    expect(extra.sort()).toEqual([
      'medical_claim.service_month DATE',
      'payment.payment_month DATE',
      'pharmacy_claim.dispensing_month DATE',
    ]);
  });

  it('normalizes codes of a hand-made medical_claim', async () => {
    await wh.run(`INSERT INTO input.medical_claim
      (claim_id, claim_line_number, claim_start_date, bill_type_code, hcpcs_code, hcpcs_modifier_1,
       diagnosis_code_1, diagnosis_code_2, diagnosis_code_3, procedure_code_1, rendering_npi, paid_amount)
      VALUES
      ('C1', 1, DATE '2024-03-15', '0111', '99213', 'rt', 'e11.9', ' i10 ', NULL, '0DTJ4ZZ', ' 1234567890', 12.50),
      ('C1', 2, DATE '2024-03-31', '111',  'j1100', NULL, 'E119', '', 'Z79.4', NULL, '1234567890', 0),
      ('C2', 1, DATE '2024-04-01', NULL,   NULL,    NULL, 'r07.89', NULL, NULL, '81.54', NULL, 100.00)`);
    await runModels(wh, staging());
    const rows = await wh.all(
      `SELECT claim_id, claim_line_number, service_month, bill_type_code, hcpcs_code, hcpcs_modifier_1,
              diagnosis_code_1, diagnosis_code_2, diagnosis_code_3, procedure_code_1, rendering_npi, paid_amount
       FROM staging.medical_claim ORDER BY claim_id, claim_line_number`,
    );
    expect(rows).toEqual([
      {
        claim_id: 'C1',
        claim_line_number: 1,
        service_month: '2024-03-01',
        bill_type_code: '111',
        hcpcs_code: '99213',
        hcpcs_modifier_1: 'RT',
        diagnosis_code_1: 'E119',
        diagnosis_code_2: 'I10',
        diagnosis_code_3: null,
        procedure_code_1: '0DTJ4ZZ',
        rendering_npi: '1234567890',
        paid_amount: 12.5,
      },
      {
        claim_id: 'C1',
        claim_line_number: 2,
        service_month: '2024-03-01',
        bill_type_code: '111',
        hcpcs_code: 'J1100',
        hcpcs_modifier_1: null,
        diagnosis_code_1: 'E119',
        diagnosis_code_2: null,
        diagnosis_code_3: 'Z794',
        procedure_code_1: null,
        rendering_npi: '1234567890',
        paid_amount: 0,
      },
      {
        claim_id: 'C2',
        claim_line_number: 1,
        service_month: '2024-04-01',
        bill_type_code: null,
        hcpcs_code: null,
        hcpcs_modifier_1: null,
        diagnosis_code_1: 'R0789',
        diagnosis_code_2: null,
        diagnosis_code_3: null,
        procedure_code_1: '8154',
        rendering_npi: null,
        paid_amount: 100,
      },
    ]);
  });
});
