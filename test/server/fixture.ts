// A small but complete warehouse for the server and dashboard tests: a synthetic book generated,
// loaded and built by the same functions as `claimlens generate`, `load` and `build`.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Config, loadConfig } from '../../src/config.ts';
import { generateBook } from '../../src/generate/index.ts';
import { loadDirectory } from '../../src/input/load.ts';
import { buildProduct, buildProductOnPostgres } from '../../src/services/pipeline.ts';
import { startPostgres, type TestPostgres } from '../helpers/postgres.ts';

/**
 * With CLAIMLENS_API_ENGINE=postgres (test/engines/api-on-postgres.test.ts), each test warehouse is
 * also built on a private PostgreSQL server and testConfig serves that server instead of the file.
 */
const onPostgres = () => process.env.CLAIMLENS_API_ENGINE === 'postgres';
const servers = new Map<string, string>();
const started: TestPostgres[] = [];

/** Stops the PostgreSQL servers buildTestWarehouse started (a forked test worker may be killed before its exit hooks run). */
export async function stopTestPostgres(): Promise<void> {
  for (const pg of started.splice(0)) await pg.stop();
  servers.clear();
}

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
  if (onPostgres()) {
    const pg = await startPostgres();
    started.push(pg);
    await buildProductOnPostgres(pg.url, { inputFrom: warehouse });
    servers.set(warehouse, pg.url);
  }
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
  const url = servers.get(warehouse);
  return {
    ...config,
    threads: 1,
    server: { ...config.server, auth: 'none', role: 'analyst', ...server },
    governance: {
      ...config.governance,
      // Where the file's audit log would be, so tests read it in the same place on either engine.
      ...(url ? { auditLog: join(warehouse, '..', 'claimlens.audit.jsonl') } : {}),
      ...governance,
    },
    ...(url ? { engine: 'postgres' as const, url, warehouse: url } : {}),
  };
}
