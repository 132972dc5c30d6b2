// Denial marts and service on a hand-made book: initial vs final denial, rates by count and dollars,
// CARC root causes through codes.carc, preventable share, revenue at risk, write-offs and the edge
// rules of the first-remittance test. Every expected number is worked out in the comments.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../../src/config.ts';
import type { Warehouse } from '../../../src/engine/duckdb.ts';
import {
  denialBreakdown,
  denialScope,
  denialSummary,
  denialsDomain,
  topDeniedServices,
} from '../../../src/services/denials.ts';
import { parsePeriod } from '../../../src/services/period.ts';
import { testWarehouse } from '../../helpers/warehouse.ts';
import { adjustment, line, payer, span } from '../payers/fixture.ts';

const feb = parsePeriod({ period: '2024-02' })!;

// Acme has a contract at 50% of charges; Beta has none, so it is valued at its observed allowed
// ratio: B1 allowed 600 of 1000 charged = 0.6.
//
// line  payer charge  first remittance                   final status          expected payment
// A1    Acme  1000    02-01 CO-197 1000 (pays 0)         paid 450 on appeal    1000 x 0.5 - 50 coins = 450
// A2    Acme   400    02-01 CO-16 400 (pays 0)           denied                200
// A3    Acme   600    02-01 CO-45 300 (pays 300)         paid                  300 (not denied)
// A4    Acme   200    02-10 CO-50 200 (pays 0)           denied                100
// A5    Acme   800    02-10 CO-45 400 + PR-1 100         paid 300              800 x 0.5 - 100 ded = 300
// A6    Acme   100    none (status denied, paid 02-20)   denied                50
// A7    Acme   300    none                               pending               not adjudicated
// B1    Beta  1000    02-03 CO-45 400 (pays 600)         paid                  600
// B2    Beta   500    02-03 CO-27 500 (pays 0)           denied                500 x 0.6 = 300
const input = {
  payer: [payer('Acme', 0.5), payer('Beta', null)],
  eligibility: [span('p1', '2024-01-01', '2024-12-31')],
  medical_claim: [
    line('A1', 1, '2024-01-05', {
      hcpcs_code: '70553',
      charge_amount: 1000,
      allowed_amount: 500,
      coinsurance_amount: 50,
      paid_amount: 450,
      paid_date: '2024-03-15',
      submission_date: '2024-01-10',
    }),
    line('A2', 1, '2024-01-05', { hcpcs_code: '97110', charge_amount: 400, claim_status: 'denied' }),
    line('A3', 1, '2024-01-06', { charge_amount: 600, allowed_amount: 300, paid_amount: 300 }),
    line('A4', 1, '2024-01-07', { hcpcs_code: '99214', charge_amount: 200, claim_status: 'denied' }),
    line('A5', 1, '2024-01-08', {
      hcpcs_code: '99215',
      charge_amount: 800,
      allowed_amount: 400,
      deductible_amount: 100,
      paid_amount: 300,
    }),
    line('A6', 1, '2024-01-09', { charge_amount: 100, claim_status: 'denied', paid_date: '2024-02-20' }),
    line('A7', 1, '2024-01-10', { charge_amount: 300, claim_status: 'pending' }),
    line('B1', 1, '2024-01-05', {
      payer: 'Beta',
      charge_amount: 1000,
      allowed_amount: 600,
      paid_amount: 600,
    }),
    line('B2', 1, '2024-01-05', { payer: 'Beta', charge_amount: 500, claim_status: 'denied' }),
  ],
  claim_adjustment: [
    adjustment('A1', 1, '197', '2024-02-01', 1000, { rarc_code: 'M62' }),
    adjustment('A1', 1, '45', '2024-03-15', 500),
    adjustment('A1', 1, '2', '2024-03-15', 50, { adjustment_group_code: 'PR', adjustment_sequence: 2 }),
    adjustment('A2', 1, '16', '2024-02-01', 400),
    adjustment('A3', 1, '45', '2024-02-01', 300),
    adjustment('A4', 1, '50', '2024-02-10', 200),
    adjustment('A5', 1, '45', '2024-02-10', 400),
    adjustment('A5', 1, '1', '2024-02-10', 100, { adjustment_group_code: 'PR', adjustment_sequence: 2 }),
    adjustment('B1', 1, '45', '2024-02-03', 400, { payer: 'Beta' }),
    adjustment('B2', 1, '27', '2024-02-03', 500, { payer: 'Beta' }),
  ],
};

