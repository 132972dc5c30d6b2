// Configuration of the revenue-cycle and patient views: the bad-debt age, the days-in-A/R window,
// the underpayment tolerance, the cost per claim used when the ledger has no revenue-cycle cost, and
// the financial-assistance policy tiers. Defaults and their sources are in docs/marts/rcm.md and patients.md.
import { z } from 'zod';

export const rcmConfigSchema = z
  .object({
    badDebtDays: z
      .number()
      .int()
      .positive()
      .default(120)
      .describe(
        'A patient balance still open more than this many days after the patient was billed counts as bad debt (the common 120-day collection cycle before write-off or placement with an agency).',
      ),
    daysInArWindowDays: z
      .number()
      .int()
      .positive()
      .default(90)
      .describe(
        'Days of net revenue averaged for days in A/R: A/R / (net revenue billed in the trailing window / window days), as in HFMA Net Days in A/R (a three-month average).',
      ),
    underpaymentTolerance: z
      .number()
      .nonnegative()
      .default(1)
      .describe(
        'Dollars a claim may be paid below its expected payment and still count as paid as expected (rounding of percent-of-charge contracts).',
      ),
    costPerClaim: z
      .number()
      .nonnegative()
      .nullable()
      .default(null)
      .describe(
        'Revenue-cycle cost per claim billed, in dollars, for cost to collect when finance_ledger has no revenue_cycle_cost in the period; null (default) leaves cost to collect uncomputed rather than invented.',
      ),
    financialAssistance: z
      .object({
        freeCareMaxFplPct: z
          .number()
          .nonnegative()
          .default(200)
          .describe(
            'Household income at or below this percent of the HHS poverty guideline qualifies for free care.',
          ),
        discountMaxFplPct: z
          .number()
          .nonnegative()
          .default(400)
          .describe(
            'Household income above the free-care limit and at or below this percent qualifies for a sliding-scale discount; above it, no assistance.',
          ),
      })
      .strict()
      .refine((f) => f.freeCareMaxFplPct <= f.discountMaxFplPct, {
        message: 'financialAssistance: freeCareMaxFplPct must not exceed discountMaxFplPct',
      })
      .prefault({})
      .describe(
        'Financial-assistance policy tiers by percent of the federal poverty guideline (a value equal to a limit falls in the more generous tier).',
      ),
  })
  .strict()
  .prefault({})
  .describe('Revenue cycle and patient financial views (claimlens kpi rcm, claimlens kpi patients).');

export type RcmConfig = z.infer<typeof rcmConfigSchema>;
export type FinancialAssistancePolicy = RcmConfig['financialAssistance'];
