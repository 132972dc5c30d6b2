// Configuration of the payer scorecard: the thresholds that turn a payer's period metrics into a
// risk label (ok / monitor / investigate). Defaults are stated with their source in docs/marts/payers.md.
import { z } from 'zod';

function thresholdPair(what: string, unit: string, monitor: number, investigate: number) {
  return z
    .object({
      monitor: z
        .number()
        .nonnegative()
        .default(monitor)
        .describe(`${what} (${unit}) at or above which a payer is labelled monitor.`),
      investigate: z
        .number()
        .nonnegative()
        .default(investigate)
        .describe(`${what} (${unit}) at or above which a payer is labelled investigate.`),
    })
    .strict()
    .refine((t) => t.monitor <= t.investigate, {
      message: `${what}: the monitor threshold must not exceed the investigate threshold`,
    })
    .prefault({})
    .describe(`${what} thresholds; a value equal to a threshold triggers its label.`);
}

export const payersConfigSchema = z
  .object({
    risk: z
      .object({
        variancePct: thresholdPair(
          'Absolute net variance as a percent of expected payment',
          'percent points',
          5,
          10,
        ),
        denialRatePct: thresholdPair(
          'Denied lines as a percent of adjudicated lines',
          'percent points',
          8,
          12,
        ),
        avgDaysToPay: thresholdPair('Average days from submission to payment', 'days', 30, 45),
        minAdjudicatedLines: z
          .number()
          .int()
          .nonnegative()
          .default(0)
          .describe(
            'Payers with fewer adjudicated lines in the period are labelled ok whatever their rates, so one denied line does not flag a payer; 0 disables the floor.',
          ),
      })
      .strict()
      .prefault({})
      .describe('Risk-label thresholds: the worst label any metric reaches wins.'),
  })
  .strict()
  .prefault({})
  .describe('Payer scorecard (claimlens kpi payers).');

export type PayersConfig = z.infer<typeof payersConfigSchema>;
export type PayerRiskThresholds = PayersConfig['risk'];
