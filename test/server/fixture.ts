// A small but complete warehouse for the server and dashboard tests: a synthetic book generated,
// loaded and built by the same functions as `claimlens generate`, `load` and `build`.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Config, loadConfig } from '../../src/config.ts';
import { generateBook } from '../../src/generate/index.ts';
import { loadDirectory } from '../../src/input/load.ts';
import { buildProduct } from '../../src/services/pipeline.ts';

/** Members in the test book: enough for every domain's sections to have rows, small enough for ~15 s. */
export const TEST_MEMBERS = 600;

/** Generates, loads and builds a book into `dir`/warehouse.duckdb and returns its path. */
export async function buildTestWarehouse(dir: string, members = TEST_MEMBERS): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const book = join(dir, 'book');
  const warehouse = join(dir, 'warehouse.duckdb');
  await generateBook({ members, seed: 1, out: book, format: 'csv' });
  await loadDirectory(warehouse, book, { mode: 'replace' }, { threads: 1 });
  await buildProduct(warehouse, { open: { threads: 1 } });
  return warehouse;
}

/**
 * The default configuration pointed at `warehouse`, served without authentication as the analyst
 * role unless `server` says otherwise (the bearer-token tests set auth and a key).
 */
export function testConfig(
  warehouse: string,
  server: Partial<Config['server']> = {},
  governance: Partial<Config['governance']> = {},
): Config {
  const config = loadConfig(join(warehouse, '..'), { warehouse });
  return {
    ...config,
    threads: 1,
    server: { ...config.server, auth: 'none', role: 'analyst', ...server },
    governance: { ...config.governance, ...governance },
  };
}
