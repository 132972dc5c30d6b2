// The generic trainer on a tiny synthetic feature mart: time split, model file, card, scores mart,
// rescoring, and the errors a user can act on. The CLI runs once end to end on a warehouse file.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { Warehouse } from '../../src/engine/duckdb.ts';
import { ClaimlensError } from '../../src/errors.ts';
import { parseModel } from '../../src/ml/model-file.ts';
import { monthOf } from '../../src/ml/validation.ts';
import { findModelSpec, scoreOnWarehouse, trainOnWarehouse } from '../../src/services/models.ts';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const spec = findModelSpec('denial');
const FAST = { params: { trees: 30, threads: 1, minSamplesLeaf: 5 }, now: new Date('2024-02-01T00:00:00Z') };

/**
 * 2,400 claim lines over 2023 (200 a month). Denials follow charge x payer and a missing prior-auth
 * flag, with 10% noise from a multiplicative hash; December lines 3 and 4 of each 4 are still open.
 */
async function martWarehouse(path = ':memory:'): Promise<Warehouse> {
  const wh = await Warehouse.open(path, { threads: 1 });
  await wh.run('CREATE SCHEMA IF NOT EXISTS marts');
  await wh.run(`CREATE OR REPLACE TABLE marts.ml_denial_features AS
    WITH base AS (
      SELECT i,
        (i * 2654435761) % 1000 AS h1,
        (i * 40503 + 17) % 997 AS h2,
        CAST(DATE '2023-01-01' + to_months(CAST(i // 200 AS INTEGER)) + to_days(CAST(i % 28 AS INTEGER)) AS DATE) AS d
      FROM range(2400) t(i)
    ), feats AS (
      SELECT i, h1, h2, d,
        'C' || lpad(CAST(i // 2 AS VARCHAR), 5, '0') AS claim_id,
        i % 2 + 1 AS claim_line_number,
        h1 / 10.0 AS charge,
        ['A', 'B', 'C', 'D', 'E'][h2 % 5 + 1] AS payer,
        CASE WHEN h2 % 7 = 0 THEN NULL ELSE h2 % 3 = 0 END AS prior_auth
      FROM base
    )
    SELECT claim_id, claim_line_number, d AS event_date,
      CASE WHEN month(d) = 12 AND i % 4 >= 2 THEN NULL
           WHEN (h1 * 7 + h2) % 10 = 0 THEN 1 - CAST((charge > 60 AND payer IN ('B', 'D')) OR prior_auth IS NULL AS INTEGER)
           ELSE CAST((charge > 60 AND payer IN ('B', 'D')) OR prior_auth IS NULL AS INTEGER) END AS label,
      charge AS f_charge, payer AS f_payer, prior_auth AS f_prior_auth, CAST(h1 % 13 AS INTEGER) AS f_noise
    FROM feats`);
  return wh;
}

