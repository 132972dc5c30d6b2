// The Synthea CSV files the adapter reads, the columns each must have, and the record checks run on
// them once read: a value the mapping cannot use (an unparseable date or amount, a claim transaction
// of an unknown claim) is an error naming the file and the record, never a silently dropped row.
import { ident } from '../../engine/duckdb.ts';
import type { ConvertContext } from '../adapter.ts';
import { readSourceCsv, sourceError } from '../staging.ts';

export interface SyntheaFile {
  file: string;
  /** Scratch table in ctx.db. */
  table: string;
  /** Columns the mapping reads. */
  required: readonly string[];
  /** A folder without the file cannot be converted. */
  mandatory: boolean;
  /** Input tables the file feeds (for the report). */
  feeds: readonly string[];
}

export const SYNTHEA_FILES: readonly SyntheaFile[] = [
  {
    file: 'patients.csv',
    table: 'syn_patients',
    required: [
      'Id',
      'BIRTHDATE',
      'DEATHDATE',
      'SSN',
      'FIRST',
      'LAST',
      'RACE',
      'GENDER',
      'ADDRESS',
      'CITY',
      'STATE',
      'ZIP',
    ],
    mandatory: true,
    feeds: ['eligibility'],
  },
  {
    file: 'payers.csv',
    table: 'syn_payers',
    required: ['Id', 'NAME'],
    mandatory: true,
    feeds: ['payer', 'eligibility', 'medical_claim', 'payment'],
  },
  {
    file: 'payer_transitions.csv',
    table: 'syn_payer_transitions',
    required: ['PATIENT', 'MEMBERID', 'START_YEAR', 'END_YEAR', 'PAYER', 'OWNERSHIP'],
    mandatory: true,
    feeds: ['eligibility', 'medical_claim'],
  },
  {
    file: 'encounters.csv',
    table: 'syn_encounters',
    required: ['Id', 'START', 'STOP', 'PATIENT', 'ENCOUNTERCLASS'],
    mandatory: true,
    feeds: ['encounter', 'medical_claim'],
  },
  {
    file: 'claims.csv',
    table: 'syn_claims',
    required: [
      'Id',
      'PATIENTID',
      'PRIMARYPATIENTINSURANCEID',
      'SECONDARYPATIENTINSURANCEID',
      'APPOINTMENTID',
      'SERVICEDATE',
      'STATUS1',
      'STATUSP',
      'LASTBILLEDDATE1',
      'LASTBILLEDDATEP',
      'HEALTHCARECLAIMTYPEID1',
    ],
    mandatory: true,
    feeds: ['medical_claim', 'payment'],
  },
  {
    file: 'claims_transactions.csv',
    table: 'syn_tx',
    required: [
      'ID',
      'CLAIMID',
      'CHARGEID',
      'PATIENTID',
      'TYPE',
      'AMOUNT',
      'METHOD',
      'FROMDATE',
      'TODATE',
      'UNITS',
      'TRANSFERTYPE',
      'PAYMENTS',
      'ADJUSTMENTS',
    ],
    mandatory: true,
    feeds: ['medical_claim', 'payment'],
  },
  // Read for the report and checked, but mapped to no input table (docs/sources/synthea.md says why).
  { file: 'providers.csv', table: 'syn_providers', required: ['Id', 'NAME'], mandatory: false, feeds: [] },
  {
    file: 'organizations.csv',
    table: 'syn_organizations',
    required: ['Id', 'NAME'],
    mandatory: false,
    feeds: [],
  },
  {
    file: 'conditions.csv',
    table: 'syn_conditions',
    required: ['PATIENT', 'CODE'],
    mandatory: false,
    feeds: [],
  },
  {
    file: 'medications.csv',
    table: 'syn_medications',
    required: ['PATIENT', 'CODE', 'DISPENSES'],
    mandatory: false,
    feeds: [],
  },
  {
    file: 'procedures.csv',
    table: 'syn_procedures',
    required: ['PATIENT', 'CODE'],
    mandatory: false,
    feeds: [],
  },
];

/** The files that make a folder a Synthea export (the CSV layout with claim transactions, v3). */
export const SIGNATURE_FILES = ['claims.csv', 'claims_transactions.csv', 'patients.csv'] as const;

/** SQL date of a Synthea date or ISO-8601 timestamp (`2023-01-27` or `2023-01-27T16:17:47Z`); NULL when unreadable. */
export function dateSql(col: string): string {
  return `(CASE WHEN regexp_matches(${col}, '^[0-9]{4}-[0-9]{2}-[0-9]{2}') THEN TRY_CAST(left(${col}, 10) AS DATE) END)`;
}

/** SQL timestamp of a Synthea ISO-8601 timestamp (UTC, `Z`); NULL when unreadable. */
export function timestampSql(col: string): string {
  return `TRY_CAST(replace(replace(${col}, 'T', ' '), 'Z', '') AS TIMESTAMP)`;
}

