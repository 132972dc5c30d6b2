import { describe, expect, it } from 'vitest';
import { ageAt, dayOf, iso, lastOfMonth, parseYearMonthEnd } from '../../src/generate/dates.ts';
import { Choice, Rng } from '../../src/generate/rng.ts';

describe('seeded random streams', () => {
  it('repeat exactly for the same seed and stream, and differ across streams', () => {
    const a = new Rng(42, 7);
    const b = new Rng(42, 7);
    const c = new Rng(42, 8);
    const xa = Array.from({ length: 1000 }, () => a.u32());
    const xb = Array.from({ length: 1000 }, () => b.u32());
    const xc = Array.from({ length: 1000 }, () => c.u32());
    expect(xa).toEqual(xb);
    expect(xa.filter((v, i) => v === xc[i]).length).toBeLessThan(3);
  });

  it('draw uniforms, normals, Poisson counts and weighted choices with the right moments', () => {
    const rng = new Rng(1, 1);
    const n = 200_000;
    let sum = 0;
    let sq = 0;
    let nsum = 0;
    let nsq = 0;
    let psum = 0;
    let min = 1;
    let max = 0;
    for (let i = 0; i < n; i++) {
      const u = rng.next();
      min = Math.min(min, u);
      max = Math.max(max, u);
      sum += u;
      sq += u * u;
      const z = rng.normal();
      nsum += z;
      nsq += z * z;
      psum += rng.poisson(3.5);
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    expect(sum / n).toBeCloseTo(0.5, 2);
    expect(sq / n - (sum / n) ** 2).toBeCloseTo(1 / 12, 2);
    expect(nsum / n).toBeCloseTo(0, 1);
    expect(nsq / n).toBeCloseTo(1, 1);
    expect(psum / n).toBeCloseTo(3.5, 1);
    const choice = new Choice([
      ['a', 1],
      ['b', 3],
    ] as const);
    let b = 0;
    for (let i = 0; i < n; i++) if (choice.draw(rng) === 'b') b++;
    expect(b / n).toBeCloseTo(0.75, 2);
  });
});

describe('day arithmetic', () => {
  it('round-trips civil dates and month ends', () => {
    const d = dayOf(2024, 2, 29);
    expect(iso(d)).toBe('2024-02-29');
    expect(iso(d + 1)).toBe('2024-03-01');
    expect(iso(lastOfMonth(dayOf(2025, 2, 3)))).toBe('2025-02-28');
    expect(iso(parseYearMonthEnd('2025-12')!)).toBe('2025-12-31');
    expect(parseYearMonthEnd('2025-13')).toBeUndefined();
    expect(ageAt(dayOf(1960, 6, 15), dayOf(2025, 6, 14))).toBe(64);
    expect(ageAt(dayOf(1960, 6, 15), dayOf(2025, 6, 15))).toBe(65);
    // Agrees with the platform calendar for every day of a long span.
    for (let day = dayOf(1999, 1, 1); day < dayOf(2031, 1, 1); day += 17) {
      expect(iso(day)).toBe(new Date(day * 86400000).toISOString().slice(0, 10));
    }
  });
});
