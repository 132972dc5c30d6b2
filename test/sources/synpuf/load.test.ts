// The DE-SynPUF adapter on the real Sample-1 subset (../shared/datasets/cms-desynpuf): rows per input
// table, totals written down by hand from the raw files (the command that computed each is in the
// comment next to it, run in ../shared/datasets/cms-desynpuf), the quarantine and the declared gaps.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Warehouse } from '../../../src/engine/duckdb.ts';
import { loadSource, type SourceLoadReport } from '../../../src/sources/index.ts';

const SAMPLE = '../shared/datasets/cms-desynpuf';
const IP = 'DE1_0_2008_to_2010_Inpatient_Claims_Sample_1.csv';
const PDE = 'DE1_0_2008_to_2010_Prescription_Drug_Events_Sample_1_subset.csv';

const tmp = mkdtempSync(join(tmpdir(), 'synpuf-load-'));
let report: SourceLoadReport;
let wh: Warehouse;

beforeAll(async () => {
  const path = join(tmp, 'w.duckdb');
  report = await loadSource(path, SAMPLE, { format: 'synpuf' });
  wh = await Warehouse.open(path, { readOnly: true });
});

afterAll(async () => {
  await wh?.close();
  rmSync(tmp, { recursive: true, force: true });
});

/** The one row of an aggregate query (the warehouse already gives BIGINT and DECIMAL as numbers). */
async function one<T>(sql: string): Promise<T> {
  return (await wh.one<T>(sql))!;
}

