// DE-SynPUF end to end: the Sample-1 subset loaded, the whole product built on it, and every KPI
// domain run; a few mart numbers checked against totals computed by hand from the raw files
// (commands in the comments, run in ../shared/datasets/cms-desynpuf).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.ts';
import { Warehouse } from '../../../src/engine/duckdb.ts';
import { KPI_DOMAINS } from '../../../src/services/domains.ts';
import { type KpiResult, runKpiDomain } from '../../../src/services/kpi.ts';
import { buildProduct } from '../../../src/services/pipeline.ts';
import { loadSource } from '../../../src/sources/index.ts';

const tmp = mkdtempSync(join(tmpdir(), 'synpuf-e2e-'));
const path = join(tmp, 'w.duckdb');
const config = loadConfig();
let wh: Warehouse;
const results = new Map<string, KpiResult>();

beforeAll(async () => {
  await loadSource(path, '../shared/datasets/cms-desynpuf', { format: 'synpuf' });
  // Every thread the machine has: spans with equal dates of different payers (Part A and Part B
  // from January 1) once made intermediate.readmission_enrollment_span order ties differently in
  // its two windows and duplicate its grain, depending on the threads.
  await buildProduct(path, { config });
  wh = await Warehouse.open(path, { readOnly: true });
  for (const domain of KPI_DOMAINS) results.set(domain.name, await runKpiDomain(domain, wh, {}, config));
}, 300_000);

afterAll(async () => {
  await wh?.close();
  rmSync(tmp, { recursive: true, force: true });
});

/** The one row of an aggregate query (the warehouse already gives BIGINT and DECIMAL as numbers). */
async function one<T>(sql: string): Promise<T> {
  return (await wh.one<T>(sql))!;
}

describe('DE-SynPUF through the product', () => {
  it('runs every KPI domain and marks what the source cannot show', () => {
    expect([...results.keys()]).toEqual(KPI_DOMAINS.map((d) => d.name));
    const unavailable = Object.fromEntries(
      [...results].map(([name, r]) => [name, (r.unavailable ?? []).map((u) => u.capability).sort()]),
    );
    expect(unavailable).toMatchObject({
      denials: ['claim_status'],
      rcm: ['payments'],
      patients: ['payments'],
      adherence: ['ndc_codes'],
      readmissions: ['facility_npi', 'icd10_diagnoses'],
      cost: ['icd10_diagnoses'],
    });
    expect(unavailable.payers).toEqual(expect.arrayContaining(['charge_amounts', 'claim_status']));
    // Not available is null, never a zero.
    expect(results.get('payers')?.headline.charges).toBeNull();
    expect(results.get('payers')?.headline.denial_rate_pct).toBeNull();
  });

  it('counts members and member months of the beneficiary summaries', async () => {
    const cost = results.get('cost')!.headline;
    // Persons with any coverage month: 14762 (see load.test.ts).
    // Months covered by any part, per beneficiary-year the largest of the four counts cut at death:
    // for f in DE1_0_20??_B*.csv; do awk -F, -v y=${f:6:4} 'NR>1{m=$9+0; if($10+0>m)m=$10+0; if($11+0>m)m=$11+0;
    //   if($12+0>m)m=$12+0; if($3!="" && substr($3,1,4)==y && substr($3,5,2)+0<m) m=substr($3,5,2)+0; s+=m}
    //   END{print s}' $f; done → 166834 166678 163674 = 497186
    expect(cost.members).toBe(14762);
    expect(cost.member_months).toBe(497186);
    const partA = await one<{ n: number }>(
      `SELECT count(*) AS n FROM intermediate.member_month WHERE payer = 'Medicare Part A'`,
    );
    // Part A months cut at death: 163759 + 162425 + 159587 (load.test.ts).
    expect(partA.n).toBe(485771);
  });

  it('keeps inpatient and pharmacy spend', async () => {
    const ip = await one<{ claims: number; paid: number }>(
      'SELECT count(*) AS claims, sum(paid_amount)::DOUBLE AS paid FROM intermediate.inpatient_claim',
    );
    // awk -F, 'NR>1 && $4!=""{n++; s+=$7} END{printf "%d %.2f\n", n, s}' DE1_0_2008_to_2010_Inpatient_Claims_Sample_1.csv
    expect(ip).toEqual({ claims: 8590, paid: 81711560 });
    const cost = results.get('cost')!.headline;
    // Inpatient 81711560 + drug events (TOT_RX_CST_AMT - PTNT_PAY_AMT with days supply > 0) 245350,
    // inside or outside enrollment.
    expect(Number(cost.paid) + Number(cost.outside_enrollment_paid)).toBeCloseTo(81711560 + 245350, 2);
  });
});
