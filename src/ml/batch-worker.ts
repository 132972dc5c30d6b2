// Worker thread entry: runs one block of a scoring or explaining job into shared memory.
import { parentPort, workerData } from 'node:worker_threads';
import { type BatchJob, runBatch } from './batch.ts';

try {
  runBatch(workerData as BatchJob);
  parentPort!.postMessage({});
} catch (err) {
  parentPort!.postMessage({ error: (err as Error).stack ?? String(err) });
}
