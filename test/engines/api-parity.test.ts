// `claimlens serve --engine postgres` answers exactly as on DuckDB: one book built on both engines,
// two servers (the same createServer the CLI runs, one with the server's URL as its warehouse), and
// every route the dashboard and report read (meta, quality, every KPI domain under several filters,
// the PMPM trend), plus the error answers, compared status by status and body by body.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config.ts';
import { generateBook } from '../../src/generate/index.ts';
import { loadDirectory } from '../../src/input/load.ts';
import { type ApiMeta, apiPath } from '../../src/server/api.ts';
import { type ClaimlensServer, createServer } from '../../src/server/app.ts';
import { KPI_DOMAINS } from '../../src/services/domains.ts';
import { buildProduct, buildProductOnPostgres } from '../../src/services/pipeline.ts';
import { postgresAvailable, startPostgres, type TestPostgres } from '../helpers/postgres.ts';
import { testConfig } from '../server/fixture.ts';

/** Fields that name where the warehouse is or when it was built, which differ by engine by design. */
const VOLATILE = new Set([
  'warehouse',
  'generated_at',
  'build_id',
  'started_at',
  'finished_at',
  'modifiedAt',
  'sizeBytes',
  'builtAt',
  'checked_at',
  'checkedAt',
  'generatedAt',
  'uptimeSeconds',
  'ageSeconds',
]);

function normalize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalize);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([k]) => !VOLATILE.has(k))
        .map(([k, v]) => [k, normalize(v)]),
    );
  }
  return value;
}

/**
 * Where two JSON answers differ: paths with both values. Numbers that are not whole (computed in
 * floating point) may differ in the last bits between engines: relative 1e-9, as in the mart test.
 */
function differences(a: unknown, b: unknown, path = '$', out: string[] = []): string[] {
  if (typeof a === 'number' && typeof b === 'number') {
    const same =
      Number.isInteger(a) && Number.isInteger(b)
        ? a === b
        : Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
    if (!same) out.push(`${path}: duckdb=${a} postgres=${b}`);
  } else if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) out.push(`${path}: duckdb has ${a.length} items, postgres ${b.length}`);
    else
      a.forEach((v, i) => {
        differences(v, b[i], `${path}[${i}]`, out);
      });
  } else if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) {
      differences((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`, out);
    }
  } else if (a !== b) {
    out.push(`${path}: duckdb=${JSON.stringify(a)} postgres=${JSON.stringify(b)}`);
  }
  return out;
}

describe.skipIf(!postgresAvailable())('the API on PostgreSQL answers as on DuckDB', () => {
  let dir: string;
  let pg: TestPostgres;
  let onDuck: ClaimlensServer;
  let onPg: ClaimlensServer;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'claimlens-api-pg-'));
    const book = join(dir, 'book');
    const warehouse = join(dir, 'warehouse.duckdb');
    await generateBook({ members: 400, seed: 1, out: book, format: 'csv' });
    await loadDirectory(warehouse, book, { mode: 'replace' }, { threads: 1 });
    await buildProduct(warehouse, { open: { threads: 1 } });
    pg = await startPostgres();
    await buildProductOnPostgres(pg.url, { inputFrom: warehouse });
    // The audit log of a server warehouse would go to the working directory: keep it in the temp folder.
    const duckConfig = testConfig(warehouse, {}, { auditLog: join(dir, 'claimlens.audit.jsonl') });
    const pgConfig: Config = { ...duckConfig, engine: 'postgres', url: pg.url, warehouse: pg.url };
    onDuck = await createServer({ config: duckConfig, webDir: false });
    onPg = await createServer({ config: pgConfig, webDir: false });
  }, 300_000);

  afterAll(async () => {
    await onDuck?.app.close();
    await onPg?.app.close();
    await pg?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function both(url: string) {
    const [a, b] = await Promise.all([onDuck.app.inject(url), onPg.app.inject(url)]);
    return {
      duck: { status: a.statusCode, body: normalize(JSON.parse(a.body)) },
      pg: { status: b.statusCode, body: normalize(JSON.parse(b.body)) },
    };
  }

  it('health and meta', async () => {
    for (const url of ['/api/health', '/api/meta']) {
      const r = await both(url);
      expect(r.pg.status, url).toBe(200);
      expect(differences(r.duck, r.pg), url).toEqual([]);
    }
  });

  it('the quality report', async () => {
    const r = await both('/api/quality');
    expect(r.pg.status).toBe(200);
    expect(differences(r.duck, r.pg)).toEqual([]);
  });

  it('every KPI domain under several filters, and the PMPM trend', async () => {
    const meta = (await both('/api/meta')).duck.body as ApiMeta;
    const payer = meta.data.payers[0];
    const plan = meta.data.plans[0];
    const state = meta.data.states[0];
    expect([payer, plan, state]).not.toContain(undefined);
    const filters = [
      {},
      { period: '2025Q1' },
      { period: '2024' },
      { from: '2025-01-15', to: '2025-03-14' },
      { period: '2025', payer },
      // Plan and state (issue 8): alone, together and with a payer and a range.
      { plan },
      { state },
      { period: '2025Q2', plan, state },
      { from: '2025-01-15', to: '2025-06-14', payer, state },
    ];
    let compared = 0;
    for (const f of filters) {
      for (const d of KPI_DOMAINS) {
        const url = apiPath(`/api/kpi/${d.name}`, f);
        const r = await both(url);
        expect(r.pg.status, url).toBe(r.duck.status);
        expect(differences(r.duck.body, r.pg.body), url).toEqual([]);
        compared += 1;
      }
      const trend = apiPath('/api/cost/pmpm-trend', f);
      const r = await both(trend);
      expect(differences(r.duck, r.pg), trend).toEqual([]);
    }
    expect(compared).toBe(filters.length * KPI_DOMAINS.length);
  }, 240_000);

  it('sees a new server build: new generation, cache dropped', async () => {
    const before = JSON.parse((await onPg.app.inject('/api/meta')).body) as ApiMeta;
    await buildProductOnPostgres(pg.url);
    const after = JSON.parse((await onPg.app.inject('/api/meta')).body) as ApiMeta;
    expect(after.warehouse.generation).toBe(before.warehouse.generation + 1);
    expect(after.build?.build_id).not.toBe(before.build?.build_id);
    expect((await onPg.app.inject('/api/kpi/cost')).statusCode).toBe(200);
  }, 120_000);

  it('the same 400s for bad parameters', async () => {
    for (const url of [
      '/api/kpi/cost?period=2025Q9',
      '/api/kpi/nope',
      '/api/kpi/cost?payer=No%20Such%20Payer',
      '/api/kpi/denials?plan=No%20Such%20Plan',
      '/api/kpi/rcm?state=ZZ',
    ]) {
      const r = await both(url);
      expect(differences(r.duck, r.pg), url).toEqual([]);
    }
  });
});
