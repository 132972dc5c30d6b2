// `claimlens kpi denials|rcm|patients` end to end on a small warehouse file: JSON headlines, --as-of
// honoured, and the default as-of date taken from the data.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../../src/cli/program.ts';
import { testWarehouse } from '../../helpers/warehouse.ts';
import { adjustment, line, payer, span } from '../payers/fixture.ts';

let dir: string;
let path: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'claimlens-rcm-'));
  path = join(dir, 'wh.duckdb');
  // X1: 1000 billed 2024-01-10, denied CO-197 on 02-01, paid 400 on appeal 03-01 with 100 owed by the
  // patient, who pays 40 on 04-01. X2: 500 billed 2024-02-01, still pending. Acme expects 50%.
  const wh = await testWarehouse(
    {
      payer: [payer('Acme', 0.5)],
      eligibility: [
        span('p1', '2024-01-01', '2024-12-31', { state: 'OH', household_size: 1, household_income: 20000 }),
      ],
      medical_claim: [
        line('X1', 1, '2024-01-05', {
          charge_amount: 1000,
          allowed_amount: 500,
          coinsurance_amount: 100,
          paid_amount: 400,
          paid_date: '2024-03-01',
          submission_date: '2024-01-10',
        }),
        line('X2', 1, '2024-01-20', {
          charge_amount: 500,
          claim_status: 'pending',
          submission_date: '2024-02-01',
        }),
      ],
      claim_adjustment: [
        adjustment('X1', 1, '197', '2024-02-01', 1000),
        adjustment('X1', 1, '45', '2024-03-01', 500),
        adjustment('X1', 1, '2', '2024-03-01', 100, { adjustment_group_code: 'PR', adjustment_sequence: 2 }),
      ],
      payment: [
        {
          payment_id: 'PT1',
          claim_id: 'X1',
          person_id: 'p1',
          payment_source: 'patient',
          payment_date: '2024-04-01',
          payment_amount: 40,
        },
      ],
    },
    {
      path,
      codesets: true,
      models: [
        'marts/denials/',
        'marts/rcm/',
        'marts/patients/',
        'intermediate.payer_claim',
        'intermediate.rcm_data_end',
        'intermediate.rcm_person_fpl',
        'staging.finance_ledger',
      ],
    },
  );
  await wh.close();
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

afterEach(() => {
  vi.restoreAllMocks();
});

async function kpi(args: string[]): Promise<{ code: number; headline: Record<string, unknown> }> {
  let out = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    out += String(chunk);
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  const code = await main(['--warehouse', path, 'kpi', ...args, '--json']);
  return {
    code,
    headline: code === 0 ? (JSON.parse(out) as { headline: Record<string, unknown> }).headline : {},
  };
}

describe('claimlens kpi for denials, rcm and patients', () => {
  it('answers denials for the latest 12 adjudication months', async () => {
    const r = await kpi(['denials']);
    // X1 is the only adjudicated line (first remittance 02-01, a denial): 100% by count and dollars;
    // revenue at risk 1000 x 0.5 - 100 = 400, recovered on appeal.
    expect(r.code).toBe(0);
    expect(r.headline).toMatchObject({
      months: '2023-03..2024-02',
      initial_denial_rate_pct: 100,
      initial_denial_rate_dollars_pct: 100,
      final_denial_rate_pct: 0,
      revenue_at_risk: 400,
      preventable_share_pct: 100,
    });
  });

  it('takes the as-of date from the data and honours --as-of', async () => {
    // Default as-of: the latest remittance or payment, 2024-04-01. A/R then: X2 pending 500 x 0.5 =
    // 250 plus X1's patient balance 100 - 40 = 60.
    const latest = await kpi(['rcm']);
    expect(latest.code).toBe(0);
    expect(latest.headline).toMatchObject({ as_of: '2024-04-01', ar_total: 310 });
    // As of 2024-02-15: X1 (denied, under appeal) 400 and X2 250 are open.
    const earlier = await kpi(['rcm', '--as-of', '2024-02-15']);
    expect(earlier.headline).toMatchObject({ as_of: '2024-02-15', ar_total: 650 });
  });

  it('answers patients as of the data end', async () => {
    const r = await kpi(['patients']);
    // Billed 100, paid 40; household of 1 at 20,000 is 20,000 / 15,060 (2024) = 132.8% FPL: free care.
    expect(r.code).toBe(0);
    expect(r.headline).toMatchObject({
      as_of: '2024-04-01',
      guideline_year: '2024',
      billed: 100,
      paid: 40,
      open_balance: 60,
      persons_free_care: 1,
    });
  });
});
