// The plan and state filters (issue 8) on a hand-made book: each narrows the cost, denial and payer
// numbers to what is worked out below, state is the member's latest enrollment span, and an unknown
// plan or state is a usage error listing the known values. Every expected number is computed here.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { configSchema } from '../../src/config.ts';
import type { Warehouse } from '../../src/engine/duckdb.ts';
import { UsageError } from '../../src/errors.ts';
import { costDomain, costSummary, pmpm } from '../../src/services/cost.ts';
import { denialScope, denialSummary, denialsDomain } from '../../src/services/denials.ts';
import { assertKnownPlan, assertKnownState, knownPlans, knownStates } from '../../src/services/filters.ts';
import { runKpiDomain } from '../../src/services/kpi.ts';
import { payerMetrics } from '../../src/services/payers.ts';
import { parsePeriod } from '../../src/services/period.ts';
import { rcmDomain } from '../../src/services/rcm.ts';
import { type CliRun, runCli } from '../helpers/cli.ts';
import { testWarehouse } from '../helpers/warehouse.ts';
import { line, payer, span } from '../marts/payers/fixture.ts';

const q1 = parsePeriod({ period: '2024Q1' })!;

// One payer (Acme, contract 50%), two plans, two states. Enrollment in 2024Q1:
//
// person  spans                                            latest-span state  member months Q1
// p1      Gold   OH 01-01..03-31                           OH                 3 (Jan-Mar)
// p2      Silver OH 01-01..03-31                           OH                 3
// p3      Gold   PA 01-01..02-29                           PA                 2 (Jan, Feb)
// p4      Gold   PA 01-01..01-31, Gold OH 02-01..03-31     OH (moved)         3 (one island, Jan-Mar)
//
// Claim lines (professional; paid lines paid in full, denied lines with no remittance, so initially
// denied by status; each adjudicated in the month of its date of service):
//
// line  person plan    date        status  charge  paid
// C1    p1     Gold    01-10       paid     600    300
// C2    p2     Silver  02-10       paid    1200    600
// C3    p3     Gold    01-20       paid     400    200
// C4    p4     Gold    01-15       paid     200    100   (while p4 lived in PA: still counts in OH)
// C5    p4     Gold    03-05       paid     100     50
// D1    p1     Gold    01-12       denied   100      0
// D2    p2     Silver  02-12       denied   100      0
// D3    p2     Silver  02-13       denied   100      0
const STATE = (s: string) => ({ state: s, zip_code: s === 'OH' ? '43004' : '15001' });
const input = {
  payer: [payer('Acme', 0.5)],
  eligibility: [
    span('p1', '2024-01-01', '2024-03-31', STATE('OH')),
    span('p2', '2024-01-01', '2024-03-31', { plan: 'Silver', ...STATE('OH') }),
    span('p3', '2024-01-01', '2024-02-29', STATE('PA')),
    span('p4', '2024-01-01', '2024-01-31', STATE('PA')),
    span('p4', '2024-02-01', '2024-03-31', STATE('OH')),
  ],
  medical_claim: [
    line('C1', 1, '2024-01-10', {
      person_id: 'p1',
      charge_amount: 600,
      allowed_amount: 300,
      paid_amount: 300,
    }),
    line('C2', 1, '2024-02-10', {
      person_id: 'p2',
      plan: 'Silver',
      charge_amount: 1200,
      allowed_amount: 600,
      paid_amount: 600,
    }),
    line('C3', 1, '2024-01-20', {
      person_id: 'p3',
      charge_amount: 400,
      allowed_amount: 200,
      paid_amount: 200,
    }),
    line('C4', 1, '2024-01-15', {
      person_id: 'p4',
      charge_amount: 200,
      allowed_amount: 100,
      paid_amount: 100,
    }),
    line('C5', 1, '2024-03-05', { person_id: 'p4', charge_amount: 100, allowed_amount: 50, paid_amount: 50 }),
    line('D1', 1, '2024-01-12', { person_id: 'p1', charge_amount: 100, claim_status: 'denied' }),
    line('D2', 1, '2024-02-12', {
      person_id: 'p2',
      plan: 'Silver',
      charge_amount: 100,
      claim_status: 'denied',
    }),
    line('D3', 1, '2024-02-13', {
      person_id: 'p2',
      plan: 'Silver',
      charge_amount: 100,
      claim_status: 'denied',
    }),
  ],
};

