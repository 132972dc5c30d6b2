// Programs savings model: baselines measured on a hand-made warehouse, scenario results and a
// payback month with ramp-up, all worked out by hand in the comments.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../../src/config.ts';
import type { Warehouse } from '../../../src/engine/duckdb.ts';
import {
  baselineWindow,
  careManagementBaseline,
  denialBaseline,
  paybackMonth,
  programSavings,
  programsDomain,
  rampFactor,
  type SavingsRow,
} from '../../../src/services/programs.ts';
import { programsConfigSchema } from '../../../src/services/programs-config.ts';
import { adjustment, fill, line, martWarehouse, payer, span } from '../payers/fixture.ts';

const cfg = programsConfigSchema.parse({
  careManagement: {
    enrollmentRate: 0.5,
    costReductionRate: { low: 0.1, base: 0.2, high: 0.3 },
    costPerEnrolleePerMonth: { low: 100, base: 50, high: 25 },
    oneTimeCost: { low: 600, base: 300, high: 0 },
    rampMonths: { low: 6, base: 3, high: 0 },
  },
  denialPrevention: {
    recoveryRate: { low: 0.2, base: 0.4, high: 0.6 },
    costPerDeniedClaim: { low: 20, base: 10, high: 5 },
    rampMonths: { low: 4, base: 2, high: 0 },
  },
});

const persons = Array.from({ length: 20 }, (_, i) => `p${i + 1}`);

const input = {
  payer: [payer('Acme', 0.5)],
  eligibility: persons.map((p) => span(p, '2024-01-01', '2024-12-31')),
  medical_claim: [
    // p1: 9000 medical + 1000 pharmacy = 10000 in 2024; p2: 2000 (its 5000 of 2023-12 is outside);
    // p3: 500; the other 17 members spend nothing.
    line('m1', 1, '2024-03-10', { person_id: 'p1', paid_amount: 9000, charge_amount: 18000 }),
    line('m2', 1, '2024-04-10', { person_id: 'p2', paid_amount: 2000, charge_amount: 4000 }),
    line('m3', 1, '2023-12-15', { person_id: 'p2', paid_amount: 5000, charge_amount: 10000 }),
    line('m4', 1, '2024-05-10', { person_id: 'p3', paid_amount: 500, charge_amount: 1000 }),
    // Denied lines: c1 (1000), c2 (200 + 300), c3 (100), c4 (700), c5 at Orphan (400), c6 (50).
    line('c1', 1, '2024-02-20', { person_id: 'p4', charge_amount: 1000, claim_status: 'denied' }),
    line('c2', 1, '2024-04-20', { person_id: 'p4', charge_amount: 200, claim_status: 'denied' }),
    line('c2', 2, '2024-04-20', { person_id: 'p4', charge_amount: 300, claim_status: 'denied' }),
    line('c3', 1, '2024-04-20', { person_id: 'p5', charge_amount: 100, claim_status: 'denied' }),
    line('c4', 1, '2023-12-01', { person_id: 'p5', charge_amount: 700, claim_status: 'denied' }),
    line('c5', 1, '2024-05-20', {
      person_id: 'p6',
      payer: 'Orphan',
      charge_amount: 400,
      claim_status: 'denied',
    }),
    line('c6', 1, '2024-05-20', { person_id: 'p6', charge_amount: 50, claim_status: 'denied' }),
    // Orphan has no contract: it allows 60 of 100 charged on the lines it pays -> observed rate 0.6.
    line('o1', 1, '2024-06-01', {
      person_id: 'p7',
      payer: 'Orphan',
      charge_amount: 100,
      allowed_amount: 60,
      paid_amount: 60,
    }),
  ],
  pharmacy_claim: [fill('rx1', 'p1', '2024-03-15', 1000)],
  claim_adjustment: [
    // c1: two preventable CARCs on one line: counted once; expected 1000 x 0.5 = 500.
    adjustment('c1', 1, '197', '2024-03-01', 1000),
    adjustment('c1', 1, '16', '2024-03-01', 1000, { adjustment_sequence: 2 }),
    // c2: a claim-level (line 0) timely-filing denial covers both lines: (200 + 300) x 0.5 = 250.
    adjustment('c2', 0, '29', '2024-05-01', 500),
    // c3: CARC 45 (contractual) is not preventable.
    adjustment('c3', 1, '45', '2024-05-01', 100),
    // c4: preventable but remitted 2023-12-20, before the window.
    adjustment('c4', 1, '197', '2023-12-20', 700),
    // c5: Orphan, CARC 15: 400 x 0.6 observed = 240.
    adjustment('c5', 1, '15', '2024-06-01', 400, { payer: 'Orphan' }),
    // c6: group CR is a correction, not a denial.
    adjustment('c6', 1, '18', '2024-06-01', 50, { adjustment_group_code: 'CR' }),
  ],
};

let wh: Warehouse;
const window = baselineWindow('2024-12-31', 12);

