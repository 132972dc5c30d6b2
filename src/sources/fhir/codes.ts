// Code systems and small helpers for reading FHIR R4 claims data (CARIN Blue Button and CMS Blue
// Button 2.0): which system URIs mean ICD-10-CM, CPT/HCPCS, NDC, NPI, CARC, and how the adjudication
// and supporting-info categories of both guides map to input-layer amounts and fields.

export const SYSTEMS = {
  icd10cm: ['http://hl7.org/fhir/sid/icd-10-cm', 'http://hl7.org/fhir/sid/icd-10'],
  icd9cm: ['http://hl7.org/fhir/sid/icd-9-cm', 'http://hl7.org/fhir/sid/icd-9-cm/diagnosis'],
  icd10pcs: ['http://www.cms.gov/Medicare/Coding/ICD10', 'http://hl7.org/fhir/sid/icd-10-pcs'],
  icd9pcs: ['http://hl7.org/fhir/sid/icd-9-cm/procedure', 'http://www.cms.gov/Medicare/Coding/ICD9'],
  cptHcpcs: [
    'http://www.ama-assn.org/go/cpt',
    'https://bluebutton.cms.gov/resources/codesystem/hcpcs',
    'http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets',
    'https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets',
    'urn:oid:2.16.840.1.113883.6.285',
    'urn:oid:2.16.840.1.113883.6.12',
  ],
  ndc: ['http://hl7.org/fhir/sid/ndc'],
  npi: ['http://hl7.org/fhir/sid/us-npi'],
  ssn: ['http://hl7.org/fhir/sid/us-ssn'],
  carc: [
    'https://x12.org/codes/claim-adjustment-reason-codes',
    'http://x12.org/codes/claim-adjustment-reason-codes',
  ],
  revenue: [
    'https://www.nubc.org/CodeSystem/RevenueCodes',
    'https://bluebutton.cms.gov/resources/variables/rev_cntr',
  ],
  msDrg: [
    'https://www.cms.gov/Medicare/Medicare-Fee-for-Service-Payment/AcuteInpatientPPS/MS-DRG-Classifications-and-Software',
    'https://bluebutton.cms.gov/resources/variables/clm_drg_cd',
  ],
  aprDrg: [
    'http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBAPRDRG',
    'http://terminology.hl7.org/CodeSystem/APR-DRG',
  ],
  sopt: ['https://nahdo.org/sopt', 'urn:oid:2.16.840.1.113883.3.221.5'],
} as const;

export type Coding = { system?: string; code?: string; display?: string };
export type CodeableConcept = { coding?: Coding[]; text?: string };

export function codings(cc: unknown): Coding[] {
  const list = (cc as CodeableConcept | undefined)?.coding;
  return Array.isArray(list) ? list.filter((c) => c && typeof c === 'object') : [];
}

/** The first code of a CodeableConcept in one of the systems, trimmed. */
export function codeIn(cc: unknown, systems: readonly string[]): string | undefined {
  const hit = codings(cc).find((c) => c.system && systems.includes(c.system) && c.code);
  return hit?.code?.trim();
}

/** Every code of a CodeableConcept, whatever its system (the category codes of both guides differ only there). */
export function codesOf(cc: unknown): string[] {
  return codings(cc)
    .map((c) => c.code?.trim())
    .filter((c): c is string => !!c);
}

/** The part of a BB2.0 variable URL after `/variables/` (`.../variables/clm_drg_cd` → clm_drg_cd). */
function bbVariable(code: string): string {
  const i = code.lastIndexOf('/');
  return i >= 0 ? code.slice(i + 1) : code;
}

export type AmountKind =
  | 'charge'
  | 'allowed'
  | 'paid'
  | 'paid_to_patient'
  | 'deductible'
  | 'coinsurance'
  | 'copayment'
  | 'patient_paid'
  | 'denied';

/**
 * Adjudication category codes (HL7 adjudication, CARIN C4BBAdjudication, BB2.0 variables) to the
 * amount they carry. `benefit` is the payer's payable amount, used as paid when paidtoprovider is absent.
 */
