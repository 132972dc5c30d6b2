// Stratified folds, cross-validation and the time split (whole months, latest ones held out).
import { describe, expect, it } from 'vitest';
import { crossValidate, monthOf, monthStart, stratifiedFolds, timeSplit } from '../../src/ml/validation.ts';

const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 86_400_000;

describe('stratifiedFolds', () => {
  it('spreads each class evenly over the folds', () => {
    // 6 positives and 9 negatives over 3 folds: 2 positives and 3 negatives per fold.
    const label = Float64Array.from({ length: 15 }, (_, i) => (i < 6 ? 1 : 0));
    const fold = stratifiedFolds(label, 3, 7);
    for (let k = 0; k < 3; k++) {
      const rows = [...fold.keys()].filter((i) => fold[i] === k);
      expect(rows.filter((i) => label[i] === 1).length).toBe(2);
      expect(rows.filter((i) => label[i] === 0).length).toBe(3);
    }
    expect(stratifiedFolds(label, 3, 7)).toEqual(fold);
    expect(stratifiedFolds(label, 3, 8)).not.toEqual(fold);
  });

  it('cross-validates a scorer fold by fold', async () => {
    // A perfect scorer (the label itself) has AUC 1 on every fold.
    const label = Float64Array.from({ length: 20 }, (_, i) => i % 2);
    const cv = await crossValidate(label, 4, 1, async (_train, test) =>
      Float64Array.from(test, (i) => label[i]!),
    );
    expect(cv).toEqual({ folds: 4, auc: [1, 1, 1, 1], meanAuc: 1, sdAuc: 0 });
  });
});

describe('timeSplit', () => {
  it('holds out the latest months and validates on the months before them', () => {
    // 10 months, 2 rows each: holdout ceil(10 * 0.2) = 2 months, validation ceil(8 * 0.2) = 2, train 6.
    const days: number[] = [];
    for (let m = 0; m < 10; m++)
      days.push(day(monthStart(2022 * 12 + m)) + 3, day(monthStart(2022 * 12 + m)) + 20);
    const eventDay = Int32Array.from(days);
    const split = timeSplit(eventDay, Uint32Array.from(days.keys()));
    expect(split.windows).toEqual({
      train: { from: '2022-01-01', to: '2022-06-01', months: 6, rows: 12 },
      validation: { from: '2022-07-01', to: '2022-08-01', months: 2, rows: 4 },
      holdout: { from: '2022-09-01', to: '2022-10-01', months: 2, rows: 4 },
    });
    const latestTrain = Math.max(...[...split.train].map((i) => monthOf(eventDay[i]!)));
    const earliestTest = Math.min(
      ...[...split.validation, ...split.holdout].map((i) => monthOf(eventDay[i]!)),
    );
    expect(latestTrain).toBeLessThan(earliestTest);
    expect([...split.holdout]).toEqual([16, 17, 18, 19]);
  });

  it('only splits the rows it is given, in their order', () => {
    const eventDay = Int32Array.from([
      day('2023-03-05'),
      day('2023-01-09'),
      day('2023-02-01'),
      day('2023-01-30'),
    ]);
    const split = timeSplit(eventDay, Uint32Array.from([0, 1, 2, 3]));
    expect([...split.train]).toEqual([1, 3]);
    expect([...split.validation]).toEqual([2]);
    expect([...split.holdout]).toEqual([0]);
  });

  it('needs three months', () => {
    const eventDay = Int32Array.from([day('2023-01-05'), day('2023-02-01')]);
    expect(() => timeSplit(eventDay, Uint32Array.from([0, 1]))).toThrow(
      'labeled rows span 2 month(s): a time split needs at least 3 (train, validation, holdout); widen the data window',
    );
  });
});
