// Clinical catalog: chronic conditions with age/sex prevalence (ICD-10-CM codes, no dots), acute
// reasons for visits, and inpatient admission reasons with their MS-DRGs, length of stay and charges.
// Prevalences are rounded from public US surveillance figures (CDC NCHS/BRFSS, CMS chronic-condition
// dashboards) by age band; they are inputs to the simulation, not estimates claimed to be exact.

export type SpecialtyKey =
  | 'family_medicine'
  | 'internal_medicine'
  | 'pediatrics'
  | 'nurse_practitioner'
  | 'cardiology'
  | 'endocrinology'
  | 'pulmonology'
  | 'nephrology'
  | 'orthopedics'
  | 'psychiatry'
  | 'psychology'
  | 'oncology'
  | 'emergency_medicine'
  | 'radiology'
  | 'anesthesiology'
  | 'obstetrics'
  | 'gastroenterology'
  | 'general_surgery'
  | 'ophthalmology'
  | 'hospitalist'
  | 'physical_therapy'
  | 'rheumatology'
  | 'dermatology';

export interface Condition {
  bit: number;
  key: string;
  /** ICD-10-CM codes billed for the condition; the first is the usual one. */
  codes: readonly string[];
  /** Prevalence by age band: 0-17, 18-44, 45-64, 65-74, 75+. */
  prevalence: readonly [number, number, number, number, number];
  /** Odds multiplier for women. */
  female: number;
  /** Odds multiplier for Medicaid members (social risk). */
  medicaid: number;
  /** Added to the member's utilization multiplier. */
  weight: number;
  specialty?: SpecialtyKey;
  /** Specialist visits per year. */
  specialistVisits: number;
  /** Extra admissions per year the condition brings (before frailty). */
  admitRate: number;
}