/** SQL number of a Synthea amount; NULL when empty or unreadable. */
export function amountSql(col: string): string {
  return `TRY_CAST(${col} AS DECIMAL(18, 2))`;
}

/**
 * Throws an error naming `file` and the first record (in file order) for which `broken` holds;
 * `what` is the SQL text of the message. Line = record + 1 (the header), as Synthea writes one
 * record per line.
 */
export async function checkRecords(
  ctx: ConvertContext,
  file: string,
  table: string,
  broken: string,
  what: string,
): Promise<void> {
  const bad = await ctx.db.one<{ rec: number; what: string; n: number }>(
    `SELECT _record AS rec, ${what} AS what, count(*) OVER () AS n ` +
      `FROM (SELECT *, coalesce(${broken}, false) AS _broken FROM ${ident(table)}) WHERE _broken ORDER BY _record LIMIT 1`,
  );
  if (!bad) return;
  const more = bad.n > 1 ? ` (and ${bad.n - 1} more record${bad.n > 2 ? 's' : ''})` : '';
  throw sourceError(file, `record ${bad.rec}: ${bad.what}${more}`, bad.rec + 1);
}

/** The value of a column as the message shows it. */
export function shown(col: string): string {
  return `coalesce('"' || ${col} || '"', 'an empty value')`;
}

/** Reads every Synthea file present in the folder; returns records per file (absent optional files omitted). */
export async function readSyntheaFiles(
  ctx: ConvertContext,
  entries: ReadonlySet<string>,
): Promise<Map<string, number>> {
  const records = new Map<string, number>();
  for (const f of SYNTHEA_FILES) {
    if (!f.mandatory && !entries.has(f.file)) continue;
    if (f.mandatory && !entries.has(f.file)) {
      throw sourceError(
        f.file,
        `the Synthea export has no ${f.file}: the adapter needs ${SYNTHEA_FILES.filter((x) => x.mandatory)
          .map((x) => x.file)
          .join(', ')}`,
      );
    }
    ctx.progress(`reading ${f.file}`);
    const n = await readSourceCsv(ctx, { file: f.file, table: f.table, required: f.required });
    if (n === 0 && f.mandatory) {
      throw sourceError(f.file, 'the file has a header but no records: is the export complete?', 2);
    }
    records.set(f.file, n);
  }
  return records;
}