const AMOUNT_CODES: Record<string, AmountKind> = {
  submitted: 'charge',
  line_sbmtd_chrg_amt: 'charge',
  rev_cntr_tot_chrg_amt: 'charge',
  eligible: 'allowed',
  line_alowd_chrg_amt: 'allowed',
  paidtoprovider: 'paid',
  line_prvdr_pmt_amt: 'paid',
  rev_cntr_prvdr_pmt_amt: 'paid',
  paidtopatient: 'paid_to_patient',
  line_bene_pmt_amt: 'paid_to_patient',
  deductible: 'deductible',
  line_bene_ptb_ddctbl_amt: 'deductible',
  rev_cntr_cash_ddctbl_amt: 'deductible',
  coinsurance: 'coinsurance',
  line_coinsrnc_amt: 'coinsurance',
  rev_cntr_coinsrnc_wge_adjstd_c: 'coinsurance',
  copay: 'copayment',
  paidbypatient: 'patient_paid',
  denied: 'denied',
  noncovered: 'denied',
};

export function amountKind(category: unknown): AmountKind | 'benefit' | undefined {
  for (const code of codesOf(category)) {
    const key = bbVariable(code);
    if (AMOUNT_CODES[key]) return AMOUNT_CODES[key];
    if (key === 'benefit' || key === 'line_nch_pmt_amt' || key === 'rev_cntr_pmt_amt_amt') return 'benefit';
  }
  return undefined;
}

/** Adjudication slices that carry a denial or rejection reason (CARIN STU1 denialreason, STU2 rejectreason). */
export function isDenialCategory(category: unknown): boolean {
  return codesOf(category).some((c) => c === 'denialreason' || c === 'rejectreason' || c === 'denied');
}

/** Network status slices (CARIN benefitpaymentstatus / inoutnetwork / billingnetworkstatus). */
export function networkFlag(cc: unknown): boolean | undefined {
  for (const code of codesOf(cc)) {
    if (code === 'innetwork' || code === 'in-network' || code === 'contracted') return true;
    if (code === 'outofnetwork' || code === 'out-of-network' || code === 'noncontracted') return false;
  }
  return undefined;
}

/** The supporting-info kind of a category (CARIN C4BBSupportingInfoType codes and BB2.0 variables). */
export function supportingInfoKind(category: unknown): string | undefined {
  const map: Record<string, string> = {
    admissionperiod: 'admission_period',
    pointoforigin: 'admit_source',
    clm_src_ip_admsn_cd: 'admit_source',
    admtype: 'admit_type',
    clm_ip_admsn_type_cd: 'admit_type',
    'discharge-status': 'discharge',
    dischargestatus: 'discharge',
    ptnt_dschrg_stus_cd: 'discharge',
    typeofbill: 'bill_type',
    drg: 'drg',
    clm_drg_cd: 'drg',
    dayssupply: 'days_supply',
    days_suply_num: 'days_supply',
    refillnum: 'refills',
    fill_num: 'refills',
    clmrecvddate: 'received',
    nch_wkly_proc_dt: 'processed',
  };
  for (const code of codesOf(category)) {
    const hit = map[bbVariable(code)];
    if (hit) return hit;
  }
  return undefined;
}

/** NDC to the 11-digit 5-4-2 form: dashed 4-4-2, 5-3-2 and 5-4-1 are padded; 11 bare digits kept. */
export function ndc11(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  const code = raw.trim();
  if (/^\d{11}$/.test(code)) return code;
  const m = /^(\d{4,5})-(\d{3,4})-(\d{1,2})$/.exec(code);
  if (!m) return undefined;
  const [a, b, c] = [m[1]!, m[2]!, m[3]!];
  if (a.length + b.length + c.length !== 10) return undefined;
  return a.padStart(5, '0') + b.padStart(4, '0') + c.padStart(2, '0');
}

/** CARCs that are patient responsibility (X12 group PR): deductible, coinsurance, copayment. */
export const PATIENT_CARCS = new Set(['1', '2', '3', '66']);

/**
 * Payer type from Coverage.type: Source of Payment Typology codes (1 Medicare, 11/111.. Medicare
 * managed care, 2 Medicaid, 5/6 private and BCBS, 8/81 self-pay); else words in the type, payer and
 * plan names (Medicare, Part A/B/D, Medicaid, self-pay); else HL7 ActCode (HMO, PPO... commercial).
 */
