// Payer scorecard on a hand-made warehouse: every expected number is worked out in the comments.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../../src/config.ts';
import type { Warehouse } from '../../../src/engine/duckdb.ts';
import {
  type PayerScorecardRow,
  payerRiskLabel,
  payerScorecard,
  payersDomain,
  payerTrend,
} from '../../../src/services/payers.ts';
import { payersConfigSchema } from '../../../src/services/payers-config.ts';
import { parsePeriod } from '../../../src/services/period.ts';
import { line, martWarehouse, payer } from './fixture.ts';

// Default thresholds: |variance %| 5/10, denial rate % 8/12, average days to pay 30/45.
const risk = payersConfigSchema.parse({}).risk;

// The custom range 2024-01-10..2024-02-20 (42 days); its previous comparable range is the 42 days
// before: 2023-11-29..2024-01-09.
const range = parsePeriod({ from: '2024-01-10', to: '2024-02-20' })!;

const input = {
  payer: [payer('Acme', 0.5), payer('Beta', 0.6), payer('Gamma', 0.5), payer('Zed', 0.4)],
  medical_claim: [
    // Acme, previous range: A0 served 2023-12-20, paid 300 = expected 600 x 0.5; paid 2024-01-15,
    // 24 days after its 2023-12-22 submission (so its payment lands in the current range).
    line('A0', 1, '2023-12-20', {
      charge_amount: 600,
      paid_amount: 300,
      allowed_amount: 300,
      submission_date: '2023-12-22',
      paid_date: '2024-01-15',
    }),
    // A1: expected 1000 x 0.5 - 50 coinsurance = 450, paid 400; 12 days to pay.
    line('A1', 1, '2024-01-15', {
      charge_amount: 1000,
      paid_amount: 400,
      allowed_amount: 500,
      coinsurance_amount: 50,
      submission_date: '2024-01-20',
      paid_date: '2024-02-01',
    }),
    // A2: a paid line (expected 100, paid 100) and a denied one (charge 300); the denied line's later
    // adjudication date does not count as a payment date: 2024-02-13 - 2024-02-03 = 10 days.
    line('A2', 1, '2024-02-01', {
      charge_amount: 200,
      paid_amount: 100,
      allowed_amount: 100,
      submission_date: '2024-02-03',
      paid_date: '2024-02-13',
    }),
    line('A2', 2, '2024-02-01', {
      charge_amount: 300,
      claim_status: 'denied',
      submission_date: '2024-02-03',
      paid_date: '2024-02-20',
    }),
    // A3: pending: counts as a claim and a charge, not as adjudicated.
    line('A3', 1, '2024-02-10', {
      charge_amount: 500,
      claim_status: 'pending',
      submission_date: '2024-02-12',
    }),
    // A4: partially paid, expected 400 x 0.5 - 20 deductible = 180, paid 150; no submission date, so
    // days to pay run from claim_end_date 2024-01-26 to 2024-02-15: 20 days.
    line('A4', 1, '2024-01-25', {
      claim_end_date: '2024-01-26',
      charge_amount: 400,
      paid_amount: 150,
      allowed_amount: 170,
      deductible_amount: 20,
      claim_status: 'partially_paid',
      paid_date: '2024-02-15',
    }),
    // A5: reversed, left out of everything.
    line('A5', 1, '2024-01-12', {
      charge_amount: 9999,
      paid_amount: 9999,
      claim_status: 'reversed',
      paid_date: '2024-01-20',
    }),
    // Beta, previous range: B0 has a denied line and a paid one (expected 300, paid 300, paid
    // 2024-01-05 after a 2023-12-02 submission: 34 days) -> denial 50%, investigate.
    line('B0', 1, '2023-12-01', { payer: 'Beta', charge_amount: 100, claim_status: 'denied' }),
    line('B0', 2, '2023-12-01', {
      payer: 'Beta',
      charge_amount: 500,
      paid_amount: 300,
      allowed_amount: 300,
      submission_date: '2023-12-02',
      paid_date: '2024-01-05',
    }),
    // Beta, current range: expected 1000 x 0.6 - 30 copay = 570 = paid; 20 days.
    line('B1', 1, '2024-01-20', {
      payer: 'Beta',
      charge_amount: 1000,
      paid_amount: 570,
      allowed_amount: 600,
      copayment_amount: 30,
      submission_date: '2024-01-21',
      paid_date: '2024-02-10',
    }),
    // Gamma: expected 200 x 0.5 = 100, paid 90: variance exactly 10.00% (the investigate boundary).
    line('G1', 1, '2024-02-02', {
      payer: 'Gamma',
      charge_amount: 200,
      paid_amount: 90,
      allowed_amount: 90,
      submission_date: '2024-02-02',
      paid_date: '2024-02-12',
    }),
    // Orphan: on claims only, no contract terms: no expected payment or variance.
    line('O1', 1, '2024-02-05', {
      payer: 'Orphan',
      charge_amount: 100,
      paid_amount: 80,
      allowed_amount: 80,
      paid_date: '2024-02-19',
    }),
  ],
};