beforeAll(async () => {
  wh = await martWarehouse(['programs'], input);
});

afterAll(async () => {
  await wh?.close();
});

describe('baselines', () => {
  it('measures the high-cost cohort over the window', async () => {
    expect(window).toEqual({ asOf: '2024-12-31', from: '2024-01-01', to: '2024-12-31', months: 12 });
    const b = await careManagementBaseline(wh, cfg, window);
    // 20 enrolled members (p4..p7 have only denied or Orphan claims, all enrolled anyway); top 5%
    // = ceil(20 x 0.05) = 1 member: p1 with 10000 of 10000 + 2000 + 500 + 60 (o1) = 12560 -> 79.62%.
    expect(b).toEqual({
      members: 20,
      cohort_members: 1,
      cohort_spend_annual: 10000,
      total_spend_annual: 12560,
      cohort_share_pct: 79.62,
    });
  });

  it('measures preventable denials with the fallback CARC list when codes.carc is absent', async () => {
    const d = await denialBaseline(wh, cfg, window);
    // c1 (1 line), c2 (2 lines), c5 (1 line): 3 claims, 4 lines, charges 1000 + 500 + 400 = 1900,
    // expected 500 + 250 + 240 = 990; c5 valued without a contract.
    expect(d).toMatchObject({
      denied_claims_annual: 3,
      denied_lines_annual: 4,
      denied_charges_annual: 1900,
      denied_expected_annual: 990,
      lines_valued_without_contract: 1,
    });
    expect(d.carc_source).toMatch(/codes\.carc is not loaded: fallback list/);
  });

  it('uses codes.carc root causes when the table is loaded', async () => {
    // codes is read at query time, not by the models, so the table can come and go after the build.
    await wh.run('CREATE SCHEMA codes');
    try {
      await wh.run('CREATE TABLE codes.carc (code VARCHAR, root_cause VARCHAR)');
      await wh.run(
        "INSERT INTO codes.carc VALUES ('197', 'authorization'), ('29', 'timely_filing'), ('45', 'contractual'), ('15', 'other'), ('4', 'coding')",
      );
      // Without the preventable flag: root causes of the fallback CARCs present (197 authorization,
      // 29 timely_filing, 15 other; 16 and 11 are absent) -> CARCs 15, 197, 29; 45 and 4 stay out.
      // The same lines as the fallback list: 990.
      const byFallback = await denialBaseline(wh, cfg, window);
      expect(byFallback.preventable_carcs).toEqual(['15', '197', '29']);
      expect(byFallback.denied_expected_annual).toBe(990);
      // With the flag (as the shipped table has it): authorization and timely_filing are preventable,
      // 'other' is not -> 197 and 29 only: c1 500 + c2 250 = 750 (c5's CARC 15 drops out).
      await wh.run('ALTER TABLE codes.carc ADD COLUMN preventable_at_submission BOOLEAN');
      await wh.run(
        "UPDATE codes.carc SET preventable_at_submission = root_cause IN ('authorization', 'timely_filing')",
      );
      const flagged = await denialBaseline(wh, cfg, window);
      expect(flagged.preventable_carcs).toEqual(['197', '29']);
      expect(flagged.carc_source).toBe(
        'codes.carc: CARCs whose root cause is one of the root causes preventable at submission (authorization, timely_filing)',
      );
      expect(flagged.denied_expected_annual).toBe(750);
      // Configured root causes win: authorization only -> c1 alone, 500.
      const narrow = programsConfigSchema.parse({
        denialPrevention: { preventableRootCauses: ['authorization'] },
      });
      expect((await denialBaseline(wh, narrow, window)).denied_expected_annual).toBe(500);
    } finally {
      await wh.run('DROP SCHEMA codes CASCADE');
    }
  });
});

describe('payback with ramp-up', () => {
  it('ramps savings linearly', () => {
    expect([1, 2, 3, 4].map((m) => rampFactor(m, 3))).toEqual([1 / 3, 2 / 3, 1, 1]);
    expect(rampFactor(1, 0)).toBe(1);
  });

  it('finds the first month cumulative savings reach cumulative cost', () => {
    // 120/yr savings (10/month), 60/yr cost (5/month), 30 up front, 4-month ramp:
    // cumulative savings 2.5, 7.5, 15, 25, 35, 45, 55, 65, 75; cost 35, 40, ..., 70, 75:
    // month 9 ties at 75 -> 9.
    expect(paybackMonth([{ annualSavings: 120, annualCost: 60, oneTimeCost: 30, rampMonths: 4 }], 60)).toBe(
      9,
    );
    // Savings below run cost never pay back; none within a short horizon either.
    expect(
      paybackMonth([{ annualSavings: 50, annualCost: 60, oneTimeCost: 0, rampMonths: 0 }], 600),
    ).toBeNull();
    expect(
      paybackMonth([{ annualSavings: 120, annualCost: 60, oneTimeCost: 30, rampMonths: 4 }], 8),
    ).toBeNull();
  });
});

