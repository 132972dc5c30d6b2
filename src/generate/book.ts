// The generator's service: builds a synthetic book (one file per input table) member by member,
// streaming rows to disk so memory stays flat, and reports counts and timing. `claimlens generate`,
// `demo` and `bench` all call generateBook.
import { closeSync, mkdirSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startTsWorker, workerResult } from '../worker.ts';
import type { Zip } from './catalog/geography.ts';
import { PAYERS } from './catalog/payers.ts';
import { Ledger, writeLedger } from './ledger.ts';
import { describeWindow, type GenerateOptions, normalizeOptions } from './options.ts';
import { convertToParquet } from './parquet.ts';
import { writeProviders } from './providers.ts';
import { bookBasics, MEMBER_TABLES, runShard, type ShardJob, type ShardResult } from './shard.ts';
import { TableWriter } from './writer.ts';

export interface GenerateProgress {
  membersDone: number;
  members: number;
  medicalClaimLines: number;
  elapsedMs: number;
}

export interface GenerateReport {
  out: string;
  format: 'csv' | 'parquet';
  seed: number;
  members: number;
  months: number;
  window: { start: string; end: string; cutoff: string };
  /** Rows written per input table. */
  tables: Record<string, number>;
  medicalClaimLines: number;
  /** Medical claim lines per member over the window. */
  linesPerMember: number;
  files: string[];
  elapsedMs: number;
}

function writeStatic(dir: string, zips: readonly Zip[]): { payer: number; area_deprivation: number } {
  const p = new TableWriter(dir, 'payer', [
    'payer',
    'payer_id',
    'payer_type',
    'contract_allowed_pct',
    'timely_filing_days',
    'data_source',
  ]);
  for (const x of PAYERS)
    p.row(
      `${x.name},${x.payerId},${x.type},${x.allowedPct},${x.timelyFilingDays > 0 ? x.timelyFilingDays : ''},claimlens synthetic`,
    );
  p.close();
  const a = new TableWriter(dir, 'area_deprivation', [
    'zip_code',
    'state',
    'adi_national_percentile',
    'data_source',
  ]);
  const sorted = [...zips].sort((x, y) => (x.zip < y.zip ? -1 : 1));
  for (const z of sorted)
    a.row(`${z.zip},${z.state},${z.adi},claimlens synthetic (not the Neighborhood Atlas)`);
  a.close();
  return { payer: p.rows, area_deprivation: a.rows };
}

/**
 * Generates a synthetic book of claims, pharmacy, eligibility, remittance, payments, EHR encounters,
 * providers, payers, area deprivation and the finance ledger.
 *
 * @example
 * const report = await generateBook({ members: 10_000, seed: 7, out: 'data/synthetic' });
 * console.log(report.medicalClaimLines, report.elapsedMs);
 */
