// Synthea CSV export (v3 layout, with claims.csv and claims_transactions.csv) as a source adapter:
// patients and payer transitions become eligibility spans, payers the payer table, encounters the EHR
// encounters, claims and their transactions medical claim lines and payments. What Synthea does not
// carry (ICD-10 codes, CPT/HCPCS, NDCs, NPIs, CARCs, denials, paid dates) is declared as gaps.
// Mapping table: docs/sources/synthea.md.
import { readdirSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import type { SourceAdapter, SourceGap, SourceReport } from '../adapter.ts';
import { registerSource } from '../registry.ts';
import { checkSyntheaRecords, readSyntheaFiles, SIGNATURE_FILES, SYNTHEA_FILES } from './files.ts';
import { mapSynthea } from './map.ts';

/** What a Synthea export lacks, in words a reader of the marts understands. */
export const SYNTHEA_GAPS: readonly SourceGap[] = [
  {
    capability: 'icd10_diagnoses',
    reason:
      'Synthea codes diagnoses in SNOMED-CT, not ICD-10-CM, and no SNOMED-to-ICD-10-CM map ships with claimlens: claim lines carry no principal diagnosis',
  },
  {
    capability: 'procedure_codes',
    reason: 'Synthea codes services in SNOMED-CT (and vaccines in CVX), not CPT/HCPCS; hcpcs_code is blank',
  },
  {
    capability: 'claim_status',
    reason:
      'Synthea never denies a claim: its claims are only BILLED or CLOSED, so there are no denial rates',
  },
  {
    capability: 'adjustment_reasons',
    reason: 'Synthea claim transactions carry no CARC group or reason codes',
  },
  {
    capability: 'allowed_amounts',
    reason:
      'Synthea models no payer contracts or allowed amounts: payers pay the charge less the patient share',
  },
  {
    capability: 'paid_dates',
    reason:
      'Synthea dates every payment transaction with the date of service, so days to pay and A/R aging cannot be measured',
  },
  {
    capability: 'provider_npi',
    reason:
      'Synthea providers and organizations have UUIDs but no NPIs, and the provider table is keyed by NPI',
  },
  {
    capability: 'facility_npi',
    reason: 'Synthea organizations (the facilities of institutional claims) have no NPIs',
  },
  {
    capability: 'pharmacy_claims',
    reason:
      'Synthea medications.csv holds prescriptions (a dispense count over a start-stop span), not dated pharmacy fills with days supply; their charges are in the medical claims',
  },
  {
    capability: 'ndc_codes',
    reason: 'Synthea codes drugs in RxNorm, not NDC',
  },
  {
    capability: 'prior_authorization',
    reason: 'Synthea claims carry no prior-authorization numbers',
  },
  {
    capability: 'finance_ledger',
    reason: 'a Synthea export has no general ledger',
  },
];

/** Why the files read for the report feed no input table. */
const UNMAPPED: Record<string, string> = {
  'providers.csv': 'no NPIs (provider table is keyed by NPI)',
  'organizations.csv': 'no NPIs (provider table is keyed by NPI)',
  'conditions.csv': 'SNOMED-CT diagnoses; no ICD-10-CM map',
  'procedures.csv': 'SNOMED-CT procedures, billed as claim transaction lines already',
  'medications.csv': 'prescriptions, not pharmacy fills; their charges are claim lines already',
};

export const syntheaAdapter: SourceAdapter = {
  format: 'synthea',
  title: 'Synthea CSV',
  docs: 'docs/sources/synthea.md',
  detect(_dir, entries) {
    if (!SIGNATURE_FILES.every((f) => entries.includes(f))) return undefined;
    const files = SYNTHEA_FILES.map((f) => f.file).filter((f) => entries.includes(f));
    return {
      format: 'synthea',
      summary: `Synthea CSV export (${files.length} files read: ${files.join(', ')})`,
      files,
    };
  },
  async convert(ctx): Promise<SourceReport> {
    const entries = new Set(readdirSync(ctx.dir));
    const records = await readSyntheaFiles(ctx, entries);
    ctx.progress('checking records');
    await checkSyntheaRecords(ctx);
    const part = `synthea-${basename(resolve(ctx.dir))}`;
    const mapped = await mapSynthea(ctx, part);
    const warnings = [...mapped.warnings];
    for (const [file, why] of Object.entries(UNMAPPED)) {
      const n = records.get(file);
      if (n !== undefined) warnings.push(`${file}: ${n} records read, not mapped: ${why}`);
    }
    const t = mapped.tables;
    return {
      format: 'synthea',
      summary:
        `Synthea: ${records.get('patients.csv')} patients, ${records.get('claims.csv')} claims, ` +
        `${records.get('claims_transactions.csv')} claim transactions -> ${t.medical_claim} claim lines, ` +
        `${t.payment} payments, ${t.eligibility} eligibility spans, ${t.encounter} encounters`,
      files: SYNTHEA_FILES.filter((f) => records.has(f.file)).map((f) => ({
        file: f.file,
        records: records.get(f.file)!,
        tables: [...f.feeds],
      })),
      tables: t,
      gaps: [...SYNTHEA_GAPS],
      warnings,
      details: { totals: mapped.totals },
    };
  },
};

registerSource(syntheaAdapter);
