// The Safe Harbor export on a hand-made, pseudonymized warehouse: what each column becomes, a scan
// of every written file for surviving identifiers, paths outside the export folder refused, roles.
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config.ts';
import { Warehouse } from '../../src/engine/duckdb.ts';
import type { AuditEntry } from '../../src/governance/audit.ts';
import { AccessDeniedError } from '../../src/governance/errors.ts';
import { exportDeidentified, resolveExportDir, scanExport } from '../../src/governance/export.ts';
import { tokenOf } from '../../src/governance/hmac.ts';
import { loadInto } from '../../src/input/load.ts';
import { governedExport } from '../../src/services/governed.ts';
import { type InputRow, type InputTables, testWarehouse } from '../helpers/warehouse.ts';
import { csvOf, inputDir } from '../input/load-fixtures.ts';

const KEY = Buffer.alloc(32, 3);
let dir: string;
let allowed: string;
let path: string;

const PEOPLE = [
  // person, member, first, last, ssn, birth, zip, phone, email
  [
    'P-1001',
    'MEM-5001',
    'Theodora',
    'Quill',
    '123-45-6789',
    '1931-06-15',
    '03601',
    '(617) 555-0142',
    'tq@mail.test',
  ],
  [
    'P-1002',
    'MEM-5002',
    'Ignatius',
    'Brandywine',
    '987654321',
    '1980-02-29',
    '02139',
    '617.555.0199',
    'ib@mail.test',
  ],
] as const;

function member(p: (typeof PEOPLE)[number]): InputRow {
  return {
    person_id: p[0],
    member_id: p[1],
    subscriber_id: p[1],
    first_name: p[2],
    last_name: p[3],
    social_security_number: p[4],
    birth_date: p[5],
    zip_code: p[6],
    phone: p[7],
    email: p[8],
    address: '12 Elm Street',
    city: 'Cambridge',
    state: 'MA',
    gender: 'female',
    enrollment_start_date: '2024-01-01',
    enrollment_end_date: '2024-12-31',
    payer: 'Acme',
    payer_type: 'commercial',
    plan: 'Gold',
  };
}

function claim(id: string, p: (typeof PEOPLE)[number], date: string): InputRow {
  return {
    claim_id: id,
    claim_line_number: 1,
    claim_type: 'professional',
    person_id: p[0],
    member_id: p[1],
    payer: 'Acme',
    plan: 'Gold',
    claim_start_date: date,
    claim_end_date: date,
    paid_date: '2024-04-02',
    paid_amount: 12345.67,
    charge_amount: 20000,
    rendering_tin: '123456789',
    prior_authorization_number: 'PA-77731',
    diagnosis_code_1: 'E119',
    claim_status: 'paid',
  };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'claimlens-export-'));
  allowed = join(dir, 'exports');
  path = join(dir, 'wh.duckdb');
  const input: InputTables = {
    eligibility: PEOPLE.map(member),
    medical_claim: [claim('CLM-9001', PEOPLE[0], '2024-03-11'), claim('CLM-9002', PEOPLE[1], '2024-05-20')],
    payment: [
      {
        payment_id: 'PMT-1',
        claim_id: 'CLM-9001',
        person_id: 'P-1001',
        payment_source: 'patient',
        payment_date: '2024-06-01',
        payment_amount: 40,
        trace_number: 'TRN-5550101',
      },
    ],
    finance_ledger: [{ ledger_month: '2024-03-01', payer: 'Acme', payer_payments: 100 }],
  };
  const wh = await testWarehouse({}, { path, codesets: true });
  const files = Object.fromEntries(Object.entries(input).map(([t, rows]) => [`${t}.csv`, csvOf(rows ?? [])]));
  const report = await loadInto(wh, inputDir(files), {
    requireTables: false,
    pseudonymize: { key: KEY, directIdentifiers: 'restrict' },
  });
  expect(report.rowsQuarantined).toBe(0);
  await wh.close();
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function readCsv(file: string): Promise<Record<string, unknown>[]> {
  const wh = await Warehouse.open(':memory:', { threads: 1 });
  try {
    return await wh.all(`SELECT * FROM read_csv('${file}', all_varchar = true, header = true)`);
  } finally {
    await wh.close();
  }
}

