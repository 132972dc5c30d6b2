// CMS DE-SynPUF (2008-2010 Data Entrepreneurs' Synthetic Public Use File) as a source adapter:
// beneficiary summaries become eligibility spans, inpatient and outpatient claims institutional
// medical_claim lines, carrier claims professional lines and prescription drug events pharmacy
// claims. Every mapping is one SQL statement in the scratch database; the mapping table and the
// choices are in docs/sources/synpuf.md.
import { readdirSync } from 'node:fs';
import { ident, literal } from '../../engine/duckdb.ts';
import type {
  ConvertContext,
  SourceAdapter,
  SourceFileReport,
  SourceGap,
  SourceReject,
  SourceReport,
} from '../adapter.ts';
import { registerSource } from '../registry.ts';
import { readSourceCsv, sourceError, writeTable } from '../staging.ts';
import {
  CARRIER_COLUMNS,
  carrierSql,
  INPATIENT,
  type InstitutionalFile,
  institutionalColumns,
  institutionalSql,
  OUTPATIENT,
} from './claims.ts';
import { BENEFICIARY_COLUMNS, COVERAGE, eligibilitySql } from './eligibility.ts';
import { type SynpufFile, type SynpufKind, synpufFiles } from './files.ts';
import { PDE_COLUMNS, pharmacySql } from './pharmacy.ts';
import { DRG, HCPCS, NPI } from './sql.ts';

const TITLES: Record<SynpufKind, string> = {
  beneficiary: 'beneficiary summary',
  inpatient: 'inpatient claims',
  outpatient: 'outpatient claims',
  carrier: 'carrier claims',
  pde: 'prescription drug events',
};

/** Below this share of beneficiary-NDC pairs with a second fill, NDCs cannot carry adherence (ndc_codes gap). */
export const REFILL_SHARE = 0.1;

/** Source rejects recorded per file at most (the warning counts them all). */
const MAX_REJECTS = 1000;

const ORDER: SynpufKind[] = ['beneficiary', 'inpatient', 'outpatient', 'carrier', 'pde'];

/** What DE-SynPUF never carries, whatever files the folder holds. */
export const SYNPUF_GAPS: readonly SourceGap[] = [
  {
    capability: 'claim_status',
    reason:
      'DE-SynPUF inpatient, outpatient and drug-event records are final-action claims without an adjudication status (no denied or pending claims); only carrier lines carry a processing indicator, so denial rates cannot be computed',
  },
  {
    capability: 'adjustment_reasons',
    reason: 'DE-SynPUF has no remittances, so no CARC or RARC adjustment codes',
  },
  { capability: 'submission_dates', reason: 'DE-SynPUF claims carry no submission (receipt) date' },
  { capability: 'paid_dates', reason: 'DE-SynPUF claims carry no payment or processing date' },
  {
    capability: 'charge_amounts',
    reason:
      'DE-SynPUF carries no billed charges (only Medicare payments, cost sharing and, on carrier lines, allowed charges); charge_amount is loaded as 0',
  },
  {
    capability: 'payments',
    reason: 'DE-SynPUF has no payment transactions (no remittances, no patient payments)',
  },
  { capability: 'ehr_encounters', reason: 'DE-SynPUF is claims only: there are no EHR encounters' },
  { capability: 'finance_ledger', reason: 'DE-SynPUF has no finance ledger' },
  {
    capability: 'icd10_diagnoses',
    reason:
      'DE-SynPUF (2008-2010) codes diagnoses and procedures in ICD-9-CM, and the ICD-10-CM groupers (CCSR, PQI, planned readmissions) do not apply',
  },
  { capability: 'prior_authorization', reason: 'DE-SynPUF claims carry no prior-authorization number' },
  {
    capability: 'facility_npi',
    reason:
      'DE-SynPUF institutional claims identify the hospital by a perturbed CMS provider number (PRVDR_NUM), not by an NPI',
  },
];

/** Where a record number and value of a column that failed its pattern is reported. */
interface Invalid {
  column: string;
  n: number;
  first: number;
  examples: string;
}

