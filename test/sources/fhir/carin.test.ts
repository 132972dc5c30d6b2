// The FHIR adapter on the hand-made fixtures: test/fixtures/fhir-carin-bb (three CARIN Blue Button
// EOBs with ICD-10-CM, CPT, NPIs, an NDC fill, a denied line with its CARC, a Claim with its
// submission date) and test/fixtures/fhir-bundle (a searchset Bundle with urn:uuid references).
// Every expected value below is written in the fixture files themselves (see their SOURCE.md).
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.ts';
import { KPI_DOMAINS } from '../../../src/services/domains.ts';
import { runKpiDomain } from '../../../src/services/kpi.ts';
import { buildProduct } from '../../../src/services/pipeline.ts';
import { recognize, type SourceLoadReport } from '../../../src/sources/index.ts';
import { fixture, loadFixture, plain, tableCounts, withWarehouse } from './helpers.ts';

const SRC = 'fhir/ExplanationOfBenefit.ndjson';

describe('FHIR adapter on hand-made CARIN Blue Button EOBs', () => {
  let warehouse: string;
  let report: SourceLoadReport;

  beforeAll(async () => {
    ({ warehouse, report } = await loadFixture('fhir-carin-bb'));
  });

  it('loads every table without quarantine', () => {
    expect(report.source?.tables).toEqual({
      eligibility: 2,
      payer: 2,
      provider: 5,
      medical_claim: 4,
      pharmacy_claim: 1,
      claim_adjustment: 5,
      payment: 3,
    });
    expect(report.load.rowsQuarantined).toBe(0);
    expect(tableCounts(report).medical_claim).toEqual({ loaded: 4, quarantined: 0 });
  });

  it('maps the professional EOB: ICD-10 diagnoses, CPT, NPIs, the denied line, submission and prior auth', async () => {
    const rows = await withWarehouse(warehouse, (wh) =>
      wh.all(
        `SELECT claim_id, claim_line_number, claim_type, person_id, member_id, payer, plan, claim_start_date::VARCHAR AS start,
           place_of_service_code, hcpcs_code, hcpcs_modifier_1, rendering_npi, billing_npi, facility_npi,
           paid_date::VARCHAR AS paid_date, paid_amount::DOUBLE AS paid, allowed_amount::DOUBLE AS allowed,
           charge_amount::DOUBLE AS charge, coinsurance_amount::DOUBLE AS coinsurance, diagnosis_code_type,
           diagnosis_code_1, diagnosis_code_2, diagnosis_code_3, in_network_flag, claim_status,
           submission_date::VARCHAR AS submitted, prior_authorization_number, data_source
         FROM input.medical_claim WHERE claim_id = 'eob-prof-1' ORDER BY claim_line_number`,
      ),
    );
    const header = {
      claim_id: 'eob-prof-1',
      claim_type: 'professional',
      person_id: 'bb-pat-1',
      member_id: 'MB100001',
      payer: 'Acme Health Plan',
      plan: 'Acme Gold PPO',
      start: '2024-03-04',
      place_of_service_code: '11',
      rendering_npi: '1234567893',
      billing_npi: '1987654328',
      paid_date: '2024-03-20',
      diagnosis_code_type: 'icd-10-cm',
      diagnosis_code_1: 'E11.9',
      diagnosis_code_2: 'I10',
      in_network_flag: true,
      submitted: '2024-03-06',
      prior_authorization_number: 'PA-778812',
      data_source: SRC,
    };
    expect(plain(rows)).toEqual([
      {
        ...header,
        claim_line_number: 1,
        hcpcs_code: '99214',
        hcpcs_modifier_1: '25',
        paid: 144,
        allowed: 180,
        charge: 250,
        coinsurance: 36,
        claim_status: 'paid',
      },
      { ...header, claim_line_number: 2, hcpcs_code: '80053', paid: 0, charge: 90, claim_status: 'denied' },
    ]);
  });

  it('maps the inpatient EOB: admission, bill type, DRG, POA, ICD-10-PCS, revenue codes, facility', async () => {
    const rows = await withWarehouse(warehouse, (wh) =>
      wh.all(
        `SELECT claim_line_number, claim_type, payer, plan, admission_date::VARCHAR AS admitted,
           discharge_date::VARCHAR AS discharged, admit_source_code, admit_type_code, discharge_disposition_code,
           bill_type_code, drg_code_type, drg_code, revenue_center_code, service_unit_quantity::DOUBLE AS units,
           facility_npi, billing_npi, rendering_npi, paid_amount::DOUBLE AS paid, allowed_amount::DOUBLE AS allowed,
           charge_amount::DOUBLE AS charge, deductible_amount::DOUBLE AS deductible, diagnosis_code_1,
           diagnosis_code_2, diagnosis_code_3, diagnosis_poa_1, diagnosis_poa_2, diagnosis_poa_3,
           procedure_code_type, procedure_code_1, procedure_date_1::VARCHAR AS procedure_date_1, claim_status,
           submission_date::VARCHAR AS submitted
         FROM input.medical_claim WHERE claim_id = 'eob-inp-1' ORDER BY claim_line_number`,
      ),
    );
    const header = {
      claim_type: 'institutional',
      payer: 'Medicare',
      plan: 'Part A',
      admitted: '2024-05-01',
      discharged: '2024-05-05',
      admit_source_code: '1',
      admit_type_code: '1',
      discharge_disposition_code: '01',
      bill_type_code: '0111',
      drg_code_type: 'ms-drg',
      drg_code: '871',
      facility_npi: '1456789019',
      billing_npi: '1456789019',
      rendering_npi: '1234567893',
      diagnosis_code_1: 'A41.9',
      diagnosis_code_2: 'N17.9',
      diagnosis_code_3: 'E11.9',
      diagnosis_poa_1: 'Y',
      diagnosis_poa_2: 'N',
      diagnosis_poa_3: 'Y',
      procedure_code_type: 'icd-10-pcs',
      procedure_code_1: '5A1955Z',
      procedure_date_1: '2024-05-02',
      claim_status: 'paid',
      // supportingInfo clmrecvddate, the date the payer received the claim
      submitted: '2024-05-09',
    };
    expect(plain(rows)).toEqual([
      {
        ...header,
        claim_line_number: 1,
        revenue_center_code: '0120',
        units: 4,
        paid: 5800,
        allowed: 6200,
        charge: 8000,
        deductible: 400,
      },
      {
        ...header,
        claim_line_number: 2,
        revenue_center_code: '0250',
        units: 1,
        paid: 900,
        allowed: 900,
        charge: 1200,
      },
    ]);
  });

  it('writes the CARC reasons as claim adjustments, the denied line with CARC 50', async () => {
    const rows = await withWarehouse(warehouse, (wh) =>
      wh.all(
        `SELECT claim_id, claim_line_number, remit_date::VARCHAR AS remit_date, adjustment_sequence, payer,
           adjustment_group_code, carc_code, adjustment_amount::DOUBLE AS amount
         FROM input.claim_adjustment ORDER BY claim_id DESC, claim_line_number, adjustment_sequence`,
      ),
    );
    expect(plain(rows)).toEqual([
      {
        claim_id: 'eob-prof-1',
        claim_line_number: 1,
        remit_date: '2024-03-20',
        adjustment_sequence: 1,
        payer: 'Acme Health Plan',
        adjustment_group_code: 'CO',
        carc_code: '45',
        amount: 70,
      },
      {
        claim_id: 'eob-prof-1',
        claim_line_number: 2,
        remit_date: '2024-03-20',
        adjustment_sequence: 1,
        payer: 'Acme Health Plan',
        adjustment_group_code: 'CO',
        carc_code: '50',
        amount: 90,
      },
      {
        claim_id: 'eob-inp-1',
        claim_line_number: 1,
        remit_date: '2024-06-02',
        adjustment_sequence: 1,
        payer: 'Medicare',
        adjustment_group_code: 'PR',
        carc_code: '1',
        amount: 400,
      },
      {
        claim_id: 'eob-inp-1',
        claim_line_number: 1,
        remit_date: '2024-06-02',
        adjustment_sequence: 2,
        payer: 'Medicare',
        adjustment_group_code: 'CO',
        carc_code: '45',
        amount: 1800,
      },
      {
        claim_id: 'eob-inp-1',
        claim_line_number: 2,
        remit_date: '2024-06-02',
        adjustment_sequence: 1,
        payer: 'Medicare',
        adjustment_group_code: 'CO',
        carc_code: '45',
        amount: 300,
      },
    ]);
  });

  it('maps the pharmacy EOB to one NDC fill with days supply and refills', async () => {
    const rows = await withWarehouse(warehouse, (wh) =>
      wh.all(
        `SELECT claim_id, claim_line_number, person_id, member_id, payer, plan, prescribing_provider_npi,
           dispensing_provider_npi, dispensing_date::VARCHAR AS dispensed, ndc_code, quantity::DOUBLE AS quantity,
           days_supply, refills, paid_date::VARCHAR AS paid_date, paid_amount::DOUBLE AS paid,
           allowed_amount::DOUBLE AS allowed, charge_amount::DOUBLE AS charge, copayment_amount::DOUBLE AS copay,
           claim_status
         FROM input.pharmacy_claim`,
      ),
    );
    expect(plain(rows)).toEqual([
      {
        claim_id: 'eob-rx-1',
        claim_line_number: 1,
        person_id: 'bb-pat-1',
        member_id: 'MB100001',
        payer: 'Acme Health Plan',
        plan: 'Acme Gold PPO',
        prescribing_provider_npi: '1345678902',
        dispensing_provider_npi: '1678901236',
        dispensed: '2024-03-10',
        ndc_code: '00002821501',
        quantity: 15,
        days_supply: 30,
        refills: 2,
        paid_date: '2024-03-11',
        paid: 275,
        allowed: 300,
        charge: 320.5,
        copay: 25,
        claim_status: 'paid',
      },
    ]);
  });

  it('writes payer and patient payments, eligibility, payers and providers', async () => {
    await withWarehouse(warehouse, async (wh) => {
      const pay = await wh.all(
        `SELECT payment_id, claim_id, person_id, payer, payment_source, payment_date::VARCHAR AS payment_date,
           payment_amount::DOUBLE AS amount, trace_number FROM input.payment ORDER BY payment_id`,
      );
      expect(plain(pay)).toEqual([
        {
          payment_id: 'eob-inp-1:payer',
          claim_id: 'eob-inp-1',
          person_id: 'bb-pat-2',
          payer: 'Medicare',
          payment_source: 'payer',
          payment_date: '2024-06-02',
          amount: 6700,
        },
        {
          payment_id: 'eob-prof-1:patient',
          claim_id: 'eob-prof-1',
          person_id: 'bb-pat-1',
          payment_source: 'patient',
          payment_date: '2024-03-04',
          amount: 36,
        },
        {
          payment_id: 'eob-prof-1:payer',
          claim_id: 'eob-prof-1',
          person_id: 'bb-pat-1',
          payer: 'Acme Health Plan',
          payment_source: 'payer',
          payment_date: '2024-03-20',
          amount: 144,
          trace_number: 'EFT-000123',
        },
      ]);
      const elig = await wh.all(
        `SELECT person_id, member_id, subscriber_id, gender, birth_date::VARCHAR AS born,
           enrollment_start_date::VARCHAR AS start, enrollment_end_date::VARCHAR AS "end", payer, payer_type, plan,
           subscriber_relation, state, zip_code FROM input.eligibility ORDER BY person_id`,
      );
      // cov-2 has no period.end: it is closed at the latest date of the export, eob-inp-1's created 2024-06-03.
      expect(plain(elig)).toEqual([
        {
          person_id: 'bb-pat-1',
          member_id: 'MB100001',
          subscriber_id: 'SUB100001',
          gender: 'female',
          born: '1961-07-14',
          start: '2024-01-01',
          end: '2024-12-31',
          payer: 'Acme Health Plan',
          payer_type: 'commercial',
          plan: 'Acme Gold PPO',
          subscriber_relation: 'self',
          state: 'MA',
          zip_code: '02139',
        },
        {
          person_id: 'bb-pat-2',
          member_id: '1EG4TE5MK73',
          subscriber_id: '1EG4TE5MK73',
          gender: 'male',
          born: '1948-02-02',
          start: '2013-02-01',
          end: '2024-06-03',
          payer: 'Medicare',
          payer_type: 'medicare',
          plan: 'Part A',
          subscriber_relation: 'self',
          state: 'NY',
          zip_code: '10027',
        },
      ]);
      const payers = await wh.all('SELECT payer, payer_id, payer_type FROM input.payer ORDER BY payer');
      expect(plain(payers)).toEqual([
        { payer: 'Acme Health Plan', payer_id: 'ACME1', payer_type: 'commercial' },
        { payer: 'Medicare', payer_id: 'CMS', payer_type: 'medicare' },
      ]);
      const providers = await wh.all(
        'SELECT npi, entity_type, provider_name FROM input.provider ORDER BY npi',
      );
      expect(plain(providers)).toEqual([
        { npi: '1234567893', entity_type: 'individual', provider_name: 'Alice Doctor' },
        { npi: '1345678902', entity_type: 'individual', provider_name: 'Bob Prescriber' },
        { npi: '1456789019', entity_type: 'organization', provider_name: 'Example General Hospital' },
        { npi: '1678901236', entity_type: 'organization', provider_name: 'Example Pharmacy' },
        { npi: '1987654328', entity_type: 'organization', provider_name: 'Example Family Clinic' },
      ]);
    });
  });

  it('declares only the gaps this export really has', () => {
    expect((report.source?.gaps ?? []).map((g) => g.capability).sort()).toEqual([
      'ehr_encounters',
      'finance_ledger',
    ]);
    expect(report.source?.warnings).toEqual([
      '1 Coverage resources have no period.end: closed at the latest date the export knows (EOB written, paid or served)',
    ]);
  });

  it('builds the product and runs every KPI domain on it', async () => {
    const config = loadConfig();
    await buildProduct(warehouse, { config });
    await withWarehouse(warehouse, async (wh) => {
      for (const domain of KPI_DOMAINS) {
        try {
          const result = await runKpiDomain(domain, wh, {}, config);
          expect(result.domain).toBe(domain.name);
        } catch (err) {
          // The one fill (an insulin NDC) is in no PQA class, and the adherence domain answers that
          // with a UsageError instead of "not available" (reported to the adherence owners).
          expect(domain.name).toBe('adherence');
          expect((err as Error).message).toMatch(/^no member is measured for PDC/);
        }
      }
    });
  }, 120_000);
});

