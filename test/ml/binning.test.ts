// Bin boundaries and bin assignment: one bin per distinct value when they fit, equal-count bins when not.
import { describe, expect, it } from 'vitest';
import { binDataset, fitBinning, numericBin, quantileCuts } from '../../src/ml/binning.ts';
import { categorical, dataset, numeric } from '../../src/ml/dataset.ts';
import { Random } from '../../src/ml/random.ts';

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

  it('bins many rows exactly as numericBin, through the bucket lookup and when it gives up', () => {
    const rng = new Random(11);
    const n = 80_000;
    // Values on and next to every cut, outside the cuts, NaN, infinities and -0, then uniform ones.
    const uniformCuts = Array.from({ length: 254 }, (_, i) => -1 + (2 * (i + 1)) / 255);
    const tricky = (cuts: number[]) => (i: number) => {
      const c = cuts[i % cuts.length]!;
      switch (i % 9) {
        case 0:
          return c;
        case 1:
          return c + Math.abs(c) * Number.EPSILON;
        case 2:
          return c - Math.abs(c) * Number.EPSILON;
        case 3:
          return Number.NaN;
        case 4:
          return [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0, 0, -1e300, 1e300][i % 6]!;
        default:
          return rng.next() * 2.2 - 1.1;
      }
    };
    // Heavy tails crowd the cuts into a few buckets, so the lookup gives up part way.
    const skewed = Array.from({ length: n }, () => Math.exp(30 * rng.next()));
    const skewedCuts = quantileCuts(Float64Array.from(skewed).sort(), 255);
    const cases: [number[], Float64Array][] = [
      [uniformCuts, Float64Array.from({ length: n }, (_, i) => tricky(uniformCuts)(i))],
      [[0.5, 0.5000000000000001, 0.7], Float64Array.from({ length: n }, (_, i) => tricky([0.5, 0.7])(i))],
      [skewedCuts, Float64Array.from(skewed)],
    ];
    for (const [cuts, values] of cases) {
      const bins = binDataset([{ kind: 'numeric', name: 'x', cuts }], dataset([numeric('x', values)]));
      const expected = Uint8Array.from(values, (x) => numericBin(cuts, x));
      expect(Buffer.compare(bins, expected)).toBe(0);
    }
  });
});
