// Every quality check on a tiny hand-made input: the failing and checked counts are worked out by
// hand in the comments, and a clean input that gives each check something to check passes them all.
import { afterEach, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../src/engine/duckdb.ts';
import { QUALITY_CHECKS, qualityCheck } from '../../src/quality/checks.ts';
import { runCheck, runChecks } from '../../src/quality/runner.ts';
import { insert, mc, openFixture, type Rows } from './fixture.ts';

interface Case {
  check: string;
  rows: Rows;
  failing: number;
  checked: number;
  /** Expected example locations; by default only their number (min(failing, 5)) is checked. */
  examples?: string[];
}

const CASES: Case[] = [
  {
    // C2 ends the day before it starts; C1 and C3 (one-day) are fine.
    check: 'claim_end_before_start',
    rows: {
      medical_claim: [
        mc('C1', {}),
        mc('C2', { claim_start_date: '2024-03-10', claim_end_date: '2024-03-09' }),
        mc('C3', {}),
      ],
    },
    failing: 1,
    checked: 3,
    examples: ['medical_claim.csv:3'],
  },
  {
    // Only C2 and C3 have both dates; C3 is discharged before admission.
    check: 'discharge_before_admission',
    rows: {
      medical_claim: [
        mc('C1', {}),
        mc('C2', { admission_date: '2024-03-01', discharge_date: '2024-03-05' }),
        mc('C3', { admission_date: '2024-03-05', discharge_date: '2024-03-01' }),
        mc('C4', { admission_date: '2024-03-05' }),
      ],
    },
    failing: 1,
    checked: 2,
    examples: ['medical_claim.csv:4'],
  },
  {
    // Claim 03-10..03-12. Lines 2 (starts 03-09), 3 (ends 03-13), 4 (ends before it starts) fail;
    // line 5 has no line dates and is not checked.
    check: 'line_dates_outside_claim',
    rows: {
      medical_claim: [
        ['2024-03-10', '2024-03-10'],
        ['2024-03-09', '2024-03-10'],
        ['2024-03-12', '2024-03-13'],
        ['2024-03-12', '2024-03-11'],
        [null, null],
      ].map(([s, e], i) =>
        mc('C1', {
          claim_line_number: i + 1,
          claim_start_date: '2024-03-10',
          claim_end_date: '2024-03-12',
          claim_line_start_date: s ?? null,
          claim_line_end_date: e ?? null,
        }),
      ),
    },
    failing: 3,
    checked: 4,
    examples: ['medical_claim.csv:3', 'medical_claim.csv:4', 'medical_claim.csv:5'],
  },
  {
    // 120 > 100 fails; 100 = 100 passes; no allowed amount is not checked.
    check: 'paid_exceeds_allowed',
    rows: {
      medical_claim: [
        mc('C1', { paid_amount: 80, allowed_amount: 100 }),
        mc('C2', { paid_amount: 120, allowed_amount: 100 }),
        mc('C3', { paid_amount: 100, allowed_amount: 100 }),
        mc('C4', { allowed_amount: null }),
      ],
    },
    failing: 1,
    checked: 3,
  },
  {
    check: 'allowed_exceeds_charge',
    rows: {
      medical_claim: [
        mc('C1', { allowed_amount: 100, charge_amount: 150 }),
        mc('C2', { allowed_amount: 200, charge_amount: 150 }),
        mc('C3', { allowed_amount: null }),
      ],
    },
    failing: 1,
    checked: 2,
  },
  {
    // Paid -10 and partially paid -5 fail; the reversed line is out of scope.
    check: 'negative_paid_on_paid_line',
    rows: {
      medical_claim: [
        mc('C1', { claim_status: 'paid', paid_amount: 80 }),
        mc('C2', { claim_status: 'paid', paid_amount: -10 }),
        mc('C3', { claim_status: 'partially_paid', paid_amount: -5 }),
        mc('C4', { claim_status: 'reversed', paid_amount: -80 }),
      ],
    },
    failing: 2,
    checked: 3,
  },
  {
    check: 'denied_line_paid',
    rows: {
      medical_claim: [
        mc('C1', { claim_status: 'denied', paid_amount: 0 }),
        mc('C2', { claim_status: 'denied', paid_amount: 25 }),
        mc('C3', { claim_status: 'paid', paid_amount: 25 }),
      ],
    },
    failing: 1,
    checked: 2,
  },
  {
    check: 'paid_before_service',
    rows: {
      medical_claim: [
        mc('C1', { paid_date: '2024-04-01' }),
        mc('C2', { paid_date: '2024-03-09' }),
        mc('C3', { paid_date: null }),
      ],
    },
    failing: 1,
    checked: 2,
  },
  {
    // Service 03-10..03-12: submitted 03-11 is before the last service; 03-12 is fine.
    check: 'submitted_before_service',
    rows: {
      medical_claim: [
        mc('C1', { claim_end_date: '2024-03-12', submission_date: '2024-03-11' }),
        mc('C2', { claim_end_date: '2024-03-12', submission_date: '2024-03-12' }),
        mc('C3', { submission_date: null }),
      ],
    },
    failing: 1,
    checked: 2,
  },
  {
    check: 'paid_before_submission',
    rows: {
      medical_claim: [
        mc('C1', { submission_date: '2024-03-15', paid_date: '2024-04-01' }),
        mc('C2', { submission_date: '2024-03-15', paid_date: '2024-03-14' }),
        mc('C3', { submission_date: null }),
      ],
    },
    failing: 1,
    checked: 2,
  },
  {
    // Paid and partially paid lines without a paid date fail; the denied one is out of scope.
    check: 'paid_line_without_paid_date',
    rows: {
      medical_claim: [
        mc('C1', {}),
        mc('C2', { paid_date: null }),
        mc('C3', { claim_status: 'partially_paid', paid_date: null }),
        mc('C4', { claim_status: 'denied', paid_amount: 0, paid_date: null }),
      ],
    },
    failing: 2,
    checked: 3,
  },
  {
    check: 'institutional_without_bill_type',
    rows: {
      medical_claim: [
        mc('C1', { claim_type: 'institutional', bill_type_code: '0111' }),
        mc('C2', { claim_type: 'institutional', bill_type_code: null }),
        mc('C3', { claim_type: 'professional', bill_type_code: null }),
      ],
    },
    failing: 1,
    checked: 2,
  },
  {
    check: 'professional_without_place_of_service',
    rows: {
      medical_claim: [
        mc('C1', {}),
        mc('C2', { place_of_service_code: null }),
        mc('C3', { claim_type: 'institutional', place_of_service_code: null }),
      ],
    },
    failing: 1,
    checked: 2,
  },
  {
    // Type of bill 0111 and 111 are inpatient (11x); 0131 (outpatient) and professional lines are not.
    check: 'inpatient_without_admission_date',
    rows: {
      medical_claim: [
        mc('C1', { claim_type: 'institutional', bill_type_code: '0111', admission_date: '2024-03-10' }),
        mc('C2', { claim_type: 'institutional', bill_type_code: '111' }),
        mc('C3', { claim_type: 'institutional', bill_type_code: '0131' }),
        mc('C4', {}),
      ],
    },
    failing: 1,
    checked: 2,
    examples: ['medical_claim.csv:3'],
  },
  {
    // C2 lines disagree on person, C3 lines on payer: all four of their lines fail; C1 is consistent.
    check: 'header_inconsistent_across_lines',
    rows: {
      medical_claim: [
        mc('C1', { claim_line_number: 1 }),
        mc('C1', { claim_line_number: 2 }),
        mc('C2', { claim_line_number: 1 }),
        mc('C2', { claim_line_number: 2, person_id: 'P2' }),
        mc('C3', { claim_line_number: 1 }),
        mc('C3', { claim_line_number: 2, payer: 'Beta' }),
      ],
    },
    failing: 4,
    checked: 6,
    examples: ['medical_claim.csv:4', 'medical_claim.csv:5', 'medical_claim.csv:6', 'medical_claim.csv:7'],
  },
  {
    // C1 line 1 and C2 repeat each other (P1, 03-10, 99213, $150, same billing NPI): 2 failing.
    // C3 is the same but reversed (not checked); C4 has another billing NPI; C5 another charge;
    // C6 repeats a line within one claim (not a cross-claim duplicate).
    // Checked: lines not reversed with a HCPCS code = C1x2, C2, C4, C5, C6x2 = 7.
    check: 'duplicate_claim_line',
    rows: {
      medical_claim: [
        mc('C1', { claim_line_number: 1 }),
        mc('C1', { claim_line_number: 2, hcpcs_code: '99214' }),
        mc('C2', {}),
        mc('C3', { claim_status: 'reversed' }),
        mc('C4', { billing_npi: '1234567893' }),
        mc('C5', { charge_amount: 160 }),
        mc('C6', { claim_line_number: 1, person_id: 'P3' }),
        mc('C6', { claim_line_number: 2, person_id: 'P3' }),
      ],
    },
    failing: 2,
    checked: 7,
    examples: ['medical_claim.csv:2', 'medical_claim.csv:4'],
  },
  {
    check: 'claim_person_not_enrolled',
    rows: { eligibility: [{}], medical_claim: [mc('C1', {}), mc('C2', { person_id: 'P9' })] },
    failing: 1,
    checked: 2,
    examples: ['medical_claim.csv:3'],
  },
  {
    // P1: Acme Jan-Jun, Beta Jul-Dec. Acme on 08-01 is outside its Acme span; Beta 08-01 and the
    // boundary day 06-30 are covered; P9 is not enrolled at all (another check), so not checked.
    check: 'service_outside_eligibility',
    rows: {
      eligibility: [
        { enrollment_end_date: '2024-06-30' },
        { payer: 'Beta', enrollment_start_date: '2024-07-01', enrollment_end_date: '2024-12-31' },
      ],
      medical_claim: [
        mc('C1', {}),
        mc('C2', { claim_start_date: '2024-08-01', claim_end_date: '2024-08-01' }),
        mc('C3', { payer: 'Beta', claim_start_date: '2024-08-01', claim_end_date: '2024-08-01' }),
        mc('C4', { claim_start_date: '2024-06-30', claim_end_date: '2024-06-30' }),
        mc('C5', { person_id: 'P9' }),
      ],
    },
    failing: 1,
    checked: 4,
    examples: ['medical_claim.csv:3'],
  },
  {
    // P1 born 2024-02-01: a claim on 01-15 fails, 02-01 passes. P3's spans disagree (03-01 and
    // 01-01): the earliest counts, so 02-15 passes. P9 is not enrolled (not checked).
    check: 'birth_after_service',
    rows: {
      eligibility: [
        { birth_date: '2024-02-01' },
        { person_id: 'P2' },
        { person_id: 'P3', birth_date: '2024-03-01' },
        { person_id: 'P3', birth_date: '2024-01-01', plan: 'HMO' },
      ],
      medical_claim: [
        mc('C1', { claim_start_date: '2024-01-15', claim_end_date: '2024-01-15' }),
        mc('C2', { claim_start_date: '2024-02-01', claim_end_date: '2024-02-01' }),
        mc('C3', { person_id: 'P2' }),
        mc('C4', { person_id: 'P3', claim_start_date: '2024-02-15', claim_end_date: '2024-02-15' }),
        mc('C5', { person_id: 'P9' }),
      ],
    },
    failing: 1,
    checked: 4,
    examples: ['medical_claim.csv:2'],
  },
  {
    // P1 died 05-31: a claim that day passes, 06-01 fails. P2 has no death date (not checked).
    check: 'service_after_death',
    rows: {
      eligibility: [{ death_date: '2024-05-31' }, { person_id: 'P2' }],
      medical_claim: [
        mc('C1', { claim_start_date: '2024-05-31', claim_end_date: '2024-05-31' }),
        mc('C2', { claim_start_date: '2024-06-01', claim_end_date: '2024-06-01' }),
        mc('C3', { person_id: 'P2', claim_start_date: '2024-06-01', claim_end_date: '2024-06-01' }),
      ],
    },
    failing: 1,
    checked: 2,
    examples: ['medical_claim.csv:3'],
  },
  {
    check: 'claim_payer_unknown',
    rows: { payer: [{}], medical_claim: [mc('C1', {}), mc('C2', { payer: 'Beta' })] },
    failing: 1,
    checked: 2,
  },
  {
    check: 'rendering_npi_unknown',
    rows: {
      provider: [{}],
      medical_claim: [
        mc('C1', {}),
        mc('C2', { rendering_npi: '1245319599' }),
        mc('C3', { rendering_npi: null }),
      ],
    },
    failing: 1,
    checked: 2,
  },
  {
    // C1-1: 150 - 80 = 70 = 50 + 20 (balanced). C1-2: 100 - 60 = 40 but 30 adjusted (fails).
    // C2 denied: 200 - 0 = 200 adjusted (balanced). C3 pending and C4 without adjustments are not
    // checked; the claim-level (line 0) adjustment of C1 is not part of line balancing.
    check: 'adjustments_unbalanced',
    rows: {
      medical_claim: [
        mc('C1', { claim_line_number: 1 }),
        mc('C1', { claim_line_number: 2, charge_amount: 100, allowed_amount: 70, paid_amount: 60 }),
        mc('C2', { claim_status: 'denied', paid_amount: 0, charge_amount: 200, allowed_amount: 0 }),
        mc('C3', { claim_status: 'pending', paid_amount: 0 }),
        mc('C4', {}),
      ],
      claim_adjustment: [
        { claim_id: 'C1', claim_line_number: 1, adjustment_amount: 50 },
        {
          claim_id: 'C1',
          claim_line_number: 1,
          adjustment_sequence: 2,
          carc_code: '1',
          adjustment_amount: 20,
        },
        { claim_id: 'C1', claim_line_number: 2, adjustment_amount: 30 },
        { claim_id: 'C1', claim_line_number: 0, adjustment_amount: 10 },
        { claim_id: 'C2', claim_line_number: 1, carc_code: '45', adjustment_amount: 200 },
        { claim_id: 'C3', claim_line_number: 1, adjustment_amount: 5 },
      ],
    },
    failing: 1,
    checked: 3,
    examples: ['medical_claim.csv:3'],
  },
  {
    // Line 2 has Z999 in position 2, line 3 has XXX in position 25: both fail. E11.9 (with its
    // dot) and I10 are known; the ICD-9 line is not checked.
    check: 'unknown_icd10cm',
    rows: {
      medical_claim: [
        mc('C1', { diagnosis_code_1: 'E11.9' }),
        mc('C2', { diagnosis_code_1: 'E119', diagnosis_code_2: 'Z999' }),
        mc('C3', { diagnosis_code_1: 'I10', diagnosis_code_25: 'XXX' }),
        mc('C4', { diagnosis_code_type: 'icd-9-cm', diagnosis_code_1: '25000' }),
        mc('C5', { diagnosis_code_1: 'I10', diagnosis_code_2: 'E119' }),
      ],
    },
    failing: 2,
    checked: 4,
    examples: ['medical_claim.csv:3', 'medical_claim.csv:4'],
  },
  {
    // E11 is a header code (billable false): line 1 fails. Unknown Q999 is another check's
    // business; E11 as a secondary code is not checked; the ICD-9 line is out of scope.
    check: 'nonbillable_principal_diagnosis',
    rows: {
      medical_claim: [
        mc('C1', { diagnosis_code_1: 'E11' }),
        mc('C2', { diagnosis_code_1: 'E11.9' }),
        mc('C3', { diagnosis_code_1: 'Q999' }),
        mc('C4', { diagnosis_code_1: 'I10', diagnosis_code_2: 'E11' }),
        mc('C5', { diagnosis_code_type: 'icd-9-cm', diagnosis_code_1: 'E11' }),
      ],
    },
    failing: 1,
    checked: 4,
    examples: ['medical_claim.csv:2'],
  },
  {
    check: 'unknown_place_of_service',
    rows: {
      medical_claim: [
        mc('C1', {}),
        mc('C2', { place_of_service_code: '99' }),
        mc('C3', { place_of_service_code: null }),
      ],
    },
    failing: 1,
    checked: 2,
  },
  {
    // 0111 and 111 both match 111 (leading zero ignored); 0999 is unknown.
    check: 'unknown_bill_type',
    rows: {
      medical_claim: [
        mc('C1', { claim_type: 'institutional', bill_type_code: '0111' }),
        mc('C2', { claim_type: 'institutional', bill_type_code: '111' }),
        mc('C3', { claim_type: 'institutional', bill_type_code: '0999' }),
        mc('C4', {}),
      ],
    },
    failing: 1,
    checked: 3,
    examples: ['medical_claim.csv:4'],
  },
  {
    check: 'unknown_revenue_center',
    rows: {
      medical_claim: [
        mc('C1', { revenue_center_code: '0450' }),
        mc('C2', { revenue_center_code: '0999' }),
        mc('C3', {}),
      ],
    },
    failing: 1,
    checked: 2,
  },
  {
    // 999 without a code type is taken as MS-DRG and fails; the APR-DRG 999 is not checked.
    check: 'unknown_ms_drg',
    rows: {
      medical_claim: [
        mc('C1', { drg_code_type: 'ms-drg', drg_code: '470' }),
        mc('C2', { drg_code: '999' }),
        mc('C3', { drg_code_type: 'apr-drg', drg_code: '999' }),
        mc('C4', {}),
      ],
    },
    failing: 1,
    checked: 2,
  },
  {
    check: 'unknown_discharge_disposition',
    rows: {
      medical_claim: [
        mc('C1', { discharge_disposition_code: '01' }),
        mc('C2', { discharge_disposition_code: '99' }),
        mc('C3', {}),
      ],
    },
    failing: 1,
    checked: 2,
  },
  {
    // J1100 known, J9999 unknown; CPT 99213 and the CPT category II code 0001F are not checked.
    check: 'unknown_hcpcs_level2',
    rows: {
      medical_claim: [
        mc('C1', { hcpcs_code: 'J1100' }),
        mc('C2', { hcpcs_code: 'J9999' }),
        mc('C3', { hcpcs_code: '99213' }),
        mc('C4', { hcpcs_code: '0001F' }),
        mc('C5', { hcpcs_code: null }),
      ],
    },
    failing: 1,
    checked: 2,
  },
  {
    check: 'days_supply_over_90',
    rows: {
      pharmacy_claim: [30, 90, 91, 120].map((d, i) => ({ claim_id: `R${i + 1}`, days_supply: d })),
    },
    failing: 2,
    checked: 4,
    examples: ['pharmacy_claim.csv:4', 'pharmacy_claim.csv:5'],
  },
  {
    check: 'dispensing_after_death',
    rows: {
      eligibility: [{ death_date: '2024-05-31' }, { person_id: 'P2' }],
      pharmacy_claim: [
        { claim_id: 'R1', dispensing_date: '2024-05-31', paid_date: null },
        { claim_id: 'R2', dispensing_date: '2024-06-15', paid_date: null },
        { claim_id: 'R3', person_id: 'P2', dispensing_date: '2024-06-15', paid_date: null },
      ],
    },
    failing: 1,
    checked: 2,
    examples: ['pharmacy_claim.csv:3'],
  },
  {
    check: 'pharmacy_paid_before_dispensing',
    rows: {
      pharmacy_claim: [
        { claim_id: 'R1' },
        { claim_id: 'R2', paid_date: '2024-03-09' },
        { claim_id: 'R3', paid_date: null },
      ],
    },
    failing: 1,
    checked: 2,
  },
  {
    check: 'pharmacy_person_not_enrolled',
    rows: {
      eligibility: [{}],
      pharmacy_claim: [
        { claim_id: 'R1' },
        { claim_id: 'R2', person_id: 'P9' },
        { claim_id: 'R3', person_id: 'P9' },
      ],
    },
    failing: 2,
    checked: 3,
  },
  {
    check: 'enrollment_end_before_start',
    rows: {
      eligibility: [
        {},
        { enrollment_start_date: '2025-07-01', enrollment_end_date: '2025-06-30' },
        { enrollment_start_date: '2026-05-01', enrollment_end_date: '2026-05-01' },
      ],
    },
    failing: 1,
    checked: 3,
  },
  {
    // P1 Acme PPO Jan-Jun and Acme HMO Jun-Dec overlap in June: both fail. P1 Beta (another payer)
    // and P2's adjacent spans pass; P3's reversed span is not checked.
    check: 'overlapping_enrollment',
    rows: {
      eligibility: [
        { enrollment_end_date: '2024-06-30' },
        { plan: 'HMO', enrollment_start_date: '2024-06-01' },
        { payer: 'Beta', enrollment_start_date: '2024-03-01', enrollment_end_date: '2024-03-31' },
        { person_id: 'P2', enrollment_end_date: '2024-03-31' },
        { person_id: 'P2', enrollment_start_date: '2024-04-01' },
        { person_id: 'P3', enrollment_start_date: '2024-05-01', enrollment_end_date: '2024-04-01' },
      ],
    },
    failing: 2,
    checked: 5,
    examples: ['eligibility.csv:2', 'eligibility.csv:3'],
  },
  {
    // On 2024-01-01: born 1908-01-01 is 116 (fails); 1909-01-01 is 115 and 1908-01-02 is 115 for
    // one more day (both pass).
    check: 'age_over_115',
    rows: {
      eligibility: [
        { person_id: 'P1', birth_date: '1908-01-01' },
        { person_id: 'P2', birth_date: '1909-01-01' },
        { person_id: 'P3', birth_date: '1908-01-02' },
        { person_id: 'P4' },
      ],
    },
    failing: 1,
    checked: 4,
    examples: ['eligibility.csv:2'],
  },
  {
    check: 'death_before_birth',
    rows: {
      eligibility: [
        { person_id: 'P1' },
        { person_id: 'P2', birth_date: '1980-05-01', death_date: '1979-01-01' },
        { person_id: 'P3', death_date: '2024-01-01' },
      ],
    },
    failing: 1,
    checked: 2,
  },
  {
    // P2 (birth dates) and P3 (gender) have 2 spans each that disagree: 4 rows. P1 agrees; P4's
    // death date is on one span only, which is not a disagreement.
    check: 'demographics_inconsistent',
    rows: {
      eligibility: [
        { person_id: 'P1', plan: 'A' },
        { person_id: 'P1', plan: 'B' },
        { person_id: 'P2', plan: 'A' },
        { person_id: 'P2', plan: 'B', birth_date: '1981-05-01' },
        { person_id: 'P3', plan: 'A' },
        { person_id: 'P3', plan: 'B', gender: 'male' },
        { person_id: 'P4', plan: 'A' },
        { person_id: 'P4', plan: 'B', death_date: '2024-10-01' },
      ],
    },
    failing: 4,
    checked: 8,
  },
  {
    check: 'eligibility_payer_unknown',
    rows: { payer: [{}], eligibility: [{}, { payer: 'Beta' }] },
    failing: 1,
    checked: 2,
  },
  {
    check: 'encounter_end_before_start',
    rows: {
      encounter: [
        { encounter_id: 'E1' },
        { encounter_id: 'E2', encounter_end_date: '2024-03-12' },
        { encounter_id: 'E3', encounter_end_date: '2024-03-09' },
      ],
    },
    failing: 1,
    checked: 2,
  },
  {
    check: 'unknown_icd10cm_encounter',
    rows: {
      encounter: [
        { encounter_id: 'E1' },
        { encounter_id: 'E2', primary_diagnosis_code: 'Z999' },
        { encounter_id: 'E3', primary_diagnosis_code: null },
      ],
    },
    failing: 1,
    checked: 2,
  },
  {
    // C1 has lines 1 and 2. C1 line 3, C9 line 0 and C9 line 1 are unknown; C1 line 0 (claim level) is fine.
    check: 'adjustment_unknown_claim_line',
    rows: {
      medical_claim: [mc('C1', { claim_line_number: 1 }), mc('C1', { claim_line_number: 2 })],
      claim_adjustment: [
        { claim_id: 'C1', claim_line_number: 1 },
        { claim_id: 'C1', claim_line_number: 3 },
        { claim_id: 'C1', claim_line_number: 0 },
        { claim_id: 'C9', claim_line_number: 0 },
        { claim_id: 'C9', claim_line_number: 1 },
      ],
    },
    failing: 3,
    checked: 5,
    examples: ['claim_adjustment.csv:3', 'claim_adjustment.csv:5', 'claim_adjustment.csv:6'],
  },
  {
    // 42 and A2 are retired but in the list; 999 and ZZ are not codes at all.
    check: 'unknown_carc',
    rows: {
      claim_adjustment: ['45', '42', 'A2', '999', 'ZZ', '1'].map((code, i) => ({
        adjustment_sequence: i + 1,
        carc_code: code,
      })),
    },
    failing: 2,
    checked: 6,
    examples: ['claim_adjustment.csv:5', 'claim_adjustment.csv:6'],
  },
  {
    // 42 stopped 2007-06-30: used 2007-06-30 passes, 2024 fails. A2 is retired without a stop date
    // (fails); active 45 and unknown 999 (another check) pass.
    check: 'retired_carc',
    rows: {
      claim_adjustment: [
        { adjustment_sequence: 1, carc_code: '42', remit_date: '2007-06-30' },
        { adjustment_sequence: 2, carc_code: '42' },
        { adjustment_sequence: 3, carc_code: 'A2' },
        { adjustment_sequence: 4, carc_code: '45' },
        { adjustment_sequence: 5, carc_code: '999' },
      ],
    },
    failing: 2,
    checked: 5,
    examples: ['claim_adjustment.csv:3', 'claim_adjustment.csv:4'],
  },
  {
    // The patient payment on account (no claim) is not checked.
    check: 'payment_unknown_claim',
    rows: {
      medical_claim: [mc('C1', {})],
      payment: [
        { payment_id: 'PAY1' },
        { payment_id: 'PAY2', claim_id: 'C9' },
        { payment_id: 'PAY3', claim_id: null, payment_source: 'patient', payer: null },
      ],
    },
    failing: 1,
    checked: 2,
  },
  {
    // Paid: C1 80 + 20 = 100; C2 50; C3 70 (its reversed line of 30 left out); C4 40 (no payments).
    // Payer payments: C1 100 (balanced; the patient's 20 is not a payer payment), C2 30 + 30 = 60
    // (fails, example: its first payment), C3 70 (balanced), C9 unknown (not checked). Claims: 3.
    check: 'payer_payments_differ_from_paid',
    rows: {
      medical_claim: [
        mc('C1', { claim_line_number: 1 }),
        mc('C1', { claim_line_number: 2, paid_amount: 20 }),
        mc('C2', { paid_amount: 50 }),
        mc('C3', { claim_line_number: 1, paid_amount: 70 }),
        mc('C3', { claim_line_number: 2, paid_amount: 30, claim_status: 'reversed' }),
        mc('C4', { paid_amount: 40 }),
      ],
      payment: [
        { payment_id: 'PAY1', claim_id: 'C1', payment_amount: 100 },
        { payment_id: 'PAY2', claim_id: 'C1', payment_source: 'patient', payer: null, payment_amount: 20 },
        { payment_id: 'PAY3', claim_id: 'C2', payment_amount: 30 },
        { payment_id: 'PAY4', claim_id: 'C2', payment_amount: 30 },
        { payment_id: 'PAY5', claim_id: 'C3', payment_amount: 70 },
        { payment_id: 'PAY6', claim_id: 'C9', payment_amount: 10 },
      ],
    },
    failing: 1,
    checked: 3,
    examples: ['payment.csv:4'],
  },
  {
    check: 'ledger_payer_unknown',
    rows: { payer: [{}], finance_ledger: [{}, { payer: 'Beta' }] },
    failing: 1,
    checked: 2,
  },
];

/** NPI checks: the CMS example 1234567893 is valid, 1234567890 is not, and a blank is not checked. */
const NPI_CASES: Case[] = [
  ['invalid_rendering_npi', 'medical_claim', 'rendering_npi'],
  ['invalid_billing_npi', 'medical_claim', 'billing_npi'],
  ['invalid_facility_npi', 'medical_claim', 'facility_npi'],
  ['invalid_prescriber_npi', 'pharmacy_claim', 'prescribing_provider_npi'],
  ['invalid_pharmacy_npi', 'pharmacy_claim', 'dispensing_provider_npi'],
  ['invalid_encounter_facility_npi', 'encounter', 'facility_npi'],
  ['invalid_attending_npi', 'encounter', 'attending_npi'],
].map(([check, table, column]) => {
  const key = { medical_claim: 'claim_id', pharmacy_claim: 'claim_id', encounter: 'encounter_id' }[table!]!;
  return {
    check: check!,
    rows: {
      [table!]: ['1234567893', '1234567890', null].map((npi, i) => ({ [key]: `K${i}`, [column!]: npi })),
    },
    failing: 1,
    checked: 2,
    examples: [`${table}.csv:3`],
  };
});
NPI_CASES.push({
  check: 'invalid_provider_npi',
  rows: { provider: [{ npi: '1234567893' }, { npi: '1234567890' }, { npi: '1245319599' }] },
  failing: 1,
  checked: 3,
  examples: ['provider.csv:3'],
});

const ALL_CASES = [...CASES, ...NPI_CASES];

let wh: Warehouse | undefined;
afterEach(async () => {
  await wh?.close();
  wh = undefined;
});

describe('quality checks on hand-made inputs', () => {
  it('has a hand-made case for every declared check', () => {
    const covered = new Set(ALL_CASES.map((c) => c.check));
    expect(QUALITY_CHECKS.filter((c) => !covered.has(c.id)).map((c) => c.id)).toEqual([]);
    expect(new Set(QUALITY_CHECKS.map((c) => c.id)).size).toBe(QUALITY_CHECKS.length);
  });

  it.each(ALL_CASES.map((c) => [c.check, c] as const))('%s', async (_id, c) => {
    wh = await openFixture();
    await insert(wh, c.rows);
    const r = await runCheck(wh, qualityCheck(c.check));
    expect({ failing: r.failing_rows, checked: r.checked_rows, status: r.status }).toEqual({
      failing: c.failing,
      checked: c.checked,
      status: c.failing > 0 ? 'fail' : 'pass',
    });
    expect(r.failing_pct).toBeCloseTo(c.failing / c.checked, 10);
    if (c.examples) expect(r.examples).toEqual(c.examples);
    else expect(r.examples).toHaveLength(Math.min(c.failing, 5));
  });
});

describe('a clean input', () => {
  it('passes every check, and every check has rows to check', async () => {
    wh = await openFixture();
    await insert(wh, {
      payer: [{}],
      provider: [{}, { npi: '1245319599', entity_type: 'organization', provider_name: 'General Hospital' }],
      eligibility: [
        {},
        { person_id: 'P2', member_id: 'M2', birth_date: '1940-01-01', death_date: '2024-06-30' },
      ],
      medical_claim: [
        mc('C1', {}),
        // Inpatient stay of P2, two lines (room and a drug), balanced by one adjustment each.
        ...[1, 2].map((n) =>
          mc('C2', {
            claim_line_number: n,
            claim_type: 'institutional',
            person_id: 'P2',
            member_id: 'M2',
            claim_start_date: '2024-03-05',
            claim_end_date: '2024-03-09',
            claim_line_start_date: '2024-03-05',
            claim_line_end_date: '2024-03-09',
            admission_date: '2024-03-05',
            discharge_date: '2024-03-09',
            bill_type_code: '0111',
            revenue_center_code: n === 1 ? '0120' : '0450',
            hcpcs_code: n === 1 ? null : 'J1100',
            drg_code_type: 'ms-drg',
            drg_code: '470',
            discharge_disposition_code: '01',
            place_of_service_code: null,
            facility_npi: '1245319599',
            diagnosis_code_2: 'I10',
            paid_date: '2024-04-10',
            submission_date: '2024-03-20',
            charge_amount: 1000,
            allowed_amount: 600,
            paid_amount: 500,
          }),
        ),
        mc('C3', {
          person_id: 'P2',
          member_id: 'M2',
          claim_status: 'denied',
          paid_amount: 0,
          allowed_amount: 0,
        }),
      ],
      pharmacy_claim: [{}, { claim_id: 'R2', person_id: 'P2', member_id: 'M2' }],
      claim_adjustment: [
        {},
        { claim_id: 'C2', claim_line_number: 1, adjustment_amount: 500 },
        { claim_id: 'C2', claim_line_number: 2, adjustment_amount: 500 },
      ],
      payment: [{}, { payment_id: 'PAY2', claim_id: 'C2', person_id: 'P2', payment_amount: 1000 }],
      encounter: [
        {},
        {
          encounter_id: 'E2',
          person_id: 'P2',
          encounter_type: 'inpatient',
          encounter_start_date: '2024-03-05',
          encounter_end_date: '2024-03-09',
        },
      ],
      finance_ledger: [{}],
    });
    const results = await runChecks(wh);
    const notPassing = results
      .filter((r) => r.status !== 'pass' || r.checked_rows === 0)
      .map((r) => `${r.check_id}: ${r.status} ${r.failing_rows}/${r.checked_rows} ${r.skip_reason ?? ''}`);
    expect(notPassing).toEqual([]);
    expect(results).toHaveLength(QUALITY_CHECKS.length);
  });
});
