// Readmission marts on the hand-made book of scenario.ts: transfer chains, planned readmissions,
// the day-30/day-31 boundary, exclusions, the preventable proxy and the headline numbers, each
// worked out by hand in the comments.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../../src/engine/duckdb.ts';
import { parsePeriod } from '../../../src/services/period.ts';
import {
  readmissionSummary,
  readmissionsByDiagnosis,
  readmissionsByPayer,
  readmissionTrend,
} from '../../../src/services/readmissions.ts';
import { testWarehouse } from '../../helpers/warehouse.ts';
import { H2, scenario } from './scenario.ts';

let wh: Warehouse;

beforeAll(async () => {
  wh = await testWarehouse(scenario, {
    models: ['marts/readmissions/', 'marts.ml_readmission_features'],
    codesets: true,
  });
});

afterAll(async () => {
  await wh.close();
});

interface StayRow {
  person_id: string;
  admission_date: string;
  discharge_date: string;
  facility_npi: string;
  facility_name: string | null;
  transferred: boolean;
  paid_amount: number;
  planned: boolean;
  index_eligible: boolean;
  index_exclusion_reason: string | null;
  readmitted_30d: boolean;
  days_to_readmission: number | null;
  readmission_planned: boolean | null;
  unplanned_readmission_30d: boolean;
  readmission_pqi_measure: string | null;
  no_follow_up_before_readmission: boolean | null;
  preventable_readmission: boolean;
  readmission_paid: number | null;
}

async function stays(person: string): Promise<StayRow[]> {
  return wh.all<StayRow>('SELECT * FROM marts.readmission_stay WHERE person_id = ? ORDER BY admission_date', [
    person,
  ]);
}

describe('acute encounters', () => {
  it('chains a same-day transfer between hospitals into one encounter held by the discharging hospital', async () => {
    // c1a (General, 03-01..03-05, disposition 02) + c1b (University, 03-05..03-10): one encounter.
    // Paid: 10000 + 8000 facility + 300 hospitalist (POS 21 on 03-06) = 18300.
    const [e, ...rest] = await stays('p1');
    expect(rest).toEqual([]);
    expect(e).toMatchObject({
      admission_date: '2024-03-01',
      discharge_date: '2024-03-10',
      facility_npi: H2,
      facility_name: 'University Hospital',
      transferred: true,
      paid_amount: 18300,
      index_eligible: true,
      readmitted_30d: false,
    });
    const claims = await wh.all<{ facility_segment: number }>(
      "SELECT facility_segment FROM intermediate.inpatient_claim WHERE person_id = 'p1' ORDER BY admission_date",
    );
    expect(claims.map((c) => c.facility_segment)).toEqual([1, 2]);
  });
});

