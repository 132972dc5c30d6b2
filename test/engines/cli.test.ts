// The CLI on PostgreSQL: `load` validates into the DuckDB file, `build --engine postgres --url ...`
// copies its input layer to a private server and builds there, `sql` and `kpi` read the server and
// answer as on DuckDB, `train`, `score` and `export` run on the server; usage errors for a missing URL.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MODELS_DIR } from '../../src/runner/build.ts';
import { loadModels } from '../../src/runner/model.ts';
import { postgresAvailable, startPostgres, type TestPostgres } from '../helpers/postgres.ts';

const REPO = fileURLToPath(new URL('../../', import.meta.url));

function claimlens(
  cwd: string,
  ...args: string[]
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(REPO, 'bin/claimlens.js'), ...args], { cwd });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe.skipIf(!postgresAvailable())('claimlens --engine postgres', () => {
  let dir: string;
  let pg: TestPostgres;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'claimlens-cli-pg-'));
    pg = await startPostgres();
    expect((await claimlens(dir, 'init')).code).toBe(0);
    const gen = await claimlens(dir, 'generate', '--members', '150', '--seed', '3', '--out', 'book');
    expect(gen.code).toBe(0);
    const load = await claimlens(dir, 'load', 'book');
    expect(load.code, load.stderr).toBe(0);
  }, 120_000);

  afterAll(async () => {
    await pg?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('builds on the server from the loaded file, then sql and kpi read it as on DuckDB', async () => {
    const build = await claimlens(dir, '--engine', 'postgres', '--url', pg.url, 'build');
    expect(build.code, build.stderr).toBe(0);
    expect(build.stderr).toMatch(/copied \d+ input tables \([\d,]+ rows\) from claimlens\.duckdb with COPY/);
    const shipped = loadModels(DEFAULT_MODELS_DIR).length;
    expect(build.stdout).toMatch(
      new RegExp(
        `^built ${shipped} models \\(\\d+ tables, \\d+ views\\) in [\\d.]+s into postgres://claimlens@127\\.0\\.0\\.1:\\d+/claimlens`,
      ),
    );
    const duckBuild = await claimlens(dir, 'build');
    expect(duckBuild.code, duckBuild.stderr).toBe(0);

    const q =
      'SELECT payer, sum(claims) AS claims, sum(charges) AS charges FROM marts.payer_monthly GROUP BY payer ORDER BY payer';
    const onPg = await claimlens(dir, '--engine', 'postgres', '--url', pg.url, 'sql', q, '--json');
    const onDuck = await claimlens(dir, 'sql', q, '--json');
    expect(onPg.code, onPg.stderr).toBe(0);
    expect(JSON.parse(onPg.stdout)).toEqual(JSON.parse(onDuck.stdout));
    expect(JSON.parse(onPg.stdout).length).toBeGreaterThan(0);

    const write = await claimlens(
      dir,
      '--engine',
      'postgres',
      '--url',
      pg.url,
      'sql',
      'DROP TABLE marts.cost_pmpm',
    );
    expect(write.code).toBe(1);
    expect(write.stderr).toMatch(/claimlens sql only reads the warehouse/);

    const kpiPg = await claimlens(
      dir,
      '--engine',
      'postgres',
      '--url',
      pg.url,
      'kpi',
      'payers',
      '--period',
      '2025',
      '--json',
    );
    const kpiDuck = await claimlens(dir, 'kpi', 'payers', '--period', '2025', '--json');
    expect(kpiPg.code, kpiPg.stderr).toBe(0);
    expect(JSON.parse(kpiPg.stdout).headline).toEqual(JSON.parse(kpiDuck.stdout).headline);
  }, 240_000);

  it('trains, scores and exports on the server, with model files beside the DuckDB file', async () => {
    const server = ['--engine', 'postgres', '--url', pg.url];
    const train = await claimlens(
      dir,
      ...server,
      'train',
      'denial',
      '--trees',
      '20',
      '--threads',
      '1',
      '--json',
    );
    expect(train.code, train.stderr).toBe(0);
    expect(train.stderr).toMatch(/split by month: train \d+ rows/);
    const report = JSON.parse(train.stdout);
    expect(report.files.model).toBe(join(dir, 'models', 'denial.model.json'));
    expect(report.rowsScored).toBeGreaterThan(0);
    const onServer = await claimlens(
      dir,
      ...server,
      'sql',
      'SELECT count(*) AS n FROM marts.ml_denial_scores',
      '--json',
    );
    expect(JSON.parse(onServer.stdout)).toEqual([{ n: report.rowsScored }]);

    // The model file trained on the server scores the same rows on either engine.
    const score = await claimlens(dir, ...server, '-q', 'score', 'denial');
    expect(score.code, score.stderr).toBe(0);
    expect(score.stdout).toMatch(
      new RegExp(
        `^scored \\d+ rows into marts\\.ml_denial_scores with model denial \\(id ${report.modelId}\\)\n$`,
      ),
    );
    const duckScore = await claimlens(dir, '-q', 'score', 'denial');
    expect(duckScore.code, duckScore.stderr).toBe(0);
    expect(duckScore.stdout).toBe(score.stdout);

    const exported = await claimlens(
      dir,
      ...server,
      'export',
      '--deidentify',
      '--out',
      'study',
      '--tables',
      'payer,eligibility',
    );
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdout).toMatch(/de-identified export \(HIPAA Safe Harbor\) written to .*study/);
    expect(readdirSync(join(dir, 'exports', 'study')).sort()).toEqual(['eligibility.csv', 'payer.csv']);
    // Audited like any export; a server warehouse has no folder, so the log is in the working directory.
    expect(existsSync(join(dir, 'claimlens.audit.jsonl'))).toBe(true);
  }, 240_000);

  it('says what is missing', async () => {
    const noUrl = await claimlens(dir, '--engine', 'postgres', 'sql', 'SELECT 1');
    expect(noUrl.code).toBe(2);
    expect(noUrl.stderr).toMatch(/engine postgres needs a server: pass --url/);
    const bad = await claimlens(dir, '--engine', 'oracle', 'sql', 'SELECT 1');
    expect(bad.code).toBe(2);
    const down = await claimlens(
      dir,
      '--engine',
      'postgres',
      '--url',
      'postgres://nobody:secret@127.0.0.1:1/none',
      'sql',
      'SELECT 1',
    );
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(
      /cannot connect to PostgreSQL at postgres:\/\/nobody:\*\*\*@127\.0\.0\.1:1\/none/,
    );
    expect(down.stderr).not.toContain('secret');
  }, 60_000);
});
