// HIPAA Safe Harbor de-identified export (45 CFR 164.514(b)(2)): input tables (and chosen marts)
// written as CSV or Parquet with identifiers removed or re-tokenized, dates cut to years, ZIPs to 3 digits.
// The files are always written by DuckDB (its CSV and Parquet writers, the HMAC as a bound parameter):
// on a PostgreSQL warehouse each relation's needed columns are streamed into an in-memory DuckDB first
// (export-postgres.ts), so both engines write the same files and the key never reaches the server.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { type DuckDBValue, listValue } from '@duckdb/node-api';
import { codesetsDir } from '../codesets/registry.ts';
import { ident, literal, type Warehouse } from '../engine/duckdb.ts';
import { ClaimlensError, UsageError } from '../errors.ts';
import { INPUT_SCHEMA, INPUT_TABLES } from '../input/contract.ts';
import type { ColumnSpec, PhiClass } from '../input/spec.ts';
import { AccessDeniedError } from './errors.ts';
import { familyOf, hmacParams, tokenSql } from './hmac.ts';

export type ExportFormat = 'csv' | 'parquet';

export interface ExportOptions {
  /** Folder to write; must lie inside `allowedDir` and be absent or empty. */
  out: string;
  /** The only folder exports may go under (governance.exportDir). */
  allowedDir: string;
  format?: ExportFormat;
  /** Input tables to export (default: every one holding person data, plus payer, provider, finance_ledger). */
  tables?: readonly string[];
  /** Marts to export as well, de-identified by column name and type. */
  marts?: readonly string[];
  /** Reference date of the age-90 rule (default today). */
  asOf?: string;
}

export interface ExportedFile {
  relation: string;
  file: string;
  rows: number;
  columns: string[];
  /** Columns left out (direct identifiers, free-text numbers, lineage). */
  dropped: string[];
}

export interface ExportReport {
  dir: string;
  format: ExportFormat;
  files: ExportedFile[];
  /** Tables not exported by default, with the reason. */
  skipped: { relation: string; reason: string }[];
}

/**
 * Safe Harbor (b)(2)(i)(R) "any other unique identifying number": free-text numbers that could point
 * back to a person or a sole proprietor (a TIN can be an SSN), dropped whatever their table.
 */
const DROP_ALWAYS = new Set([
  // (b)(2)(i)(G): even a token of an SSN has no analytic use worth the derived code.
  'social_security_number',
  'trace_number',
  'prior_authorization_number',
  'rendering_tin',
  'billing_tin',
  'tin',
  '_source_file',
  '_source_line',
  '_loaded_at',
]);

const ZIP_COLUMN = /(^|_)zip(_code)?$/;

/** Tables left out unless asked for: reference data keyed by five-digit ZIP, public and not about people. */
const NOT_BY_DEFAULT: Record<string, string> = {
  area_deprivation:
    'reference data keyed by five-digit ZIP (public, about areas not people); ask for it with --tables',
};

/**
 * Resolves `out` and refuses it unless it lies inside `allowedDir` (symlinks resolved, so a link
 * inside the folder cannot point outside) and is absent or empty.
 */
export function resolveExportDir(out: string, allowedDir: string): string {
  const root = resolve(allowedDir);
  mkdirSync(root, { recursive: true });
  const realRoot = realpathSync(root);
  const target = resolve(root, out);
  // Resolve the deepest existing ancestor for real, then add the parts still to be created.
  let existing = target;
  const rest: string[] = [];
  while (!existsSync(existing)) {
    rest.unshift(basename(existing));
    existing = dirname(existing);
  }
  const real = join(realpathSync(existing), ...rest);
  const rel = relative(realRoot, real);
  if (rel === '' || rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel)) {
    throw new AccessDeniedError(
      'forbidden_export',
      `exports may only be written in a folder under ${realRoot} (governance.exportDir), not ${real}`,
    );
  }
  if (existsSync(real) && readdirSync(real).length > 0) {
    throw new UsageError(`export folder ${real} is not empty: choose a new folder`);
  }
  return real;
}

