// `npm run bench:server [-- --warehouse PATH | --members N] [--seconds S]`: load test of the API on
// loopback with autocannon at 16 concurrent clients, the payer scorecard and KPI routes, answered from
// the cache (steady state) and with the cache off (every request runs the services). Writes
// bench/out/server.json and the table between the server markers of bench/README.md.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer as netServer } from 'node:net';
import { join, resolve } from 'node:path';
import autocannon from 'autocannon';
import { Warehouse } from '../../src/engine/duckdb.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
const OUT = join(ROOT, 'bench', 'out', 'server');
const CLI = join(ROOT, 'bin', 'claimlens.js');
const CONNECTIONS = 16;

const ROUTES = [
  ['payer scorecard (quarter)', '/api/kpi/payers?period=2025Q1'],
  ['payer scorecard (custom range)', '/api/kpi/payers?from=2025-02-01&to=2025-05-31'],
  ['cost KPIs (year)', '/api/kpi/cost?period=2025'],
  ['denials KPIs', '/api/kpi/denials'],
  ['providers KPIs', '/api/kpi/providers'],
] as const;

interface RouteResult {
  route: string;
  url: string;
  mode: 'cached' | 'uncached';
  requests: number;
  non2xx: number;
  rps: number;
  p50_ms: number;
  p95_ms: number;
  p99_ms: number;
  max_ms: number;
  first_ms: number;
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Builds a book of `members` with the CLI (generate, load, build) unless it is already there. */
function ensureWarehouse(members: number): string {
  const wh = join(OUT, `bench-${members}.duckdb`);
  if (existsSync(wh)) return wh;
  const book = join(OUT, `book-${members}`);
  const run = (args: string[]) =>
    execFileSync(process.execPath, [CLI, ...args, '--quiet'], { stdio: 'inherit' });
  run(['generate', '--members', String(members), '--seed', '1', '--out', book]);
  run(['load', book, '--warehouse', wh]);
  run(['build', '--warehouse', wh]);
  return wh;
}

/**
 * Runs autocannon against one URL, for `seconds` or (uncached: each answer takes DuckDB seconds, not
 * microseconds) for `amount` requests; latencies are taken per response for an exact p95.
 */
async function hammer(base: string, url: string, limit: { seconds: number } | { amount: number }) {
  const started = performance.now();
  const times: number[] = [];
  let non2xx = 0;
  const result = await new Promise<autocannon.Result>((ok, fail) => {
    const instance = autocannon(
      {
        url: `${base}${url}`,
        connections: CONNECTIONS,
        timeout: 300,
        ...('seconds' in limit ? { duration: limit.seconds } : { amount: limit.amount }),
      },
      (err, res) => (err ? fail(err) : ok(res)),
    );
    instance.on('response', (_client, status, _bytes, ms) => {
      times.push(ms);
      if (status < 200 || status >= 300) non2xx += 1;
    });
  });
  times.sort((a, b) => a - b);
  const seconds = (performance.now() - started) / 1000;
  return {
    requests: times.length,
    non2xx: non2xx + result.errors + result.timeouts,
    rps: Math.round((times.length / seconds) * 10) / 10,
    p50_ms: Math.round(percentile(times, 50) * 10) / 10,
    p95_ms: Math.round(percentile(times, 95) * 10) / 10,
    p99_ms: Math.round(percentile(times, 99) * 10) / 10,
    max_ms: Math.round((times.at(-1) ?? Number.NaN) * 10) / 10,
  };
}

async function bookSize(path: string): Promise<{ members: number; claimLines: number; mb: number }> {
  const wh = await Warehouse.open(path, { readOnly: true });
  try {
    const r = (await wh.one<{ members: number; lines: number }>(
      'SELECT (SELECT count(DISTINCT person_id) FROM input.eligibility) AS members, (SELECT count(*) FROM input.medical_claim) AS lines',
    ))!;
    return { members: r.members, claimLines: r.lines, mb: Math.round(statSync(path).size / 1e5) / 10 };
  } finally {
    await wh.close();
  }
}

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = netServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => ok(port));
    });
  });
}

