// Worker threads running TypeScript modules, started the same way under the CLI, scripts and vitest.
import { Worker } from 'node:worker_threads';

/**
 * Starts a worker running a TypeScript module. Under the CLI's bundle (bin/cli-bundle.js) the worker
 * runs the module's bundled entry, plain JavaScript. Otherwise (tsx, vitest): Node 20 does not apply
 * `--import tsx` hooks to a worker's entry module, so a tiny evaluated entry registers tsx first and
 * then imports the module.
 */
export function startTsWorker(module: URL, workerData: unknown): Worker {
  const bundled = bundledWorker(module);
  if (bundled) return new Worker(bundled, { workerData });
  const tsx = import.meta.resolve('tsx/esm/api');
  const code = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(module.href)}); })`;
  return new Worker(code, { eval: true, workerData });
}

/** The bundled entry of `module`, from the hook bin/claimlens.js sets when it runs the bundle. */
function bundledWorker(module: URL): URL | undefined {
  const hook = (globalThis as Record<symbol, unknown>)[Symbol.for('claimlens.bundledWorker')];
  return typeof hook === 'function' ? (hook as (source: URL) => URL | undefined)(module) : undefined;
}

/** What a one-shot worker posts once: its result, or the stack of what it threw. */
export interface WorkerReply<T> {
  result?: T;
  error?: string;
}

/**
 * The result a one-shot worker posts (`{ result }`), ending the worker; rejects with `label` and
 * the worker's error when it posts `{ error }`, fails to start or exits without answering.
 */
export function workerResult<T>(worker: Worker, label: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let answered = false;
    worker.once('message', (m: WorkerReply<T>) => {
      answered = true;
      void worker.terminate();
      if (m.error !== undefined) reject(new Error(`${label}: ${m.error}`));
      else resolve(m.result as T);
    });
    worker.once('error', (err) => reject(new Error(`${label}: ${err.stack ?? err.message}`)));
    worker.once('exit', (code) => {
      if (!answered) reject(new Error(`${label}: exited with code ${code} before answering`));
    });
  });
}