let wh: Warehouse;
let rows: PayerScorecardRow[];
const byPayer = (name: string) => rows.find((r) => r.payer === name)!;

beforeAll(async () => {
  wh = await martWarehouse(['payers'], input);
  rows = await payerScorecard(wh, range, risk);
});

afterAll(async () => {
  await wh?.close();
});

describe('payer scorecard for a custom range', () => {
  it('computes charges, expected payment, net variance and variance %', () => {
    const acme = byPayer('Acme');
    // Service basis: A1, A2, A3, A4 (A0 is before the range, A5 reversed) -> 4 claims;
    // charges 1000 + 200 + 300 + 500 + 400 = 2400.
    expect(acme.claims).toBe(4);
    expect(acme.charges).toBe(2400);
    // Expected 450 + 100 + 180 = 730; paid on those lines 400 + 100 + 150 = 650; variance 80;
    // 80 / 730 = 10.9589...% -> 10.96.
    expect(acme.expected_payment).toBe(730);
    expect(acme.expected_paid_amount).toBe(650);
    expect(acme.net_variance).toBe(80);
    expect(acme.variance_pct).toBe(10.96);
    // Adjudicated: A1, A2 x2, A4 = 4 lines (A3 pending); 1 denied -> 25%.
    expect(acme.adjudicated_lines).toBe(4);
    expect(acme.denial_rate_pct).toBe(25);
  });

  it('attributes payments and days to pay by paid_date, with the median of an even count', () => {
    const acme = byPayer('Acme');
    // Paid in range: A0 (300, 24 days), A1 (400, 12), A2 (100, 10), A4 (150, 20):
    // payments 950; mean 66 / 4 = 16.5; median of 10, 12, 20, 24 = (12 + 20) / 2 = 16.
    expect(acme.payments).toBe(950);
    expect(acme.paid_claims).toBe(4);
    expect(acme.avg_days_to_pay).toBe(16.5);
    expect(acme.median_days_to_pay).toBe(16);
  });

  it('lists a payer with no activity with zeros', () => {
    expect(byPayer('Zed')).toMatchObject({
      claims: 0,
      charges: 0,
      allowed: 0,
      payments: 0,
      expected_payment: 0,
      net_variance: 0,
      adjudicated_lines: 0,
      denied_lines: 0,
      paid_claims: 0,
      variance_pct: null,
      denial_rate_pct: null,
      avg_days_to_pay: null,
      risk_label: 'ok',
    });
  });

  it('keeps payers seen only on claims, without a variance for want of contract terms', () => {
    expect(byPayer('Orphan')).toMatchObject({
      has_contract: false,
      claims: 1,
      charges: 100,
      payments: 80,
      expected_payment: null,
      net_variance: null,
      variance_pct: null,
    });
  });

  it('labels at the boundary and ranks worst first', () => {
    // Gamma: (100 - 90) / 100 = 10.00% = the investigate threshold -> investigate.
    expect(byPayer('Gamma')).toMatchObject({ variance_pct: 10, risk_label: 'investigate' });
    // Acme: variance 10.96 >= 10 and denial 25 >= 12 -> investigate; Beta: 0%, 0%, 20 days -> ok.
    expect(byPayer('Acme').risk_label).toBe('investigate');
    expect(byPayer('Beta').risk_label).toBe('ok');
    // Investigate first by |net variance| (Acme 80, Gamma 10), then ok payers (all |variance| 0) by name.
    expect(rows.map((r) => [r.rank, r.payer])).toEqual([
      [1, 'Acme'],
      [2, 'Gamma'],
      [3, 'Beta'],
      [4, 'Orphan'],
      [5, 'Zed'],
    ]);
  });

  it('keeps the rank among all payers when filtered to one', async () => {
    const only = await payerScorecard(wh, range, risk, 'Beta');
    expect(only.map((r) => [r.payer, r.rank])).toEqual([['Beta', 3]]);
  });
});

