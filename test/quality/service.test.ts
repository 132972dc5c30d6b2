// The quality service and CLI: skipped checks, example locations, the summary, the marts written by
// materializeQuality, a read-only warehouse, and `claimlens quality` output and exit behaviour.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { register } from '../../src/cli/commands/quality.ts';
import { Warehouse } from '../../src/engine/duckdb.ts';
import { ClaimlensError, UsageError } from '../../src/errors.ts';
import { QUALITY_CHECKS, qualityCheck } from '../../src/quality/checks.ts';
import { QUALITY_MARTS } from '../../src/quality/marts.ts';
import { runCheck } from '../../src/quality/runner.ts';
import { materializeQuality, runQualityChecks } from '../../src/services/quality.ts';
import { EHR_ROWS, insert, LEDGER_ROWS, mc, openFixture } from './fixture.ts';

let wh: Warehouse | undefined;
afterEach(async () => {
  await wh?.close();
  wh = undefined;
});

describe('skipped checks', () => {
  it('skips a code-set check whose codes table does not exist', async () => {
    wh = await openFixture({ codesets: ['place_of_service'] });
    await insert(wh, { medical_claim: [mc('C1', { diagnosis_code_1: 'ZZZ' })] });
    const r = await runCheck(wh, qualityCheck('unknown_icd10cm'));
    expect(r).toMatchObject({
      status: 'skipped',
      skip_reason: 'code set codes.icd10cm is not installed',
      failing_rows: 0,
      checked_rows: 0,
      failing_pct: null,
    });
    // The code set that is there still runs.
    expect((await runCheck(wh, qualityCheck('unknown_place_of_service'))).status).toBe('pass');
  });

  it('skips a code-set check whose codes table is empty (every code would look unknown)', async () => {
    wh = await openFixture({ codesets: [] });
    await wh.run('CREATE TABLE codes.revenue_center (code VARCHAR, description VARCHAR)');
    await insert(wh, { medical_claim: [mc('C1', { revenue_center_code: '0450' })] });
    expect(await runCheck(wh, qualityCheck('unknown_revenue_center'))).toMatchObject({
      status: 'skipped',
      skip_reason: 'code set codes.revenue_center is empty',
    });
  });

  it('skips a check of a table that is not loaded, or a comparison with an empty reference table', async () => {
    wh = await openFixture({ tables: ['medical_claim', 'eligibility', 'payer'] });
    await insert(wh, { medical_claim: [mc('C1', { payer: 'Nobody' })] });
    expect(await runCheck(wh, qualityCheck('encounter_end_before_start'))).toMatchObject({
      status: 'skipped',
      skip_reason: 'input.encounter is not loaded',
    });
    expect(await runCheck(wh, qualityCheck('claim_payer_unknown'))).toMatchObject({
      status: 'skipped',
      skip_reason: 'input.payer is empty, nothing to compare with',
    });
    expect(await runCheck(wh, qualityCheck('discharge_before_admission'))).toMatchObject({
      status: 'skipped',
      skip_reason: 'no rows to check',
    });
  });

  it('skips a code-set check whose codes table has another shape, with the reason', async () => {
    wh = await openFixture({ codesets: [] });
    await wh.run(`CREATE TABLE codes.carc (reason_code VARCHAR); INSERT INTO codes.carc VALUES ('45')`);
    await insert(wh, { claim_adjustment: [{}] });
    const r = await runCheck(wh, qualityCheck('unknown_carc'));
    expect(r.status).toBe('skipped');
    expect(r.skip_reason).toMatch(/^could not read codes\.carc: /);
  });
});

describe('examples', () => {
  it('gives at most 5 failing locations, in file and line order', async () => {
    wh = await openFixture();
    // 7 failing rows over two files, inserted out of order: b.csv lines come after a.csv's.
    const lines: [string, number][] = [
      ['b.csv', 2],
      ['a.csv', 30],
      ['a.csv', 4],
      ['b.csv', 1],
      ['a.csv', 100],
      ['a.csv', 9],
      ['b.csv', 7],
    ];
    await insert(wh, {
      pharmacy_claim: lines.map(([file, line], i) => ({
        claim_id: `R${i}`,
        days_supply: 100,
        _source_file: file,
        _source_line: line,
      })),
    });
    const r = await runCheck(wh, qualityCheck('days_supply_over_90'));
    expect(r.failing_rows).toBe(7);
    expect(r.examples).toEqual(['a.csv:4', 'a.csv:9', 'a.csv:30', 'a.csv:100', 'b.csv:1']);
  });
});

