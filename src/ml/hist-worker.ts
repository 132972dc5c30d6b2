// Worker thread entry: owns a few training shards over shared memory and runs the jobs the trainer
// posts (build histograms, partition rows, update margins), replying with one result per shard.
import { parentPort, workerData } from 'node:worker_threads';
import { HistShard, type ShardJob, type ShardLayout, type ShardMemory } from './shard.ts';

const data = workerData as { layout: ShardLayout; memory: ShardMemory; shards: number[] };
const shards = data.shards.map((k) => new HistShard(data.layout, data.memory, k));

parentPort!.on('message', (job: ShardJob) => {
  try {
    parentPort!.postMessage({ results: shards.map((s) => s.run(job)) });
  } catch (err) {
    parentPort!.postMessage({ error: (err as Error).stack ?? String(err) });
  }
});
parentPort!.postMessage({ results: [] });
