// The denial-prediction feature mart on a hand-made book: the label, and features observable at
// submission only: a member's prior denials count uses denials known strictly before event_date.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../../src/engine/duckdb.ts';
import { testWarehouse } from '../../helpers/warehouse.ts';
import { adjustment, line, span } from '../payers/fixture.ts';

// Member p2 (born 1980-06-15), enrolled with Acme through 2024-12-31; Acme's filing limit is 90 days.
// Denials (first remittance = the day the denial became known):
//   D1 submitted 01-05, denied 01-20      D2 submitted 01-10, denied 03-01
//   D7 submitted 07-01, denied 07-19      D5 submitted 07-25, denied 08-01
// Lines scored: D3 submitted 03-01 (paid), D4 submitted 07-18 and D6 submitted 07-19 (pending).
const p2 = { person_id: 'p2', member_id: 'm-p2' };
const denied = (claim: string, service: string, submitted: string, extra = {}) =>
  line(claim, 1, service, {
    ...p2,
    claim_status: 'denied',
    charge_amount: 100,
    submission_date: submitted,
    ...extra,
  });

let wh: Warehouse;

beforeAll(async () => {
  wh = await testWarehouse(
    {
      payer: [{ payer: 'Acme', payer_type: 'commercial', contract_allowed_pct: 0.5, timely_filing_days: 90 }],
      eligibility: [span('p2', '2024-01-01', '2024-12-31', { ...p2, birth_date: '1980-06-15' })],
      medical_claim: [
        denied('D1', '2024-01-02', '2024-01-05'),
        denied('D2', '2024-01-03', '2024-01-10'),
        line('D3', 1, '2024-02-20', {
          ...p2,
          charge_amount: 100,
          paid_amount: 50,
          allowed_amount: 50,
          submission_date: '2024-03-01',
          diagnosis_code_1: 'R69',
        }),
        // D4: service 2024-06-14 (a day before the 44th birthday), MRI brain, no authorization number.
        line('D4', 1, '2024-06-14', {
          ...p2,
          claim_status: 'pending',
          hcpcs_code: '70553',
          charge_amount: 3800,
          submission_date: '2024-07-18',
          diagnosis_code_1: 'E119',
        }),
        // D6: service 2024-04-01 submitted 109 days later (over the 90-day limit), outside no span;
        // same person, date, HCPCS and charge as D8 which was submitted earlier.
        line('D6', 1, '2024-04-01', {
          ...p2,
          claim_status: 'pending',
          charge_amount: 120,
          submission_date: '2024-07-19',
          diagnosis_code_1: 'I10',
          prior_authorization_number: 'PA123',
        }),
        line('D8', 1, '2024-04-01', {
          ...p2,
          charge_amount: 120,
          paid_amount: 60,
          allowed_amount: 60,
          submission_date: '2024-04-10',
        }),
        denied('D7', '2024-06-20', '2024-07-01'),
        denied('D5', '2024-07-20', '2024-07-25'),
        // D9: service before enrollment starts.
        line('D9', 1, '2023-12-20', {
          ...p2,
          charge_amount: 50,
          paid_amount: 25,
          submission_date: '2024-01-02',
        }),
      ],
      claim_adjustment: [
        adjustment('D1', 1, '16', '2024-01-20', 100),
        adjustment('D2', 1, '16', '2024-03-01', 100),
        adjustment('D3', 1, '45', '2024-03-20', 50),
        adjustment('D7', 1, '16', '2024-07-19', 100),
        adjustment('D5', 1, '16', '2024-08-01', 100),
      ],
    },
    { models: ['marts.ml_denial_features'], codesets: true },
  );
});

afterAll(async () => {
  await wh.close();
});

async function features(claim: string): Promise<Record<string, unknown>> {
  return (await wh.one(`SELECT * FROM marts.ml_denial_features WHERE claim_id = '${claim}'`))!;
}

