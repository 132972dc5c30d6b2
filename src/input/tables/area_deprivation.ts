// area_deprivation: a neighbourhood deprivation index by ZIP code (for example the Neighborhood
// Atlas ADI aggregated to ZIP), a readmission and payment risk factor.
import type { TableSpec } from '../spec.ts';
import { ZIP_PATTERN } from '../spec.ts';

export const area_deprivation: TableSpec = {
  name: 'area_deprivation',
  description: 'Area deprivation by ZIP code: a national percentile from 1 (least deprived) to 100 (most deprived), such as the Neighborhood Atlas ADI rolled up to ZIP.',
  grain: ['zip_code'],
  requiredFile: false,
  columns: [
    { name: 'zip_code', type: 'string', required: true, pattern: ZIP_PATTERN, patternText: '5 digits', description: 'ZIP code.' },
    { name: 'state', type: 'string', pattern: '^[A-Z]{2}$', patternText: 'two-letter USPS state code', description: 'State of the ZIP code.' },
    { name: 'adi_national_percentile', type: 'integer', required: true, min: 1, max: 100, description: 'National deprivation percentile, 1 least to 100 most deprived.' },
    { name: 'data_source', type: 'string', description: 'Where the index came from.' },
  ],
};
