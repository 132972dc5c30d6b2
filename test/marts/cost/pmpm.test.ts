// Member months and PMPM on a hand-made enrollment with a partial month, overlapping spans, a plan
// change inside a month and a claim outside enrollment; every expected number is worked out below.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../../src/engine/duckdb.ts';
import { UsageError } from '../../../src/errors.ts';
import { costScope, costSummary, pmpm } from '../../../src/services/cost.ts';
import { parsePeriod } from '../../../src/services/period.ts';
import { costWarehouse, fill, medical, span } from './fixture.ts';

// A: Acme Gold 2024-01-15..2024-03-10: enrolled some day of Jan, Feb and Mar = 3 member months
//    (17, 29 and 10 days).
// B: Acme Gold 2024-01-01..2024-02-29 and 2024-02-01..2024-03-31 (Feb twice): merged to Jan-Mar = 3.
// C: Beta Silver 2024-02-10..2024-02-20: 1 member month.
// D: Acme Gold 2024-01-01..2024-01-15 then Acme Silver 2024-01-16..2024-01-31: one member month of
//    each plan, but one Acme member month and one overall.
// Spend: A inpatient 300 (allowed 350) in Feb; A denied line (allowed 500) not spend; A office 90
// (allowed 100) in April, after A's enrollment ended: outside enrollment; B fill 150 (allowed 160)
// in Jan; C fill 70 in Feb.
const INPUT = {
  eligibility: [
    span('A', '2024-01-15', '2024-03-10'),
    span('B', '2024-01-01', '2024-02-29'),
    span('B', '2024-02-01', '2024-03-31'),
    span('C', '2024-02-10', '2024-02-20', { payer: 'Beta', plan: 'Silver' }),
    span('D', '2024-01-01', '2024-01-15'),
    span('D', '2024-01-16', '2024-01-31', { plan: 'Silver' }),
  ],
  medical: [
    medical('A', '2024-02-03', 300, {
      claim_type: 'institutional',
      bill_type_code: '111',
      revenue_center_code: '0120',
      place_of_service_code: null,
      hcpcs_code: null,
      allowed_amount: 350,
      diagnosis_code_1: 'I21.4',
    }),
    medical('A', '2024-02-10', 0, { claim_status: 'denied', allowed_amount: 500 }),
    medical('A', '2024-04-03', 90, { allowed_amount: 100 }),
  ],
  pharmacy: [
    fill('B', '2024-01-20', 150, { allowed_amount: 160 }),
    fill('C', '2024-02-12', 70, { payer: 'Beta', plan: 'Silver' }),
  ],
};

const Q1 = parsePeriod({ period: '2024Q1' })!;
let wh: Warehouse;

beforeAll(async () => {
  wh = await costWarehouse(INPUT);
});

afterAll(async () => {
  await wh.close();
});

describe('member months', () => {
  it('counts a month when enrolled any day, keeps enrolled days, never counts overlaps twice', async () => {
    const rows = await wh.all(
      `SELECT person_id, plan, month_start, enrolled_days, days_in_month, enrolled_first_of_month
       FROM intermediate.member_month ORDER BY person_id, month_start, plan`,
    );
    expect(rows).toEqual([
      {
        person_id: 'A',
        plan: 'Gold',
        month_start: '2024-01-01',
        enrolled_days: 17,
        days_in_month: 31,
        enrolled_first_of_month: false,
      },
      {
        person_id: 'A',
        plan: 'Gold',
        month_start: '2024-02-01',
        enrolled_days: 29,
        days_in_month: 29,
        enrolled_first_of_month: true,
      },
      {
        person_id: 'A',
        plan: 'Gold',
        month_start: '2024-03-01',
        enrolled_days: 10,
        days_in_month: 31,
        enrolled_first_of_month: true,
      },
      {
        person_id: 'B',
        plan: 'Gold',
        month_start: '2024-01-01',
        enrolled_days: 31,
        days_in_month: 31,
        enrolled_first_of_month: true,
      },
      {
        person_id: 'B',
        plan: 'Gold',
        month_start: '2024-02-01',
        enrolled_days: 29,
        days_in_month: 29,
        enrolled_first_of_month: true,
      },
      {
        person_id: 'B',
        plan: 'Gold',
        month_start: '2024-03-01',
        enrolled_days: 31,
        days_in_month: 31,
        enrolled_first_of_month: true,
      },
      {
        person_id: 'C',
        plan: 'Silver',
        month_start: '2024-02-01',
        enrolled_days: 11,
        days_in_month: 29,
        enrolled_first_of_month: false,
      },
      {
        person_id: 'D',
        plan: 'Gold',
        month_start: '2024-01-01',
        enrolled_days: 15,
        days_in_month: 31,
        enrolled_first_of_month: true,
      },
      {
        person_id: 'D',
        plan: 'Silver',
        month_start: '2024-01-01',
        enrolled_days: 16,
        days_in_month: 31,
        enrolled_first_of_month: false,
      },
    ]);
  });
});

