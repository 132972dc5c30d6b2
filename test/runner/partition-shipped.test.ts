// The shipped partitioned models give the same rows in several passes as whole, on a generated book:
// each keeps every row it writes inside one partition of its key (docs/models.md).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCodesets } from '../../src/codesets/registry.ts';
import { Warehouse } from '../../src/engine/duckdb.ts';
import { generateBook } from '../../src/generate/index.ts';
import { loadDirectory } from '../../src/input/load.ts';
import { DEFAULT_MODELS_DIR, loadModels, modelTable, runModels } from '../../src/runner/index.ts';

let dir: string;
let wh: Warehouse;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'claimlens-partition-'));
  await generateBook({ members: 300, seed: 11, out: join(dir, 'book') });
  await loadDirectory(join(dir, 'wh.duckdb'), join(dir, 'book'));
  wh = await Warehouse.open(join(dir, 'wh.duckdb'));
  await loadCodesets(wh);
}, 120_000);
afterAll(async () => {
  await wh?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('shipped partitioned models', () => {
  it('write the same rows in three passes as in one', async () => {
    const models = loadModels(DEFAULT_MODELS_DIR);
    const partitioned = models.filter((m) => m.partitionCalls.length > 0);
    expect(partitioned.map((m) => m.id).sort()).toEqual([
      'intermediate.cost_claim_line',
      'intermediate.denial_remit_line',
      'intermediate.duplicate_claim_line',
      'intermediate.member_month',
      'intermediate.payer_claim',
      'intermediate.provider_claim',
      'marts.cost_member_month',
      'marts.ml_denial_features',
      'marts.program_denial_line',
      'marts.rcm_claim_event',
    ]);
    await runModels(wh, models);
    await wh.run('CREATE SCHEMA whole');
    for (const m of partitioned)
      await wh.run(`CREATE TABLE whole.${m.name} AS SELECT * FROM ${modelTable(m)}`);

    const runs = await runModels(wh, models, undefined, { partitions: 3 });
    for (const m of partitioned) {
      expect(runs.find((r) => r.model === m)?.passes).toBe(3);
      const rows = (await wh.one<{ n: number }>(`SELECT count(*) AS n FROM ${modelTable(m)}`))!.n;
      expect(rows, m.id).toBeGreaterThan(100);
      for (const [a, b] of [
        [modelTable(m), `whole.${m.name}`],
        [`whole.${m.name}`, modelTable(m)],
      ]) {
        const diff = await wh.one<{ n: number }>(
          `SELECT count(*) AS n FROM (SELECT * FROM ${a} EXCEPT ALL SELECT * FROM ${b})`,
        );
        expect(diff?.n, `${m.id}: rows of ${a} missing from ${b}`).toBe(0);
      }
    }
  }, 120_000);
});
