// Worker thread entry: generates one shard of a book's members (see shard.ts).
import { parentPort, workerData } from 'node:worker_threads';
import { runShard, type ShardJob } from './shard.ts';

try {
  parentPort!.postMessage({ result: runShard(workerData as ShardJob) });
} catch (err) {
  parentPort!.postMessage({ error: (err as Error).stack ?? String(err) });
}
