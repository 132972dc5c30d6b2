// `npm run bench [-- --sizes 10k,100k,1M,10M]`: the scale curve of generate, load and build (time and
// peak memory per stage) plus KPI answer times on the 1M book; writes bench/out/results.json and
// the tables in bench/README.md.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Measurement, measure } from './measure.ts';

const ROOT = resolve(import.meta.dirname, '..');
const CLI = join(ROOT, 'bin', 'claimlens.js');
const OUT = join(ROOT, 'bench', 'out');

function parseSize(s: string): number {
  const m = /^(\d+(?:\.\d+)?)([kKmM]?)$/.exec(s.trim());
  if (!m) throw new Error(`bad size ${s}: use 10k, 100k, 1M, 10M`);
  const mult = m[2]?.toLowerCase() === 'k' ? 1e3 : m[2]?.toLowerCase() === 'm' ? 1e6 : 1;
  return Math.round(Number(m[1]) * mult);
}

function label(n: number): string {
  return n >= 1e6 ? `${n / 1e6}M` : n >= 1e3 ? `${n / 1e3}k` : String(n);
}

async function cli(args: string[]): Promise<Measurement> {
  const m = await measure(process.execPath, [CLI, ...args], OUT);
  if (m.exitCode !== 0) throw new Error(`claimlens ${args.join(' ')} failed (${m.exitCode}):\n${m.stderr}`);
  return m;
}

interface SizeResult {
  target: string;
  members: number;
  claimLines: number;
  stages: Record<string, { seconds: number; peakMb: number }>;
  totalSeconds: number;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const sizesArg = argv.includes('--sizes') ? argv[argv.indexOf('--sizes') + 1]! : '10k,100k,1M,10M';
  const sizes = sizesArg.split(',').map(parseSize);
  const kpiAt = argv.includes('--kpi-at') ? parseSize(argv[argv.indexOf('--kpi-at') + 1]!) : 1_000_000;
  mkdirSync(OUT, { recursive: true });
  // Loads pseudonymize identifiers (the default), so the benchmark measures that too, under a throwaway key.
  process.env.CLAIMLENS_KEY ??= randomBytes(32).toString('hex');

  // Calibrate members per claim line on a small book, then size each run from it.
  const calib = join(OUT, 'calib');
  await cli(['generate', '--members', '3000', '--seed', '7', '--out', calib, '--quiet']);
  await cli(['load', calib, '--warehouse', join(OUT, 'calib.duckdb'), '--quiet']);
  const calibLines = await cli([
    'sql',
    '--warehouse',
    join(OUT, 'calib.duckdb'),
    '--json',
    'SELECT count(*) AS n FROM input.medical_claim',
  ]).then((m) => (JSON.parse(m.stdout) as { n: number }[])[0]!.n);
  rmSync(calib, { recursive: true, force: true });
  rmSync(join(OUT, 'calib.duckdb'), { force: true });
  const linesPerMember = calibLines / 3000;
  process.stderr.write(`calibration: ${linesPerMember.toFixed(1)} medical claim lines per member\n`);

  const results: SizeResult[] = [];
  const kpiTimes: { command: string; seconds: number }[] = [];
  for (const target of sizes) {
    const members = Math.max(100, Math.round(target / linesPerMember));
    const dir = join(OUT, `book-${label(target)}`);
    const wh = join(OUT, `wh-${label(target)}.duckdb`);
    rmSync(dir, { recursive: true, force: true });
    rmSync(wh, { force: true });
    process.stderr.write(`\n== ${label(target)} claim lines (${members} members)\n`);
    const gen = await cli([
      'generate',
      '--members',
      String(members),
      '--seed',
      '42',
      '--out',
      dir,
      '--quiet',
    ]);
    process.stderr.write(`generate ${gen.seconds.toFixed(1)}s ${gen.peakMb.toFixed(0)} MB\n`);
    const load = await cli(['load', dir, '--warehouse', wh, '--quiet']);
    process.stderr.write(`load ${load.seconds.toFixed(1)}s ${load.peakMb.toFixed(0)} MB\n`);
    const build = await cli(['build', '--warehouse', wh, '--quiet']);
    process.stderr.write(`build ${build.seconds.toFixed(1)}s ${build.peakMb.toFixed(0)} MB\n`);
    const claimLines = await cli([
      'sql',
      '--warehouse',
      wh,
      '--json',
      'SELECT count(*) AS n FROM input.medical_claim',
    ]).then((m) => (JSON.parse(m.stdout) as { n: number }[])[0]!.n);
    if (target === kpiAt) {
      for (const args of kpiCommands()) {
        const m = await cli([...args, '--warehouse', wh, '--json']);
        kpiTimes.push({ command: `claimlens ${args.join(' ')}`, seconds: m.seconds });
        process.stderr.write(`${args.join(' ')} ${m.seconds.toFixed(2)}s\n`);
      }
    }
    results.push({
      target: label(target),
      members,
      claimLines,
      stages: {
        generate: { seconds: gen.seconds, peakMb: gen.peakMb },
        load: { seconds: load.seconds, peakMb: load.peakMb },
        build: { seconds: build.seconds, peakMb: build.peakMb },
      },
      totalSeconds: gen.seconds + load.seconds + build.seconds,
    });
    rmSync(dir, { recursive: true, force: true });
    if (target !== kpiAt) rmSync(wh, { force: true });
  }
  // Runs of some sizes keep the other sizes' last results, so `--sizes 10M` alone adds a row.
  const previous = existsSync(join(OUT, 'results.json'))
    ? (JSON.parse(readFileSync(join(OUT, 'results.json'), 'utf8')) as {
        results: SizeResult[];
        kpiTimes: typeof kpiTimes;
      })
    : { results: [], kpiTimes: [] };
  const merged = [
    ...previous.results.filter((p) => !results.some((r) => r.target === p.target)),
    ...results,
  ].sort((a, b) => parseSize(a.target) - parseSize(b.target));
  const kpis = kpiTimes.length > 0 ? kpiTimes : previous.kpiTimes;
  const json = { date: new Date().toISOString(), machine: machine(), results: merged, kpiTimes: kpis };
  writeFileSync(join(OUT, 'results.json'), `${JSON.stringify(json, null, 2)}\n`);
  updateReadme(merged, kpis);
}