export async function generateBook(
  options: GenerateOptions,
  onProgress?: (p: GenerateProgress) => void,
): Promise<GenerateReport> {
  const t0 = performance.now();
  const cfg = normalizeOptions(options);
  mkdirSync(cfg.out, { recursive: true });
  const csvDir = cfg.format === 'csv' ? cfg.out : mkdtempSync(join(cfg.out, '.claimlens-csv-'));
  const shardDirs: string[] = [];
  try {
    const basics = bookBasics(cfg);
    const tables: Record<string, number> = {
      ...writeStatic(csvDir, basics.zips),
      provider: writeProviders(csvDir, basics.providers),
    };
    const shards = shardCount(cfg.members, options.shards);
    const bounds = Array.from({ length: shards + 1 }, (_, k) => Math.round((k * cfg.members) / shards));
    const progress = new SharedArrayBuffer(8 * shards);
    const counters = new Int32Array(progress);
    const report = progressReporter(cfg.members, counters, t0, onProgress);
    // Shards 1.. on worker threads, shard 0 on this thread; their files are joined in member order.
    const workers = bounds.slice(1, -1).map((from, k) => {
      const dir = mkdtempSync(join(csvDir, '.claimlens-shard-'));
      shardDirs.push(dir);
      const job: ShardJob = { cfg, from, to: bounds[k + 2]!, dir, progress, slot: k + 1 };
      const worker = startTsWorker(new URL('./shard-worker.ts', import.meta.url), job);
      const result = workerResult<ShardResult>(worker, `generator shard ${k + 2} of ${shards}`);
      result.catch(() => undefined); // Awaited below; this only keeps an early failure from going unhandled.
      return { worker, result };
    });
    // Keep reporting while this thread waits for the workers (it is busy with shard 0 until then).
    const timer = setInterval(report, 500);
    let results: ShardResult[];
    try {
      const first = runShard(
        { cfg, from: 0, to: bounds[1]!, dir: csvDir, progress, slot: 0 },
        basics,
        report,
      );
      results = [first, ...(await Promise.all(workers.map((w) => w.result)))];
    } catch (err) {
      await Promise.all(workers.map((w) => w.worker.terminate()));
      throw err;
    } finally {
      clearInterval(timer);
    }
    const ledger = new Ledger(cfg);
    for (const r of results) ledger.addTotals(r.ledger);
    for (const table of MEMBER_TABLES) {
      for (const dir of shardDirs)
        appendWithoutHeader(join(dir, `${table}.csv`), join(csvDir, `${table}.csv`));
      tables[table] = results.reduce((a, r) => a + r.tables[table]!, 0);
    }
    report(true);
    tables.finance_ledger = writeLedger(csvDir, cfg, ledger);
    const names = ['payer', 'provider', 'area_deprivation', ...MEMBER_TABLES, 'finance_ledger'];
    let files: string[];
    if (cfg.format === 'parquet') files = await convertToParquet(csvDir, cfg.out, names);
    else files = names.map((n) => join(cfg.out, `${n}.csv`));
    const claimLines = tables.medical_claim ?? 0;
    return {
      out: cfg.out,
      format: cfg.format,
      seed: cfg.seed,
      members: cfg.members,
      months: cfg.months,
      window: describeWindow(cfg),
      tables,
      medicalClaimLines: claimLines,
      linesPerMember: claimLines / cfg.members,
      files,
      elapsedMs: performance.now() - t0,
    };
  } finally {
    for (const dir of shardDirs) rmSync(dir, { recursive: true, force: true });
    if (csvDir !== cfg.out) rmSync(csvDir, { recursive: true, force: true });
  }
}

/** Books this small are generated on one thread: a worker's start-up would cost more than it saves. */
const MIN_SHARD_MEMBERS = 5000;

/**
 * Shards of a book: one per core up to four, and at least MIN_SHARD_MEMBERS members each. The files
 * are the same whatever the count (tested), so it may follow the machine.
 */
export function shardCount(members: number, requested?: number): number {
  if (requested !== undefined) return Math.max(1, Math.min(requested, members));
  return Math.max(1, Math.min(availableParallelism(), 4, Math.floor(members / MIN_SHARD_MEMBERS)));
}

/**
 * Progress from the shards' shared counters, reported each time another tenth of the members is
 * done, and with `final` once more unless the last report already had every member.
 */
function progressReporter(
  members: number,
  counters: Int32Array,
  t0: number,
  onProgress: ((p: GenerateProgress) => void) | undefined,
): (final?: boolean) => void {
  const step = Math.max(1, Math.ceil(members / 10));
  let next = step;
  let reported = -1;
  return (final = false) => {
    if (!onProgress) return;
    let done = 0;
    let lines = 0;
    for (let k = 0; k < counters.length; k += 2) {
      done += Atomics.load(counters, k);
      lines += Atomics.load(counters, k + 1);
    }
    if (final ? done === reported : done < next) return;
    reported = done;
    next = (Math.floor(done / step) + 1) * step;
    onProgress({ membersDone: done, members, medicalClaimLines: lines, elapsedMs: performance.now() - t0 });
  };
}

/** Appends a shard's file to the book's, without its header line. */
function appendWithoutHeader(from: string, to: string): void {
  const src = openSync(from, 'r');
  const dst = openSync(to, 'a');
  try {
    const buf = Buffer.allocUnsafe(4 * 1024 * 1024);
    let first = true;
    for (;;) {
      const n = readSync(src, buf, 0, buf.length, null);
      if (n === 0) break;
      let start = 0;
      if (first) {
        start = buf.indexOf(10) + 1;
        if (start === 0 || start > n) throw new Error(`${from}: no header line in the first ${n} bytes`);
        first = false;
      }
      writeSync(dst, buf, start, n - start);
    }
  } finally {
    closeSync(src);
    closeSync(dst);
  }
}
