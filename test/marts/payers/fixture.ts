// Tiny hand-made warehouses for the payer, provider and programs mart tests: input rows with
// sensible defaults, then the shipped models those marts need, built by the real runner.
import type { Warehouse } from '../../../src/engine/duckdb.ts';
import { testWarehouse } from '../../helpers/warehouse.ts';

type Value = string | number | boolean | null;
export type InputRow = Record<string, Value>;

export type InputTables = Partial<
  Record<
    'payer' | 'provider' | 'eligibility' | 'medical_claim' | 'pharmacy_claim' | 'claim_adjustment',
    InputRow[]
  >
>;

/** A payer row (commercial) with its contract share of charges; null for no contract terms. */
export function payer(name: string, contractAllowedPct: number | null): InputRow {
  return { payer: name, payer_type: 'commercial', contract_allowed_pct: contractAllowedPct };
}

/** An enrollment span of `person` with payer Acme unless given. */
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

/**
 * A professional medical claim line. `claim` is the claim id (lines of one claim share it); the
 * line is paid in full of `paid` with allowed = paid and no cost sharing unless `extra` says otherwise.
 */
export function line(claim: string, lineNo: number, date: string, extra: InputRow = {}): InputRow {
  return {
    claim_id: claim,
    claim_line_number: lineNo,
    claim_type: 'professional',
    person_id: 'p1',
    member_id: 'm-p1',
    payer: 'Acme',
    plan: 'Gold',
    claim_start_date: date,
    claim_end_date: date,
    place_of_service_code: '11',
    hcpcs_code: '99213',
    diagnosis_code_1: 'Z000',
    paid_amount: 0,
    charge_amount: 0,
    claim_status: 'paid',
    ...extra,
  };
}

/** A pharmacy fill of `person` on `date`. */
export function fill(
  claim: string,
  person: string,
  date: string,
  paid: number,
  extra: InputRow = {},
): InputRow {
  return {
    claim_id: claim,
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
    claim_status: 'paid',
    ...extra,
  };
}

/** An 835 CAS adjustment of a claim line (line 0: the whole claim), group CO unless given. */
export function adjustment(
  claim: string,
  lineNo: number,
  carc: string,
  remitDate: string,
  amount: number,
  extra: InputRow = {},
): InputRow {
  return {
    claim_id: claim,
    claim_line_number: lineNo,
    remit_date: remitDate,
    adjustment_sequence: 1,
    payer: 'Acme',
    adjustment_group_code: 'CO',
    carc_code: carc,
    adjustment_amount: amount,
    ...extra,
  };
}

/** An in-memory warehouse with `input` loaded and the models of `marts` folders built; close it after the test. */
export async function martWarehouse(marts: readonly string[], input: InputTables): Promise<Warehouse> {
  return testWarehouse(input, { models: marts.map((m) => `marts/${m}/`) });
}
