// Small synthetic data sets shared by the ML tests.
import { categorical, dataset, numeric } from '../../src/ml/dataset.ts';
import { Random } from '../../src/ml/random.ts';

/** A small set with a nonlinear signal, missing values and a categorical feature. */
export function randomSet(n: number, seed: number) {
  const rng = new Random(seed);
  const x1 = new Float64Array(n);
  const x2 = new Float64Array(n);
  const c: string[] = [];
  const label = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    x1[i] = rng.next() * 4 - 2;
    x2[i] = rng.next() < 0.15 ? Number.NaN : rng.next();
    c.push('abcdef'[rng.int(6)]!);
    const m = Math.sin(2 * x1[i]!) + (Number.isNaN(x2[i]!) ? 1 : x2[i]!) + ('be'.includes(c[i]!) ? 1 : -0.5);
    label[i] = rng.next() < 1 / (1 + Math.exp(-2 * m + 1)) ? 1 : 0;
  }
  return { data: dataset([numeric('x1', x1), numeric('x2', x2), categorical('c', c)]), label };
}
