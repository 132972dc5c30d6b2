// Revenue-cycle marts and service on hand-made books: A/R aging boundaries, days in A/R, clean claim
// rate, collection and write-off rates, bad debt and cost to collect. Expected numbers worked out below.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../../src/config.ts';
import type { Warehouse } from '../../../src/engine/duckdb.ts';
import { parsePeriod } from '../../../src/services/period.ts';
import {
  arAging,
  arSummary,
  cashMetrics,
  cohortMetrics,
  daysToPay,
  rcmDomain,
  rcmScope,
  underpayments,
} from '../../../src/services/rcm.ts';
import { testWarehouse } from '../../helpers/warehouse.ts';
import { adjustment, line, payer, span } from '../payers/fixture.ts';

const config = configSchema.parse({});
// The rcm service reads these (the denials marts for the initial denial rate).
const RCM_MODELS = [
  'marts/rcm/',
  'marts/denials/',
  'intermediate.payer_claim',
  'intermediate.rcm_data_end',
  'staging.finance_ledger',
];

describe('A/R at an as-of date', () => {
  let wh: Warehouse;

  // Acme pays 50% of charges. As of 2024-06-30, four pending claims of 100 (payer receivable 50 each)
  // billed 30, 31, 120 and 121 days before, and R5 billed 2024-04-01 (90 days), paid 60 on 04-20 with
  // a patient share of 40 of which the patient paid 15 on 05-10: patient receivable 25.
  beforeAll(async () => {
    const pending = (claim: string, billed: string) =>
      line(claim, 1, billed, { claim_status: 'pending', charge_amount: 100, submission_date: billed });
    wh = await testWarehouse(
      {
        payer: [payer('Acme', 0.5)],
        eligibility: [span('p1', '2024-01-01', '2024-12-31')],
        medical_claim: [
          pending('R1', '2024-05-31'),
          pending('R2', '2024-05-30'),
          pending('R3', '2024-03-02'),
          pending('R4', '2024-03-01'),
          line('R5', 1, '2024-03-28', {
            charge_amount: 200,
            allowed_amount: 100,
            coinsurance_amount: 40,
            paid_amount: 60,
            paid_date: '2024-04-20',
            submission_date: '2024-04-01',
          }),
        ],
        claim_adjustment: [
          adjustment('R5', 1, '45', '2024-04-20', 100),
          adjustment('R5', 1, '2', '2024-04-20', 40, { adjustment_group_code: 'PR', adjustment_sequence: 2 }),
        ],
        payment: [
          {
            payment_id: 'PT1',
            claim_id: 'R5',
            person_id: 'p1',
            payment_source: 'patient',
            payment_date: '2024-05-10',
            payment_amount: 15,
          },
        ],
      },
      { models: RCM_MODELS, codesets: true },
    );
  });

  afterAll(async () => {
    await wh.close();
  });

  it('puts day 30 in 0-30, day 31 in 31-60, day 120 in 91-120 and day 121 over 120', async () => {
    const scope = await rcmScope(wh, { asOf: '2024-06-30' });
    const rows = await arAging(wh, scope, 120);
    // 06-30 - 05-31 = 30; - 05-30 = 31; - 03-02 = 29 + 30 + 31 + 30 = 120; - 03-01 = 121;
    // - 04-01 = 90 (R5's patient balance 40 - 15 = 25).
    expect(rows.map((r) => [r.bucket, r.payer_open, r.patient_open])).toEqual([
      ['0-30', 50, 0],
      ['31-60', 50, 0],
      ['61-90', 0, 25],
      ['91-120', 50, 0],
      ['over 120', 50, 0],
    ]);
  });

  it('divides A/R by the average daily net revenue of the trailing 90 days', async () => {
    const scope = await rcmScope(wh, { asOf: '2024-06-30' });
    const ar = await arSummary(wh, scope, await arAging(wh, scope, 120), 90);
    // A/R = 4 x 50 + 25 = 225. Window 04-02..06-30 (90 days) holds R1 and R2: net revenue 2 x 100 x 0.5
    // = 100, 100 / 90 = 1.111 a day; 225 / (100 / 90) = 202.5 days. Over 90 days: R3 + R4 = 100 of 225.
    expect(ar).toEqual({
      as_of: '2024-06-30',
      payer_open: 200,
      patient_open: 25,
      ar_total: 225,
      aged_over_90_pct: 44.44,
      avg_daily_net_revenue: 1.11,
      days_in_ar: 202.5,
      window_days: 90,
    });
  });

  it('drops a patient balance from A/R once it is more than 120 days past patient billing', async () => {
    // R5's patient share was established on 04-20: 120 days later is 08-18 (still A/R), 08-19 is bad debt.
    const patientOpen = async (asOf: string) =>
      (await arAging(wh, await rcmScope(wh, { asOf }), 120)).reduce((a, r) => a + r.patient_open, 0);
    expect(await patientOpen('2024-08-18')).toBe(25);
    expect(await patientOpen('2024-08-19')).toBe(0);
  });

  it('sees a claim as of an earlier date as it stood then', async () => {
    const scope = await rcmScope(wh, { asOf: '2024-04-19' });
    const rows = await arAging(wh, scope, 120);
    // On 04-19 R5 (billed 04-01, 18 days) is not paid yet: payer receivable 200 x 0.5 - 40 = 60;
    // R1 and R2 are not billed yet; R3 (48 days) and R4 (49 days) are in 31-60.
    expect(rows.map((r) => [r.bucket, r.payer_open, r.patient_open])).toEqual([
      ['0-30', 60, 0],
      ['31-60', 100, 0],
    ]);
  });
});