describe('DE-SynPUF Sample-1 subset', () => {
  it('reads every file and writes rows per input table', () => {
    const source = report.source!;
    expect(source.files.map((f) => [f.file, f.records])).toEqual([
      // awk 'NR>1' FILE | wc -l, for each file
      ['DE1_0_2008_Beneficiary_Summary_File_Sample_1.csv', 14771],
      ['DE1_0_2009_Beneficiary_Summary_File_Sample_1.csv', 14544],
      ['DE1_0_2010_Beneficiary_Summary_File_Sample_1.csv', 14328],
      [IP, 8600],
      [PDE, 4998],
    ]);
    // Spans = bene-year rows with HI, SMI, PLAN and HMO months > 0:
    // awk -F, 'FNR>1{a+=($9>0); b+=($10>0); d+=($12>0); h+=($11>0)} END{print a,b,d,h,a+b+d+h}' DE1_0_20??_Beneficiary*.csv
    // → 41326 40222 33337 12240 127125
    expect(source.tables).toEqual({
      eligibility: 127125,
      medical_claim: 8600,
      pharmacy_claim: 4998,
      payer: 4,
    });
    expect(report.recognized).toContain('CMS DE-SynPUF');
  });

  it('loads and quarantines what the contract says, with the source line', async () => {
    const byTable = Object.fromEntries(
      report.load.tables.map((t) => [t.table, [t.rowsLoaded, t.rowsQuarantined]]),
    );
    expect(byTable).toEqual({
      payer: [4, 0],
      eligibility: [127125, 0],
      medical_claim: [8590, 10],
      pharmacy_claim: [4897, 101],
    });
    // Inpatient records without CLM_FROM_DT (the second segments of 10 claims):
    // awk -F, 'NR>1 && $4==""{print NR}' DE1_0_2008_to_2010_Inpatient_Claims_Sample_1.csv
    const lines = await wh.all<{ source_line: number }>(
      `SELECT DISTINCT source_line FROM input.quarantine WHERE table_name = 'medical_claim' ORDER BY 1`,
    );
    expect(lines.map((l) => Number(l.source_line))).toEqual([
      1777, 2581, 4070, 5705, 6070, 6558, 7197, 7400, 7859, 8003,
    ]);
    const rules = await wh.all<{ table_name: string; rule: string; column_name: string; n: number }>(
      'SELECT table_name, rule, column_name, count(*)::INTEGER AS n FROM input.quarantine GROUP BY ALL ORDER BY ALL',
    );
    expect(rules).toEqual([
      // The 10 second segments lack from and through dates (and a diagnosis, which the icd10_diagnoses gap
      // waives: 4 first segments without ICD9_DGNS_CD_1 load).
      { table_name: 'medical_claim', rule: 'required', column_name: 'claim_end_date', n: 10 },
      { table_name: 'medical_claim', rule: 'required', column_name: 'claim_start_date', n: 10 },
      // awk -F, 'NR>1 && $6==0' DE1_0_2008_to_2010_Prescription_Drug_Events_Sample_1_subset.csv | wc -l → 101
      { table_name: 'pharmacy_claim', rule: 'range', column_name: 'days_supply', n: 101 },
    ]);
  });

  it('keeps the inpatient totals of the raw file', async () => {
    const ip = await one<{ lines: number; claims: number; persons: number; paid: number; allowed: number }>(
      `SELECT count(*) AS lines, count(DISTINCT claim_id) AS claims, count(DISTINCT person_id) AS persons,
         sum(paid_amount)::DOUBLE AS paid, sum(allowed_amount)::DOUBLE AS allowed
       FROM input.medical_claim`,
    );
    // Loadable records (from date given):
    // awk -F, 'NR>1 && $4!=""{n++; s+=$7; a+=$7+$8+$15+$16+$17} END{printf "%d %.2f %.2f\n", n, s, a}' IP
    // → 8590 81711560.00 95172286.00; distinct CLM_ID (cut -f2) 8590, distinct DESYNPUF_ID (cut -f1) 4842
    expect(ip).toEqual({ lines: 8590, claims: 8590, persons: 4842, paid: 81711560, allowed: 95172286 });
    const codes = await one<{ icd9: number; drg: number; npi: number; negative: number; charge: number }>(
      `SELECT count(*) FILTER (WHERE diagnosis_code_type = 'icd-9-cm') AS icd9,
         count(*) FILTER (WHERE drg_code IS NULL) AS drg, count(rendering_npi) AS npi,
         count(*) FILTER (WHERE paid_amount < 0) AS negative, sum(charge_amount)::DOUBLE AS charge
       FROM input.medical_claim`,
    );
    // CLM_DRG_CD 'OTH' on 39 records (all second segments among them), 33 loaded; AT_PHYSN_NPI on 8520 loaded:
    // awk -F, 'NR>1 && $4!="" && $20=="OTH"' IP | wc -l → 33
    // awk -F, 'NR>1 && $4!="" && $9!=""' IP | wc -l → 8520
    // awk -F, 'NR>1 && $7<0' IP | wc -l → 12 (CLM_PMT_AMT below 0, loaded as they are)
    expect(codes).toEqual({ icd9: 8590, drg: 33, npi: 8520, negative: 12, charge: 0 });
    expect(report.source!.warnings).toContain(
      `${IP}: 39 CLM_DRG_CD values are not a 3-digit MS-DRG and were left empty (first at record 820; OTH)`,
    );
  });

  it('keeps the drug-event totals of the raw file', async () => {
    const rx = await one<{ n: number; persons: number; allowed: number; paid: number; negative: number }>(
      `SELECT count(*) AS n, count(DISTINCT person_id) AS persons, sum(allowed_amount)::DOUBLE AS allowed,
         sum(paid_amount)::DOUBLE AS paid, count(*) FILTER (WHERE paid_amount < 0) AS negative
       FROM input.pharmacy_claim`,
    );
    // awk -F, 'NR>1 && $6>0{n++; t+=$8; p+=$7; neg+=($7>$8)} END{printf "%d %.2f %.2f %d\n", n, t, t-p, neg}' PDE
    // → 4897 295440.00 245350.00 259; distinct DESYNPUF_ID of those rows: 99
    expect(rx).toEqual({ n: 4897, persons: 99, allowed: 295440, paid: 245350, negative: 259 });
  });

  it('turns beneficiary-years into spans per part, cut at death', async () => {
    const plans = await wh.all<{ payer: string; plan: string; payer_type: string; n: number }>(
      'SELECT payer, plan, payer_type, count(*)::INTEGER AS n FROM input.eligibility GROUP BY ALL ORDER BY ALL',
    );
    expect(plans).toEqual([
      { payer: 'Medicare Advantage', plan: 'HMO', payer_type: 'medicare_advantage', n: 12240 },
      { payer: 'Medicare Part A', plan: 'Part A', payer_type: 'medicare', n: 41326 },
      { payer: 'Medicare Part B', plan: 'Part B', payer_type: 'medicare', n: 40222 },
      { payer: 'Medicare Part D', plan: 'Part D', payer_type: 'medicare', n: 33337 },
    ]);
    const people = await one<{ persons: number; dead: number; states: number; nostate: number }>(
      `SELECT count(DISTINCT person_id) AS persons, count(DISTINCT person_id) FILTER (WHERE death_flag) AS dead,
         count(DISTINCT state) AS states, count(*) FILTER (WHERE state IS NULL) AS nostate
       FROM input.eligibility`,
    );
    // Persons with any coverage month: awk -F, 'FNR>1 && ($9>0||$10>0||$11>0||$12>0){print $1}' DE1_0_20??_B*.csv | sort -u | wc -l → 14762
    // 701 beneficiaries have a death date (in the summary of the year of death only), 692 of them a coverage month:
    // awk -F, 'FNR>1{if($3!="") d[$1]=1; if($9>0||$10>0||$11>0||$12>0) c[$1]=1} END{for(k in d) if(k in c) n++; print n}' DE1_0_20??_B*.csv
    // SP_STATE_CODE takes 52 values: 50 states + DC (SSA 01..53 without 40 PR and 48 VI) and 54 (others, no state)
    expect(people.persons).toBe(14762);
    expect(people.dead).toBe(692);
    expect(people.states).toBe(51);
    expect(people.nostate).toBeGreaterThan(0);
    // Part A months of the year, cut at the month of death:
    // for f in DE1_0_20??_B*.csv; do awk -F, -v y=${f:6:4} 'NR>1{m=$9+0; if($3!="" && substr($3,1,4)==y
    //   && substr($3,5,2)+0<m) m=substr($3,5,2)+0; s+=m} END{print s}' $f; done → 163759 162425 159587
    const months = await one<{ months: number }>(
      `SELECT sum(datediff('month', enrollment_start_date, enrollment_end_date) + 1)::INTEGER AS months
       FROM input.eligibility WHERE plan = 'Part A'`,
    );
    expect(months.months).toBe(163759 + 162425 + 159587);
    expect(report.source!.warnings[0]).toMatch(
      /^9 beneficiaries have no month of Part A, B, D or HMO coverage/,
    );
  });

  it('records the gaps of the source', async () => {
    const ndc = report.source!.gaps.find((g) => g.capability === 'ndc_codes');
    expect(ndc?.reason).toContain('(5 of 4,993 beneficiary-NDC pairs have a second fill)');
    const gaps = await wh.all<{ capability: string }>(
      'SELECT DISTINCT capability FROM input.source_gap ORDER BY 1',
    );
    expect(gaps.map((g) => g.capability)).toEqual([
      'adjustment_reasons',
      'charge_amounts',
      'claim_status',
      'ehr_encounters',
      'facility_npi',
      'finance_ledger',
      'icd10_diagnoses',
      // 5 of the 4,993 beneficiary-NDC pairs of the 4,998 drug events are filled twice:
      // awk -F, 'NR>1{c[$1","$4]++} END{for(k in c){n++; r+=(c[k]>1)}; print n, r}' PDE → 4993 5
      'ndc_codes',
      'paid_dates',
      'payments',
      'prior_authorization',
      // inpatient claims carry no HCPCS and the folder has no outpatient or carrier file
      'procedure_codes',
      'submission_dates',
    ]);
  });
});
