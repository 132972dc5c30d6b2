// Pareto shares, Lorenz points and the Gini coefficient on two hand-made member populations whose
// answers are worked out by hand in the comments.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../../src/engine/duckdb.ts';
import { concentration } from '../../../src/services/cost.ts';
import { parsePeriod } from '../../../src/services/period.ts';
import { costWarehouse, fill, type InputRow, medical, span } from './fixture.ts';

const YEAR = parsePeriod({ period: '2024' })!;

// Acme, 20 members enrolled all 2024: P01 spends 1000, P02-P05 100 each, P06-P15 50 each, P16-P20
// nothing. Total 1000 + 400 + 500 = 1900.
const acmeSpend: [string, number][] = Array.from({ length: 20 }, (_, i) => {
  const id = `P${String(i + 1).padStart(2, '0')}`;
  const paid = i === 0 ? 1000 : i <= 4 ? 100 : i <= 14 ? 50 : 0;
  return [id, paid];
});
// Beta, 4 members: 10, 20, 30, 40 (total 100).
const betaSpend: [string, number][] = [
  ['B1', 10],
  ['B2', 20],
  ['B3', 30],
  ['B4', 40],
];

let wh: Warehouse;

beforeAll(async () => {
  const eligibility: InputRow[] = [
    ...acmeSpend.map(([id]) => span(id, '2024-01-01', '2024-12-31')),
    ...betaSpend.map(([id]) => span(id, '2024-01-01', '2024-12-31', { payer: 'Beta' })),
  ];
  // Split spend between a medical line and a fill for some members: concentration is per member.
  const medicalRows: InputRow[] = acmeSpend
    .filter(([, paid]) => paid > 0)
    .map(([id, paid]) => medical(id, '2024-05-10', id === 'P01' ? 600 : paid));
  const pharmacy: InputRow[] = [
    fill('P01', '2024-08-01', 400),
    ...betaSpend.map(([id, paid]) => fill(id, '2024-03-01', paid, { payer: 'Beta' })),
  ];
  wh = await costWarehouse({ eligibility, medical: medicalRows, pharmacy });
});

afterAll(async () => {
  await wh.close();
});

describe('concentration', () => {
  it('gives the top 1/5/10/20% share with zero-spend members in the denominator', async () => {
    const c = await concentration(wh, { period: YEAR, payer: 'Acme' });
    expect([c.members, c.zero_spend_members, c.paid]).toEqual([20, 5, 1900]);
    // Top p% = ceil(p% of 20) members: 1% -> 1, 5% -> 1, 10% -> 2, 20% -> 4.
    // 1: 1000 / 1900 = 0.526316; 2: (1000 + 100) / 1900 = 0.578947; 4: 1300 / 1900 = 0.684211.
    expect(c.top.map((t) => [t.top_pct, t.members, t.paid])).toEqual([
      [1, 1, 1000],
      [5, 1, 1000],
      [10, 2, 1100],
      [20, 4, 1300],
    ]);
    expect(c.top[1]!.share).toBeCloseTo(0.526316, 6);
    expect(c.top[2]!.share).toBeCloseTo(0.578947, 6);
    expect(c.top[3]!.share).toBeCloseTo(0.684211, 6);
  });

  it('computes the Gini coefficient by the rank formula', async () => {
    // Sorted ascending, x_1..x_5 = 0, x_6..x_15 = 50, x_16..x_19 = 100, x_20 = 1000.
    // sum i*x_i = 50*(6+...+15) + 100*(16+17+18+19) + 1000*20 = 5250 + 7000 + 20000 = 32250.
    // G = 2*32250 / (20*1900) - 21/20 = 1.697368 - 1.05 = 0.647368.
    const acme = await concentration(wh, { period: YEAR, payer: 'Acme' });
    expect(acme.gini).toBeCloseTo(0.647368, 6);
    // Beta 10, 20, 30, 40: sum i*x_i = 10 + 40 + 90 + 160 = 300; G = 600 / 400 - 5/4 = 0.25.
    // Cross-check by the Lorenz area: L = 0, .1, .3, .6, 1; 1 - sum (L_{i-1} + L_i) / 4 = 1 - 3/4 = 0.25.
    const beta = await concentration(wh, { period: YEAR, payer: 'Beta' });
    expect(beta.gini).toBeCloseTo(0.25, 10);
  });

  it('draws the Lorenz curve, linear between members', async () => {
    const acme = await concentration(wh, { period: YEAR, payer: 'Acme' });
    expect(acme.lorenz).toHaveLength(21);
    const at = (share: number) =>
      acme.lorenz.find((p) => Math.abs(p.member_share - share) < 1e-9)!.spend_share;
    // Bottom 25% = the 5 zero-spend members: 0. Bottom 50% = 5 zeros + 5 x 50 = 250 / 1900.
    // Bottom 95% = all but P01: 900 / 1900. Everyone: 1.
    expect(at(0)).toBe(0);
    expect(at(0.25)).toBe(0);
    expect(at(0.5)).toBeCloseTo(250 / 1900, 10);
    expect(at(0.95)).toBeCloseTo(900 / 1900, 10);
    expect(at(1)).toBe(1);
    // Beta with 8 points: 1/8 of 4 members = half of B1 = 5 / 100; 3/8 = B1 + half of B2 = 20 / 100.
    const beta = await concentration(wh, { period: YEAR, payer: 'Beta' }, { points: 8 });
    expect(beta.lorenz.map((p) => p.spend_share)).toEqual(
      [0, 0.05, 0.1, 0.2, 0.3, 0.45, 0.6, 0.8, 1].map((v) => expect.closeTo(v, 10)),
    );
  });

  it('answers for any period at query time', async () => {
    // March: only Beta's fills (all 100) fall in it; Acme members are enrolled but spent nothing.
    const march = await concentration(wh, { period: parsePeriod({ period: '2024-03' }) });
    expect([march.members, march.paid, march.zero_spend_members]).toEqual([24, 100, 20]);
    // Top 1% of 24 = 1 member (B4, 40 of 100).
    expect(march.top[0]).toMatchObject({ members: 1, paid: 40, share: 0.4 });
  });
});
