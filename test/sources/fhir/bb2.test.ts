// The CMS Blue Button 2.0 conventions the FHIR adapter reads besides CARIN: eob-type codes, amounts
// in BB2.0 variables, NPIs inline on references, the weekly processing date as paid date, Medicare
// coverage told by its plan (Part B), ICD-10 without dots. One hand-made carrier EOB, all values fictitious.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSource } from '../../../src/sources/index.ts';
import { plain, withWarehouse } from './helpers.ts';

const BB = 'https://bluebutton.cms.gov/resources';
const cc = (system: string, code: string) => ({ coding: [{ system, code }] });
const amount = (variable: string, value: number) => ({
  category: cc(`${BB}/codesystem/adjudication`, `${BB}/variables/${variable}`),
  amount: { value, currency: 'USD' },
});

const patient = {
  resourceType: 'Patient',
  id: '-19990000000001',
  identifier: [
    {
      type: cc('http://terminology.hl7.org/CodeSystem/v2-0203', 'MC'),
      system: 'http://hl7.org/fhir/sid/us-mbi',
      value: '1S00E00AA01',
    },
  ],
  gender: 'female',
  birthDate: '1950-03-17',
  address: [{ state: '06', postalCode: '94103' }],
};
const coverage = {
  resourceType: 'Coverage',
  id: 'part-b--19990000000001',
  status: 'active',
  type: cc('http://terminology.hl7.org/CodeSystem/v3-ActCode', 'SUBSIDIZ'),
  beneficiary: { reference: 'Patient/-19990000000001' },
  subscriberId: '1S00E00AA01',
  payor: [{ identifier: { value: 'Centers for Medicare and Medicaid Services' } }],
  period: { start: '2015-01-01', end: '2025-12-31' },
  class: [
    { type: cc('http://terminology.hl7.org/CodeSystem/coverage-class', 'group'), value: 'Medicare' },
    { type: cc('http://terminology.hl7.org/CodeSystem/coverage-class', 'plan'), value: 'Part B' },
  ],
};
const eob = {
  resourceType: 'ExplanationOfBenefit',
  id: 'carrier--10000000000001',
  status: 'active',
  type: {
    coding: [
      { system: `${BB}/codesystem/eob-type`, code: 'CARRIER' },
      { system: 'http://terminology.hl7.org/CodeSystem/claim-type', code: 'professional' },
    ],
  },
  use: 'claim',
  patient: { reference: 'Patient/-19990000000001' },
  billablePeriod: { start: '2024-02-05', end: '2024-02-05' },
  created: '2025-01-10T00:00:00Z',
  insurer: { identifier: { value: 'CMS' } },
  provider: { identifier: { system: 'http://hl7.org/fhir/sid/us-npi', value: '1987654328' } },
  outcome: 'complete',
  careTeam: [
    {
      sequence: 1,
      provider: { identifier: { system: 'http://hl7.org/fhir/sid/us-npi', value: '1234567893' } },
      role: cc('http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBClaimCareTeamRole', 'performing'),
    },
  ],
  supportingInfo: [
    {
      sequence: 1,
      category: cc(`${BB}/codesystem/information`, `${BB}/variables/nch_wkly_proc_dt`),
      timingDate: '2024-02-16',
    },
  ],
  diagnosis: [
    { sequence: 1, diagnosisCodeableConcept: cc('http://hl7.org/fhir/sid/icd-10', 'E119') },
    { sequence: 2, diagnosisCodeableConcept: cc('http://hl7.org/fhir/sid/icd-10', 'I10') },
  ],
  insurance: [{ focal: true, coverage: { reference: 'Coverage/part-b--19990000000001' } }],
  item: [
    {
      sequence: 1,
      careTeamSequence: [1],
      productOrService: cc(`${BB}/codesystem/hcpcs`, '99213'),
      servicedPeriod: { start: '2024-02-05', end: '2024-02-05' },
      locationCodeableConcept: cc(`${BB}/variables/line_place_of_srvc_cd`, '11'),
      quantity: { value: 1 },
      adjudication: [
        amount('line_sbmtd_chrg_amt', 150),
        amount('line_alowd_chrg_amt', 92.5),
        amount('line_nch_pmt_amt', 74),
        amount('line_prvdr_pmt_amt', 74),
        amount('line_bene_ptb_ddctbl_amt', 0),
        amount('line_coinsrnc_amt', 18.5),
      ],
    },
  ],
  payment: { amount: { value: 74, currency: 'USD' } },
};

