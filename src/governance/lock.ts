// An exclusive lock across processes: a lock file created with O_EXCL, retried with jittered backoff,
// broken only when its holder process is gone, so the audit log has one writer at a time.
import { constants } from 'node:fs';
import { link, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { ClaimlensError } from '../errors.ts';

export interface LockOptions {
  /** Give up after this long (ms). */
  timeoutMs?: number;
  /** A lock whose holder is dead is broken only once it is this old (ms): holders keep it for milliseconds. */
  staleMs?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function tryCreate(path: string): Promise<boolean> {
  try {
    const fh = await open(path, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY, 0o600);
    try {
      await fh.writeFile(`${process.pid} ${Date.now()}\n`);
    } finally {
      await fh.close();
    }
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
}

/** Breaks the lock at `path` when its holder died; true when it did (or the lock vanished). */
async function breakIfStale(path: string, staleMs: number): Promise<boolean> {
  let text: string;
  let age: number;
  try {
    text = await readFile(path, 'utf8');
    age = Date.now() - (await stat(path)).mtimeMs;
  } catch {
    return true;
  }
  const pid = Number(text.split(' ')[0]);
  if (alive(pid) || age < staleMs) return false;
  // Move it aside atomically, then check what was moved: if another process had already replaced
  // the stale lock with its own live one, put that one back (link fails if a third took the name).
  const aside = `${path}.stale-${process.pid}-${Date.now()}`;
  try {
    await rename(path, aside);
  } catch {
    return true;
  }
  const moved = await readFile(aside, 'utf8').catch(() => '');
  if (moved !== text) await link(aside, path).catch(() => undefined);
  await unlink(aside).catch(() => undefined);
  return true;
}

/**
 * Runs `work` holding the lock file `path`.
 *
 * @example await withFileLock('claimlens.audit.jsonl.lock', () => appendLines())
 */
export async function withFileLock<T>(
  path: string,
  work: () => Promise<T>,
  options: LockOptions = {},
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const staleMs = options.staleMs ?? 5_000;
  const started = Date.now();
  let wait = 1;
  for (;;) {
    if (await tryCreate(path)) break;
    if (await breakIfStale(path, staleMs)) continue;
    if (Date.now() - started > timeoutMs) {
      throw new ClaimlensError(
        'config',
        `could not lock ${path} within ${timeoutMs} ms; if no claimlens process is running, remove the file`,
      );
    }
    await sleep(wait + Math.random() * wait);
    wait = Math.min(wait * 2, 25);
  }
  try {
    return await work();
  } finally {
    await unlink(path).catch(() => undefined);
  }
}
