// Provider kinds with their NUCC Health Care Provider Taxonomy codes (nucc.org code set) and how many
// of each a book of a given size needs (per 1,000 members, with a floor so small books still work).
import type { SpecialtyKey } from './conditions.ts';

export type ProviderType =
  | 'physician'
  | 'nurse_practitioner'
  | 'hospital'
  | 'snf'
  | 'clinic'
  | 'ambulatory_surgery_center'
  | 'laboratory'
  | 'pharmacy'
  | 'home_health'
  | 'dme'
  | 'other';

export interface IndividualKind {
  key: SpecialtyKey;
  specialty: string;
  taxonomy: string;
  type: ProviderType;
  perThousand: number;
  min: number;
  /** Primary care: members get a PCP of these kinds. */
  primaryCare?: boolean;
}

export const INDIVIDUAL_KINDS: readonly IndividualKind[] = [
  {
    key: 'family_medicine',
    specialty: 'Family Medicine',
    taxonomy: '207Q00000X',
    type: 'physician',
    perThousand: 4.2,
    min: 6,
    primaryCare: true,
  },
  {
    key: 'internal_medicine',
    specialty: 'Internal Medicine',
    taxonomy: '207R00000X',
    type: 'physician',
    perThousand: 3.3,
    min: 5,
    primaryCare: true,
  },
  {
    key: 'pediatrics',
    specialty: 'Pediatrics',
    taxonomy: '208000000X',
    type: 'physician',
    perThousand: 1.8,
    min: 4,
  },
  {
    key: 'nurse_practitioner',
    specialty: 'Nurse Practitioner',
    taxonomy: '363L00000X',
    type: 'nurse_practitioner',
    perThousand: 2.1,
    min: 4,
    primaryCare: true,
  },
  {
    key: 'cardiology',
    specialty: 'Cardiovascular Disease',
    taxonomy: '207RC0000X',
    type: 'physician',
    perThousand: 0.66,
    min: 3,
  },
  {
    key: 'endocrinology',
    specialty: 'Endocrinology, Diabetes & Metabolism',
    taxonomy: '207RE0101X',
    type: 'physician',
    perThousand: 0.24,
    min: 2,
  },
  {
    key: 'pulmonology',
    specialty: 'Pulmonary Disease',
    taxonomy: '207RP1001X',
    type: 'physician',
    perThousand: 0.3,
    min: 2,
  },
  {
    key: 'nephrology',
    specialty: 'Nephrology',
    taxonomy: '207RN0300X',
    type: 'physician',
    perThousand: 0.21,
    min: 2,
  },
  {
    key: 'orthopedics',
    specialty: 'Orthopaedic Surgery',
    taxonomy: '207X00000X',
    type: 'physician',
    perThousand: 0.45,
    min: 2,
  },
  {
    key: 'psychiatry',
    specialty: 'Psychiatry',
    taxonomy: '2084P0800X',
    type: 'physician',
    perThousand: 0.36,
    min: 2,
  },
  {
    key: 'psychology',
    specialty: 'Psychologist',
    taxonomy: '103T00000X',
    type: 'other',
    perThousand: 0.75,
    min: 3,
  },
  {
    key: 'oncology',
    specialty: 'Hematology & Oncology',
    taxonomy: '207RH0003X',
    type: 'physician',
    perThousand: 0.21,
    min: 2,
  },
  {
    key: 'emergency_medicine',
    specialty: 'Emergency Medicine',
    taxonomy: '207P00000X',
    type: 'physician',
    perThousand: 0.9,
    min: 4,
  },
  {
    key: 'radiology',
    specialty: 'Diagnostic Radiology',
    taxonomy: '2085R0202X',
    type: 'physician',
    perThousand: 0.45,
    min: 3,
  },
  {
    key: 'anesthesiology',
    specialty: 'Anesthesiology',
    taxonomy: '207L00000X',
    type: 'physician',
    perThousand: 0.36,
    min: 2,
  },
  {
    key: 'obstetrics',
    specialty: 'Obstetrics & Gynecology',
    taxonomy: '207V00000X',
    type: 'physician',
    perThousand: 0.54,
    min: 2,
  },
  {
    key: 'gastroenterology',
    specialty: 'Gastroenterology',
    taxonomy: '207RG0100X',
    type: 'physician',
    perThousand: 0.27,
    min: 2,
  },
  {
    key: 'general_surgery',
    specialty: 'Surgery',
    taxonomy: '208600000X',
    type: 'physician',
    perThousand: 0.36,
    min: 2,
  },
  {
    key: 'ophthalmology',
    specialty: 'Ophthalmology',
    taxonomy: '207W00000X',
    type: 'physician',
    perThousand: 0.3,
    min: 2,
  },
  {
    key: 'hospitalist',
    specialty: 'Hospitalist',
    taxonomy: '208M00000X',
    type: 'physician',
    perThousand: 0.75,
    min: 4,
  },
  {
    key: 'physical_therapy',
    specialty: 'Physical Therapist',
    taxonomy: '225100000X',
    type: 'other',
    perThousand: 0.9,
    min: 3,
  },
  {
    key: 'rheumatology',
    specialty: 'Rheumatology',
    taxonomy: '207RR0500X',
    type: 'physician',
    perThousand: 0.15,
    min: 2,
  },
  {
    key: 'dermatology',
    specialty: 'Dermatology',
    taxonomy: '207N00000X',
    type: 'physician',
    perThousand: 0.24,
    min: 2,
  },
];

