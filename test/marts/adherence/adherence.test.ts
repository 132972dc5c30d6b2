// PDC adherence (PQA method) on hand-made fills: the PQA specification's worked examples (an early
// refill shifted, supply truncated at the year end), two drugs of a class on the same day counted
// once, death ending the treatment period, exclusions, and the class/prescriber/payer roll-ups.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../../src/config.ts';
import type { Warehouse } from '../../../src/engine/duckdb.ts';
import {
  adherenceByPayer,
  adherenceByPrescriber,
  adherenceDomain,
  adherenceGaps,
  adherenceSummary,
  measurementYear,
} from '../../../src/services/adherence.ts';
import { parsePeriod } from '../../../src/services/period.ts';
import { testWarehouse } from '../../helpers/warehouse.ts';
import { fill, member, stay, visit } from '../readmissions/fixture.ts';

const SIMVASTATIN = '63187019190';
const ATORVASTATIN = '72603028201';
const LISINOPRIL = '62135064290';
const METFORMIN = '53746021801';
const INSULIN = '00088502101';
const P1 = '2000000001';
const P2 = '2000000002';

const year = { enrollment_start_date: '2018-01-01', enrollment_end_date: '2018-12-31' };

const input = {
  eligibility: [
    ...['s1', 's2', 's3', 's4', 's5', 's6'].map((p) => member(p, year)),
    member('s7', { ...year, death_date: '2018-06-30' }),
    member('s8', year),
    member('s9', year),
  ],
  medical_claim: [
    // s8 has end-stage renal disease (coded with a dot), s9 a hospice claim (4-character type of bill).
    visit('m8', 's8', '2018-05-01', { diagnosis_code_1: 'N18.6' }),
    stay('m9', 's9', '2018-11-01', '2018-11-20', 'C3490', 0, { bill_type_code: '0811' }),
  ],
  pharmacy_claim: [
    // s1, PQA example: simvastatin 03-25 (90 days: to 06-22), 07-05 (to 10-02), 09-25 early refill
    // shifted to 10-03..12-31. Treatment 03-25..12-31 = 7 + 30 + 31 + 30 + 31 + 31 + 30 + 31 + 30 + 31
    // = 282 days; covered 270 (06-23..07-04 uncovered); PDC 270 / 282 = 0.957447.
    fill('a1', 's1', '2018-03-25', SIMVASTATIN, 90),
    fill('a2', 's1', '2018-07-05', SIMVASTATIN, 90),
    fill('a3', 's1', '2018-09-25', SIMVASTATIN, 90),
    // s2: simvastatin and atorvastatin both on 01-01 (90 days each: not shifted, the overlap counts
    // once), simvastatin again 04-01 (to 06-29). Covered 90 + 90 = 180 of 365: PDC 0.493151.
    fill('b1', 's2', '2018-01-01', SIMVASTATIN, 90),
    fill('b2', 's2', '2018-01-01', ATORVASTATIN, 90),
    fill('b3', 's2', '2018-04-01', SIMVASTATIN, 90),
    // s3 (payer Beta): lisinopril 09-01, 10-01, 11-01 (30 days each) and 12-15 (30 days, truncated to
    // 12-15..12-31 = 17). Treatment 09-01..12-31 = 30 + 31 + 30 + 31 = 122; covered 30 x 3 + 17 = 107;
    // PDC 107 / 122 = 0.877049.
    ...['2018-09-01', '2018-10-01', '2018-11-01', '2018-12-15'].map((d, i) =>
      fill(`c${i}`, 's3', d, LISINOPRIL, 30, { payer: 'Beta' }),
    ),
    // s4, PQA example: 01-01 (90), 03-25 early refill shifted to 04-01..06-29, 07-05 (to 10-02),
    // 10-15 (to 2019-01-12, truncated to 12-31: 78 days). Covered 90 + 90 + 90 + 78 = 348 of 365:
    // PDC 0.953425.
    ...['2018-01-01', '2018-03-25', '2018-07-05', '2018-10-15'].map((d, i) =>
      fill(`d${i}`, 's4', d, SIMVASTATIN, 90, { prescribing_provider_npi: P2 }),
    ),
    // s5: a single fill: not in the denominator.
    fill('e1', 's5', '2018-02-01', SIMVASTATIN, 30),
    // s6: metformin twice but also insulin: excluded from the diabetes measure.
    fill('f1', 's6', '2018-01-01', METFORMIN, 90),
    fill('f2', 's6', '2018-04-01', METFORMIN, 90),
    fill('f3', 's6', '2018-05-01', INSULIN, 30),
    // s7: died 06-30: treatment 01-01..06-30 = 181 days; covered 30 + 30: PDC 60 / 181 = 0.331492.
    fill('g1', 's7', '2018-01-01', SIMVASTATIN, 30, { prescribing_provider_npi: P2 }),
    fill('g2', 's7', '2018-02-01', SIMVASTATIN, 30, { prescribing_provider_npi: P2 }),
    fill('h1', 's8', '2018-01-01', LISINOPRIL, 90),
    fill('h2', 's8', '2018-04-01', LISINOPRIL, 90),
    fill('i1', 's9', '2018-01-01', LISINOPRIL, 90),
    fill('i2', 's9', '2018-04-01', LISINOPRIL, 90),
  ],
};

let wh: Warehouse;

beforeAll(async () => {
  wh = await testWarehouse(input, { models: ['marts/adherence/'], codesets: true });
});

