// encounter: visits as recorded in the EHR, the clinical side that claims are matched against.
import type { TableSpec } from '../spec.ts';
import { NPI_PATTERN } from '../spec.ts';

export const encounter: TableSpec = {
  name: 'encounter',
  description: 'EHR encounters (visits and stays) as recorded clinically; matched to claims on person and service date.',
  grain: ['encounter_id'],
  requiredFile: false,
  columns: [
    { name: 'encounter_id', type: 'string', required: true, description: 'EHR encounter identifier.' },
    { name: 'person_id', type: 'string', required: true, phi: 'identifier', description: 'Person seen.' },
    { name: 'encounter_type', type: 'string', required: true, allowed: ['inpatient', 'emergency', 'outpatient', 'office', 'telehealth', 'home_health', 'snf', 'other'], description: 'Setting of the encounter.' },
    { name: 'encounter_start_date', type: 'date', required: true, phi: 'date', description: 'Date the encounter began.' },
    { name: 'encounter_end_date', type: 'date', phi: 'date', description: 'Date the encounter ended (stays).' },
    { name: 'facility_npi', type: 'string', pattern: NPI_PATTERN, patternText: '10 digits', description: 'Facility NPI.' },
    { name: 'attending_npi', type: 'string', pattern: NPI_PATTERN, patternText: '10 digits', description: 'Attending or rendering clinician NPI.' },
    { name: 'primary_diagnosis_code', type: 'string', codeset: 'icd10cm', description: 'Primary diagnosis recorded in the EHR.' },
    { name: 'discharge_disposition_code', type: 'string', pattern: '^[0-9]{2}$', patternText: '2 digits', description: 'Discharge status for stays.' },
    { name: 'data_source', type: 'string', description: 'Name of the EHR or extract.' },
  ],
  foreignKeys: [{ columns: ['person_id'], references: { table: 'eligibility', columns: ['person_id'] }, label: 'for member' }],
};
