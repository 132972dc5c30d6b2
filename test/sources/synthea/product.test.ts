// End to end on the Synthea sample: load, build every model, run every KPI domain, and check mart
// numbers against totals written down by hand from claims_transactions.csv (commands in comments,
// run in ../shared/datasets/synthea-csv).
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.ts';
import { Warehouse } from '../../../src/engine/duckdb.ts';
import { KPI_DOMAINS } from '../../../src/services/domains.ts';
import { findKpiDomain, type KpiResult, runKpiDomain } from '../../../src/services/kpi.ts';
import { buildProduct } from '../../../src/services/pipeline.ts';
import { loadSource } from '../../../src/sources/index.ts';
import { cleanUp, SYNTHEA_SAMPLE, tempDir } from './fixtures.ts';

const config = loadConfig();
let wh: Warehouse;
const results = new Map<string, KpiResult>();

beforeAll(async () => {
  const warehouse = join(tempDir(), 'w.duckdb');
  await loadSource(warehouse, SYNTHEA_SAMPLE, { format: 'synthea' });
  await buildProduct(warehouse, { config });
  wh = await Warehouse.open(warehouse, { readOnly: true });
  for (const domain of KPI_DOMAINS) results.set(domain.name, await runKpiDomain(domain, wh, {}, config));
}, 180_000);

afterAll(async () => {
  await wh?.close();
  cleanUp();
});

async function num(sql: string): Promise<number> {
  return Number((await wh.one<{ v: number }>(sql))?.v);
}

describe('Synthea sample through the product', () => {
  it('runs every KPI domain', () => {
    expect([...results.keys()]).toEqual(KPI_DOMAINS.map((d) => d.name));
  });

  it('cost marts pay what the payers paid in claims_transactions.csv', async () => {
    // python3 -c "import csv;print(round(sum(float(r['PAYMENTS']) for r in csv.DictReader(open('claims_transactions.csv')) if r['METHOD']=='ECHECK'),2))" -> 15473.58
    expect(await num('SELECT sum(paid_amount)::DOUBLE AS v FROM intermediate.cost_claim_line')).toBeCloseTo(
      15473.58,
      2,
    );
    expect(Number(results.get('cost')!.headline.paid)).toBeCloseTo(15473.58, 2);
    expect(results.get('cost')!.headline.members).toBe(27);
  });

  it('the patient ledger bills the patient share and collects every patient payment', async () => {
    // Patient share = COPAY payments + balances transferred to the patient + charges of the uninsured
    // = 28540.00 + 1059490.37, and every patient payment (not ECHECK):
    // python3 -c "import csv;print(round(sum(float(r['PAYMENTS']) for r in csv.DictReader(open('claims_transactions.csv')) if r['TYPE']=='PAYMENT' and r['METHOD']!='ECHECK'),2))" -> 1088030.37
    expect(await num('SELECT sum(billed_amount)::DOUBLE AS v FROM marts.patient_ledger')).toBeCloseTo(
      1088030.37,
      2,
    );
    expect(await num('SELECT sum(paid_amount)::DOUBLE AS v FROM marts.patient_ledger')).toBeCloseTo(
      1088030.37,
      2,
    );
    const patients = results.get('patients')!;
    expect(Number(patients.headline.paid)).toBeCloseTo(1088030.37, 2);
    expect(Number(patients.headline.open_balance)).toBeCloseTo(0, 2);
  });

  it('every claim matches its EHR encounter', async () => {
    // Synthea bills each claim for an encounter (claims.APPOINTMENTID = encounters.Id, all 1267).
    const unmatched = await num(
      `SELECT count(*) AS v FROM input.medical_claim m WHERE NOT EXISTS (
         SELECT 1 FROM input.encounter e WHERE e.person_id = m.person_id
           AND m.claim_start_date BETWEEN e.encounter_start_date AND coalesce(e.encounter_end_date, e.encounter_start_date))`,
    );
    expect(unmatched).toBe(0);
  });

  it('the domains a gap takes out say why instead of showing zeros', () => {
    for (const [name, capability] of [
      ['denials', 'claim_status'],
      ['providers', 'provider_npi'],
      ['adherence', 'pharmacy_claims'],
    ] as const) {
      const r = results.get(name)!;
      expect(r.sections, name).toEqual([]);
      expect(
        r.unavailable?.map((u) => u.capability),
        name,
      ).toContain(capability);
      expect(r.notes[0], name).toMatch(/^Not available from this source/);
    }
    const payers = results.get('payers')!;
    expect(payers.headline.denial_rate_pct).toBeNull();
    const rcm = results.get('rcm')!;
    expect(rcm.headline.initial_denial_rate_pct).toBeNull();
    expect(rcm.sections.map((s) => s.title).some((t) => t.startsWith('A/R aging'))).toBe(false);
    const cost = findKpiDomain(KPI_DOMAINS, 'cost');
    expect(results.get(cost.name)!.sections.some((s) => s.title.startsWith('Top conditions'))).toBe(false);
  });
});