let wh: Warehouse;

beforeAll(async () => {
  wh = await testWarehouse(input, { models: ['marts/denials/'], codesets: true });
});

afterAll(async () => {
  await wh.close();
});

describe('initial and final denial per line', () => {
  it('counts a line denied then paid on appeal as initially denied, not finally denied, and recovered', async () => {
    const r = await wh.one<Record<string, unknown>>(
      `SELECT d.initially_denied, d.finally_denied, d.recovered, d.adjudication_date, r.first_remit_paid, r.remit_count,
         d.denial_carc_code, d.denial_rarc_code, d.expected_payment, d.recovered_amount, d.write_off_expected,
         d.days_to_resolution
       FROM marts.denial_line AS d
       JOIN intermediate.denial_remit_line AS r USING (claim_id, claim_line_number)
       WHERE d.claim_id = 'A1'`,
    );
    // First remittance 02-01 adjusts the whole 1000 charge: pays 1000 - 1000 = 0 with a CO-197 denial.
    // Paid 450 on 03-15: final status paid, so recovered; 43 days from denial to payment (Feb has 29).
    expect(r).toEqual({
      initially_denied: true,
      finally_denied: false,
      recovered: true,
      adjudication_date: '2024-02-01',
      first_remit_paid: 0,
      remit_count: 2,
      denial_carc_code: '197',
      denial_rarc_code: 'M62',
      expected_payment: 450,
      recovered_amount: 450,
      write_off_expected: 0,
      days_to_resolution: 43,
    });
  });

  it('maps each CARC to its root cause and preventability through codes.carc', async () => {
    const rows = await wh.all<{
      claim_id: string;
      denial_root_cause: string;
      denial_preventable: boolean | null;
    }>('SELECT claim_id, denial_root_cause, denial_preventable FROM marts.denial_line ORDER BY claim_id');
    // 197 authorization and 16 coding and 27 eligibility are front-end (preventable); 50 is the
    // payer's medical-necessity judgment (not preventable); A6 has no remittance: cause unknown.
    expect(rows).toEqual([
      { claim_id: 'A1', denial_root_cause: 'authorization', denial_preventable: true },
      { claim_id: 'A2', denial_root_cause: 'coding', denial_preventable: true },
      { claim_id: 'A4', denial_root_cause: 'medical_necessity', denial_preventable: false },
      { claim_id: 'A6', denial_root_cause: 'unknown', denial_preventable: null },
      { claim_id: 'B2', denial_root_cause: 'eligibility_coverage', denial_preventable: true },
    ]);
  });
});

