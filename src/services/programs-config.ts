// Configuration of the programs savings model: every assumption as a low / base / high scenario
// value, checked so that the low scenario is never better than base nor base better than high.
import { z } from 'zod';

export const SCENARIOS = ['low', 'base', 'high'] as const;
export type Scenario = (typeof SCENARIOS)[number];

/**
 * One assumption across the three scenarios. `benefit` assumptions raise savings (low <= base <= high);
 * `cost` assumptions lower them (low >= base >= high), so scenario results are ordered by construction.
 */
function scenarioValues(what: string, kind: 'benefit' | 'cost', d: [number, number, number], max?: number) {
  const num = () => (max === undefined ? z.number().nonnegative() : z.number().min(0).max(max));
  return z
    .object({
      low: num().default(d[0]).describe(`${what}: value in the low (conservative) scenario.`),
      base: num().default(d[1]).describe(`${what}: value in the base scenario.`),
      high: num().default(d[2]).describe(`${what}: value in the high (optimistic) scenario.`),
    })
    .strict()
    .refine(
      (v) => (kind === 'benefit' ? v.low <= v.base && v.base <= v.high : v.low >= v.base && v.base >= v.high),
      {
        message:
          kind === 'benefit'
            ? `${what}: need low <= base <= high (it raises savings)`
            : `${what}: need low >= base >= high (it lowers savings)`,
      },
    )
    .prefault({})
    .describe(what);
}

export type ScenarioValues = Record<Scenario, number>;

/** Default preventable denial CARCs when no CARC root-cause table (codes.carc) is loaded. */
export const FALLBACK_PREVENTABLE_CARCS = ['197', '15', '27', '26', '29', '16', '11', '18'] as const;

export const programsConfigSchema = z
  .object({
    baselineMonths: z
      .number()
      .int()
      .min(1)
      .max(36)
      .default(12)
      .describe(
        'Months of data, ending at the as-of date, that baselines are measured on; baselines are annualized.',
      ),
    paybackHorizonMonths: z
      .number()
      .int()
      .min(1)
      .max(600)
      .default(120)
      .describe('Months searched for payback; no payback within them is reported as none.'),
    careManagement: z
      .object({
        cohortTopPct: z
          .number()
          .gt(0)
          .max(100)
          .default(5)
          .describe(
            'High-cost cohort: the top this-many percent of members by paid amount in the baseline window.',
          ),
        // One value, not a range: more enrollment raises savings and cost together, so as a scenario
        // input it would break the low <= base <= high ordering of net savings.
        enrollmentRate: z
          .number()
          .gt(0)
          .max(1)
          .default(0.5)
          .describe('Share of the cohort enrolled (engaged) in care management, in every scenario.'),
        costReductionRate: scenarioValues(
          'Reduction of an enrolled member’s annual spend',
          'benefit',
          [0.03, 0.08, 0.15],
          1,
        ),
        costPerEnrolleePerMonth: scenarioValues(
          'Program cost per enrolled member per month ($)',
          'cost',
          [200, 150, 100],
        ),
        fixedCostPerYear: scenarioValues(
          'Fixed program cost per year ($, staff and tools)',
          'cost',
          [0, 0, 0],
        ),
        oneTimeCost: scenarioValues('One-time start-up cost ($, paid in month 1)', 'cost', [0, 0, 0]),
        rampMonths: scenarioValues('Months until savings reach their full monthly rate', 'cost', [9, 6, 3]),
      })
      .strict()
      .prefault({})
      .describe('Care management of the high-cost cohort.'),
    denialPrevention: z
      .object({
        preventableCarcs: z
          .array(z.string().regex(/^[A-Z]?[0-9]{1,3}$|^[A-Z][0-9A-Z]?$/))
          .min(1)
          .default([...FALLBACK_PREVENTABLE_CARCS])
          .describe(
            'CARCs counted as preventable denials when codes.carc (root causes) is not loaded: prior authorization (197, 15), eligibility (27, 26), timely filing (29), missing information (16), coding (11), duplicates (18).',
          ),
        preventableRootCauses: z
          .array(z.string().min(1))
          .min(1)
          .optional()
          .describe(
            'Root causes (codes.carc.root_cause) counted as preventable when codes.carc is loaded; default: the root causes codes.carc gives the preventableCarcs.',
          ),
        recoveryRate: scenarioValues(
          'Share of the preventable denied expected payment the program recovers (denials avoided or overturned)',
          'benefit',
          [0.2, 0.35, 0.5],
          1,
        ),
        costPerDeniedClaim: scenarioValues(
          'Annual program cost per preventable denied claim in the baseline ($, front-end edits and rework staff)',
          'cost',
          [30, 20, 10],
        ),
        fixedCostPerYear: scenarioValues('Fixed program cost per year ($)', 'cost', [0, 0, 0]),
        oneTimeCost: scenarioValues('One-time start-up cost ($, paid in month 1)', 'cost', [0, 0, 0]),
        rampMonths: scenarioValues('Months until savings reach their full monthly rate', 'cost', [6, 4, 2]),
      })
      .strict()
      .prefault({})
      .describe('Denial prevention: fewer preventable denials.'),
  })
  .strict()
  .prefault({})
  .describe('Programs savings model (claimlens kpi programs).');

export type ProgramsConfig = z.infer<typeof programsConfigSchema>;
