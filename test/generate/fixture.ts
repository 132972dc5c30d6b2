// Shared fixture of the generator tests: generate a small book into a temp folder and open its
// CSVs as DuckDB tables, so every property is measured on generated data with SQL.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { literal, Warehouse } from '../../src/engine/duckdb.ts';
import { type GenerateOptions, type GenerateReport, generateBook } from '../../src/generate/index.ts';
import { INPUT_TABLES } from '../../src/input/contract.ts';

/** Repository root; the public code sets live in ../shared beside it (as in CI). */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CODESETS = join(ROOT, '..', 'shared', 'datasets', 'code-sets');
export const NDC_CSV = join(ROOT, 'data', 'codesets', 'ndc_drug_class.csv');
export const ICD_FILE = `${CODESETS}/icd10cm/icd10cm_order_FY2021.csv`;
export const HCPCS_FILE = `${CODESETS}/tuva-terminology/terminology__hcpcs_level_2.csv`;
export const TUVA = `${CODESETS}/tuva-terminology`;
export const CARC_FILE = `${CODESETS}/carc/claim_adjustment_reason_codes.csv`;

export interface Book {
  dir: string;
  report: GenerateReport;
  wh: Warehouse;
  /** Rows of a query. */
  all<T = Record<string, unknown>>(sql: string): Promise<T[]>;
  /** First row of a query. */
  one<T = Record<string, unknown>>(sql: string): Promise<T>;
  close(): Promise<void>;
}

/** Generates a book and loads every table file into a DuckDB table named after it. */
export async function openBook(options: Omit<GenerateOptions, 'out'>, allVarchar = false): Promise<Book> {
  const dir = mkdtempSync(join(tmpdir(), 'claimlens-gen-'));
  const report = await generateBook({ ...options, out: dir });
  const wh = await Warehouse.open(':memory:', { threads: 1 });
  for (const t of INPUT_TABLES) {
    const path = join(dir, `${t.name}.csv`);
    await wh.run(
      `CREATE TABLE ${t.name} AS SELECT * FROM read_csv(${literal(path)}, header = true, sample_size = -1${allVarchar ? ', all_varchar = true' : ''})`,
    );
  }
  return {
    dir,
    report,
    wh,
    all: <T>(sql: string) => wh.all<T>(sql),
    one: async <T>(sql: string) => (await wh.all<T>(sql))[0]!,
    close: async () => {
      await wh.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