describe('denial summary for February 2024', () => {
  it('gives the rates by count and by dollars, revenue at risk, preventable share and write-offs', async () => {
    const s = await denialSummary(wh, await denialScope(wh, { period: feb }));
    // Adjudicated in Feb: A1-A6, B1, B2 = 8 lines, charges 1000+400+600+200+800+100+1000+500 = 4600
    // (A7 is pending). Initially denied: A1, A2, A4, A6, B2 = 5 lines, 1000+400+200+100+500 = 2200.
    // Count 5/8 = 62.5%; dollars 2200/4600 = 47.826% -> 47.83. Finally denied: A2, A4, A6, B2 = 4/8 = 50%.
    // Revenue at risk = 450 + 200 + 100 + 50 + 300 = 1100. Preventable: A1, A2, B2 of the 4 with a
    // known cause (A6 unknown) = 75%; their expected payment 450 + 200 + 300 = 950.
    // Write-offs: A2, A4, A6, B2: expected 200+100+50+300 = 650, charges 400+200+100+500 = 1200.
    // Recovered: A1 (450), 1 of 5 initial denials = 20%.
    expect(s).toEqual({
      adjudicated_lines: 8,
      adjudicated_charges: 4600,
      initial_denied_lines: 5,
      initial_denied_charges: 2200,
      initial_denial_rate_pct: 62.5,
      initial_denial_rate_dollars_pct: 47.83,
      final_denied_lines: 4,
      final_denial_rate_pct: 50,
      revenue_at_risk: 1100,
      preventable_lines: 3,
      known_cause_lines: 4,
      preventable_share_pct: 75,
      preventable_revenue_at_risk: 950,
      recovered_lines: 1,
      recovered_amount: 450,
      overturn_rate_pct: 20,
      write_off_charges: 1200,
      write_off_expected: 650,
    });
  });

  it('attributes a denial to the month of the first remittance, not the month of the appeal payment', async () => {
    const march = await denialSummary(
      wh,
      await denialScope(wh, { period: parsePeriod({ period: '2024-03' })! }),
    );
    // A1 was paid on 2024-03-15 but first adjudicated on 02-01: March has no adjudicated line.
    expect(march.adjudicated_lines).toBe(0);
    expect(march.initial_denial_rate_pct).toBeNull();
  });

  it('breaks the rates down by payer', async () => {
    const rows = await denialBreakdown(wh, await denialScope(wh, { period: feb }), 'payer');
    // Acme: 6 lines, 3100 charged, 4 denied (1700): 66.67% and 54.84%. Beta: 2 lines, 1500, 1 denied
    // (500): 50% and 33.33%; Beta's revenue at risk 500 x 0.6 (observed ratio) = 300.
    expect(
      rows.map((r) => [
        r.key,
        r.initial_denial_rate_pct,
        r.initial_denial_rate_dollars_pct,
        r.revenue_at_risk,
      ]),
    ).toEqual([
      ['Acme', 66.67, 54.84, 800],
      ['Beta', 50, 33.33, 300],
    ]);
  });

  it('breaks initial denials down by root cause and by CARC with its X12 description', async () => {
    const scope = await denialScope(wh, { period: feb });
    const causes = await denialBreakdown(wh, scope, 'root_cause');
    // One initial denial per cause; ties ordered by name.
    expect(causes.map((r) => [r.key, r.detail, r.initial_denied_lines, r.initial_denied_charges])).toEqual([
      ['authorization', 'yes', 1, 1000],
      ['coding', 'yes', 1, 400],
      ['eligibility_coverage', 'yes', 1, 500],
      ['medical_necessity', 'no', 1, 200],
      ['unknown', null, 1, 100],
    ]);
    const carcs = await denialBreakdown(wh, scope, 'carc');
    expect(carcs.find((r) => r.key === '197')?.detail).toMatch(/authorization/i);
  });

  it('ranks the denied services by denied charges', async () => {
    const rows = await topDeniedServices(wh, await denialScope(wh, { period: feb }), 3);
    // 70553: A1 1000. 99213: A6 100 + B2 500 = 600 of 4 adjudicated lines (A3, A6, B1, B2) = 50%.
    // 97110: A2 400. (99214: A4 200 is fourth.)
    expect(rows.map((r) => [r.hcpcs_code, r.initial_denied_charges, r.initial_denial_rate_pct])).toEqual([
      ['70553', 1000, 100],
      ['99213', 600, 50],
      ['97110', 400, 100],
    ]);
  });

  it('serves the same numbers as the denials KPI headline', async () => {
    const config = configSchema.parse({});
    const r = await denialsDomain.run(wh, { period: feb }, config);
    expect(r.headline).toMatchObject({
      initial_denial_rate_pct: 62.5,
      initial_denial_rate_dollars_pct: 47.83,
      final_denial_rate_pct: 50,
      denied_charges: 2200,
      revenue_at_risk: 1100,
      preventable_share_pct: 75,
      write_offs: 650,
    });
    // Payer filter: Beta alone has 1 of 2 lines denied.
    const beta = await denialsDomain.run(wh, { period: feb, payer: 'Beta' }, config);
    expect(beta.headline.initial_denial_rate_pct).toBe(50);
  });
});

