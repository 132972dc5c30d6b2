// Seeded pseudo-random numbers for training (row and column subsampling, fold assignment, sampling
// rows for bin boundaries): sfc32 seeded through splitmix32, so a seed gives the same model everywhere.

function mix32(x: number): number {
  let t = (x + 0x9e3779b9) | 0;
  t = Math.imul(t ^ (t >>> 16), 0x21f0aaad);
  t = Math.imul(t ^ (t >>> 15), 0x735a2d97);
  return (t ^ (t >>> 15)) >>> 0;
}

const INV_2_32 = 1 / 4294967296;

/**
 * A deterministic stream: the same (seed, stream) gives the same numbers on every platform, because
 * it only uses 32-bit integer arithmetic (never Math.random). Independent streams per purpose keep
 * one use of randomness (say, column sampling) from shifting another (row sampling).
 *
 * @example
 * const rng = new Random(42, 3);
 * rng.next(); rng.int(10);
 */
export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number, stream = 0) {
    const s = mix32(seed >>> 0);
    const t = mix32((stream >>> 0) ^ s);
    this.a = mix32(s ^ 0x1b873593);
    this.b = mix32(t ^ 0xcc9e2d51);
    this.c = mix32((s + t) >>> 0);
    this.d = 1;
    for (let i = 0; i < 12; i++) this.u32();
  }

  /** Next 32-bit unsigned integer. */
  u32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) + t;
    this.c |= 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.u32() * INV_2_32;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

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