describe('savings by program and scenario', () => {
  let rows: SavingsRow[];
  const row = (program: string, scenario: string) =>
    rows.find((r) => r.program === program && r.scenario === scenario)!;

  beforeAll(async () => {
    rows = (await programSavings(wh, cfg, { asOf: '2024-12-31' })).rows;
  });

  it('computes care management in the base scenario', () => {
    // Cohort 1 member, 10000/yr; enrolled 0.5. Gross 10000 x 0.5 x 0.2 = 1000; cost 0.5 x 50 x 12 = 300;
    // net 700; ROI 1000/300 = 3.33. Payback: 83.33/month ramped over 3 months -> cumulative 27.78,
    // 83.33, 166.67, 250, 333.33, 416.67, 500 against 300 + 25/month: 325, 350, ..., 450, 475 -> month 7.
    // First year: 11 x 83.33 = 916.67 of savings - 300 - 300 = 316.67.
    expect(row('care_management', 'base')).toEqual({
      program: 'care_management',
      scenario: 'base',
      annual_gross_savings: 1000,
      annual_program_cost: 300,
      one_time_cost: 300,
      annual_net_savings: 700,
      roi_ratio: 3.33,
      first_year_net_savings: 316.67,
      payback_months: 7,
    });
  });

  it('computes denial prevention and the combination', () => {
    // Base: 990 x 0.4 = 396; cost 3 claims x 10 = 30; net 366; ROI 13.2; month 1: 16.5 >= 2.5.
    // First year: 16.5 + 11 x 33 = 379.5 - 30 = 349.5.
    expect(row('denial_prevention', 'base')).toMatchObject({
      annual_gross_savings: 396,
      annual_program_cost: 30,
      annual_net_savings: 366,
      roi_ratio: 13.2,
      first_year_net_savings: 349.5,
      payback_months: 1,
    });
    // Combined base: gross 1396, cost 330, ROI 4.23. Cumulative savings 44.28, 132.83, 249.17,
    // 365.5, 481.83 against 300 + 27.5/month: 327.5, 355, 382.5, 410, 437.5 -> month 5.
    expect(row('combined', 'base')).toMatchObject({
      annual_gross_savings: 1396,
      annual_program_cost: 330,
      annual_net_savings: 1066,
      roi_ratio: 4.23,
      payback_months: 5,
    });
  });

  it('orders low <= base <= high', () => {
    // Care management low: gross 500 < cost 600 -> net -100, no payback; high: 1500 - 150 = 1350,
    // nothing up front and no ramp -> month 1.
    expect(row('care_management', 'low')).toMatchObject({ annual_net_savings: -100, payback_months: null });
    expect(row('care_management', 'high')).toMatchObject({
      annual_net_savings: 1350,
      roi_ratio: 10,
      payback_months: 1,
    });
    for (const program of ['care_management', 'denial_prevention', 'combined']) {
      const [low, base, high] = ['low', 'base', 'high'].map((s) => row(program, s));
      expect(low!.annual_net_savings).toBeLessThanOrEqual(base!.annual_net_savings);
      expect(base!.annual_net_savings).toBeLessThanOrEqual(high!.annual_net_savings);
      expect(low!.roi_ratio!).toBeLessThanOrEqual(base!.roi_ratio!);
      expect(base!.roi_ratio!).toBeLessThanOrEqual(high!.roi_ratio!);
      const pay = (r: SavingsRow) => r.payback_months ?? Number.POSITIVE_INFINITY;
      expect(pay(low!)).toBeGreaterThanOrEqual(pay(base!));
      expect(pay(base!)).toBeGreaterThanOrEqual(pay(high!));
    }
  });

  it('refuses scenario values out of order', () => {
    const bad = programsConfigSchema.safeParse({
      denialPrevention: { recoveryRate: { low: 0.5, base: 0.4, high: 0.6 } },
    });
    expect(bad.success).toBe(false);
  });
});

describe('programs KPI domain', () => {
  it('prints every assumption next to the results', async () => {
    const config = configSchema.parse({ programs: cfg });
    const result = await programsDomain.run(wh, { asOf: '2024-12-31' }, config);
    expect(result.headline).toMatchObject({ base_annual_net_savings: 1066, base_payback_months: 5 });
    const assumptions = result.sections.find((s) => s.title === 'Assumptions')!;
    expect(assumptions.rows.find((r) => r.assumption === 'costReductionRate')).toMatchObject({
      program: 'care_management',
      low: 0.1,
      base: 0.2,
      high: 0.3,
    });
    expect(assumptions.rows.find((r) => r.assumption === 'preventableCarcs')).toMatchObject({
      base: '197 15 27 26 29 16 11 18',
    });
    expect(result.notes.some((n) => n.includes('fallback list of preventable CARCs'))).toBe(true);
  });
});