/** Restricted three-digit ZIP areas: the warehouse's code set when loaded, else the shipped list. */
async function restrictedZip3(wh: Warehouse): Promise<string[]> {
  if (await wh.tableExists('codes', 'restricted_zip3')) {
    return (await wh.all<{ code: string }>('SELECT code FROM codes.restricted_zip3')).map((r) => r.code);
  }
  const text = readFileSync(join(codesetsDir(), 'restricted_zip3.csv'), 'utf8');
  return text
    .split('\n')
    .slice(1)
    .map((l) => l.split(',')[0]!.trim())
    .filter((c) => /^\d{3}$/.test(c));
}

interface Column {
  name: string;
  /** DuckDB or contract type. */
  isDate: boolean;
  phi: PhiClass | undefined;
}

/** Output name of a date reduced to its year: `birth_date` -> `birth_year`. */
function yearName(name: string): string {
  return name.endsWith('_date') ? `${name.slice(0, -5)}_year` : `${name}_year`;
}

const PHI_BY_NAME = new Map<string, PhiClass>();
for (const t of INPUT_TABLES) for (const c of t.columns) if (c.phi) PHI_BY_NAME.set(c.name, c.phi);

/**
 * The SELECT list of a relation under Safe Harbor. Person-linked relations (those with an identifier
 * or a claim, encounter or payment key) have every date reduced to its year (b)(2)(i)(C); birth years
 * that could show an age of 90 or more are withheld and flagged instead. Identifiers and keys become
 * export-scoped tokens; direct identifiers are dropped (A, D-F, ...); ZIPs keep 3 digits (B).
 */
function plan(
  columns: readonly Column[],
  asOfYear: number,
): { select: string[]; names: string[]; dropped: string[]; read: string[] } {
  const personLinked = columns.some((c) => c.phi === 'identifier' || familyOf(c.name) !== undefined);
  const select: string[] = [];
  const names: string[] = [];
  const dropped: string[] = [];
  const out = (sql: string, name: string) => {
    select.push(`${sql} AS ${ident(name)}`);
    names.push(name);
  };
  for (const c of columns) {
    const col = ident(c.name);
    const family = familyOf(c.name);
    if (DROP_ALWAYS.has(c.name) || c.phi === 'direct' || (c.phi === 'geo' && !ZIP_COLUMN.test(c.name))) {
      dropped.push(c.name);
    } else if (family !== undefined) {
      out(tokenSql(col, family, 'k.__inner', 'k.__outer'), c.name);
    } else if (ZIP_COLUMN.test(c.name)) {
      // (b)(2)(i)(B): the first three digits, or 000 where the three-digit area has 20,000 people or fewer.
      out(
        `CASE WHEN ${col} IS NULL OR ${col} = '' THEN NULL WHEN list_contains(k.__zip3, left(${col}, 3)) THEN '000' ELSE left(${col}, 3) END`,
        c.name.replace(/_code$/, '3').replace(/zip$/, 'zip3'),
      );
    } else if (c.isDate && personLinked) {
      if (c.name === 'birth_date') {
        // (b)(2)(i)(C): ages over 89 and the birth years that would show them fall into one category.
        out(`CASE WHEN year(${col}) <= ${asOfYear - 90} THEN NULL ELSE year(${col}) END`, 'birth_year');
        out(`year(${col}) <= ${asOfYear - 90}`, 'age_90_or_over');
      } else {
        out(`year(${col})`, yearName(c.name));
      }
    } else if (/^age(_.+)?$|_age$/.test(c.name)) {
      out(`CASE WHEN ${col} >= 90 THEN 90 ELSE ${col} END`, c.name);
    } else {
      out(col, c.name);
    }
  }
  const gone = new Set(dropped);
  return { select, names, dropped, read: columns.map((c) => c.name).filter((c) => !gone.has(c)) };
}

