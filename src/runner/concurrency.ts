// How many statements the build runs at once on DuckDB sessions, from the size of the book.
import { ident, type Warehouse } from '../engine/duckdb.ts';
import { INPUT_SCHEMA } from '../input/contract.ts';

/** Medical claim lines up to which the build runs two models (and two quality checks) at a time. */
export const TWO_AT_A_TIME_MAX_LINES = 3_000_000;

/**
 * Two at a time on a small book, one on a large one. Measured on the 2-core, 24 GB machine: at 1M
 * claim lines two models at a time filled the second core (model creation 29.9 s to 25.9 s), but at
 * 10M two large models at once competed for memory: the build took 410 s and peaked at 22 GB,
 * against 362 s and 16 GB one at a time (bench/README.md).
 */
export async function bookConcurrency(wh: Warehouse, maxLines = TWO_AT_A_TIME_MAX_LINES): Promise<number> {
  if (!(await wh.tableExists(INPUT_SCHEMA, 'medical_claim'))) return 1;
  const r = await wh.one<{ n: number }>(`SELECT count(*) AS n FROM ${ident(INPUT_SCHEMA)}.medical_claim`);
  return (r?.n ?? 0) <= maxLines ? 2 : 1;
}
