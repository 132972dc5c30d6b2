// Tiny hand-made warehouses for the cost mart tests: input rows with sensible defaults, then the
// shipped staging, intermediate and cost models they need, built by the real runner.
import type { Warehouse } from '../../../src/engine/duckdb.ts';
import { testWarehouse } from '../../helpers/warehouse.ts';

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

/**
 * A denied line of `person` on `date`: no spend, but a claim of the book, so its month is one the
 * claims cover (member months count only inside intermediate.claim_service_window).
 */
export function denied(person: string, date: string): InputRow {
  return medical(person, date, 0, { claim_status: 'denied' });
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

/** A warehouse (in memory unless `path`) with `input` loaded and the cost marts built; close it after the test. */
export async function costWarehouse(input: CostInput, path = ':memory:'): Promise<Warehouse> {
  return testWarehouse(
    {
      eligibility: input.eligibility,
      medical_claim: input.medical ?? [],
      pharmacy_claim: input.pharmacy ?? [],
    },
    { models: ['marts/cost/'], path },
  );
}