describe('marts.ml_denial_features', () => {
  it('counts only denials known strictly before event_date, within 180 days', async () => {
    const rows = await wh.all<{ claim_id: string; event_date: string; f_prior_denials_180d: number }>(
      'SELECT claim_id, event_date, f_prior_denials_180d FROM marts.ml_denial_features ORDER BY claim_id',
    );
    // D1 (event 01-05): no denial known yet -> 0. D2 (01-10): D1 is known only on 01-20 -> 0.
    // D3 (03-01): D1 (01-20) counts; D2 became known on 03-01 itself, the same day -> excluded -> 1.
    // D4 (07-18): window 2024-01-20..07-17 (07-18 minus 180 days is 01-20, leap year): D1, D2 -> 2;
    //   D7's denial (07-19) and D5's (08-01) come later.
    // D6 (07-19): window 01-21..07-18: D1 drops out, D2 stays; D7 is known on 07-19, same day -> 1.
    // D7 (07-01): D1, D2 -> 2. D5 (07-25): D2, D7 (07-19) -> 2; D1 is 187 days old.
    // D8 (04-10): D1, D2 -> 2. D9 (01-02): 0.
    expect(rows.map((r) => [r.claim_id, r.event_date, r.f_prior_denials_180d])).toEqual([
      ['D1', '2024-01-05', 0],
      ['D2', '2024-01-10', 0],
      ['D3', '2024-03-01', 1],
      ['D4', '2024-07-18', 2],
      ['D5', '2024-07-25', 2],
      ['D6', '2024-07-19', 1],
      ['D7', '2024-07-01', 2],
      ['D8', '2024-04-10', 2],
      ['D9', '2024-01-02', 0],
    ]);
  });

  it('labels initial denials 1, other adjudicated lines 0 and pending lines null', async () => {
    const rows = await wh.all<{ claim_id: string; label: number | null }>(
      'SELECT claim_id, label FROM marts.ml_denial_features ORDER BY claim_id',
    );
    expect(Object.fromEntries(rows.map((r) => [r.claim_id, r.label]))).toEqual({
      D1: 1,
      D2: 1,
      D3: 0,
      D4: null,
      D5: 1,
      D6: null,
      D7: 1,
      D8: 0,
      D9: 0,
    });
  });

  it('derives the submission-time features from the claim, the payer, eligibility and code sets', async () => {
    // D4: MRI brain (70553) is on the authorization list and carries no number; E119 is a 4-character
    // code ending in 9 (its description says "without complications", so only the suffix rule fires);
    // submitted 34 days after service; age 43 on 2024-06-14 (birthday 06-15).
    expect(await features('D4')).toMatchObject({
      f_auth_required_service: 1,
      f_has_prior_auth: 0,
      f_dx_ends_in_9: 1,
      f_dx_unspecified_text: 0,
      f_principal_dx_unspecified: 1,
      f_days_to_submission: 34,
      f_timely_filing_days: 90,
      f_timely_filing_exceeded: 0,
      f_enrolled_on_service_date: 1,
      f_member_age: 43,
      f_duplicate_looking: 0,
      f_charge_amount: 3800,
      f_payer_type: 'commercial',
    });
    // D6: 04-01 to 07-19 is 109 days > 90; an earlier claim (D8, 04-10) has the same service.
    expect(await features('D6')).toMatchObject({
      f_auth_required_service: 0,
      f_has_prior_auth: 1,
      f_principal_dx_unspecified: 0,
      f_days_to_submission: 109,
      f_timely_filing_exceeded: 1,
      f_duplicate_looking: 1,
    });
    // D8 was the first of the pair: not a duplicate. D3's R69 reads "Illness, unspecified".
    expect(await features('D8')).toMatchObject({ f_duplicate_looking: 0 });
    expect(await features('D3')).toMatchObject({ f_dx_unspecified_text: 1, f_principal_dx_unspecified: 1 });
    // D9: served on 2023-12-20, before the span that starts 2024-01-01.
    expect(await features('D9')).toMatchObject({ f_enrolled_on_service_date: 0 });
  });

  it('holds only key columns, event_date, label and f_ features', async () => {
    const cols = await wh.all<{ column_name: string }>('DESCRIBE marts.ml_denial_features');
    const other = cols
      .map((c) => c.column_name)
      .filter(
        (c) => !c.startsWith('f_') && !['claim_id', 'claim_line_number', 'event_date', 'label'].includes(c),
      );
    expect(other).toEqual([]);
  });
});
