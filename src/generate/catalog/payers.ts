// The synthetic payers and their behaviour. Contract terms (allowed share of charges, timely-filing
// limit) go to payer.csv; the rest (days to pay, denial strictness, underpayment) only shows in claims.

export type PayerType = 'commercial' | 'medicare_advantage' | 'medicaid' | 'self_pay';

export interface Plan {
  name: string;
  /** Annual deductible in dollars. */
  deductible: number;
  /** Coinsurance share after the deductible. */
  coinsurance: number;
  /** Copays in dollars by service kind. */
  copayPcp: number;
  copaySpecialist: number;
  copayEd: number;
  copayUrgent: number;
  /** Inpatient copay per day (first 5 days), Medicare Advantage style. */
  copayInpatientDay: number;
  /** Relative share of the payer's members on this plan. */
  weight: number;
}

export interface Payer {
  index: number;
  name: string;
  payerId: string;
  type: PayerType;
  /** Percent-of-charges contract: expected allowed = charge x this share. */
  allowedPct: number;
  /** Days after the service within which a claim must be submitted (0 = none). */
  timelyFilingDays: number;
  /** Median days from submission to the first remittance and its log-scale spread. */
  daysToPayMedian: number;
  daysToPaySigma: number;
  /** Rate of unexplained (noise) claim denials. */
  noiseDenialRate: number;
  /** Probability a prior-authorization-required service without an authorization is denied. */
  authStrictness: number;
  /** Share of paid claims paid below contract (allowed cut by 3-20 %). */
  underpaymentShare: number;
  /** Share of payments sent by paper check (posted a few days after the remittance). */
  checkShare: number;
  /** Share of paid claims later reversed (coordination of benefits recoupment). */
  reversalShare: number;
  /** Share of 90-day fills among maintenance prescriptions. */
  ninetyDayShare: number;
  /** Pharmacy copays in dollars (generic 30-day, brand 30-day). */
  rxCopayGeneric: number;
  rxCopayBrand: number;
  plans: readonly Plan[];
}

const plan = (p: Partial<Plan> & { name: string; weight: number }): Plan => ({
  deductible: 0,
  coinsurance: 0,
  copayPcp: 0,
  copaySpecialist: 0,
  copayEd: 0,
  copayUrgent: 0,
  copayInpatientDay: 0,
  ...p,
});

/** Fixed order: index 0..4. Names are fictional. */
export const PAYERS: readonly Payer[] = [
  {
    index: 0,
    name: 'Blue Horizon Health',
    payerId: 'BHH01',
    type: 'commercial',
    allowedPct: 0.55,
    timelyFilingDays: 180,
    daysToPayMedian: 16,
    daysToPaySigma: 0.45,
    noiseDenialRate: 0.009,
    authStrictness: 0.9,
    underpaymentShare: 0.05,
    checkShare: 0.02,
    reversalShare: 0.004,
    ninetyDayShare: 0.45,
    rxCopayGeneric: 10,
    rxCopayBrand: 45,
    plans: [
      plan({
        name: 'PPO Gold',
        weight: 4,
        deductible: 750,
        coinsurance: 0.2,
        copayPcp: 25,
        copaySpecialist: 50,
        copayEd: 250,
        copayUrgent: 75,
      }),
      plan({
        name: 'HMO Silver',
        weight: 4,
        deductible: 1500,
        coinsurance: 0.2,
        copayPcp: 30,
        copaySpecialist: 60,
        copayEd: 300,
        copayUrgent: 75,
      }),
      plan({ name: 'HDHP Bronze', weight: 2, deductible: 3500, coinsurance: 0.3 }),
    ],
  },
  {
    index: 1,
    name: 'Keystone Shield Commercial',
    payerId: 'KSC02',
    type: 'commercial',
    allowedPct: 0.6,
    timelyFilingDays: 90,
    daysToPayMedian: 25,
    daysToPaySigma: 0.55,
    noiseDenialRate: 0.017,
    authStrictness: 0.96,
    underpaymentShare: 0.09,
    checkShare: 0.05,
    reversalShare: 0.006,
    ninetyDayShare: 0.4,
    rxCopayGeneric: 12,
    rxCopayBrand: 50,
    plans: [
      plan({
        name: 'PPO Choice',
        weight: 5,
        deductible: 1000,
        coinsurance: 0.2,
        copayPcp: 25,
        copaySpecialist: 55,
        copayEd: 275,
        copayUrgent: 60,
      }),
      plan({
        name: 'EPO Value',
        weight: 3,
        deductible: 2500,
        coinsurance: 0.25,
        copayPcp: 35,
        copaySpecialist: 70,
        copayEd: 350,
        copayUrgent: 90,
      }),
    ],
  },
  {
    index: 2,
    name: 'Liberty Medicare Advantage',
    payerId: 'LMA03',
    type: 'medicare_advantage',
    allowedPct: 0.36,
    timelyFilingDays: 365,
    daysToPayMedian: 13,
    daysToPaySigma: 0.35,
    noiseDenialRate: 0.006,
    authStrictness: 0.85,
    underpaymentShare: 0.03,
    checkShare: 0.01,
    reversalShare: 0.002,
    ninetyDayShare: 0.6,
    rxCopayGeneric: 2,
    rxCopayBrand: 47,
    plans: [
      plan({
        name: 'MA HMO',
        weight: 6,
        copaySpecialist: 35,
        copayEd: 90,
        copayUrgent: 40,
        copayInpatientDay: 300,
        coinsurance: 0.2,
      }),
      plan({
        name: 'MA PPO',
        weight: 4,
        deductible: 250,
        copayPcp: 10,
        copaySpecialist: 45,
        copayEd: 110,
        copayUrgent: 50,
        copayInpatientDay: 350,
        coinsurance: 0.2,
      }),
    ],
  },
  {
    index: 3,
    name: 'Lakes State Medicaid',
    payerId: 'LSM04',
    type: 'medicaid',
    allowedPct: 0.3,
    timelyFilingDays: 365,
    daysToPayMedian: 30,
    daysToPaySigma: 0.6,
    noiseDenialRate: 0.012,
    authStrictness: 0.93,
    underpaymentShare: 0.04,
    checkShare: 0.12,
    reversalShare: 0.003,
    ninetyDayShare: 0.15,
    rxCopayGeneric: 1,
    rxCopayBrand: 3,
    plans: [
      plan({ name: 'Medicaid Managed Care', weight: 7, copayPcp: 2, copaySpecialist: 3 }),
      plan({ name: 'CHIP', weight: 3 }),
    ],
  },
  {
    index: 4,
    name: 'Self Pay',
    payerId: 'SELF',
    type: 'self_pay',
    allowedPct: 0.4,
    timelyFilingDays: 0,
    daysToPayMedian: 0,
    daysToPaySigma: 0,
    noiseDenialRate: 0,
    authStrictness: 0,
    underpaymentShare: 0,
    checkShare: 0,
    reversalShare: 0,
    ninetyDayShare: 0,
    rxCopayGeneric: 0,
    rxCopayBrand: 0,
    plans: [plan({ name: 'Uninsured', weight: 1 })],
  },
];

export const COMMERCIAL_A = 0;
export const COMMERCIAL_B = 1;
export const MEDICARE_ADVANTAGE = 2;
export const MEDICAID = 3;
export const SELF_PAY = 4;
