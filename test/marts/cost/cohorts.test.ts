// High-cost cohorts on 40 hand-made members over two years: tier sizes, spend, share and PMPM, top
// conditions and service mix per tier, and persistence of the top 5% from 2023 to 2024.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../../src/engine/duckdb.ts';
import { cohorts } from '../../../src/services/cost.ts';
import { parsePeriod } from '../../../src/services/period.ts';
import { costWarehouse, denied, fill, type InputRow, medical, span } from './fixture.ts';

const id = (i: number) => `P${String(i).padStart(2, '0')}`;
const INPATIENT = {
  claim_type: 'institutional',
  bill_type_code: '111',
  revenue_center_code: '0120',
  place_of_service_code: null,
  hcpcs_code: null,
};

// P01..P40 enrolled 2023-01-01..2024-12-31 (12 member months a year each).
// 2024: P01 inpatient AMI (I21.4) 2000 + fill 400 = 2400; P02 inpatient breast cancer (C50.911) 1200;
//       P03-P08 office visits for diabetes (E11.9) 200 each = 1200; P09-P20 asthma visits (J45.20)
//       50 each = 600; P21-P40 nothing. Total 5400.
// 2023: P01 3000, P03 500, everyone else nothing.
// P40's denied lines (no spend) in January 2023 and December 2024 make the claims cover both years.
const medicalRows: InputRow[] = [
  medical('P01', '2024-02-01', 2000, { ...INPATIENT, diagnosis_code_1: 'I21.4' }),
  medical('P02', '2024-06-01', 1200, { ...INPATIENT, diagnosis_code_1: 'C50.911' }),
  ...[3, 4, 5, 6, 7, 8].map((i) => medical(id(i), '2024-04-15', 200, { diagnosis_code_1: 'E11.9' })),
  ...Array.from({ length: 12 }, (_, k) =>
    medical(id(k + 9), '2024-09-09', 50, { diagnosis_code_1: 'J45.20' }),
  ),
  medical('P01', '2023-05-01', 3000, { ...INPATIENT, diagnosis_code_1: 'I50.9' }),
  medical('P03', '2023-07-01', 500, { diagnosis_code_1: 'E11.9' }),
  denied('P40', '2023-01-05'),
  denied('P40', '2024-12-05'),
];

let wh: Warehouse;

beforeAll(async () => {
  wh = await costWarehouse({
    eligibility: Array.from({ length: 40 }, (_, k) => span(id(k + 1), '2023-01-01', '2024-12-31')),
    medical: medicalRows,
    pharmacy: [fill('P01', '2024-03-01', 400)],
  });
  // A one-code stand-in for the ICD-10-CM code set, to show category descriptions are picked up.
  await wh.run(
    "CREATE SCHEMA codes; CREATE TABLE codes.icd10cm AS SELECT 'I21' AS code, 'Acute myocardial infarction' AS description, false AS billable",
  );
});

afterAll(async () => {
  await wh.close();
});

