// The ML benchmark's synthetic data set, shared by the full run and the scoring-only run.
import { Random } from '../../src/ml/random.ts';

/**
 * The signal: a sine, an interaction, a step, a square and a feature whose missing values carry
 * risk; features 8 and up are noise. Values are rounded to float32 so both libraries see the same
 * numbers.
 */
export function generate(N: number, F: number): { cols: Float64Array[]; label: Float64Array } {
  const rng = new Random(2024);
  const cols = Array.from({ length: F }, () => new Float64Array(N));
  const label = new Float64Array(N);
  for (let i = 0; i < N; i++) {
    for (let f = 0; f < F; f++) {
      const missing = (f === 5 || f === 6) && rng.next() < 0.1;
      cols[f]![i] = missing ? Number.NaN : Math.fround(rng.next() * 2 - 1);
    }
    const x = (f: number) => cols[f]![i]!;
    const m =
      1.2 * Math.sin(3 * x(0)) +
      1.5 * x(1) * x(2) +
      (x(3) > 0.3 ? 1 : 0) -
      0.8 * x(4) * x(4) +
      (Number.isNaN(x(5)) ? 0.6 : 0.4 * x(5)) +
      (Number.isNaN(x(6)) ? 0 : 0.5 * Math.abs(x(6))) +
      0.3 * x(7) -
      0.5;
    label[i] = rng.next() < 1 / (1 + Math.exp(-m)) ? 1 : 0;
  }
  return { cols, label };
}