describe('index admissions and readmissions', () => {
  it('does not count a planned first readmission, and the planned stay is itself an index', async () => {
    const [ami, knee, pneumonia] = await stays('p2');
    // AMI 04-01..04-04, knee replacement 04-20 (day 16, DRG 470 + osteoarthritis: planned).
    expect(ami).toMatchObject({
      readmitted_30d: true,
      days_to_readmission: 16,
      readmission_planned: true,
      unplanned_readmission_30d: false,
      preventable_readmission: false,
    });
    // Knee 04-20..04-22 is an index; pneumonia J18.9 on 04-28 (day 6) is unplanned, PQI 11, and
    // no follow-up visit came before it: preventable, 5000 paid.
    expect(knee).toMatchObject({
      planned: true,
      index_eligible: true,
      days_to_readmission: 6,
      unplanned_readmission_30d: true,
      readmission_pqi_measure: '11',
      no_follow_up_before_readmission: true,
      preventable_readmission: true,
      readmission_paid: 5000,
    });
    expect(pneumonia).toMatchObject({ index_eligible: true, readmitted_30d: false });
  });

  it('counts a readmission on day 30 and not one on day 31', async () => {
    // p3: discharge 05-03, next admission 06-02: 06-02 - 05-03 = 28 (rest of May) + 2 = 30 days.
    const [p3] = await stays('p3');
    expect(p3).toMatchObject({
      days_to_readmission: 30,
      readmitted_30d: true,
      unplanned_readmission_30d: true,
    });
    // p4: next admission 06-03 = day 31: not a readmission.
    const [p4] = await stays('p4');
    expect(p4).toMatchObject({
      days_to_readmission: null,
      readmitted_30d: false,
      unplanned_readmission_30d: false,
    });
  });

  it('flags preventable readmissions by PQI diagnosis or missing 7-day follow-up', async () => {
    // p3: COPD (J44.1, PQI 05 at age 74) although the visit on 05-06 came within 7 days.
    const [p3] = await stays('p3');
    expect(p3).toMatchObject({
      readmission_pqi_measure: '05',
      no_follow_up_before_readmission: false,
      preventable_readmission: true,
    });
    // p8: GI bleed (no PQI), visit on day 3: unplanned but not preventable.
    const [p8] = await stays('p8');
    expect(p8).toMatchObject({
      unplanned_readmission_30d: true,
      readmission_pqi_measure: null,
      no_follow_up_before_readmission: false,
      preventable_readmission: false,
    });
    // p9: GI bleed on day 7, the only visit (09-20) comes after it: preventable by no follow-up.
    const [p9] = await stays('p9');
    expect(p9).toMatchObject({ no_follow_up_before_readmission: true, preventable_readmission: true });
  });

  it('excludes deaths, AMA, obstetric stays and index stays without 30 days of follow-up', async () => {
    const reason = async (p: string) => (await stays(p))[0]!.index_exclusion_reason;
    expect(await reason('p6')).toBe('died_in_hospital');
    expect(await reason('p7')).toBe('left_against_medical_advice');
    expect(await reason('p10')).toBe('obstetric_perinatal');
    // p5: discharged 12-10, data through 12-31: 21 days observed.
    expect(await reason('p5')).toBe('incomplete_follow_up');
    // p11: disenrolled 06-15, 12 days after discharge.
    expect(await reason('p11')).toBe('incomplete_follow_up');
  });
});

