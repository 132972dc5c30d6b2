// Patient balances, payment history and financial-assistance screening on a hand-made book, and the
// likelihood-to-pay feature mart. Every expected number is worked out in the comments.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../../src/config.ts';
import type { Warehouse } from '../../../src/engine/duckdb.ts';
import {
  assistanceByTier,
  patientAccounts,
  patientScope,
  patientSummary,
  patientsDomain,
} from '../../../src/services/patients.ts';
import { type InputRow, testWarehouse } from '../../helpers/warehouse.ts';
import { adjustment, line, payer, span } from '../payers/fixture.ts';

const config = configSchema.parse({});
const policy = config.rcm.financialAssistance;
const MODELS = ['marts/patients/', 'intermediate.rcm_person_fpl', 'intermediate.rcm_data_end'];

/** A claim of `person` paid 100 on `remit` after a 300 contractual write-down, `owed` billed to the patient. */
function billed(person: string, claim: string, service: string, remit: string, owed: number) {
  return {
    claim: line(claim, 1, service, {
      person_id: person,
      member_id: `m-${person}`,
      charge_amount: 400 + owed,
      allowed_amount: 100 + owed,
      coinsurance_amount: owed,
      paid_amount: 100,
      paid_date: remit,
      submission_date: service,
    }),
    adjustments: [
      adjustment(claim, 1, '45', remit, 300),
      adjustment(claim, 1, '2', remit, owed, { adjustment_group_code: 'PR', adjustment_sequence: 2 }),
    ],
  };
}

function patientPayment(
  id: string,
  person: string,
  claim: string | null,
  date: string,
  amount: number,
): InputRow {
  return {
    payment_id: id,
    claim_id: claim,
    person_id: person,
    payment_source: 'patient',
    payment_date: date,
    payment_amount: amount,
  };
}

