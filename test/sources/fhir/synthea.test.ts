// The FHIR adapter on test/fixtures/fhir-synthea, the CARIN-shaped bulk export that
// scripts/synthea-to-fhir.ts made from ../shared/datasets/synthea-csv (10 patients). Expected numbers
// were computed from the raw NDJSON with the python3 one-liners quoted next to them, run in
// test/fixtures/fhir-synthea.
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.ts';
import { KPI_DOMAINS } from '../../../src/services/domains.ts';
import { runKpiDomain } from '../../../src/services/kpi.ts';
import { buildProduct } from '../../../src/services/pipeline.ts';
import type { SourceLoadReport } from '../../../src/sources/index.ts';
import { recognize } from '../../../src/sources/index.ts';
import { fixture, loadFixture, tableCounts, withWarehouse } from './helpers.ts';

// E = [json.loads(l) for l in open('ExplanationOfBenefit.ndjson')]
// med = [e for e in E if e['type']['coding'][0]['code'] != 'pharmacy']
// a = lambda i, c: sum(x['amount']['value'] for x in i['adjudication'] if x['category']['coding'][0]['code'] == c)

describe('FHIR adapter on the Synthea-derived bulk export', () => {
  let warehouse: string;
  let report: SourceLoadReport;

  beforeAll(async () => {
    ({ warehouse, report } = await loadFixture('fhir-synthea', 'auto'));
  });

  it('is recognized by --format auto and says what it recognized', () => {
    const found = recognize(fixture('fhir-synthea'), 'auto');
    expect(found.kind).toBe('source');
    if (found.kind !== 'source') return;
    expect(found.adapter.format).toBe('fhir');
    expect(found.detection.files).toEqual([
      'Coverage.ndjson',
      'ExplanationOfBenefit.ndjson',
      'Organization.ndjson',
      'Patient.ndjson',
      'Practitioner.ndjson',
    ]);
    expect(report.recognized).toMatch(/^FHIR R4 export \(5 files: /);
  });

  it('loads every row it writes, per input table', () => {
    // python3 -c "import json; print(sum(1 for l in open('Coverage.ndjson')))"  -> 304 (one eligibility span each)
    // len(med) -> 115 medical EOBs; sum(len(e['item']) for e in med) -> 197 lines
    // payer payments: sum(1 for e in med if 'payment' in e) -> 9; patient: sum(1 for e in med if sum(a(i,'paidbypatient') for i in e['item']) != 0) -> 114
    // payers: len({c['payor'][0]['display'] for c in C} | {e['insurer']['display'] for e in E}) -> 8
    expect(report.source?.tables).toEqual({ eligibility: 304, payer: 8, medical_claim: 197, payment: 123 });
    expect(tableCounts(report)).toEqual({
      eligibility: { loaded: 304, quarantined: 0 },
      payer: { loaded: 8, quarantined: 0 },
      medical_claim: { loaded: 197, quarantined: 0 },
      payment: { loaded: 123, quarantined: 0 },
    });
    expect(report.load.rowsQuarantined).toBe(0);
  });

  it('leaves the tables it has no rows for empty', async () => {
    const n = await withWarehouse(warehouse, (wh) =>
      wh.one<Record<string, number>>(
        `SELECT (SELECT count(*) FROM input.pharmacy_claim)::INT AS rx, (SELECT count(*) FROM input.claim_adjustment)::INT AS adj,
           (SELECT count(*) FROM input.provider)::INT AS prov, (SELECT count(*) FROM input.encounter)::INT AS enc`,
      ),
    );
    expect(n).toEqual({ rx: 0, adj: 0, prov: 0, enc: 0 });
  });

  it('carries the amounts of the raw EOBs', async () => {
    const t = await withWarehouse(warehouse, (wh) =>
      wh.one<Record<string, number>>(
        `SELECT sum(charge_amount)::DOUBLE AS charge, sum(paid_amount)::DOUBLE AS paid,
           count(*) FILTER (WHERE claim_type = 'institutional')::INT AS institutional,
           count(*) FILTER (WHERE claim_status = 'pending')::INT AS pending,
           count(DISTINCT claim_id)::INT AS claims, count(DISTINCT person_id)::INT AS persons,
           count(DISTINCT claim_id) FILTER (WHERE bill_type_code = '0111' AND admission_date IS NOT NULL)::INT AS stays
         FROM input.medical_claim`,
      ),
    );
    // round(sum(a(i,'submitted') for e in med for i in e['item']), 2) -> 407137.11
    // round(sum(a(i,'paidtoprovider') for e in med for i in e['item']), 2) -> 1482.59
    // sum(len(e['item']) for e in med if e['type']['coding'][0]['code'] == 'institutional') -> 108
    // sum(len(e['item']) for e in med if e['outcome'] == 'queued') -> 1
    expect(t?.charge).toBeCloseTo(407137.11, 2);
    expect(t?.paid).toBeCloseTo(1482.59, 2);
    expect(t?.institutional).toBe(108);
    expect(t?.pending).toBe(1);
    expect(t?.claims).toBe(115);
    // sum(1 for e in med if e.get('subType', {}).get('coding', [{}])[0].get('code') == 'inpatient') -> 3
    expect(t?.stays).toBe(3);
    // python3 -c "import json; print(len({json.loads(l)['patient']['reference'] for l in open('ExplanationOfBenefit.ndjson')}))" -> 10
    expect(t?.persons).toBe(10);
    const pay = await withWarehouse(warehouse, (wh) =>
      wh.all<{ payment_source: string; n: number; total: number }>(
        `SELECT payment_source, count(*)::INT AS n, sum(payment_amount)::DOUBLE AS total
         FROM input.payment GROUP BY 1 ORDER BY 1`,
      ),
    );
    // round(sum(e['payment']['amount']['value'] for e in med if 'payment' in e), 2) -> 1482.59
    // round(sum(a(i,'paidbypatient') for e in med for i in e['item']), 2) -> 405674.6
    expect(pay.map((p) => [p.payment_source, p.n])).toEqual([
      ['patient', 114],
      ['payer', 9],
    ]);
    expect(pay[0]?.total).toBeCloseTo(405674.6, 2);
    expect(pay[1]?.total).toBeCloseTo(1482.59, 2);
  });

  it('leaves SNOMED diagnoses out of the ICD columns and keeps Synthea codes out of hcpcs_code', async () => {
    const d = await withWarehouse(warehouse, (wh) =>
      wh.all<{ dx: string; type: string | null; hcpcs: number }>(
        `SELECT diagnosis_code_1 AS dx, diagnosis_code_type AS type, count(hcpcs_code)::INT AS hcpcs
         FROM input.medical_claim GROUP BY ALL`,
      ),
    );
    expect(d).toEqual([{ dx: null, type: null, hcpcs: 0 }]);
  });

  it('declares the gaps the content shows, with reasons', () => {
    const gaps = Object.fromEntries((report.source?.gaps ?? []).map((g) => [g.capability, g.reason]));
    expect(Object.keys(gaps).sort()).toEqual([
      'adjustment_reasons',
      'allowed_amounts',
      'claim_status',
      'ehr_encounters',
      'finance_ledger',
      'icd10_diagnoses',
      'ndc_codes',
      'paid_dates',
      'patient_responsibility',
      'pharmacy_claims',
      'prior_authorization',
      'procedure_codes',
      'provider_npi',
      'submission_dates',
    ]);
    expect(gaps.icd10_diagnoses).toContain('http://snomed.info/sct');
    // sum(len(e['item']) for e in E if e['type']['coding'][0]['code'] == 'pharmacy') -> 20 (RxNorm only)
    expect(gaps.pharmacy_claims).toContain('20 pharmacy');
    expect(report.source?.warnings).toContain(
      '197 of 197 claim lines have diagnoses only in http://snomed.info/sct: their diagnosis_code_1 is left empty',
    );
  });

  it('records the gaps in input.source_gap', async () => {
    const rows = await withWarehouse(warehouse, (wh) =>
      wh.all<{ format: string; capability: string }>(
        'SELECT format, capability FROM input.source_gap ORDER BY 2',
      ),
    );
    expect(rows.length).toBe(14);
    expect(new Set(rows.map((r) => r.format))).toEqual(new Set(['fhir']));
  });

  it('builds the product and runs every KPI domain on it', async () => {
    const config = loadConfig();
    await buildProduct(warehouse, { config });
    await withWarehouse(warehouse, async (wh) => {
      for (const domain of KPI_DOMAINS) {
        const result = await runKpiDomain(domain, wh, {}, config);
        expect(result.domain).toBe(domain.name);
      }
      const cost = await runKpiDomain(KPI_DOMAINS.find((d) => d.name === 'cost')!, wh, {}, config);
      // Members with eligibility: python3 -c "import json; print(len({json.loads(l)['beneficiary']['reference'] for l in open('Coverage.ndjson')}))" -> 10
      expect(cost.headline.members).toBe(10);
    });
  }, 120_000);
});
