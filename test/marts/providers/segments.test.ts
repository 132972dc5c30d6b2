// Provider segmentation on a hand-made warehouse: one provider at each segment boundary, ROI per
// segment, thresholds derived from percentiles, top performers and a migration, worked out by hand.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../../src/config.ts';
import type { Warehouse } from '../../../src/engine/duckdb.ts';
import {
  type ProviderScope,
  providerRfm,
  providersDomain,
  type SegmentThresholds,
  segmentMigration,
  segmentSummary,
  segmentThresholds,
  topPerformers,
} from '../../../src/services/providers.ts';
import { providersConfigSchema } from '../../../src/services/providers-config.ts';
import { type InputRow, line, martWarehouse } from '../payers/fixture.ts';

const npi = (n: number) => `10000000${String(n).padStart(2, '0')}`;

let seq = 0;
/** One claim of provider `n` on `date` paying `paid`, billed by a group NPI that must not leak in. */
function visit(n: number, date: string, paid: number): InputRow {
  seq += 1;
  return line(`c${seq}`, 1, date, {
    rendering_npi: npi(n),
    billing_npi: '1999999999',
    charge_amount: paid * 2,
    paid_amount: paid,
  });
}

// As of 2024-12-31 the trailing 12 months are 2024-01-01..2024-12-31. Configured thresholds:
// monetary >= 1000, frequency high >= 4, mid >= 2, active <= 30 days, very active <= 15, dormant > 60,
// New when the first service is <= 90 days back.
const medical = [
  // P1 Champions, exactly at every boundary: 4 claims, 1000 paid, last 2024-12-01 (30 days).
  ...['2024-03-01', '2024-06-01', '2024-09-01', '2024-12-01'].map((d) => visit(1, d, 250)),
  // P2 one day past active (31 days): Standard.
  ...['2024-03-01', '2024-06-01', '2024-09-01', '2024-11-30'].map((d) => visit(2, d, 250)),
  // P3 Dormant Giants: 1000 paid, last 2024-10-31 (61 days > 60).
  visit(3, '2024-02-01', 500),
  visit(3, '2024-10-31', 500),
  // P4 the same at exactly 60 days (2024-11-01): not dormant -> Standard.
  visit(4, '2024-02-01', 500),
  visit(4, '2024-11-01', 500),
  // P5 Rising Stars at the boundary: 2 claims, last 2024-12-16 (15 days), 200 paid.
  visit(5, '2024-05-01', 100),
  visit(5, '2024-12-16', 100),
  // P6 New: first (and only) service 2024-10-02, 90 days back; 200 paid.
  visit(6, '2024-10-02', 200),
  // P7 one day older (2024-10-01, 91 days): not New; 91 > 60 -> At Risk; 40 paid.
  visit(7, '2024-10-01', 40),
  // P8 last seen 2023-12-31, just outside the window: frequency 0 -> Lapsed.
  visit(8, '2023-12-31', 500),
  // P9 seen 2024-01-01, the window's first day: frequency 1, 365 days -> At Risk; 20 paid.
  visit(9, '2024-01-01', 20),
  // P10 3 claims (< 4), 1000 paid, last 2024-12-10 (21 days): not Champions, not Rising (21 > 15),
  // first service 2024-06-15 is not New -> Standard.
  visit(10, '2024-06-15', 400),
  visit(10, '2024-12-01', 300),
  visit(10, '2024-12-10', 300),
  // P11 like P1 but 999.99 paid (one cent short of high value) -> Standard.
  ...['2024-03-01', '2024-06-01', '2024-09-01'].map((d) => visit(11, d, 250)),
  visit(11, '2024-12-01', 249.99),
];

const cfg = providersConfigSchema.parse({
  thresholds: {
    monetaryHigh: 1000,
    frequencyHigh: 4,
    frequencyMid: 2,
    recencyActiveDays: 30,
    recencyVeryActiveDays: 15,
    recencyDormantDays: 60,
  },
  engagement: { costPerVisit: 10 },
});

const scope: ProviderScope = { asOf: '2024-12-31', role: 'rendering' };
let wh: Warehouse;
let thresholds: SegmentThresholds;

beforeAll(async () => {
  wh = await martWarehouse(['providers'], {
    medical_claim: medical,
    provider: [{ npi: npi(1), entity_type: 'individual', provider_name: 'Dr One', specialty: 'Cardiology' }],
  });
  thresholds = await segmentThresholds(wh, cfg, scope);
});