export const CONDITIONS: readonly Condition[] = [
  {
    bit: 0,
    key: 'hypertension',
    codes: ['I10'],
    prevalence: [0.01, 0.11, 0.38, 0.6, 0.7],
    female: 0.9,
    medicaid: 1.2,
    weight: 0.15,
    specialistVisits: 0,
    admitRate: 0.005,
  },
  {
    bit: 1,
    key: 'hyperlipidemia',
    codes: ['E785'],
    prevalence: [0.005, 0.1, 0.33, 0.48, 0.48],
    female: 0.9,
    medicaid: 1,
    weight: 0.08,
    specialistVisits: 0,
    admitRate: 0,
  },
  {
    bit: 2,
    key: 'diabetes',
    codes: ['E119', 'E1165', 'E1140'],
    prevalence: [0.003, 0.04, 0.14, 0.24, 0.26],
    female: 0.85,
    medicaid: 1.5,
    weight: 0.45,
    specialty: 'endocrinology',
    specialistVisits: 0.8,
    admitRate: 0.02,
  },
  {
    bit: 3,
    key: 'obesity',
    codes: ['E669', 'E6601'],
    prevalence: [0.08, 0.18, 0.22, 0.2, 0.12],
    female: 1.1,
    medicaid: 1.4,
    weight: 0.1,
    specialistVisits: 0,
    admitRate: 0,
  },
  {
    bit: 4,
    key: 'asthma',
    codes: ['J45909', 'J45901'],
    prevalence: [0.08, 0.08, 0.08, 0.07, 0.06],
    female: 1.3,
    medicaid: 1.4,
    weight: 0.2,
    specialty: 'pulmonology',
    specialistVisits: 0.4,
    admitRate: 0.01,
  },
  {
    bit: 5,
    key: 'copd',
    codes: ['J449'],
    prevalence: [0, 0.01, 0.06, 0.11, 0.13],
    female: 1,
    medicaid: 1.8,
    weight: 0.6,
    specialty: 'pulmonology',
    specialistVisits: 1.2,
    admitRate: 0.09,
  },
  {
    bit: 6,
    key: 'chf',
    codes: ['I509', 'I5022'],
    prevalence: [0, 0.002, 0.015, 0.06, 0.13],
    female: 0.8,
    medicaid: 1.4,
    weight: 0.9,
    specialty: 'cardiology',
    specialistVisits: 2,
    admitRate: 0.22,
  },
  {
    bit: 7,
    key: 'cad',
    codes: ['I2510'],
    prevalence: [0, 0.005, 0.05, 0.14, 0.2],
    female: 0.6,
    medicaid: 1.2,
    weight: 0.4,
    specialty: 'cardiology',
    specialistVisits: 1,
    admitRate: 0.04,
  },
  {
    bit: 8,
    key: 'afib',
    codes: ['I4891'],
    prevalence: [0, 0.002, 0.015, 0.07, 0.13],
    female: 0.8,
    medicaid: 1,
    weight: 0.4,
    specialty: 'cardiology',
    specialistVisits: 1.5,
    admitRate: 0.05,
  },
  {
    bit: 9,
    key: 'ckd',
    codes: ['N1830', 'N1831', 'N184'],
    prevalence: [0, 0.005, 0.04, 0.13, 0.21],
    female: 1,
    medicaid: 1.3,
    weight: 0.45,
    specialty: 'nephrology',
    specialistVisits: 1.5,
    admitRate: 0.05,
  },
  {
    bit: 10,
    key: 'esrd',
    codes: ['N186'],
    prevalence: [0.0002, 0.001, 0.003, 0.006, 0.006],
    female: 0.7,
    medicaid: 2,
    weight: 1.6,
    specialty: 'nephrology',
    specialistVisits: 0,
    admitRate: 0.5,
  },
  {
    bit: 11,
    key: 'depression',
    codes: ['F329', 'F331'],
    prevalence: [0.03, 0.09, 0.09, 0.07, 0.07],
    female: 1.7,
    medicaid: 1.6,
    weight: 0.3,
    specialty: 'psychology',
    specialistVisits: 6,
    admitRate: 0.01,
  },
  {
    bit: 12,
    key: 'anxiety',
    codes: ['F411'],
    prevalence: [0.04, 0.1, 0.08, 0.06, 0.05],
    female: 1.6,
    medicaid: 1.4,
    weight: 0.15,
    specialty: 'psychology',
    specialistVisits: 3,
    admitRate: 0,
  },
  {
    bit: 13,
    key: 'hypothyroid',
    codes: ['E039'],
    prevalence: [0.003, 0.03, 0.07, 0.12, 0.15],
    female: 3,
    medicaid: 1,
    weight: 0.05,
    specialistVisits: 0,
    admitRate: 0,
  },
  {
    bit: 14,
    key: 'osteoarthritis',
    codes: ['M1711', 'M1712', 'M1990'],
    prevalence: [0, 0.01, 0.08, 0.18, 0.25],
    female: 1.3,
    medicaid: 1.1,
    weight: 0.2,
    specialty: 'orthopedics',
    specialistVisits: 1,
    admitRate: 0,
  },
  {
    bit: 15,
    key: 'breast_cancer',
    codes: ['C50911', 'C50912'],
    prevalence: [0, 0.002, 0.01, 0.018, 0.02],
    female: 1,
    medicaid: 1,
    weight: 1.2,
    specialty: 'oncology',
    specialistVisits: 6,
    admitRate: 0.05,
  },
  {
    bit: 16,
    key: 'lung_cancer',
    codes: ['C3490', 'C3491'],
    prevalence: [0, 0.0002, 0.003, 0.008, 0.009],
    female: 0.9,
    medicaid: 1.5,
    weight: 1.6,
    specialty: 'oncology',
    specialistVisits: 8,
    admitRate: 0.25,
  },
  {
    bit: 17,
    key: 'dementia',
    codes: ['F0390', 'G309'],
    prevalence: [0, 0, 0.002, 0.03, 0.12],
    female: 1.3,
    medicaid: 1.5,
    weight: 0.5,
    specialistVisits: 0,
    admitRate: 0.08,
  },
  {
    bit: 18,
    key: 'sleep_apnea',
    codes: ['G4733'],
    prevalence: [0.005, 0.04, 0.09, 0.1, 0.08],
    female: 0.6,
    medicaid: 1,
    weight: 0.1,
    specialty: 'pulmonology',
    specialistVisits: 0.5,
    admitRate: 0,
  },
  {
    bit: 19,
    key: 'autoimmune',
    codes: ['M069', 'K5090'],
    prevalence: [0.001, 0.006, 0.01, 0.012, 0.01],
    female: 2,
    medicaid: 1,
    weight: 0.6,
    specialty: 'rheumatology',
    specialistVisits: 3,
    admitRate: 0.02,
  },
  {
    bit: 20,
    key: 'schizophrenia',
    codes: ['F209'],
    prevalence: [0, 0.006, 0.005, 0.003, 0.002],
    female: 0.7,
    medicaid: 3.5,
    weight: 0.5,
    specialty: 'psychiatry',
    specialistVisits: 6,
    admitRate: 0.15,
  },
  {
    bit: 21,
    key: 'alcohol',
    codes: ['F1020'],
    prevalence: [0, 0.02, 0.02, 0.01, 0.005],
    female: 0.5,
    medicaid: 2,
    weight: 0.3,
    specialistVisits: 0,
    admitRate: 0.06,
  },
];