describe('patient balances and financial-assistance screening (2025 guidelines)', () => {
  let wh: Warehouse;

  // Household 4 in the contiguous states, 2025: guideline 32,150, so 200% = 64,300.
  // Alaska's 2025 guideline for 4 is 40,190. Household 10: 54,150 (size 8) + 2 x 5,500 = 65,150.
  const persons: [string, Record<string, string | number | null>][] = [
    ['f4', { state: 'TX', household_size: 4, household_income: 64300 }],
    ['f5', { state: 'TX', household_size: 4, household_income: 64301 }],
    ['fak', { state: 'AK', household_size: 4, household_income: 70000 }],
    ['fco', { state: 'OH', household_size: 4, household_income: 70000 }],
    ['fnone', { state: 'OH', household_size: 2, household_income: 200000 }],
    ['fnull', { state: 'OH', household_size: 3, household_income: null }],
    ['fbig', { state: 'OH', household_size: 10, household_income: 130300 }],
    ['fpr', { state: 'PR', household_size: 2, household_income: 10000 }],
  ];

  beforeAll(async () => {
    // Each person is billed 100 on 2025-02-01. f4 pays 30 (03-01) and 20 (04-01); fak pays all 100
    // (02-20); fnull pays 10 on account (no claim) on 05-01.
    const bills = persons.map(([p], i) => billed(p, `C${i}`, '2025-01-15', '2025-02-01', 100));
    wh = await testWarehouse(
      {
        payer: [payer('Acme', 0.5)],
        eligibility: persons.map(([p, extra]) =>
          span(p, '2025-01-01', '2025-12-31', { member_id: `m-${p}`, ...extra }),
        ),
        medical_claim: bills.map((b) => b.claim),
        claim_adjustment: bills.flatMap((b) => b.adjustments),
        payment: [
          patientPayment('P1', 'f4', 'C0', '2025-03-01', 30),
          patientPayment('P2', 'f4', 'C0', '2025-04-01', 20),
          patientPayment('P3', 'fak', 'C2', '2025-02-20', 100),
          patientPayment('P4', 'fnull', null, '2025-05-01', 10),
        ],
      },
      { models: MODELS, codesets: true },
    );
  });

  afterAll(async () => {
    await wh.close();
  });

  async function account(person: string, asOf = '2025-06-30') {
    const scope = await patientScope(wh, { asOf });
    return (await patientAccounts(wh, scope, policy, { personId: person }))[0]!;
  }

  it('puts a household exactly at 200% FPL in the free-care tier and one dollar more in the discount tier', async () => {
    // 64,300 x 100 = 200 x 32,150: at the limit, so free care. 64,301 is 200.003%: sliding discount
    // (its percent shows as 200 at 2 decimals; the tier compares exact amounts).
    expect(await account('f4')).toMatchObject({
      guideline_amount: 32150,
      fpl_pct: 200,
      assistance_tier: 'free_care',
    });
    expect(await account('f5')).toMatchObject({ fpl_pct: 200, assistance_tier: 'sliding_discount' });
  });

  it('uses the Alaska guideline for AK and the contiguous one elsewhere', async () => {
    // 70,000 / 40,190 = 174.17% (free care in Alaska); 70,000 / 32,150 = 217.73% (discount in Ohio).
    expect(await account('fak')).toMatchObject({
      guideline_amount: 40190,
      fpl_pct: 174.17,
      assistance_tier: 'free_care',
    });
    expect(await account('fco')).toMatchObject({
      guideline_amount: 32150,
      fpl_pct: 217.73,
      assistance_tier: 'sliding_discount',
    });
    // Household 10: 65,150; 130,300 is exactly 200%.
    expect(await account('fbig')).toMatchObject({
      guideline_amount: 65150,
      fpl_pct: 200,
      assistance_tier: 'free_care',
    });
    // 200,000 / 21,150 = 945.63%: no assistance.
    expect(await account('fnone')).toMatchObject({ fpl_pct: 945.63, assistance_tier: 'none' });
  });

  it('marks members without income or a guideline region unknown, never guessed', async () => {
    expect(await account('fnull')).toMatchObject({
      fpl_pct: null,
      assistance_tier: 'unknown',
      unknown_reason: 'no household income',
    });
    expect(await account('fpr')).toMatchObject({
      guideline_amount: null,
      assistance_tier: 'unknown',
      unknown_reason: 'no guideline region',
    });
  });

  it('keeps each person’s payment history as of any date', async () => {
    // As of 06-30: f4 billed 100, paid 30 + 20 = 50 in 2 payments, last on 04-01, 90 days before.
    expect(await account('f4')).toMatchObject({
      billed: 100,
      paid: 50,
      open_balance: 50,
      payments: 2,
      last_payment_date: '2025-04-01',
      days_since_last_payment: 90,
    });
    // As of 03-15 only the first payment had arrived, 14 days before.
    expect(await account('f4', '2025-03-15')).toMatchObject({
      paid: 30,
      open_balance: 70,
      payments: 1,
      days_since_last_payment: 14,
    });
    // fnull's payment on account reduces the person's balance.
    expect(await account('fnull')).toMatchObject({
      billed: 100,
      paid: 10,
      open_balance: 90,
      claims_billed: 1,
    });
    // Summed from the ledger (a payer filter forces it) instead of read from the account mart: the
    // same f4; fnull's payment on account belongs to no payer, so it drops out.
    const acme = await patientScope(wh, { asOf: '2025-06-30', payer: 'Acme' });
    expect(acme.wholeLedger).toBe(false);
    const viaLedger = await patientAccounts(wh, acme, policy);
    expect(viaLedger.find((r) => r.person_id === 'f4')).toEqual(await account('f4'));
    expect(viaLedger.find((r) => r.person_id === 'fnull')).toMatchObject({ paid: 0, open_balance: 100 });
  });

  it('sums balances and tiers over all persons', async () => {
    const scope = await patientScope(wh, { asOf: '2025-06-30' });
    // Billed 8 x 100 = 800; paid 50 + 100 + 10 = 160 (20%); open 640, everyone but fak.
    // No payment for more than 120 days: first bill 02-01 is 149 days old for the 5 who never paid.
    expect(await patientSummary(wh, scope, policy)).toEqual({
      persons_billed: 8,
      persons_with_open_balance: 7,
      billed: 800,
      paid: 160,
      open_balance: 640,
      patient_collection_rate_pct: 20,
      persons_no_payment_120d: 5,
    });
    // Free care: f4 (50 open), fak (0), fbig (100); discount: f5, fco; none: fnone; unknown: fnull (90), fpr.
    const tiers = await assistanceByTier(wh, scope, policy);
    expect(
      tiers.map((t) => [t.assistance_tier, t.persons, t.persons_with_open_balance, t.open_balance]),
    ).toEqual([
      ['free_care', 3, 2, 150],
      ['sliding_discount', 2, 2, 200],
      ['none', 1, 1, 100],
      ['unknown', 2, 2, 190],
    ]);
  });

  it('applies configured tiers and serves the patients KPI', async () => {
    // Free care up to 150%: f4 (200%) becomes a discount; fak (174%) too.
    const strict = configSchema.parse({ rcm: { financialAssistance: { freeCareMaxFplPct: 150 } } });
    const r = await patientsDomain.run(wh, { asOf: '2025-06-30' }, strict);
    expect(r.headline).toMatchObject({
      guideline_year: '2025',
      persons_billed: 8,
      open_balance: 640,
      persons_free_care: 0,
      persons_sliding_discount: 5,
      persons_unknown_income: 2,
    });
  });

  it('refuses tiers out of order', () => {
    expect(() =>
      configSchema.parse({
        rcm: { financialAssistance: { freeCareMaxFplPct: 300, discountMaxFplPct: 250 } },
      }),
    ).toThrow(/freeCareMaxFplPct must not exceed discountMaxFplPct/);
  });
});