afterAll(async () => {
  await wh.close();
});

interface MemberRow {
  person_id: string;
  pdc_class: string;
  treatment_days: number;
  covered_days: number;
  pdc: number;
  adherent: boolean | null;
  measured: boolean;
  exclusion_reason: string | null;
}

async function row(person: string): Promise<MemberRow> {
  return (await wh.one<MemberRow>('SELECT * FROM marts.adherence_member_class WHERE person_id = ?', [
    person,
  ]))!;
}

describe('PDC per member and class', () => {
  it('shifts an early refill of the same drug (PQA example)', async () => {
    expect(await row('s1')).toMatchObject({
      treatment_days: 282,
      covered_days: 270,
      adherent: true,
      measured: true,
    });
    expect((await row('s1')).pdc).toBeCloseTo(270 / 282, 12);
    const shifted = await wh.all<{ adjusted_start_date: string; adjusted_end_date: string }>(
      "SELECT adjusted_start_date, adjusted_end_date FROM intermediate.pdc_fill WHERE person_id = 's1' ORDER BY dispensing_date",
    );
    expect(shifted.map((f) => f.adjusted_start_date)).toEqual(['2018-03-25', '2018-07-05', '2018-10-03']);
    expect(shifted[2]!.adjusted_end_date).toBe('2018-12-31');
  });

  it('shifts and truncates at the year end (second PQA example)', async () => {
    expect(await row('s4')).toMatchObject({ treatment_days: 365, covered_days: 348, adherent: true });
  });

  it('counts two drugs of a class filled on the same day once, without shifting', async () => {
    expect(await row('s2')).toMatchObject({ treatment_days: 365, covered_days: 180, adherent: false });
    expect((await row('s2')).pdc).toBeCloseTo(180 / 365, 12);
  });

  it('truncates supply running past the period end', async () => {
    expect(await row('s3')).toMatchObject({
      pdc_class: 'ras_antagonists',
      treatment_days: 122,
      covered_days: 107,
    });
    expect((await row('s3')).pdc).toBeCloseTo(107 / 122, 12);
  });

  it('ends the treatment period at death and applies the exclusions', async () => {
    expect(await row('s7')).toMatchObject({ treatment_days: 181, covered_days: 60, adherent: false });
    expect(await row('s5')).toMatchObject({
      measured: false,
      exclusion_reason: 'fewer_than_two_fill_dates',
      adherent: null,
    });
    expect(await row('s6')).toMatchObject({
      pdc_class: 'diabetes_non_insulin',
      measured: false,
      exclusion_reason: 'insulin',
    });
  });
});

describe('adherence services', () => {
  it('summarizes each class for the measurement year', async () => {
    expect(await measurementYear(wh, undefined)).toBe(2018);
    await expect(measurementYear(wh, parsePeriod({ period: '2018Q1' }))).rejects.toThrow(/calendar year/);
    const s = await adherenceSummary(wh, { year: 2018 });
    // Statins: s1, s2, s4, s5, s7 filled; s5 not measured; adherent s1 and s4: 2 of 4 = 0.5.
    // Mean PDC (270/282 + 180/365 + 348/365 + 60/181) / 4 = (0.957447 + 0.493151 + 0.953425 + 0.331492) / 4 = 0.683879.
    const statins = s.classes.find((c) => c.pdc_class === 'statins')!;
    expect(statins).toMatchObject({
      members_with_fills: 5,
      members_measured: 4,
      adherent_members: 2,
      adherent_rate: 0.5,
    });
    expect(statins.mean_pdc).toBeCloseTo((270 / 282 + 180 / 365 + 348 / 365 + 60 / 181) / 4, 12);
    expect(s.classes.find((c) => c.pdc_class === 'diabetes_non_insulin')).toMatchObject({
      members_with_fills: 1,
      members_measured: 0,
      mean_pdc: null,
    });
    // Measured members: s1, s2, s3, s4, s7 = 5; adherent in all their classes: s1, s3, s4 = 3.
    expect(s).toMatchObject({ members_measured: 5, members_adherent_all_classes: 3 });
  });

  it('breaks adherence down by payer and prescriber and lists the gaps', async () => {
    const payers = await adherenceByPayer(wh, { year: 2018 });
    expect(payers.find((p) => p.payer === 'Beta')).toMatchObject({
      pdc_class: 'ras_antagonists',
      adherent_members: 1,
    });
    // Prescriber 1: s1 (adherent) and s2 (not): 1 of 2; prescriber 2: s4 (adherent) and s7 (not).
    const prescribers = await adherenceByPrescriber(wh, { year: 2018 });
    expect(prescribers.find((p) => p.prescriber_npi === P1 && p.pdc_class === 'statins')).toMatchObject({
      members_measured: 2,
      adherent_members: 1,
    });
    // Gaps of the non-adherent: s2 365 - 180 = 185 days, s7 181 - 60 = 121.
    const gaps = await adherenceGaps(wh, { year: 2018 });
    expect(gaps.map((g) => [g.person_id, g.gap_days])).toEqual([
      ['s2', 185],
      ['s7', 121],
    ]);
    const kpi = await adherenceDomain.run(
      wh,
      { period: parsePeriod({ period: '2018' }) },
      configSchema.parse({}),
    );
    expect(kpi.headline).toMatchObject({
      measurement_year: '2018',
      members_measured: 5,
      statins_pct_adherent: 50,
    });
  });
});