export function payerTypeOf(type: unknown, names: string[]): string | undefined {
  const sopt = codeIn(type, SYSTEMS.sopt);
  if (sopt) {
    if (sopt.startsWith('11')) return 'medicare_advantage';
    if (sopt.startsWith('1')) return 'medicare';
    if (sopt.startsWith('2')) return 'medicaid';
    if (sopt.startsWith('5') || sopt.startsWith('6')) return 'commercial';
    if (sopt.startsWith('8')) return 'self_pay';
    return 'other';
  }
  const words = [
    ...codings(type).map((c) => c.display ?? ''),
    (type as CodeableConcept | undefined)?.text ?? '',
    ...names,
  ]
    .join(' ')
    .toLowerCase();
  if (/medicare advantage|part c\b/.test(words)) return 'medicare_advantage';
  if (/medicare|part [abd]\b/.test(words)) return 'medicare';
  if (/medicaid|chip\b/.test(words)) return 'medicaid';
  if (/self[- ]?pay|no_insurance|uninsured/.test(words)) return 'self_pay';
  const act = codings(type).find(
    (c) => c.system === 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
  )?.code;
  if (act && ['EHCPOL', 'HMO', 'PPO', 'POS', 'HSAPOL'].includes(act)) return 'commercial';
  if (act && ['PUBLICPOL', 'SUBSIDIZ'].includes(act)) return 'other';
  return undefined;
}

const STATES: Record<string, string> = {
  alabama: 'AL',
  alaska: 'AK',
  arizona: 'AZ',
  arkansas: 'AR',
  california: 'CA',
  colorado: 'CO',
  connecticut: 'CT',
  delaware: 'DE',
  'district of columbia': 'DC',
  florida: 'FL',
  georgia: 'GA',
  hawaii: 'HI',
  idaho: 'ID',
  illinois: 'IL',
  indiana: 'IN',
  iowa: 'IA',
  kansas: 'KS',
  kentucky: 'KY',
  louisiana: 'LA',
  maine: 'ME',
  maryland: 'MD',
  massachusetts: 'MA',
  michigan: 'MI',
  minnesota: 'MN',
  mississippi: 'MS',
  missouri: 'MO',
  montana: 'MT',
  nebraska: 'NE',
  nevada: 'NV',
  'new hampshire': 'NH',
  'new jersey': 'NJ',
  'new mexico': 'NM',
  'new york': 'NY',
  'north carolina': 'NC',
  'north dakota': 'ND',
  ohio: 'OH',
  oklahoma: 'OK',
  oregon: 'OR',
  pennsylvania: 'PA',
  'rhode island': 'RI',
  'south carolina': 'SC',
  'south dakota': 'SD',
  tennessee: 'TN',
  texas: 'TX',
  utah: 'UT',
  vermont: 'VT',
  virginia: 'VA',
  washington: 'WA',
  'west virginia': 'WV',
  wisconsin: 'WI',
  wyoming: 'WY',
  'puerto rico': 'PR',
  guam: 'GU',
  'virgin islands': 'VI',
  'american samoa': 'AS',
};

/** USPS state code from a FHIR address state (code or full name); other values are left out. */
export function stateCode(raw: unknown): string | undefined {
  if (typeof raw !== 'string') return undefined;
  const s = raw.trim();
  if (/^[A-Za-z]{2}$/.test(s)) return s.toUpperCase();
  return STATES[s.toLowerCase()];
}

/** Five-digit ZIP from a postal code (ZIP+4 cut); other values are left out. */
export function zip5(raw: unknown): string | undefined {
  if (typeof raw !== 'string') return undefined;
  const m = /^(\d{5})(?:-?\d{4})?$/.exec(raw.trim());
  return m?.[1];
}

/** A FHIR date or dateTime to YYYY-MM-DD; partial dates (YYYY, YYYY-MM) are left out. */
export function fhirDate(raw: unknown): string | undefined {
  if (typeof raw !== 'string') return undefined;
  const m = /^(\d{4}-\d{2}-\d{2})/.exec(raw.trim());
  return m?.[1];
}

export function cents(n: number): number {
  return Math.round(n * 100) / 100;
}