describe('marts.ml_pay_features', () => {
  let wh: Warehouse;

  // q1 (OH, household 2, income 42,300; ZIP 43210 with ADI 55): billed 100 on 2024-01-10 and paid it
  //    on 02-01; billed 200 on 06-01 and paid 120 on 08-01; 10 more on 12-01.
  // q2: billed 300 on 03-01, paid 100 on 04-01.  q3: billed 80 on 11-15.
  // The data ends on 2024-12-01 (latest remittance or payment).
  beforeAll(async () => {
    const b1 = billed('q1', 'Q1A', '2024-01-05', '2024-01-10', 100);
    const b2 = billed('q1', 'Q1B', '2024-05-25', '2024-06-01', 200);
    const b3 = billed('q2', 'Q2A', '2024-02-20', '2024-03-01', 300);
    const b4 = billed('q3', 'Q3A', '2024-11-01', '2024-11-15', 80);
    const all = [b1, b2, b3, b4];
    wh = await testWarehouse(
      {
        payer: [payer('Acme', 0.5)],
        area_deprivation: [{ zip_code: '43210', state: 'OH', adi_national_percentile: 55 }],
        eligibility: ['q1', 'q2', 'q3'].map((p) =>
          span(p, '2024-01-01', '2024-12-31', {
            member_id: `m-${p}`,
            state: 'OH',
            zip_code: '43210',
            household_size: p === 'q1' ? 2 : null,
            household_income: p === 'q1' ? 42300 : null,
          }),
        ),
        medical_claim: all.map((b) => b.claim),
        claim_adjustment: all.flatMap((b) => b.adjustments),
        payment: [
          patientPayment('P1', 'q1', 'Q1A', '2024-02-01', 100),
          patientPayment('P2', 'q1', 'Q1B', '2024-08-01', 120),
          patientPayment('P3', 'q1', 'Q1B', '2024-12-01', 10),
          patientPayment('P4', 'q2', 'Q2A', '2024-04-01', 100),
        ],
      },
      { models: ['marts.ml_pay_features'], codesets: true },
    );
  });

  afterAll(async () => {
    await wh.close();
  });

  it('labels payment of half the balance within 120 days, null when the window passes the data end', async () => {
    const rows = await wh.all<{
      person_id: string;
      event_date: string;
      label: number | null;
      f_balance: number;
    }>('SELECT person_id, event_date, label, f_balance FROM marts.ml_pay_features ORDER BY person_id');
    // q1: latest bill 06-01; balance = 300 billed through 06-01 - 100 paid before = 200; 120 paid by
    //     09-29 (06-01 + 120) >= 100 -> 1 (the 10 of 12-01 is too late to count).
    // q2: 100 paid of 300 < 150 -> 0 (03-01 + 120 = 06-29 is before the data end).
    // q3: 11-15 + 120 days is after 12-01 -> null.
    expect(rows).toEqual([
      { person_id: 'q1', event_date: '2024-06-01', label: 1, f_balance: 200 },
      { person_id: 'q2', event_date: '2024-03-01', label: 0, f_balance: 300 },
      { person_id: 'q3', event_date: '2024-11-15', label: null, f_balance: 80 },
    ]);
  });

  it('builds features from what was known at billing', async () => {
    const q1 = await wh.one('SELECT * FROM marts.ml_pay_features WHERE person_id = ?', ['q1']);
    // Guideline 2024, household 2: 20,440 -> 42,300 / 20,440 = 206.95%. Age on 2024-06-01: 44.
    // Before 06-01: one bill (100), one payment (100), last payment 02-01, 121 days earlier.
    // Visits in the 365 days to 06-01: 2024-01-05 and 2024-05-25.
    expect(q1).toEqual({
      person_id: 'q1',
      event_date: '2024-06-01',
      label: 1,
      f_balance: 200,
      f_bill_amount: 200,
      f_household_income: 42300,
      f_household_size: 2,
      f_fpl_pct: 206.95,
      f_adi_national_percentile: 55,
      f_payer_type: 'commercial',
      f_age: 44,
      f_prior_bills: 1,
      f_prior_billed_amount: 100,
      f_prior_payments: 1,
      f_prior_paid_amount: 100,
      f_prior_paid_share: 1,
      f_days_since_last_payment: 121,
      f_visits_365d: 2,
    });
    const q2 = await wh.one(
      'SELECT f_household_income, f_fpl_pct, f_prior_paid_share FROM marts.ml_pay_features WHERE person_id = ?',
      ['q2'],
    );
    // Unknown income stays null; no earlier bill, so no paid share.
    expect(q2).toEqual({ f_household_income: null, f_fpl_pct: null, f_prior_paid_share: null });
  });
});