describe('edge rules of the first-remittance test', () => {
  let edge: Warehouse;

  beforeAll(async () => {
    edge = await testWarehouse(
      {
        payer: [payer('Acme', 0.5)],
        eligibility: [span('p1', '2024-01-01', '2024-12-31')],
        medical_claim: [
          // C1: a claim-level (line 0) CO-197 for the whole 400 charged: both lines pay 0.
          line('C1', 1, '2024-01-05', { charge_amount: 300, claim_status: 'denied' }),
          line('C1', 2, '2024-01-05', { charge_amount: 100, claim_status: 'denied' }),
          // P1: units cut (CO-151) but paid 100: a partial denial, not an initial denial.
          line('P1', 1, '2024-01-05', {
            charge_amount: 300,
            allowed_amount: 100,
            paid_amount: 100,
            claim_status: 'partially_paid',
          }),
          // S1: OA-23 for the whole charge (the primary payer paid it): pays 0 but is no denial.
          line('S1', 1, '2024-01-05', { charge_amount: 100, paid_amount: 0 }),
          // N1: paid in full with no adjustment at all: adjudicated by status, not denied.
          line('N1', 1, '2024-01-05', {
            charge_amount: 80,
            allowed_amount: 80,
            paid_amount: 80,
            paid_date: '2024-02-02',
          }),
        ],
        claim_adjustment: [
          adjustment('C1', 0, '197', '2024-02-01', 400),
          adjustment('P1', 1, '151', '2024-02-01', 100),
          adjustment('P1', 1, '45', '2024-02-01', 100, { adjustment_sequence: 2 }),
          adjustment('S1', 1, '23', '2024-02-01', 100, { adjustment_group_code: 'OA' }),
        ],
      },
      { models: ['intermediate.denial_remit_line'], codesets: true },
    );
  });

  afterAll(async () => {
    await edge.close();
  });

  it('applies the rules line by line', async () => {
    const rows = await edge.all(
      `SELECT claim_id, claim_line_number, initially_denied, has_denial_adjustment, denial_amount,
         adjudication_source, first_pass_paid
       FROM intermediate.denial_remit_line ORDER BY claim_id, claim_line_number`,
    );
    // C1: the 400 claim-level amount splits by charge share: 300 and 100, each line pays 0.
    expect(rows).toEqual([
      {
        claim_id: 'C1',
        claim_line_number: 1,
        initially_denied: true,
        has_denial_adjustment: true,
        denial_amount: 300,
        adjudication_source: 'remittance',
        first_pass_paid: false,
      },
      {
        claim_id: 'C1',
        claim_line_number: 2,
        initially_denied: true,
        has_denial_adjustment: true,
        denial_amount: 100,
        adjudication_source: 'remittance',
        first_pass_paid: false,
      },
      {
        claim_id: 'N1',
        claim_line_number: 1,
        initially_denied: false,
        has_denial_adjustment: false,
        denial_amount: 0,
        adjudication_source: 'claim_status',
        first_pass_paid: true,
      },
      {
        claim_id: 'P1',
        claim_line_number: 1,
        initially_denied: false,
        has_denial_adjustment: true,
        denial_amount: 100,
        adjudication_source: 'remittance',
        first_pass_paid: false,
      },
      {
        claim_id: 'S1',
        claim_line_number: 1,
        initially_denied: false,
        has_denial_adjustment: false,
        denial_amount: 0,
        adjudication_source: 'remittance',
        first_pass_paid: true,
      },
    ]);
  });
});