describe('headline numbers', () => {
  // Index admissions: p1 (1), p2 (3), p3 (2), p4 (2), p8 (2), p9 (2) = 12.
  // Readmitted within 30 days: p2 AMI (planned), p2 knee, p3, p8, p9 = 5 all-cause, 4 unplanned.
  // Preventable: p2 knee, p3, p9 = 3 of 4 = 0.75. Unplanned readmission paid: 5000 (p2 pneumonia)
  // + 7000 (p3) + 9000 (p8) + 11000 (p9) = 32000; preventable: 5000 + 7000 + 11000 = 23000.
  it('summarizes the whole book', async () => {
    const s = await wh.one('SELECT * FROM marts.readmission_summary');
    expect(s).toMatchObject({
      index_admissions: 12,
      readmissions_all_cause: 5,
      readmissions_unplanned: 4,
      planned_readmissions: 1,
      preventable_readmissions: 3,
      preventable_share: 0.75,
      unplanned_readmission_paid: 32000,
      preventable_readmission_paid: 23000,
      data_through: '2024-12-31',
    });
    expect((s as { readmission_rate_all_cause: number }).readmission_rate_all_cause).toBeCloseTo(5 / 12, 12);
    expect((s as { readmission_rate_unplanned: number }).readmission_rate_unplanned).toBeCloseTo(4 / 12, 12);
  });

  it('filters the service by discharge period', async () => {
    // Index discharges in 2024Q2: p2 (04-04, 04-22, 04-30), p3 (05-03, 06-04), p4 (05-03, 06-05) = 7;
    // unplanned: p2 knee, p3 = 2, both preventable; paid 5000 + 7000.
    const s = await readmissionSummary(wh, { period: parsePeriod({ period: '2024Q2' }) });
    expect(s).toMatchObject({
      index_admissions: 7,
      readmissions_unplanned: 2,
      preventable_readmissions: 2,
      preventable_readmission_paid: 12000,
    });
  });

  it('groups by index diagnosis, payer and month', async () => {
    const dx = await readmissionsByDiagnosis(wh, {}, { level: 'category' });
    // I21 (AMI): p2 (planned readmission) and p8 (unplanned, not preventable): 2 index, 1 unplanned.
    expect(dx.find((d) => d.diagnosis_category === 'I21')).toMatchObject({
      diagnosis_chapter: 'I00-I99',
      index_admissions: 2,
      readmissions_unplanned: 1,
      preventable_readmissions: 0,
      unplanned_readmission_paid: 9000,
    });
    // J44: p3 (06-02 readmission, preventable) and its readmission, p4 and its next stay: 4 index.
    expect(dx.find((d) => d.diagnosis_category === 'J44')).toMatchObject({
      index_admissions: 4,
      readmissions_unplanned: 1,
      preventable_readmissions: 1,
      preventable_share: 1,
    });
    // Most preventable first: I63, J44 and M17 have one each, then the rest.
    expect(dx[0]!.preventable_readmissions).toBe(1);
    const payers = await readmissionsByPayer(wh);
    expect(payers).toHaveLength(1);
    expect(payers[0]).toMatchObject({ payer: 'Acme', payer_type: 'commercial', index_admissions: 12 });
    const trend = await readmissionTrend(wh);
    // May discharges: p3 and p4 (05-03): 2 index, 1 unplanned (p3).
    expect(trend.find((t) => t.month === '2024-05-01')).toMatchObject({
      index_admissions: 2,
      readmissions_unplanned: 1,
    });
  });

  it('lists each readmission event with its spend', async () => {
    const events = await wh.all<{
      person_id: string;
      planned: boolean;
      preventable: boolean;
      preventable_paid: number;
    }>(
      'SELECT person_id, planned, preventable, preventable_paid FROM marts.readmission_event ORDER BY index_discharge_date',
    );
    expect(events).toEqual([
      { person_id: 'p2', planned: true, preventable: false, preventable_paid: 0 },
      { person_id: 'p2', planned: false, preventable: true, preventable_paid: 5000 },
      { person_id: 'p3', planned: false, preventable: true, preventable_paid: 7000 },
      { person_id: 'p8', planned: false, preventable: false, preventable_paid: 0 },
      { person_id: 'p9', planned: false, preventable: true, preventable_paid: 11000 },
    ]);
  });
});

describe('ML feature mart', () => {
  it('has one row per index discharge with a label known only when follow-up is complete', async () => {
    // 12 index admissions + 2 with incomplete follow-up (p5, p11) = 14 rows.
    const rows = await wh.all<Record<string, unknown>>(
      'SELECT * FROM marts.ml_readmission_features ORDER BY person_id, event_date',
    );
    expect(rows).toHaveLength(14);
    expect(rows.filter((r) => r.label === null).map((r) => r.person_id)).toEqual(['p11', 'p5']);
    // p2's knee stay (discharged 04-22): readmitted unplanned, planned itself, one admission before
    // it in 12 months (the AMI stay), two chronic conditions (I21 from the AMI claim, M17).
    const knee = rows.find((r) => r.person_id === 'p2' && r.event_date === '2024-04-22');
    expect(knee).toMatchObject({
      label: 1,
      f_age: 74,
      f_sex: 'female',
      f_length_of_stay_days: 2,
      f_principal_dx_category: 'M17',
      f_drg_code: '470',
      f_planned_admission: 1,
      f_admissions_prior_12m: 1,
      f_chronic_condition_count: 2,
      f_adi_percentile: 80,
      f_payer_type: 'commercial',
      f_pdc_below_80_prior_year: null,
    });
    // p3 was measured for statins in 2023 with PDC 60/365 < 0.8.
    expect(rows.filter((r) => r.person_id === 'p3').map((r) => r.f_pdc_below_80_prior_year)).toEqual([1, 1]);
  });
});
