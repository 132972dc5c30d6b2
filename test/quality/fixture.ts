// Tiny hand-made inputs for the quality tests: an in-memory warehouse with the input tables from the
// contract DDL, rows built from a clean base row per table, and small code-set tables.
import { literal, Warehouse } from '../../src/engine/duckdb.ts';
import { INPUT_TABLES, type InputTableName } from '../../src/input/contract.ts';
import { createTableSql } from '../../src/input/ddl.ts';
import type { CodeSetName } from '../../src/quality/check.ts';

export type Value = string | number | boolean | null;
export type Rows = Partial<Record<InputTableName, Record<string, Value>[]>>;

/** A valid row per table (valid NPIs: 1234567893 is the CMS example, 1245319599 checked by hand). */
export const BASE: Record<InputTableName, Record<string, Value>> = {
  payer: { payer: 'Acme', payer_type: 'commercial' },
  provider: { npi: '1234567893', entity_type: 'individual', provider_name: 'Dr A' },
  area_deprivation: { zip_code: '02139', adi_national_percentile: 10 },
  eligibility: {
    person_id: 'P1',
    member_id: 'M1',
    gender: 'female',
    birth_date: '1980-05-01',
    enrollment_start_date: '2024-01-01',
    enrollment_end_date: '2024-12-31',
    payer: 'Acme',
    payer_type: 'commercial',
    plan: 'PPO',
  },
  medical_claim: {
    claim_id: 'C1',
    claim_line_number: 1,
    claim_type: 'professional',
    person_id: 'P1',
    member_id: 'M1',
    payer: 'Acme',
    plan: 'PPO',
    claim_start_date: '2024-03-10',
    claim_end_date: '2024-03-10',
    place_of_service_code: '11',
    hcpcs_code: '99213',
    rendering_npi: '1234567893',
    billing_npi: '1245319599',
    paid_date: '2024-04-01',
    submission_date: '2024-03-15',
    paid_amount: 80,
    allowed_amount: 100,
    charge_amount: 150,
    diagnosis_code_type: 'icd-10-cm',
    diagnosis_code_1: 'E119',
    claim_status: 'paid',
  },
  pharmacy_claim: {
    claim_id: 'R1',
    claim_line_number: 1,
    person_id: 'P1',
    member_id: 'M1',
    payer: 'Acme',
    plan: 'PPO',
    prescribing_provider_npi: '1234567893',
    dispensing_provider_npi: '1245319599',
    dispensing_date: '2024-03-10',
    ndc_code: '00002143380',
    days_supply: 30,
    paid_date: '2024-03-11',
    paid_amount: 10,
  },
  claim_adjustment: {
    claim_id: 'C1',
    claim_line_number: 1,
    remit_date: '2024-04-01',
    adjustment_sequence: 1,
    payer: 'Acme',
    adjustment_group_code: 'CO',
    carc_code: '45',
    adjustment_amount: 70,
  },
  payment: {
    payment_id: 'PAY1',
    claim_id: 'C1',
    person_id: 'P1',
    payer: 'Acme',
    payment_source: 'payer',
    payment_date: '2024-04-01',
    payment_amount: 80,
  },
  encounter: {
    encounter_id: 'E1',
    person_id: 'P1',
    encounter_type: 'office',
    encounter_start_date: '2024-03-10',
    facility_npi: '1245319599',
    attending_npi: '1234567893',
    primary_diagnosis_code: 'E11.9',
  },
  finance_ledger: { ledger_month: '2024-04-01', payer: 'Acme', payer_payments: 80 },
};

