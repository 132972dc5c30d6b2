// Loads the shipped code sets into a scratch warehouse and checks counts, code forms and known
// lookups against values written down by hand from the sources (Federal Register, X12, CMS).
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CODESETS,
  codesetsDir,
  loadCodesets,
  lookupCode,
  normalizeCode,
  UNKNOWN_CODE,
} from '../../src/codesets/registry.ts';
import { Warehouse } from '../../src/engine/duckdb.ts';
import { ClaimlensError } from '../../src/errors.ts';

/** Row counts of the shipped files, from the source SOURCE.md files and our own extracts. */
const EXPECTED_ROWS: Record<string, number> = {
  icd10cm: 95358,
  icd9cm_dx: 14567,
  icd9cm_pcs: 3882,
  place_of_service: 50,
  bill_type: 1701,
  revenue_center: 526,
  ms_drg: 812,
  mdc: 25,
  discharge_disposition: 44,
  hcpcs_level2: 7500,
  ccsr_category: 544,
  denial_root_cause: 11,
  carc_root_cause: 401,
  carc: 401,
  rarc: 1083,
  clp02_claim_status: 17,
  poverty_guidelines: 72,
  restricted_zip3: 17,
  readmission_planned: 308,
  readmission_exclusion_dx: 65,
  readmission_chronic_condition: 94,
  pqi_condition: 130,
};

let wh: Warehouse;

beforeAll(async () => {
  wh = await Warehouse.open(':memory:');
  await loadCodesets(wh);
});

afterAll(async () => {
  await wh.close();
});

async function scalar<T>(sql: string, params?: (string | number)[]): Promise<T> {
  const row = await wh.one<{ v: T }>(sql, params);
  return row?.v as T;
}

describe('loadCodesets', () => {
  it('loads every registered code set with its expected row count', async () => {
    for (const spec of CODESETS) {
      const n = await scalar<number>(`SELECT count(*) AS v FROM codes.${spec.name}`);
      if (spec.name === 'ndc_drug_class') {
        // Maintained by another module; its count is whatever its file holds.
        const path = join(codesetsDir(), spec.file);
        const lines = existsSync(path) ? readFileSync(path, 'utf8').trim().split('\n').length - 1 : 0;
        expect(n, spec.name).toBe(lines);
        continue;
      }
      expect(EXPECTED_ROWS[spec.name], `${spec.name} needs an expected count`).toBeDefined();
      expect(n, spec.name).toBe(EXPECTED_ROWS[spec.name]);
    }
  });

  it('keeps codes as text with their leading zeros', async () => {
    expect(await lookupCode(wh, 'place_of_service', '01')).toBe('Pharmacy');
    expect(await lookupCode(wh, 'revenue_center', '0450')).toBe('Emergency Room ER');
    expect(await lookupCode(wh, 'bill_type', '111')).toBe(
      'Hospital Inpatient (Part A) Admit Through Discharge',
    );
    expect(await lookupCode(wh, 'discharge_disposition', '01')).toBe(
      'Discharged to home/self-care (routine charge)',
    );
    expect(await lookupCode(wh, 'ms_drg', '001')).toBe(
      'HEART TRANSPLANT OR IMPLANT OF HEART ASSIST SYSTEM WITH MCC',
    );
    expect(await lookupCode(wh, 'mdc', '05')).toBe('Diseases and Disorders of the Circulatory System');
    const types = await wh.all<{ column_name: string; data_type: string }>(
      `SELECT column_name, data_type FROM information_schema.columns
       WHERE table_schema = 'codes' AND table_name = 'place_of_service' ORDER BY ordinal_position`,
    );
    expect(types).toEqual([
      { column_name: 'code', data_type: 'VARCHAR' },
      { column_name: 'description', data_type: 'VARCHAR' },
    ]);
  });

  it('gives the columns other modules rely on', async () => {
    const columns = async (table: string) =>
      (
        await wh.all<{ c: string }>(
          `SELECT column_name AS c FROM information_schema.columns WHERE table_schema = 'codes' AND table_name = ? ORDER BY ordinal_position`,
          [table],
        )
      ).map((r) => r.c);
    expect(await columns('icd10cm')).toEqual(['code', 'description', 'billable', 'short_description']);
    expect((await columns('ms_drg')).slice(0, 3)).toEqual(['code', 'description', 'mdc_code']);
    expect(await columns('carc')).toEqual([
      'code',
      'description',
      'status',
      'stop_date',
      'notes',
      'root_cause',
      'preventable_at_submission',
    ]);
    for (const t of [
      'place_of_service',
      'bill_type',
      'revenue_center',
      'discharge_disposition',
      'hcpcs_level2',
    ]) {
      expect((await columns(t)).slice(0, 2), t).toEqual(['code', 'description']);
    }
  });

  it('ships trimmed, single-spaced descriptions', async () => {
    for (const spec of CODESETS.filter((s) => s.columns.some((c) => c.name === 'description'))) {
      const bad = await scalar<number>(
        `SELECT count(*) AS v FROM codes.${spec.name}
         WHERE description IS NULL OR description <> trim(description) OR description LIKE '%  %'`,
      );
      expect(bad, spec.name).toBe(0);
    }
  });
});

