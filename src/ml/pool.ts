// Runs shard jobs either inline (one thread) or on worker threads over shared memory, and sums the
// shards' validation losses in shard order so the result is the same either way.
import type { Worker } from 'node:worker_threads';
import { startTsWorker } from '../worker.ts';
import { HistShard, type ShardJob, type ShardLayout, type ShardMemory } from './shard.ts';

export interface ShardRunner {
  /** Runs `job` on every shard; returns the sum of the shards' results in shard order. */
  run(job: ShardJob): Promise<number>;
  close(): Promise<void>;
}

class InlineRunner implements ShardRunner {
  constructor(private readonly shards: HistShard[]) {}

  async run(job: ShardJob): Promise<number> {
    let sum = 0;
    for (const s of this.shards) sum += s.run(job);
    return sum;
  }

  async close(): Promise<void> {}
}

interface WorkerReply {
  results?: number[];
  error?: string;
}

class WorkerRunner implements ShardRunner {
  constructor(
    private readonly workers: Worker[],
    private readonly shardsOf: number[][],
    private readonly shardCount: number,
  ) {}

  async run(job: ShardJob): Promise<number> {
    const replies = await Promise.all(this.workers.map((w) => request(w, job)));
    const perShard = new Float64Array(this.shardCount);
    replies.forEach((results, wi) => {
      this.shardsOf[wi]!.forEach((k, j) => {
        perShard[k] = results[j]!;
      });
    });
    let sum = 0;
    for (let k = 0; k < this.shardCount; k++) sum += perShard[k]!;
    return sum;
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/** Posts `job` (or, with null, just waits for the ready message) and resolves with the reply. */
function request(w: Worker, job: ShardJob | null): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const onMessage = (reply: WorkerReply) => {
      w.off('error', onError);
      if (reply.error !== undefined) reject(new Error(`histogram worker: ${reply.error}`));
      else resolve(reply.results ?? []);
    };
    const onError = (err: Error) => {
      w.off('message', onMessage);
      reject(err);
    };
    w.once('message', onMessage);
    w.once('error', onError);
    if (job) w.postMessage(job);
  });
}

/** Starts `threads` workers (shards dealt round-robin), or runs inline when `threads <= 1`. */
export async function startShards(
  layout: ShardLayout,
  memory: ShardMemory,
  threads: number,
): Promise<ShardRunner> {
  const count = Math.min(threads, layout.shards);
  if (count <= 1) {
    return new InlineRunner(
      Array.from({ length: layout.shards }, (_, k) => new HistShard(layout, memory, k)),
    );
  }
  const shardsOf: number[][] = Array.from({ length: count }, () => []);
  for (let k = 0; k < layout.shards; k++) shardsOf[k % count]!.push(k);
  const workers = shardsOf.map((shards) =>
    startTsWorker(new URL('./hist-worker.ts', import.meta.url), { layout, memory, shards }),
  );
  try {
    // Each worker says it is ready once its module (and tsx) has loaded.
    await Promise.all(workers.map((w) => request(w, null)));
  } catch (err) {
    await Promise.all(workers.map((w) => w.terminate()));
    throw err;
  }
  return new WorkerRunner(workers, shardsOf, layout.shards);
}
