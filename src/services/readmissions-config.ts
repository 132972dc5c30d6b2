// Configuration of the readmissions domain: the point table and tiers of the transparent risk score,
// the hospital benchmarking model, and the intervention ROI simulation with its cited effect ranges.
import { z } from 'zod';

/** A point band: values at or above `from` (and below the next band's `from`) score `points`. */
const band = z
  .object({
    from: z.number().describe('Lowest value of the band (inclusive).'),
    points: z.number().int().min(0).max(100).describe('Points scored by values in the band.'),
  })
  .strict();

/** Bands in ascending `from` order; values below the first band, and unknown values, score 0. */
function bands(what: string, d: [number, number][]) {
  return z
    .array(band)
    .min(1)
    .default(d.map(([from, points]) => ({ from, points })))
    .refine((b) => b.every((x, i) => i === 0 || x.from > b[i - 1]!.from), {
      message: `${what}: bands must be in strictly ascending 'from' order`,
    })
    .describe(`${what}: point bands (values at or above 'from' score 'points'; unknown values score 0).`);
}

/** The components of the score, in the order used to break ties between drivers. */
export const RISK_COMPONENTS = [
  'age',
  'area_deprivation',
  'chronic_conditions',
  'admissions_12m',
  'ed_visits_12m',
] as const;
export type RiskComponent = (typeof RISK_COMPONENTS)[number];

export const RISK_TIERS = ['low', 'medium', 'high'] as const;
export type RiskTier = (typeof RISK_TIERS)[number];

const riskScoreSchema = z
  .object({
    age: bands('Age in years', [
      [0, 0],
      [50, 5],
      [65, 10],
      [75, 15],
      [85, 20],
    ]),
    area_deprivation: bands('Area deprivation national percentile (1-100)', [
      [1, 0],
      [26, 5],
      [51, 10],
      [76, 15],
    ]),
    chronic_conditions: bands('Distinct chronic condition categories in the prior 12 months', [
      [0, 0],
      [1, 5],
      [2, 10],
      [3, 20],
      [5, 30],
    ]),
    admissions_12m: bands('Acute inpatient admissions in the prior 12 months', [
      [0, 0],
      [1, 10],
      [2, 15],
      [3, 20],
    ]),
    ed_visits_12m: bands('Emergency department visit days in the prior 12 months', [
      [0, 0],
      [1, 5],
      [3, 15],
    ]),
    tiers: z
      .object({
        mediumFrom: z.number().min(0).max(100).default(30).describe('Lowest score of the medium tier.'),
        highFrom: z.number().min(0).max(100).default(60).describe('Lowest score of the high tier.'),
      })
      .strict()
      .refine((t) => t.mediumFrom < t.highFrom, { message: 'tiers: need mediumFrom < highFrom' })
      .prefault({})
      .describe('Score cutoffs: low below mediumFrom, medium below highFrom, high from highFrom.'),
  })
  .strict()
  .refine((s) => RISK_COMPONENTS.reduce((a, c) => a + Math.max(...s[c].map((b) => b.points)), 0) <= 100, {
    message:
      'riskScore: the largest points of the components must add up to at most 100 (the score is 0-100)',
  })
  .prefault({})
  .describe(
    'Transparent 0-100 readmission risk score: the sum of the points of each component (docs/marts/readmissions.md).',
  );

const effectRange = (d: [number, number, number]) =>
  z
    .object({
      low: z.number().min(0).max(1).default(d[0]).describe('Smallest plausible relative reduction.'),
      base: z.number().min(0).max(1).default(d[1]).describe('Most likely relative reduction (the mode).'),
      high: z.number().min(0).max(1).default(d[2]).describe('Largest plausible relative reduction.'),
    })
    .strict()
    .refine((e) => e.low <= e.base && e.base <= e.high, { message: 'effect: need low <= base <= high' })
    .prefault({})
    .describe(
      'Relative reduction of 30-day readmissions among enrollees; simulated as a triangular distribution.',
    );