describe('FHIR adapter on a Blue Button 2.0 carrier EOB', () => {
  it('reads BB2.0 variables, inline NPIs and the processing date', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fhir-bb2-'));
    const write = (name: string, r: unknown) => writeFileSync(join(dir, name), `${JSON.stringify(r)}\n`);
    write('Patient.ndjson', patient);
    write('Coverage.ndjson', coverage);
    write('ExplanationOfBenefit.ndjson', eob);
    const warehouse = join(mkdtempSync(join(tmpdir(), 'fhir-bb2-wh-')), 'w.duckdb');
    const report = await loadSource(warehouse, dir, { format: 'auto' });
    await withWarehouse(warehouse, async (wh) => {
      const q = await wh.all('SELECT table_name, rule, column_name, value FROM input.quarantine');
      expect(plain(q)).toEqual([]);
      expect(report.load.rowsQuarantined).toBe(0);
      const rows = await wh.all(
        `SELECT claim_id, claim_type, person_id, member_id, payer, plan, hcpcs_code, place_of_service_code,
           rendering_npi, billing_npi, paid_date::VARCHAR AS paid_date, paid_amount::DOUBLE AS paid,
           allowed_amount::DOUBLE AS allowed, charge_amount::DOUBLE AS charge, coinsurance_amount::DOUBLE AS coinsurance,
           deductible_amount::DOUBLE AS deductible, diagnosis_code_type, diagnosis_code_1, diagnosis_code_2, claim_status
         FROM input.medical_claim`,
      );
      expect(plain(rows)).toEqual([
        {
          claim_id: 'carrier--10000000000001',
          claim_type: 'professional',
          person_id: '-19990000000001',
          member_id: '1S00E00AA01',
          // The insurer is named only by identifier (CMS): the Coverage's payer name is used, as in eligibility.
          payer: 'Centers for Medicare and Medicaid Services',
          plan: 'Part B',
          hcpcs_code: '99213',
          place_of_service_code: '11',
          rendering_npi: '1234567893',
          billing_npi: '1987654328',
          paid_date: '2024-02-16',
          paid: 74,
          allowed: 92.5,
          charge: 150,
          coinsurance: 18.5,
          deductible: 0,
          diagnosis_code_type: 'icd-10-cm',
          diagnosis_code_1: 'E119',
          diagnosis_code_2: 'I10',
          claim_status: 'paid',
        },
      ]);
      const elig = await wh.all(
        'SELECT member_id, payer, payer_type, plan, state, zip_code FROM input.eligibility',
      );
      // BB2.0 writes the state as an SSA code (06): not a USPS code, so it is left out.
      expect(plain(elig)).toEqual([
        {
          member_id: '1S00E00AA01',
          payer: 'Centers for Medicare and Medicaid Services',
          payer_type: 'medicare',
          plan: 'Part B',
          zip_code: '94103',
        },
      ]);
      const pay = await wh.all(
        'SELECT payment_id, payer, payment_date::VARCHAR AS d, payment_amount::DOUBLE AS amount FROM input.payment',
      );
      expect(plain(pay)).toEqual([
        {
          payment_id: 'carrier--10000000000001:payer',
          payer: 'Centers for Medicare and Medicaid Services',
          d: '2024-02-16',
          amount: 74,
        },
      ]);
    });
  });
});