async function columnsOf(wh: Warehouse, schema: string, table: string): Promise<Column[]> {
  const rows = await wh.all<{ column_name: string; data_type: string }>(
    'SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position',
    [schema, table],
  );
  const spec = schema === INPUT_SCHEMA ? INPUT_TABLES.find((t) => t.name === table) : undefined;
  return rows.map((r) => {
    const declared: ColumnSpec | undefined = spec?.columns.find((c) => c.name === r.column_name);
    return {
      name: r.column_name,
      // DuckDB says DATE/TIMESTAMP..., PostgreSQL date/timestamp without time zone.
      isDate: /^(DATE|TIMESTAMP)/i.test(r.data_type),
      phi: spec ? declared?.phi : PHI_BY_NAME.get(r.column_name),
    };
  });
}

/**
 * Writes the de-identified export. Tokens are HMACs under a random key made for this export and
 * never stored, so they join across the export's files but match neither the warehouse's tokens nor
 * another export's (docs/governance.md explains why warehouse tokens must not leave). A final scan of
 * the written files refuses the export, deleting it, if anything still looks like an identifier.
 *
 * @example await exportDeidentified(wh, { out: 'study-1', allowedDir: 'exports', format: 'parquet' })
 */
export async function exportDeidentified(wh: Warehouse, options: ExportOptions): Promise<ExportReport> {
  const format = options.format ?? 'csv';
  const dir = resolveExportDir(options.out, options.allowedDir);
  const asOf = options.asOf ?? new Date().toISOString().slice(0, 10);
  const asOfYear = Number(asOf.slice(0, 4));
  const relations: { schema: string; table: string }[] = [];
  const skipped: ExportReport['skipped'] = [];
  for (const t of options.tables ?? INPUT_TABLES.map((s) => s.name)) {
    if (!INPUT_TABLES.some((s) => s.name === t)) throw new UsageError(`unknown input table '${t}'`);
    if (!options.tables && NOT_BY_DEFAULT[t])
      skipped.push({ relation: `input.${t}`, reason: NOT_BY_DEFAULT[t] });
    else relations.push({ schema: INPUT_SCHEMA, table: t });
  }
  for (const m of options.marts ?? []) relations.push({ schema: 'marts', table: m });
  for (const r of relations) {
    if (!(await wh.tableExists(r.schema, r.table))) {
      throw new ClaimlensError(
        'warehouse',
        `the warehouse has no ${r.schema}.${r.table}: load or build it first`,
      );
    }
  }
  const params: DuckDBValue[] = [...hmacParams(randomBytes(32)), listValue(await restrictedZip3(wh))];
  mkdirSync(dir, { recursive: true });
  const files: ExportedFile[] = [];
  const writer = await exportWriter(wh);
  try {
    for (const r of relations) {
      const p = plan(await columnsOf(wh, r.schema, r.table), asOfYear);
      const file = join(dir, `${r.schema === INPUT_SCHEMA ? '' : `${r.schema}.`}${r.table}.${format}`);
      const to = format === 'csv' ? '(FORMAT csv, HEADER)' : '(FORMAT parquet)';
      const source = await writer.stage(r, p.read);
      await writer.duck.run(
        // Every statement binds the same three parameters, used or not, through a one-row relation.
        `COPY (WITH k AS (SELECT $1::BLOB AS __inner, $2::BLOB AS __outer, $3::VARCHAR[] AS __zip3) ` +
          `SELECT ${p.select.join(', ')} FROM ${source} CROSS JOIN k) TO ${literal(file)} ${to}`,
        params,
      );
      const n = await writer.duck.one<{ n: number }>(`SELECT count(*) AS n FROM ${source}`);
      await writer.release(source);
      files.push({
        relation: `${r.schema}.${r.table}`,
        file,
        rows: n?.n ?? 0,
        columns: p.names,
        dropped: p.dropped,
      });
    }
    const findings = await scanExport(writer.duck, dir);
    if (findings.length > 0) {
      throw new ClaimlensError(
        'config',
        `export refused: identifiers survived de-identification (${findings
          .slice(0, 5)
          .map((f) => `${basename(f.file)}: ${f.kind}`)
          .join('; ')}); nothing was written`,
      );
    }
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  } finally {
    await writer.close();
  }
  return { dir, format, files, skipped };
}

