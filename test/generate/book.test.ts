// The generated book as a whole: every row passes the input contract's load rules (checked in SQL
// from the contract itself), files are deterministic, codes come from real code sets, dates respect
// the window and the cut-off, and money flows balance (remittances, payments).
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ident, literal } from '../../src/engine/duckdb.ts';
import { generateBook } from '../../src/generate/index.ts';
import { INPUT_TABLES } from '../../src/input/contract.ts';
import type { ColumnSpec } from '../../src/input/spec.ts';
import { type Book, CARC_FILE, HCPCS_FILE, ICD_FILE, NDC_CSV, openBook, TUVA } from './fixture.ts';

const TYPE_CHECK: Record<ColumnSpec['type'], (c: string) => string> = {
  string: () => 'false',
  integer: (c) => `TRY_CAST(${c} AS BIGINT) IS NULL OR TRY_CAST(${c} AS DOUBLE) <> TRY_CAST(${c} AS BIGINT)`,
  number: (c) => `TRY_CAST(${c} AS DOUBLE) IS NULL`,
  money: (c) =>
    `TRY_CAST(${c} AS DECIMAL(18,2)) IS NULL OR NOT regexp_full_match(${c}, '-?[0-9]+(\\.[0-9]{1,2})?')`,
  date: (c) => `TRY_STRPTIME(${c}, '%Y-%m-%d') IS NULL`,
  timestamp: (c) => `TRY_CAST(${c} AS TIMESTAMP) IS NULL`,
  boolean: (c) => `${c} NOT IN ('true', 'false')`,
};

/** One SQL predicate per contract rule of a column: true marks a violating row. */
function violations(col: ColumnSpec): { rule: string; sql: string }[] {
  const c = ident(col.name);
  const v = `trim(${c})`;
  const present = `${c} IS NOT NULL AND trim(${c}) <> ''`;
  const out: { rule: string; sql: string }[] = [];
  if (col.required) out.push({ rule: 'required', sql: `${c} IS NULL OR trim(${c}) = ''` });
  out.push({ rule: `type ${col.type}`, sql: `${present} AND (${TYPE_CHECK[col.type](v)})` });
  if (col.allowed)
    out.push({ rule: 'allowed', sql: `${present} AND ${v} NOT IN (${col.allowed.map(literal).join(', ')})` });
  if (col.pattern)
    out.push({ rule: 'pattern', sql: `${present} AND NOT regexp_matches(${v}, ${literal(col.pattern)})` });
  if (col.min !== undefined)
    out.push({ rule: 'min', sql: `${present} AND TRY_CAST(${v} AS DOUBLE) < ${col.min}` });
  if (col.max !== undefined)
    out.push({ rule: 'max', sql: `${present} AND TRY_CAST(${v} AS DOUBLE) > ${col.max}` });
  return out;
}

let book: Book;

beforeAll(async () => {
  book = await openBook({ members: 3000, seed: 11 }, true);
});

afterAll(async () => {
  await book?.close();
});