/** Small code sets with the column layout src/codesets builds (`codes.<name>(code, description, ...)`). */
export const CODESETS: Record<CodeSetName, { columns: string; rows: Value[][] }> = {
  icd10cm: {
    columns: 'code VARCHAR, description VARCHAR, billable BOOLEAN',
    rows: [
      ['E119', 'Type 2 diabetes mellitus without complications', true],
      ['E11', 'Type 2 diabetes mellitus', false],
      ['I10', 'Essential (primary) hypertension', true],
    ],
  },
  place_of_service: {
    columns: 'code VARCHAR, description VARCHAR',
    rows: [
      ['11', 'Office'],
      ['21', 'Inpatient Hospital'],
    ],
  },
  bill_type: {
    columns: 'code VARCHAR, description VARCHAR',
    rows: [
      ['111', 'Hospital Inpatient (Part A) Admit Through Discharge'],
      ['131', 'Hospital Outpatient Admit Through Discharge'],
    ],
  },
  revenue_center: {
    columns: 'code VARCHAR, description VARCHAR',
    rows: [
      ['0450', 'Emergency Room'],
      ['0120', 'Room & Board - Semi-Private'],
    ],
  },
  ms_drg: {
    columns: 'code VARCHAR, description VARCHAR, mdc_code VARCHAR',
    rows: [['470', 'MAJOR HIP AND KNEE JOINT REPLACEMENT', '08']],
  },
  discharge_disposition: {
    columns: 'code VARCHAR, description VARCHAR',
    rows: [['01', 'Discharged to home/self-care']],
  },
  carc: {
    columns: 'code VARCHAR, description VARCHAR, status VARCHAR, stop_date DATE, root_cause VARCHAR',
    rows: [
      ['1', 'Deductible Amount', 'active', null, 'patient_responsibility'],
      ['45', 'Charge exceeds fee schedule', 'active', null, 'contractual'],
      [
        '42',
        'Charges exceed our fee schedule or maximum allowable amount',
        'retired',
        '2007-06-30',
        'contractual',
      ],
      ['A2', 'Contractual adjustment', 'retired', null, 'contractual'],
    ],
  },
  hcpcs_level2: {
    columns: 'code VARCHAR, description VARCHAR',
    rows: [['J1100', 'Injection, dexamethasone sodium phosphate, 1 mg']],
  },
};

function sqlValue(v: Value | undefined): string {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  return literal(v);
}

/**
 * A warehouse (in memory unless `path` is given) with every input table (or only `tables`) and,
 * unless `codesets` is given, every code set.
 */
export async function openFixture(
  options: { tables?: InputTableName[]; codesets?: CodeSetName[]; path?: string } = {},
): Promise<Warehouse> {
  const wh = await Warehouse.open(options.path ?? ':memory:', { threads: 1 });
  await wh.run('CREATE SCHEMA input');
  await wh.run('CREATE SCHEMA codes');
  for (const spec of INPUT_TABLES) {
    if (!options.tables || options.tables.includes(spec.name as InputTableName))
      await wh.run(createTableSql(spec));
  }
  const sets = options.codesets ?? (Object.keys(CODESETS) as CodeSetName[]);
  for (const name of sets) {
    const set = CODESETS[name];
    await wh.run(`CREATE TABLE codes.${name} (${set.columns})`);
    const values = set.rows.map((r) => `(${r.map(sqlValue).join(', ')})`).join(', ');
    await wh.run(`INSERT INTO codes.${name} VALUES ${values}`);
  }
  return wh;
}

/**
 * Inserts rows (each merged over the table's BASE row) with lineage `<table>.csv` and lines 2, 3, ...
 * in the order given (line 1 is the header), unless the row sets `_source_line` itself.
 */
export async function insert(wh: Warehouse, rows: Rows): Promise<void> {
  for (const [table, list] of Object.entries(rows) as [InputTableName, Record<string, Value>[]][]) {
    if (list.length === 0) continue;
    const full: Record<string, Value>[] = list.map((r, i) => ({
      ...BASE[table],
      _source_file: `${table}.csv`,
      _source_line: i + 2,
      ...r,
    }));
    const cols = [...new Set(full.flatMap((r) => Object.keys(r)))];
    const values = full.map((r) => `(${cols.map((c) => sqlValue(r[c])).join(', ')})`).join(',\n');
    await wh.run(`INSERT INTO input.${table} (${cols.join(', ')}) VALUES ${values}`);
  }
}

/** A medical claim line: the BASE line with another claim id and the given columns. */
export const mc = (claim_id: string, extra: Record<string, Value>) => ({ claim_id, ...extra });

