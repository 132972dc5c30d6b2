// provider: clinicians, facilities and pharmacies by NPI (NPPES-like attributes).
import type { TableSpec } from '../spec.ts';
import { NPI_PATTERN, ZIP_PATTERN } from '../spec.ts';

export const provider: TableSpec = {
  name: 'provider',
  description: 'Providers by NPI: clinicians (entity type 1) and organizations such as hospitals and pharmacies (entity type 2).',
  grain: ['npi'],
  requiredFile: false,
  columns: [
    { name: 'npi', type: 'string', required: true, pattern: NPI_PATTERN, patternText: '10 digits', description: 'National Provider Identifier (Luhn check digit checked as data quality).' },
    { name: 'entity_type', type: 'string', required: true, allowed: ['individual', 'organization'], description: 'NPPES entity type.' },
    { name: 'provider_name', type: 'string', required: true, description: 'Clinician or organization name.' },
    { name: 'provider_type', type: 'string', allowed: ['physician', 'nurse_practitioner', 'hospital', 'snf', 'clinic', 'ambulatory_surgery_center', 'laboratory', 'pharmacy', 'home_health', 'dme', 'other'], description: 'Kind of provider.' },
    { name: 'specialty', type: 'string', description: 'Primary specialty description.' },
    { name: 'taxonomy_code', type: 'string', pattern: '^[0-9A-Z]{9}X$', patternText: '10-character NUCC taxonomy code', description: 'Primary NUCC taxonomy code.' },
    { name: 'tin', type: 'string', description: 'Tax identification number of the billing organization.' },
    { name: 'practice_city', type: 'string', description: 'Practice location city.' },
    { name: 'practice_state', type: 'string', pattern: '^[A-Z]{2}$', patternText: 'two-letter USPS state code', description: 'Practice location state.' },
    { name: 'practice_zip_code', type: 'string', pattern: ZIP_PATTERN, patternText: '5 digits', description: 'Practice location ZIP code.' },
    { name: 'bed_count', type: 'integer', min: 0, description: 'Staffed beds (hospitals).' },
    { name: 'data_source', type: 'string', description: 'Name of the source.' },
  ],
};