describe('generated book against the input contract', () => {
  it('writes one file per input table with contract headers and all required columns', async () => {
    for (const t of INPUT_TABLES) {
      const header = readFileSync(join(book.dir, `${t.name}.csv`), 'utf8')
        .split('\n', 1)[0]!
        .split(',');
      const names = t.columns.map((c) => c.name);
      expect(
        header.every((h) => names.includes(h)),
        t.name,
      ).toBe(true);
      for (const c of t.columns.filter((c) => c.required))
        expect(header, `${t.name}.${c.name}`).toContain(c.name);
      expect(book.report.tables[t.name], t.name).toBeGreaterThan(0);
    }
  });

  it('passes every rule of the contract (required, types, allowed values, patterns, bounds) on every row', async () => {
    const failures: string[] = [];
    let checked = 0;
    for (const t of INPUT_TABLES) {
      const header = readFileSync(join(book.dir, `${t.name}.csv`), 'utf8')
        .split('\n', 1)[0]!
        .split(',');
      const rules = t.columns
        .filter((c) => header.includes(c.name))
        .flatMap((col) =>
          violations(col).map((v) => ({ label: `${t.name}.${col.name} ${v.rule}`, sql: v.sql })),
        );
      const counts = await book.one<Record<string, number>>(
        `SELECT ${rules.map((r, i) => `count(*) FILTER (WHERE ${r.sql}) AS r${i}`).join(', ')} FROM ${t.name}`,
      );
      rules.forEach((r, i) => {
        checked++;
        if (counts[`r${i}`] !== 0) failures.push(`${r.label}: ${counts[`r${i}`]} rows`);
      });
    }
    expect(checked).toBeGreaterThan(150);
    expect(failures).toEqual([]);
  });

  it('keeps the grain of every table unique and the foreign keys resolvable', async () => {
    for (const t of INPUT_TABLES) {
      const g = t.grain.map(ident).join(', ');
      const r = await book.one<{ dup: number }>(
        `SELECT count(*) AS dup FROM (SELECT ${g} FROM ${t.name} GROUP BY ${g} HAVING count(*) > 1)`,
      );
      expect(r.dup, `${t.name} grain`).toBe(0);
    }
    const orphans = await book.one<Record<string, number>>(`SELECT
      (SELECT count(*) FROM medical_claim m WHERE NOT EXISTS (SELECT 1 FROM eligibility e WHERE e.person_id = m.person_id)) AS claim_person,
      (SELECT count(*) FROM medical_claim m WHERE NOT EXISTS (SELECT 1 FROM provider p WHERE p.npi = m.rendering_npi)) AS claim_rendering,
      (SELECT count(*) FROM medical_claim m WHERE NOT EXISTS (SELECT 1 FROM payer p WHERE p.payer = m.payer)) AS claim_payer,
      (SELECT count(*) FROM pharmacy_claim m WHERE NOT EXISTS (SELECT 1 FROM provider p WHERE p.npi = m.prescribing_provider_npi)) AS rx_prescriber,
      (SELECT count(*) FROM claim_adjustment a WHERE NOT EXISTS (SELECT 1 FROM medical_claim m WHERE m.claim_id = a.claim_id AND m.claim_line_number = a.claim_line_number)) AS adj_line,
      (SELECT count(*) FROM payment p WHERE p.claim_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM medical_claim m WHERE m.claim_id = p.claim_id)) AS pay_claim,
      (SELECT count(*) FROM eligibility e WHERE NOT EXISTS (SELECT 1 FROM area_deprivation a WHERE a.zip_code = e.zip_code)) AS elig_zip,
      (SELECT count(*) FROM encounter e WHERE NOT EXISTS (SELECT 1 FROM eligibility x WHERE x.person_id = e.person_id)) AS enc_person,
      (SELECT count(*) FROM finance_ledger l WHERE NOT EXISTS (SELECT 1 FROM payer p WHERE p.payer = l.payer)) AS ledger_payer`);
    expect(orphans).toEqual(Object.fromEntries(Object.keys(orphans).map((k) => [k, 0])));
  });

  it('draws codes from real code sets (ICD-10-CM, CPT/HCPCS, MS-DRG, revenue, POS, bill type, disposition, CARC)', async () => {
    const icd = `read_csv(${literal(ICD_FILE)}, header = true, all_varchar = true)`;
    const hcpcs = `read_csv(${literal(HCPCS_FILE)}, header = true, all_varchar = true)`;
    const tuva = (f: string) => `read_csv(${literal(`${TUVA}/${f}`)}, header = true, all_varchar = true)`;
    const r = await book.one<Record<string, number>>(`
      WITH dx AS (SELECT diagnosis_code_1 AS c FROM medical_claim UNION SELECT diagnosis_code_2 FROM medical_claim UNION SELECT diagnosis_code_5 FROM medical_claim UNION SELECT primary_diagnosis_code FROM encounter)
      SELECT
        (SELECT count(*) FROM dx WHERE c IS NOT NULL AND c NOT IN (SELECT icd_10_cm_code FROM ${icd})) AS icd,
        (SELECT count(DISTINCT hcpcs_code) FROM medical_claim WHERE hcpcs_code IS NOT NULL AND NOT regexp_full_match(hcpcs_code, '[0-9]{5}') AND hcpcs_code NOT IN (SELECT hcpcs FROM ${hcpcs})) AS hcpcs,
        (SELECT count(DISTINCT drg_code) FROM medical_claim WHERE drg_code IS NOT NULL AND drg_code NOT IN (SELECT ms_drg_code FROM ${tuva('terminology__ms_drg.csv')})) AS drg,
        (SELECT count(DISTINCT revenue_center_code) FROM medical_claim WHERE revenue_center_code IS NOT NULL AND revenue_center_code NOT IN (SELECT revenue_center_code FROM ${tuva('terminology__revenue_center.csv')})) AS rev,
        (SELECT count(DISTINCT place_of_service_code) FROM medical_claim WHERE place_of_service_code IS NOT NULL AND place_of_service_code NOT IN (SELECT place_of_service_code FROM ${tuva('terminology__place_of_service.csv')})) AS pos,
        (SELECT count(DISTINCT bill_type_code) FROM medical_claim WHERE bill_type_code IS NOT NULL AND bill_type_code NOT IN (SELECT bill_type_code FROM ${tuva('terminology__bill_type.csv')})) AS tob,
        (SELECT count(DISTINCT discharge_disposition_code) FROM medical_claim WHERE discharge_disposition_code IS NOT NULL AND discharge_disposition_code NOT IN (SELECT discharge_disposition_code FROM ${tuva('terminology__discharge_disposition.csv')})) AS disp,
        (SELECT count(DISTINCT carc_code) FROM claim_adjustment WHERE carc_code NOT IN (SELECT carc_code FROM read_csv(${literal(CARC_FILE)}, header = true, all_varchar = true))) AS carc,
        (SELECT count(DISTINCT ndc_code) FROM pharmacy_claim WHERE ndc_code NOT IN (SELECT ndc_code FROM read_csv(${literal(NDC_CSV)}, header = true, all_varchar = true))) AS ndc`);
    expect(r).toEqual({ icd: 0, hcpcs: 0, drg: 0, rev: 0, pos: 0, tob: 0, disp: 0, carc: 0, ndc: 0 });
    const variety = await book.one<Record<string, number>>(
      `SELECT count(DISTINCT hcpcs_code) AS codes, count(DISTINCT drg_code) AS drgs, count(DISTINCT diagnosis_code_1) AS dx, count(DISTINCT bill_type_code) AS tob, count(DISTINCT place_of_service_code) AS pos FROM medical_claim`,
    );
    expect(variety.codes).toBeGreaterThan(80);
    expect(variety.drgs).toBeGreaterThan(20);
    expect(variety.dx).toBeGreaterThan(60);
    expect(variety.tob).toBeGreaterThanOrEqual(5);
    expect(variety.pos).toBeGreaterThanOrEqual(8);
  });
});

