// `npm run bench:engines [-- --members 36752] [--compare] [--kpi]`: one book built on both engines
// with the CLI (`build` and `build --engine postgres` against a private server from
// test/helpers/postgres.ts), each build timed as its own process; `--kpi` times each KPI command on
// both engines, `--compare` compares every mart row by row. Results go to
// bench/out/engines-<members>.json; bench/README.md quotes them.
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DuckDBWarehouse } from '../src/engine/duckdb.ts';
import { PostgresWarehouse } from '../src/engine/postgres/warehouse.ts';
import { compareTable, formatDifference } from '../test/engines/compare.ts';
import { productMarts } from '../test/engines/marts.ts';
import { startPostgres } from '../test/helpers/postgres.ts';
import { type Measurement, measure } from './measure.ts';

const ROOT = resolve(import.meta.dirname, '..');
const KPI_CALLS = [
  ['cost'],
  ['payers', '--period', '2025Q2'],
  ['providers'],
  ['programs'],
  ['denials'],
  ['rcm'],
  ['patients'],
  ['readmissions'],
  ['adherence', '--period', '2025'],
];
const CLI = join(ROOT, 'bin', 'claimlens.js');

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const members = argv.includes('--members') ? Number(argv[argv.indexOf('--members') + 1]) : 36_752;
  const compare = argv.includes('--compare');
  const kpi = argv.includes('--kpi');
  const out = join(ROOT, 'bench', 'out', `engines-${members}`);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  process.env.CLAIMLENS_KEY ??= randomBytes(32).toString('hex');
  const cli = async (args: string[]): Promise<Measurement> => {
    const m = await measure(process.execPath, [CLI, ...args], out);
    if (m.exitCode !== 0) throw new Error(`claimlens ${args.join(' ')} failed (${m.exitCode}):\n${m.stderr}`);
    return m;
  };
  const stages: Record<string, { seconds: number; peakMb: number }> = {};
  const record = (name: string, m: Measurement) => {
    stages[name] = { seconds: m.seconds, peakMb: m.peakMb };
    process.stderr.write(`${name}: ${m.seconds.toFixed(1)} s, ${m.peakMb.toFixed(0)} MB\n`);
  };
  record(
    'generate',
    await cli(['generate', '--members', String(members), '--seed', '1', '--out', 'book', '--quiet']),
  );
  record('load', await cli(['load', 'book', '--quiet']));
  const warehouse = join(out, 'claimlens.duckdb');
  const duck = await DuckDBWarehouse.open(warehouse, { readOnly: true });
  const lines = (await duck.one<{ n: number }>('SELECT count(*) AS n FROM input.medical_claim'))!.n;
  await duck.close();
  record('build duckdb', await cli(['build', '--quiet']));
  const pg = await startPostgres();
  const result: Record<string, unknown> = { members, claimLines: lines, date: new Date().toISOString() };
  try {
    const build = await cli(['--engine', 'postgres', '--url', pg.url, 'build']);
    record('build postgres', build);
    const copied = /copied \d+ input tables \(([\d,]+) rows\)[^\n]*/.exec(build.stderr);
    result.copiedRows = copied ? Number(copied[1]!.replaceAll(',', '')) : null;
    // The slowest models on the server, from the build's progress lines.
    result.slowestPostgresModels = [...build.stderr.matchAll(/\d+\/\d+ (\S+) +\S+ +[\d,]+ rows +([\d.]+)s/g)]
      .map((m) => ({ model: m[1], seconds: Number(m[2]) }))
      .sort((a, b) => b.seconds - a.seconds)
      .slice(0, 8);
    if (kpi) {
      // Each KPI domain as a whole CLI process on each engine (start-up, connect, query, print).
      const times: { command: string; duckdb: number; postgres: number }[] = [];
      for (const args of KPI_CALLS) {
        const d = await cli(['kpi', ...args, '--json']);
        const p = await cli(['--engine', 'postgres', '--url', pg.url, 'kpi', ...args, '--json']);
        times.push({ command: `claimlens kpi ${args.join(' ')}`, duckdb: d.seconds, postgres: p.seconds });
        process.stderr.write(
          `kpi ${args.join(' ')}: duckdb ${d.seconds.toFixed(2)} s, postgres ${p.seconds.toFixed(2)} s\n`,
        );
      }
      result.kpi = times;
    }
    if (compare) {
      const d = await DuckDBWarehouse.open(warehouse, { readOnly: true });
      const p = await PostgresWarehouse.open(pg.url, { readOnly: true });
      let rows = 0;
      const failing: string[] = [];
      const marts = productMarts();
      for (const spec of marts) {
        const c = await compareTable(d, p, spec, 5);
        rows += c.rows;
        for (const diff of c.differences) failing.push(formatDifference(diff));
      }
      await d.close();
      await p.close();
      result.comparison = { tables: marts.length, rows, differences: failing };
      process.stderr.write(
        `compared ${marts.length} marts, ${rows} rows: ${failing.length} differences\n${failing.join('\n')}\n`,
      );
    }
  } finally {
    await pg.stop();
  }
  result.stages = stages;
  writeFileSync(
    join(ROOT, 'bench', 'out', `engines-${members}.json`),
    `${JSON.stringify(result, null, 2)}\n`,
  );
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  rmSync(out, { recursive: true, force: true });
}

await main();