describe('CARC', () => {
  async function carc(code: string) {
    return wh.one<{
      description: string;
      root_cause: string;
      preventable_at_submission: boolean;
      status: string;
    }>('SELECT description, root_cause, preventable_at_submission, status FROM codes.carc WHERE code = ?', [
      code,
    ]);
  }

  it('maps 45 to contractual, not preventable', async () => {
    const r = await carc('45');
    expect(
      r?.description.startsWith(
        'Charge exceeds fee schedule/maximum allowable or contracted/legislated fee arrangement.',
      ),
    ).toBe(true);
    expect(r?.root_cause).toBe('contractual');
    expect(r?.preventable_at_submission).toBe(false);
    expect(await lookupCode(wh, 'carc', 'CO-45')).toBe(r?.description);
  });

  it('maps 197 to authorization (preventable), 29 to timely filing, 18 to duplicate, 1 to patient responsibility', async () => {
    expect(await carc('197')).toMatchObject({ root_cause: 'authorization', preventable_at_submission: true });
    expect(await carc('29')).toMatchObject({ root_cause: 'timely_filing', preventable_at_submission: true });
    expect(await carc('18')).toMatchObject({ root_cause: 'duplicate', preventable_at_submission: true });
    expect(await carc('1')).toMatchObject({
      root_cause: 'patient_responsibility',
      preventable_at_submission: false,
    });
    expect(await carc('50')).toMatchObject({
      root_cause: 'medical_necessity',
      preventable_at_submission: false,
    });
  });

  it('keeps retired codes seen in real 835s (42, A2) with their X12 text and stop date', async () => {
    const r42 = await wh.one<{ status: string; stop_date: string; root_cause: string; description: string }>(
      `SELECT status, stop_date, root_cause, description FROM codes.carc WHERE code = '42'`,
    );
    expect(r42).toEqual({
      status: 'retired',
      stop_date: '2007-06-01',
      root_cause: 'contractual',
      description: 'Charges exceed our fee schedule or maximum allowable amount. (Use CARC 45)',
    });
    expect(await carc('A2')).toMatchObject({ status: 'retired', root_cause: 'contractual' });
    expect(await lookupCode(wh, 'carc', '999')).toBe(UNKNOWN_CODE);
  });

  it('maps every CARC, and only the five front-end causes are preventable', async () => {
    expect(
      await scalar<number>(
        'SELECT count(*) AS v FROM codes.carc WHERE code NOT IN (SELECT carc_code FROM codes.carc_root_cause)',
      ),
    ).toBe(0);
    const preventable = await wh.all<{ code: string }>(
      'SELECT code FROM codes.denial_root_cause WHERE preventable_at_submission ORDER BY code',
    );
    expect(preventable.map((r) => r.code)).toEqual([
      'authorization',
      'coding',
      'duplicate',
      'eligibility_coverage',
      'timely_filing',
    ]);
    expect(await scalar<number>(`SELECT count(*) AS v FROM codes.carc WHERE status = 'retired'`)).toBe(110);
  });

  it('corrects the garbled OpenEMR text of 204', async () => {
    expect(await lookupCode(wh, 'carc', '204')).toBe(
      "This service/equipment/drug is not covered under the patient's current benefit plan",
    );
  });
});

