// Readmission services on tiny books: the logistic model, O:E benchmarking with Byar intervals and
// funnel limits, the transparent risk score and the intervention ROI simulation, checked by hand.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../../src/config.ts';
import type { Warehouse } from '../../../src/engine/duckdb.ts';
import {
  benchmarkHospital,
  byarInterval,
  componentPoints,
  fitLogistic,
  hospitalBenchmark,
  materializeReadmissionModel,
  patientRiskScores,
  poissonLimit,
  type RoiBaseline,
  readmissionsDomain,
  riskTierSummary,
  roiBaseline,
  simulateRoi,
} from '../../../src/services/readmissions.ts';
import { readmissionsConfigSchema } from '../../../src/services/readmissions-config.ts';
import { type InputRow, testWarehouse } from '../../helpers/warehouse.ts';
import { member, stay, visit } from './fixture.ts';
import { H1, H2 } from './scenario.ts';

const cfg = readmissionsConfigSchema.parse({});

describe('fitLogistic', () => {
  it('reproduces group rates exactly without penalty (saturated model)', () => {
    // Group A (x = 0): 1 event in 4; group B (x = 1): 3 in 4. The MLE fits both rates:
    // intercept = logit(1/4) = ln(1/3) = -1.098612; slope = logit(3/4) - logit(1/4) = ln 3 + ln 3 = ln 9 = 2.197225.
    const fit = fitLogistic(
      new Float64Array([1, 0, 1, 1]),
      2,
      new Float64Array([1, 3]),
      new Float64Array([4, 4]),
      0,
    );
    expect(fit.converged).toBe(true);
    expect(fit.coefficients[0]).toBeCloseTo(-Math.log(3), 9);
    expect(fit.coefficients[1]).toBeCloseTo(Math.log(9), 9);
  });

  it('shrinks the slope with L2 but keeps fitted events equal to observed (unpenalized intercept)', () => {
    const x = new Float64Array([1, 0, 1, 1]);
    const events = new Float64Array([1, 3]);
    const trials = new Float64Array([4, 4]);
    const fit = fitLogistic(x, 2, events, trials, 2);
    const [b0, b1] = [fit.coefficients[0]!, fit.coefficients[1]!];
    expect(b1).toBeGreaterThan(0);
    expect(b1).toBeLessThan(Math.log(9));
    const p = (z: number) => 1 / (1 + Math.exp(-z));
    // Score equation of the intercept: 4 p(b0) + 4 p(b0 + b1) = 1 + 3 = 4 events.
    expect(4 * p(b0) + 4 * p(b0 + b1)).toBeCloseTo(4, 9);
    // Score equation of the slope: 4 p(b0 + b1) - 3 = -lambda b1 (penalized gradient is zero).
    expect(4 * p(b0 + b1) - 3).toBeCloseTo(-2 * b1, 9);
  });
});

describe('intervals and funnel limits', () => {
  it("computes Byar's interval by hand", () => {
    // O = 3, z = 1.959964: lower = 3 (1 - 1/27 - z/(3 sqrt 3))^3 = 3 (0.585767)^3 = 0.602973;
    // upper = 4 (1 - 1/36 + z/6)^3 = 4 (1.298883)^3 = 8.765364.
    const ci = byarInterval(3);
    expect(ci.lower).toBeCloseTo(0.602973, 5);
    expect(ci.upper).toBeCloseTo(8.765364, 5);
    expect(byarInterval(0).lower).toBe(0);
  });

  it('interpolates Poisson quantiles as Spiegelhalter does', () => {
    // Poisson(2): F(4) = 0.947347, F(5) = 0.983436 >= 0.975, so r = 5 and
    // alpha = (0.983436 - 0.975) / (0.983436 - 0.947347) = 0.233764; limit = 5 - alpha = 4.766236.
    expect(poissonLimit(2, 0.975)).toBeCloseTo(4.766236, 5);
  });

  it('flags a hospital whose interval excludes 1', () => {
    // 40 observed vs 20 expected: O:E 2; Byar lower for 40 = 40 (1 - 1/360 - z/(3 sqrt 40))^3 =
    // 40 (0.893930)^3 = 28.575 > 20, so the interval is above 1.
    const h = benchmarkHospital(
      { facility_npi: 'x', facility_name: null, index_admissions: 100, observed: 40, expected: 20 },
      0.2,
    );
    expect(h.oe_ratio).toBe(2);
    expect(h.oe_lower_95!).toBeCloseTo(28.5751 / 20, 3);
    expect(h.risk_adjusted_rate).toBeCloseTo(0.4, 12);
    expect(h.flag).toBe('higher_than_expected');
    expect(h.outside_998).toBe(true);
  });
});