describe('high-cost cohorts', () => {
  it('sizes the tiers by ceil(p% of members) and gives spend, share and PMPM', async () => {
    const c = await cohorts(wh, { period: parsePeriod({ period: '2024' }) });
    // 40 members: top 1% = ceil(0.4) = 1 (P01), top 5% = ceil(2) = 2 (adds P02), top 20% = ceil(8) = 8
    // (adds P03-P08); the rest is P09-P40 (32 members). Shares of 5400:
    // 2400 -> 0.444444, 1200 -> 0.222222, 1200 -> 0.222222, 600 -> 0.111111.
    // PMPM: 2400 / 12 = 200; 1200 / 12 = 100; 1200 / 72 = 16.6667; 600 / 384 = 1.5625.
    expect(c.tiers.map((t) => [t.label, t.members, t.member_months, t.paid])).toEqual([
      ['Top 1%', 1, 12, 2400],
      ['Top 1-5%', 1, 12, 1200],
      ['Top 5-20%', 6, 72, 1200],
      ['Rest', 32, 384, 600],
    ]);
    expect(c.tiers.map((t) => t.share)).toEqual(
      [4 / 9, 2 / 9, 2 / 9, 1 / 9].map((v) => expect.closeTo(v, 10)),
    );
    expect(c.tiers.map((t) => t.pmpm_paid)).toEqual(
      [200, 100, 1200 / 72, 1.5625].map((v) => expect.closeTo(v, 10)),
    );
  });

  it('names the top conditions and service categories of each tier', async () => {
    const c = await cohorts(wh, { period: parsePeriod({ period: '2024' }) });
    // Pharmacy spend has no diagnosis, so P01's top chapter is circulatory with 2000 of 2400 = 0.833333.
    expect(c.chapters.map((r) => [r.cost_tier, r.rank, r.condition, r.paid, r.members])).toEqual([
      ['top_1pct', 1, 'I00-I99', 2000, 1],
      ['top_1_5pct', 1, 'C00-D49', 1200, 1],
      ['top_5_20pct', 1, 'E00-E89', 1200, 6],
      ['rest', 1, 'J00-J99', 600, 12],
    ]);
    expect(c.chapters[0]!.share_of_tier).toBeCloseTo(2000 / 2400, 10);
    expect(c.chapters[0]!.description).toBe('Circulatory system');
    expect(c.categories.map((r) => [r.cost_tier, r.condition, r.description])).toEqual([
      ['top_1pct', 'I21', 'Acute myocardial infarction'],
      ['top_1_5pct', 'C50', null],
      ['top_5_20pct', 'E11', null],
      ['rest', 'J45', null],
    ]);
    // Top 1%: inpatient 2000, pharmacy 400. Top 5-20%: office visits (professional) only.
    expect(
      c.service_categories.filter((s) => s.cost_tier === 'top_1pct').map((s) => [s.service_category, s.paid]),
    ).toEqual([
      ['inpatient', 2000],
      ['pharmacy', 400],
    ]);
    expect(c.service_categories.find((s) => s.cost_tier === 'top_5_20pct')).toMatchObject({
      service_category: 'professional',
      paid: 1200,
      share_of_tier: 1,
    });
  });

  it('measures persistence: the share of this year top 5% who were top 5% last year', async () => {
    // 2024 top 5% = P01, P02. 2023 top 5% (ceil(5% of 40) = 2) = P01 (3000), P03 (500).
    // Both 2024 members were enrolled in 2023; only P01 persisted: 1 / 2 = 0.5.
    const expected = {
      from: '2024-01-01',
      to: '2024-12-31',
      prior_from: '2023-01-01',
      prior_to: '2023-12-31',
      top5_members: 2,
      enrolled_prior: 2,
      persistent: 1,
      persistence: 0.5,
    };
    expect((await cohorts(wh, { period: parsePeriod({ period: '2024' }) })).persistence).toEqual(expected);
    // Without a period, the latest calendar year is compared with the one before.
    expect((await cohorts(wh, {})).persistence).toEqual(expected);
    // 2023 has no 2022 to compare with.
    const first = await cohorts(wh, { period: parsePeriod({ period: '2023' }) });
    expect(first.persistence).toMatchObject({ top5_members: 2, enrolled_prior: 0, persistence: null });
  });

  it('keeps the yearly member tiers in marts.cost_member_year with the same rules', async () => {
    const rows = await wh.all(
      `SELECT person_id, year, spend_rank, cost_tier, top5, top5_prior_year
       FROM marts.cost_member_year WHERE person_id IN ('P01', 'P02', 'P03', 'P09') ORDER BY year, person_id`,
    );
    // 2023: P01 rank 1 (top 1%), P03 rank 2 (top 1-5%); P02 and P09 spent nothing: rest.
    expect(rows).toEqual([
      {
        person_id: 'P01',
        year: 2023,
        spend_rank: 1,
        cost_tier: 'top_1pct',
        top5: true,
        top5_prior_year: null,
      },
      { person_id: 'P02', year: 2023, spend_rank: 3, cost_tier: 'rest', top5: false, top5_prior_year: null },
      {
        person_id: 'P03',
        year: 2023,
        spend_rank: 2,
        cost_tier: 'top_1_5pct',
        top5: true,
        top5_prior_year: null,
      },
      { person_id: 'P09', year: 2023, spend_rank: 9, cost_tier: 'rest', top5: false, top5_prior_year: null },
      {
        person_id: 'P01',
        year: 2024,
        spend_rank: 1,
        cost_tier: 'top_1pct',
        top5: true,
        top5_prior_year: true,
      },
      {
        person_id: 'P02',
        year: 2024,
        spend_rank: 2,
        cost_tier: 'top_1_5pct',
        top5: true,
        top5_prior_year: false,
      },
      {
        person_id: 'P03',
        year: 2024,
        spend_rank: 3,
        cost_tier: 'top_5_20pct',
        top5: false,
        top5_prior_year: true,
      },
      { person_id: 'P09', year: 2024, spend_rank: 9, cost_tier: 'rest', top5: false, top5_prior_year: false },
    ]);
  });
});