describe('other lookups', () => {
  it('tells billable ICD-10-CM codes from category headers', async () => {
    const rows = await wh.all<{ code: string; billable: boolean }>(
      `SELECT code, billable FROM codes.icd10cm WHERE code IN ('E11', 'E119') ORDER BY code`,
    );
    expect(rows).toEqual([
      { code: 'E11', billable: false },
      { code: 'E119', billable: true },
    ]);
    expect(await lookupCode(wh, 'icd10cm', 'e11.9')).toBe('Type 2 diabetes mellitus without complications');
  });

  it('finds ICD-9-CM codes the way SynPUF writes them', async () => {
    expect(await lookupCode(wh, 'icd9cm_dx', '4280')).toBe('Congestive heart failure, unspecified');
    expect(await lookupCode(wh, 'icd9cm_pcs', '3722')).toBe('Left heart cardiac catheterization');
  });

  it('has the RARCs of the sample 835s and answers unknown for retired N14', async () => {
    expect(await lookupCode(wh, 'rarc', 'MA92')).toBe('Missing plan information for other insurance.');
    expect(await lookupCode(wh, 'rarc', 'N206')).toBe(
      'The supporting documentation does not match the information sent on the claim.',
    );
    expect(await lookupCode(wh, 'rarc', 'N14')).toBe(UNKNOWN_CODE);
  });

  it('has the 835 claim statuses', async () => {
    expect(await lookupCode(wh, 'clp02_claim_status', '4')).toBe('Denied');
    expect(await lookupCode(wh, 'clp02_claim_status', '22')).toBe('Reversal of Previous Payment');
  });

  it('puts CCSR categories under their body system', async () => {
    const r = await wh.one(
      'SELECT body_system, body_system_description FROM codes.ccsr_category WHERE code = ?',
      ['CIR019'],
    );
    expect(r).toEqual({ body_system: 'CIR', body_system_description: 'Diseases of the circulatory system' });
  });

  it('tells HCPCS modifiers from procedures', async () => {
    expect(await scalar<string>(`SELECT kind AS v FROM codes.hcpcs_level2 WHERE code = 'A1'`)).toBe(
      'modifier',
    );
    expect(await scalar<string>(`SELECT kind AS v FROM codes.hcpcs_level2 WHERE code = 'G0503'`)).toBe(
      'procedure',
    );
    // The source splits G0503's long text over two records; the continuation is appended.
    expect(await lookupCode(wh, 'hcpcs_level2', 'G0503')).toMatch(
      /treatment goals and are prepared for discharge from active treatment$/,
    );
  });

  it('lists the 17 Safe Harbor restricted three-digit ZIPs', async () => {
    const zips = await wh.all<{ code: string }>('SELECT code FROM codes.restricted_zip3 ORDER BY code');
    expect(zips.map((z) => z.code)).toEqual(
      '036 059 063 102 203 556 692 790 821 823 830 831 878 879 884 890 893'.split(' '),
    );
    expect(await lookupCode(wh, 'restricted_zip3', '03601')).not.toBe(UNKNOWN_CODE);
  });
});

