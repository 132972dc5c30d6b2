// Loading the Synthea sample (../shared/datasets/synthea-csv) through loadSource: rows per input
// table, totals written down by hand from the raw files, no quarantine, the declared gaps and the
// recognition of the folder. Every expected number comes from the raw CSVs with the python3 command
// in its comment (run in ../shared/datasets/synthea-csv), never from the adapter.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Warehouse } from '../../../src/engine/duckdb.ts';
import { loadSource, recognize, type SourceLoadReport } from '../../../src/sources/index.ts';
import { SYNTHEA_GAPS } from '../../../src/sources/synthea/adapter.ts';
import { cleanUp, SYNTHEA_SAMPLE, tempDir } from './fixtures.ts';

let report: SourceLoadReport;
let wh: Warehouse;

beforeAll(async () => {
  const warehouse = join(tempDir(), 'w.duckdb');
  report = await loadSource(warehouse, SYNTHEA_SAMPLE, { format: 'synthea' });
  wh = await Warehouse.open(warehouse, { readOnly: true });
}, 60_000);

afterAll(async () => {
  await wh?.close();
  cleanUp();
});

async function num(sql: string): Promise<number> {
  const row = await wh.one<{ v: number }>(sql);
  return Number(row?.v);
}

describe('Synthea sample through loadSource', () => {
  it('recognizes the folder with --format auto and says which files it read', () => {
    const found = recognize(SYNTHEA_SAMPLE, 'auto');
    expect(found.kind).toBe('source');
    if (found.kind !== 'source') return;
    expect(found.adapter.format).toBe('synthea');
    expect(found.detection.summary).toMatch(
      /^Synthea CSV export \(11 files read: patients\.csv, payers\.csv/,
    );
    expect(found.detection.files).toContain('claims_transactions.csv');
    // Files the adapter does not read (observations, allergies, ...) are not claimed.
    expect(found.detection.files).not.toContain('observations.csv');
    expect(report.recognized).toBe(found.detection.summary);
  });

  it('writes the expected rows per input table and quarantines none', () => {
    expect(report.load.rowsQuarantined).toBe(0);
    const loaded = Object.fromEntries(report.load.tables.map((t) => [t.table, t.rowsLoaded]));
    expect(loaded).toEqual({
      // python3 -c "import csv;print(sum(1 for _ in csv.DictReader(open('payers.csv'))))"  -> 10
      payer: 10,
      // payer_transitions.csv has 1051 records; record 404 (Medicaid, START_YEAR = END_YEAR =
      // 2024-01-10T23:24:16Z) covers no time and gives no span:
      // python3 -c "import csv;print(sum(1 for r in csv.DictReader(open('payer_transitions.csv')) if r['START_YEAR']<r['END_YEAR']))" -> 1050
      eligibility: 1050,
      // one line per CHARGE transaction:
      // python3 -c "import csv;print(sum(1 for r in csv.DictReader(open('claims_transactions.csv')) if r['TYPE']=='CHARGE'))" -> 1545
      medical_claim: 1545,
      // one payment per PAYMENT transaction:
      // python3 -c "import csv;print(sum(1 for r in csv.DictReader(open('claims_transactions.csv')) if r['TYPE']=='PAYMENT'))" -> 1843
      payment: 1843,
      // python3 -c "import csv;print(sum(1 for _ in csv.DictReader(open('encounters.csv'))))" -> 604
      encounter: 604,
    });
    expect(report.load.absent.sort()).toEqual([
      'area_deprivation',
      'claim_adjustment',
      'finance_ledger',
      'pharmacy_claim',
      'provider',
    ]);
    expect(report.source?.warnings[0]).toMatch(/^payer_transitions\.csv record 404: no eligibility span/);
  });

  it('reports the records of every file it read', () => {
    const records = Object.fromEntries(report.source!.files.map((f) => [f.file, f.records]));
    // Row counts of SOURCE.md (python csv), header excluded.
    expect(records).toEqual({
      'patients.csv': 27,
      'payers.csv': 10,
      'payer_transitions.csv': 1051,
      'encounters.csv': 604,
      'claims.csv': 1267,
      'claims_transactions.csv': 5228,
      'providers.csv': 166,
      'organizations.csv': 63,
      'conditions.csv': 438,
      'medications.csv': 663,
      'procedures.csv': 249,
    });
  });

  it('carries the charges, payer payments and patient payments of claims_transactions.csv', async () => {
    // python3 -c "import csv;print(round(sum(float(r['AMOUNT']) for r in csv.DictReader(open('claims_transactions.csv')) if r['TYPE']=='CHARGE'),2))" -> 1092402.73
    expect(await num('SELECT sum(charge_amount)::DOUBLE AS v FROM input.medical_claim')).toBeCloseTo(
      1092402.73,
      2,
    );
    // Payers pay by ECHECK only in this export; every CASH, CHECK, CC and COPAY payment is the patient's:
    // python3 -c "import csv;print(round(sum(float(r['PAYMENTS']) for r in csv.DictReader(open('claims_transactions.csv')) if r['METHOD']=='ECHECK'),2))" -> 15473.58
    expect(await num('SELECT sum(paid_amount)::DOUBLE AS v FROM input.medical_claim')).toBeCloseTo(
      15473.58,
      2,
    );
    expect(
      await num(`SELECT sum(payment_amount)::DOUBLE AS v FROM input.payment WHERE payment_source = 'payer'`),
    ).toBeCloseTo(15473.58, 2);
    // python3 -c "import csv;print(round(sum(float(r['PAYMENTS']) for r in csv.DictReader(open('claims_transactions.csv')) if r['TYPE']=='PAYMENT' and r['METHOD']!='ECHECK'),2))" -> 1088030.37
    expect(
      await num(
        `SELECT sum(payment_amount)::DOUBLE AS v FROM input.payment WHERE payment_source = 'patient'`,
      ),
    ).toBeCloseTo(1088030.37, 2);
    // python3 -c "import csv;print(round(sum(float(r['PAYMENTS']) for r in csv.DictReader(open('claims_transactions.csv')) if r['METHOD']=='COPAY'),2))" -> 28540.0
    expect(await num('SELECT sum(copayment_amount)::DOUBLE AS v FROM input.medical_claim')).toBeCloseTo(
      28540,
      2,
    );
    // Patient share besides copays: balances transferred to the patient plus charges of the uninsured:
    // python3 -c "import csv;print(round(sum(float(r['AMOUNT']) for r in csv.DictReader(open('claims_transactions.csv')) if r['TRANSFERTYPE']=='p' and r['TYPE'] in ('CHARGE','TRANSFERIN')),2))" -> 1059490.37
    expect(await num('SELECT sum(coinsurance_amount)::DOUBLE AS v FROM input.medical_claim')).toBeCloseTo(
      1059490.37,
      2,
    );
    // Secondary payers pay after the balance is transferred to them (TRANSFERIN with TRANSFERTYPE 2):
    //   python3 - <<'PY'
    //   import csv, collections
    //   P = {r['Id']: r['NAME'] for r in csv.DictReader(open('payers.csv'))}
    //   C = {r['Id']: r for r in csv.DictReader(open('claims.csv'))}
    //   resp, s = {}, collections.Counter()
    //   for r in sorted(csv.DictReader(open('claims_transactions.csv')), key=lambda r: int(r['CHARGEID'])):
    //       if r['TYPE'] in ('CHARGE', 'TRANSFERIN'): resp[r['CLAIMID']] = r['TRANSFERTYPE']
    //       if r['TYPE'] == 'PAYMENT' and r['METHOD'] != 'COPAY' and resp[r['CLAIMID']] == '2':
    //           s[P[C[r['CLAIMID']]['SECONDARYPATIENTINSURANCEID']]] += float(r['PAYMENTS'])
    //   print({k: round(v, 2) for k, v in s.items()})
    //   PY
    //   -> {'Cigna Health': 48.33, 'Aetna': 441.62, 'UnitedHealthcare': 33.33}
    const secondary = await wh.all<{ payer: string; v: number }>(
      `SELECT p.payer, round(sum(p.payment_amount), 2)::DOUBLE AS v FROM input.payment p
       JOIN (SELECT DISTINCT claim_id, payer FROM input.medical_claim) m ON m.claim_id = p.claim_id
       WHERE p.payer <> m.payer GROUP BY p.payer ORDER BY p.payer`,
    );
    expect(secondary).toEqual([
      { payer: 'Aetna', v: 441.62 },
      { payer: 'Cigna Health', v: 48.33 },
      { payer: 'UnitedHealthcare', v: 33.33 },
    ]);
    // Payer payments carry a payer name, patient payments none.
    expect(
      await num(
        `SELECT count(*) AS v FROM input.payment WHERE (payment_source = 'payer') <> (payer IS NOT NULL)`,
      ),
    ).toBe(0);
  });

  it('maps claim type, status and payers from claims.csv', async () => {
    // python3 -c "import csv;c={r['Id']:r for r in csv.DictReader(open('claims.csv'))};print(sum(1 for r in csv.DictReader(open('claims_transactions.csv')) if r['TYPE']=='CHARGE' and c[r['CLAIMID']]['HEALTHCARECLAIMTYPEID1']=='2'))" -> 601
    expect(
      await num(`SELECT count(*) AS v FROM input.medical_claim WHERE claim_type = 'institutional'`),
    ).toBe(601);
    // Two claims are still BILLED (one $0.00 line each):
    // python3 -c "import csv;c={r['Id']:r for r in csv.DictReader(open('claims.csv'))};print(sum(1 for r in csv.DictReader(open('claims_transactions.csv')) if r['TYPE']=='CHARGE' and c[r['CLAIMID']]['STATUS1']=='BILLED'))" -> 2
    expect(await num(`SELECT count(*) AS v FROM input.medical_claim WHERE claim_status = 'pending'`)).toBe(2);
    expect(await num(`SELECT count(*) AS v FROM input.medical_claim WHERE claim_status = 'denied'`)).toBe(0);
    // Claims with insurance id 0 are the uninsured's: payer NO_INSURANCE.
    // python3 -c "import csv;c={r['Id']:r for r in csv.DictReader(open('claims.csv'))};print(sum(1 for r in csv.DictReader(open('claims_transactions.csv')) if r['TYPE']=='CHARGE' and c[r['CLAIMID']]['PRIMARYPATIENTINSURANCEID']=='0'))" -> 318
    expect(await num(`SELECT count(*) AS v FROM input.medical_claim WHERE payer = 'NO_INSURANCE'`)).toBe(318);
    // No invented codes: no NPI, no HCPCS, no ICD-10 diagnosis (Synthea's are SNOMED-CT).
    expect(
      await num(
        `SELECT count(*) AS v FROM input.medical_claim WHERE rendering_npi IS NOT NULL OR billing_npi IS NOT NULL
           OR facility_npi IS NOT NULL OR hcpcs_code IS NOT NULL OR diagnosis_code_2 IS NOT NULL
           OR diagnosis_code_1 IS NOT NULL`,
      ),
    ).toBe(0);
    // Every professional line has a place of service, every institutional one a bill type.
    expect(
      await num(
        `SELECT count(*) AS v FROM input.medical_claim
         WHERE (claim_type = 'professional' AND place_of_service_code IS NULL)
            OR (claim_type = 'institutional' AND bill_type_code IS NULL)`,
      ),
    ).toBe(0);
    // Inpatient encounters (11) billed by the facility are the claims with bill type 111:
    // python3 -c "import csv;e={r['Id']:r for r in csv.DictReader(open('encounters.csv'))};print(sum(1 for r in csv.DictReader(open('claims.csv')) if r['HEALTHCARECLAIMTYPEID1']=='2' and e[r['APPOINTMENTID']]['ENCOUNTERCLASS']=='inpatient'))" -> 19
    expect(
      await num(`SELECT count(DISTINCT claim_id) AS v FROM input.medical_claim WHERE bill_type_code = '111'`),
    ).toBe(19);
  });

  it('builds eligibility from patients and payer transitions', async () => {
    expect(await num('SELECT count(DISTINCT person_id) AS v FROM input.eligibility')).toBe(27);
    // python3 -c "import csv;print(sorted(set(r['GENDER'] for r in csv.DictReader(open('patients.csv')))), sum(1 for r in csv.DictReader(open('patients.csv')) if r['GENDER']=='F'))" -> ['F', 'M'] 13
    expect(
      await num(`SELECT count(DISTINCT person_id) AS v FROM input.eligibility WHERE gender = 'female'`),
    ).toBe(13);
    // Spans do not overlap: each ends the day before the next starts.
    expect(
      await num(
        `SELECT count(*) AS v FROM input.eligibility a JOIN input.eligibility b
           ON a.person_id = b.person_id AND a.enrollment_start_date < b.enrollment_start_date
          AND a.enrollment_end_date >= b.enrollment_start_date`,
      ),
    ).toBe(0);
    // Uninsured spans (258 transitions to NO_INSURANCE, none the zero-length one) are self-pay:
    // python3 -c "import csv;print(sum(1 for r in csv.DictReader(open('payer_transitions.csv')) if r['PAYER']=='b1c428d6-4f07-31e0-90f0-68ffa6ff8c76'))" -> 258
    expect(await num(`SELECT count(*) AS v FROM input.eligibility WHERE payer_type = 'self_pay'`)).toBe(258);
    expect(await num(`SELECT count(*) AS v FROM input.eligibility WHERE state <> 'MA'`)).toBe(0);
  });

  it('records the declared gaps in input.source_gap', async () => {
    const rows = await wh.all<{ format: string; capability: string; reason: string }>(
      'SELECT format, capability, reason FROM input.source_gap ORDER BY capability',
    );
    expect(rows.map((r) => r.capability)).toEqual(SYNTHEA_GAPS.map((g) => g.capability).sort());
    expect(new Set(rows.map((r) => r.format))).toEqual(new Set(['synthea']));
    expect(rows.find((r) => r.capability === 'claim_status')?.reason).toMatch(/never denies/);
    // Capabilities Synthea does carry are not declared missing.
    for (const present of ['payments', 'charge_amounts', 'ehr_encounters', 'submission_dates']) {
      expect(rows.map((r) => r.capability)).not.toContain(present);
    }
  });
});