/** The DuckDB that writes an export's files, and where it reads each relation from. */
export interface ExportWriter {
  duck: Warehouse;
  /** The relation (quoted SQL name in `duck`) holding at least `columns` of `r`. */
  stage(r: { schema: string; table: string }, columns: readonly string[]): Promise<string>;
  /** Called when the relation has been written. */
  release(relation: string): Promise<void>;
  close(): Promise<void>;
}

async function exportWriter(wh: Warehouse): Promise<ExportWriter> {
  if (wh.engine === 'postgres') return (await import('./export-postgres.ts')).postgresExportWriter(wh);
  // DuckDB reads its own tables; the columns the plan drops are never selected.
  return {
    duck: wh,
    stage: async (r) => `${ident(r.schema)}.${ident(r.table)}`,
    release: async () => undefined,
    close: async () => undefined,
  };
}

export interface ExportFinding {
  file: string;
  kind: 'ssn' | 'email' | 'phone' | 'full_date' | 'zip5';
  example: string;
}

// Patterns of identifiers that must not survive; any match refuses the export.
const TEXT_PATTERNS: { kind: ExportFinding['kind']; re: string }[] = [
  { kind: 'ssn', re: '(^|[^0-9])[0-9]{3}-[0-9]{2}-[0-9]{4}([^0-9]|$)' },
  { kind: 'email', re: '[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}' },
  { kind: 'phone', re: '(^|[^0-9])\\(?[0-9]{3}\\)?[-. ][0-9]{3}[-. ][0-9]{4}([^0-9]|$)' },
  { kind: 'full_date', re: '(^|[^0-9])(1[89]|20)[0-9]{2}-[01][0-9]-[0-3][0-9]' },
];

/**
 * Scans every file of an export for values that look like identifiers: SSNs, emails, phone numbers,
 * full dates, and five-digit values in ZIP columns. Finance-ledger months are calendar dates of the
 * business, not of a person, and are skipped.
 */
export async function scanExport(wh: Warehouse, dir: string): Promise<ExportFinding[]> {
  const findings: ExportFinding[] = [];
  for (const name of readdirSync(dir).sort()) {
    const file = join(dir, name);
    const reader = name.endsWith('.parquet')
      ? `read_parquet(${literal(file)})`
      : `read_csv(${literal(file)}, all_varchar = true, header = true)`;
    const cols = (await wh.all<{ column_name: string }>(`DESCRIBE SELECT * FROM ${reader}`)).map(
      (c) => c.column_name,
    );
    const text = cols
      .filter((c) => !(name.startsWith('finance_ledger') && c === 'ledger_month'))
      .map((c) => `coalesce(CAST(${ident(c)} AS VARCHAR), '')`);
    if (text.length === 0) continue;
    const row = `concat_ws('|', ${text.join(', ')})`;
    for (const p of TEXT_PATTERNS) {
      const hit = await wh.one<{ v: string }>(
        `SELECT ${row} AS v FROM ${reader} WHERE regexp_matches(${row}, ${literal(p.re)}) LIMIT 1`,
      );
      if (hit) findings.push({ file, kind: p.kind, example: hit.v.slice(0, 80) });
    }
    for (const c of cols.filter((x) => /zip/.test(x))) {
      const hit = await wh.one<{ v: string }>(
        `SELECT CAST(${ident(c)} AS VARCHAR) AS v FROM ${reader} WHERE regexp_matches(CAST(${ident(c)} AS VARCHAR), '^[0-9]{4,5}') LIMIT 1`,
      );
      if (hit) findings.push({ file, kind: 'zip5', example: hit.v });
    }
  }
  return findings;
}
