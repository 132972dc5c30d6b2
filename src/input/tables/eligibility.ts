// eligibility: one row per member enrollment span (Tuva input layer, extended with household inputs
// for financial-assistance screening).
import type { TableSpec } from '../spec.ts';
import { ZIP_PATTERN } from '../spec.ts';

export const eligibility: TableSpec = {
  name: 'eligibility',
  description: 'Member enrollment spans: one row per person, payer, plan and enrollment start date. Demographics repeat on each span.',
  grain: ['person_id', 'payer', 'plan', 'enrollment_start_date'],
  requiredFile: true,
  columns: [
    { name: 'person_id', type: 'string', required: true, phi: 'identifier', description: 'Unique person across all payers and sources; the join key of every member-level analysis.' },
    { name: 'member_id', type: 'string', required: true, phi: 'identifier', description: 'Payer-issued member identifier.' },
    { name: 'subscriber_id', type: 'string', phi: 'identifier', description: 'Identifier of the subscriber (policy holder) the member is covered under.' },
    { name: 'gender', type: 'string', required: true, allowed: ['male', 'female', 'unknown'], description: 'Administrative gender.' },
    { name: 'race', type: 'string', description: 'Race as reported by the source.' },
    { name: 'birth_date', type: 'date', required: true, phi: 'date', description: 'Date of birth.' },
    { name: 'death_date', type: 'date', phi: 'date', description: 'Date of death, when known.' },
    { name: 'death_flag', type: 'boolean', description: 'True when the member is known to have died.' },
    { name: 'enrollment_start_date', type: 'date', required: true, description: 'First day of the enrollment span.' },
    { name: 'enrollment_end_date', type: 'date', required: true, description: 'Last day of the enrollment span (inclusive).' },
    { name: 'payer', type: 'string', required: true, description: 'Payer name; joins to payer.payer.' },
    { name: 'payer_type', type: 'string', required: true, allowed: ['commercial', 'medicare', 'medicare_advantage', 'medicaid', 'self_pay', 'other'], description: 'Line of business of the payer.' },
    { name: 'plan', type: 'string', required: true, description: 'Plan or product within the payer.' },
    { name: 'original_reason_entitlement_code', type: 'string', description: 'Medicare original reason for entitlement (0 age, 1 disability, 2 ESRD, 3 disability and ESRD).' },
    { name: 'dual_status_code', type: 'string', description: 'Medicare-Medicaid dual eligibility status code.' },
    { name: 'medicare_status_code', type: 'string', description: 'Medicare status code (10 aged, 20 disabled, 31 ESRD, ...).' },
    { name: 'first_name', type: 'string', phi: 'direct', description: 'Member first name (direct identifier).' },
    { name: 'last_name', type: 'string', phi: 'direct', description: 'Member last name (direct identifier).' },
    { name: 'social_security_number', type: 'string', phi: 'identifier', pattern: '^[0-9]{3}-?[0-9]{2}-?[0-9]{4}$', patternText: '9 digits, optionally as 123-45-6789', description: 'Social Security number (identifier).' },
    { name: 'subscriber_relation', type: 'string', description: 'Relation to the subscriber (self, spouse, child, other).' },
    { name: 'address', type: 'string', phi: 'direct', description: 'Street address (direct identifier).' },
    { name: 'city', type: 'string', phi: 'geo', description: 'City of residence.' },
    { name: 'state', type: 'string', pattern: '^[A-Z]{2}$', patternText: 'two-letter USPS state code', description: 'State of residence (USPS code).' },
    { name: 'zip_code', type: 'string', phi: 'geo', pattern: ZIP_PATTERN, patternText: '5 digits', description: 'ZIP code of residence.' },
    { name: 'phone', type: 'string', phi: 'direct', description: 'Phone number (direct identifier).' },
    { name: 'email', type: 'string', phi: 'direct', extension: true, description: 'Email address (direct identifier).' },
    { name: 'household_size', type: 'integer', min: 1, max: 20, extension: true, description: 'Persons in the household, for financial-assistance screening against the HHS poverty guidelines; blank when unknown.' },
    { name: 'household_income', type: 'money', min: 0, extension: true, description: 'Annual household income in dollars, for financial-assistance screening; blank when unknown.' },
    { name: 'data_source', type: 'string', description: 'Name of the source system or extract.' },
  ],
  foreignKeys: [
    { columns: ['payer'], references: { table: 'payer', columns: ['payer'] }, label: 'enrolled with' },
    { columns: ['zip_code'], references: { table: 'area_deprivation', columns: ['zip_code'] }, label: 'lives in' },
  ],
};