describe('poverty guidelines', () => {
  // Federal Register notices: 88 FR 3424, 89 FR 2961, 90 FR 5917 (base for one person, amount per added person).
  const FR: [number, string, number, number][] = [
    [2025, 'contiguous', 15650, 5500],
    [2025, 'alaska', 19550, 6880],
    [2025, 'hawaii', 17990, 6330],
    [2024, 'contiguous', 15060, 5380],
    [2024, 'alaska', 18810, 6730],
    [2024, 'hawaii', 17310, 6190],
    [2023, 'contiguous', 14580, 5140],
    [2023, 'alaska', 18210, 6430],
    [2023, 'hawaii', 16770, 5910],
  ];

  it('matches base + (size - 1) x increment for sizes 1-8 in every year and region', async () => {
    for (const [year, region, base, step] of FR) {
      const rows = await wh.all<{
        household_size: number;
        guideline_amount: number;
        additional_person_amount: number;
      }>(
        `SELECT household_size, guideline_amount, additional_person_amount FROM codes.poverty_guidelines
         WHERE year = ? AND region = ? ORDER BY household_size`,
        [year, region],
      );
      expect(rows.map((r) => r.household_size)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      for (const r of rows) {
        expect(r.guideline_amount, `${year} ${region} ${r.household_size}`).toBe(
          base + (r.household_size - 1) * step,
        );
        expect(r.additional_person_amount).toBe(step);
      }
    }
  });

  it('gives $32,150 for a household of 4 in the 48 states in 2025', async () => {
    expect(
      await scalar<number>(
        `SELECT guideline_amount AS v FROM codes.poverty_guidelines WHERE year = 2025 AND region = 'contiguous' AND household_size = 4`,
      ),
    ).toBe(32150);
    expect(
      await scalar<number>(
        `SELECT guideline_amount AS v FROM codes.poverty_guidelines WHERE year = 2024 AND region = 'alaska' AND household_size = 8`,
      ),
    ).toBe(65920);
  });
});

describe('normalizeCode', () => {
  it('brings claim-side forms to the stored form', () => {
    expect(normalizeCode('bill_type', '0111')).toBe('111');
    expect(normalizeCode('revenue_center', '450')).toBe('0450');
    expect(normalizeCode('place_of_service', '1')).toBe('01');
    expect(normalizeCode('icd10cm', ' e11.65 ')).toBe('E1165');
    expect(normalizeCode('carc', 'PR 1')).toBe('1');
    expect(normalizeCode('carc', 'co-a2')).toBe('A2');
    expect(normalizeCode('ndc_drug_class', '1234-5678-90')).toBe('01234567890');
    expect(normalizeCode('ndc_drug_class', '12345-678-90')).toBe('12345067890');
  });

  it('refuses an unknown code set', () => {
    expect(() => normalizeCode('cpt', '99213')).toThrow(/unknown code set cpt/);
  });
});

describe('loading from a changed folder', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'claimlens-codesets-'));
    for (const spec of CODESETS) {
      const from = join(codesetsDir(), spec.file);
      if (existsSync(from) && spec.name !== 'ndc_drug_class') copyFileSync(from, join(dir, spec.file));
    }
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  async function withScratch<T>(work: (w: Warehouse) => Promise<T>): Promise<T> {
    const w = await Warehouse.open(':memory:');
    try {
      return await work(w);
    } finally {
      await w.close();
    }
  }

  it('creates an empty ndc_drug_class table when its file is absent', async () => {
    const result = await withScratch(async (w) => {
      const loaded = await loadCodesets(w, { dir });
      const n = await w.one<{ n: number }>('SELECT count(*) AS n FROM codes.ndc_drug_class');
      return { entry: loaded.find((l) => l.name === 'ndc_drug_class'), n: n?.n };
    });
    expect(result).toEqual({ entry: { name: 'ndc_drug_class', rows: 0, loaded: false }, n: 0 });
  });

  it('rejects a root-cause mapping with an unknown category, naming the file', async () => {
    const original = readFileSync(join(dir, 'carc_root_cause.csv'), 'utf8');
    writeFileSync(
      join(dir, 'carc_root_cause.csv'),
      original.replace('197,authorization,', '197,prior_auth,'),
    );
    try {
      const err = await withScratch((w) => loadCodesets(w, { dir })).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ClaimlensError);
      expect((err as ClaimlensError).message).toContain('prior_auth');
      expect((err as ClaimlensError).location?.file).toBe(join(dir, 'carc_root_cause.csv'));
    } finally {
      writeFileSync(join(dir, 'carc_root_cause.csv'), original);
    }
  });

  it('rejects a duplicated code', async () => {
    const original = readFileSync(join(dir, 'place_of_service.csv'), 'utf8');
    writeFileSync(join(dir, 'place_of_service.csv'), `${original}11,Office again\n`);
    try {
      const err = await withScratch((w) => loadCodesets(w, { dir })).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ClaimlensError);
      expect((err as ClaimlensError).message).toContain(
        'place_of_service: code must be unique and present; fix 11',
      );
    } finally {
      writeFileSync(join(dir, 'place_of_service.csv'), original);
    }
  });

  it('fails with input_missing when a required file is gone', async () => {
    const path = join(dir, 'mdc.csv');
    const original = readFileSync(path);
    rmSync(path);
    try {
      const err = await withScratch((w) => loadCodesets(w, { dir })).catch((e: unknown) => e);
      expect((err as ClaimlensError).code).toBe('input_missing');
    } finally {
      writeFileSync(path, original);
    }
  });
});
