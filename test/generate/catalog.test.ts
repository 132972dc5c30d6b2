import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MISMATCH_DX } from '../../src/generate/care.ts';
import { ADMIT_REASONS } from '../../src/generate/catalog/conditions.ts';
import { drugs, GROUP_CHOICES, readNdcFile } from '../../src/generate/catalog/drugs.ts';
import { catalogDiagnoses, TRUNCATED_DX } from '../../src/generate/catalog/icd.ts';
import { PROCEDURES } from '../../src/generate/catalog/procedures.ts';
import { INDIVIDUAL_KINDS, ORG_KINDS } from '../../src/generate/catalog/specialties.ts';
import { isValidNpi, npiCheckDigit } from '../../src/generate/providers.ts';
import { HCPCS_FILE, ICD_FILE, TUVA } from './fixture.ts';

function firstColumn(path: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const lines = readFileSync(path, 'utf8')
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .slice(1);
  for (const l of lines) {
    if (!l) continue;
    const cells = l.split(',').map((c) => c.replaceAll('"', ''));
    out.set(cells[0]!, cells);
  }
  return out;
}

describe('code catalogs', () => {
  it('uses only ICD-10-CM codes of the FY2021 order file, truncations being non-billable categories', () => {
    const icd = new Map<string, string>();
    for (const l of readFileSync(ICD_FILE, 'utf8').split('\n').slice(1)) {
      const [, code, billable] = l.split(',');
      if (code) icd.set(code, billable!);
    }
    const codes = catalogDiagnoses(MISMATCH_DX);
    expect(codes.length).toBeGreaterThan(80);
    const missing = codes.filter((c) => !icd.has(c));
    expect(missing).toEqual([]);
    const notBillable = codes.filter((c) => icd.get(c) !== '1');
    expect(notBillable).toEqual([]);
    expect(TRUNCATED_DX.size).toBeGreaterThan(30);
    for (const c of TRUNCATED_DX) expect(icd.get(c), c).toBe('0');
  });

  it('uses real CPT numbers (5 digits) or HCPCS Level II codes, with charges and flags', () => {
    const hcpcs = firstColumn(HCPCS_FILE);
    for (const p of PROCEDURES) {
      const ok = /^[0-9]{5}$/.test(p.code) || hcpcs.has(p.code);
      expect(ok, p.code).toBe(true);
      expect(p.charge, p.code).toBeGreaterThan(0);
      expect(p.label.length, p.code).toBeGreaterThan(5);
    }
    expect(new Set(PROCEDURES.map((p) => p.code)).size).toBe(PROCEDURES.length);
    const pa = PROCEDURES.filter((p) => p.pa).map((p) => p.code);
    // Prior authorization covers advanced imaging, elective surgery, specialty drugs and DME.
    for (const code of ['72148', '74177', '27447', 'J9271', 'E0601']) expect(pa).toContain(code);
  });

  it('uses MS-DRGs, revenue codes and taxonomy codes that exist', () => {
    const drg = firstColumn(`${TUVA}/terminology__ms_drg.csv`);
    for (const r of ADMIT_REASONS) {
      for (const code of r.drg) {
        expect(drg.has(code), `${r.key} ${code}`).toBe(true);
        expect(drg.get(code)!.at(-2), `${code} deprecated`).toBe('0');
      }
    }
    const rev = firstColumn(`${TUVA}/terminology__revenue_center.csv`);
    for (const p of PROCEDURES) if (p.rev) expect(rev.has(p.rev), p.rev).toBe(true);
    for (const k of [...INDIVIDUAL_KINDS, ...ORG_KINDS]) expect(k.taxonomy).toMatch(/^[0-9A-Z]{9}X$/);
  });

  it('ships real 11-digit NDCs with PQA classes, insulin outside the diabetes class', () => {
    const rows = readNdcFile();
    expect(new Set(rows.map((r) => r.ndc)).size).toBe(rows.length);
    for (const r of rows) {
      expect(r.ndc).toMatch(/^[0-9]{11}$/);
      expect(['statins', 'ras_antagonists', 'diabetes_non_insulin', '']).toContain(r.pdcClass);
    }
    const drugsOf = (cls: string) => new Set(rows.filter((r) => r.pdcClass === cls).map((r) => r.drug));
    expect([...drugsOf('statins')].sort()).toEqual([
      'atorvastatin',
      'pravastatin',
      'rosuvastatin',
      'simvastatin',
    ]);
    expect(drugsOf('ras_antagonists').size).toBeGreaterThanOrEqual(4);
    expect(drugsOf('diabetes_non_insulin').size).toBeGreaterThanOrEqual(4);
    expect(rows.filter((r) => r.drug === 'insulin glargine').every((r) => r.pdcClass === '')).toBe(true);
    for (const d of ['levothyroxine', 'amlodipine', 'sertraline', 'albuterol'])
      expect(rows.some((r) => r.drug === d)).toBe(true);
    // Every drug the generator dispenses resolves to NDCs of the shipped file.
    const all = drugs();
    for (const list of Object.values(GROUP_CHOICES))
      for (const [name] of list) expect(all.get(name)?.ndcs.length).toBeGreaterThan(0);
  });
});

describe('NPI check digit', () => {
  it('follows the CMS Luhn rule over the 80840 prefix', () => {
    // The CMS worked example: base 123456789 has check digit 3.
    expect(npiCheckDigit('123456789')).toBe(3);
    expect(isValidNpi('1234567893')).toBe(true);
    expect(isValidNpi('1234567890')).toBe(false);
    // Equivalent to a plain Luhn check over the 15-digit '80840' + NPI.
    const luhn = (digits: string) => {
      let sum = 0;
      for (let i = 0; i < digits.length; i++) {
        let d = Number(digits[digits.length - 1 - i]);
        if (i % 2 === 1) {
          d *= 2;
          if (d > 9) d -= 9;
        }
        sum += d;
      }
      return sum % 10 === 0;
    };
    for (let i = 0; i < 500; i++) {
      const base = String(100000000 + ((i * 7919) % 900000000)).slice(0, 9);
      const npi = `${base}${npiCheckDigit(base)}`;
      expect(luhn(`80840${npi}`)).toBe(true);
    }
  });
});
