// Shared fixtures for runner tests: temporary model folders and warehouses with an empty input layer.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach } from 'vitest';
import { Warehouse } from '../../src/engine/duckdb.ts';
import { INPUT_SCHEMA, INPUT_TABLES } from '../../src/input/contract.ts';
import { createTableSql } from '../../src/input/ddl.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A fresh temporary directory, removed after the test. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'claimlens-runner-'));
  dirs.push(dir);
  return dir;
}

/** Writes model files (`relative path -> SQL`) under a new models directory and returns it. */
export function writeModels(files: Record<string, string>, dir = join(tempDir(), 'models')): string {
  for (const [rel, text] of Object.entries(files)) {
    const path = join(dir, rel);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  }
  return dir;
}

/** Creates every input table, empty, as the loader would. */
export async function createInputLayer(wh: Warehouse): Promise<void> {
  await wh.run(`CREATE SCHEMA IF NOT EXISTS ${INPUT_SCHEMA}`);
  for (const spec of INPUT_TABLES) await wh.run(createTableSql(spec));
}

/** A warehouse file with an empty input layer, closed; returns its path. */
export async function inputWarehouse(dir = tempDir()): Promise<string> {
  const path = join(dir, 'wh.duckdb');
  const wh = await Warehouse.open(path);
  await createInputLayer(wh);
  await wh.close();
  return path;
}

/** A minimal valid header. */
export function header(description: string, grain: string, extra: string[] = []): string {
  return [`-- description: ${description}`, `-- grain: ${grain}`, ...extra].join('\n');
}
