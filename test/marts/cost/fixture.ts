// Tiny hand-made warehouses for the cost mart tests: input rows with sensible defaults, then the
// shipped staging, intermediate and cost models they need, built by the real runner.
import { Warehouse } from '../../../src/engine/duckdb.ts';
import { INPUT_SCHEMA, INPUT_TABLES } from '../../../src/input/contract.ts';
import { createTableSql } from '../../../src/input/ddl.ts';
import { DEFAULT_MODELS_DIR, loadModels, type Model, runModels } from '../../../src/runner/index.ts';

type Value = string | number | boolean | null;
export type InputRow = Record<string, Value>;

export interface CostInput {
  eligibility: InputRow[];
  medical?: InputRow[];
  pharmacy?: InputRow[];
}

/** An enrollment span of `person` with payer Acme, plan Gold unless given. */
export function span(person: string, from: string, to: string, extra: InputRow = {}): InputRow {
  return {
    person_id: person,
    member_id: `m-${person}`,
    gender: 'unknown',
    birth_date: '1980-01-01',
    enrollment_start_date: from,
    enrollment_end_date: to,
    payer: 'Acme',
    payer_type: 'commercial',
    plan: 'Gold',
    ...extra,
  };
}

let claimSeq = 0;

/** A paid professional office line of `person` on `date` (payer Acme, plan Gold) unless given. */
export function medical(person: string, date: string, paid: number, extra: InputRow = {}): InputRow {
  claimSeq += 1;
  return {
    claim_id: `mc${claimSeq}`,
    claim_line_number: 1,
    claim_type: 'professional',
    person_id: person,
    member_id: `m-${person}`,
    payer: 'Acme',
    plan: 'Gold',
    claim_start_date: date,
    claim_end_date: date,
    place_of_service_code: '11',
    hcpcs_code: '99213',
    diagnosis_code_1: 'Z000',
    paid_amount: paid,
    allowed_amount: paid,
    charge_amount: paid * 2,
    claim_status: 'paid',
    ...extra,
  };
}

/** A paid pharmacy fill of `person` on `date`. */
export function fill(person: string, date: string, paid: number, extra: InputRow = {}): InputRow {
  claimSeq += 1;
  return {
    claim_id: `rx${claimSeq}`,
    claim_line_number: 1,
    person_id: person,
    member_id: `m-${person}`,
    payer: 'Acme',
    plan: 'Gold',
    dispensing_date: date,
    ndc_code: '00002143380',
    days_supply: 30,
    paid_amount: paid,
    allowed_amount: paid,
    ...extra,
  };
}

async function insert(wh: Warehouse, table: string, rows: InputRow[]): Promise<void> {
  for (const row of rows) {
    const cols = Object.keys(row);
    await wh.run(
      `INSERT INTO ${INPUT_SCHEMA}.${table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`,
      cols.map((c) => row[c]!),
    );
  }
}

/** The cost models and everything they read, from the shipped models directory. */
function costModels(): Model[] {
  const all = loadModels(DEFAULT_MODELS_DIR);
  const byId = new Map(all.map((m) => [m.id, m]));
  const wanted = new Set<string>();
  const visit = (id: string) => {
    if (wanted.has(id)) return;
    wanted.add(id);
    for (const ref of byId.get(id)!.references) visit(ref.target);
  };
  for (const m of all) if (m.relPath.startsWith('marts/cost/')) visit(m.id);
  return all.filter((m) => wanted.has(m.id));
}

/** A warehouse (in memory unless `path`) with `input` loaded and the cost marts built; close it after the test. */
export async function costWarehouse(input: CostInput, path = ':memory:'): Promise<Warehouse> {
  const wh = await Warehouse.open(path, { threads: 1 });
  await wh.run(`CREATE SCHEMA ${INPUT_SCHEMA}`);
  for (const spec of INPUT_TABLES) await wh.run(createTableSql(spec));
  await insert(wh, 'eligibility', input.eligibility);
  await insert(wh, 'medical_claim', input.medical ?? []);
  await insert(wh, 'pharmacy_claim', input.pharmacy ?? []);
  await runModels(wh, costModels());
  return wh;
}
