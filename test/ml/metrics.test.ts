// Metrics on a five-row example worked by hand: positives score 0.9, 0.7, 0.3; negatives 0.3, 0.5.
import { describe, expect, it } from 'vitest';
import {
  averagePrecision,
  brierScore,
  calibrationFit,
  calibrationTable,
  liftTable,
  logLoss,
  rocAuc,
} from '../../src/ml/metrics.ts';

const score = Float64Array.from([0.9, 0.7, 0.3, 0.3, 0.5]);
const label = Float64Array.from([1, 1, 1, 0, 0]);

describe('rocAuc', () => {
  it('counts a tie as half a win: 4.5 of 6 pairs = 0.75', () => {
    // Pairs (pos, neg): 0.9 beats both (2), 0.7 beats both (2), 0.3 ties 0.3 (0.5) and loses to 0.5 (0).
    expect(rocAuc(score, label).auc).toBe(0.75);
  });

  it('gives the DeLong standard error from the structural components', () => {
    // V10 (per positive, mean over negatives) = 1, 1, 0.25: variance (0.0625 + 0.0625 + 0.25) / 2 = 0.1875.
    // V01 (per negative, mean over positives) = 5/6, 2/3: variance (1/144 + 1/144) / 1 = 1/72.
    // var = 0.1875 / 3 + (1/72) / 2 = 5/72.
    const r = rocAuc(score, label);
    expect(r.se).toBeCloseTo(Math.sqrt(5 / 72), 15);
    expect(r.lower).toBeCloseTo(0.75 - 1.959963984540054 * Math.sqrt(5 / 72), 15);
    expect(r.upper).toBe(1);
  });

  it('is 1 for a perfect ranking and 0.5 when every score ties', () => {
    expect(rocAuc(Float64Array.from([0.1, 0.2, 0.8, 0.9]), Float64Array.from([0, 0, 1, 1])).auc).toBe(1);
    expect(rocAuc(Float64Array.from([0.4, 0.4, 0.4]), Float64Array.from([0, 1, 1])).auc).toBe(0.5);
  });

  it('refuses a set with one class', () => {
    expect(() => rocAuc(Float64Array.from([0.1, 0.2]), Float64Array.from([1, 1]))).toThrow(
      'AUC needs both positive and negative rows',
    );
  });
});

describe('averagePrecision', () => {
  it('sums precision at each recall step, tied scores as one threshold: 13/15', () => {
    // >= 0.9: P 1, R 1/3; >= 0.7: P 1, R 2/3; >= 0.5: no new positive; >= 0.3: P 3/5, R 1.
    // AP = 1/3 * 1 + 1/3 * 1 + 1/3 * 3/5 = 13/15.
    expect(averagePrecision(score, label)).toBeCloseTo(13 / 15, 15);
  });
});

describe('probability scores', () => {
  const p = Float64Array.from([0.8, 0.6, 0.2, 0.4]);
  const y = Float64Array.from([1, 0, 0, 1]);

  it('Brier score is the mean squared error', () => {
    // (0.04 + 0.36 + 0.04 + 0.36) / 4 = 0.2
    expect(brierScore(p, y)).toBeCloseTo(0.2, 15);
  });

  it('log loss is the mean negative log-likelihood', () => {
    expect(logLoss(p, y)).toBeCloseTo(
      -(Math.log(0.8) + Math.log(0.4) + Math.log(0.8) + Math.log(0.4)) / 4,
      15,
    );
  });

  it('calibration intercept 0 and slope 1 when probabilities are the true rates', () => {
    // Two groups: p = 0.25 with 1 of 4 positive, p = 0.75 with 3 of 4: the recalibration fit is the identity.
    const pp = Float64Array.from([0.25, 0.25, 0.25, 0.25, 0.75, 0.75, 0.75, 0.75]);
    const yy = Float64Array.from([1, 0, 0, 0, 1, 1, 1, 0]);
    const fit = calibrationFit(pp, yy);
    expect(fit.intercept).toBeCloseTo(0, 10);
    expect(fit.slope).toBeCloseTo(1, 10);
  });

  it('calibration slope 1/2 when predictions are twice as extreme as the truth', () => {
    // Predicted log-odds +-2 ln 3 where the true log-odds are +-ln 3 (rates 1/4 and 3/4): slope 0.5.
    const lo = 1 / (1 + 9);
    const pp = Float64Array.from([lo, lo, lo, lo, 1 - lo, 1 - lo, 1 - lo, 1 - lo]);
    const yy = Float64Array.from([1, 0, 0, 0, 1, 1, 1, 0]);
    const fit = calibrationFit(pp, yy);
    expect(fit.slope).toBeCloseTo(0.5, 10);
    expect(fit.intercept).toBeCloseTo(0, 10);
  });
});

describe('decile tables', () => {
  const p = Float64Array.from([0.1, 0.9, 0.3, 0.7, 0.5]);
  const y = Float64Array.from([0, 1, 0, 1, 1]);

  it('calibration groups have equal counts by predicted probability', () => {
    expect(calibrationTable(p, y, 2)).toEqual([
      { group: 1, rows: 2, meanPredicted: expect.closeTo(0.2, 15), observedRate: 0, positives: 0 },
      { group: 2, rows: 3, meanPredicted: expect.closeTo(0.7, 15), observedRate: 1, positives: 3 },
    ]);
  });

  it('lift deciles start at the highest scores', () => {
    // Overall rate 3/5; top group {0.9, 0.7}: rate 1, lift 5/3, capture 2/3.
    const [top, rest] = liftTable(p, y, 2);
    expect(top).toEqual({
      decile: 1,
      rows: 2,
      positives: 2,
      rate: 1,
      lift: 5 / 3,
      cumulativeCapture: 2 / 3,
      cumulativeLift: 5 / 3,
    });
    expect(rest).toMatchObject({ decile: 2, rows: 3, positives: 1, cumulativeCapture: 1, cumulativeLift: 1 });
  });
});