/** Values of `columns` in `table` that are given but do not match `pattern` (they are loaded empty). */
async function invalidValues(
  ctx: ConvertContext,
  table: string,
  columns: readonly string[],
  pattern: string,
): Promise<Invalid[]> {
  if (columns.length === 0) return [];
  const parts = columns.map(
    (c) =>
      `SELECT ${literal(c)} AS column, count(*) AS n, min(_record) AS first, ` +
      `string_agg(DISTINCT v, ', ' ORDER BY v) AS examples FROM (SELECT _record, trim(${ident(c)}) AS v ` +
      `FROM ${ident(table)} WHERE nullif(trim(${ident(c)}), '') IS NOT NULL ` +
      `AND NOT regexp_full_match(upper(trim(${ident(c)})), ${literal(pattern)}))`,
  );
  const rows = await ctx.db.all<Invalid>(`SELECT * FROM (${parts.join(' UNION ALL ')}) WHERE n > 0`);
  return rows.map((r) => ({ ...r, n: Number(r.n), first: Number(r.first) }));
}

function describeInvalid(file: string, what: string, rows: Invalid[]): string[] {
  return rows.map((r) => {
    const examples = r.examples.length > 60 ? `${r.examples.slice(0, 57)}...` : r.examples;
    return `${file}: ${r.n} ${r.column} value${r.n > 1 ? 's are' : ' is'} not ${what} and ${r.n > 1 ? 'were' : 'was'} left empty (first at record ${r.first}; ${examples})`;
  });
}

const names = (prefix: string, n: number) => Array.from({ length: n }, (_, k) => `${prefix}${k + 1}`);

function requiredColumns(kind: SynpufKind): readonly string[] {
  switch (kind) {
    case 'beneficiary':
      return BENEFICIARY_COLUMNS;
    case 'inpatient':
      return institutionalColumns(INPATIENT);
    case 'outpatient':
      return institutionalColumns(OUTPATIENT);
    case 'carrier':
      return CARRIER_COLUMNS;
    case 'pde':
      return PDE_COLUMNS;
  }
}

function partName(file: string): string {
  return file.replace(/\.csv$/i, '');
}

/** Reads every file of a kind into scratch tables, seen together as the view `kind` with `_file`, `_record` and `_year`. */
async function readKind(ctx: ConvertContext, kind: SynpufKind, files: SynpufFile[]): Promise<number[]> {
  const counts: number[] = [];
  const selects: string[] = [];
  for (const [i, f] of files.entries()) {
    if (kind === 'beneficiary' && f.year === undefined) {
      throw sourceError(f.file, 'a beneficiary summary file must name one year (DE1_0_2008_Beneficiary_...)');
    }
    ctx.progress(`reading ${f.file}`);
    const table = `${kind}_${i}`;
    counts.push(await readSourceCsv(ctx, { file: f.file, table, required: requiredColumns(kind) }));
    selects.push(
      `SELECT ${literal(f.file)} AS _file, ${f.year ?? 'NULL'}::INTEGER AS _year, * FROM ${ident(table)}`,
    );
  }
  // A view, not a copy: a carrier file of a full sample is over a gigabyte of text.
  await ctx.db.run(`CREATE OR REPLACE VIEW ${ident(kind)} AS ${selects.join(' UNION ALL BY NAME ')}`);
  return counts;
}

/** Drops the scratch tables and the view of a kind once it is mapped. */
async function dropKind(ctx: ConvertContext, kind: SynpufKind, files: number): Promise<void> {
  await ctx.db.run(`DROP VIEW ${ident(kind)}`);
  for (let i = 0; i < files; i++) await ctx.db.run(`DROP TABLE ${ident(`${kind}_${i}`)}`);
}

/** Writes the mapped rows of `out` (with `_file`) as one part per source file; returns rows per file. */
async function writeParts(
  ctx: ConvertContext,
  table: string,
  out: string,
  files: SynpufFile[],
): Promise<number[]> {
  const rows: number[] = [];
  for (const f of files) {
    rows.push(
      await writeTable(
        ctx,
        table,
        partName(f.file),
        `SELECT * EXCLUDE (_file, _record) FROM ${ident(out)} WHERE _file = ${literal(f.file)} ORDER BY rowid`,
      ),
    );
  }
  return rows;
}

async function count(ctx: ConvertContext, sql: string): Promise<number> {
  const row = await ctx.db.one<{ n: number | bigint }>(`SELECT count(*) AS n FROM (${sql})`);
  return Number(row?.n ?? 0);
}

