// Curated CPT/HCPCS procedure catalog: real code numbers with our own short plain labels (no AMA
// descriptors), typical billed charges, and the flags that drive observable denial mechanisms.
// CPT code numbers are used as identifiers only; HCPCS Level II codes exist in the CMS HCPCS file.

export interface Procedure {
  code: string;
  label: string;
  /** Typical billed charge in dollars per unit (hospital chargemaster level). */
  charge: number;
  /** Needs prior authorization when done as an elective outpatient or office service. */
  pa?: boolean;
  /** ICD-10-CM prefixes that support the procedure; a principal diagnosis outside them is a mismatch (CO-11). */
  dx?: readonly string[];
  /** Denied for an unspecified principal diagnosis (R69, R68.89): CO-16 with RARC M76. */
  specificDx?: boolean;
  /** Not medically necessary with only a general-exam diagnosis (Z00.0x): CO-50 with RARC N115. */
  necessity?: boolean;
  /** Minor procedure: an E/M visit the same day needs modifier 25 or is bundled (CO-97). */
  minor?: boolean;
  /** Evaluation and management visit code. */
  em?: boolean;
  /** Payer indices (see payers.ts) whose benefit plans exclude the service (CO-96 / CO-204). */
  noncovered?: readonly number[];
  /** Revenue code when billed on an institutional claim. */
  rev?: string;
}

const IMAGING_DX = ['M', 'S', 'R', 'G', 'C', 'I', 'K', 'N', 'J'];