describe('window, cut-off and money flows', () => {
  it('keeps service dates in the window and every paid, remit and payment date on or before the cut-off', async () => {
    const { window } = book.report;
    expect(window).toEqual({ start: '2024-01-01', end: '2025-12-31', cutoff: '2026-03-31' });
    const r = await book.one<Record<string, number | string>>(`SELECT
      min(claim_start_date) AS first_service, max(claim_end_date) AS last_service, max(paid_date) AS last_paid, max(submission_date) AS last_submitted,
      (SELECT max(remit_date) FROM claim_adjustment) AS last_remit, (SELECT max(payment_date) FROM payment) AS last_payment,
      (SELECT max(paid_date) FROM pharmacy_claim) AS last_rx_paid,
      count(*) FILTER (WHERE claim_status = 'pending' AND (paid_date IS NOT NULL OR allowed_amount IS NOT NULL OR paid_amount::DECIMAL <> 0)) AS bad_pending,
      count(*) FILTER (WHERE claim_status = 'pending') AS pending,
      count(*) FILTER (WHERE submission_date < claim_end_date) AS submitted_early
      FROM medical_claim`);
    expect(String(r.first_service) >= window.start).toBe(true);
    expect(String(r.last_service) <= window.end).toBe(true);
    for (const k of ['last_paid', 'last_submitted', 'last_remit', 'last_payment', 'last_rx_paid'])
      expect(String(r[k]) <= window.cutoff, k).toBe(true);
    expect(r.bad_pending).toBe(0);
    expect(Number(r.pending)).toBeGreaterThan(0);
    expect(r.submitted_early).toBe(0);
  });

  it('balances each remittance: charge minus paid equals the adjustments of the paying remit', async () => {
    const r = await book.one<{ n: number; balanced: number }>(`
      WITH adj AS (SELECT claim_id, claim_line_number, remit_date, sum(adjustment_amount::DECIMAL(18,2)) amt FROM claim_adjustment WHERE adjustment_group_code <> 'CR' GROUP BY 1, 2, 3)
      SELECT count(*) AS n, count(*) FILTER (WHERE m.charge_amount::DECIMAL(18,2) - m.paid_amount::DECIMAL(18,2) = a.amt) AS balanced
      FROM medical_claim m JOIN adj a ON a.claim_id = m.claim_id AND a.claim_line_number = m.claim_line_number AND a.remit_date = m.paid_date
      WHERE m.claim_status IN ('paid', 'partially_paid')`);
    expect(r.n).toBeGreaterThan(10000);
    // Only the documented paid-more-than-allowed anomaly breaks the balance.
    expect(r.balanced / r.n).toBeGreaterThan(0.995);
    expect(r.balanced).toBeLessThan(r.n + 1);
  });

  it('makes payer payments per claim add up to the claim paid amounts, reversals netting to zero', async () => {
    const r = await book.one<{ claims: number; equal: number; reversed: number }>(`
      WITH c AS (SELECT claim_id, sum(paid_amount::DECIMAL(18,2)) paid, bool_or(claim_status = 'reversed') rev FROM medical_claim WHERE payer <> 'Self Pay' GROUP BY 1),
      p AS (SELECT claim_id, sum(payment_amount::DECIMAL(18,2)) amt FROM payment WHERE payment_source = 'payer' GROUP BY 1)
      SELECT count(*) AS claims, count(*) FILTER (WHERE c.paid = coalesce(p.amt, 0)) AS equal, count(*) FILTER (WHERE c.rev AND p.amt = 0) AS reversed
      FROM c LEFT JOIN p USING (claim_id)`);
    expect(r.equal).toBe(r.claims);
    expect(r.reversed).toBeGreaterThan(0);
  });

  it('records patient responsibility as PR-1/2/3 adjustments equal to deductible, coinsurance and copay', async () => {
    const r = await book.one<Record<string, number>>(`
      WITH pr AS (SELECT claim_id, claim_line_number, sum(adjustment_amount::DECIMAL(18,2)) FILTER (WHERE carc_code = '1') ded,
        sum(adjustment_amount::DECIMAL(18,2)) FILTER (WHERE carc_code = '2') coins, sum(adjustment_amount::DECIMAL(18,2)) FILTER (WHERE carc_code = '3') copay
        FROM claim_adjustment WHERE adjustment_group_code = 'PR' GROUP BY 1, 2)
      SELECT count(*) AS n,
        count(*) FILTER (WHERE coalesce(pr.ded, 0) = m.deductible_amount::DECIMAL(18,2) AND coalesce(pr.coins, 0) = m.coinsurance_amount::DECIMAL(18,2) AND coalesce(pr.copay, 0) = m.copayment_amount::DECIMAL(18,2)) AS ok,
        count(*) FILTER (WHERE pr.ded > 0) AS ded, count(*) FILTER (WHERE pr.coins > 0) AS coins, count(*) FILTER (WHERE pr.copay > 0) AS copay
      FROM medical_claim m LEFT JOIN pr USING (claim_id, claim_line_number) WHERE m.claim_status IN ('paid', 'partially_paid') AND m.payer <> 'Self Pay'`);
    expect(r.ok).toBe(r.n);
    for (const k of ['ded', 'coins', 'copay']) expect(r[k], k).toBeGreaterThan(100);
  });
});

