// The flat rows of map.ts, loaded into the scratch DuckDB, joined (EOB to Patient, Coverage, payer
// Organization, Practitioner NPIs and Claim submission dates) and written as input-layer parts.
import { once } from 'node:events';
import { createWriteStream, mkdtempSync, rmSync, statSync, type WriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ident, literal } from '../../engine/duckdb.ts';
import { tableSpec } from '../../input/contract.ts';
import type { ConvertContext } from '../adapter.ts';
import { writeTable } from '../staging.ts';
import { FLAT_TABLES, type FlatRow, type FlatTable } from './map.ts';

/** NDJSON files of flat rows in a scratch folder, written with back-pressure. */
export class FlatWriter {
  readonly dir = mkdtempSync(join(tmpdir(), 'claimlens-fhir-flat-'));
  private readonly streams = new Map<FlatTable, WriteStream>();
  readonly counts: Partial<Record<FlatTable, number>> = {};

  path(table: FlatTable): string {
    return join(this.dir, `${table}.ndjson`);
  }

  async write(table: FlatTable, row: FlatRow): Promise<void> {
    let s = this.streams.get(table);
    if (!s) {
      s = createWriteStream(this.path(table));
      this.streams.set(table, s);
    }
    this.counts[table] = (this.counts[table] ?? 0) + 1;
    const clean: FlatRow = {};
    for (const [k, v] of Object.entries(row)) if (v !== undefined && v !== '') clean[k] = v;
    if (!s.write(`${JSON.stringify(clean)}\n`)) await once(s, 'drain');
  }

