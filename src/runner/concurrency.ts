// How the build spreads its statements over DuckDB sessions and threads, from the size of the book,
// and how much memory DuckDB's buffer pool may take while it builds.
import { totalmem } from 'node:os';
import { ident, type Warehouse } from '../engine/duckdb.ts';
import { threadsPerSession } from '../engine/sessions.ts';
import { INPUT_SCHEMA } from '../input/contract.ts';

/** Medical claim lines up to which the build runs two models (and two quality checks) at a time. */
export const TWO_AT_A_TIME_MAX_LINES = 3_000_000;

export interface BookParallelism {
  /** Statements run at the same time, each on its own session of the warehouse. */
  sessions: number;
  /**
   * DuckDB threads each of those statements may use while they run (the instance's threads shared
   * out between the sessions); undefined leaves the engine's setting as it is.
   */
  threads?: number;
  /** Passes a partitioned model runs in (src/runner/partition.ts): 1 up to PARTITION_LINES lines. */
  partitions: number;
}

/**
 * Claim lines per pass of a partitioned model on a book built one model at a time: a 10M book's
 * partitioned models run in four passes. Measured on the 2-core, 24 GB machine at 10M claim lines
 * (bench/README.md): `rcm_claim_event` alone in four passes took 20.6 and 22.2 s against 17.1 and
 * 22.4 s whole, and peaked at 2.7-3.0 GB against 6.8 GB; in the build, 22.0 s against 22.2 s.
 */
export const PARTITION_LINES = 2_500_000;

/**
 * Two statements at a time on a small book, sharing the cores out between them; one statement with
 * every core on a large one. Measured on the 2-core, 24 GB machine at 1M claim lines (models only,
 * bench/README.md): two models at a time with one thread each took 20.9-22.4 s against 23.5-24.6 s
 * with two threads each, and 16% less CPU (a single-threaded hash aggregate or join skips the
 * partitioning and merging a parallel one pays). At 10M, with the buffer pool capped (below), two
 * models at a time were slower: the whole build 301.2 s and a 10.9 GB peak against 256.4 s and
 * 10.4 GB one model at a time (before the cap, without it, two at a time had been faster but peaked
 * at 23.0 GB of the machine's 24), so a book that large is built one model at a time.
 */
export async function bookParallelism(
  wh: Warehouse,
  maxLines = TWO_AT_A_TIME_MAX_LINES,
  partitionLines = PARTITION_LINES,
): Promise<BookParallelism> {
  if (!(await wh.tableExists(INPUT_SCHEMA, 'medical_claim'))) return { sessions: 1, partitions: 1 };
  const r = await wh.one<{ n: number }>(`SELECT count(*) AS n FROM ${ident(INPUT_SCHEMA)}.medical_claim`);
  const lines = r?.n ?? 0;
  if (lines > maxLines) return { sessions: 1, partitions: Math.ceil(lines / partitionLines) };
  return { sessions: 2, threads: await threadsPerSession(wh, 2), partitions: 1 };
}

/** Share of the machine's memory a build lets DuckDB's buffer pool take, unless configured. */
export const BUILD_MEMORY_SHARE = 1 / 3;

/** Most a build lets DuckDB's buffer pool take, unless configured: 2.5 GiB. */
export const BUILD_MEMORY_CAP = 2.5 * 2 ** 30;

/**
 * DuckDB's memory limit for a build: `memoryLimit` from the configuration when set, else a third of
 * the machine's memory up to 2.5 GiB (DuckDB's own default is 80%). The pool caches every block the
 * build reads and writes, so a large book fills whatever it may take, and the process holds about
 * 1-1.5 GB more than the pool by the end of a long build (memory glibc keeps after DuckDB frees it).
 * Measured on the 24 GB machine at 10M claim lines with the largest models in partitions
 * (bench/README.md): a 3 GB pool peaked at 4.0-4.5 GiB, 2.5 GiB at 3.7-4.0 GiB; 8 GiB (a third of
 * the machine, the earlier default) at 9-10 GiB. A 1M book peaks at about 2.1 GiB either way.
 */
export function buildMemoryLimit(configured?: string, machineBytes = totalmem()): string {
  if (configured) return configured;
  return `${Math.floor(Math.min(machineBytes * BUILD_MEMORY_SHARE, BUILD_MEMORY_CAP) / 2 ** 20)}MiB`;
}