export const PROCEDURES: readonly Procedure[] = [
  // Office and outpatient visits
  { code: '99202', label: 'New patient office visit, straightforward', charge: 140, em: true, rev: '0510' },
  { code: '99203', label: 'New patient office visit, low complexity', charge: 210, em: true, rev: '0510' },
  {
    code: '99204',
    label: 'New patient office visit, moderate complexity',
    charge: 320,
    em: true,
    rev: '0510',
  },
  { code: '99212', label: 'Office visit, established, straightforward', charge: 110, em: true, rev: '0510' },
  { code: '99213', label: 'Office visit, established, low complexity', charge: 165, em: true, rev: '0510' },
  {
    code: '99214',
    label: 'Office visit, established, moderate complexity',
    charge: 245,
    em: true,
    rev: '0510',
  },
  { code: '99215', label: 'Office visit, established, high complexity', charge: 340, em: true, rev: '0510' },
  { code: '99391', label: 'Preventive visit, infant', charge: 220, em: true },
  { code: '99392', label: 'Preventive visit, age 1-4', charge: 230, em: true },
  { code: '99393', label: 'Preventive visit, age 5-11', charge: 235, em: true },
  { code: '99394', label: 'Preventive visit, age 12-17', charge: 245, em: true },
  { code: '99395', label: 'Preventive visit, age 18-39', charge: 260, em: true },
  { code: '99396', label: 'Preventive visit, age 40-64', charge: 280, em: true },
  { code: '99397', label: 'Preventive visit, 65 and over', charge: 300, em: true },
  { code: 'G0438', label: 'Annual wellness visit, first', charge: 250, em: true },
  { code: 'G0439', label: 'Annual wellness visit, subsequent', charge: 200, em: true },
  { code: '99495', label: 'Transitional care after discharge, moderate', charge: 280, em: true },
  { code: '99496', label: 'Transitional care after discharge, high', charge: 380, em: true },
  { code: '90791', label: 'Psychiatric diagnostic evaluation', charge: 280, em: true },
  { code: '90834', label: 'Psychotherapy, 45 minutes', charge: 160, em: true },
  { code: '90837', label: 'Psychotherapy, 60 minutes', charge: 220, em: true },
  // Emergency department (professional and facility levels)
  { code: '99283', label: 'Emergency visit, moderate', charge: 320, em: true, rev: '0450' },
  { code: '99284', label: 'Emergency visit, high', charge: 520, em: true, rev: '0450' },
  { code: '99285', label: 'Emergency visit, highest', charge: 780, em: true, rev: '0450' },
  // Hospital inpatient professional visits
  { code: '99222', label: 'Initial hospital care, moderate', charge: 320, em: true },
  { code: '99223', label: 'Initial hospital care, high', charge: 450, em: true },
  { code: '99232', label: 'Subsequent hospital care, moderate', charge: 170, em: true },
  { code: '99233', label: 'Subsequent hospital care, high', charge: 240, em: true },
  { code: '99238', label: 'Hospital discharge day, 30 minutes or less', charge: 180, em: true },
  { code: '99239', label: 'Hospital discharge day, over 30 minutes', charge: 260, em: true },
  // Laboratory
  { code: '36415', label: 'Venous blood draw', charge: 25, rev: '0300' },
  { code: '80053', label: 'Comprehensive metabolic panel', charge: 95, rev: '0301' },
  { code: '80048', label: 'Basic metabolic panel', charge: 60, rev: '0301' },
  { code: '85025', label: 'Complete blood count with differential', charge: 55, rev: '0300' },
  { code: '80061', label: 'Lipid panel', charge: 90, rev: '0301' },
  { code: '83036', label: 'Hemoglobin A1c', charge: 70, rev: '0301' },
  { code: '84443', label: 'Thyroid stimulating hormone', charge: 95, rev: '0301' },
  { code: '81001', label: 'Urinalysis with microscopy', charge: 30, rev: '0300' },
  { code: '82043', label: 'Urine albumin', charge: 45, rev: '0300' },
  { code: '82306', label: 'Vitamin D, 25-hydroxy', charge: 150, necessity: true, rev: '0301' },
  { code: '87086', label: 'Urine culture, colony count', charge: 60, rev: '0300' },
  { code: '87880', label: 'Rapid strep test', charge: 45, rev: '0300' },
  { code: '83880', label: 'Natriuretic peptide (BNP)', charge: 180, rev: '0301' },
  { code: '84484', label: 'Troponin, quantitative', charge: 110, rev: '0301' },
  { code: '85610', label: 'Prothrombin time', charge: 35, rev: '0300' },
  { code: '87040', label: 'Blood culture', charge: 90, rev: '0300' },
  // Imaging and cardiology diagnostics
  { code: '71046', label: 'Chest X-ray, 2 views', charge: 180, rev: '0324' },
  { code: '73562', label: 'Knee X-ray, 3 views', charge: 160, rev: '0320', dx: ['M', 'S'] },
  { code: '72100', label: 'Lumbar spine X-ray, 2-3 views', charge: 170, rev: '0320', dx: ['M', 'S'] },
  { code: '73502', label: 'Hip X-ray, 2-3 views', charge: 190, rev: '0320', dx: ['M', 'S'] },
  { code: '70450', label: 'CT head without contrast', charge: 1400, rev: '0350', specificDx: true },
  {
    code: '74177',
    label: 'CT abdomen and pelvis with contrast',
    charge: 3200,
    rev: '0350',
    pa: true,
    specificDx: true,
    dx: IMAGING_DX,
  },
  {
    code: '71260',
    label: 'CT chest with contrast',
    charge: 2200,
    rev: '0350',
    pa: true,
    specificDx: true,
    dx: IMAGING_DX,
  },
  {
    code: '72148',
    label: 'MRI lumbar spine without contrast',
    charge: 2500,
    rev: '0612',
    pa: true,
    specificDx: true,
    dx: ['M', 'S', 'G', 'C'],
  },
  {
    code: '73721',
    label: 'MRI knee without contrast',
    charge: 2300,
    rev: '0610',
    pa: true,
    specificDx: true,
    dx: ['M', 'S'],
  },
  {
    code: '70553',
    label: 'MRI brain with and without contrast',
    charge: 3800,
    rev: '0610',
    pa: true,
    specificDx: true,
    necessity: true,
    dx: ['G', 'R', 'C', 'I', 'F'],
  },
  { code: '77067', label: 'Screening mammogram, both breasts', charge: 280, rev: '0320' },
  { code: '77080', label: 'Bone density (DXA) study', charge: 240, rev: '0320', necessity: true },
  { code: '76805', label: 'Obstetric ultrasound', charge: 450, rev: '0320', dx: ['O', 'Z3'] },
  {
    code: '93306',
    label: 'Echocardiogram, complete',
    charge: 1500,
    rev: '0480',
    specificDx: true,
    necessity: true,
    dx: ['I', 'R', 'E', 'Z'],
  },
  {
    code: '78452',
    label: 'Nuclear myocardial perfusion study',
    charge: 2600,
    rev: '0341',
    pa: true,
    specificDx: true,
    dx: ['I', 'R', 'E'],
  },
  { code: '93015', label: 'Cardiovascular stress test', charge: 420, rev: '0482', specificDx: true },
  { code: '93000', label: 'Electrocardiogram with interpretation', charge: 60 },
  { code: '93005', label: 'Electrocardiogram tracing only', charge: 90, rev: '0730' },
  {
    code: '95810',
    label: 'Sleep study, attended',
    charge: 2600,
    rev: '0740',
    pa: true,
    specificDx: true,
    dx: ['G47', 'R06', 'E66'],
  },
  // Procedures
  { code: 'G0121', label: 'Screening colonoscopy, not high risk', charge: 2400, rev: '0750' },
  {
    code: '45378',
    label: 'Diagnostic colonoscopy',
    charge: 2500,
    rev: '0750',
    specificDx: true,
    dx: ['K', 'R', 'D', 'Z'],
  },
  {
    code: '45380',
    label: 'Colonoscopy with biopsy',
    charge: 2900,
    rev: '0750',
    specificDx: true,
    dx: ['K', 'R', 'D', 'Z'],
  },
  {
    code: '43239',
    label: 'Upper GI endoscopy with biopsy',
    charge: 2200,
    rev: '0750',
    specificDx: true,
    dx: ['K', 'R', 'D'],
  },
  { code: '20610', label: 'Large joint injection or aspiration', charge: 220, minor: true, dx: ['M', 'S'] },
  { code: '11102', label: 'Skin biopsy, tangential', charge: 180, minor: true },
  { code: '17110', label: 'Destruction of benign skin lesions', charge: 160, minor: true },
  { code: '69210', label: 'Impacted earwax removal', charge: 90, minor: true },
  {
    code: '29881',
    label: 'Knee arthroscopy with meniscectomy',
    charge: 6500,
    rev: '0360',
    pa: true,
    specificDx: true,
    dx: ['M', 'S'],
  },
  { code: '66984', label: 'Cataract removal with lens implant', charge: 4200, rev: '0360', pa: true },
  { code: '27447', label: 'Total knee arthroplasty', charge: 3800, pa: true, dx: ['M17', 'M19'] },
  { code: '27130', label: 'Total hip arthroplasty', charge: 4000, pa: true },
  { code: '27236', label: 'Hip fracture repair, femoral head replacement', charge: 3600, dx: ['S72'] },
  { code: '27245', label: 'Hip fracture fixation, intramedullary', charge: 3200, dx: ['S72'] },
  { code: '19303', label: 'Simple complete mastectomy', charge: 4500, pa: true, dx: ['C50', 'D05'] },
  {
    code: '93458',
    label: 'Left heart catheterization with angiography',
    charge: 7500,
    rev: '0481',
    pa: true,
    dx: ['I', 'R'],
  },
  {
    code: '59400',
    label: 'Routine obstetric care, vaginal delivery (global)',
    charge: 7500,
    dx: ['O', 'Z3'],
  },
  { code: '01402', label: 'Anesthesia for knee arthroplasty', charge: 2200 },
  { code: '00812', label: 'Anesthesia for screening colonoscopy', charge: 700 },
  { code: '00142', label: 'Anesthesia for lens surgery', charge: 700 },
  // Therapy and infusion
  { code: '97161', label: 'Physical therapy evaluation, low complexity', charge: 190, rev: '0420' },
  { code: '97110', label: 'Therapeutic exercise, each 15 minutes', charge: 75, rev: '0420' },
  { code: '97140', label: 'Manual therapy, each 15 minutes', charge: 70, rev: '0420' },
  { code: '96413', label: 'Chemotherapy infusion, first hour', charge: 550, rev: '0335' },
  { code: '96415', label: 'Chemotherapy infusion, each additional hour', charge: 150, rev: '0335' },
  { code: '96365', label: 'IV infusion, first hour', charge: 300, rev: '0260' },
  { code: '90686', label: 'Influenza vaccine, quadrivalent', charge: 45, rev: '0636' },
  { code: '90471', label: 'Immunization administration', charge: 35 },
  { code: 'G0008', label: 'Influenza vaccine administration (Medicare)', charge: 35 },
  { code: '90715', label: 'Tdap vaccine', charge: 75 },
  { code: '90707', label: 'MMR vaccine', charge: 120 },
  { code: '90960', label: 'Dialysis services, monthly, 4 or more visits', charge: 600 },
  { code: '90935', label: 'Hemodialysis session with one evaluation', charge: 950, rev: '0821' },
  { code: '97810', label: 'Acupuncture, initial 15 minutes', charge: 90, noncovered: [1, 3] },
  { code: '98940', label: 'Chiropractic spinal manipulation', charge: 70, noncovered: [3] },
  { code: '15823', label: 'Upper eyelid repair (blepharoplasty)', charge: 3500, noncovered: [0, 1, 3] },
  // Drugs billed with J-codes (charge per billing unit)
  { code: 'J9271', label: 'Pembrolizumab, 1 mg', charge: 62, pa: true, rev: '0636', dx: ['C'] },
  { code: 'J9035', label: 'Bevacizumab, 10 mg', charge: 260, pa: true, rev: '0636', dx: ['C'] },
  { code: 'J2505', label: 'Pegfilgrastim, 6 mg', charge: 7200, pa: true, rev: '0636', dx: ['C', 'D'] },
  { code: 'J1745', label: 'Infliximab, 10 mg', charge: 185, pa: true, rev: '0636', dx: ['M', 'K5', 'L40'] },
  { code: 'J0897', label: 'Denosumab, 1 mg', charge: 32, pa: true, rev: '0636' },
  { code: 'J1950', label: 'Leuprolide depot, 3.75 mg', charge: 1250, pa: true, rev: '0636' },
  { code: 'J0885', label: 'Epoetin alfa (non-ESRD), 1000 units', charge: 40, rev: '0636' },
  { code: 'J1100', label: 'Dexamethasone, 1 mg', charge: 4, rev: '0636' },
  { code: 'J2405', label: 'Ondansetron, 1 mg', charge: 3, rev: '0636' },
  { code: 'J0696', label: 'Ceftriaxone, 250 mg', charge: 25, rev: '0636' },
  { code: 'J1885', label: 'Ketorolac, 15 mg', charge: 20, rev: '0636' },
  { code: 'J7030', label: 'Normal saline, 1000 cc', charge: 60, rev: '0258' },
  { code: 'J3420', label: 'Vitamin B12 injection', charge: 30, rev: '0636' },
  // Durable medical equipment and supplies
  { code: 'E0601', label: 'CPAP device', charge: 1200, pa: true, dx: ['G47'] },
  {
    code: 'E1390',
    label: 'Oxygen concentrator (monthly rental)',
    charge: 450,
    pa: true,
    dx: ['J', 'I5', 'R09'],
  },
  { code: 'E0143', label: 'Folding walker with wheels', charge: 180 },
  { code: 'E0260', label: 'Semi-electric hospital bed', charge: 1500, pa: true },
  { code: 'K0001', label: 'Standard wheelchair', charge: 600, pa: true },
  { code: 'A4253', label: 'Blood glucose test strips, per 50', charge: 60, dx: ['E1', 'O24'] },
  { code: 'E0114', label: 'Underarm crutches, pair', charge: 90 },
  // Home health visits and transport
  { code: 'G0299', label: 'Home health skilled nursing visit (RN)', charge: 220, rev: '0551' },
  { code: 'G0151', label: 'Home health physical therapy visit', charge: 230, rev: '0421' },
  { code: 'G0156', label: 'Home health aide visit', charge: 110, rev: '0571' },
  { code: 'A0427', label: 'Ambulance, advanced life support, emergency', charge: 1800 },
  { code: 'A0429', label: 'Ambulance, basic life support, emergency', charge: 1100 },
];

const BY_CODE = new Map(PROCEDURES.map((p) => [p.code, p]));

export function procedure(code: string): Procedure {
  const p = BY_CODE.get(code);
  if (!p) throw new Error(`procedure ${code} not in catalog`);
  return p;
}

/** True when the principal diagnosis supports the procedure (no dx rule means any diagnosis). */
export function dxSupports(p: Procedure, dx: string): boolean {
  if (!p.dx) return true;
  for (const prefix of p.dx) if (dx.startsWith(prefix)) return true;
  return false;
}

/** Unspecified diagnoses that payers reject on procedures needing a specific reason. */
export const UNSPECIFIED_DX: readonly string[] = ['R69', 'R6889'];

/** General-exam diagnoses that do not establish medical necessity for diagnostic tests. */
export const GENERAL_EXAM_DX: readonly string[] = ['Z0000', 'Z0001'];
