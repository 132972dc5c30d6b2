// Work spread over sessions of one warehouse: a few statements at a time on engines that can run
// them side by side (DuckDB connections of one database), one at a time elsewhere.
import type { SqlWarehouse } from './engine.ts';

/**
 * Calls `work(session, item)` for every item, at most `concurrency` at once, each call on a session
 * of `wh` that no other call is using (`wh` itself is one of them). Engines without `session()` get
 * one call at a time on `wh`. Items are started in order; after a failure no new item starts, the
 * running ones finish, and the first error is thrown. Extra sessions are closed before returning.
 */
export async function onSessions<T>(
  wh: SqlWarehouse,
  concurrency: number,
  items: readonly T[],
  work: (session: SqlWarehouse, item: T) => Promise<void>,
): Promise<void> {
  let failure: unknown;
  let next = 0;
  await withSessions(wh, Math.min(concurrency, items.length), (sessions) =>
    Promise.all(
      sessions.map(async (session) => {
        while (failure === undefined && next < items.length) {
          const item = items[next++]!;
          try {
            await work(session, item);
          } catch (err) {
            failure ??= err;
          }
        }
      }),
    ),
  );
  if (failure !== undefined) throw failure;
}

/**
 * Runs `work` with up to `count` sessions of `wh` (at least `wh` itself; only `wh` on an engine
 * without `session()`), closing the extra ones afterwards whatever happens.
 */
export async function withSessions<R>(
  wh: SqlWarehouse,
  count: number,
  work: (sessions: readonly SqlWarehouse[]) => Promise<R>,
): Promise<R> {
  const sessions: SqlWarehouse[] = [wh];
  try {
    while (sessions.length < count && wh.session) sessions.push(await wh.session());
    return await work(sessions);
  } finally {
    for (const s of sessions.slice(1)) await s.close();
  }
}

/**
 * Runs `work` with DuckDB's `threads` set to `threads` (an instance-wide setting, so every session
 * of `wh` gets it), restoring the previous value afterwards whatever happens. Other engines, and an
 * undefined `threads`, run `work` as it is.
 */
export async function withThreads<R>(
  wh: SqlWarehouse,
  threads: number | undefined,
  work: () => Promise<R>,
): Promise<R> {
  if (threads === undefined || wh.engine !== 'duckdb') return work();
  const before = await wh.one<{ n: number }>("SELECT CAST(current_setting('threads') AS BIGINT) AS n");
  await wh.run(`SET threads = ${Math.max(1, Math.floor(threads))}`);
  try {
    return await work();
  } finally {
    await wh.run(`SET threads = ${before?.n ?? 1}`);
  }
}
