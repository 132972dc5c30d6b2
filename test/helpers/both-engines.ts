// One generated book built into both engines: a DuckDB file and a private PostgreSQL server
// (test/helpers/postgres.ts), the product built on each from the same loaded input.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateBook } from '../../src/generate/index.ts';
import { loadDirectory } from '../../src/input/load.ts';
import { buildProduct, buildProductOnPostgres } from '../../src/services/pipeline.ts';
import { startPostgres, type TestPostgres } from './postgres.ts';

export interface BothEngines {
  /** Temporary folder holding the book and the DuckDB file. */
  dir: string;
  /** The DuckDB warehouse file. */
  path: string;
  server: TestPostgres;
  claimLines: number;
  /** Stops the server and removes the folder. */
  stop(): Promise<void>;
}

export async function buildOnBothEngines(options: {
  members: number;
  seed: number;
  /** postgresql.conf settings for the server (e.g. statement logging). */
  settings?: Record<string, string>;
}): Promise<BothEngines> {
  const dir = mkdtempSync(join(tmpdir(), 'claimlens-engines-'));
  const book = join(dir, 'book');
  const report = await generateBook({ members: options.members, seed: options.seed, out: book });
  const path = join(dir, 'claimlens.duckdb');
  await loadDirectory(path, book);
  const server = await startPostgres(options.settings ? { settings: options.settings } : {});
  try {
    await buildProduct(path);
    await buildProductOnPostgres(server.url, { inputFrom: path });
  } catch (err) {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    dir,
    path,
    server,
    claimLines: report.tables.medical_claim ?? 0,
    async stop() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