// Ten index stays with identical risk features (female, 74, no chronic condition, no prior stay):
// whatever the penalty, the model gives each the overall rate, 4 readmissions / 10 = 0.4. The
// readmissions are discharged 12-05, less than 30 days before the data end: they are not index stays.
function benchmarkBook(): { eligibility: InputRow[]; medical_claim: InputRow[]; provider: InputRow[] } {
  const rows: InputRow[] = [];
  const people: string[] = [];
  const add = (person: string, hospital: string, readmitted: boolean) => {
    people.push(person);
    rows.push(
      stay(`i-${person}`, person, '2024-11-01', '2024-11-03', 'J189', 5000, { facility_npi: hospital }),
    );
    if (readmitted) rows.push(stay(`r-${person}`, person, '2024-11-10', '2024-12-05', 'K922', 8000));
  };
  for (const [i, p] of ['a1', 'a2', 'a3', 'a4', 'a5'].entries()) add(p, H1, i < 3);
  for (const [i, p] of ['b1', 'b2', 'b3', 'b4', 'b5'].entries()) add(p, H2, i < 1);
  rows.push(visit('end', 'a1', '2024-12-31'));
  return {
    eligibility: people.map((p) => member(p)),
    medical_claim: rows,
    provider: [
      { npi: H1, entity_type: 'organization', provider_name: 'General Hospital', provider_type: 'hospital' },
      {
        npi: H2,
        entity_type: 'organization',
        provider_name: 'University Hospital',
        provider_type: 'hospital',
      },
    ],
  };
}

describe('hospital benchmark', () => {
  let wh: Warehouse;
  beforeAll(async () => {
    wh = await testWarehouse(benchmarkBook(), { models: ['marts/readmissions/'], codesets: true });
  });
  afterAll(async () => {
    await wh.close();
  });

  it('computes O:E, its Byar interval and the risk-adjusted rate for a tiny hospital set', async () => {
    const b = await hospitalBenchmark(wh, {}, cfg);
    expect(b.overall_rate).toBeCloseTo(0.4, 12);
    const [h1, h2] = b.hospitals;
    // General: E = 5 x 0.4 = 2, O = 3: O:E = 1.5; interval 0.602973/2 = 0.301486 .. 8.765364/2 = 4.382682;
    // risk-adjusted rate = 1.5 x 0.4 = 0.6.
    expect(h1!.facility_npi).toBe(H1);
    expect(h1!.expected).toBeCloseTo(2, 6);
    expect(h1!.observed).toBe(3);
    expect(h1!.oe_ratio).toBeCloseTo(1.5, 6);
    expect(h1!.oe_lower_95).toBeCloseTo(0.301486, 5);
    expect(h1!.oe_upper_95).toBeCloseTo(4.382682, 5);
    expect(h1!.risk_adjusted_rate).toBeCloseTo(0.6, 6);
    expect(h1!.flag).toBe('as_expected');
    // University: O = 1, E = 2: O:E 0.5; lower = (1 - 1/9 - z/3)^3 / 2 = 0.235568^3 / 2 = 0.006536,
    // upper = 2 (1 - 1/18 + z/(3 sqrt 2))^3 / 2 = 2.781878.
    expect(h2!.oe_ratio).toBeCloseTo(0.5, 6);
    expect(h2!.oe_lower_95).toBeCloseTo(0.006536, 5);
    expect(h2!.oe_upper_95).toBeCloseTo(2.781878, 5);
    expect(b.funnel).toHaveLength(cfg.benchmark.funnelPoints);
    // Funnel at E = 2 would have the 97.5% limit 4.766236 / 2; the first point is E = 1.6 (0.8 x 2).
    expect(b.funnel[0]!.expected).toBeCloseTo(1.6, 12);
    expect(b.funnel[0]!.upper_95).toBeCloseTo(poissonLimit(1.6, 0.975) / 1.6, 12);
  });

  it('writes the model and each stay’s expected probability back to marts', async () => {
    const model = await materializeReadmissionModel(wh, cfg);
    expect(model.converged).toBe(true);
    const rows = await wh.all<{ expected_probability: number }>(
      'SELECT expected_probability FROM marts.readmission_expected ORDER BY encounter_id',
    );
    expect(rows).toHaveLength(10);
    for (const r of rows) expect(r.expected_probability).toBeCloseTo(0.4, 6);
  });
});

