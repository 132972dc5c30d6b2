// `claimlens generate` end to end, the parquet output typed from the contract, option validation,
// progress reporting, and knobs that raise a documented anomaly rate.
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/program.ts';
import { duckdbDialect } from '../../src/engine/dialect.ts';
import { literal, Warehouse } from '../../src/engine/duckdb.ts';
import { UsageError } from '../../src/errors.ts';
import { type GenerateProgress, generateBook } from '../../src/generate/index.ts';
import { isValidNpi } from '../../src/generate/providers.ts';
import { INPUT_TABLES } from '../../src/input/contract.ts';

const dirs: string[] = [];
const temp = () => {
  const d = mkdtempSync(join(tmpdir(), 'claimlens-gencli-'));
  dirs.push(d);
  return d;
};

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('claimlens generate', () => {
  it('writes every table as CSV and exits 0', async () => {
    const out = temp();
    const writes: string[] = [];
    const orig = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string) => {
      writes.push(String(chunk));
      return true;
    }) as typeof process.stdout.write;
    let code: number;
    try {
      code = await main([
        '--quiet',
        'generate',
        '--members',
        '150',
        '--seed',
        '9',
        '--out',
        out,
        '--months',
        '6',
        '--end',
        '2025-06',
      ]);
    } finally {
      process.stdout.write = orig;
    }
    expect(code).toBe(0);
    for (const t of INPUT_TABLES) expect(existsSync(join(out, `${t.name}.csv`)), t.name).toBe(true);
    expect(writes.join('')).toMatch(/service dates 2025-01-01\.\.2025-06-30, cut-off 2025-09-28/);
  });

  it('rejects bad options with exit code 2', async () => {
    const orig = process.stderr.write.bind(process.stderr);
    process.stderr.write = (() => true) as typeof process.stderr.write;
    try {
      expect(await main(['generate', '--members', '10', '--out', temp(), '--format', 'xml'])).toBe(2);
      expect(await main(['generate', '--members', 'many', '--out', temp()])).toBe(2);
      expect(await main(['generate', '--members', '10', '--out', temp(), '--end', '2025-13'])).toBe(2);
    } finally {
      process.stderr.write = orig;
    }
    await expect(generateBook({ members: 0, seed: 1, out: temp() })).rejects.toBeInstanceOf(UsageError);
  });

  it('writes parquet files typed with the contract SQL types, with the same rows as CSV, and no CSV left over', async () => {
    const csvDir = temp();
    const pqDir = temp();
    const a = await generateBook({ members: 200, seed: 4, out: csvDir, months: 6 });
    const b = await generateBook({ members: 200, seed: 4, out: pqDir, months: 6, format: 'parquet' });
    expect(b.tables).toEqual(a.tables);
    expect(readdirSync(pqDir).sort()).toEqual(INPUT_TABLES.map((t) => `${t.name}.parquet`).sort());
    const wh = await Warehouse.open(':memory:');
    try {
      for (const t of INPUT_TABLES) {
        const path = join(pqDir, `${t.name}.parquet`);
        const cols = await wh.describe(`SELECT * FROM read_parquet(${literal(path)})`);
        for (const c of cols) {
          const spec = t.columns.find((x) => x.name === c.name)!;
          expect(c.type, `${t.name}.${c.name}`).toBe(duckdbDialect.sqlType(spec.type));
        }
        const n = await wh.one<{ n: number }>(`SELECT count(*) AS n FROM read_parquet(${literal(path)})`);
        expect(n?.n, t.name).toBe(a.tables[t.name]);
      }
    } finally {
      await wh.close();
    }
  });

  it('reports progress about every 10 % of members', async () => {
    const seen: GenerateProgress[] = [];
    await generateBook({ members: 500, seed: 2, out: temp(), months: 3 }, (p) => seen.push(p));
    expect(seen.map((p) => p.membersDone)).toEqual([50, 100, 150, 200, 250, 300, 350, 400, 450, 500]);
    expect(seen.at(-1)!.medicalClaimLines).toBeGreaterThan(0);
  });

  it('plants invalid NPI check digits at the rate its knob sets', async () => {
    const out = temp();
    await generateBook({ members: 3000, seed: 8, out, months: 3, knobs: { invalidNpiShare: 0.2 } });
    const wh = await Warehouse.open(':memory:');
    try {
      const rows = await wh.all<{ npi: string }>(
        `SELECT CAST(npi AS VARCHAR) AS npi FROM read_csv(${literal(join(out, 'provider.csv'))}, header = true, all_varchar = true)`,
      );
      const invalid = rows.filter((r) => !isValidNpi(r.npi)).length / rows.length;
      expect(rows.length).toBeGreaterThan(150);
      expect(invalid).toBeGreaterThan(0.12);
      expect(invalid).toBeLessThan(0.28);
    } finally {
      await wh.close();
    }
  });
});
