// The source-adapter framework: recognition of a folder, a source load replacing the whole book and
// recording its gaps, and the KPI layer marking what a gap takes out (never a zero in its place).
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { Warehouse } from '../../src/engine/duckdb.ts';
import { ClaimlensError, UsageError } from '../../src/errors.ts';
import { QUALITY_CHECKS } from '../../src/quality/checks.ts';
import { runChecks } from '../../src/quality/runner.ts';
import { applySourceGaps, sourceGaps } from '../../src/services/capabilities.ts';
import { KPI_DOMAINS } from '../../src/services/domains.ts';
import type { KpiResult } from '../../src/services/kpi.ts';
import { findKpiDomain, runKpiDomain } from '../../src/services/kpi.ts';
import type { SourceAdapter } from '../../src/sources/adapter.ts';
import { loadSource, recognize } from '../../src/sources/index.ts';
import { registerSource } from '../../src/sources/registry.ts';
import { writeTable } from '../../src/sources/staging.ts';
import { claimsCsv, ELIGIBILITY_CSV, inputDir } from '../input/load-fixtures.ts';

/** A source of one claim whose folder holds `tiny.src`; it lacks claim statuses. */
const tinyAdapter: SourceAdapter = {
  format: 'tinysrc',
  title: 'Tiny test source',
  docs: 'test/sources/framework.test.ts',
  detect: (_dir, entries) =>
    entries.includes('tiny.src')
      ? { format: 'tinysrc', summary: 'tiny source (tiny.src)', files: ['tiny.src'] }
      : undefined,
  async convert(ctx) {
    const eligibility = await writeTable(
      ctx,
      'eligibility',
      'tiny',
      "SELECT 'T1' AS person_id, 'TM1' AS member_id, 'female' AS gender, DATE '1970-05-05' AS birth_date, " +
        "DATE '2023-01-01' AS enrollment_start_date, DATE '2023-12-31' AS enrollment_end_date, " +
        "'tinycare' AS payer, 'medicare' AS payer_type, 'A' AS plan",
    );
    const claims = await writeTable(
      ctx,
      'medical_claim',
      'tiny',
      "SELECT 'C9' AS claim_id, 1 AS claim_line_number, 'professional' AS claim_type, 'T1' AS person_id, " +
        "'TM1' AS member_id, 'tinycare' AS payer, 'A' AS plan, DATE '2023-03-01' AS claim_start_date, " +
        "DATE '2023-03-01' AS claim_end_date, 55.5 AS paid_amount, 90 AS charge_amount, 'I10' AS diagnosis_code_1, " +
        "'paid' AS claim_status",
    );
    return {
      format: 'tinysrc',
      summary: 'tiny source: 1 claim',
      files: [{ file: 'tiny.src', records: 1, tables: ['eligibility', 'medical_claim'] }],
      tables: { eligibility, medical_claim: claims },
      gaps: [
        { capability: 'claim_status', reason: 'the tiny source records paid claims only' },
        { capability: 'paid_dates', reason: 'the tiny source has no remittance dates' },
      ],
      warnings: [],
    };
  },
};
registerSource(tinyAdapter);

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
function folder(files: Record<string, string>): string {
  const d = inputDir(files);
  dirs.push(d);
  return d;
}

const CANONICAL = {
  'eligibility.csv': ELIGIBILITY_CSV,
  'medical_claim.csv': claimsCsv([{}, { claim_id: 'C2' }]),
  'payer.csv': 'payer,payer_type\nacme,commercial\n',
};

describe('recognize', () => {
  it('reads a folder of input files as canonical and a folder a source claims as that source', () => {
    expect(recognize(folder(CANONICAL)).kind).toBe('canonical');
    const tiny = recognize(folder({ 'tiny.src': 'x' }));
    expect(tiny.kind === 'source' && tiny.detection.summary).toBe('tiny source (tiny.src)');
    const x12 = recognize('../shared/datasets/x12-edi/edi-835-parser');
    expect(x12.kind === 'source' && x12.adapter.format).toBe('x12');
  });

  it('refuses an unknown format, and a named format whose files are not there', () => {
    expect(() => recognize(folder(CANONICAL), 'excel')).toThrow(UsageError);
    expect(() => recognize(folder(CANONICAL), 'tinysrc')).toThrow(/no Tiny test source files here/);
    expect(() => recognize(join(folder({}), 'nope'))).toThrow(ClaimlensError);
  });
});

