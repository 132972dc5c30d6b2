// Seeded pseudo-random numbers for training (row and column subsampling, fold assignment, sampling
// rows for bin boundaries): sfc32 seeded through splitmix32, so a seed gives the same model everywhere.
import { Rng } from '../generate/rng.ts';

/**
 * A deterministic stream: the same (seed, stream) gives the same numbers on every platform, because
 * it only uses 32-bit integer arithmetic (never Math.random). Independent streams per purpose keep
 * one use of randomness (say, column sampling) from shifting another (row sampling). The generator
 * is the synthetic data's (src/generate/rng.ts); training adds shuffles and samples.
 *
 * @example
 * const rng = new Random(42, 3);
 * rng.next(); rng.int(10);
 */
export class Random extends Rng {
  /** Shuffles `a` in place (Fisher-Yates). */
  shuffle(a: Uint32Array | Int32Array): void {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = a[i]!;
      a[i] = a[j]!;
      a[j] = t;
    }
  }

  /** `k` distinct integers of [0, n) in ascending order (a partial shuffle, then sorted). */
  sample(n: number, k: number): Uint32Array {
    if (k >= n) return Uint32Array.from({ length: n }, (_, i) => i);
    const idx = new Uint32Array(n);
    for (let i = 0; i < n; i++) idx[i] = i;
    for (let i = 0; i < k; i++) {
      const j = i + this.int(n - i);
      const t = idx[i]!;
      idx[i] = idx[j]!;
      idx[j] = t;
    }
    return idx.slice(0, k).sort();
  }
}
