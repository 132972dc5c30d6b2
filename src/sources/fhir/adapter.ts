// FHIR R4 claims exports as a source adapter: NDJSON bulk-export files or Bundles of
// ExplanationOfBenefit, Patient, Coverage (and Claim, Organization, Practitioner where present), in
// the CARIN Blue Button profiles first and CMS Blue Button 2.0 where it differs. The mapping table is
// docs/sources/fhir.md. What the export lacks is decided from its content, not assumed.
import { readdirSync } from 'node:fs';
import type { SourceAdapter, SourceFileReport, SourceGap, SourceReport } from '../adapter.ts';
import { registerSource } from '../registry.ts';
import { FhirMapper, type FlatRow, type FlatTable, type MapStats } from './map.ts';
import { fhirFiles, readExport } from './read.ts';
import { FlatWriter, loadFlat, writeInputTables } from './sql.ts';

/** Which input tables the flat tables feed (for the per-file report). */
const FEEDS: Record<string, string[]> = {
  Patient: ['eligibility'],
  Coverage: ['eligibility', 'payer'],
  Organization: ['payer', 'provider'],
  Practitioner: ['provider'],
  Claim: ['medical_claim'],
  ExplanationOfBenefit: ['medical_claim', 'pharmacy_claim', 'claim_adjustment', 'payment'],
};

/** The gaps of this export, each decided from what the data holds, with the reason in plain words. */
export function fhirGaps(s: MapStats, findings: Record<string, number>): SourceGap[] {
  const gaps: SourceGap[] = [];
  const gap = (capability: SourceGap['capability'], reason: string) => gaps.push({ capability, reason });
  if (s.lines === 0) {
    gap(
      'claim_status',
      'the FHIR export has no medical ExplanationOfBenefit items, so there is no claim outcome to read',
    );
  } else if (s.deniedLines === 0 && s.denialMarkers === 0) {
    gap(
      'claim_status',
      'no ExplanationOfBenefit line is denied and none carries a denial or adjustment reason: the export does not show denials, so denial rates would read zero',
    );
  }
  if (s.lines > 0 && (findings.linesWithPatientShare ?? 0) === 0) {
    gap(
      'patient_responsibility',
      'no ExplanationOfBenefit line has a deductible, coinsurance or copay adjudication, so what patients owe is unknown and patient balances cannot be computed',
    );
  }
  if (s.carcAdjustments === 0) {
    gap(
      'adjustment_reasons',
      'no ExplanationOfBenefit adjudication carries a reason coded in the X12 CARC system, so denials have no root cause',
    );
  }
  if ((findings.eobsWithSubmission ?? 0) === 0 && s.eobsWithReceived === 0) {
    gap(
      'submission_dates',
      s.eobsWithClaimRef === 0
        ? 'no ExplanationOfBenefit has a claim received date (supportingInfo clmrecvddate) or references a Claim in the export; EOB.created is when the EOB was written, not when the claim was submitted'
        : 'no ExplanationOfBenefit has a claim received date (supportingInfo clmrecvddate), and the Claim resources they reference have no created date',
    );
  }
  if (s.eobsWithPaymentDate === 0) gap('paid_dates', 'no ExplanationOfBenefit has payment.date');
  else if (s.eobsPaidAfterService === 0) {
    gap(
      'paid_dates',
      'every ExplanationOfBenefit payment.date falls within its billable period (paid the day of service), so days to pay and A/R aging cannot be measured',
    );
  }
  if (s.linesWithCharge === 0 && s.lines > 0) {
    gap(
      'charge_amounts',
      "no ExplanationOfBenefit item has a 'submitted' adjudication amount (billed charge)",
    );
  }
  if (s.linesWithAllowed === 0 && s.lines > 0) {
    gap('allowed_amounts', "no ExplanationOfBenefit item has an 'eligible' (allowed) adjudication amount");
  }
  if (s.payerPayments + s.patientPayments === 0) {
    gap(
      'payments',
      'no ExplanationOfBenefit has a paid amount with payment.date (payer) or a paidbypatient amount (patient)',
    );
  }
  const rxMapped = s.rxLines - s.rxWithoutNdc;
  if (rxMapped === 0) {
    gap(
      'pharmacy_claims',
      s.rxLines === 0
        ? 'the export has no pharmacy ExplanationOfBenefits'
        : `none of the ${s.rxLines} pharmacy ExplanationOfBenefit items has an NDC product code, so no fill can be recorded`,
    );
  }
  if (s.rxLines > 0 && rxMapped === 0) {
    gap(
      'ndc_codes',
      `the ${s.rxLines} pharmacy items are coded without NDC (for example RxNorm), so drug classes cannot be looked up`,
    );
  }
  gap('ehr_encounters', 'a payer FHIR claims export has no EHR encounters to match claims against');
  gap('finance_ledger', 'a payer FHIR claims export has no finance ledger');
  if (s.linesWithIcd10 === 0 && s.lines > 0) {
    const systems = Object.keys(s.otherDiagnosisSystems);
    gap(
      'icd10_diagnoses',
      systems.length > 0
        ? `ExplanationOfBenefit diagnoses are coded in ${systems.join(', ')}, not ICD-10-CM; they are not mapped to ICD-10-CM`
        : 'ExplanationOfBenefits carry no ICD-10-CM diagnoses',
    );
  }
  if (s.preAuth === 0) gap('prior_authorization', 'no ExplanationOfBenefit has preAuthRef');
  if (s.linesWithProcedureCode === 0 && s.lines > 0) {
    gap(
      'procedure_codes',
      'no ExplanationOfBenefit item productOrService is coded in CPT or HCPCS (the items use other systems such as SNOMED CT)',
    );
  }
  if ((findings.medicalNpis ?? 0) === 0 && s.npis === 0) {
    gap('provider_npi', 'no provider, care-team member or facility in the export carries an NPI identifier');
  }
  return gaps;
}

