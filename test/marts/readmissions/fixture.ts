// Hand-made input rows for the readmission and adherence tests: enrollment spans, facility stays
// (UB-04 type of bill 111), professional visits and pharmacy fills with sensible defaults.
import type { InputRow } from '../../helpers/warehouse.ts';

/** An enrollment span with payer Acme (commercial); born 1950-01-01 (age 74 in 2024) unless given. */
export function member(person: string, extra: InputRow = {}): InputRow {
  return {
    person_id: person,
    member_id: `m-${person}`,
    gender: 'female',
    birth_date: '1950-01-01',
    enrollment_start_date: '2023-01-01',
    enrollment_end_date: '2024-12-31',
    payer: 'Acme',
    payer_type: 'commercial',
    plan: 'Gold',
    zip_code: '10001',
    ...extra,
  };
}

/** One line of an acute inpatient facility claim at hospital 1000000001 (discharged home unless given). */
export function stay(
  claim: string,
  person: string,
  admit: string,
  discharge: string,
  dx: string,
  paid: number,
  extra: InputRow = {},
): InputRow {
  return {
    claim_id: claim,
    claim_line_number: 1,
    claim_type: 'institutional',
    person_id: person,
    member_id: `m-${person}`,
    payer: 'Acme',
    plan: 'Gold',
    claim_start_date: admit,
    claim_end_date: discharge,
    admission_date: admit,
    discharge_date: discharge,
    bill_type_code: '111',
    revenue_center_code: '0120',
    discharge_disposition_code: '01',
    facility_npi: '1000000001',
    drg_code_type: 'ms-drg',
    diagnosis_code_type: 'icd-10-cm',
    diagnosis_code_1: dx,
    paid_amount: paid,
    charge_amount: paid * 2,
    claim_status: 'paid',
    ...extra,
  };
}

/** A professional line: an office visit (POS 11, 99213) unless `extra` says otherwise. */
export function visit(claim: string, person: string, date: string, extra: InputRow = {}): InputRow {
  return {
    claim_id: claim,
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
    diagnosis_code_type: 'icd-10-cm',
    diagnosis_code_1: 'Z0000',
    paid_amount: 0,
    charge_amount: 0,
    claim_status: 'paid',
    ...extra,
  };
}

/** A paid pharmacy fill. */
export function fill(
  claim: string,
  person: string,
  date: string,
  ndc: string,
  daysSupply: number,
  extra: InputRow = {},
): InputRow {
  return {
    claim_id: claim,
    claim_line_number: 1,
    person_id: person,
    member_id: `m-${person}`,
    payer: 'Acme',
    plan: 'Gold',
    prescribing_provider_npi: '2000000001',
    dispensing_date: date,
    ndc_code: ndc,
    days_supply: daysSupply,
    quantity: daysSupply,
    paid_amount: 10,
    claim_status: 'paid',
    ...extra,
  };
}