async function convert(ctx: ConvertContext): Promise<SourceReport> {
  const entries = readdirSync(ctx.dir)
    .filter((e) => !e.startsWith('.'))
    .sort();
  const found = synpufFiles(entries);
  const byKind = (kind: SynpufKind) => found.filter((f) => f.kind === kind);
  if (byKind('beneficiary').length === 0) {
    throw sourceError(
      ctx.dir,
      'no DE-SynPUF beneficiary summary file (DE1_0_<year>_Beneficiary_Summary_File_Sample_<n>.csv): ' +
        'eligibility comes from it, add the beneficiary summaries of the sample',
    );
  }
  if (!found.some((f) => f.kind === 'inpatient' || f.kind === 'outpatient' || f.kind === 'carrier')) {
    throw sourceError(
      ctx.dir,
      'no DE-SynPUF claims file (Inpatient_Claims, Outpatient_Claims or Carrier_Claims): medical claims are required',
    );
  }
  const files: SourceFileReport[] = [];
  const tables: Record<string, number> = {};
  const warnings: string[] = [];
  const rejects: SourceReject[] = [];
  const add = (table: string, n: number) => {
    tables[table] = (tables[table] ?? 0) + n;
  };

  // Each kind is read, checked, mapped and written, then its scratch tables are dropped: only small
  // summaries (payers, codes present) are kept for the payer table and the gaps.
  await ctx.db.run('CREATE TABLE claim_summary (kind VARCHAR, payer VARCHAR, hcpcs BIGINT, npi BIGINT)');
  const summarize = (kind: string, out: string, codes: boolean) =>
    ctx.db.run(
      `INSERT INTO claim_summary SELECT '${kind}', payer, ` +
        `${codes ? 'count(hcpcs_code), count(rendering_npi)' : '0, 0'} FROM ${ident(out)} GROUP BY payer`,
    );

  // Beneficiary summaries: eligibility spans.
  const bene = byKind('beneficiary');
  const beneRecords = await readKind(ctx, 'beneficiary', bene);
  for (const c of COVERAGE) {
    const bad = await ctx.db.all<{ _file: string; n: number; first: number }>(
      `SELECT _file, count(*) AS n, min(_record) AS first FROM beneficiary WHERE nullif(trim(${ident(c.column)}), '') IS NOT NULL ` +
        `AND NOT coalesce(TRY_CAST(trim(${ident(c.column)}) AS INTEGER) BETWEEN 0 AND 12, false) GROUP BY _file ORDER BY _file`,
    );
    for (const b of bad) {
      warnings.push(
        `${b._file}: ${b.n} ${c.column} value(s) are not 0 to 12 months, no ${c.plan} span (first at record ${b.first})`,
      );
    }
  }
  await ctx.db.run(`CREATE TABLE out_eligibility AS ${eligibilitySql('beneficiary')}`);
  const noCoverage = await count(
    ctx,
    'SELECT DISTINCT trim(DESYNPUF_ID) FROM beneficiary EXCEPT SELECT person_id FROM out_eligibility',
  );
  if (noCoverage > 0) {
    warnings.push(
      `${noCoverage} beneficiar${noCoverage > 1 ? 'ies have' : 'y has'} no month of Part A, B, D or HMO coverage in any year: no eligibility span (their claims count as outside enrollment)`,
    );
  }
  await dropKind(ctx, 'beneficiary', bene.length);
  const eligRows = await writeParts(ctx, 'eligibility', 'out_eligibility', bene);
  bene.forEach((f, i) => {
    files.push({ file: f.file, records: beneRecords[i]!, tables: ['eligibility'] });
    add('eligibility', eligRows[i]!);
  });
  await ctx.db.run(
    'CREATE TABLE span_payer AS SELECT payer, min(payer_type) AS payer_type FROM out_eligibility GROUP BY payer',
  );
  await ctx.db.run('DROP TABLE out_eligibility');

  // Institutional claims.
  const institutional: [SynpufKind, InstitutionalFile][] = [
    ['inpatient', INPATIENT],
    ['outpatient', OUTPATIENT],
  ];
  for (const [kind, spec] of institutional) {
    const list = byKind(kind);
    if (list.length === 0) continue;
    const records = await readKind(ctx, kind, list);
    for (const f of list) {
      const one = `${kind}_file`;
      await ctx.db.run(
        `CREATE OR REPLACE TEMP VIEW ${one} AS SELECT * FROM ${ident(kind)} WHERE _file = ${literal(f.file)}`,
      );
      warnings.push(
        ...describeInvalid(f.file, 'a 10-digit NPI', await invalidValues(ctx, one, ['AT_PHYSN_NPI'], NPI)),
        ...describeInvalid(
          f.file,
          'a 5-character HCPCS code',
          await invalidValues(ctx, one, names('HCPCS_CD_', spec.hcpcs), HCPCS),
        ),
        ...(kind === 'inpatient'
          ? describeInvalid(f.file, 'a 3-digit MS-DRG', await invalidValues(ctx, one, ['CLM_DRG_CD'], DRG))
          : []),
      );
      await ctx.db.run(`DROP VIEW ${one}`);
    }
    const out = `out_${kind}`;
    await ctx.db.run(`CREATE TABLE ${out} AS ${institutionalSql(kind, spec)}`);
    await dropKind(ctx, kind, list.length);
    const rows = await writeParts(ctx, 'medical_claim', out, list);
    list.forEach((f, i) => {
      files.push({ file: f.file, records: records[i]!, tables: ['medical_claim'] });
      add('medical_claim', rows[i]!);
    });
    await summarize(kind, out, true);
    await ctx.db.run(`DROP TABLE ${out}`);
  }

  // Carrier claims.
  const carrier = byKind('carrier');
  if (carrier.length > 0) {
    const records = await readKind(ctx, 'carrier', carrier);
    await ctx.db.run(`CREATE TABLE out_carrier AS ${carrierSql('carrier')}`);
    for (const f of carrier) {
      await ctx.db.run(
        `CREATE OR REPLACE TEMP VIEW carrier_file AS SELECT * FROM carrier WHERE _file = ${literal(f.file)}`,
      );
      warnings.push(
        ...describeInvalid(
          f.file,
          'a 10-digit NPI',
          await invalidValues(ctx, 'carrier_file', names('PRF_PHYSN_NPI_', 13), NPI),
        ),
        ...describeInvalid(
          f.file,
          'a 5-character HCPCS code',
          await invalidValues(ctx, 'carrier_file', names('HCPCS_CD_', 13), HCPCS),
        ),
      );
      // A record with no slot in use has nothing to load: it goes to the quarantine as a source reject.
      const empty = await ctx.db.all<{ _record: number; claim_id: string | null }>(
        "SELECT _record, nullif(trim(CLM_ID), '') AS claim_id FROM carrier_file c WHERE NOT EXISTS " +
          '(SELECT 1 FROM out_carrier o WHERE o._file = c._file AND o._record = c._record) ORDER BY _record',
      );
      if (empty.length > 0) {
        warnings.push(
          `${f.file}: ${empty.length} carrier record(s) have no line in use (no HCPCS, NPI, processing indicator or amount) and were not loaded (first at record ${empty[0]!._record})`,
        );
        rejects.push(
          ...empty.slice(0, MAX_REJECTS).map((e) => ({
            table: 'medical_claim',
            file: f.file,
            // Record n is on line n + 1 (header first; DE-SynPUF fields hold no line breaks).
            line: Number(e._record) + 1,
            rule: 'source_synpuf_no_line',
            detail: 'carrier record without a line in use (no HCPCS, NPI, processing indicator or amount)',
            record: `CLM_ID ${e.claim_id ?? '(empty)'}`,
          })),
        );
      }
      await ctx.db.run('DROP VIEW carrier_file');
    }
    await dropKind(ctx, 'carrier', carrier.length);
    const rows = await writeParts(ctx, 'medical_claim', 'out_carrier', carrier);
    carrier.forEach((f, i) => {
      files.push({ file: f.file, records: records[i]!, tables: ['medical_claim'] });
      add('medical_claim', rows[i]!);
    });
    await summarize('carrier', 'out_carrier', true);
    await ctx.db.run('DROP TABLE out_carrier');
  }

  // Prescription drug events.
  const gaps: SourceGap[] = [...SYNPUF_GAPS];
  const pde = byKind('pde');
  if (pde.length > 0) {
    const records = await readKind(ctx, 'pde', pde);
    await ctx.db.run(`CREATE TABLE out_pde AS ${pharmacySql('pde')}`);
    await dropKind(ctx, 'pde', pde.length);
    const rows = await writeParts(ctx, 'pharmacy_claim', 'out_pde', pde);
    pde.forEach((f, i) => {
      files.push({ file: f.file, records: records[i]!, tables: ['pharmacy_claim'] });
      add('pharmacy_claim', rows[i]!);
    });
    // DE-SynPUF draws the NDC of each drug event on its own: a beneficiary almost never fills the same
    // NDC twice, so refill sequences (PDC) and drug classes cannot be followed. Declared when fewer
    // than REFILL_SHARE of beneficiary-NDC pairs have a second fill (real Part D data: most do).
    const fills = await ctx.db.one<{ pairs: number; repeated: number }>(
      'SELECT count(*) AS pairs, count(*) FILTER (WHERE n > 1) AS repeated FROM ' +
        '(SELECT person_id, ndc_code, count(*) AS n FROM out_pde GROUP BY person_id, ndc_code)',
    );
    const pairs = Number(fills?.pairs ?? 0);
    const repeated = Number(fills?.repeated ?? 0);
    if (pairs > 0 && repeated < pairs * REFILL_SHARE) {
      gaps.push({
        capability: 'ndc_codes',
        reason: `DE-SynPUF drug events carry synthetic NDCs that do not repeat (${repeated.toLocaleString('en-US')} of ${pairs.toLocaleString('en-US')} beneficiary-NDC pairs have a second fill), so refills of a drug and drug classes cannot be followed`,
      });
    }
    await summarize('pde', 'out_pde', false);
    await ctx.db.run('DROP TABLE out_pde');
  } else {
    const reason = 'this DE-SynPUF folder has no prescription drug events file';
    gaps.push({ capability: 'pharmacy_claims', reason }, { capability: 'ndc_codes', reason });
  }

  // Payers of the spans and claims.
  add(
    'payer',
    await writeTable(
      ctx,
      'payer',
      'desynpuf',
      "SELECT payer, min(payer_type) AS payer_type, 'desynpuf' AS data_source FROM (" +
        "SELECT payer, payer_type FROM span_payer UNION ALL SELECT payer, 'medicare' FROM claim_summary) " +
        'GROUP BY payer ORDER BY payer',
    ),
  );

  // Gaps that depend on what this folder holds.
  const codes = await ctx.db.one<{ hcpcs: number | bigint | null; npi: number | bigint | null }>(
    "SELECT sum(hcpcs) AS hcpcs, sum(npi) AS npi FROM claim_summary WHERE kind <> 'pde'",
  );
  if (Number(codes?.hcpcs ?? 0) === 0) {
    gaps.push({
      capability: 'procedure_codes',
      reason:
        'no HCPCS codes: DE-SynPUF inpatient claims carry none, and this folder has no outpatient or carrier claims with them',
    });
  }
  if (Number(codes?.npi ?? 0) === 0) {
    gaps.push({
      capability: 'provider_npi',
      reason: 'the DE-SynPUF claims of this folder carry no valid NPI',
    });
  }

  const kinds = ORDER.filter((k) => byKind(k).length > 0).map((k) =>
    k === 'beneficiary'
      ? `${TITLES[k]} ${bene.map((f) => f.year).join(', ')}`
      : `${TITLES[k]}${byKind(k).length > 1 ? ` (${byKind(k).length} files)` : ''}`,
  );
  return {
    format: 'synpuf',
    summary: `CMS DE-SynPUF: ${kinds.join('; ')}; ${Object.entries(tables)
      .map(([t, n]) => `${n.toLocaleString('en-US')} ${t}`)
      .join(', ')}`,
    files,
    tables,
    gaps,
    warnings,
    rejects,
  };
}

export const synpufAdapter: SourceAdapter = {
  format: 'synpuf',
  title: 'CMS DE-SynPUF',
  docs: 'docs/sources/synpuf.md',
  detect(_dir, entries) {
    const files = synpufFiles(entries);
    if (files.length === 0) return undefined;
    const kinds = ORDER.filter((k) => files.some((f) => f.kind === k)).map((k) => TITLES[k]);
    return {
      format: 'synpuf',
      summary: `CMS DE-SynPUF files (${kinds.join(', ')}: ${files.length} file${files.length > 1 ? 's' : ''})`,
      files: files.map((f) => f.file),
    };
  },
  convert,
};

registerSource(synpufAdapter);
