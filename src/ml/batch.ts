// Scores and explains many rows at once: tree outputs (margins) and exact SHAP values of a binned
// matrix, split into contiguous blocks of rows over worker threads that share the input and output
// memory. Small inputs run inline, where a worker's start-up would cost more than it saves. Margins
// of more than a few thousand rows go to the WebAssembly kernel (wasm-scorer.ts), whose workers are
// plain JavaScript and start without the TypeScript loader.
import { startTsWorker, workerResult } from '../worker.ts';
import { explainerFor } from './shap.ts';
import { addTreeOutputs, type CompiledTrees } from './tree.ts';
import { wasmBytesNeeded, wasmMargins } from './wasm-scorer.ts';

/** Rows explained together, tree by tree (their SHAP rows stay in cache: 256 x 30 doubles = 60 KB). */
const EXPLAIN_BLOCK = 256;

/** Least rows per worker worth starting it for. */
const MIN_ROWS = { margin: 100_000, explain: 2000 };

/** Least rows scored with the WebAssembly kernel (below, copying the trees in costs more than it saves). */
const MIN_WASM_ROWS = 4096;

export interface BatchJob {
  kind: 'margin' | 'explain';
  trees: CompiledTrees;
  baseMargin: number;
  /** Row-major bins, `rows x trees.features`. */
  bins: Uint8Array;
  /** Output: margins (`rows`) or SHAP values (`rows x features`, row-major). */
  out: Float64Array;
  lo: number;
  hi: number;
}

/** Runs rows [lo, hi) of a job (inline, or inside the worker). */
export function runBatch(job: BatchJob): void {
  const F = job.trees.features;
  if (job.kind === 'margin') {
    job.out.fill(job.baseMargin, job.lo, job.hi);
    addTreeOutputs(job.trees, job.bins, job.out, job.lo, job.hi);
    return;
  }
  const explainer = explainerFor(job.trees, job.baseMargin);
  for (let r = job.lo; r < job.hi; r += EXPLAIN_BLOCK) {
    const end = Math.min(job.hi, r + EXPLAIN_BLOCK);
    explainer.explainBlock(job.bins, r, end, job.out.subarray(r * F, end * F));
  }
}

export interface BatchOptions {
  /** Least rows per worker (defaults: 100,000 for margins, 2,000 for explanations). */
  minRowsPerWorker?: number;
}

async function run(
  kind: BatchJob['kind'],
  trees: CompiledTrees,
  baseMargin: number,
  bins: Uint8Array,
  threads: number,
  options: BatchOptions,
): Promise<Float64Array> {
  const F = trees.features;
  const rows = F === 0 ? 0 : bins.length / F;
  const width = kind === 'margin' ? 1 : F;
  const least = Math.max(1, options.minRowsPerWorker ?? MIN_ROWS[kind]);
  const workers = Math.max(1, Math.min(threads, Math.floor(rows / least)));
  if (kind === 'margin' && rows >= MIN_WASM_ROWS && wasmBytesNeeded(trees, rows) >= 0) {
    // Null when the engine cannot give that much shared memory: then the JavaScript evaluator.
    const margins = await wasmMargins(trees, baseMargin, bins, workers);
    if (margins) return margins;
  }
  if (workers <= 1) {
    const out = new Float64Array(rows * width);
    runBatch({ kind, trees, baseMargin, bins, out, lo: 0, hi: rows });
    return out;
  }
  const shared = new Uint8Array(new SharedArrayBuffer(bins.length));
  shared.set(bins);
  const out = new Float64Array(new SharedArrayBuffer(rows * width * 8));
  await Promise.all(
    Array.from({ length: workers }, (_, w) => {
      const job: BatchJob = {
        kind,
        trees,
        baseMargin,
        bins: shared,
        out,
        lo: Math.floor((w * rows) / workers),
        hi: Math.floor(((w + 1) * rows) / workers),
      };
      return workerResult<void>(
        startTsWorker(new URL('./batch-worker.ts', import.meta.url), job),
        'batch worker',
      );
    }),
  );
  return out;
}

/**
 * Margins (base margin plus every tree's output) of every binned row.
 *
 * @example
 * const margin = await marginRows(compileTrees(model.trees, model.binning), model.baseMargin, bins, 2);
 */
export function marginRows(
  trees: CompiledTrees,
  baseMargin: number,
  bins: Uint8Array,
  threads: number,
  options: BatchOptions = {},
): Promise<Float64Array> {
  return run('margin', trees, baseMargin, bins, threads, options);
}

/** SHAP values of every binned row (`rows x features`, row-major). */
export function explainRows(
  trees: CompiledTrees,
  baseMargin: number,
  bins: Uint8Array,
  threads: number,
  options: BatchOptions = {},
): Promise<Float64Array> {
  return run('explain', trees, baseMargin, bins, threads, options);
}
