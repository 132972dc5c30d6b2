// Cost trend with year-over-year change, on two members over 2023-2024, worked out by hand.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../../src/engine/duckdb.ts';
import { costSummary, trend } from '../../../src/services/cost.ts';
import { parsePeriod } from '../../../src/services/period.ts';
import { costWarehouse, medical, span } from './fixture.ts';

// A enrolled 2023-01-01..2024-12-31, B 2024-01-01..2024-12-31.
// Jan 2023: A 100.           Jan 2024: A 150 + B 90 = 240.
// Feb 2023: nothing.         Feb 2024: nothing.
// Mar 2023: A 200.           Mar 2024: A 50.
let wh: Warehouse;

beforeAll(async () => {
  wh = await costWarehouse({
    eligibility: [span('A', '2023-01-01', '2024-12-31'), span('B', '2024-01-01', '2024-12-31')],
    medical: [
      medical('A', '2023-01-10', 100),
      medical('A', '2023-03-10', 200),
      medical('A', '2024-01-10', 150),
      medical('B', '2024-01-20', 90),
      medical('A', '2024-03-10', 50),
    ],
  });
});

afterAll(async () => {
  await wh.close();
});

describe('cost trend', () => {
  it('puts each month next to the same month a year earlier', async () => {
    const rows = await trend(wh, { period: parsePeriod({ period: '2024Q1' }) });
    // Jan 2024: 2 member months, 240 -> PMPM 120; Jan 2023: 1 member month, 100 -> PMPM 100.
    //   paid change 240 / 100 - 1 = 1.4; PMPM change 120 / 100 - 1 = 0.2.
    // Feb: nothing either year -> changes null (no positive prior value).
    // Mar 2024: 2 member months, 50 -> 25; Mar 2023: 200 -> 200; paid change 50 / 200 - 1 = -0.75,
    //   PMPM change 25 / 200 - 1 = -0.875.
    expect(rows.map((r) => [r.month, r.member_months, r.paid, r.pmpm_paid, r.prior_year_pmpm_paid])).toEqual([
      ['2024-01-01', 2, 240, 120, 100],
      ['2024-02-01', 2, 0, 0, 0],
      ['2024-03-01', 2, 50, 25, 200],
    ]);
    expect(rows.map((r) => [r.paid_yoy_change, r.pmpm_paid_yoy_change])).toEqual([
      [expect.closeTo(1.4, 10), expect.closeTo(0.2, 10)],
      [null, null],
      [expect.closeTo(-0.75, 10), expect.closeTo(-0.875, 10)],
    ]);
  });

  it('gives the year-over-year PMPM change of a whole period', async () => {
    const s = await costSummary(wh, { period: parsePeriod({ period: '2024Q1' }) });
    // 2024Q1: 6 member months, 290 paid -> 48.3333. 2023Q1: A only, 3 member months, 300 -> 100.
    // Change 48.3333 / 100 - 1 = -0.516667.
    expect(s.prior_year).toEqual({
      from: '2023-01-01',
      to: '2023-03-31',
      member_months: 3,
      paid: 300,
      pmpm_paid: 100,
    });
    expect(s.pmpm_paid).toBeCloseTo(290 / 6, 10);
    expect(s.pmpm_yoy_change).toBeCloseTo(290 / 6 / 100 - 1, 10);
  });

  it('stores the payer trend in marts.cost_trend with the same definitions', async () => {
    const row = await wh.one(
      `SELECT member_months, paid, pmpm_paid, prior_year_pmpm_paid, paid_yoy_change, pmpm_paid_yoy_change
       FROM marts.cost_trend WHERE payer = 'Acme' AND month_start = DATE '2024-01-01'`,
    );
    expect(row).toEqual({
      member_months: 2,
      paid: 240,
      pmpm_paid: 120,
      prior_year_pmpm_paid: 100,
      paid_yoy_change: expect.closeTo(1.4, 10),
      pmpm_paid_yoy_change: expect.closeTo(0.2, 10),
    });
  });
});
