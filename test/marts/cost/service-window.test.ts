// Member months count only inside the months the claims cover (intermediate.claim_service_window):
// enrollment history before the first claim or after the last one has no spend that could be
// counted, so it would only lower PMPM. Every expected number is worked out below.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../../src/engine/duckdb.ts';
import { costSummary } from '../../../src/services/cost.ts';
import { costWarehouse, fill, medical, span } from './fixture.ts';

// Claims: A's office visit 2024-01-10 (paid 100) and B's fill 2024-03-20 (paid 50), so the claims
// cover January to March 2024.
// A: enrolled 2023-06-15..2024-02-10: June to December 2023 fall before the claims; January (31 days)
//    and February (10 days) 2024 count.
// B: enrolled all of 2024: January to March count, April to December fall after the claims.
// C: enrolled all of 2022: wholly before the claims, no member month.
const WITH_CLAIMS = {
  eligibility: [
    span('A', '2023-06-15', '2024-02-10'),
    span('B', '2024-01-01', '2024-12-31'),
    span('C', '2022-01-01', '2022-12-31'),
  ],
  medical: [medical('A', '2024-01-10', 100)],
  pharmacy: [fill('B', '2024-03-20', 50)],
};

let wh: Warehouse;
let noClaims: Warehouse;

beforeAll(async () => {
  wh = await costWarehouse(WITH_CLAIMS);
  // Eligibility alone: no claims to bound the months, so every enrolled month counts.
  noClaims = await costWarehouse({ eligibility: [span('A', '2023-12-15', '2024-02-10')] });
});

afterAll(async () => {
  await wh.close();
  await noClaims.close();
});

describe('the months the claims cover', () => {
  it('runs from the month of the first service date to the month of the last', async () => {
    expect(await wh.all('SELECT * FROM intermediate.claim_service_window')).toEqual([
      { first_service_month: '2024-01-01', last_service_month: '2024-03-01' },
    ]);
  });

  it('bounds the member months, keeping the enrolled days of the months inside', async () => {
    const rows = await wh.all(
      'SELECT person_id, month_start, enrolled_days FROM intermediate.member_month ORDER BY person_id, month_start',
    );
    expect(rows).toEqual([
      { person_id: 'A', month_start: '2024-01-01', enrolled_days: 31 },
      { person_id: 'A', month_start: '2024-02-01', enrolled_days: 10 },
      { person_id: 'B', month_start: '2024-01-01', enrolled_days: 31 },
      { person_id: 'B', month_start: '2024-02-01', enrolled_days: 29 },
      { person_id: 'B', month_start: '2024-03-01', enrolled_days: 31 },
    ]);
  });

  it('gives PMPM over those months only', async () => {
    // All dates: 5 member months (A 2, B 3), paid 150 -> PMPM 30. With the 7 months of 2023 and the
    // 9 of 2024 after March it would have been 150 / 21.
    const s = await costSummary(wh, {});
    expect(s).toMatchObject({ members: 2, member_months: 5, paid: 150, pmpm_paid: 30 });
  });

  it('counts every enrolled month when the book has no claims', async () => {
    expect(await noClaims.all('SELECT * FROM intermediate.claim_service_window')).toEqual([
      { first_service_month: null, last_service_month: null },
    ]);
    const rows = await noClaims.all(
      'SELECT month_start, enrolled_days FROM intermediate.member_month ORDER BY month_start',
    );
    expect(rows).toEqual([
      { month_start: '2023-12-01', enrolled_days: 17 },
      { month_start: '2024-01-01', enrolled_days: 31 },
      { month_start: '2024-02-01', enrolled_days: 10 },
    ]);
  });
});
