// The demo: generate a mid-size synthetic book, load it, build every model, check it, and gather
// the headline numbers of each domain from the same services the CLI and API use.
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Config } from '../config.ts';
import { Warehouse } from '../engine/duckdb.ts';
import { generateBook } from '../generate/book.ts';
import { createKeyFile, KEY_ENV } from '../governance/key.ts';
import { pseudonymizationFor } from '../governance/pseudonymize.ts';
import type { SourceGap } from '../sources/adapter.ts';
import { loadSource } from '../sources/index.ts';
import { KPI_DOMAINS } from './domains.ts';
import { findKpiDomain, runKpiDomain } from './kpi.ts';
import { buildProduct } from './pipeline.ts';
import { runQualityChecks } from './quality.ts';

export interface DemoOptions {
  members: number;
  seed: number;
  /** Folder for the generated book (kept so the files can be inspected). */
  dir: string;
  warehouse: string;
  config: Config;
  onStep?: (message: string) => void;
  /**
   * Run on this folder instead of a generated book: a Synthea, DE-SynPUF or FHIR export, or canonical
   * input files (`format` as for `claimlens load`, default auto).
   */
  source?: { dir: string; format?: string };
}

export interface Headline {
  members: number;
  claim_lines: number;
  pharmacy_fills: number;
  paid: number;
  top5_share: number | null;
  gini: number | null;
  initial_denial_rate: number | null;
  revenue_at_risk: number | null;
  readmission_rate_unplanned: number | null;
  readmission_rate_all_cause: number | null;
  ehr_claim_match_rate: number | null;
  ledger_variance_pct: number | null;
  quality_checks_failing: number;
  quality_checks: number;
}

export interface DemoReport {
  dir: string;
  /** What the source folder was recognized as (absent for a generated book). */
  recognized?: string;
  /** What the source does not carry; the marts that need it show it as not available. */
  gaps: SourceGap[];
  warehouse: string;
  seconds: { generate: number; load: number; build: number; headline: number; total: number };
  quarantined: number;
  models: number;
  headline: Headline;
}

function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** Headline numbers of a built warehouse: the figures the demo prints and the overview page leads with. */
export async function headlineNumbers(wh: Warehouse, config: Config): Promise<Headline> {
  const run = async (name: string) =>
    (await runKpiDomain(findKpiDomain(KPI_DOMAINS, name), wh, {}, config)).headline;
  const cost = await run('cost');
  const denials = await run('denials');
  const readmissions = await run('readmissions');
  const counts = await wh.one<{ members: number; claim_lines: number; fills: number; paid: number }>(`
    SELECT (SELECT count(DISTINCT person_id) FROM input.eligibility) AS members,
           (SELECT count(*) FROM input.medical_claim) AS claim_lines,
           (SELECT count(*) FROM input.pharmacy_claim) AS fills,
           (SELECT coalesce(sum(paid_amount), 0) FROM input.medical_claim)
             + (SELECT coalesce(sum(paid_amount), 0) FROM input.pharmacy_claim) AS paid`);
  const quality = await runQualityChecks(wh);
  const match = quality.ehr_match.overall.find((r) => r.claim_type === 'all');
  const pct = (v: unknown) => (num(v) === null ? null : num(v)! / 100);
  return {
    members: counts?.members ?? 0,
    claim_lines: counts?.claim_lines ?? 0,
    pharmacy_fills: counts?.fills ?? 0,
    paid: Number(counts?.paid ?? 0),
    top5_share: num(cost.top5_share),
    gini: num(cost.gini),
    initial_denial_rate: pct(denials.initial_denial_rate_pct),
    revenue_at_risk: num(denials.revenue_at_risk),
    readmission_rate_unplanned: num(readmissions.readmission_rate_unplanned),
    readmission_rate_all_cause: num(readmissions.readmission_rate_all_cause),
    ehr_claim_match_rate: match?.claim_match_rate ?? null,
    ledger_variance_pct: quality.ledger_variance.overall?.variance_pct ?? null,
    quality_checks_failing: quality.checks.filter((c) => c.status === 'fail').length,
    quality_checks: quality.checks.length,
  };
}

export async function runDemo(options: DemoOptions): Promise<DemoReport> {
  const step = options.onStep ?? (() => undefined);
  const started = Date.now();
  const dir = resolve(options.source?.dir ?? options.dir);
  rmSync(options.warehouse, { force: true });
  const t0 = Date.now();
  if (!options.source) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    step(`generating ${options.members.toLocaleString('en-US')} members (seed ${options.seed}) into ${dir}`);
    const gen = await generateBook({ members: options.members, seed: options.seed, out: dir });
    step(`generated ${gen.medicalClaimLines.toLocaleString('en-US')} medical claim lines`);
  }
  const t1 = Date.now();
  const gov = options.config.governance;
  if (gov.pseudonymize && !process.env[KEY_ENV] && !existsSync(gov.keyFile)) {
    // The demo's data is synthetic or public, so it may create the key `claimlens init` would; a real load never does.
    step(`created a pseudonymization key at ${createKeyFile(gov.keyFile)} (as \`claimlens init\` does)`);
  }
  const loaded = await loadSource(options.warehouse, dir, {
    format: options.source?.format ?? 'auto',
    onProgress: (p) => step(`load ${p.table}: ${p.message}`),
    pseudonymize: pseudonymizationFor(gov),
  });
  const load = loaded.load;
  step(
    `loaded ${load.rowsLoaded.toLocaleString('en-US')} rows, quarantined ${load.rowsQuarantined.toLocaleString('en-US')}`,
  );
  const t2 = Date.now();
  const build = await buildProduct(options.warehouse, {
    config: options.config,
    onStep: step,
    onProgress: ({ index, total }) => {
      if (index === total || index % 20 === 0) step(`built ${index}/${total} models`);
    },
  });
  const t3 = Date.now();
  const wh = await Warehouse.open(options.warehouse, { readOnly: true });
  let headline: Headline;
  try {
    headline = await headlineNumbers(wh, options.config);
  } finally {
    await wh.close();
  }
  const t4 = Date.now();
  return {
    dir,
    ...(options.source ? { recognized: loaded.recognized } : {}),
    gaps: loaded.source?.gaps ?? [],
    warehouse: options.warehouse,
    seconds: {
      generate: (t1 - t0) / 1000,
      load: (t2 - t1) / 1000,
      build: (t3 - t2) / 1000,
      headline: (t4 - t3) / 1000,
      total: (t4 - started) / 1000,
    },
    quarantined: load.rowsQuarantined,
    models: build.models.length,
    headline,
  };
}

export const DEMO_DIR = join('demo', 'book');
