import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.ts';
import { parsePeriod, periodDays, previousPeriod } from '../../src/services/period.ts';

describe('periods', () => {
  it('parses months, quarters, years and ranges', () => {
    expect(parsePeriod({ period: '2024-02' })).toMatchObject({
      from: '2024-02-01',
      to: '2024-02-29',
      kind: 'month',
    });
    expect(parsePeriod({ period: '2024Q4' })).toMatchObject({
      from: '2024-10-01',
      to: '2024-12-31',
      label: '2024Q4',
    });
    expect(parsePeriod({ period: '2023' })).toMatchObject({ from: '2023-01-01', to: '2023-12-31' });
    expect(parsePeriod({ from: '2024-01-15', to: '2024-02-14' })).toMatchObject({ kind: 'range' });
    expect(parsePeriod({})).toBeUndefined();
  });

  it('refuses bad periods with a usage error', () => {
    expect(() => parsePeriod({ period: '2024Q5' })).toThrow(UsageError);
    expect(() => parsePeriod({ period: '2024-13' })).toThrow(/not a period/);
    expect(() => parsePeriod({ from: '2024-03-01', to: '2024-02-01' })).toThrow(/inverted/);
    expect(() => parsePeriod({ from: '2024-02-30', to: '2024-03-01' })).toThrow(/calendar date/);
    expect(() => parsePeriod({ from: '2024-02-01' })).toThrow(/go together/);
    expect(() => parsePeriod({ period: '2024', from: '2024-01-01', to: '2024-01-02' })).toThrow(/not both/);
  });

  it('finds the comparable previous period', () => {
    expect(previousPeriod(parsePeriod({ period: '2024-01' })!)).toMatchObject({
      from: '2023-12-01',
      to: '2023-12-31',
    });
    expect(previousPeriod(parsePeriod({ period: '2024Q1' })!)).toMatchObject({
      from: '2023-10-01',
      label: '2023Q4',
    });
    expect(previousPeriod(parsePeriod({ period: '2024-03' })!)).toMatchObject({
      from: '2024-02-01',
      to: '2024-02-29',
    });
    const range = parsePeriod({ from: '2024-03-01', to: '2024-03-10' })!;
    expect(periodDays(range)).toBe(10);
    expect(previousPeriod(range)).toMatchObject({ from: '2024-02-20', to: '2024-02-29' });
  });
});
