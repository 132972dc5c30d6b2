// The DE-SynPUF adapter on the OHDSI ETL-CMS fixtures (every file kind, carrier and outpatient
// included), its recognition of folders, and malformed files: errors that name the file and line.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Warehouse } from '../../../src/engine/duckdb.ts';
import { ClaimlensError } from '../../../src/errors.ts';
import { loadSource, recognize, type SourceLoadReport } from '../../../src/sources/index.ts';
import { parseSynpufName } from '../../../src/sources/synpuf/files.ts';

const FIXTURES = '../shared/datasets/cms-desynpuf/ohdsi_etl_cms_fixtures';
const BENE = (y: number) => `DE1_0_${y}_Beneficiary_Summary_File_Sample_0.csv`;
const IP = 'DE1_0_2008_to_2010_Inpatient_Claims_Sample_0.csv';
const OP = 'DE1_0_2008_to_2010_Outpatient_Claims_Sample_0.csv';
const PDE = 'DE1_0_2008_to_2010_Prescription_Drug_Events_Sample_0.csv';

const tmp = mkdtempSync(join(tmpdir(), 'synpuf-fixtures-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

let n = 0;
/** A folder with the beneficiary summaries and the inpatient fixture, plus `files` (name → text). */
function folder(files: Record<string, string> = {}, base = [BENE(2008), BENE(2009), BENE(2010), IP]): string {
  const dir = join(tmp, `case-${++n}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir);
  for (const f of base) copyFileSync(join(FIXTURES, f), join(dir, f));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const fixture = (file: string) => readFileSync(join(FIXTURES, file), 'utf8');

async function loadError(dir: string): Promise<ClaimlensError> {
  const err = await loadSource(join(tmp, `bad-${++n}.duckdb`), dir, { format: 'synpuf' }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ClaimlensError);
  return err as ClaimlensError;
}

describe('recognizing DE-SynPUF files', () => {
  it('reads the CMS names with any sample, part letter, suffix and download prefix', () => {
    expect(parseSynpufName('DE1_0_2008_Beneficiary_Summary_File_Sample_1.csv')).toEqual({
      file: 'DE1_0_2008_Beneficiary_Summary_File_Sample_1.csv',
      kind: 'beneficiary',
      year: 2008,
      sample: '1',
    });
    expect(parseSynpufName('DE1_0_2008_to_2010_Carrier_Claims_Sample_12B.csv')).toMatchObject({
      kind: 'carrier',
      sample: '12B',
    });
    expect(parseSynpufName('DE1_0_2008_to_2010_Prescription_Drug_Events_Sample_1_subset.csv')?.kind).toBe(
      'pde',
    );
    expect(parseSynpufName('DE1_0_2008_to_2010_Outpatient_Claims_Sample_3_small.csv')?.kind).toBe(
      'outpatient',
    );
    expect(parseSynpufName('176549_DE1_0_2008_to_2010_Inpatient_Claims_Sample_1.csv')?.kind).toBe(
      'inpatient',
    );
    expect(parseSynpufName('de1_0_2010_beneficiary_summary_file_sample_20.CSV')?.year).toBe(2010);
    expect(parseSynpufName('DE1_0_2008_to_2010_Inpatient_Claims_Sample_1.zip')).toBeUndefined();
    expect(parseSynpufName('SOURCE.md')).toBeUndefined();
    expect(parseSynpufName('claims.csv')).toBeUndefined();
  });

  it('recognizes the sample and the fixture folders with --format auto, and says what it saw', () => {
    const sample = recognize('../shared/datasets/cms-desynpuf');
    expect(sample.kind === 'source' && sample.adapter.format).toBe('synpuf');
    expect(sample.kind === 'source' && sample.detection.summary).toBe(
      'CMS DE-SynPUF files (beneficiary summary, inpatient claims, prescription drug events: 5 files)',
    );
    const fixtures = recognize(FIXTURES);
    expect(fixtures.kind === 'source' && fixtures.detection.files).toHaveLength(8);
    expect(recognize('../shared/datasets/x12-edi/edi-835-parser').kind === 'source').toBe(true);
    const x12 = recognize('../shared/datasets/x12-edi/edi-835-parser');
    expect(x12.kind === 'source' && x12.adapter.format).not.toBe('synpuf');
  });
});

describe('the OHDSI ETL-CMS fixtures', () => {
  let report: SourceLoadReport;
  let wh: Warehouse;
  beforeAll(async () => {
    const path = join(tmp, 'fixtures.duckdb');
    report = await loadSource(path, FIXTURES, { format: 'auto' });
    wh = await Warehouse.open(path, { readOnly: true });
  });
  afterAll(async () => {
    await wh?.close();
  });

  it('loads every file kind with no quarantine', () => {
    expect(report.source?.format).toBe('synpuf');
    // 2 beneficiaries x 3 years: one with Part A, B, D (3 spans), one with A, B, D and HMO (4 spans).
    expect(report.source?.tables).toEqual({
      eligibility: 21,
      medical_claim: 10,
      pharmacy_claim: 2,
      payer: 4,
    });
    expect(report.load.rowsQuarantined).toBe(0);
    expect(report.source?.warnings).toEqual([
      `${IP}: 1 AT_PHYSN_NPI value is not a 10-digit NPI and was left empty (first at record 2; 426619309)`,
    ]);
  });

  it('maps carrier slots, outpatient HCPCS lists and inpatient claims to lines', async () => {
    const rows = await wh.all(
      `SELECT claim_id, claim_line_number::INTEGER AS line, claim_type, payer, hcpcs_code, rendering_npi,
         bill_type_code, drg_code, paid_amount::DOUBLE AS paid, allowed_amount::DOUBLE AS allowed,
         coinsurance_amount::DOUBLE AS coinsurance, deductible_amount::DOUBLE AS deductible, claim_status,
         diagnosis_code_1, procedure_code_type
       FROM input.medical_claim ORDER BY claim_id, claim_line_number`,
    );
    const row = (
      claim_id: string,
      line: number,
      claim_type: string,
      payer: string,
      hcpcs_code: string | null,
      rendering_npi: string | null,
      bill_type_code: string | null,
      drg_code: string | null,
      [paid, allowed, coinsurance, deductible]: number[],
      diagnosis_code_1: string,
      procedure_code_type: string | null = null,
    ) => ({
      claim_id,
      line,
      claim_type,
      payer,
      hcpcs_code,
      rendering_npi,
      bill_type_code,
      drg_code,
      paid,
      allowed,
      coinsurance,
      deductible,
      claim_status: 'paid',
      diagnosis_code_1,
      procedure_code_type,
    });
    const B = 'Medicare Part B';
    const A = 'Medicare Part A';
    expect(rows).toEqual([
      // Carrier 0A: slot 1 only (HCPCS 66984, paid 80, coinsurance 20, allowed 100, indicator A).
      row(
        '436313306961904',
        1,
        'professional',
        B,
        '66984',
        '8914837640',
        null,
        null,
        [80, 100, 20, 0],
        '36632',
      ),
      // Carrier 0B: three slots of one performing NPI.
      row(
        '436463304724170',
        1,
        'professional',
        B,
        '99337',
        '6513947302',
        null,
        null,
        [50, 70, 10, 0],
        'V0751',
      ),
      row(
        '436463304724170',
        2,
        'professional',
        B,
        '90775',
        '6513947302',
        null,
        null,
        [10, 10, 0, 0],
        'V0751',
      ),
      row(
        '436463304724170',
        3,
        'professional',
        B,
        '17003',
        '6513947302',
        null,
        null,
        [20, 20, 0, 0],
        'V0751',
      ),
      // Inpatient: allowed = CLM_PMT_AMT 13000 + IP deductible 1068; ICD-9 procedure 7869.
      row(
        '744651196200598',
        1,
        'institutional',
        A,
        null,
        '1381846290',
        '111',
        '494',
        [13000, 14068, 0, 1068],
        '71537',
        'icd-9-pcs',
      ),
      // The 9-digit attending NPI is left empty; allowed = 3000 + deductible 1100.
      row('744861196237234', 1, 'institutional', A, null, null, '111', '922', [3000, 4100, 0, 1100], '95919'),
      // Outpatient: one line per HCPCS code, the claim's amounts on the first (60 + coinsurance 20).
      row(
        '90182200681875',
        1,
        'institutional',
        B,
        '10061',
        '2484358033',
        '131',
        null,
        [60, 80, 20, 0],
        '70401',
      ),
      row('90182200681875', 2, 'institutional', B, '99213', '2484358033', '131', null, [0, 0, 0, 0], '70401'),
      row(
        '90322200093989',
        1,
        'institutional',
        B,
        '72114',
        '2462820318',
        '131',
        null,
        [70, 70, 0, 0],
        '73603',
      ),
      row('90322200093989', 2, 'institutional', B, '99282', '2462820318', '131', null, [0, 0, 0, 0], '73603'),
    ]);
  });

  it('maps drug events and spans', async () => {
    const rx = await wh.all(
      `SELECT claim_id, CAST(dispensing_date AS VARCHAR) AS date, ndc_code, days_supply::INTEGER AS days,
         paid_amount::DOUBLE AS paid, allowed_amount::DOUBLE AS allowed, payer FROM input.pharmacy_claim ORDER BY 1`,
    );
    expect(rx).toEqual([
      // TOT_RX_CST_AMT 270, PTNT_PAY_AMT 10.
      {
        claim_id: '782144413002221',
        date: '2010-03-30',
        ndc_code: '61392018345',
        days: 30,
        paid: 260,
        allowed: 270,
        payer: 'Medicare Part D',
      },
      // Patient pay 20 above the total cost 10: the plan's share is -10, loaded as it is.
      {
        claim_id: '782974413241711',
        date: '2008-04-07',
        ndc_code: '53746022010',
        days: 90,
        paid: -10,
        allowed: 10,
        payer: 'Medicare Part D',
      },
    ]);
    const spans = await wh.all(
      `SELECT person_id, plan, count(*)::INTEGER AS years, min(state) AS state, min(gender) AS gender
       FROM input.eligibility GROUP BY ALL ORDER BY ALL`,
    );
    // SP_STATE_CODE 15 (SSA) is Indiana, 05 California.
    expect(spans).toEqual([
      { person_id: '0002056B40CEE448', plan: 'Part A', years: 3, state: 'IN', gender: 'female' },
      { person_id: '0002056B40CEE448', plan: 'Part B', years: 3, state: 'IN', gender: 'female' },
      { person_id: '0002056B40CEE448', plan: 'Part D', years: 3, state: 'IN', gender: 'female' },
      { person_id: '0004D03F1BD5E607', plan: 'HMO', years: 3, state: 'CA', gender: 'male' },
      { person_id: '0004D03F1BD5E607', plan: 'Part A', years: 3, state: 'CA', gender: 'male' },
      { person_id: '0004D03F1BD5E607', plan: 'Part B', years: 3, state: 'CA', gender: 'male' },
      { person_id: '0004D03F1BD5E607', plan: 'Part D', years: 3, state: 'CA', gender: 'male' },
    ]);
    const gaps = await wh.all<{ capability: string }>('SELECT capability FROM input.source_gap ORDER BY 1');
    // Carrier and outpatient lines carry HCPCS codes: procedure_codes is not a gap here.
    expect(gaps.map((g) => g.capability)).not.toContain('procedure_codes');
    expect(gaps.map((g) => g.capability)).toContain('claim_status');
  });
});

describe('carrier line processing indicators', () => {
  it('loads a line Medicare did not allow (N: medically unnecessary) as denied', async () => {
    const CAR = 'DE1_0_2008_to_2010_Carrier_Claims_Sample_0B.csv';
    // Slots 1..3 are allowed (A, A, A); make slot 2 N.
    const text = fixture(CAR).replace(',A,A,A,', ',A,N,A,');
    expect(text).not.toBe(fixture(CAR));
    const dir = folder({ [CAR]: text }, [BENE(2008)]);
    const path = join(tmp, 'carrier.duckdb');
    await loadSource(path, dir, { format: 'synpuf' });
    const wh = await Warehouse.open(path, { readOnly: true });
    try {
      const rows = await wh.all<{ line: number; claim_status: string }>(
        'SELECT claim_line_number::INTEGER AS line, claim_status FROM input.medical_claim ORDER BY 1',
      );
      expect(rows).toEqual([
        { line: 1, claim_status: 'paid' },
        { line: 2, claim_status: 'denied' },
        { line: 3, claim_status: 'paid' },
      ]);
    } finally {
      await wh.close();
    }
  });
});

describe('carrier records without a line', () => {
  it('puts a record with no slot in use in the quarantine with its source line', async () => {
    const CAR = 'DE1_0_2008_to_2010_Carrier_Claims_Sample_0A.csv';
    const [header, data] = fixture(CAR).trimEnd().split('\n') as [string, string];
    const cols = header.split(',').map((c) => c.replaceAll('"', ''));
    const vals = data.split(',');
    const keep = ['DESYNPUF_ID', 'CLM_FROM_DT', 'CLM_THRU_DT', 'ICD9_DGNS_CD_1'];
    const empty = cols
      .map((c, i) => {
        if (keep.includes(c)) return vals[i];
        if (c === 'CLM_ID') return '999';
        return /^LINE_(NCH|BENE|COINSRNC|ALOWD)/.test(c) ? '0' : '';
      })
      .join(',');
    const dir = folder({ [CAR]: `${header}\n${data}\n${empty}\n` }, [BENE(2008)]);
    const path = join(tmp, 'carrier-empty.duckdb');
    const report = await loadSource(path, dir, { format: 'synpuf' });
    expect(report.source?.warnings).toContain(
      `${CAR}: 1 carrier record(s) have no line in use (no HCPCS, NPI, processing indicator or amount) and were not loaded (first at record 2)`,
    );
    const wh = await Warehouse.open(path, { readOnly: true });
    try {
      const q = await wh.all(
        'SELECT table_name, source_file, source_line::INTEGER AS line, rule FROM input.quarantine',
      );
      expect(q).toEqual([
        { table_name: 'medical_claim', source_file: CAR, line: 3, rule: 'source_synpuf_no_line' },
      ]);
      const lines = await wh.one<{ n: number }>('SELECT count(*)::INTEGER AS n FROM input.medical_claim');
      expect(lines?.n).toBe(1);
    } finally {
      await wh.close();
    }
  });
});

describe('malformed DE-SynPUF files', () => {
  it('names the file and line of bad quoting', async () => {
    const lines = fixture(IP).split('\n');
    lines[2] = lines[2]!.replace('0004D03F1BD5E607,', '"0004D03F1BD5E607,');
    const err = await loadError(folder({ [IP]: lines.join('\n') }, [BENE(2008)]));
    expect(err.location?.file).toBe(IP);
    expect(err.message).toMatch(/malformed CSV/);
    expect(err.location?.line).toBe(3);
  });

  it('names the file and line of a record with too many fields', async () => {
    const text = `${fixture(PDE).trimEnd()}\n0004D03F1BD5E607,1,20080407,53746022010,30,90,20,10,99\n`;
    const err = await loadError(folder({ [PDE]: text }));
    expect(err.location?.file).toBe(PDE);
    expect(err.location?.line).toBe(4);
  });

  it('names the file and the column a header lacks', async () => {
    const text = fixture(OP).replace('"CLM_PMT_AMT",', '');
    const err = await loadError(folder({ [OP]: text }));
    expect(err.location).toEqual({ file: OP, line: 1 });
    expect(err.message).toContain('CLM_PMT_AMT');
  });

  it('names an empty file', async () => {
    const err = await loadError(folder({ [PDE]: '' }));
    expect(err.location).toEqual({ file: PDE, line: 1 });
    expect(err.message).toContain('empty');
  });

  it('needs a beneficiary summary and a claims file', async () => {
    const noBene = folder({}, [IP]);
    expect((await loadError(noBene)).message).toContain('no DE-SynPUF beneficiary summary file');
    const noClaims = folder({}, [BENE(2008), PDE]);
    expect((await loadError(noClaims)).message).toContain('no DE-SynPUF claims file');
  });

  it('quarantines a record whose date is not a date, naming the source line', async () => {
    const lines = fixture(IP).split('\n');
    lines[1] = lines[1]!.replace(',20090208,20090210,', ',20090231,20090210,');
    const dir = folder({ [IP]: lines.join('\n') });
    const path = join(tmp, 'date.duckdb');
    const report = await loadSource(path, dir, { format: 'synpuf' });
    expect(report.load.rowsQuarantined).toBe(1);
    const wh = await Warehouse.open(path, { readOnly: true });
    try {
      const q = await wh.all(
        'SELECT source_file, source_line::INTEGER AS line, column_name, value FROM input.quarantine',
      );
      expect(q).toEqual([
        {
          source_file: `medical_claim/${IP.replace('.csv', '')}.csv`,
          line: 2,
          column_name: 'claim_start_date',
          value: '20090231',
        },
      ]);
    } finally {
      await wh.close();
    }
  });
});