describe('determinism', () => {
  it('writes the same files whether members are simulated on one thread or on several', async () => {
    // Identifiers are numbered per member and ledger totals are summed across shards; a household
    // split by a shard boundary (its dependent the first member of a shard) must continue as well.
    const dirs = [0, 1, 2, 3].map(() => mkdtempSync(join(tmpdir(), 'claimlens-shards-')));
    try {
      await generateBook({ members: 400, seed: 9, out: dirs[0]!, months: 12, shards: 1 });
      const dependent = readFileSync(join(dirs[0]!, 'eligibility.csv'), 'utf8')
        .split('\n')
        .slice(1)
        .map((line) => line.split(','))
        .findIndex((f, i) => i >= 100 && f[1] !== f[2]);
      const person = Number(
        readFileSync(join(dirs[0]!, 'eligibility.csv'), 'utf8')
          .split('\n')
          [dependent + 1]!.split(',')[0]!
          .slice(1),
      );
      // Two shards of 2 * (person - 1) members split right before this dependent.
      const members = 2 * (person - 1);
      expect(members).toBeGreaterThan(150);
      for (const [i, shards] of [1, 2, 3].entries())
        await generateBook({ members, seed: 9, out: dirs[i + 1]!, months: 12, shards });
      const hash = (dir: string, t: string) =>
        createHash('sha256')
          .update(readFileSync(join(dir, `${t}.csv`)))
          .digest('hex');
      for (const t of INPUT_TABLES) {
        expect(hash(dirs[2]!, t.name), t.name).toBe(hash(dirs[1]!, t.name));
        expect(hash(dirs[3]!, t.name), t.name).toBe(hash(dirs[1]!, t.name));
      }
      // Shard directories are gone once joined.
      for (const d of dirs) expect(readdirSync(d).filter((n) => n.startsWith('.'))).toEqual([]);
    } finally {
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    }
  });

  it('writes byte-identical files for the same seed and options, and different ones for another seed', async () => {
    const dirs = [0, 1, 2].map(() => mkdtempSync(join(tmpdir(), 'claimlens-det-')));
    try {
      await generateBook({ members: 400, seed: 5, out: dirs[0]!, months: 12 });
      await generateBook({ members: 400, seed: 5, out: dirs[1]!, months: 12 });
      await generateBook({ members: 400, seed: 6, out: dirs[2]!, months: 12 });
      const hash = (dir: string, t: string) =>
        createHash('sha256')
          .update(readFileSync(join(dir, `${t}.csv`)))
          .digest('hex');
      for (const t of INPUT_TABLES) expect(hash(dirs[0]!, t.name), t.name).toBe(hash(dirs[1]!, t.name));
      expect(hash(dirs[0]!, 'medical_claim')).not.toBe(hash(dirs[2]!, 'medical_claim'));
    } finally {
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    }
  });
});