afterAll(async () => {
  await wh?.close();
});

describe('provider segments at their boundaries', () => {
  it('puts each provider in the segment its boundary implies', async () => {
    const rows = await providerRfm(wh, cfg, scope, thresholds);
    const seg = Object.fromEntries(rows.map((r) => [r.npi, r.segment]));
    expect(seg).toEqual({
      [npi(1)]: 'Champions',
      [npi(2)]: 'Standard',
      [npi(3)]: 'Dormant Giants',
      [npi(4)]: 'Standard',
      [npi(5)]: 'Rising Stars',
      [npi(6)]: 'New',
      [npi(7)]: 'At Risk',
      [npi(8)]: 'Lapsed',
      [npi(9)]: 'At Risk',
      [npi(10)]: 'Standard',
      [npi(11)]: 'Standard',
    });
    const p1 = rows.find((r) => r.npi === npi(1))!;
    expect(p1).toMatchObject({ provider_name: 'Dr One', recency_days: 30, frequency: 4, monetary: 1000 });
    // The lapsed provider keeps its recency (2023-12-31 -> 2024-12-31 = 366 days, 2024 is a leap year).
    expect(rows.find((r) => r.npi === npi(8))).toMatchObject({
      frequency: 0,
      monetary: 0,
      recency_days: 366,
    });
  });

  it('derives default thresholds from percentiles of active providers', async () => {
    const derived = await segmentThresholds(wh, providersConfigSchema.parse({}), scope);
    // Active providers (P8 excluded), continuous percentiles (position (n-1) x p over 10 values):
    // monetary sorted 20, 40, 200, 200, 999.99, 1000 x5: p80 at 7.2 -> 1000.
    // frequency 1,1,1,2,2,2,3,4,4,4: p80 at 7.2 -> 4; p50 at 4.5 -> 2.
    // recency 15, 21, 30, 30, 31, 60, 61, 90, 91, 365: p50 at 4.5 -> (31 + 60) / 2 = 45.5;
    // p25 at 2.25 -> 30; p75 at 6.75 -> 61 + 0.75 x (90 - 61) = 82.75.
    expect(derived).toEqual({
      monetaryHigh: { value: 1000, source: 'p80 of monetary' },
      frequencyHigh: { value: 4, source: 'p80 of frequency' },
      frequencyMid: { value: 2, source: 'p50 of frequency' },
      recencyActiveDays: { value: 45.5, source: 'p50 of recency_days' },
      recencyVeryActiveDays: { value: 30, source: 'p25 of recency_days' },
      recencyDormantDays: { value: 82.75, source: 'p75 of recency_days' },
    });
    expect(thresholds.monetaryHigh).toEqual({ value: 1000, source: 'configured' });
  });
});

