// Configuration of provider segmentation: which NPI is "the provider", the RFM thresholds (each
// derived from a percentile of the data unless set) and the engagement cost model behind segment ROI.
import { z } from 'zod';

/** Segment names as shown in outputs, in precedence order (the first rule a provider meets wins). */
export const PROVIDER_SEGMENTS = [
  'Champions',
  'Dormant Giants',
  'Rising Stars',
  'New',
  'At Risk',
  'Standard',
  'Lapsed',
] as const;
export type ProviderSegment = (typeof PROVIDER_SEGMENTS)[number];

const share = (d: number, what: string) => z.number().min(0).max(1).default(d).describe(what);
const optionalThreshold = (what: string) => z.number().nonnegative().optional().describe(what);
const visits = (d: number, segment: string) =>
  z.number().nonnegative().default(d).describe(`Engagement visits per quarter to each ${segment} provider.`);

export const providersConfigSchema = z
  .object({
    providerRole: z
      .enum(['rendering', 'billing', 'prescribing'])
      .default('rendering')
      .describe(
        'Which NPI is the provider: rendering (the clinician on a medical claim line), billing (the group or facility that bills) or prescribing (the prescriber of pharmacy fills, as in the seed).',
      ),
    newProviderDays: z
      .number()
      .int()
      .positive()
      .default(90)
      .describe('A provider whose first service is at most this many days before the as-of date is New.'),
    thresholds: z
      .object({
        monetaryHigh: optionalThreshold(
          'Trailing-12-month paid amount at or above which a provider is high value (Champions, Dormant Giants); default: the monetaryHigh percentile.',
        ),
        frequencyHigh: optionalThreshold(
          'Trailing-12-month distinct claims at or above which a provider is high volume (Champions); default: the frequencyHigh percentile.',
        ),
        frequencyMid: optionalThreshold(
          'Trailing-12-month distinct claims at or above which a provider is medium volume (Rising Stars); default: the frequencyMid percentile.',
        ),
        recencyActiveDays: optionalThreshold(
          'Days since last service at or below which a provider is active (Champions); default: the recencyActive percentile.',
        ),
        recencyVeryActiveDays: optionalThreshold(
          'Days since last service at or below which a provider is very active (Rising Stars); default: the recencyVeryActive percentile.',
        ),
        recencyDormantDays: optionalThreshold(
          'Days since last service above which a provider is dormant (Dormant Giants, At Risk); default: the recencyDormant percentile.',
        ),
      })
      .strict()
      .prefault({})
      .describe('Fixed segment thresholds; any left out is derived from the data at the as-of date.'),
    percentiles: z
      .object({
        monetaryHigh: share(
          0.8,
          'Percentile of monetary giving the default monetaryHigh (0.8: top 20% by paid).',
        ),
        frequencyHigh: share(0.8, 'Percentile of frequency giving the default frequencyHigh.'),
        frequencyMid: share(0.5, 'Percentile of frequency giving the default frequencyMid.'),
        recencyActive: share(0.5, 'Percentile of recency giving the default recencyActiveDays.'),
        recencyVeryActive: share(0.25, 'Percentile of recency giving the default recencyVeryActiveDays.'),
        recencyDormant: share(0.75, 'Percentile of recency giving the default recencyDormantDays.'),
      })
      .strict()
      .prefault({})
      .describe(
        'Percentiles (continuous, over providers with a claim in the trailing 12 months) that derive thresholds not set explicitly.',
      ),
    engagement: z
      .object({
        costPerVisit: z
          .number()
          .nonnegative()
          .default(200)
          .describe('Cost of one engagement visit in dollars (seed 003 uses $200).'),
        visitsPerQuarter: z
          .object({
            champions: visits(6, 'Champions'),
            risingStars: visits(4, 'Rising Stars'),
            dormantGiants: visits(2, 'Dormant Giants'),
            newProviders: visits(2, 'New'),
            atRisk: visits(1, 'At Risk'),
            standard: visits(1, 'Standard'),
            lapsed: visits(0, 'Lapsed'),
          })
          .strict()
          .prefault({})
          .describe('Visits per quarter per segment (seed 003: Champions 6, Rising Stars 4, Standard 1).'),
      })
      .strict()
      .prefault({})
      .describe(
        'Engagement cost model: annual investment = providers x visits per quarter x 4 x cost per visit.',
      ),
    topPerformers: z
      .number()
      .int()
      .positive()
      .default(10)
      .describe('How many top providers the KPI view lists.'),
  })
  .strict()
  .prefault({})
  .describe('Provider segmentation and engagement ROI (claimlens kpi providers).');

export type ProvidersConfig = z.infer<typeof providersConfigSchema>;

/** Config key of each segment's visits per quarter. */
export const SEGMENT_VISIT_KEY: Record<
  ProviderSegment,
  keyof ProvidersConfig['engagement']['visitsPerQuarter']
> = {
  Champions: 'champions',
  'Dormant Giants': 'dormantGiants',
  'Rising Stars': 'risingStars',
  New: 'newProviders',
  'At Risk': 'atRisk',
  Standard: 'standard',
  Lapsed: 'lapsed',
};