  async close(): Promise<void> {
    await Promise.all(
      [...this.streams.values()].map(
        (s) =>
          new Promise<void>((resolve, reject) =>
            s.end((err?: Error | null) => (err ? reject(err) : resolve())),
          ),
      ),
    );
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Loads every flat table into ctx.db as text columns (empty tables when nothing was written). */
export async function loadFlat(ctx: ConvertContext, flat: FlatWriter): Promise<void> {
  for (const [table, columns] of Object.entries(FLAT_TABLES) as [FlatTable, readonly string[]][]) {
    const cols = columns.map((c) => `${ident(c)} VARCHAR`).join(', ');
    await ctx.db.run(`CREATE OR REPLACE TABLE ${ident(table)} (${cols})`);
    if (!flat.counts[table]) continue;
    const path = flat.path(table);
    if (statSync(path).size === 0) continue;
    const spec = `{${columns.map((c) => `${literal(c)}: 'VARCHAR'`).join(', ')}}`;
    await ctx.db.run(
      `INSERT INTO ${ident(table)} SELECT ${columns.map(ident).join(', ')} FROM read_json(${literal(path)}, ` +
        `format = 'newline_delimited', columns = ${spec})`,
    );
  }
}

const SOURCE = `'fhir/' || _file`;

/**
 * Writes the input tables from the flat tables. Returns rows written per table and the join
 * findings the report needs (coverage without patient, EOBs without coverage, ...).
 */
export async function writeInputTables(
  ctx: ConvertContext,
): Promise<{ tables: Record<string, number>; findings: Record<string, number> }> {
  const db = ctx.db;
  // One row per key (a resource exported twice keeps its first copy).
  await db.run('CREATE OR REPLACE TABLE party AS SELECT DISTINCT ON (_key) * FROM fx_party ORDER BY _key');
  await db.run('CREATE OR REPLACE TABLE pat AS SELECT DISTINCT ON (_key) * FROM fx_patient ORDER BY _key');
  await db.run('CREATE OR REPLACE TABLE clm AS SELECT DISTINCT ON (_key) * FROM fx_claim ORDER BY _key');
  // The latest date the export knows (EOBs written, paid or served; fills; coverage starts) closes
  // coverage that has no end date: the export was taken no earlier, and the coverage was active then.
  await db.run(
    `CREATE OR REPLACE TABLE export_end AS SELECT max(d) AS d FROM (
       SELECT max(_known_through) AS d FROM fx_eob UNION ALL SELECT max(claim_end_date) FROM fx_line
       UNION ALL SELECT max(dispensing_date) FROM fx_rx UNION ALL SELECT max(enrollment_start_date) FROM fx_coverage)`,
  );
  await db.run(
    `CREATE OR REPLACE TABLE cov AS SELECT c.* EXCLUDE (enrollment_end_date),
       coalesce(c.enrollment_end_date, greatest((SELECT d FROM export_end), c.enrollment_start_date)) AS enrollment_end_date,
       coalesce(o.name, c._payor_name) AS payer, o.ident AS payer_id,
       coalesce(c._payer_type, o.payer_type) AS payer_type
     FROM (SELECT DISTINCT ON (_key) * FROM fx_coverage ORDER BY _key) c LEFT JOIN party o ON o._key = c._payor_key`,
  );
  await db.run(
    `CREATE OR REPLACE TABLE eobp AS SELECT DISTINCT ON (e.claim_id) e.claim_id,
       coalesce(p.person_id, regexp_extract(e._patient_key, '^Patient/(.+)$', 1)) AS person_id,
       coalesce(c._member_id, p._member_id, p.person_id, regexp_extract(e._patient_key, '^Patient/(.+)$', 1)) AS member_id,
       coalesce(io.name, c.payer, e._insurer_name) AS payer,
       coalesce(io.ident, c.payer_id) AS payer_id,
       coalesce(c.payer_type, io.payer_type) AS payer_type,
       c.plan, cl.created AS submission_date,
       c._key IS NOT NULL AS has_coverage, p._key IS NOT NULL AS has_patient
     FROM fx_eob e LEFT JOIN pat p ON p._key = e._patient_key LEFT JOIN cov c ON c._key = e._coverage_key
       LEFT JOIN party io ON io._key = e._insurer_key LEFT JOIN clm cl ON cl._key = e._claim_key
     ORDER BY e.claim_id, e._file, e._record::BIGINT`,
  );

  const tables: Record<string, number> = {};
  // Optional tables with no rows get no part (the loader would warn about an empty file); a
  // complete source's load empties them anyway.
  const put = async (table: string, select: string) => {
    const rows = Number((await db.one<{ n: number }>(`SELECT count(*) AS n FROM (${select})`))?.n ?? 0);
    if (rows === 0 && !tableSpec(table).requiredFile) return;
    const n = await writeTable(ctx, table, 'fhir', select);
    if (n > 0) tables[table] = n;
  };

  await put(
    'eligibility',
    `SELECT p.person_id, coalesce(c._member_id, p._member_id, p.person_id) AS member_id, c.subscriber_id,
       p.gender, p.race, p.birth_date, p.death_date, p.death_flag, c.enrollment_start_date, c.enrollment_end_date,
       c.payer, coalesce(c.payer_type, 'other') AS payer_type, c.plan, p.first_name, p.last_name,
       p.social_security_number, c.subscriber_relation, p.address, p.city, p.state, p.zip_code, p.phone,
       'fhir/' || c._file AS data_source
     FROM cov c JOIN pat p ON p._key = c._patient_key
     ORDER BY c._file, c._record::BIGINT`,
  );

  await put(
    'payer',
    `SELECT payer, any_value(payer_id) AS payer_id, coalesce(mode(payer_type), 'other') AS payer_type,
       'fhir' AS data_source
     FROM (SELECT payer, payer_id, payer_type FROM cov UNION ALL SELECT payer, payer_id, payer_type FROM eobp)
     WHERE payer IS NOT NULL GROUP BY payer ORDER BY payer`,
  );

  await put(
    'provider',
    `SELECT DISTINCT ON (npi) npi, CASE _kind WHEN 'Practitioner' THEN 'individual' ELSE 'organization' END AS entity_type,
       name AS provider_name, city AS practice_city, state AS practice_state, zip AS practice_zip_code,
       'fhir' AS data_source
     FROM party WHERE npi IS NOT NULL AND name IS NOT NULL ORDER BY npi, _key`,
  );

  await put(
    'medical_claim',
    `SELECT l.* EXCLUDE (_rendering_key, _billing_key, _facility_key, _file, _record, rendering_npi, billing_npi, facility_npi,
         submission_date),
       coalesce(l.rendering_npi, r.npi) AS rendering_npi, coalesce(l.billing_npi, b.npi) AS billing_npi,
       coalesce(l.facility_npi, f.npi) AS facility_npi,
       ep.person_id, ep.member_id, ep.payer, ep.plan,
       coalesce(l.submission_date, ep.submission_date) AS submission_date, ${SOURCE} AS data_source
     FROM fx_line l LEFT JOIN eobp ep USING (claim_id) LEFT JOIN party r ON r._key = l._rendering_key
       LEFT JOIN party b ON b._key = l._billing_key LEFT JOIN party f ON f._key = l._facility_key
     ORDER BY l._file, l._record::BIGINT, l.claim_line_number::BIGINT`,
  );

  await put(
    'pharmacy_claim',
    `SELECT x.* EXCLUDE (_prescribing_key, _dispensing_key, _file, _record, prescribing_provider_npi, dispensing_provider_npi),
       coalesce(x.prescribing_provider_npi, pr.npi) AS prescribing_provider_npi,
       coalesce(x.dispensing_provider_npi, d.npi) AS dispensing_provider_npi,
       ep.person_id, ep.member_id, ep.payer, ep.plan, ${SOURCE} AS data_source
     FROM fx_rx x LEFT JOIN eobp ep USING (claim_id) LEFT JOIN party pr ON pr._key = x._prescribing_key
       LEFT JOIN party d ON d._key = x._dispensing_key
     ORDER BY x._file, x._record::BIGINT, x.claim_line_number::BIGINT`,
  );

  await put(
    'claim_adjustment',
    `SELECT a.* EXCLUDE (_file, _record), ep.payer, ${SOURCE} AS data_source
     FROM fx_adj a LEFT JOIN eobp ep USING (claim_id)
     ORDER BY a._file, a._record::BIGINT, a.claim_line_number::BIGINT, a.adjustment_sequence::BIGINT`,
  );

  await put(
    'payment',
    `SELECT p.* EXCLUDE (_file, _record), ep.person_id,
       CASE WHEN p.payment_source = 'payer' THEN ep.payer END AS payer, ${SOURCE} AS data_source
     FROM fx_payment p LEFT JOIN eobp ep USING (claim_id)
     ORDER BY p._file, p._record::BIGINT, p.payment_id`,
  );

  const count = async (sql: string) => Number((await db.one<{ n: number }>(sql))?.n ?? 0);
  const findings = {
    coverageWithoutPatient: await count(
      'SELECT count(*) AS n FROM cov c LEFT JOIN pat p ON p._key = c._patient_key WHERE p._key IS NULL',
    ),
    patientsWithoutCoverage: await count(
      'SELECT count(*) AS n FROM pat p WHERE NOT EXISTS (SELECT 1 FROM cov c WHERE c._patient_key = p._key)',
    ),
    eobsWithoutCoverage: await count('SELECT count(*) AS n FROM eobp WHERE NOT has_coverage'),
    eobsWithoutPatient: await count('SELECT count(*) AS n FROM eobp WHERE NOT has_patient'),
    eobsWithSubmission: await count('SELECT count(*) AS n FROM eobp WHERE submission_date IS NOT NULL'),
    linesWithPatientShare: await count(
      'SELECT count(*) AS n FROM fx_line WHERE coalesce(coinsurance_amount, copayment_amount, deductible_amount) IS NOT NULL',
    ),
    medicalNpis: await count(
      `SELECT count(*) AS n FROM fx_line l LEFT JOIN party r ON r._key = l._rendering_key
         LEFT JOIN party b ON b._key = l._billing_key LEFT JOIN party f ON f._key = l._facility_key
       WHERE coalesce(l.rendering_npi, r.npi, l.billing_npi, b.npi, l.facility_npi, f.npi) IS NOT NULL`,
    ),
  };
  return { tables, findings };
}