// r1 and r2: born 1944-06-01 (80 on 2024-12-31), ZIP with ADI 80, an ED visit on 03-10, heart failure
// with diabetes (06-01..06-03) and COPD (09-01..09-04). r2 is also readmitted for a GI bleed
// (09-15..09-18, paid 12000).
function riskBook() {
  const people = ['r1', 'r2'];
  const rows: InputRow[] = [];
  for (const p of people) {
    rows.push(visit(`ed-${p}`, p, '2024-03-10', { place_of_service_code: '23', hcpcs_code: '99284' }));
    rows.push(stay(`s1-${p}`, p, '2024-06-01', '2024-06-03', 'I5023', 9000, { diagnosis_code_2: 'E119' }));
    rows.push(stay(`s2-${p}`, p, '2024-09-01', '2024-09-04', 'J441', 9000));
  }
  rows.push(stay('s3-r2', 'r2', '2024-09-15', '2024-09-18', 'K922', 12000));
  rows.push(visit('end', 'r1', '2024-12-31'));
  return {
    eligibility: people.map((p) => member(p, { birth_date: '1944-06-01' })),
    area_deprivation: [{ zip_code: '10001', adi_national_percentile: 80 }],
    medical_claim: rows,
  };
}

describe('risk score and ROI', () => {
  let wh: Warehouse;
  beforeAll(async () => {
    wh = await testWarehouse(riskBook(), { models: ['marts/readmissions/'], codesets: true });
  });
  afterAll(async () => {
    await wh.close();
  });

  it('scores a hand-made patient from the point table', async () => {
    // r1 as of 2024-12-31: age 80 -> 15 (75-84); ADI 80 -> 15 (76-100); chronic conditions in the
    // last 12 months: heart failure, diabetes, COPD = 3 -> 20; admissions 2 -> 15; ED visit days
    // 1 -> 5. Score 15 + 15 + 20 + 15 + 5 = 70 >= 60: high. Drivers: chronic conditions 20, then the
    // 15s in component order: age, area deprivation.
    const scores = await patientRiskScores(wh, cfg);
    // r2 has a third admission (20 points for admissions, 75 in all), so it comes first.
    expect(scores.map((s) => [s.person_id, s.risk_score])).toEqual([
      ['r2', 75],
      ['r1', 70],
    ]);
    expect(scores[1]).toMatchObject({
      person_id: 'r1',
      age: 80,
      age_points: 15,
      area_deprivation_points: 15,
      chronic_conditions_points: 20,
      admissions_12m_points: 15,
      ed_visits_12m_points: 5,
      risk_score: 70,
      risk_tier: 'high',
      drivers: ['chronic_conditions (20)', 'age (15)', 'area_deprivation (15)'],
    });
    expect(componentPoints(cfg.riskScore.age, 80)).toBe(15);
    expect(componentPoints(cfg.riskScore.area_deprivation, null)).toBe(0);
    const tiers = await riskTierSummary(wh, cfg);
    expect(tiers.find((t) => t.risk_tier === 'high')).toMatchObject({ patients: 2, mean_score: 72.5 });
  });

  it('measures the targeted discharges of the ROI baseline', async () => {
    // Stay-level scores: the 06-01 stays have 2 chronic conditions (10), no prior admission, one ED
    // visit (5), age 15, ADI 15 = 45: medium. The 09-01 stays: 3 conditions (20), 1 prior admission
    // (10), 5, 15, 15 = 65: high; r2's 09-15 stay: 20 + 15 + 5 + 15 + 15 = 70: high. High-tier
    // discharges 3 in the 365 days to the last one; one unplanned readmission (r2), paid 12000.
    const b = await roiBaseline(wh, {}, cfg);
    expect(b).toMatchObject({
      target_tier: 'high',
      window_to: '2024-09-18',
      window_days: 365,
      discharges_annual: 3,
      readmissions_annual: 1,
      cost_per_readmission: 12000,
      cost_standard_error: 0,
    });
  });

  it('runs the KPI domain end to end', async () => {
    const config = configSchema.parse({});
    const result = await readmissionsDomain.run(wh, {}, config);
    expect(result.headline.index_admissions).toBe(5);
    expect(result.sections.map((s) => s.title)).toContain('By payer');
  });
});

