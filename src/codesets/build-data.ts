// Rebuilds the shipped code-set files in data/codesets from the public source files in
// ../shared/datasets/code-sets (plus the extracts kept in data/codesets/sources), so the data can be
// regenerated and reviewed; runtime reads only the shipped files.
// Run: node bin/run-ts.js src/codesets/build-data.ts [--shared DIR] [--out DIR]
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { type CsvValue, formatCsv, readRecords } from './csv.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Above this size a shipped file is gzipped (DuckDB reads .csv.gz directly). */
const GZIP_OVER_BYTES = 5 * 1024 * 1024;

export interface Output {
  name: string;
  file: string;
  rows: number;
  bytes: number;
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** Collapses runs of whitespace: the sources mix double spaces, tabs and trailing blanks. */
function clean(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function orNull(text: string): string | null {
  const t = clean(text);
  return t === '' ? null : t;
}

function flag(value: string, source: string): boolean {
  if (value === '1') return true;
  if (value === '0' || value === '') return false;
  throw new Error(`${source}: expected a 0/1 flag, got ${JSON.stringify(value)}`);
}

function expectCount(name: string, rows: unknown[], expected: number): void {
  if (rows.length !== expected)
    throw new Error(`${name}: expected ${expected} rows from the source, got ${rows.length}`);
}

/** CARC order: numeric codes by value, then letter-prefixed groups (A, B, D, P, W, Y) by number. */
function carcOrder(a: string, b: string): number {
  const key = (c: string): [number, string, number] =>
    /^\d+$/.test(c) ? [0, '', Number(c)] : [1, c.replace(/\d+$/, ''), Number(c.replace(/^\D+/, '') || 0)];
  const [ka, kb] = [key(a), key(b)];
  return ka[0] - kb[0] || ka[1].localeCompare(kb[1]) || ka[2] - kb[2];
}

/** Unescapes the PHP single-quoted array `'CODE' => 'text',` entries of OpenEMR's code lists. */
export function parsePhpCodeArray(php: string): [string, string][] {
  const entries: [string, string][] = [];
  const re = /^\s*'([A-Z0-9]+)'\s*=>\s*'((?:[^'\\]|\\.)*)',?\s*$/gm;
  for (const m of php.matchAll(re)) entries.push([m[1], m[2].replace(/\\(['\\])/g, '$1')]);
  return entries;
}

/** HHS poverty guidelines: base for one person and the per-person increment, from the Federal Register notices. */
const POVERTY: { year: number; region: string; base: number; step: number }[] = [
  { year: 2023, region: 'contiguous', base: 14580, step: 5140 },
  { year: 2023, region: 'alaska', base: 18210, step: 6430 },
  { year: 2023, region: 'hawaii', base: 16770, step: 5910 },
  { year: 2024, region: 'contiguous', base: 15060, step: 5380 },
  { year: 2024, region: 'alaska', base: 18810, step: 6730 },
  { year: 2024, region: 'hawaii', base: 17310, step: 6190 },
  { year: 2025, region: 'contiguous', base: 15650, step: 5500 },
  { year: 2025, region: 'alaska', base: 19550, step: 6880 },
  { year: 2025, region: 'hawaii', base: 17990, step: 6330 },
];

/** HHS de-identification guidance section 3.1 (Census 2000 three-digit ZCTAs of 20,000 or fewer people). */
const RESTRICTED_ZIP3 = [
  '036',
  '059',
  '063',
  '102',
  '203',
  '556',
  '692',
  '790',
  '821',
  '823',
  '830',
  '831',
  '878',
  '879',
  '884',
  '890',
  '893',
];

/**
 * Writes every derived code-set file to `outDir`. `curatedDir` holds the hand-maintained inputs
 * (sources/, carc_root_cause.csv, denial_root_cause.csv); it is data/codesets itself in a normal rebuild.
 */
export function buildCodesets(sharedDir: string, outDir: string, curatedDir: string = outDir): Output[] {
  const read = (rel: string) => {
    const path = join(sharedDir, rel);
    if (!existsSync(path))
      throw new Error(`missing source file ${path}: is ../shared beside the repository?`);
    return readRecords(readFileSync(path, 'utf8'), rel);
  };
  const readLocal = (rel: string) => readRecords(readFileSync(join(curatedDir, rel), 'utf8'), rel);
  const outputs: Output[] = [];
  const write = (name: string, file: string, columns: string[], rows: CsvValue[][]) => {
    let body: Buffer = Buffer.from(formatCsv(columns, rows), 'utf8');
    let target = file;
    if (body.length > GZIP_OVER_BYTES) {
      // mtime 0 in the gzip header (Node's default) keeps rebuilds byte-identical.
      body = gzipSync(body, { level: 9 });
      target = `${file}.gz`;
    }
    writeFileSync(join(outDir, target), body);
    outputs.push({ name, file: target, rows: rows.length, bytes: body.length });
  };

  const icd10 = read('icd10cm/icd10cm_order_FY2021.csv');
  expectCount('icd10cm', icd10, 95358);
  write(
    'icd10cm',
    'icd10cm.csv',
    ['code', 'description', 'billable', 'short_description'],
    icd10.map((r) => [
      r.icd_10_cm_code.toUpperCase(),
      clean(r.long_description),
      flag(r.billable_flag, 'icd10cm'),
      clean(r.short_description),
    ]),
  );

  for (const [name, file, expected] of [
    ['icd9cm_dx', 'icd9cm_v32_diagnosis.csv', 14567],
    ['icd9cm_pcs', 'icd9cm_v32_procedure.csv', 3882],
  ] as const) {
    const rows = read(`icd9cm-v32/${file}`);
    expectCount(name, rows, expected);
    write(
      name,
      `${name}.csv`,
      ['code', 'description', 'short_description'],
      rows.map((r) => [r.icd9_code.toUpperCase(), clean(r.long_description), clean(r.short_description)]),
    );
  }

  const tuva = (file: string) => read(`tuva-terminology/${file}`);
  const pos = tuva('terminology__place_of_service.csv');
  expectCount('place_of_service', pos, 50);
  write(
    'place_of_service',
    'place_of_service.csv',
    ['code', 'description'],
    pos.map((r) => [r.place_of_service_code, clean(r.place_of_service_description)]),
  );

  const tob = tuva('terminology__bill_type.csv');
  expectCount('bill_type', tob, 1701);
  write(
    'bill_type',
    'bill_type.csv',
    ['code', 'description', 'deprecated', 'deprecated_date'],
    tob.map((r) => [
      r.bill_type_code,
      clean(r.bill_type_description),
      flag(r.deprecated, 'bill_type'),
      orNull(r.deprecated_date),
    ]),
  );

  const rev = tuva('terminology__revenue_center.csv');
  expectCount('revenue_center', rev, 526);
  write(
    'revenue_center',
    'revenue_center.csv',
    ['code', 'description'],
    rev.map((r) => [r.revenue_center_code, clean(r.revenue_center_description)]),
  );

  const drg = tuva('terminology__ms_drg.csv');
  expectCount('ms_drg', drg, 812);
  write(
    'ms_drg',
    'ms_drg.csv',
    ['code', 'description', 'mdc_code', 'medical_surgical', 'deprecated', 'deprecated_date'],
    drg.map((r) => {
      // The seed writes MDCs as `MDC 06` for current DRGs and `06` for some deprecated ones.
      const mdc = r.mdc_code.replace(/^MDC\s*/i, '');
      if (mdc !== '' && !/^\d{2}$/.test(mdc))
        throw new Error(`ms_drg ${r.ms_drg_code}: odd MDC ${r.mdc_code}`);
      const ms = r.medical_surgical.toUpperCase();
      const kind = ms === 'M' ? 'medical' : ms === 'P' || ms === 'SURGICAL' ? 'surgical' : null;
      if (ms !== '' && kind === null)
        throw new Error(`ms_drg ${r.ms_drg_code}: odd medical_surgical ${r.medical_surgical}`);
      return [
        r.ms_drg_code,
        clean(r.ms_drg_description),
        mdc === '' ? null : mdc,
        kind,
        flag(r.deprecated, 'ms_drg'),
        orNull(r.deprecated_date),
      ];
    }),
  );

  const mdc = tuva('terminology__mdc.csv');
  expectCount('mdc', mdc, 25);
  write(
    'mdc',
    'mdc.csv',
    ['code', 'description'],
    mdc.map((r) => [r.mdc_code, clean(r.mdc_description)]),
  );

  const dd = tuva('terminology__discharge_disposition.csv');
  expectCount('discharge_disposition', dd, 44);
  write(
    'discharge_disposition',
    'discharge_disposition.csv',
    ['code', 'description'],
    dd.map((r) => [r.discharge_disposition_code, clean(r.discharge_disposition_description)]),
  );

  const hcpcs = tuva('terminology__hcpcs_level_2.csv');
  expectCount('hcpcs_level2 source records', hcpcs, 7501);
  // CMS record layout: RECID 3/7 start a procedure/modifier, 4/8 continue its long description.
  const hcpcsRows: CsvValue[][] = [];
  for (const r of hcpcs) {
    if (r.recid === '4' || r.recid === '8') {
      const last = hcpcsRows.at(-1);
      if (!last || last[0] !== r.hcpcs)
        throw new Error(`hcpcs ${r.hcpcs}: continuation without its first record`);
      last[1] = clean(`${last[1]} ${r.long_description}`);
      continue;
    }
    if (r.recid !== '3' && r.recid !== '7') throw new Error(`hcpcs ${r.hcpcs}: unknown record id ${r.recid}`);
    hcpcsRows.push([
      r.hcpcs.toUpperCase(),
      clean(r.long_description),
      orNull(r.short_description),
      r.recid === '3' ? 'procedure' : 'modifier',
    ]);
  }
  write('hcpcs_level2', 'hcpcs_level2.csv', ['code', 'description', 'short_description', 'kind'], hcpcsRows);

  const ccsr = tuva('ccsr_descriptions.csv');
  expectCount('ccsr_category', ccsr, 544);
  const bodySystems = new Map(
    tuva('ccsr__dxccsr_v2023_1_body_systems.csv').map((r) => [
      r.ccsr_parent_category,
      clean(r.body_system.replace(/\(added in v[\d.]+\)/, '')),
    ]),
  );
  write(
    'ccsr_category',
    'ccsr_category.csv',
    ['code', 'description', 'body_system', 'body_system_description'],
    ccsr.map((r) => {
      // The default-only codes (XXX000, NoDX1, InvlDX) belong to no body system.
      const system = bodySystems.has(r.ccsr.slice(0, 3)) ? r.ccsr.slice(0, 3) : null;
      return [r.ccsr, clean(r.ccsr_description), system, system ? (bodySystems.get(system) ?? null) : null];
    }),
  );

  const active = read('carc/claim_adjustment_reason_codes.csv');
  expectCount('carc active', active, 291);
  const corrections = new Map(
    readLocal('sources/carc-corrections.csv').map((r) => [r.carc_code, r.description]),
  );
  const retired = readLocal('sources/x12-carc-retired.csv');
  expectCount('carc retired', retired, 110);
  const carcRows: CsvValue[][] = [
    ...active.map((r) => [
      r.carc_code,
      clean(corrections.get(r.carc_code) ?? r.description),
      'active',
      null,
      null,
    ]),
    ...retired.map((r) => [
      r.carc_code,
      clean(r.description),
      'retired',
      orNull(r.stop_date),
      orNull(r.notes),
    ]),
  ];
  carcRows.sort((a, b) => carcOrder(String(a[0]), String(b[0])));
  const carcCodes = carcRows.map((r) => String(r[0]));
  if (new Set(carcCodes).size !== carcCodes.length)
    throw new Error('carc: a code is both active and retired');
  write('carc', 'carc.csv', ['code', 'description', 'status', 'stop_date', 'notes'], carcRows);

  // The root-cause mapping is curated by hand; the build only proves it covers every CARC with a known category.
  const categories = new Set(readLocal('denial_root_cause.csv').map((r) => r.code));
  const mapping = readLocal('carc_root_cause.csv');
  const mapped = new Set(mapping.map((r) => r.carc_code));
  const unmapped = carcCodes.filter((c) => !mapped.has(c));
  const badCategory = mapping
    .filter((r) => !categories.has(r.root_cause))
    .map((r) => `${r.carc_code}:${r.root_cause}`);
  if (unmapped.length > 0 || badCategory.length > 0) {
    throw new Error(
      `carc_root_cause.csv: unmapped CARCs [${unmapped.join(', ')}], unknown categories [${badCategory.join(', ')}]`,
    );
  }

  const openemr = readFileSync(join(curatedDir, 'sources/openemr-rarc-fragment.php.txt'), 'utf8');
  const rarc = parsePhpCodeArray(openemr);
  expectCount('rarc', rarc, 1083);
  write(
    'rarc',
    'rarc.csv',
    ['code', 'description'],
    rarc.map(([code, text]) => [code, clean(text)]),
  );

  const clp02 = read('carc/claim_status_codes_clp02.csv');
  expectCount('clp02_claim_status', clp02, 17);
  write(
    'clp02_claim_status',
    'clp02_claim_status.csv',
    ['code', 'description'],
    clp02.map((r) => [r.clp02_code, clean(r.description)]),
  );

  const poverty: CsvValue[][] = [];
  for (const p of POVERTY) {
    for (let size = 1; size <= 8; size++)
      poverty.push([p.year, p.region, size, p.base + (size - 1) * p.step, p.step]);
  }
  write(
    'poverty_guidelines',
    'poverty_guidelines.csv',
    ['year', 'region', 'household_size', 'guideline_amount', 'additional_person_amount'],
    poverty,
  );

  write(
    'restricted_zip3',
    'restricted_zip3.csv',
    ['code', 'description'],
    RESTRICTED_ZIP3.map((z) => [
      z,
      'Three-digit ZCTA with 20,000 or fewer people in Census 2000; Safe Harbor replaces it with 000.',
    ]),
  );
  return outputs;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  const shared = arg('--shared') ?? join(ROOT, '..', 'shared', 'datasets', 'code-sets');
  const out = arg('--out') ?? join(ROOT, 'data', 'codesets');
  for (const o of buildCodesets(shared, out)) {
    console.log(`${o.name.padEnd(22)} ${String(o.rows).padStart(7)} rows  ${o.file} (${o.bytes} bytes)`);
  }
}
