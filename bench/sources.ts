// `npm run bench:sources`: loading and building each public sample through its adapter, the way a
// user runs it (`claimlens load DIR --format F`, then `claimlens build`), with wall time and peak
// memory per step; writes bench/out/sources.json and the table in bench/README.md.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { type Measurement, measure } from './measure.ts';

const ROOT = resolve(import.meta.dirname, '..');
const CLI = join(ROOT, 'bin', 'claimlens.js');
const OUT = join(ROOT, 'bench', 'out');

const SOURCES = [
  {
    format: 'synpuf',
    dir: '../shared/datasets/cms-desynpuf',
    what: 'DE-SynPUF Sample 1 subset (3 beneficiary years, inpatient, PDE)',
  },
  { format: 'synthea', dir: '../shared/datasets/synthea-csv', what: 'Synthea v3 CSV, 27 patients' },
  { format: 'fhir', dir: 'test/fixtures/fhir-synthea', what: 'FHIR R4 NDJSON made from the Synthea sample' },
];

async function cli(args: string[]): Promise<Measurement> {
  const m = await measure(process.execPath, [CLI, ...args], ROOT);
  if (m.exitCode !== 0) throw new Error(`claimlens ${args.join(' ')} failed (${m.exitCode}):\n${m.stderr}`);
  return m;
}

interface Row {
  format: string;
  what: string;
  rows: number;
  quarantined: number;
  load: { seconds: number; peakMb: number };
  build: { seconds: number; peakMb: number };
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  process.env.CLAIMLENS_KEY ??= randomBytes(32).toString('hex');
  const before = loadavg()[0]!;
  const rows: Row[] = [];
  for (const s of SOURCES) {
    const wh = join(OUT, `source-${s.format}.duckdb`);
    rmSync(wh, { force: true });
    const load = await cli(['load', s.dir, '--format', s.format, '--warehouse', wh, '--json', '--quiet']);
    const report = JSON.parse(load.stdout) as { load: { rowsLoaded: number; rowsQuarantined: number } };
    const build = await cli(['build', '--warehouse', wh, '--quiet']);
    rows.push({
      format: s.format,
      what: s.what,
      rows: report.load.rowsLoaded,
      quarantined: report.load.rowsQuarantined,
      load: { seconds: load.seconds, peakMb: load.peakMb },
      build: { seconds: build.seconds, peakMb: build.peakMb },
    });
    process.stderr.write(
      `${s.format}: load ${load.seconds.toFixed(1)} s, build ${build.seconds.toFixed(1)} s\n`,
    );
    rmSync(wh, { force: true });
  }
  const after = loadavg()[0]!;
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const note = `Run ${new Date().toISOString().slice(0, 10)} on ${cpus().length} cores (${cpu}), Node ${process.version}; 1-minute load average ${before.toFixed(1)} before and ${after.toFixed(1)} after.`;
  writeFileSync(join(OUT, 'sources.json'), `${JSON.stringify({ note, rows }, null, 2)}\n`);
  const table = [
    note,
    '',
    '| source | what | rows loaded | quarantined | load (wall / peak RSS) | build (wall / peak RSS) |',
    '|---|---|---:|---:|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.format} | ${r.what} | ${r.rows.toLocaleString('en-US')} | ${r.quarantined.toLocaleString('en-US')} | ${r.load.seconds.toFixed(1)} s / ${r.load.peakMb.toFixed(0)} MB | ${r.build.seconds.toFixed(1)} s / ${r.build.peakMb.toFixed(0)} MB |`,
    ),
  ].join('\n');
  const path = join(ROOT, 'bench', 'README.md');
  const text = readFileSync(path, 'utf8');
  const section = `<!-- sources:start -->\n## Public samples through their adapters (\`npm run bench:sources\`)\n\n${table}\n<!-- sources:end -->`;
  writeFileSync(
    path,
    text.includes('<!-- sources:start -->')
      ? text.replace(/<!-- sources:start -->[\s\S]*<!-- sources:end -->/, section)
      : `${text.trimEnd()}\n\n${section}\n`,
  );
}

await main();