describe('payer trend versus the previous comparable period', () => {
  it('compares with 2023-11-29..2024-01-09', async () => {
    const trend = await payerTrend(wh, range, risk);
    const beta = trend.find((r) => r.payer === 'Beta')!;
    // Previous: B0 paid 300 on 2024-01-05 (34 days), 1 of 2 lines denied (50%) -> investigate.
    // Now: 570 paid, (570 - 300) / 300 = +90%; denial 0 - 50 = -50 points; days 20 - 34 = -14.
    expect(beta).toMatchObject({
      prev_risk_label: 'investigate',
      risk_label: 'ok',
      trend: 'better',
      prev_payments: 300,
      payments: 570,
      payments_change_pct: 90,
      prev_denial_rate_pct: 50,
      denial_rate_change: -50,
      prev_avg_days_to_pay: 34,
      avg_days_to_pay_change: -14,
    });
    const acme = trend.find((r) => r.payer === 'Acme')!;
    // Previous: A0 alone, variance 0%, nothing paid in the range -> ok; now investigate -> worse;
    // variance 10.96 - 0 = +10.96 points; no previous payments -> change null.
    expect(acme).toMatchObject({
      prev_risk_label: 'ok',
      trend: 'worse',
      prev_variance_pct: 0,
      variance_pct_change: 10.96,
      prev_payments: 0,
      payments_change_pct: null,
    });
  });
});

describe('risk label thresholds', () => {
  const m = { variance_pct: 0, denial_rate_pct: 0, avg_days_to_pay: 0, adjudicated_lines: 10 };
  it('reaches a label at exactly its threshold', () => {
    expect(payerRiskLabel({ ...m, variance_pct: 4.99 }, risk).label).toBe('ok');
    expect(payerRiskLabel({ ...m, variance_pct: 5 }, risk).label).toBe('monitor');
    expect(payerRiskLabel({ ...m, variance_pct: 9.99 }, risk).label).toBe('monitor');
    expect(payerRiskLabel({ ...m, variance_pct: -10 }, risk).label).toBe('investigate');
    expect(payerRiskLabel({ ...m, denial_rate_pct: 7.99 }, risk).label).toBe('ok');
    expect(payerRiskLabel({ ...m, denial_rate_pct: 8 }, risk).label).toBe('monitor');
    expect(payerRiskLabel({ ...m, denial_rate_pct: 12 }, risk).label).toBe('investigate');
    expect(payerRiskLabel({ ...m, avg_days_to_pay: 29.9 }, risk).label).toBe('ok');
    expect(payerRiskLabel({ ...m, avg_days_to_pay: 30 }, risk)).toEqual({
      label: 'monitor',
      reasons: ['avg days to pay 30 >= 30'],
    });
    expect(payerRiskLabel({ ...m, avg_days_to_pay: 45 }, risk).label).toBe('investigate');
  });

  it('takes the worst label and honours the volume floor', () => {
    const worst = payerRiskLabel({ ...m, variance_pct: 6, denial_rate_pct: 13 }, risk);
    expect(worst).toEqual({ label: 'investigate', reasons: ['|variance| 6% >= 5', 'denial rate 13% >= 12'] });
    const floor = { ...risk, minAdjudicatedLines: 11 };
    expect(payerRiskLabel({ ...m, denial_rate_pct: 50 }, floor).label).toBe('ok');
  });
});

describe('payers KPI domain', () => {
  it('returns the scorecard, the trend and totals for the range', async () => {
    const config = configSchema.parse({});
    const result = await payersDomain.run(wh, { period: range }, config);
    expect(result.sections.map((s) => s.title)).toEqual([
      'Payer scorecard 2024-01-10..2024-02-20',
      'Trend vs 2023-11-29..2024-01-09',
    ]);
    // Headline: claims 4 + 1 + 1 + 0 + 1 = 7; payments 950 + 570 + 90 + 0 + 80 = 1690; expected over
    // payers with contracts 730 + 570 + 100 = 1400, paid on it 650 + 570 + 90 = 1310: variance 90,
    // 90 / 1400 = 6.43%; denial: 1 denied of 4 + 1 + 1 + 1 = 7 adjudicated lines -> 14.29%.
    expect(result.headline).toMatchObject({
      payers: 5,
      investigate: 2,
      claims: 7,
      payments: 1690,
      net_variance: 90,
      variance_pct: 6.43,
      denial_rate_pct: 14.29,
    });
  });

  it('builds the monthly mart on the same definitions', async () => {
    // Acme, January 2024 by service: A1 and A4 (A5 reversed): expected 450 + 180 = 630, paid 550,
    // variance 80 -> 12.70%; by payment: A0 paid 2024-01-15, 300, 24 days.
    const jan = await wh.one<Record<string, number>>(
      "SELECT * FROM marts.payer_monthly WHERE payer = 'Acme' AND month = DATE '2024-01-01'",
    );
    expect(jan).toMatchObject({
      claims: 2,
      expected_payment: 630,
      net_variance: 80,
      variance_pct: 12.7,
      payments: 300,
      avg_days_to_pay: 24,
    });
  });
});