describe('PMPM', () => {
  it('divides enrolled spend by member months, partial months counting whole', async () => {
    const s = await costSummary(wh, { period: Q1 });
    // Member months: A 3 + B 3 + C 1 + D 1 (one person-month over two plans) = 8; members A-D = 4.
    // Paid 300 + 150 + 70 = 520, PMPM 520 / 8 = 65; allowed 350 + 160 + 70 = 580, 580 / 8 = 72.5.
    expect(s).toMatchObject({
      members: 4,
      member_months: 8,
      medical_paid: 300,
      pharmacy_paid: 220,
      paid: 520,
      allowed: 580,
      pmpm_paid: 65,
      pmpm_allowed: 72.5,
      prior_year: null,
      pmpm_yoy_change: null,
      outside_enrollment: { claim_lines: 0, paid: 0, allowed: 0 },
    });
    // January alone: A, B, D enrolled = 3 member months; B's fill 150 -> PMPM 50.
    const jan = await costSummary(wh, { period: parsePeriod({ period: '2024-01' }) });
    expect([jan.member_months, jan.paid, jan.pmpm_paid]).toEqual([3, 150, 50]);
  });

  it('filters by payer and groups by payer, plan and service category', async () => {
    const acme = await costSummary(wh, { period: Q1, payer: 'Acme' });
    // Acme: A 3 + B 3 + D 1 = 7 member months, paid 300 + 150 = 450, PMPM 450 / 7.
    expect([acme.members, acme.member_months, acme.paid]).toEqual([3, 7, 450]);
    expect(acme.pmpm_paid).toBeCloseTo(450 / 7, 10);

    const byPlan = await pmpm(wh, { period: Q1 }, ['plan']);
    // Plan implies payer. Acme Gold: A 3 + B 3 + D 1 = 7, 450; Acme Silver: D 1, 0; Beta Silver: C 1, 70.
    expect(byPlan.map((r) => [r.payer, r.plan, r.member_months, r.paid])).toEqual([
      ['Acme', 'Gold', 7, 450],
      ['Acme', 'Silver', 1, 0],
      ['Beta', 'Silver', 1, 70],
    ]);
    expect(byPlan[0]!.pmpm_paid).toBeCloseTo(450 / 7, 10);

    const byCategory = await pmpm(wh, { period: Q1 }, ['service_category']);
    // Denominator 8 for every category: inpatient 300 / 8 = 37.5, pharmacy 220 / 8 = 27.5, rest 0.
    const cat = Object.fromEntries(
      byCategory.map((r) => [r.service_category, [r.member_months, r.pmpm_paid]]),
    );
    expect(cat).toEqual({
      ancillary: [8, 0],
      emergency_department: [8, 0],
      inpatient: [8, 37.5],
      other: [8, 0],
      outpatient: [8, 0],
      pharmacy: [8, 27.5],
      post_acute: [8, 0],
      professional: [8, 0],
    });

    const byMonth = await pmpm(wh, { period: Q1, payer: 'Acme' }, ['month']);
    // Acme Jan: A, B, D = 3 mm, 150 -> 50; Feb: A, B = 2, 300 -> 150; Mar: A, B = 2, 0.
    expect(byMonth.map((r) => [r.month, r.member_months, r.pmpm_paid])).toEqual([
      ['2024-01-01', 3, 50],
      ['2024-02-01', 2, 150],
      ['2024-03-01', 2, 0],
    ]);
  });

  it('reports spend without enrollment apart instead of dropping it', async () => {
    const s = await costSummary(wh, { period: parsePeriod({ period: '2024' }) });
    // A's April visit (paid 90, allowed 100): A's enrollment ended 2024-03-10.
    expect(s.outside_enrollment).toEqual({ claim_lines: 1, paid: 90, allowed: 100 });
    expect(s.paid).toBe(520);
    const mart = await wh.all(
      'SELECT payer, plan, service_month, service_category, persons, claim_lines, paid FROM marts.cost_spend_outside_enrollment',
    );
    expect(mart).toEqual([
      {
        payer: 'Acme',
        plan: 'Gold',
        service_month: '2024-04-01',
        service_category: 'professional',
        persons: 1,
        claim_lines: 1,
        paid: 90,
      },
    ]);
  });

  it('refuses an unknown payer and an empty period with usage errors that say what exists', async () => {
    await expect(costScope(wh, { payer: 'Nobody' })).rejects.toThrow(UsageError);
    await expect(costScope(wh, { payer: 'Nobody' })).rejects.toThrow(/payers with enrollment are Acme, Beta/);
    await expect(costSummary(wh, { period: parsePeriod({ period: '2019' }) })).rejects.toThrow(
      /no enrollment in 2019 \(2019-01-01..2019-12-31\): member months \(enrollment in the months the claims cover\) run 2024-01..2024-03/,
    );
    await expect(
      pmpm(wh, { period: parsePeriod({ period: '2024-02' }), payer: 'Beta' }),
    ).resolves.toHaveLength(8);
    await expect(
      costSummary(wh, { period: parsePeriod({ period: '2024-03' }), payer: 'Beta' }),
    ).rejects.toThrow(/no enrollment for payer 'Beta' in 2024-03 .*run 2024-02..2024-02/);
  });
});