describe('trainOnWarehouse', () => {
  it('splits by month, trains, calibrates and writes scores with three drivers', async () => {
    const wh = await martWarehouse();
    try {
      const steps: string[] = [];
      const r = await trainOnWarehouse(wh, spec, { ...FAST, onStep: (m) => steps.push(m) });
      const { card } = r;
      // 12 months: holdout ceil(12 * 0.2) = 3 (Oct-Dec), validation ceil(9 * 0.2) = 2 (Aug-Sep), train Jan-Jul.
      expect(card.data.train).toMatchObject({ from: '2023-01-01', to: '2023-07-01', months: 7, rows: 1400 });
      expect(card.data.validation).toMatchObject({
        from: '2023-08-01',
        to: '2023-09-01',
        months: 2,
        rows: 400,
      });
      expect(card.data.holdout).toMatchObject({ from: '2023-10-01', to: '2023-12-01', months: 3, rows: 500 });
      expect(card.data.unlabeled).toBe(100);
      expect(card.metrics.model.auc.auc).toBeGreaterThan(0.8);
      expect(card.metrics.baseline!.auc.auc).toBeGreaterThan(0.6);
      expect(card.drivers[0]!.feature).toMatch(/^(charge|payer|prior_auth)$/);
      expect(card.features.map((f) => [f.name, f.kind])).toEqual([
        ['charge', 'numeric'],
        ['payer', 'categorical'],
        ['prior_auth', 'categorical'],
        ['noise', 'numeric'],
      ]);
      expect(card.calibration.table.reduce((s, row) => s + row.rows, 0)).toBe(500);
      expect(r.rowsScored).toBe(600);
      expect(steps.some((s) => s.startsWith('split by month'))).toBe(true);

      const counts = await wh.all<{ split: string; n: number; labeled: number }>(
        `SELECT split, count(*) AS n, count(label) AS labeled FROM marts.ml_denial_scores GROUP BY split ORDER BY split`,
      );
      expect(counts).toEqual([
        { split: 'holdout', n: 500, labeled: 500 },
        { split: 'unlabeled', n: 100, labeled: 0 },
      ]);
      const top = await wh.one<Record<string, unknown>>(
        'SELECT * FROM marts.ml_denial_scores ORDER BY probability DESC, claim_id, claim_line_number LIMIT 1',
      );
      expect(Object.keys(top!)).toEqual([
        'claim_id',
        'claim_line_number',
        'event_date',
        'label',
        'split',
        'probability',
        'risk_score',
        'risk_tier',
        'driver_1',
        'driver_1_value',
        'driver_1_shap',
        'driver_2',
        'driver_2_value',
        'driver_2_shap',
        'driver_3',
        'driver_3_value',
        'driver_3_shap',
        'model',
        'model_id',
        'scored_at',
      ]);
      expect(top!.risk_tier).toBe('high');
      expect(top!.risk_score).toBe(Math.round(100 * (top!.probability as number)));
      expect(Math.abs(top!.driver_1_shap as number)).toBeGreaterThanOrEqual(
        Math.abs(top!.driver_2_shap as number),
      );
      expect(top!.model_id).toBe(card.modelId);
      // No staging table is left behind.
      expect(await wh.tableExists('main', '_ml_input')).toBe(false);
      // The model file reads back and its hash is the id on the scores.
      const parsed = parseModel(r.modelJson, 'denial.model.json');
      expect(parsed.features.map((f) => f.column)).toEqual([
        'f_charge',
        'f_payer',
        'f_prior_auth',
        'f_noise',
      ]);
    } finally {
      await wh.close();
    }
  });

  it('trains the same model byte for byte from the same mart and seed', async () => {
    const a = await martWarehouse();
    const b = await martWarehouse();
    try {
      const ra = await trainOnWarehouse(a, spec, FAST);
      const rb = await trainOnWarehouse(b, spec, { ...FAST, params: { ...FAST.params, threads: 2 } });
      expect(rb.modelJson).toBe(ra.modelJson);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('never trains on a row of the validation or holdout months', async () => {
    const wh = await martWarehouse();
    try {
      const r = await trainOnWarehouse(wh, spec, FAST);
      const holdoutFrom = Date.parse(r.card.data.validation.from) / 86_400_000;
      const trainTo = r.card.data.train.to;
      expect(monthOf(holdoutFrom)).toBeGreaterThan(monthOf(Date.parse(trainTo) / 86_400_000));
      const overlap = await wh.one<{ n: number }>(
        `SELECT count(*) AS n FROM marts.ml_denial_scores WHERE split = 'holdout' AND event_date < DATE '${r.card.data.holdout.from}'`,
      );
      expect(overlap!.n).toBe(0);
    } finally {
      await wh.close();
    }
  });

  it('explains a seeded sample of a large holdout and every unlabeled row', async () => {
    const wh = await martWarehouse();
    try {
      const r = await trainOnWarehouse(wh, spec, { ...FAST, holdoutDrivers: 120 });
      expect(r.card.explainedRows).toBe(120);
      const counts = await wh.all<{ split: string; n: number; explained: number }>(
        'SELECT split, count(*) AS n, count(driver_1) AS explained FROM marts.ml_denial_scores GROUP BY split ORDER BY split',
      );
      expect(counts).toEqual([
        { split: 'holdout', n: 500, explained: 120 },
        { split: 'unlabeled', n: 100, explained: 100 },
      ]);
    } finally {
      await wh.close();
    }
  });

  it('refuses holdout months with one class', async () => {
    const wh = await martWarehouse();
    try {
      await wh.run(
        "UPDATE marts.ml_denial_features SET label = 0 WHERE label IS NOT NULL AND event_date >= DATE '2023-10-01'",
      );
      await expect(trainOnWarehouse(wh, spec, FAST)).rejects.toThrow(
        'the holdout months (2023-10 to 2023-12) have only label 0 rows: a model cannot be checked on them; widen the data window or check how the label is built',
      );
    } finally {
      await wh.close();
    }
  });

  it('rescoring names a feature the mart lost', async () => {
    const wh = await martWarehouse();
    try {
      const r = await trainOnWarehouse(wh, spec, FAST);
      const again = await scoreOnWarehouse(wh, spec, r.model, r.modelJson, { threads: 1 });
      expect(again.rowsScored).toBe(100);
      expect(again.modelId).toBe(r.card.modelId);
      await wh.run('ALTER TABLE marts.ml_denial_features DROP COLUMN f_payer');
      const err = await scoreOnWarehouse(wh, spec, r.model, r.modelJson).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ClaimlensError);
      expect((err as Error).message).toBe(
        'marts.ml_denial_features lacks feature f_payer that the model was trained with: rebuild the mart with it or retrain the model',
      );
    } finally {
      await wh.close();
    }
  });

  it('says what is wrong with an empty mart, a missing mart and a broken contract', async () => {
    const wh = await Warehouse.open(':memory:');
    try {
      await expect(trainOnWarehouse(wh, spec, FAST)).rejects.toThrow(
        'feature mart marts.ml_denial_features does not exist: build it first (`claimlens build`)',
      );
      await wh.run('CREATE SCHEMA marts');
      await wh.run(
        'CREATE TABLE marts.ml_denial_features (claim_id VARCHAR, claim_line_number INTEGER, label INTEGER, event_date DATE, f_x DOUBLE)',
      );
      await expect(trainOnWarehouse(wh, spec, FAST)).rejects.toThrow(
        'marts.ml_denial_features has no labeled rows (label 1 or 0) to learn from: the mart is empty',
      );
      await wh.run('ALTER TABLE marts.ml_denial_features ADD COLUMN f_when TIMESTAMP');
      await wh.run('ALTER TABLE marts.ml_denial_features DROP COLUMN label');
      await expect(trainOnWarehouse(wh, spec, FAST)).rejects.toThrow(
        'marts.ml_denial_features does not follow the feature mart contract: column label (1/0, NULL = unlabeled) is missing; feature f_when is TIMESTAMP: features must be numeric, VARCHAR or BOOLEAN',
      );
    } finally {
      await wh.close();
    }
  });
});

describe('claimlens train and score', () => {
  const dir = mkdtempSync(join(tmpdir(), 'claimlens-ml-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function claimlens(...args: string[]) {
    const r = spawnSync(process.execPath, ['bin/claimlens.js', ...args], { cwd: REPO, encoding: 'utf8' });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  }

  it('trains into a staged warehouse, writes the model and card, and rescores', async () => {
    const path = join(dir, 'w.duckdb');
    await (await martWarehouse(path)).close();
    const out = join(dir, 'models');
    const train = claimlens(
      '-w',
      path,
      'train',
      'denial',
      '--out',
      out,
      '--trees',
      '20',
      '--threads',
      '1',
      '--json',
    );
    expect(train.stderr).toMatch(/split by month: train 1400 rows/);
    expect(train.code).toBe(0);
    const report = JSON.parse(train.stdout);
    expect(report.rowsScored).toBe(600);
    for (const f of ['denial.model.json', 'denial.card.md', 'denial.card.json'])
      expect(existsSync(join(out, f))).toBe(true);
    expect(readFileSync(join(out, 'denial.card.md'), 'utf8')).toMatch(
      /^# Model card: Claim line denial risk\n/,
    );

    const score = claimlens('-w', path, '-q', 'score', 'denial', '--model', join(out, 'denial.model.json'));
    expect(score.stdout).toBe(
      `scored 100 rows into marts.ml_denial_scores with model denial (id ${report.modelId})\n`,
    );
    expect(score.code).toBe(0);

    const missing = claimlens('-w', path, 'score', 'denial', '--model', join(dir, 'nope.json'));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('nope.json: no model file here');
    expect(claimlens('-w', path, 'train', 'nothing').code).toBe(2);
  });
});