function intervention(label: string, cost: number, effect: [number, number, number], source: string) {
  return z
    .object({
      label: z.string().default(label).describe('Name shown in outputs.'),
      costPerEnrollee: z
        .number()
        .nonnegative()
        .default(cost)
        .describe(
          'Program cost per enrolled discharge ($); a claimlens planning assumption, replace with yours.',
        ),
      effect: effectRange(effect),
      source: z.string().default(source).describe('Where the effect range comes from.'),
    })
    .strict()
    .prefault({})
    .describe(label);
}

export const INTERVENTIONS = ['followUpCalls', 'medicationReconciliation', 'transitionalCare'] as const;
export type InterventionKey = (typeof INTERVENTIONS)[number];

export const readmissionsConfigSchema = z
  .object({
    riskScore: riskScoreSchema,
    benchmark: z
      .object({
        l2: z
          .number()
          .nonnegative()
          .default(1)
          .describe('L2 penalty of the expected-readmission logistic model (intercept not penalized).'),
        funnelPoints: z
          .number()
          .int()
          .min(2)
          .max(500)
          .default(50)
          .describe('Points of each funnel-plot control limit curve.'),
      })
      .strict()
      .prefault({})
      .describe('Hospital benchmarking by indirect standardization.'),
    roi: z
      .object({
        seed: z
          .number()
          .int()
          .default(20240601)
          .describe('Seed of the Monte Carlo simulation (same seed, same result).'),
        draws: z.number().int().min(100).max(1_000_000).default(10_000).describe('Monte Carlo draws.'),
        targetTier: z
          .enum(RISK_TIERS)
          .default('high')
          .describe('Risk tier of the index discharges enrolled.'),
        enrollmentRate: z
          .number()
          .gt(0)
          .max(1)
          .default(0.6)
          .describe('Share of the targeted discharges enrolled (reached and consenting).'),
        interventions: z
          .object({
            followUpCalls: intervention(
              'Post-discharge follow-up calls',
              40,
              [0, 0.05, 0.1],
              'Hansen LO et al., Ann Intern Med 2011;155(8):520-528 (systematic review: no single intervention, post-discharge calls included, regularly reduced 30-day rehospitalization); Mistiaen P, Poot E, Cochrane Database Syst Rev 2006;(4):CD004510 (telephone follow-up: no firm conclusions). Hence a range from no effect to 10%.',
            ),
            medicationReconciliation: intervention(
              'Pharmacist-led medication reconciliation',
              150,
              [0.05, 0.19, 0.3],
              'Mekonnen AB et al., BMJ Open 2016;6:e010003 (meta-analysis of pharmacist-led medication reconciliation: readmissions RR 0.81, 95% CI 0.70-0.95); Jack BW et al., Ann Intern Med 2009;150(3):178-187 (Project RED, discharge bundle with medication reconciliation and a pharmacist call: hospital utilization IRR 0.695).',
            ),
            transitionalCare: intervention(
              'Transitional care / care coordination',
              1000,
              [0.1, 0.3, 0.45],
              'Coleman EA et al., Arch Intern Med 2006;166(17):1822-1828 (Care Transitions Intervention: 30-day rehospitalization 8.3% vs 11.9%, about 30% lower); Naylor MD et al., JAMA 1999;281(7):613-620 (advanced practice nurse transitional care: readmission within 24 weeks 20.3% vs 37.1%, about 45% lower) and J Am Geriatr Soc 2004;52(5):675-684 (heart failure); Hansen LO et al. 2011 for trials without effect (hence the low end).',
            ),
          })
          .strict()
          .prefault({})
          .describe('The interventions compared.'),
      })
      .strict()
      .prefault({})
      .describe('Intervention ROI simulation (docs/marts/readmissions.md).'),
  })
  .strict()
  .prefault({})
  .describe(
    'Readmissions: risk score, hospital benchmarking and intervention ROI (claimlens kpi readmissions).',
  );

export type ReadmissionsConfig = z.infer<typeof readmissionsConfigSchema>;
export type RiskScoreConfig = ReadmissionsConfig['riskScore'];
export type RoiConfig = ReadmissionsConfig['roi'];
