// `claimlens kpi cost` end to end on a small warehouse file: the JSON headline, and exit code 2 with
// a message for an unknown payer or a period without enrollment.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type CliRun, runCli } from '../../helpers/cli.ts';
import { costWarehouse, denied, fill, medical, span } from './fixture.ts';

let dir: string;
let path: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'claimlens-cost-'));
  path = join(dir, 'wh.duckdb');
  // Two members enrolled all 2024Q1 (6 member months): X spends 500 (medical) + 100 (fill), Y 0.
  // Y's denied January line makes the claims cover all of Q1.
  const wh = await costWarehouse(
    {
      eligibility: [span('X', '2024-01-01', '2024-03-31'), span('Y', '2024-01-01', '2024-03-31')],
      medical: [medical('X', '2024-02-02', 500), denied('Y', '2024-01-05')],
      pharmacy: [fill('X', '2024-03-03', 100)],
    },
    path,
  );
  await wh.close();
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

afterEach(() => {
  vi.restoreAllMocks();
});

function run(args: string[]): Promise<CliRun> {
  return runCli(['--warehouse', path, ...args]);
}

describe('claimlens kpi cost', () => {
  it('prints the headline as JSON', async () => {
    const r = await run(['kpi', 'cost', '--period', '2024Q1', '--json']);
    expect(r.code).toBe(0);
    const result = JSON.parse(r.out) as { headline: Record<string, number | null> };
    // 2 members x 3 months = 6 member months; paid 600 -> PMPM 100. X holds all spend: the top 1%
    // and top 5% (1 member each of 2) share is 1; Gini of (0, 600) = 2*(2*600)/(2*600) - 3/2 = 0.5.
    expect(result.headline).toMatchObject({
      members: 2,
      member_months: 6,
      paid: 600,
      pmpm: 100,
      top5_share: 1,
      gini: 0.5,
      outside_enrollment_paid: 0,
    });
  });

  it('exits 2 for an unknown payer', async () => {
    const r = await run(['kpi', 'cost', '--payer', 'Nobody']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/unknown payer 'Nobody': known payers are Acme/);
  });

  it('exits 2 for a period without enrollment, saying what the data covers', async () => {
    const r = await run(['kpi', 'cost', '--period', '2019']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(
      /no enrollment in 2019 .*member months \(enrollment in the months the claims cover\) run 2024-01..2024-03/,
    );
  });
});