export type OrgKey =
  | 'hospital'
  | 'snf'
  | 'home_health'
  | 'dme'
  | 'laboratory'
  | 'pharmacy'
  | 'mail_pharmacy'
  | 'asc'
  | 'dialysis'
  | 'ambulance';

export interface OrgKind {
  key: OrgKey;
  label: string;
  taxonomy: string;
  type: ProviderType;
  /** Members per organization, and the floor and ceiling of the count. */
  membersPer: number;
  min: number;
  max: number;
}

export const ORG_KINDS: readonly OrgKind[] = [
  {
    key: 'hospital',
    label: 'General Acute Care Hospital',
    taxonomy: '282N00000X',
    type: 'hospital',
    membersPer: 6000,
    min: 8,
    max: 300,
  },
  {
    key: 'snf',
    label: 'Skilled Nursing Facility',
    taxonomy: '314000000X',
    type: 'snf',
    membersPer: 6000,
    min: 4,
    max: 400,
  },
  {
    key: 'home_health',
    label: 'Home Health Agency',
    taxonomy: '251E00000X',
    type: 'home_health',
    membersPer: 12000,
    min: 3,
    max: 200,
  },
  {
    key: 'dme',
    label: 'Durable Medical Equipment & Medical Supplies',
    taxonomy: '332B00000X',
    type: 'dme',
    membersPer: 20000,
    min: 3,
    max: 80,
  },
  {
    key: 'laboratory',
    label: 'Clinical Medical Laboratory',
    taxonomy: '291U00000X',
    type: 'laboratory',
    membersPer: 40000,
    min: 2,
    max: 25,
  },
  {
    key: 'pharmacy',
    label: 'Pharmacy',
    taxonomy: '333600000X',
    type: 'pharmacy',
    membersPer: 1500,
    min: 8,
    max: 1500,
  },
  {
    key: 'mail_pharmacy',
    label: 'Mail Order Pharmacy',
    taxonomy: '333600000X',
    type: 'pharmacy',
    membersPer: 1e9,
    min: 2,
    max: 2,
  },
  {
    key: 'asc',
    label: 'Ambulatory Surgical Center',
    taxonomy: '261QA1903X',
    type: 'ambulatory_surgery_center',
    membersPer: 25000,
    min: 2,
    max: 80,
  },
  {
    key: 'dialysis',
    label: 'End-Stage Renal Disease Treatment Clinic',
    taxonomy: '261QE0700X',
    type: 'clinic',
    membersPer: 30000,
    min: 2,
    max: 80,
  },
  {
    key: 'ambulance',
    label: 'Ambulance',
    taxonomy: '341600000X',
    type: 'other',
    membersPer: 30000,
    min: 2,
    max: 60,
  },
];

/** Group practices that bill for individuals: primary care and multi-specialty clinics. */
export const PRIMARY_CARE_CLINIC_TAXONOMY = '261QP2300X';
export const MULTI_SPECIALTY_CLINIC_TAXONOMY = '261QM1300X';