describe('exportDeidentified', () => {
  it('writes Safe Harbor tables: tokens, years, ZIP3, 90+ grouped, direct identifiers gone', async () => {
    const wh = await Warehouse.open(path, { readOnly: true });
    let report: Awaited<ReturnType<typeof exportDeidentified>>;
    try {
      report = await exportDeidentified(wh, { out: 'study-1', allowedDir: allowed, asOf: '2025-06-30' });
    } finally {
      await wh.close();
    }
    const out = join(allowed, 'study-1');
    expect(readdirSync(out).sort()).toEqual([
      'claim_adjustment.csv',
      'eligibility.csv',
      'encounter.csv',
      'finance_ledger.csv',
      'medical_claim.csv',
      'payer.csv',
      'payment.csv',
      'pharmacy_claim.csv',
      'provider.csv',
    ]);
    expect(report.skipped.map((s) => s.relation)).toEqual(['input.area_deprivation']);
    const elig = await readCsv(join(out, 'eligibility.csv'));
    for (const gone of [
      'first_name',
      'last_name',
      'address',
      'city',
      'phone',
      'email',
      'zip_code',
      'birth_date',
      'social_security_number',
    ]) {
      expect(Object.keys(elig[0]!)).not.toContain(gone);
    }
    const byYear = (y: string | null) => elig.find((r) => r.birth_year === y)!;
    // Born 1931: 94 at the reference date, birth year withheld, grouped as 90 or over; ZIP 036 is restricted.
    expect(byYear(null)).toMatchObject({
      age_90_or_over: 'true',
      zip3: '000',
      state: 'MA',
      enrollment_start_year: '2024',
    });
    expect(byYear('1980')).toMatchObject({ age_90_or_over: 'false', zip3: '021' });
    const claims = await readCsv(join(out, 'medical_claim.csv'));
    expect(claims.map((c) => [c.claim_start_year, c.paid_year, c.paid_amount])).toEqual([
      ['2024', '2024', '12345.67'],
      ['2024', '2024', '12345.67'],
    ]);
    for (const gone of ['rendering_tin', 'prior_authorization_number', '_source_file', 'claim_start_date']) {
      expect(Object.keys(claims[0]!)).not.toContain(gone);
    }
    // Export tokens join across the export's files but are neither raw ids nor warehouse tokens.
    const elderly = byYear(null).person_id as string;
    expect(elderly).toMatch(/^psn_[0-9a-f]{32}$/);
    expect(elderly).not.toBe(tokenOf(KEY, 'person', 'P-1001'));
    const payments = await readCsv(join(out, 'payment.csv'));
    expect(payments[0]!.person_id).toBe(elderly);
    expect(claims.map((c) => c.claim_id)).toContain(payments[0]!.claim_id);
    expect(payments[0]!.claim_id).toMatch(/^clm_[0-9a-f]{32}$/);
    expect(Object.keys(payments[0]!)).not.toContain('trace_number');
    // The ledger is about the business, not a person: its months stay whole.
    expect((await readCsv(join(out, 'finance_ledger.csv')))[0]!.ledger_month).toBe('2024-03-01');

    // Nothing identifying survives anywhere in the export.
    const text = readdirSync(out)
      .map((f) => readFileSync(join(out, f), 'utf8'))
      .join('\n');
    const raw = [
      ...PEOPLE.flatMap((p) => [p[0], p[1], p[2], p[3], p[4], p[6], p[7], p[8]]),
      '12 Elm Street',
      'Cambridge',
      'CLM-9001',
      'PMT-1',
      'TRN-5550101',
      'PA-77731',
      '123456789',
      ...PEOPLE.flatMap((p) => [tokenOf(KEY, 'person', p[0]), tokenOf(KEY, 'member', p[1])]),
    ];
    for (const v of raw) expect(text.includes(v), v).toBe(false);
    const withoutLedger = readdirSync(out)
      .filter((f) => f !== 'finance_ledger.csv')
      .map((f) => readFileSync(join(out, f), 'utf8'))
      .join('\n');
    expect(withoutLedger).not.toMatch(/\b\d{3}-\d{2}-\d{4}\b/);
    expect(withoutLedger).not.toMatch(/\b(19|20)\d{2}-\d{2}-\d{2}\b/);
    expect(withoutLedger).not.toMatch(/[\w.]+@[\w.]+\.\w{2,}/);
    expect(withoutLedger).not.toMatch(/\(?\b\d{3}\)?[-. ]\d{3}[-. ]\d{4}\b/);
    const scanner = await Warehouse.open(':memory:', { threads: 1 });
    try {
      expect(await scanExport(scanner, out)).toEqual([]);
      for (const z of elig.map((r) => r.zip3)) expect(String(z)).toMatch(/^\d{3}$/);
    } finally {
      await scanner.close();
    }
  });

  it('writes Parquet as well', async () => {
    const wh = await Warehouse.open(path, { readOnly: true });
    try {
      await exportDeidentified(wh, {
        out: 'pq',
        allowedDir: allowed,
        format: 'parquet',
        tables: ['eligibility'],
      });
      const rows = await wh.all<{ n: number; z: string }>(
        `SELECT count(*) AS n, min(zip3) AS z FROM read_parquet('${join(allowed, 'pq', 'eligibility.parquet')}')`,
      );
      expect(rows).toEqual([{ n: 2, z: '000' }]);
    } finally {
      await wh.close();
    }
  });

  it('finds identifiers planted in an export', async () => {
    const planted = join(dir, 'planted');
    mkdirSync(planted);
    writeFileSync(join(planted, 'x.csv'), 'a,zip_code,c\nfine,02139,call (617) 555-0142\n');
    const wh = await Warehouse.open(':memory:', { threads: 1 });
    try {
      expect((await scanExport(wh, planted)).map((f) => f.kind)).toEqual(['phone', 'zip5']);
    } finally {
      await wh.close();
    }
  });

  it('refuses folders outside the export folder, symlinks out of it, and non-empty folders', () => {
    const outside = mkdtempSync(join(tmpdir(), 'claimlens-outside-'));
    try {
      mkdirSync(allowed, { recursive: true });
      symlinkSync(outside, join(allowed, 'sneaky'));
      for (const out of ['../escape', outside, join(allowed, '..', 'x'), 'sneaky/inner', '.']) {
        expect(() => resolveExportDir(out, allowed), out).toThrow(AccessDeniedError);
      }
      mkdirSync(join(allowed, 'used'));
      writeFileSync(join(allowed, 'used', 'f.csv'), 'x\n');
      expect(() => resolveExportDir('used', allowed)).toThrow(/is not empty/);
      expect(resolveExportDir('fresh/nested', allowed)).toMatch(/exports\/fresh\/nested$/);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });
});

describe('governedExport', () => {
  it('lets admin export and refuses an analyst and a path outside, each audited', async () => {
    const auditLog = join(dir, 'audit.jsonl');
    const config = configSchema.parse({ warehouse: path, governance: { auditLog, exportDir: allowed } });
    const admin = { subject: 'root', role: 'admin', via: 'test' };
    const report = await governedExport({ config, caller: admin }, { out: 'by-admin', tables: ['payer'] });
    expect(report.files.map((f) => f.relation)).toEqual(['input.payer']);
    await expect(
      governedExport({ config, caller: { ...admin, role: 'analyst' } }, { out: 'by-analyst' }),
    ).rejects.toThrow(/role analyst may not export data/);
    await expect(governedExport({ config, caller: admin }, { out: '/etc/claimlens' })).rejects.toThrow(
      /exports may only be written in a folder under/,
    );
    const entries = readFileSync(auditLog, 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as AuditEntry);
    expect(entries.map((e) => [e.role, e.action, e.outcome, e.reason ?? null])).toEqual([
      ['admin', 'export', 'ok', null],
      ['analyst', 'export', 'refused', 'forbidden_export'],
      ['admin', 'export', 'refused', 'forbidden_export'],
    ]);
  });
});