describe('ROI per segment', () => {
  it('applies the engagement cost model', async () => {
    const rows = await segmentSummary(wh, cfg, scope, thresholds);
    const by = Object.fromEntries(rows.map((r) => [r.segment, r]));
    // Annual investment per provider = visits/quarter x 4 x $10: Champions 6 -> 240, Rising 4 -> 160,
    // Dormant 2 -> 80, New 2 -> 80, At Risk 1 -> 40, Standard 1 -> 40, Lapsed 0.
    // Champions: revenue 1000, investment 240, profit 760, ROI 760/240 = 3.17, 1000/240 = 4.17 per $.
    expect(by.Champions).toMatchObject({
      providers: 1,
      claims: 4,
      revenue: 1000,
      investment: 240,
      profit: 760,
      roi_ratio: 3.17,
      revenue_per_dollar: 4.17,
    });
    // Standard: P2, P4, P10, P11: revenue 1000 + 1000 + 1000 + 999.99 = 3999.99, investment 160,
    // profit 3839.99, ROI 23.9999 -> 24, 24.9999 -> 25 per $.
    expect(by.Standard).toMatchObject({
      providers: 4,
      revenue: 3999.99,
      investment: 160,
      profit: 3839.99,
      roi_ratio: 24,
      revenue_per_dollar: 25,
    });
    // Rising Stars: 200 vs 160 -> profit 40, ROI 0.25; At Risk: P7 40 + P9 20 = 60 vs 80 -> -20, ROI -0.25.
    expect(by['Rising Stars']).toMatchObject({ revenue: 200, investment: 160, profit: 40, roi_ratio: 0.25 });
    expect(by['At Risk']).toMatchObject({
      providers: 2,
      revenue: 60,
      investment: 80,
      profit: -20,
      roi_ratio: -0.25,
    });
    // Lapsed: no investment, so no ratio.
    expect(by.Lapsed).toMatchObject({ providers: 1, revenue: 0, investment: 0, roi_ratio: null });
    // Totals: revenue 1000 + 3999.99 + 1000 + 200 + 200 + 60 = 6459.99; investment 240 + 160 + 80 +
    // 160 + 80 + 80 = 800; profit 5659.99. Champions: 1/11 providers = 9.09%, 1000/6459.99 = 15.48%
    // of revenue, 760/5659.99 = 13.43% of profit.
    expect(by.Champions).toMatchObject({
      provider_share_pct: 9.09,
      revenue_share_pct: 15.48,
      profit_share_pct: 13.43,
    });
    expect(rows.map((r) => r.segment)).toEqual([
      'Champions',
      'Dormant Giants',
      'Rising Stars',
      'New',
      'At Risk',
      'Standard',
      'Lapsed',
    ]);
  });

  it('lists top performers with filters', async () => {
    // Standard by paid: P2, P10 and P4 have 1000 (ties broken by frequency 4, 3, 2), P11 999.99.
    const top = await topPerformers(wh, cfg, scope, thresholds, { segment: 'Standard', limit: 2 });
    expect(top.map((r) => [r.rank, r.npi])).toEqual([
      [1, npi(2)],
      [2, npi(10)],
    ]);
    // P2: investment 40, profit 960, 96% of its revenue.
    expect(top[0]).toMatchObject({ investment: 40, profit: 960, profit_pct: 96 });
    const cardiology = await topPerformers(wh, cfg, scope, thresholds, { specialty: 'Cardiology' });
    expect(cardiology.map((r) => r.npi)).toEqual([npi(1)]);
  });
});

describe('segment migration', () => {
  it('moves providers between 2024-09-30 and 2024-12-31 with the same thresholds', async () => {
    const rows = await segmentMigration(wh, cfg, scope, '2024-09-30', thresholds);
    // At 2024-09-30 (window 2023-10-01..2024-09-30): P1, P2, P11 have 3 claims, 750, 29 days ->
    // Standard; P3, P4, P5, P10 have one old claim (>= 107 days) -> At Risk; P8 (2023-12-31, 274
    // days) and P9 (273 days) -> At Risk; P6, P7 not yet active. Then at 2024-12-31 as above.
    const cell = (from: string, to: string) =>
      rows.find((r) => r.from_segment === from && r.to_segment === to)?.providers ?? 0;
    expect(cell('Standard', 'Champions')).toBe(1);
    expect(cell('Standard', 'Standard')).toBe(2);
    expect(cell('At Risk', 'Dormant Giants')).toBe(1);
    expect(cell('At Risk', 'Standard')).toBe(2);
    expect(cell('At Risk', 'Rising Stars')).toBe(1);
    expect(cell('At Risk', 'At Risk')).toBe(1);
    expect(cell('At Risk', 'Lapsed')).toBe(1);
    expect(cell('(not yet active)', 'New')).toBe(1);
    expect(cell('(not yet active)', 'At Risk')).toBe(1);
    expect(rows.reduce((a, r) => a + r.providers, 0)).toBe(11);
  });
});

describe('providers KPI domain', () => {
  it('defaults the as-of date to the last service and uses the rendering NPI only', async () => {
    const config = configSchema.parse({ providers: { engagement: { costPerVisit: 10 } } });
    const result = await providersDomain.run(wh, {}, config);
    // Last rendering service: P5 on 2024-12-16. No billing NPI (1999999999) among the providers.
    expect(result.headline).toMatchObject({ as_of: '2024-12-16', provider_role: 'rendering', providers: 11 });
    const top = result.sections.find((s) => s.title.startsWith('Top'))!;
    expect(top.rows.some((r) => r.npi === '1999999999')).toBe(false);
    expect(result.sections.map((s) => s.title)).toEqual([
      'Segment thresholds',
      'Segments and engagement ROI as of 2024-12-16',
      'Top 10 providers by trailing-12-month paid',
      'Segment migration 2024-09-16 -> 2024-12-16 (rows: segment then, columns: segment now)',
    ]);
  });
});
