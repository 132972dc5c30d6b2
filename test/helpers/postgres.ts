// A throwaway PostgreSQL server for tests and benchmarks: initdb from Debian's `postgresql` package
// into a fresh temporary folder, a free port, the socket in that folder, torn down (and the folder
// removed) by `stop()`. Never connects to a server that happens to be running on the machine.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestPostgres {
  /** postgres://claimlens@127.0.0.1:PORT/claimlens */
  url: string;
  port: number;
  dir: string;
  stop(): Promise<void>;
}

/** The bin folder of the newest PostgreSQL under /usr/lib/postgresql (Debian layout), or undefined. */
export function postgresBinDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(root, versions[0], 'bin') : undefined;
}

export const postgresAvailable = (): boolean => postgresBinDir() !== undefined;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** initdb and pg_ctl refuse to run as root: then they run as the `postgres` system user. */
function runAs(): { prefix: string[]; uid?: number; gid?: number } {
  if (process.getuid?.() !== 0) return { prefix: [] };
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
  return { prefix: ['runuser', '-u', 'postgres', '--'], uid, gid };
}

function exec(prefix: string[], bin: string, args: string[]): void {
  const [cmd, ...rest] = [...prefix, bin, ...args];
  const r = spawnSync(cmd!, rest, { encoding: 'utf8' });
  if (r.status !== 0) {
    throw new Error(`${bin} ${args.join(' ')} failed (${r.status}): ${r.stderr || r.stdout}`);
  }
}

/**
 * Starts a private server; settings favour speed over durability (fsync off), which is what a
 * throwaway test database wants. The C locale makes text sort byte-wise, as in DuckDB.
 */
export async function startPostgres(
  options: { settings?: Record<string, string> } = {},
): Promise<TestPostgres> {
  const bin = postgresBinDir();
  if (!bin) {
    throw new Error(
      'PostgreSQL is not installed: run `bash scripts/ensure-system-deps.sh` (installs Debian postgresql)',
    );
  }
  const who = runAs();
  const dir = mkdtempSync(join(tmpdir(), 'claimlens-pg-'));
  if (who.uid !== undefined) chownSync(dir, who.uid, who.gid!);
  chmodSync(dir, 0o700);
  const data = join(dir, 'data');
  exec(who.prefix, join(bin, 'initdb'), [
    '-D',
    data,
    '-U',
    'claimlens',
    '-A',
    'trust',
    '-E',
    'UTF8',
    '--no-locale',
    '--no-sync',
  ]);
  const port = await freePort();
  const settings: Record<string, string> = {
    listen_addresses: "'127.0.0.1'",
    port: String(port),
    unix_socket_directories: `'${dir}'`,
    fsync: 'off',
    synchronous_commit: 'off',
    full_page_writes: 'off',
    shared_buffers: "'256MB'",
    work_mem: "'64MB'",
    maintenance_work_mem: "'256MB'",
    max_wal_size: "'4GB'",
    max_locks_per_transaction: '1024',
    timezone: "'UTC'",
    ...options.settings,
  };
  const conf = Object.entries(settings)
    .map(([k, v]) => `${k} = ${v}`)
    .join('\n');
  writeFileSync(join(data, 'postgresql.auto.conf'), `${conf}\n`);
  if (who.uid !== undefined) chownSync(join(data, 'postgresql.auto.conf'), who.uid, who.gid!);
  const log = join(dir, 'server.log');
  exec(who.prefix, join(bin, 'pg_ctl'), ['-D', data, '-l', log, '-w', '-t', '60', 'start']);
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    try {
      exec(who.prefix, join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  try {
    exec(who.prefix, join(bin, 'createdb'), ['-h', dir, '-p', String(port), '-U', 'claimlens', 'claimlens']);
  } catch (err) {
    await stop();
    throw err;
  }
  // A test that crashes must not leave the server running or its folder behind.
  process.once('exit', () => {
    if (stopped) return;
    const [cmd, ...args] = [...who.prefix, join(bin, 'pg_ctl'), '-D', data, '-m', 'immediate', '-w', 'stop'];
    spawnSync(cmd!, args);
    rmSync(dir, { recursive: true, force: true });
  });
  return { url: `postgres://claimlens@127.0.0.1:${port}/claimlens`, port, dir, stop };
}
