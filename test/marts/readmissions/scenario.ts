// The hand-made readmission book shared by the mart and service tests: one person per rule, with
// the expected outcome of each encounter written next to its rows.
import type { InputTables } from '../../helpers/warehouse.ts';
import { fill, member, stay, visit } from './fixture.ts';

export const H1 = '1000000001';
export const H2 = '1000000002';

export const scenario: InputTables = {
  provider: [
    { npi: H1, entity_type: 'organization', provider_name: 'General Hospital', provider_type: 'hospital' },
    { npi: H2, entity_type: 'organization', provider_name: 'University Hospital', provider_type: 'hospital' },
  ],
  area_deprivation: [{ zip_code: '10001', adi_national_percentile: 80 }],
  eligibility: ['p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7', 'p8', 'p9']
    .map((p) => member(p))
    .concat([
      member('p6', {
        death_date: '2024-07-10',
        enrollment_end_date: '2024-07-10',
        enrollment_start_date: '2024-01-01',
      }),
      member('p10', { birth_date: '1994-05-05' }),
      member('p11', { enrollment_end_date: '2024-06-15' }),
    ]),
  medical_claim: [
    // p1: transfer chain. General Hospital 03-01..03-05 discharges to another acute hospital (02),
    // University Hospital admits the same day: one encounter, discharged by University Hospital,
    // index eligible, not readmitted. Paid 10000 + 8000 + the hospitalist's 300 (POS 21).
    stay('c1a', 'p1', '2024-03-01', '2024-03-05', 'I5023', 10000, { discharge_disposition_code: '02' }),
    stay('c1b', 'p1', '2024-03-05', '2024-03-10', 'I5023', 8000, { facility_npi: H2 }),
    visit('v1', 'p1', '2024-03-06', { place_of_service_code: '21', hcpcs_code: '99232', paid_amount: 300 }),
    // p2: AMI index (04-01..04-04) readmitted on day 16 for a knee replacement (DRG 470, osteoarthritis:
    // potentially planned without an acute diagnosis, so planned): no unplanned outcome for the AMI
    // stay. The knee stay is itself an index: pneumonia (PQI 11) 6 days after it is unplanned and
    // preventable (no follow-up visit either). The pneumonia stay is an index without readmission.
    stay('c2a', 'p2', '2024-04-01', '2024-04-04', 'I214', 12000),
    stay('c2b', 'p2', '2024-04-20', '2024-04-22', 'M1711', 20000, { drg_code: '470' }),
    stay('c2c', 'p2', '2024-04-28', '2024-04-30', 'J189', 5000),
    // p3: COPD index discharged 05-03, readmitted on day 30 (06-02) for COPD (PQI 05, age 74):
    // counts, preventable by diagnosis although the follow-up visit on 05-06 happened.
    stay('c3a', 'p3', '2024-05-01', '2024-05-03', 'J441', 6000),
    visit('v3', 'p3', '2024-05-06'),
    stay('c3b', 'p3', '2024-06-02', '2024-06-04', 'J441', 7000),
    // p4: the same, but the next admission is on day 31 (06-03): not a readmission.
    stay('c4a', 'p4', '2024-05-01', '2024-05-03', 'J441', 6000),
    stay('c4b', 'p4', '2024-06-03', '2024-06-05', 'J441', 7000),
    // p5: discharged 12-10; the data end 12-31 (p5's visit), less than 30 days later: excluded.
    stay('c5', 'p5', '2024-12-05', '2024-12-10', 'I5023', 9000),
    visit('v5', 'p5', '2024-12-31'),
    // p6: died in hospital (20): excluded.
    stay('c6', 'p6', '2024-07-01', '2024-07-10', 'A419', 30000, { discharge_disposition_code: '20' }),
    // p7: left against medical advice (07): excluded.
    stay('c7', 'p7', '2024-07-01', '2024-07-02', 'R079', 4000, { discharge_disposition_code: '07' }),
    // p8: AMI index 08-01..08-05, follow-up visit 08-08, GI bleed readmission on day 15 (not a PQI):
    // unplanned, not preventable. The readmission is an index without readmission.
    stay('c8a', 'p8', '2024-08-01', '2024-08-05', 'I214', 15000),
    visit('v8', 'p8', '2024-08-08'),
    stay('c8b', 'p8', '2024-08-20', '2024-08-23', 'K922', 9000),
    // p9: stroke index 09-01..09-03, GI bleed readmission on day 7 with no visit before it: unplanned
    // and preventable (no follow-up). The visit on 09-20 comes after the readmission.
    stay('c9a', 'p9', '2024-09-01', '2024-09-03', 'I639', 14000),
    stay('c9b', 'p9', '2024-09-10', '2024-09-12', 'K922', 11000),
    visit('v9', 'p9', '2024-09-20'),
    // p10: delivery (O80): obstetric stays are not index admissions (HEDIS PCR).
    stay('c10', 'p10', '2024-03-01', '2024-03-03', 'O80', 8000),
    // p11: disenrolled 06-15, 12 days after discharge: follow-up incomplete.
    stay('c11', 'p11', '2024-06-01', '2024-06-03', 'I5023', 9000),
  ],
  // p3 filled a statin twice in 2023 (30 days each): PDC 60 / 365, below 80% in the year before
  // its 2024 discharges.
  pharmacy_claim: [
    fill('rx1', 'p3', '2023-01-01', '63187019190', 30),
    fill('rx2', 'p3', '2023-03-01', '63187019190', 30),
  ],
};
