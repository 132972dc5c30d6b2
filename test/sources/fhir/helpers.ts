// Shared steps of the FHIR adapter tests: load a fixture folder into a fresh warehouse and read
// input tables back.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Warehouse } from '../../../src/engine/duckdb.ts';
import { loadSource, type SourceLoadReport } from '../../../src/sources/index.ts';

export const FIXTURES = resolve(import.meta.dirname, '../../fixtures');
export const fixture = (name: string) => join(FIXTURES, name);

export async function loadFixture(
  name: string,
  format = 'fhir',
): Promise<{ warehouse: string; report: SourceLoadReport }> {
  const warehouse = join(mkdtempSync(join(tmpdir(), 'fhir-load-')), 'w.duckdb');
  const report = await loadSource(warehouse, fixture(name), { format });
  return { warehouse, report };
}

/** Runs `fn` on the warehouse opened read-only, closing it afterwards. */
export async function withWarehouse<T>(path: string, fn: (wh: Warehouse) => Promise<T>): Promise<T> {
  const wh = await Warehouse.open(path, { readOnly: true });
  try {
    return await fn(wh);
  } finally {
    await wh.close();
  }
}

/** Rows without their null and `_` (provenance) columns, for exact comparisons. */
export function plain(rows: readonly Record<string, unknown>[]): Record<string, unknown>[] {
  return rows.map((r) =>
    Object.fromEntries(Object.entries(r).filter(([k, v]) => v !== null && !k.startsWith('_'))),
  );
}

export function tableCounts(
  report: SourceLoadReport,
): Record<string, { loaded: number; quarantined: number }> {
  return Object.fromEntries(
    report.load.tables.map((t) => [t.table, { loaded: t.rowsLoaded, quarantined: t.rowsQuarantined }]),
  );
}