describe('FHIR adapter on a searchset Bundle', () => {
  it('is recognized from the Bundle and resolves urn:uuid references', async () => {
    const found = recognize(fixture('fhir-bundle'), 'auto');
    expect(found.kind === 'source' && found.adapter.format).toBe('fhir');
    const { warehouse, report } = await loadFixture('fhir-bundle', 'auto');
    expect(report.source?.tables).toEqual({ eligibility: 1, payer: 1, medical_claim: 3, payment: 2 });
    expect((report.source?.gaps ?? []).map((g) => g.capability).sort()).toEqual([
      'adjustment_reasons',
      'claim_status',
      'ehr_encounters',
      'finance_ledger',
      'patient_responsibility',
      'pharmacy_claims',
      'prior_authorization',
      'submission_dates',
    ]);
    expect(report.load.rowsQuarantined).toBe(0);
    expect(report.source?.warnings).toEqual(['skipped: 1 Observation resources (not mapped)']);
    const rows = await withWarehouse(warehouse, (wh) =>
      wh.all(
        `SELECT claim_id, claim_line_number, person_id, member_id, payer, plan, hcpcs_code, rendering_npi,
           diagnosis_code_1, diagnosis_code_2, charge_amount::DOUBLE AS charge, allowed_amount::DOUBLE AS allowed,
           paid_amount::DOUBLE AS paid, paid_date::VARCHAR AS paid_date, data_source
         FROM input.medical_claim ORDER BY claim_id, claim_line_number`,
      ),
    );
    const who = {
      person_id: 'bundle-pat-1',
      member_id: 'IL-000777',
      payer: 'Prairie Medicaid Plan',
      plan: 'Prairie Standard',
      rendering_npi: '1234567893',
      data_source: 'fhir/searchset.json',
    };
    expect(plain(rows)).toEqual([
      {
        ...who,
        claim_id: 'bundle-eob-1',
        claim_line_number: 1,
        hcpcs_code: '99213',
        diagnosis_code_1: 'J06.9',
        charge: 180,
        allowed: 95.5,
        paid: 95.5,
        paid_date: '2023-10-02',
      },
      {
        ...who,
        claim_id: 'bundle-eob-1',
        claim_line_number: 2,
        hcpcs_code: 'G0444',
        diagnosis_code_1: 'J06.9',
        charge: 40,
        allowed: 20,
        paid: 20,
        paid_date: '2023-10-02',
      },
      {
        ...who,
        claim_id: 'bundle-eob-2',
        claim_line_number: 1,
        hcpcs_code: '99395',
        diagnosis_code_1: 'Z00.00',
        diagnosis_code_2: 'E66.9',
        charge: 260,
        allowed: 150,
        paid: 150,
        paid_date: '2024-02-09',
      },
    ]);
    const elig = await withWarehouse(warehouse, (wh) =>
      wh.all('SELECT person_id, payer, payer_type, plan FROM input.eligibility'),
    );
    expect(plain(elig)).toEqual([
      {
        person_id: 'bundle-pat-1',
        payer: 'Prairie Medicaid Plan',
        payer_type: 'medicaid',
        plan: 'Prairie Standard',
      },
    ]);
  });
});