/** The KPI calls whose answer time is measured (CLI process included, so a bound from above). */
function kpiCommands(): string[][] {
  return [
    ['kpi', 'cost'],
    ['kpi', 'cost', '--period', '2025Q2'],
    ['kpi', 'payers', '--period', '2025Q2'],
    ['kpi', 'payers', '--from', '2025-01-15', '--to', '2025-03-14'],
    ['kpi', 'providers'],
    ['kpi', 'programs'],
    ['kpi', 'denials'],
    ['kpi', 'rcm'],
    ['kpi', 'patients'],
    ['kpi', 'readmissions'],
    ['kpi', 'adherence', '--period', '2025'],
    ['kpi', 'cost', '--plan', 'PPO Gold'],
    ['kpi', 'cost', '--state', 'OH'],
    ['kpi', 'denials', '--plan', 'PPO Gold', '--state', 'OH'],
    ['kpi', 'rcm', '--state', 'MI'],
    ['kpi', 'readmissions', '--plan', 'Medicaid Managed Care'],
    // The floor under every row above: process start, loading the CLI bundle, opening the warehouse.
    ['sql', 'SELECT 1'],
  ];
}

function machine(): string {
  const cpu = /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? 'unknown CPU';
  return `${cpu.trim()}, ${process.env.BENCH_CORES ?? '2'} cores, Node ${process.version}`;
}

function updateReadme(results: SizeResult[], kpiTimes: { command: string; seconds: number }[]): void {
  const path = join(ROOT, 'bench', 'README.md');
  const rows = results.map((r) => {
    const s = r.stages;
    const peak = Math.max(s.generate!.peakMb, s.load!.peakMb, s.build!.peakMb);
    return `| ${r.target} | ${r.claimLines.toLocaleString('en-US')} | ${r.members.toLocaleString('en-US')} | ${s.generate!.seconds.toFixed(1)} s / ${s.generate!.peakMb.toFixed(0)} MB | ${s.load!.seconds.toFixed(1)} s / ${s.load!.peakMb.toFixed(0)} MB | ${s.build!.seconds.toFixed(1)} s / ${s.build!.peakMb.toFixed(0)} MB | ${r.totalSeconds.toFixed(1)} s | ${peak.toFixed(0)} MB |`;
  });
  const table = [
    '| claim lines (target) | claim lines | members | generate | load | build | end to end | peak memory |',
    '|---|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
  const kpi = [
    '| command (1M-line book, whole CLI process) | seconds |',
    '|---|---|',
    ...kpiTimes.map((k) => `| \`${k.command}\` | ${k.seconds.toFixed(2)} |`),
  ].join('\n');
  const text = readFileSync(path, 'utf8');
  const replaced = text
    .replace(
      /<!-- scale:start -->[\s\S]*<!-- scale:end -->/,
      `<!-- scale:start -->\n${table}\n<!-- scale:end -->`,
    )
    .replace(/<!-- kpi:start -->[\s\S]*<!-- kpi:end -->/, `<!-- kpi:start -->\n${kpi}\n<!-- kpi:end -->`);
  writeFileSync(path, replaced);
}

await main();