let wh: Warehouse;
let dir: string;
const config = configSchema.parse({});
const MODELS = [
  'marts/cost/',
  'marts/denials/',
  'marts/rcm/',
  'intermediate/payer_claim',
  'intermediate/rcm_data_end',
  'staging/finance_ledger',
];

beforeAll(async () => {
  wh = await testWarehouse(input, { models: MODELS, codesets: true });
}, 120_000);

afterAll(async () => {
  await wh.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('state is the state of the latest enrollment span', () => {
  it('puts the mover p4 in OH for all of their history', async () => {
    const rows = await wh.all<{ person_id: string; state: string }>(
      'SELECT person_id, state FROM intermediate.rcm_person ORDER BY person_id',
    );
    expect(rows).toEqual([
      { person_id: 'p1', state: 'OH' },
      { person_id: 'p2', state: 'OH' },
      { person_id: 'p3', state: 'PA' },
      { person_id: 'p4', state: 'OH' },
    ]);
  });
});

describe('PMPM by plan and state', () => {
  // All: 3 + 3 + 2 + 3 = 11 member months; paid 300 + 600 + 200 + 100 + 50 = 1250; PMPM 1250 / 11.
  // OH (p1, p2, p4): 9 member months, paid 1050, PMPM 116.67. PA (p3): 2, paid 200, PMPM 100.
  // Gold (p1, p3, p4): 8 member months, paid 650, PMPM 81.25. Gold and OH (p1, p4): 6, 450, PMPM 75.
  it.each([
    [{}, 11, 1250, 1250 / 11],
    [{ state: 'OH' }, 9, 1050, 1050 / 9],
    [{ state: 'PA' }, 2, 200, 100],
    [{ plan: 'Gold' }, 8, 650, 81.25],
    [{ plan: 'Gold', state: 'OH' }, 6, 450, 75],
    [{ plan: 'Silver', state: 'OH' }, 3, 600, 200],
  ])('%o', async (filters, memberMonths, paid, pmpmPaid) => {
    const s = await costSummary(wh, { period: q1, ...filters });
    expect(s.member_months).toBe(memberMonths);
    expect(s.paid).toBe(paid);
    expect(s.pmpm_paid).toBeCloseTo(pmpmPaid, 10);
  });

  it('PMPM by month under a state filter sums spend from the member-grain mart', async () => {
    // OH: Jan p1 300 + p4 100 over 3 member months (p1, p2, p4); Feb p2 600 over 3; Mar p4 50 over 3.
    const rows = await pmpm(wh, { period: q1, state: 'OH' }, ['month']);
    expect(rows.map((r) => [r.month, r.member_months, r.paid])).toEqual([
      ['2024-01-01', 3, 400],
      ['2024-02-01', 3, 600],
      ['2024-03-01', 3, 50],
    ]);
  });

  it('the cost domain says so in its notes and result', async () => {
    const r = await runKpiDomain(costDomain, wh, { period: q1, plan: 'Gold', state: 'OH' }, config);
    expect(r.plan).toBe('Gold');
    expect(r.state).toBe('OH');
    expect(r.headline.pmpm).toBe(75);
    expect(r.notes[0]).toMatch(/^Filtered to plan Gold: .*; state OH: members whose latest enrollment span/);
  });
});

describe('denial rate by plan and state', () => {
  // Q1 adjudicated lines: C1-C5 and D1-D3 = 8, initially denied D1-D3 = 3: 37.5%.
  // Gold: C1, C3, C4, C5, D1 = 5 lines, 1 denied: 20%. Silver: C2, D2, D3: 2 of 3 = 66.67%.
  // OH: everything but C3 = 7 lines, 3 denied: 42.86%. PA: C3 alone, 0%. Gold and OH: C1, C4, C5,
  // D1: 1 of 4 = 25%. Denied dollars, Silver: 200 of 1400 charged = 14.29%.
  it.each([
    [{}, 8, 3, 37.5],
    [{ plan: 'Gold' }, 5, 1, 20],
    [{ plan: 'Silver' }, 3, 2, 66.67],
    [{ state: 'OH' }, 7, 3, 42.86],
    [{ state: 'PA' }, 1, 0, 0],
    [{ plan: 'Gold', state: 'OH' }, 4, 1, 25],
  ])('%o', async (filters, lines, denied, rate) => {
    const t = await denialSummary(wh, await denialScope(wh, { period: q1, ...filters }));
    expect(t.adjudicated_lines).toBe(lines);
    expect(t.initial_denied_lines).toBe(denied);
    expect(t.initial_denial_rate_pct).toBe(rate);
  });

  it('every section of the denials domain obeys the plan', async () => {
    const r = await runKpiDomain(denialsDomain, wh, { period: q1, plan: 'Silver' }, config);
    expect(r.headline.initial_denial_rate_dollars_pct).toBe(14.29);
    const byMonth = r.sections.find((s) => s.title.startsWith('Trend by month'))!;
    // Silver lines are all in February: C2, D2, D3.
    expect(byMonth.rows.map((x) => [x.month, x.adjudicated_lines])).toEqual([['2024-02-01', 3]]);
    const services = r.sections.find((s) => s.title.startsWith('Top denied services'))!;
    expect(services.rows.map((x) => x.initial_denied_lines)).toEqual([2]);
  });
});

describe('payer scorecard by plan and state', () => {
  it('counts the claims of the plan and of members living in the state', async () => {
    // Silver claims: C2, D2, D3 = 3; OH claims: all but C3 = 7; Gold in PA: C3 = 1.
    const claims = async (f: { plan?: string; state?: string }) =>
      (await payerMetrics(wh, q1, f)).find((r) => r.payer === 'Acme')!.claims;
    expect(await claims({})).toBe(8);
    expect(await claims({ plan: 'Silver' })).toBe(3);
    expect(await claims({ state: 'OH' })).toBe(7);
    expect(await claims({ plan: 'Gold', state: 'PA' })).toBe(1);
  });
});

describe('a section a filter cannot narrow says so', () => {
  it('rcm leaves the finance ledger out under a state filter, in the title and a note', async () => {
    const r = await runKpiDomain(rcmDomain, wh, { period: q1, state: 'OH' }, config);
    const cash = r.sections.find((s) => s.title.startsWith('Cash, cost to collect'))!;
    expect(cash.title).toContain('(ledger figures not available by plan or state)');
    expect(cash.rows[0]!.ledger_bad_debt).toBeNull();
    expect(r.notes.some((n) => n.startsWith('Not filtered by state: the finance ledger'))).toBe(true);
  });
});

describe('unknown values are usage errors listing the known ones', () => {
  it('plans from eligibility and claims, states of residence from the latest spans', async () => {
    expect(await knownPlans(wh)).toEqual(['Gold', 'Silver']);
    expect(await knownStates(wh)).toEqual(['OH', 'PA']);
    await expect(assertKnownPlan(wh, 'Bronze')).rejects.toThrow(
      new UsageError("unknown plan 'Bronze': known plans are Gold, Silver"),
    );
    await expect(assertKnownState(wh, 'TX')).rejects.toThrow(
      new UsageError("unknown state 'TX': members' states of residence are OH, PA"),
    );
    await expect(assertKnownPlan(wh, 'Gold')).resolves.toBeUndefined();
    await expect(assertKnownState(wh, undefined)).resolves.toBeUndefined();
  });
});

describe('claimlens kpi --plan --state', () => {
  let path: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'claimlens-filters-'));
    path = join(dir, 'wh.duckdb');
    const file = await testWarehouse(input, { models: MODELS, codesets: true, path });
    await file.close();
  }, 120_000);

  afterEach(() => {
    vi.restoreAllMocks();
  });

  function run(args: string[]): Promise<CliRun> {
    return runCli(['--warehouse', path, ...args]);
  }

  it('prints the filtered numbers and says which filters', async () => {
    const r = await run(['kpi', 'denials', '--period', '2024Q1', '--plan', 'Gold', '--state', 'oh']);
    expect(r.code).toBe(0);
    expect(r.out.split('\n')[0]).toBe('denials: period 2024Q1 (2024-01-01..2024-03-31), plan Gold, state OH');
    const json = await run([
      'kpi',
      'denials',
      '--period',
      '2024Q1',
      '--plan',
      'Gold',
      '--state',
      'OH',
      '--json',
    ]);
    // Gold and OH: C1, C4, C5, D1, one denied of four.
    expect(JSON.parse(json.out).headline).toMatchObject({
      adjudicated_lines: 4,
      initial_denial_rate_pct: 25,
    });
  });

  it('exits 2 on an unknown plan or state, listing the known ones', async () => {
    const plan = await run(['kpi', 'cost', '--plan', 'Bronze']);
    expect(plan.code).toBe(2);
    expect(plan.err).toContain("unknown plan 'Bronze': known plans are Gold, Silver");
    const state = await run(['kpi', 'rcm', '--state', 'TX']);
    expect(state.code).toBe(2);
    expect(state.err).toContain("unknown state 'TX': members' states of residence are OH, PA");
  });
});