export const C = Object.fromEntries(CONDITIONS.map((c) => [c.key, c.bit])) as Record<string, number>;

export function has(mask: number, bit: number): boolean {
  return ((mask >>> bit) & 1) === 1;
}

export function countConditions(mask: number): number {
  let n = 0;
  let m = mask >>> 0;
  while (m) {
    m &= m - 1;
    n++;
  }
  return n;
}

/** Acute reasons for office, urgent-care and ED visits, with relative frequency by age group. */
export interface AcuteReason {
  dx: string;
  child: number;
  adult: number;
  senior: number;
  /** Drives ED level and tests. */
  severity: 1 | 2 | 3;
}

export const ACUTE_REASONS: readonly AcuteReason[] = [
  { dx: 'J069', child: 10, adult: 6, senior: 3, severity: 1 },
  { dx: 'J029', child: 6, adult: 3, senior: 1, severity: 1 },
  { dx: 'H6690', child: 7, adult: 1, senior: 0.5, severity: 1 },
  { dx: 'J209', child: 2, adult: 3, senior: 3, severity: 1 },
  { dx: 'J101', child: 2, adult: 2, senior: 2, severity: 2 },
  { dx: 'U071', child: 1, adult: 2, senior: 2, severity: 2 },
  { dx: 'N390', child: 1, adult: 3, senior: 4, severity: 1 },
  { dx: 'R109', child: 2, adult: 3, senior: 3, severity: 2 },
  { dx: 'R079', child: 0.2, adult: 2, senior: 3, severity: 3 },
  { dx: 'M545', child: 0.2, adult: 5, senior: 3, severity: 1 },
  { dx: 'R519', child: 1, adult: 2, senior: 1, severity: 2 },
  { dx: 'R42', child: 0.2, adult: 1, senior: 2, severity: 2 },
  { dx: 'R112', child: 2, adult: 1.5, senior: 1, severity: 1 },
  { dx: 'K5900', child: 1, adult: 1, senior: 1.5, severity: 1 },
  { dx: 'S93401A', child: 2, adult: 2, senior: 0.5, severity: 1 },
  { dx: 'S61412A', child: 1, adult: 1.5, senior: 0.5, severity: 1 },
  { dx: 'L03115', child: 0.5, adult: 1, senior: 1.5, severity: 2 },
  { dx: 'R0602', child: 0.5, adult: 1, senior: 2.5, severity: 3 },
  { dx: 'R55', child: 0.2, adult: 0.5, senior: 1.5, severity: 3 },
  { dx: 'R05', child: 3, adult: 2, senior: 2, severity: 1 },
];

