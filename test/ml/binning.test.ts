// Bin boundaries and bin assignment: one bin per distinct value when they fit, equal-count bins when not.
import { describe, expect, it } from 'vitest';
import { binDataset, fitBinning, numericBin, quantileCuts } from '../../src/ml/binning.ts';
import { categorical, dataset, numeric } from '../../src/ml/dataset.ts';

describe('binning', () => {
  it('cuts halfway between distinct values when they fit', () => {
    expect(quantileCuts(Float64Array.from([1, 1, 2, 4, 4, 4]), 255)).toEqual([1.5, 3]);
  });

  it('makes equal-count bins when values outnumber bins', () => {
    // 8 distinct values, 4 bins: a cut after every 2 values.
    expect(quantileCuts(Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8]), 4)).toEqual([2.5, 4.5, 6.5]);
    // A heavy value keeps a bin to itself: 1 (x5) then 2..5.
    expect(quantileCuts(Float64Array.from([1, 1, 1, 1, 1, 2, 3, 4, 5, 6]), 4)).toEqual([1.5, 3.5, 5.5]);
  });

  it('bins values at or below a cut into its bin, NaN into the missing bin', () => {
    const cuts = [1.5, 3];
    expect([0, 1.5, 2, 3, 3.5, Number.POSITIVE_INFINITY, Number.NaN].map((x) => numericBin(cuts, x))).toEqual(
      [0, 0, 1, 1, 2, 2, 3],
    );
    const ds = dataset([numeric('x', [0, 1.5, 2, 3, 3.5, null])]);
    expect([...binDataset([{ kind: 'numeric', name: 'x', cuts }], ds)]).toEqual([0, 0, 1, 1, 2, 3]);
  });

  it('gives frequent levels their own bin, pools rare ones and maps levels by text', () => {
    const ds = dataset([categorical('c', ['b', 'a', 'b', 'c', 'b', 'a', 'd', null])]);
    const [fb] = fitBinning(ds, { maxBins: 3 });
    // Levels by count (b 3, a 2), then name; with 3 bins two levels keep bins, c and d pool into "other".
    expect(fb).toEqual({ kind: 'categorical', name: 'c', levels: ['b', 'a'] });
    expect([...binDataset([fb!], ds)]).toEqual([0, 1, 0, 2, 0, 1, 2, 3]);
    // Another dataset with its own level order bins the same way.
    expect([...binDataset([fb!], dataset([categorical('c', ['a', 'zzz', 'b'])]))]).toEqual([1, 2, 0]);
  });
});