/**
 * `claimlens serve` as its own process (so the load generator does not share its event loop), with
 * the cache on or off through a config file in a folder of its own.
 */
async function startServer(
  warehouse: string,
  cacheEntries: number,
): Promise<{ base: string; child: ChildProcess }> {
  const dir = join(OUT, `serve-cache-${cacheEntries}`);
  mkdirSync(dir, { recursive: true });
  // Loopback without tokens (auth none), so the load measures the API, not token verification; every
  // answer is still audited, to a log of the run's own.
  writeFileSync(
    join(dir, 'claimlens.config.json'),
    JSON.stringify({
      warehouse: resolve(warehouse),
      server: { cacheEntries, auth: 'none', role: 'analyst' },
      governance: { auditLog: join(dir, 'audit.jsonl') },
    }),
  );
  rmSync(join(dir, 'audit.jsonl'), { force: true });
  const port = await freePort();
  const child = spawn(process.execPath, [CLI, 'serve', '--port', String(port), '--quiet'], {
    cwd: dir,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(`${base}/api/health`)).ok) return { base, child };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGTERM');
  throw new Error('claimlens serve did not start within 20 s');
}

function table(results: RouteResult[]): string {
  const head =
    '| route | answers | requests | req/s | p50 ms | p95 ms | p99 ms | first answer ms |\n|---|---|---:|---:|---:|---:|---:|---:|';
  const rows = results.map(
    (r) =>
      `| ${r.route} | ${r.mode} | ${r.requests} | ${r.rps} | ${r.p50_ms} | **${r.p95_ms}** | ${r.p99_ms} | ${r.first_ms} |`,
  );
  return [head, ...rows].join('\n');
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const seconds = Number(arg('--seconds') ?? 8);
  const warehouse = arg('--warehouse') ?? ensureWarehouse(Number(arg('--members') ?? 20_000));
  const size = await bookSize(warehouse);
  process.stderr.write(
    `bench:server: ${warehouse}: ${size.members} members, ${size.claimLines} claim lines, ${size.mb} MB\n`,
  );
  const results: RouteResult[] = [];
  for (const mode of ['cached', 'uncached'] as const) {
    const { base: address, child } = await startServer(warehouse, mode === 'cached' ? 500 : 0);
    try {
      for (const [route, url] of ROUTES) {
        // The first answer: opening the warehouse (first route only) and running the services once.
        const t = performance.now();
        const first = await fetch(`${address}${url}`);
        await first.arrayBuffer();
        const firstMs = Math.round(performance.now() - t);
        if (!first.ok) throw new Error(`${url} answered ${first.status}`);
        const r = await hammer(address, url, mode === 'cached' ? { seconds } : { amount: CONNECTIONS * 2 });
        results.push({ route, url, mode, first_ms: firstMs, ...r });
        process.stderr.write(`bench:server: ${mode} ${route}: p95 ${r.p95_ms} ms, ${r.rps} req/s\n`);
      }
    } finally {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
  }
  writeFileSync(
    join(ROOT, 'bench', 'out', 'server.json'),
    `${JSON.stringify({ size, seconds, results }, null, 2)}\n`,
  );
  const block = [
    '<!-- server:start -->',
    `Book: ${size.members.toLocaleString('en-US')} members, ${size.claimLines.toLocaleString('en-US')} medical claim lines, warehouse ${size.mb} MB. ${CONNECTIONS} concurrent clients on loopback, ${seconds} s per route from the cache and ${CONNECTIONS * 2} requests per route without it, \`claimlens serve\` in its own process and autocannon in the bench process, both on the same 2 shared cores (measured ${new Date().toISOString().slice(0, 10)}).`,
    '',
    table(results),
    '<!-- server:end -->',
  ].join('\n');
  const readme = join(ROOT, 'bench', 'README.md');
  const text = readFileSync(readme, 'utf8');
  const re = /<!-- server:start -->[\s\S]*?<!-- server:end -->/;
  writeFileSync(readme, re.test(text) ? text.replace(re, () => block) : `${text.trimEnd()}\n\n${block}\n`);
  process.stdout.write(`${table(results)}\n`);
}

await main();