/** A reason for an inpatient stay. */
export interface AdmitReason {
  key: string;
  /** Principal and usual secondary diagnoses. */
  dx: readonly string[];
  /** MS-DRG with MCC, with CC, without CC/MCC. */
  drg: readonly [string, string, string];
  /** Median length of stay in days. */
  los: number;
  /** Typical total facility charge in dollars. */
  charge: number;
  /** Condition bit that makes this reason likely (-1 for acute reasons open to anyone). */
  condition: number;
  /** Weight among acute reasons for members of a given age (child, adult, senior). */
  acute: readonly [number, number, number];
  /** Surgeon CPT and anesthesia CPT for surgical stays. */
  surgery?: readonly [string, string];
  elective?: boolean;
  /** Planned admission (chemotherapy, scheduled surgery): never counted as an unplanned readmission. */
  planned?: boolean;
  /** Added to the 30-day readmission log-odds. */
  readmitRisk: number;
  icuShare: number;
}

export const ADMIT_REASONS: readonly AdmitReason[] = [
  {
    key: 'heart_failure',
    dx: ['I5023', 'I10', 'N1830'],
    drg: ['291', '292', '293'],
    los: 4.5,
    charge: 48000,
    condition: 6,
    acute: [0, 0, 0],
    readmitRisk: 0.45,
    icuShare: 0.1,
  },
  {
    key: 'copd_exacerbation',
    dx: ['J441', 'J9601', 'Z87891'],
    drg: ['190', '191', '192'],
    los: 3.8,
    charge: 38000,
    condition: 5,
    acute: [0, 0, 0],
    readmitRisk: 0.35,
    icuShare: 0.08,
  },
  {
    key: 'pneumonia',
    dx: ['J189', 'R0602'],
    drg: ['193', '194', '195'],
    los: 4,
    charge: 42000,
    condition: -1,
    acute: [3, 3, 6],
    readmitRisk: 0.1,
    icuShare: 0.08,
  },
  {
    key: 'sepsis',
    dx: ['A419', 'N179', 'E871'],
    drg: ['871', '872', '872'],
    los: 6,
    charge: 76000,
    condition: -1,
    acute: [0.5, 1.5, 4],
    readmitRisk: 0.3,
    icuShare: 0.35,
  },
  {
    key: 'uti',
    dx: ['N390', 'E871'],
    drg: ['689', '690', '690'],
    los: 3.5,
    charge: 30000,
    condition: -1,
    acute: [1, 1.5, 3],
    readmitRisk: 0.05,
    icuShare: 0.02,
  },
  {
    key: 'ami',
    dx: ['I214', 'I2510', 'E785'],
    drg: ['280', '281', '282'],
    los: 4,
    charge: 66000,
    condition: 7,
    acute: [0, 0.3, 1],
    readmitRisk: 0.15,
    icuShare: 0.5,
  },
  {
    key: 'stroke',
    dx: ['I639', 'I10', 'I4891'],
    drg: ['064', '065', '066'],
    los: 5,
    charge: 62000,
    condition: 8,
    acute: [0, 0.3, 1.2],
    readmitRisk: 0.05,
    icuShare: 0.3,
  },
  {
    key: 'diabetes_complication',
    dx: ['E1165', 'E871'],
    drg: ['637', '638', '639'],
    los: 3.5,
    charge: 34000,
    condition: 2,
    acute: [0, 0, 0],
    readmitRisk: 0.2,
    icuShare: 0.1,
  },
  {
    key: 'hip_fracture',
    dx: ['S72001A', 'W1830XA'],
    drg: ['480', '481', '482'],
    los: 5,
    charge: 86000,
    condition: -1,
    acute: [0, 0.1, 1.2],
    surgery: ['27236', '01402'],
    readmitRisk: 0.15,
    icuShare: 0.05,
  },
  {
    key: 'knee_replacement',
    dx: ['M1711', 'Z96651'],
    drg: ['469', '470', '470'],
    los: 2,
    charge: 72000,
    condition: 14,
    acute: [0, 0, 0],
    surgery: ['27447', '01402'],
    elective: true,
    planned: true,
    readmitRisk: -0.6,
    icuShare: 0,
  },
  {
    // Staged PCI of the remaining lesions weeks after a myocardial infarction: scheduled, principal
    // diagnosis chronic coronary disease (old MI secondary), so the CMS planned-readmission algorithm
    // calls it planned (potentially planned procedure, PCI, with a non-acute principal diagnosis).
    key: 'staged_pci',
    dx: ['I2510', 'I252', 'E785'],
    drg: ['321', '322', '322'],
    los: 1,
    charge: 85000,
    condition: 7,
    acute: [0, 0, 0],
    elective: true,
    planned: true,
    readmitRisk: -0.2,
    icuShare: 0,
  },
  {
    key: 'chemotherapy',
    dx: ['Z5111', 'C3490'],
    drg: ['846', '847', '848'],
    los: 3,
    charge: 45000,
    condition: 16,
    acute: [0, 0, 0],
    elective: true,
    planned: true,
    readmitRisk: 0.4,
    icuShare: 0,
  },
  {
    key: 'delivery',
    dx: ['O80', 'Z370', 'Z3A39'],
    drg: ['807', '807', '807'],
    los: 2,
    charge: 16000,
    condition: -1,
    acute: [0, 0, 0],
    surgery: ['59400', ''],
    elective: true,
    planned: true,
    readmitRisk: -1.2,
    icuShare: 0,
  },
  {
    key: 'psychosis',
    dx: ['F209', 'F1020'],
    drg: ['885', '885', '885'],
    los: 8,
    charge: 32000,
    condition: 20,
    acute: [0, 0, 0],
    readmitRisk: 0.5,
    icuShare: 0,
  },
  {
    key: 'kidney_failure',
    dx: ['N179', 'N1830', 'E871'],
    drg: ['682', '683', '684'],
    los: 4.5,
    charge: 40000,
    condition: 9,
    acute: [0, 0, 0],
    readmitRisk: 0.35,
    icuShare: 0.1,
  },
  {
    key: 'gi_bleed',
    dx: ['K922', 'D649'],
    drg: ['377', '378', '379'],
    los: 3.5,
    charge: 45000,
    condition: -1,
    acute: [0.1, 0.6, 1.5],
    readmitRisk: 0.2,
    icuShare: 0.15,
  },
  {
    key: 'cellulitis',
    dx: ['L03115', 'E119'],
    drg: ['602', '603', '603'],
    los: 3.5,
    charge: 28000,
    condition: -1,
    acute: [0.5, 1.5, 1.5],
    readmitRisk: 0,
    icuShare: 0,
  },
  {
    key: 'arrhythmia',
    dx: ['I4891', 'I10'],
    drg: ['308', '309', '310'],
    los: 3,
    charge: 32000,
    condition: 8,
    acute: [0, 0, 0],
    readmitRisk: 0.1,
    icuShare: 0.1,
  },
  {
    key: 'syncope',
    dx: ['R55', 'I10'],
    drg: ['312', '312', '312'],
    los: 2,
    charge: 24000,
    condition: -1,
    acute: [0.2, 0.5, 1.5],
    readmitRisk: -0.1,
    icuShare: 0,
  },
  {
    key: 'chest_pain',
    dx: ['R079', 'I10'],
    drg: ['313', '313', '313'],
    los: 1.5,
    charge: 18000,
    condition: -1,
    acute: [0.1, 1.5, 1.5],
    readmitRisk: -0.2,
    icuShare: 0,
  },
  {
    key: 'alcohol_withdrawal',
    dx: ['F1020', 'K709'],
    drg: ['896', '897', '897'],
    los: 4,
    charge: 26000,
    condition: 21,
    acute: [0, 0, 0],
    readmitRisk: 0.55,
    icuShare: 0.1,
  },
];

export const ADMIT = Object.fromEntries(ADMIT_REASONS.map((r, i) => [r.key, i])) as Record<string, number>;
