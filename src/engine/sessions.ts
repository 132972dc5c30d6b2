// Work spread over sessions of one warehouse: a few statements at a time on engines that can run
// them side by side (DuckDB connections of one database), one at a time elsewhere.
import { literal } from './duckdb.ts';
import type { SqlWarehouse } from './engine.ts';

/**
 * Calls `work(session, item)` for every item, at most `concurrency` at once, each call on a session
 * of `wh` that no other call is using (`wh` itself is one of them). Engines without `session()` get
 * one call at a time on `wh`. Items are started in order, or in `startOrder` (indexes into `items`)
 * when given; after a failure no new item starts, the running ones finish, and the error of the
 * earliest failing item in `items` order is thrown, so which error is reported does not depend on
 * timing or start order. Extra sessions are closed before returning.
 */
export async function onSessions<T>(
  wh: SqlWarehouse,
  concurrency: number,
  items: readonly T[],
  work: (session: SqlWarehouse, item: T) => Promise<void>,
  startOrder: readonly number[] = [...items.keys()],
): Promise<void> {
  const failures = new Map<number, unknown>();
  let next = 0;
  await withSessions(wh, Math.min(concurrency, items.length), (sessions) =>
    Promise.all(
      sessions.map(async (session) => {
        while (failures.size === 0 && next < startOrder.length) {
          const i = startOrder[next++]!;
          try {
            await work(session, items[i]!);
          } catch (err) {
            failures.set(i, err);
          }
        }
      }),
    ),
  );
  if (failures.size > 0) throw failures.get(Math.min(...failures.keys()));
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

/** A DuckDB setting's current value as text; undefined on other engines. */
async function currentSetting(wh: SqlWarehouse, name: string): Promise<string | undefined> {
  if (wh.engine !== 'duckdb') return undefined;
  const r = await wh.one<{ v: string }>('SELECT CAST(current_setting(?) AS VARCHAR) AS v', [name]);
  return r?.v;
}

/** DuckDB's `threads` setting (instance-wide); undefined on other engines. */
async function currentThreads(wh: SqlWarehouse): Promise<number | undefined> {
  const v = await currentSetting(wh, 'threads');
  return v === undefined ? undefined : Number(v);
}

/**
 * The instance's threads shared out between `sessions` statements running side by side, at least
 * one each; undefined on engines without a threads setting (or one session: nothing to share).
 */
export async function threadsPerSession(wh: SqlWarehouse, sessions: number): Promise<number | undefined> {
  const threads = await currentThreads(wh);
  if (threads === undefined || sessions <= 1) return undefined;
  return Math.max(1, Math.floor(threads / sessions));
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
  if (threads === undefined) return work();
  return withSetting(wh, 'threads', String(Math.max(1, Math.floor(threads))), work);
}

/**
 * Runs `work` with the DuckDB setting `name` at `value` (a SQL literal, e.g. `false` or `2`),
 * restoring the value it had afterwards whatever happens. The settings used here are instance-wide,
 * so every session of `wh` runs with the value. Other engines run `work` as it is.
 */
export async function withSetting<R>(
  wh: SqlWarehouse,
  name: string,
  value: string,
  work: () => Promise<R>,
): Promise<R> {
  const before = await currentSetting(wh, name);
  if (before === undefined) return work();
  await wh.run(`SET ${name} = ${value}`);
  try {
    return await work();
  } finally {
    await wh.run(`SET ${name} = ${literalSetting(before)}`);
  }
}

/** A setting's value as read back by current_setting, as SQL: numbers and booleans bare, text quoted. */
function literalSetting(v: string): string {
  return /^(true|false|-?\d+)$/.test(v) ? v : literal(v);
}