describe('claims billed in 2024Q1, as of 2024-12-31', () => {
  let wh: Warehouse;

  // K1: 2 lines, paid on one remittance 01-31 (line 1: 1000 - CO-45 400 - PR-2 100 = 500; line 2:
  //     500 - CO-45 200 = 300), patient pays its 100 on 03-01. Clean.
  // K2: 400, denied CO-197 02-01, paid 200 on appeal 03-15 (CO-45 200). Not clean.
  // K3: 300, denied CO-16 02-05, still denied: denial write-off 300.
  // K4: 200, paid 0 on 02-10 (CO-45 80, PR-1 deductible 120); the patient never pays: bad debt. Clean.
  // K5: 500 on 02-20: same person, date, HCPCS and charge as K1 line 2, denied OA-18: a resubmission.
  beforeAll(async () => {
    wh = await testWarehouse(
      {
        payer: [payer('Acme', 0.6)],
        eligibility: [span('p1', '2024-01-01', '2024-12-31', { state: 'OH', zip_code: '43210' })],
        medical_claim: [
          line('K1', 1, '2024-01-05', {
            hcpcs_code: '99214',
            charge_amount: 1000,
            allowed_amount: 600,
            coinsurance_amount: 100,
            paid_amount: 500,
            paid_date: '2024-01-31',
            submission_date: '2024-01-10',
          }),
          line('K1', 2, '2024-01-05', {
            charge_amount: 500,
            allowed_amount: 300,
            paid_amount: 300,
            paid_date: '2024-01-31',
            submission_date: '2024-01-10',
          }),
          line('K2', 1, '2024-01-12', {
            charge_amount: 400,
            allowed_amount: 200,
            paid_amount: 200,
            paid_date: '2024-03-15',
            submission_date: '2024-01-15',
          }),
          line('K3', 1, '2024-01-18', {
            charge_amount: 300,
            claim_status: 'denied',
            submission_date: '2024-01-20',
          }),
          line('K4', 1, '2024-01-22', {
            charge_amount: 200,
            allowed_amount: 120,
            deductible_amount: 120,
            paid_amount: 0,
            paid_date: '2024-02-10',
            submission_date: '2024-01-25',
          }),
          line('K5', 1, '2024-01-05', {
            charge_amount: 500,
            claim_status: 'denied',
            submission_date: '2024-02-20',
          }),
        ],
        claim_adjustment: [
          adjustment('K1', 1, '45', '2024-01-31', 400),
          adjustment('K1', 1, '2', '2024-01-31', 100, {
            adjustment_group_code: 'PR',
            adjustment_sequence: 2,
          }),
          adjustment('K1', 2, '45', '2024-01-31', 200),
          adjustment('K2', 1, '197', '2024-02-01', 400),
          adjustment('K2', 1, '45', '2024-03-15', 200),
          adjustment('K3', 1, '16', '2024-02-05', 300),
          adjustment('K4', 1, '45', '2024-02-10', 80),
          adjustment('K4', 1, '1', '2024-02-10', 120, {
            adjustment_group_code: 'PR',
            adjustment_sequence: 2,
          }),
          adjustment('K5', 1, '18', '2024-03-01', 500, { adjustment_group_code: 'OA' }),
        ],
        payment: [
          {
            payment_id: 'PT1',
            claim_id: 'K1',
            person_id: 'p1',
            payment_source: 'patient',
            payment_date: '2024-03-01',
            payment_amount: 100,
          },
        ],
        finance_ledger: [
          { ledger_month: '2024-01-01', payer: 'Acme', payer_payments: 0, revenue_cycle_cost: 10 },
          { ledger_month: '2024-02-01', payer: 'Acme', payer_payments: 0, revenue_cycle_cost: 10 },
          { ledger_month: '2024-03-01', payer: 'Acme', payer_payments: 0, revenue_cycle_cost: 10 },
        ],
      },
      { models: RCM_MODELS, codesets: true },
    );
  });

  afterAll(async () => {
    await wh.close();
  });

  const q1 = parsePeriod({ period: '2024Q1' })!;

  it('gives the clean claim rate, collection rates and write-offs of the billing cohort', async () => {
    const scope = await rcmScope(wh, { period: q1, asOf: '2024-12-31' });
    const [t] = (await cohortMetrics(wh, scope, ['total'], 120)).total;
    // 5 claims, all adjudicated; clean: K1 and K4 -> 2/5 = 40%.
    // Charges 1500 + 400 + 300 + 200 + 500 = 2900. Contractual 400 + 200 + 200 + 80 = 880.
    // Payments: payer 800 + 200 + 0 = 1000, patient 100 -> 1100.
    // Gross 1100 / 2900 = 37.93%; net 1100 / (2900 - 880) = 1100 / 2020 = 54.46%.
    // Denial write-off K3 300 + K5 500 = 800 -> 27.59%; contractual 880 / 2900 = 30.34%.
    // Bad debt: K4's 120, billed to the patient 02-10, 325 days before the as-of date -> 4.14%.
    // (1100 + 880 + 800 + 120 = 2900: every charged dollar is accounted for.)
    expect(t).toMatchObject({
      claims: 5,
      adjudicated_claims: 5,
      clean_claims: 2,
      clean_claim_rate_pct: 40,
      charges: 2900,
      payer_paid: 1000,
      patient_paid: 100,
      contractual: 880,
      denial_write_off: 800,
      bad_debt: 120,
      gross_collection_rate_pct: 37.93,
      net_collection_rate_pct: 54.46,
      contractual_write_off_pct: 30.34,
      denial_write_off_pct: 27.59,
      bad_debt_pct: 4.14,
    });
  });

  it('counts a balance as bad debt only once it is more than 120 days past patient billing', async () => {
    // K4 was billed to the patient on 2024-02-10: 120 days later is 06-09 (not yet), 121 is 06-10.
    const at = async (asOf: string) =>
      (await cohortMetrics(wh, await rcmScope(wh, { period: q1, asOf }), ['total'], 120)).total[0]!.bad_debt;
    expect(await at('2024-06-09')).toBe(0);
    expect(await at('2024-06-10')).toBe(120);
  });

  it('computes cost to collect from the ledger and cash in the months of the period', async () => {
    const scope = await rcmScope(wh, { period: q1, asOf: '2024-12-31' });
    const cash = await cashMetrics(wh, scope, config.rcm);
    // No payer rows in input.payment: payer cash = paid amounts by paid date: 800 (01-31) + 200 (03-15).
    // Patient cash 100 (03-01). Cash 1100; ledger cost 3 x 10 = 30 -> 30 / 1100 = 2.73%.
    // Net revenue billed in Q1 = 2900 x 0.6 = 1740 -> cash collection 1100 / 1740 = 63.22%.
    expect(cash).toMatchObject({
      payer_cash: 1000,
      patient_cash: 100,
      cash: 1100,
      net_revenue: 1740,
      cash_collection_pct: 63.22,
      revenue_cycle_cost: 30,
      cost_source: 'finance_ledger',
      cost_to_collect_pct: 2.73,
    });
  });

  it('falls back to the configured cost per claim, or to none, without ledger cost', async () => {
    const scope = await rcmScope(wh, { period: parsePeriod({ period: '2024-04' })!, asOf: '2024-12-31' });
    // April: no ledger row, no claim billed, no cash.
    expect((await cashMetrics(wh, scope, config.rcm)).cost_source).toBe('none');
    const q1Scope = await rcmScope(wh, { period: q1, asOf: '2024-12-31' });
    await wh.run('UPDATE input.finance_ledger SET revenue_cycle_cost = NULL');
    try {
      const withCost = await cashMetrics(wh, q1Scope, { ...config.rcm, costPerClaim: 5 });
      // 5 claims billed in Q1 x 5 = 25; 25 / 1100 = 2.27%.
      expect([withCost.cost_source, withCost.revenue_cycle_cost, withCost.cost_to_collect_pct]).toEqual([
        'config',
        25,
        2.27,
      ]);
    } finally {
      await wh.run('UPDATE input.finance_ledger SET revenue_cycle_cost = 10');
    }
  });

  it('reports days to pay and underpayment against the contract per payer', async () => {
    const scope = await rcmScope(wh, { period: q1, asOf: '2024-12-31' });
    // Paid claims: K1 01-31 (21 days after 01-10), K2 03-15 (60 days after 01-15), K4 02-10 (16 days).
    // Mean 97 / 3 = 32.3, median 21, p90: 21 + 0.8 x (60 - 21) = 52.2.
    expect(await daysToPay(wh, scope)).toEqual([
      { payer: 'Acme', paid_claims: 3, avg_days_to_pay: 32.3, median_days_to_pay: 21, p90_days_to_pay: 52.2 },
    ]);
    // Expected payment (60% contract, less cost sharing): K1 1000 x 0.6 - 100 + 500 x 0.6 = 800, paid 800;
    // K2 400 x 0.6 = 240, paid 200 (40 short: underpaid); K4 200 x 0.6 - 120 = 0, paid 0.
    expect(await underpayments(wh, scope, 1)).toEqual([
      {
        payer: 'Acme',
        claims: 3,
        expected_payment: 1040,
        paid: 1000,
        net_variance: 40,
        variance_pct: 3.85,
        underpaid_claims: 1,
        underpaid_amount: 40,
      },
    ]);
  });

  it('groups the cohort by the member state and 3-digit ZIP', async () => {
    const scope = await rcmScope(wh, { period: q1, asOf: '2024-12-31' });
    const rows = await cohortMetrics(wh, scope, ['state', 'zip3'], 120);
    expect(rows.state.map((r) => [r.key, r.claims, r.net_collection_rate_pct])).toEqual([['OH', 5, 54.46]]);
    expect(rows.zip3.map((r) => [r.key, r.claims, r.net_collection_rate_pct])).toEqual([['432', 5, 54.46]]);
    expect(rows.total).toEqual([]);
  });

  it('serves the rcm KPI headline', async () => {
    const r = await rcmDomain.run(wh, { period: q1, asOf: '2024-12-31' }, config);
    // Initial denial rate: lines first adjudicated in Jan-Mar: K1 x2, K2, K3, K4, K5 = 6; initially
    // denied K2, K3, K5 = 3 -> 50%. A/R at year end: nothing; K4's 120 patient balance is bad debt.
    expect(r.headline).toMatchObject({
      as_of: '2024-12-31',
      claims: 5,
      clean_claim_rate_pct: 40,
      initial_denial_rate_pct: 50,
      net_collection_rate_pct: 54.46,
      bad_debt_pct: 4.14,
      cost_to_collect_pct: 2.73,
      ar_total: 0,
    });
  });
});