describe('runQualityChecks', () => {
  it('summarizes the checks it ran and adds both reconciliations', async () => {
    wh = await openFixture({ codesets: [] });
    await insert(wh, { ...LEDGER_ROWS, encounter: EHR_ROWS.encounter });
    // LEDGER_ROWS' claims are paid in January to March, before their 2024-03-10 service date, so
    // paid_before_service fails (error); no pharmacy rows and no code sets skip the last two.
    const checks = [
      'claim_end_before_start',
      'paid_before_service',
      'days_supply_over_90',
      'unknown_carc',
    ].map(qualityCheck);
    const report = await runQualityChecks(wh, { checks });
    expect(report.checks.map((c) => [c.check_id, c.status])).toEqual([
      ['claim_end_before_start', 'pass'],
      ['paid_before_service', 'fail'],
      ['days_supply_over_90', 'skipped'],
      ['unknown_carc', 'skipped'],
    ]);
    expect(report.summary).toEqual({
      checks: 4,
      passed: 1,
      failed: 1,
      skipped: 2,
      failed_errors: 1,
      failed_warnings: 0,
      failed_info: 0,
    });
    expect(report.ledger_variance.overall).toMatchObject({ claims_paid: 2600, ledger_payer_payments: 2400 });
    expect(report.ehr_match.status).toBe('ok');
  });
});

describe('materializeQuality', () => {
  it('writes the three quality marts with unique grains', async () => {
    wh = await openFixture();
    await insert(wh, { ...EHR_ROWS, finance_ledger: LEDGER_ROWS.finance_ledger });
    const report = await materializeQuality(wh);

    const results = await wh.all<{
      check_id: string;
      status: string;
      failing_rows: number;
      examples: string;
    }>('SELECT check_id, status, failing_rows, examples FROM marts.quality_check_result ORDER BY check_id');
    expect(results).toHaveLength(QUALITY_CHECKS.length);
    expect(new Set(results.map((r) => r.check_id)).size).toBe(results.length);
    // No eligibility was loaded, so claim_person_not_enrolled fails on all 6 claim lines.
    const notEnrolled = results.find((r) => r.check_id === 'claim_person_not_enrolled')!;
    expect(notEnrolled).toMatchObject({ status: 'fail', failing_rows: 6 });
    expect(notEnrolled.examples).toBe(
      'medical_claim.csv:2; medical_claim.csv:3; medical_claim.csv:4; medical_claim.csv:5; medical_claim.csv:6',
    );
    expect(results.find((r) => r.check_id === 'claim_payer_unknown')!.status).toBe('skipped');

    const ehr = await wh.all<{ month: string; claim_type: string; claims: number; claim_match_rate: number }>(
      'SELECT month, claim_type, claims, claims_matched, claim_match_rate FROM marts.quality_ehr_match ORDER BY month, claim_type',
    );
    expect(ehr).toHaveLength(6);
    expect(ehr[0]).toEqual({
      month: '2024-03-01',
      claim_type: 'all',
      claims: 4,
      claims_matched: 3,
      claim_match_rate: 0.75,
    });
    const grain = await wh.one<{ n: number }>(
      'SELECT count(*) AS n FROM (SELECT month, claim_type FROM marts.quality_ehr_match GROUP BY ALL HAVING count(*) > 1)',
    );
    expect(grain!.n).toBe(0);

    // Claims in EHR_ROWS are paid 2024-04-01 (month not in the ledger), so every ledger row has
    // claims_paid 0 and the variance is the ledger amount.
    const ledger = await wh.all<{
      month: string;
      payer: string;
      claims_paid: number;
      variance_amount: number;
    }>(
      'SELECT month, payer, claims_paid, variance_amount FROM marts.quality_ledger_variance ORDER BY month, payer',
    );
    expect(ledger).toEqual([
      { month: '2024-01-01', payer: 'Acme', claims_paid: 0, variance_amount: 1000 },
      { month: '2024-01-01', payer: 'Beta', claims_paid: 0, variance_amount: 500 },
      { month: '2024-02-01', payer: 'Acme', claims_paid: 0, variance_amount: 900 },
    ]);
    expect(report.summary.checks).toBe(QUALITY_CHECKS.length);
  });

  it('leaves the reconciliation marts empty, not missing, without their inputs', async () => {
    wh = await openFixture({ tables: ['medical_claim', 'eligibility'], codesets: [] });
    await insert(wh, { eligibility: [{}], medical_claim: [mc('C1', {})] });
    const report = await materializeQuality(wh);
    expect(report.ehr_match.status).toBe('skipped');
    expect(report.ledger_variance.status).toBe('skipped');
    for (const t of ['quality_ehr_match', 'quality_ledger_variance']) {
      expect((await wh.one<{ n: number }>(`SELECT count(*) AS n FROM marts.${t}`))!.n).toBe(0);
    }
    // Materializing twice replaces the marts.
    await materializeQuality(wh);
    const n = await wh.one<{ n: number }>('SELECT count(*) AS n FROM marts.quality_check_result');
    expect(n!.n).toBe(QUALITY_CHECKS.length);
  });
});

