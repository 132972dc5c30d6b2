// The logistic baseline against closed-form fits on an eight-row set.
import { describe, expect, it } from 'vitest';
import { categorical, dataset, numeric } from '../../src/ml/dataset.ts';
import { coefficientTable, fitLogistic, predictLogistic } from '../../src/ml/logistic.ts';

// x = 0: 1 positive of 4; x = 1: 3 positives of 4. Mean 0.5, population sd 0.5, so z = -1 / +1.
const x = [0, 0, 0, 0, 1, 1, 1, 1];
const y = Float64Array.from([1, 0, 0, 0, 1, 1, 1, 0]);

describe('fitLogistic', () => {
  it('without penalty is the log odds ratio: per SD ln 3, per unit 2 ln 3, intercept 0 at the mean', () => {
    // logit p(x=1) = ln 3, logit p(x=0) = -ln 3: slope per unit 2 ln 3; at the mean (z = 0) 0.
    const m = fitLogistic(dataset([numeric('x', x)]), y, { lambda: 0 });
    const f = m.features[0]!;
    expect(f).toMatchObject({ kind: 'numeric', mean: 0.5, sd: 0.5 });
    expect(m.intercept).toBeCloseTo(0, 12);
    expect(f.kind === 'numeric' && f.coef).toBeCloseTo(Math.log(3), 12);
    const p = predictLogistic(m, dataset([numeric('x', [0, 1])]));
    expect(p[0]).toBeCloseTo(0.25, 12);
    expect(p[1]).toBeCloseTo(0.75, 12);
    expect(coefficientTable(m)[0]).toMatchObject({
      feature: 'x',
      term: 'per SD',
      perUnit: expect.closeTo(2 * Math.log(3), 12),
    });
  });

  it('with penalty lambda solves sum z(y - p) = lambda * beta: lambda = 2/(3 ln 2) gives beta = ln 2', () => {
    // The gradient in beta is (3 - 4 s(b)) - (1 - 4 s(-b)) = 6 - 8 s(b); s(ln 2) = 2/3 gives 2/3 = lambda ln 2.
    const m = fitLogistic(dataset([numeric('x', x)]), y, { lambda: 2 / (3 * Math.log(2)) });
    const f = m.features[0]!;
    expect(f.kind === 'numeric' && f.coef).toBeCloseTo(Math.log(2), 12);
    expect(m.intercept).toBeCloseTo(0, 12);
  });

  it('codes categories against the most frequent level, with missing values as their own column', () => {
    // Levels: a (4 rows, 1 positive), b (2 rows, 1 positive), missing (2 rows, 1 positive). Unpenalized
    // and saturated: intercept logit(1/4) = -ln 3; b and missing: logit(1/2) - logit(1/4) = ln 3.
    const c = categorical('c', ['a', 'a', 'a', 'a', 'b', 'b', null, null]);
    const yy = Float64Array.from([1, 0, 0, 0, 1, 0, 1, 0]);
    const m = fitLogistic(dataset([c]), yy, { lambda: 0 });
    const f = m.features[0]!;
    expect(f.kind).toBe('categorical');
    if (f.kind !== 'categorical') return;
    expect(f.reference).toBe('a');
    expect(f.levels).toEqual(['b']);
    expect(m.intercept).toBeCloseTo(-Math.log(3), 10);
    expect(f.coefs[0]).toBeCloseTo(Math.log(3), 10);
    expect(f.missingCoef).toBeCloseTo(Math.log(3), 10);
    // An unseen level counts as the reference.
    expect(predictLogistic(m, dataset([categorical('c', ['zzz'])]))[0]).toBeCloseTo(0.25, 10);
  });

  it('fills a missing numeric value with the mean and learns a missing indicator', () => {
    const m = fitLogistic(
      dataset([numeric('x', [0, 0, 1, 1, null, null])]),
      Float64Array.from([0, 1, 1, 0, 1, 1]),
      {
        lambda: 1e-9,
      },
    );
    const f = m.features[0]!;
    expect(f.kind === 'numeric' && f.missingCoef).toBeGreaterThan(5);
  });

  it('needs a penalty when a class is perfectly separated', () => {
    expect(() =>
      fitLogistic(dataset([numeric('x', [0, 0, 1, 1])]), Float64Array.from([0, 0, 1, 1]), { lambda: 0 }),
    ).toThrow(/perfectly separated; use a penalty/);
  });
});