/**
 * March 2024 claims (claim grain):
 *   C1 professional P1 03-10, office visit E1 that day            -> matched
 *   C2 professional P1 03-20, no encounter                         -> not matched
 *   C3 inpatient (type of bill 0111, 2 lines) P2 admitted 03-05,
 *      inpatient encounter E2 03-05..03-09                         -> matched
 *   C4 professional P2 03-07, a visit during the stay E2           -> matched
 *   => 3 of 4 claims = 0.75; professional 2 of 3, institutional 1 of 1.
 * Encounters in March: E1 (matched by C1), E2 (by C3 and C4), E4 an office visit of P2 on 03-05
 * that only the inpatient claim's date meets (an inpatient claim needs an inpatient encounter)
 * -> 2 of 3; by professional claims 2 of 3 (E1, E2), by institutional 1 of 3 (E2).
 * April: E5 (P3 04-02) would match C6, but C6 is reversed -> no claims, 0 of 1 encounters; April
 * is left out of the overall rates (only one source covers it).
 */
export const EHR_ROWS: Rows = {
  medical_claim: [
    mc('C1', {}),
    mc('C2', { claim_start_date: '2024-03-20', claim_end_date: '2024-03-20' }),
    ...[1, 2].map((n) =>
      mc('C3', {
        claim_line_number: n,
        claim_type: 'institutional',
        person_id: 'P2',
        bill_type_code: '0111',
        admission_date: '2024-03-05',
        discharge_date: '2024-03-09',
        claim_start_date: '2024-03-05',
        claim_end_date: '2024-03-09',
      }),
    ),
    mc('C4', { person_id: 'P2', claim_start_date: '2024-03-07', claim_end_date: '2024-03-07' }),
    mc('C6', {
      person_id: 'P3',
      claim_status: 'reversed',
      claim_start_date: '2024-04-02',
      claim_end_date: '2024-04-02',
    }),
  ],
  encounter: [
    { encounter_id: 'E1' },
    {
      encounter_id: 'E2',
      person_id: 'P2',
      encounter_type: 'inpatient',
      encounter_start_date: '2024-03-05',
      encounter_end_date: '2024-03-09',
    },
    { encounter_id: 'E4', person_id: 'P2', encounter_start_date: '2024-03-05' },
    { encounter_id: 'E5', person_id: 'P3', encounter_start_date: '2024-04-02' },
  ],
};

/**
 * Ledger: Jan Acme 1000, Jan Beta 500, Feb Acme 900.
 * Claims paid by paid month: Jan Acme 600 + 300 = 900 (the reversed 100 left out), Jan Beta 500,
 * Feb Acme 1000, Feb Beta 200 (no ledger row), Mar Acme 400 (outside the ledger months), and a
 * paid line without a paid date (left out).
 *   Jan Acme  900 vs 1000: +100, 100/900 = 0.1111
 *   Jan Beta  500 vs  500:    0, 0
 *   Feb Acme 1000 vs  900: -100, -0.10
 *   Feb Beta  200 vs    0: -200, -1.00
 *   Jan 1400 vs 1500: +100, 0.0714; Feb 1200 vs 900: -300, -0.25
 *   Overall 2600 vs 2400: -200, -200/2600 = -0.0769
 */
export const LEDGER_ROWS: Rows = {
  finance_ledger: [
    { ledger_month: '2024-01-01', payer: 'Acme', payer_payments: 1000 },
    { ledger_month: '2024-01-01', payer: 'Beta', payer_payments: 500 },
    { ledger_month: '2024-02-01', payer: 'Acme', payer_payments: 900 },
  ],
  medical_claim: [
    mc('C1', { paid_date: '2024-01-05', paid_amount: 600 }),
    mc('C2', { paid_date: '2024-01-20', paid_amount: 300 }),
    mc('C3', { paid_date: '2024-01-20', paid_amount: 100, claim_status: 'reversed' }),
    mc('C4', { payer: 'Beta', paid_date: '2024-01-31', paid_amount: 500 }),
    mc('C5', { paid_date: '2024-02-14', paid_amount: 1000 }),
    mc('C6', { payer: 'Beta', paid_date: '2024-02-01', paid_amount: 200 }),
    mc('C7', { paid_date: '2024-03-02', paid_amount: 400 }),
    mc('C8', { paid_date: null, paid_amount: 50 }),
  ],
};