/** Record-level checks of the mandatory files, before any mapping. */
export async function checkSyntheaRecords(ctx: ConvertContext): Promise<void> {
  await checkRecords(ctx, 'patients.csv', 'syn_patients', 'Id IS NULL', `'the patient has no Id'`);
  await checkRecords(
    ctx,
    'patients.csv',
    'syn_patients',
    `${dateSql('BIRTHDATE')} IS NULL`,
    `'BIRTHDATE ' || ${shown('BIRTHDATE')} || ' is not a date (YYYY-MM-DD)'`,
  );
  await checkRecords(
    ctx,
    'patients.csv',
    'syn_patients',
    `DEATHDATE IS NOT NULL AND ${dateSql('DEATHDATE')} IS NULL`,
    `'DEATHDATE ' || ${shown('DEATHDATE')} || ' is not a date (YYYY-MM-DD)'`,
  );
  await checkRecords(
    ctx,
    'payers.csv',
    'syn_payers',
    'Id IS NULL OR NAME IS NULL',
    `'a payer needs an Id and a NAME'`,
  );
  await checkRecords(
    ctx,
    'payer_transitions.csv',
    'syn_payer_transitions',
    `${timestampSql('START_YEAR')} IS NULL OR ${timestampSql('END_YEAR')} IS NULL`,
    `'START_YEAR ' || ${shown('START_YEAR')} || ' or END_YEAR ' || ${shown('END_YEAR')} || ' is not a timestamp (2023-01-27T16:17:47Z)'`,
  );
  await checkRecords(
    ctx,
    'payer_transitions.csv',
    'syn_payer_transitions',
    'PATIENT NOT IN (SELECT Id FROM syn_patients WHERE Id IS NOT NULL) OR PATIENT IS NULL',
    `'PATIENT ' || ${shown('PATIENT')} || ' is not in patients.csv'`,
  );
  await checkRecords(
    ctx,
    'payer_transitions.csv',
    'syn_payer_transitions',
    'PAYER NOT IN (SELECT Id FROM syn_payers) OR PAYER IS NULL',
    `'PAYER ' || ${shown('PAYER')} || ' is not in payers.csv'`,
  );
  await checkRecords(
    ctx,
    'encounters.csv',
    'syn_encounters',
    `Id IS NULL OR PATIENT IS NULL OR ${timestampSql('START')} IS NULL OR (STOP IS NOT NULL AND ${timestampSql('STOP')} IS NULL)`,
    `'the encounter needs an Id, a PATIENT and START/STOP timestamps; START is ' || ${shown('START')} || ', STOP ' || ${shown('STOP')}`,
  );
  await checkRecords(
    ctx,
    'claims.csv',
    'syn_claims',
    'Id IS NULL OR count(*) OVER (PARTITION BY Id) > 1',
    `'claim Id ' || ${shown('Id')} || ' is missing or repeated'`,
  );
  await checkRecords(
    ctx,
    'claims.csv',
    'syn_claims',
    `${dateSql('SERVICEDATE')} IS NULL`,
    `'SERVICEDATE ' || ${shown('SERVICEDATE')} || ' is not a timestamp'`,
  );
  await checkRecords(
    ctx,
    'claims.csv',
    'syn_claims',
    `HEALTHCARECLAIMTYPEID1 IS NULL OR HEALTHCARECLAIMTYPEID1 NOT IN ('1', '2')`,
    `'HEALTHCARECLAIMTYPEID1 ' || ${shown('HEALTHCARECLAIMTYPEID1')} || ' is neither 1 (professional) nor 2 (institutional)'`,
  );
  await checkRecords(
    ctx,
    'claims.csv',
    'syn_claims',
    'PATIENTID IS NULL OR PATIENTID NOT IN (SELECT Id FROM syn_patients WHERE Id IS NOT NULL)',
    `'PATIENTID ' || ${shown('PATIENTID')} || ' is not in patients.csv'`,
  );
  await checkRecords(
    ctx,
    'claims.csv',
    'syn_claims',
    `coalesce(PRIMARYPATIENTINSURANCEID, '0') <> '0' AND PRIMARYPATIENTINSURANCEID NOT IN (SELECT Id FROM syn_payers)`,
    `'PRIMARYPATIENTINSURANCEID ' || ${shown('PRIMARYPATIENTINSURANCEID')} || ' is not a payer of payers.csv'`,
  );
  await checkRecords(
    ctx,
    'claims.csv',
    'syn_claims',
    `coalesce(SECONDARYPATIENTINSURANCEID, '0') <> '0' AND SECONDARYPATIENTINSURANCEID NOT IN (SELECT Id FROM syn_payers)`,
    `'SECONDARYPATIENTINSURANCEID ' || ${shown('SECONDARYPATIENTINSURANCEID')} || ' is not a payer of payers.csv'`,
  );
  const tx = 'claims_transactions.csv';
  await checkRecords(
    ctx,
    tx,
    'syn_tx',
    `ID IS NULL OR TYPE IS NULL OR TYPE NOT IN ('CHARGE', 'PAYMENT', 'ADJUSTMENT', 'TRANSFERIN', 'TRANSFEROUT')`,
    `'TYPE ' || ${shown('TYPE')} || ' is not one of CHARGE, PAYMENT, ADJUSTMENT, TRANSFERIN, TRANSFEROUT (or ID is empty)'`,
  );
  await checkRecords(
    ctx,
    tx,
    'syn_tx',
    `TRY_CAST(CHARGEID AS BIGINT) IS NULL OR count(*) OVER (PARTITION BY CHARGEID) > 1`,
    `'CHARGEID ' || ${shown('CHARGEID')} || ' is not a whole number unique in the file'`,
  );
  await checkRecords(
    ctx,
    tx,
    'syn_tx',
    'CLAIMID IS NULL OR CLAIMID NOT IN (SELECT Id FROM syn_claims WHERE Id IS NOT NULL)',
    `'CLAIMID ' || ${shown('CLAIMID')} || ' is not in claims.csv'`,
  );
  for (const col of ['AMOUNT', 'PAYMENTS', 'ADJUSTMENTS', 'UNITS']) {
    await checkRecords(
      ctx,
      tx,
      'syn_tx',
      `${col} IS NOT NULL AND ${amountSql(col)} IS NULL`,
      `'${col} ' || ${shown(col)} || ' is not a number'`,
    );
  }
  await checkRecords(
    ctx,
    tx,
    'syn_tx',
    `(TYPE = 'CHARGE' AND AMOUNT IS NULL) OR (TYPE = 'PAYMENT' AND PAYMENTS IS NULL) OR (TYPE = 'ADJUSTMENT' AND ADJUSTMENTS IS NULL)`,
    `'a ' || TYPE || ' transaction without its amount (' || CASE TYPE WHEN 'CHARGE' THEN 'AMOUNT' WHEN 'PAYMENT' THEN 'PAYMENTS' ELSE 'ADJUSTMENTS' END || ')'`,
  );
  await checkRecords(
    ctx,
    tx,
    'syn_tx',
    `${dateSql('FROMDATE')} IS NULL`,
    `'FROMDATE ' || ${shown('FROMDATE')} || ' is not a timestamp'`,
  );
  // Lines are the CHARGE rows; a claim's transactions, in CHARGEID order, start with one.
  await checkRecords(
    ctx,
    tx,
    'syn_tx',
    `TYPE <> 'CHARGE' AND CHARGEID::BIGINT = min(CHARGEID::BIGINT) OVER (PARTITION BY CLAIMID)`,
    `'the first transaction of claim ' || CLAIMID || ' (by CHARGEID) is a ' || TYPE || ', not the CHARGE it would apply to'`,
  );
}
