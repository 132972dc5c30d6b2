// Isotonic regression against a pool-adjacent-violators result worked by hand, Platt scaling, and the choice.
import { describe, expect, it } from 'vitest';
import { calibrate, chooseCalibration, fitIsotonic, fitPlatt } from '../../src/ml/calibration.ts';
import { Random } from '../../src/ml/random.ts';

describe('fitIsotonic', () => {
  it('pools adjacent violators', () => {
    // Labels by margin: 1, 0, 0, 1, 1. (1, 0) violate -> 0.5, 0.5; then 0 after 0.5 violates -> pool
    // {1, 0, 0} = 1/3; then 1, 1. Knots: 1/3 from margin 1 to 3, 1 from 4 to 5.
    const c = fitIsotonic(Float64Array.from([1, 2, 3, 4, 5]), Float64Array.from([1, 0, 0, 1, 1]));
    expect(c.x).toEqual([1, 3, 4, 5]);
    expect(c.y).toEqual([1 / 3, 1 / 3, 1, 1]);
    expect(calibrate(c, 2)).toBe(1 / 3);
    expect(calibrate(c, 3.5)).toBeCloseTo(2 / 3, 15);
    expect(calibrate(c, -10)).toBe(1 / 3);
    expect(calibrate(c, 10)).toBe(1);
  });

  it('gives tied margins one value and is monotone', () => {
    // Margins 1, 1 with labels 1, 0 pool first (0.5); then 2 -> 0 violates: {1, 0, 0} = 1/3.
    const c = fitIsotonic(Float64Array.from([2, 1, 1, 3]), Float64Array.from([0, 1, 0, 1]));
    expect(c.x).toEqual([1, 2, 3]);
    expect(c.y).toEqual([1 / 3, 1 / 3, 1]);
    const rng = new Random(3);
    const m = Float64Array.from({ length: 500 }, () => rng.next() * 6 - 3);
    const y = Float64Array.from(m, (v) => (rng.next() < 1 / (1 + Math.exp(-v)) ? 1 : 0));
    const fit = fitIsotonic(m, y);
    for (let i = 1; i < fit.y.length; i++) expect(fit.y[i]!).toBeGreaterThanOrEqual(fit.y[i - 1]!);
    for (let i = 1; i < fit.x.length; i++) expect(fit.x[i]!).toBeGreaterThanOrEqual(fit.x[i - 1]!);
  });
});

describe('fitPlatt', () => {
  it('fits the sigmoid to smoothed targets (N+ + 1)/(N+ + 2) and 1/(N- + 2)', () => {
    // Separable: margin -1 -> label 0 (two rows), margin 1 -> label 1 (two rows). Targets 3/4 and 1/4,
    // so the fit puts p(1) = 3/4 and p(-1) = 1/4: a + b = ln 3, a - b = -ln 3 -> a = 0, b = ln 3.
    const c = fitPlatt(Float64Array.from([-1, -1, 1, 1]), Float64Array.from([0, 0, 1, 1]));
    expect(c.a).toBeCloseTo(0, 12);
    expect(c.b).toBeCloseTo(Math.log(3), 12);
    expect(calibrate(c, 1)).toBeCloseTo(0.75, 12);
  });
});

describe('chooseCalibration', () => {
  it('prefers Platt on a well-specified sigmoid, by cross-fitted log loss', () => {
    const rng = new Random(5);
    const m = Float64Array.from({ length: 400 }, () => rng.next() * 4 - 2);
    const y = Float64Array.from(m, (v) => (rng.next() < 1 / (1 + Math.exp(-2 * v)) ? 1 : 0));
    const choice = chooseCalibration(m, y, 5, 1);
    expect(choice.calibration.method).toBe('platt');
    expect(choice.candidates.map((c) => c.method)).toEqual(['platt', 'isotonic']);
    expect(choice.candidates[0]!.logLoss).toBeLessThan(choice.candidates[1]!.logLoss);
  });

  it('prefers isotonic when the truth is a staircase the sigmoid cannot follow', () => {
    // Rates 0.02, 0.5, 0.98 on three margin ranges: a sigmoid steep enough for the edges misses the middle.
    const rng = new Random(6);
    const m = Float64Array.from({ length: 2000 }, () => rng.next() * 5 - 2);
    const y = Float64Array.from(m, (v) => (rng.next() < (v >= 1 ? 0.98 : v >= 0 ? 0.5 : 0.02) ? 1 : 0));
    expect(chooseCalibration(m, y, 5, 1).calibration.method).toBe('isotonic');
  });
});