describe('claimlens quality', () => {
  let dir: string;
  let path: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'claimlens-quality-'));
    path = join(dir, 'wh.duckdb');
    const w = await openFixture({ path });
    // One error-severity failure (C2 ends before it starts) and one warning (days supply 120).
    await insert(w, {
      payer: [{}],
      eligibility: [{}],
      medical_claim: [mc('C1', {}), mc('C2', { claim_end_date: '2024-03-01' })],
      pharmacy_claim: [{ days_supply: 120 }],
      finance_ledger: LEDGER_ROWS.finance_ledger,
    });
    await w.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function run(args: string[]): Promise<string> {
    const program = new Command('claimlens')
      .option('-w, --warehouse <path>')
      .option('-q, --quiet')
      .exitOverride()
      .configureOutput({ writeErr: () => undefined });
    register(program);
    let out = '';
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      out += String(chunk);
      return true;
    });
    try {
      await program.parseAsync(['--warehouse', path, '--quiet', 'quality', ...args], { from: 'user' });
    } finally {
      spy.mockRestore();
    }
    return out;
  }

  it('runs on a read-only warehouse', async () => {
    const ro = await Warehouse.open(path, { readOnly: true });
    try {
      const report = await runQualityChecks(ro);
      expect(report.checks.find((c) => c.check_id === 'claim_end_before_start')!.failing_rows).toBe(1);
    } finally {
      await ro.close();
    }
  });

  it('prints the checks, the match rate and the ledger variance, and exits 0 on failures', async () => {
    const text = await run([]);
    expect(text).toMatch(
      /^error\s+claim_end_before_start\s+medical_claim\s+1\s+2\s+50\.00%\s+fail\s+medical_claim\.csv:3$/m,
    );
    expect(text).toMatch(/^warning\s+days_supply_over_90\s+pharmacy_claim\s+1\s+1\s+100\.00%\s+fail/m);
    expect(text).toContain('Claims to EHR match');
    expect(text).toContain('skipped: input.encounter is empty');
    expect(text).toMatch(/^overall\s+\$0\s+\$2,400\s+\$2,400\s+n\/a$/m);
  });

  it('prints JSON, filtered by --severity', async () => {
    const report = JSON.parse(await run(['--json', '--severity', 'error']));
    expect(report.checks.length).toBeGreaterThan(0);
    expect(report.checks.every((c: { severity: string }) => c.severity === 'error')).toBe(true);
    expect(report.summary.failed_errors).toBe(1);
    expect(report.summary.failed_warnings).toBe(0);
  });

  it('fails with --fail-on error when an error-severity check fails', async () => {
    const err = await run(['--json', '--fail-on', 'error']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ClaimlensError);
    expect((err as ClaimlensError).message).toContain('claim_end_before_start');
    expect((err as ClaimlensError).code).not.toBe('usage');
  });

  it('rejects an unknown severity as a usage error', async () => {
    await expect(run(['--severity', 'fatal'])).rejects.toBeInstanceOf(UsageError);
  });
});

describe('docs/quality.md', () => {
  it('lists every check with its table, severity and category, and every mart column', () => {
    const doc = readFileSync('docs/quality.md', 'utf8');
    for (const c of QUALITY_CHECKS) {
      expect(doc, c.id).toContain(`| \`${c.id}\` | ${c.table} | ${c.severity} | ${c.category} |`);
    }
    for (const m of QUALITY_MARTS) {
      expect(doc).toContain(`marts.${m.name}`);
      for (const col of m.columns)
        expect(doc, `${m.name}.${col.name}`).toContain(`| \`${col.name}\` | ${col.sql} |`);
    }
  });
});