describe('loadSource', () => {
  it('replaces the whole book with a complete source, records its gaps, and a canonical load clears them', async () => {
    const warehouse = join(folder({}), 'w.duckdb');
    const first = await loadSource(warehouse, folder(CANONICAL));
    expect(first.source).toBeUndefined();
    expect(first.load.rowsLoaded).toBe(5);

    const tiny = await loadSource(warehouse, folder({ 'tiny.src': 'x' }));
    expect(tiny.recognized).toBe('tiny source (tiny.src)');
    expect(tiny.load.mode).toBe('replace');
    let wh = await Warehouse.open(warehouse, { readOnly: true });
    try {
      // Nothing of the earlier book is left: its claims, its members and its payer table are gone.
      expect(await wh.all('SELECT claim_id, paid_amount FROM input.medical_claim')).toEqual([
        { claim_id: 'C9', paid_amount: 55.5 },
      ]);
      expect((await wh.one<{ n: number }>('SELECT count(*) AS n FROM input.payer'))?.n).toBe(0);
      expect(await sourceGaps(wh)).toEqual([
        { capability: 'claim_status', reason: 'the tiny source records paid claims only' },
        { capability: 'paid_dates', reason: 'the tiny source has no remittance dates' },
      ]);
      // A quality rule about a fact the source never carries is skipped with the source's reason.
      const [check] = await runChecks(
        wh,
        QUALITY_CHECKS.filter((c) => c.id === 'paid_line_without_paid_date'),
      );
      expect(check).toMatchObject({
        status: 'skipped',
        skip_reason: 'the source does not carry paid dates: the tiny source has no remittance dates',
      });
      // The denials domain needs claim statuses: nothing to show, and it says why.
      const denials = await runKpiDomain(findKpiDomain(KPI_DOMAINS, 'denials'), wh, {}, loadConfig());
      expect(denials.sections).toEqual([]);
      expect(denials.headline).toEqual({});
      expect(denials.unavailable).toEqual([
        { capability: 'claim_status', reason: 'the tiny source records paid claims only', affects: ['*'] },
      ]);
      expect(denials.notes[0]).toMatch(/^Not available from this source \(claim_status\)/);
    } finally {
      await wh.close();
    }

    await loadSource(warehouse, folder(CANONICAL));
    wh = await Warehouse.open(warehouse, { readOnly: true });
    try {
      expect(await sourceGaps(wh)).toEqual([]);
      expect((await wh.one<{ n: number }>('SELECT count(*) AS n FROM input.medical_claim'))?.n).toBe(2);
    } finally {
      await wh.close();
    }
  });
});

describe('applySourceGaps', () => {
  const payers: KpiResult = {
    domain: 'payers',
    period: undefined,
    payer: undefined,
    headline: { payers: 2, payments: 300, denial_rate_pct: 0, variance_pct: 1.5 },
    sections: [
      {
        title: 'Payer scorecard 2024Q1',
        columns: ['payer', 'payments', 'denial_rate_pct', 'avg_days_to_pay'],
        rows: [
          { payer: 'a', payments: 100, denial_rate_pct: 0, avg_days_to_pay: 12 },
          { payer: 'b', payments: 200, denial_rate_pct: 0, avg_days_to_pay: 30 },
        ],
      },
    ],
    notes: ['expected payment is allowed minus patient share'],
  };

  it('nulls the metrics a gap takes out, in the headline and in every row, and keeps the rest', () => {
    const out = applySourceGaps(payers, [
      { capability: 'claim_status', reason: 'no denials in this source' },
      { capability: 'ehr_encounters', reason: 'no EHR' },
    ]);
    expect(out.headline).toEqual({ payers: 2, payments: 300, denial_rate_pct: null, variance_pct: 1.5 });
    expect(out.sections[0]!.rows).toEqual([
      { payer: 'a', payments: 100, denial_rate_pct: null, avg_days_to_pay: 12 },
      { payer: 'b', payments: 200, denial_rate_pct: null, avg_days_to_pay: 30 },
    ]);
    expect(out.unavailable).toEqual([
      {
        capability: 'claim_status',
        reason: 'no denials in this source',
        affects: ['denial_rate_pct'],
      },
    ]);
    expect(out.notes).toHaveLength(2);
  });

  it('drops a section whose capability is missing, and leaves an unaffected result untouched', () => {
    const rcm: KpiResult = {
      ...payers,
      domain: 'rcm',
      headline: { claims: 3 },
      sections: [
        { title: 'Days to pay by payer', rows: [{ payer: 'a', avg_days_to_pay: 3 }] },
        { title: 'A/R summary', rows: [] },
      ],
    };
    const out = applySourceGaps(rcm, [{ capability: 'paid_dates', reason: 'no paid dates' }]);
    expect(out.sections).toEqual([]);
    expect(out.unavailable?.[0]?.affects).toEqual(['Days to pay by payer', 'A/R summary']);
    expect(applySourceGaps(payers, [{ capability: 'ehr_encounters', reason: 'no EHR' }])).toBe(payers);
    expect(applySourceGaps(payers, [])).toBe(payers);
  });
});