function warningsOf(s: MapStats, findings: Record<string, number>): string[] {
  const w: string[] = [];
  const ex = (key: string) => (s.examples[key] ? ` (first: ${s.examples[key]})` : '');
  for (const [type, n] of Object.entries(s.skippedTypes))
    w.push(`skipped: ${n} ${type} resources (not mapped)`);
  if (s.eobs.skipped > 0) {
    w.push(
      `skipped: ${s.eobs.skipped} ExplanationOfBenefits without id, entered-in-error or draft${ex('eob_entered-in-error')}${ex('eob_draft')}${ex('eob_without_id')}`,
    );
  }
  if (s.withoutId > 0) {
    w.push(
      `skipped: ${s.withoutId} Patient, Coverage, Organization, Practitioner or Claim resources without id${ex('without_id')}`,
    );
  }
  if (s.rxWithoutNdc > 0) {
    w.push(
      `skipped: ${s.rxWithoutNdc} of ${s.rxLines} pharmacy items have no NDC code${ex('rx_without_ndc')}`,
    );
  }
  if (s.rxWithoutDaysSupply > 0) {
    w.push(
      `${s.rxWithoutDaysSupply} pharmacy items have no days supply and will be quarantined${ex('rx_without_days_supply')}`,
    );
  }
  if (s.linesWithOtherDiagnosis > 0) {
    w.push(
      `${s.linesWithOtherDiagnosis} of ${s.lines} claim lines have diagnoses only in ${Object.keys(s.otherDiagnosisSystems).join(', ')}: their diagnosis_code_1 is left empty`,
    );
  }
  if (s.pharmacyAdjustmentsSkipped > 0) {
    w.push(
      `${s.pharmacyAdjustmentsSkipped} pharmacy EOBs carry CARC reasons: claim_adjustment covers medical claims only`,
    );
  }
  if (s.coverageWithoutEnd > 0) {
    w.push(
      `${s.coverageWithoutEnd} Coverage resources have no period.end: closed at the latest date the export knows (EOB written, paid or served)`,
    );
  }
  const f = findings;
  if (f.coverageWithoutPatient)
    w.push(
      `${f.coverageWithoutPatient} Coverage resources name a beneficiary not in the export: no eligibility row`,
    );
  if (f.patientsWithoutCoverage)
    w.push(`${f.patientsWithoutCoverage} Patients have no Coverage: no eligibility row`);
  if (f.eobsWithoutCoverage)
    w.push(
      `${f.eobsWithoutCoverage} ExplanationOfBenefits reference no Coverage in the export: their lines have no plan`,
    );
  if (f.eobsWithoutPatient)
    w.push(`${f.eobsWithoutPatient} ExplanationOfBenefits reference a Patient not in the export`);
  return w;
}

export const fhirAdapter: SourceAdapter = {
  format: 'fhir',
  title: 'FHIR R4 (CARIN Blue Button / Blue Button 2.0)',
  docs: 'docs/sources/fhir.md',
  detect(dir, entries) {
    const files = fhirFiles(dir, entries);
    if (files.length === 0) return undefined;
    return {
      format: 'fhir',
      summary: `FHIR R4 export (${files.length} file${files.length > 1 ? 's' : ''}: ${files.slice(0, 4).join(', ')}${files.length > 4 ? ', ...' : ''})`,
      files,
    };
  },
  async convert(ctx): Promise<SourceReport> {
    const files = fhirFiles(ctx.dir, readdirEntries(ctx.dir));
    const flat = new FlatWriter();
    try {
      const mapper = new FhirMapper((table: FlatTable, row: FlatRow) => flat.write(table, row));
      const perFile = new Map<string, { records: number; types: Set<string> }>();
      for await (const rec of readExport(ctx.dir, files)) {
        const f = perFile.get(rec.file) ?? { records: 0, types: new Set<string>() };
        f.records++;
        f.types.add(rec.resource.resourceType);
        perFile.set(rec.file, f);
        await mapper.resource(rec);
        if (f.records % 50000 === 0) ctx.progress(`${rec.file}: ${f.records} resources read`);
      }
      await flat.close();
      ctx.progress('joining ExplanationOfBenefits to patients, coverage and providers');
      await loadFlat(ctx, flat);
      const { tables, findings } = await writeInputTables(ctx);
      const s = mapper.stats;
      const fileReports: SourceFileReport[] = files.map((file) => {
        const f = perFile.get(file);
        return {
          file,
          records: f?.records ?? 0,
          tables: [...new Set([...(f?.types ?? [])].flatMap((t) => FEEDS[t] ?? []))].filter((t) => tables[t]),
        };
      });
      const kinds = Object.entries(s.resources)
        .map(([t, n]) => `${n} ${t}`)
        .join(', ');
      return {
        format: 'fhir',
        summary: `FHIR R4: ${files.length} files, ${kinds || 'no resources'}; ${s.eobs.medical} medical and ${s.eobs.pharmacy} pharmacy EOBs`,
        files: fileReports,
        tables,
        gaps: fhirGaps(s, findings),
        warnings: warningsOf(s, findings),
        details: { stats: s, findings },
      };
    } finally {
      await flat.close().catch(() => undefined);
      flat.remove();
    }
  },
};

function readdirEntries(dir: string): string[] {
  return readdirSync(dir)
    .filter((e) => !e.startsWith('.'))
    .sort();
}

registerSource(fhirAdapter);