describe('simulateRoi', () => {
  const baseline: RoiBaseline = {
    target_tier: 'high',
    window_from: '2024-01-01',
    window_to: '2024-12-31',
    window_days: 366,
    discharges_annual: 100,
    readmissions_annual: 20,
    cost_per_readmission: 15000,
    cost_standard_error: 1000,
    readmissions_costed: 20,
  };
  const roi = readmissionsConfigSchema.parse({ roi: { enrollmentRate: 0.5, seed: 7, draws: 10000 } }).roi;

  it('computes the base case by hand', () => {
    const [calls, medrec, tcm] = simulateRoi(baseline, roi);
    // Enrollees 100 x 0.5 = 50; enrolled readmissions 20 x 0.5 = 10.
    // Calls: cost 50 x 40 = 2000; averted 10 x 0.05 = 0.5; gross 0.5 x 15000 = 7500; net 5500; ROI 2.75.
    expect(calls).toMatchObject({
      enrollees: 50,
      program_cost: 2000,
      base_gross_savings: 7500,
      base_net_savings: 5500,
    });
    expect(calls!.base_averted_readmissions).toBeCloseTo(0.5, 12);
    expect(calls!.base_roi).toBeCloseTo(2.75, 12);
    // Medication reconciliation: cost 7500; averted 1.9; gross 28500; net 21000; ROI 2.8.
    expect(medrec!.program_cost).toBe(7500);
    expect(medrec!.base_gross_savings).toBeCloseTo(28500, 6);
    expect(medrec!.base_roi).toBeCloseTo(2.8, 12);
    // Transitional care: cost 50000; averted 3; gross 45000; net -5000; ROI -0.1.
    expect(tcm!.base_net_savings).toBeCloseTo(-5000, 6);
    expect(tcm!.base_roi).toBeCloseTo(-0.1, 12);
  });

  it('is reproducible with a fixed seed and gives a 90% interval around the base case', () => {
    const a = simulateRoi(baseline, roi);
    const b = simulateRoi(baseline, roi);
    expect(a).toEqual(b);
    const other = simulateRoi(baseline, { ...roi, seed: 8 });
    expect(other[2]!.net_savings.median).not.toBe(a[2]!.net_savings.median);
    for (const r of a) {
      expect(r.net_savings.p05).toBeLessThan(r.net_savings.median);
      expect(r.net_savings.median).toBeLessThan(r.net_savings.p95);
      expect(r.net_savings.p05).toBeLessThan(r.base_net_savings);
      expect(r.base_net_savings).toBeLessThan(r.net_savings.p95);
    }
    // The effect of calls is triangular(0, 0.05, 0.1): its median is 0.05, so the averted median is
    // close to 10 x 0.05 = 0.5 (Poisson noise on the 10 readmissions widens, not shifts, it).
    expect(a[0]!.averted_readmissions.median).toBeGreaterThan(0.35);
    expect(a[0]!.averted_readmissions.median).toBeLessThan(0.6);
  });
});
