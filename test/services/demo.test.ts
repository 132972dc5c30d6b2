// The demo end to end, as `claimlens demo` and `claimlens demo --source DIR` run it: a generated book
// and a public sample each go through load, build and the headline numbers.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { runDemo } from '../../src/services/demo.ts';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'claimlens-demo-'));
  vi.stubEnv('CLAIMLENS_KEY', 'cd'.repeat(32));
});
afterAll(() => {
  vi.unstubAllEnvs();
  rmSync(dir, { recursive: true, force: true });
});

describe('runDemo', () => {
  it('generates, loads, builds and reads the headline of a synthetic book', async () => {
    const report = await runDemo({
      members: 300,
      seed: 3,
      dir: join(dir, 'book'),
      warehouse: join(dir, 'generated.duckdb'),
      config: loadConfig(dir),
    });
    expect(report.recognized).toBeUndefined();
    expect(report.gaps).toEqual([]);
    expect(report.quarantined).toBe(0);
    expect(report.models).toBeGreaterThan(60);
    const h = report.headline;
    expect(h.members).toBeGreaterThan(250);
    expect(h.claim_lines).toBeGreaterThan(1000);
    expect(h.top5_share).toBeGreaterThan(0.2);
    expect(h.initial_denial_rate).toBeGreaterThan(0);
    expect(h.quality_checks).toBe(57);
  }, 180_000);

  it('runs on the Synthea sample with --source, saying what it lacks instead of inventing it', async () => {
    const report = await runDemo({
      members: 1,
      seed: 1,
      dir: join(dir, 'unused'),
      warehouse: join(dir, 'synthea.duckdb'),
      config: loadConfig(dir),
      source: { dir: '../shared/datasets/synthea-csv' },
    });
    expect(report.recognized).toMatch(/^Synthea/);
    expect(report.seconds.generate).toBeLessThan(0.5);
    const h = report.headline;
    // python3 -c "import csv;print(len(list(csv.DictReader(open('patients.csv')))))" -> 27
    expect(h.members).toBe(27);
    // CHARGE transactions of claims_transactions.csv -> 1,545 claim lines
    expect(h.claim_lines).toBe(1545);
    // Synthea never denies a claim: no rate rather than 0%.
    expect(report.gaps.map((g) => g.capability)).toContain('claim_status');
    expect(h.initial_denial_rate).toBeNull();
    expect(h.revenue_at_risk).toBeNull();
    expect(h.ledger_variance_pct).toBeNull();
  }, 180_000);
});
