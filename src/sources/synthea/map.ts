// Synthea CSV to the input layer, in set-based SQL over the scratch tables of files.ts. Each step
// builds one scratch table (payers, coverage spans, claim headers, transaction lines) and the writes
// at the end select input-layer columns from them. docs/sources/synthea.md is the mapping table.
import type { ConvertContext } from '../adapter.ts';
import { writeTable } from '../staging.ts';
import {
  billTypeSql,
  encounterTypeSql,
  genderSql,
  NO_INSURANCE,
  payerTypeSql,
  paymentMethodSql,
  placeOfServiceSql,
  stateCodeSql,
  subscriberRelationSql,
} from './codes.ts';
import { amountSql, dateSql, timestampSql } from './files.ts';

export const DATA_SOURCE = 'synthea';

/** Rows written per input table, and what was mapped with loss. */
export interface MapResult {
  tables: Record<string, number>;
  warnings: string[];
  totals: SyntheaTotals;
}

/** Money in claims_transactions.csv, for the report and for checking the marts against the source. */
export interface SyntheaTotals {
  charges: number;
  payerPayments: number;
  patientPayments: number;
  adjustments: number;
  transfersToPatient: number;
}

/** Records of `table` (file order) where `where` holds, as "records 3, 8, 12 (and 4 more)". */
async function recordList(ctx: ConvertContext, from: string, where: string, limit = 5): Promise<string> {
  const rows = await ctx.db.all<{ r: number; n: number }>(
    `SELECT _record AS r, count(*) OVER () AS n FROM ${from} WHERE ${where} ORDER BY _record LIMIT ${limit}`,
  );
  if (rows.length === 0) return '';
  const n = rows[0]!.n;
  return `record${n > 1 ? 's' : ''} ${rows.map((r) => r.r).join(', ')}${n > limit ? ` (and ${n - limit} more)` : ''}`;
}

async function count(ctx: ConvertContext, sql: string): Promise<number> {
  return (await ctx.db.one<{ n: number }>(`SELECT count(*) AS n FROM ${sql}`))?.n ?? 0;
}

/** Scratch tables shared by the writes. */
async function prepare(ctx: ConvertContext): Promise<void> {
  const db = ctx.db;
  // Payers by Synthea id, with the name the input layer uses as the payer key.
  await db.run(
    `CREATE OR REPLACE TABLE syn_payer AS
     SELECT Id AS payer_uid, trim(NAME) AS payer, ${payerTypeSql('NAME')} AS payer_type FROM syn_payers`,
  );
  // The uninsured: Synthea's NO_INSURANCE payer (insurance id 0 on claims).
  await db.run(
    `CREATE OR REPLACE TABLE syn_no_insurance AS
     SELECT coalesce((SELECT min(payer) FROM syn_payer WHERE upper(payer) = '${NO_INSURANCE}'), '${NO_INSURANCE}') AS payer`,
  );
  // Coverage spans: one per payer transition, the end made inclusive (the next span starts on the
  // END_YEAR timestamp) and cut at the date of death.
  await db.run(
    `CREATE OR REPLACE TABLE syn_span AS
     SELECT t._record, t.PATIENT AS person_id, coalesce(t.MEMBERID, t.PATIENT) AS member_id,
            p.payer, p.payer_type, t.OWNERSHIP AS ownership,
            ${timestampSql('t.START_YEAR')} AS start_ts, ${timestampSql('t.END_YEAR')} AS end_ts,
            ${timestampSql('t.START_YEAR')}::DATE AS start_date,
            least(${timestampSql('t.END_YEAR')}::DATE - 1, coalesce(${dateSql('pt.DEATHDATE')}, DATE '9999-12-31')) AS end_date
     FROM syn_payer_transitions t
     JOIN syn_payer p ON p.payer_uid = t.PAYER
     JOIN syn_patients pt ON pt.Id = t.PATIENT`,
  );
  // Claim headers with their encounter and payers.
  await db.run(
    `CREATE OR REPLACE TABLE syn_claim AS
     SELECT c._record, c.Id AS claim_id, c.PATIENTID AS person_id,
            CASE c.HEALTHCARECLAIMTYPEID1 WHEN '1' THEN 'professional' ELSE 'institutional' END AS claim_type,
            coalesce(pp.payer, (SELECT payer FROM syn_no_insurance)) AS payer,
            pp.payer_type AS primary_type, sp.payer AS secondary_payer,
            ${timestampSql('c.SERVICEDATE')} AS service_ts,
            ${dateSql('c.SERVICEDATE')} AS start_date,
            greatest(${dateSql('c.SERVICEDATE')}, coalesce(${dateSql('e.STOP')}, ${dateSql('c.SERVICEDATE')})) AS end_date,
            e.Id AS encounter_id, lower(e.ENCOUNTERCLASS) AS encounter_class,
            ${dateSql('e.START')} AS encounter_start, ${dateSql('e.STOP')} AS encounter_end,
            upper(coalesce(c.STATUS1, c.STATUSP)) AS status,
            ${dateSql('coalesce(c.LASTBILLEDDATE1, c.LASTBILLEDDATEP)')} AS submission_date
     FROM syn_claims c
     LEFT JOIN syn_encounters e ON e.Id = c.APPOINTMENTID
     LEFT JOIN syn_payer pp ON pp.payer_uid = nullif(c.PRIMARYPATIENTINSURANCEID, '0')
     LEFT JOIN syn_payer sp ON sp.payer_uid = nullif(c.SECONDARYPATIENTINSURANCEID, '0')`,
  );
  // The member id of each claim: the payer transition of its person and payer in force at the service.
  await db.run(
    `CREATE OR REPLACE TABLE syn_claim_member AS
     SELECT c.claim_id, arg_max(s.member_id, s.start_ts) AS member_id
     FROM syn_claim c
     JOIN syn_span s ON s.person_id = c.person_id AND s.payer = c.payer
      AND c.service_ts >= s.start_ts AND c.service_ts < s.end_ts
     GROUP BY c.claim_id`,
  );
  // Transactions numbered into lines: a claim's transactions in CHARGEID order, a new line at each
  // CHARGE. The party responsible for a line's balance starts with the CHARGE's TRANSFERTYPE (1
  // primary payer, p patient) and changes with each TRANSFERIN (2 secondary payer, p patient).
  await db.run(
    `CREATE OR REPLACE TABLE syn_txl AS
     SELECT *, sum(CASE WHEN TYPE = 'CHARGE' THEN 1 ELSE 0 END)
              OVER (PARTITION BY CLAIMID ORDER BY seq ROWS UNBOUNDED PRECEDING) AS line_no
     FROM (SELECT *, CHARGEID::BIGINT AS seq FROM syn_tx)`,
  );
  await db.run(
    `CREATE OR REPLACE TABLE syn_txr AS
     SELECT t.*, c.payer AS primary_payer, c.primary_type, c.secondary_payer,
            coalesce(last_value(CASE WHEN t.TYPE IN ('CHARGE', 'TRANSFERIN') THEN lower(t.TRANSFERTYPE) END IGNORE NULLS)
                       OVER (PARTITION BY t.CLAIMID, t.line_no ORDER BY t.seq ROWS UNBOUNDED PRECEDING),
                     CASE WHEN c.primary_type IS NULL OR c.primary_type = 'self_pay' THEN 'p' ELSE '1' END) AS responsible
     FROM syn_txl t JOIN syn_claim c ON c.claim_id = t.CLAIMID`,
  );
  // Who paid each PAYMENT: a COPAY or a payment while the patient holds the balance is the patient's;
  // otherwise the primary (1) or secondary (2) payer's, unless that payer is NO_INSURANCE.
  await db.run(
    `CREATE OR REPLACE TABLE syn_payment AS
     SELECT *, CASE WHEN source = 'payer' THEN payer_name END AS payer
     FROM (
       SELECT t.*,
              CASE WHEN t.responsible = '2' THEN t.secondary_payer ELSE t.primary_payer END AS payer_name,
              CASE WHEN upper(coalesce(t.METHOD, '')) = 'COPAY' OR t.responsible NOT IN ('1', '2')
                     OR (t.responsible = '1' AND coalesce(t.primary_type, 'self_pay') = 'self_pay')
                     OR (t.responsible = '2' AND t.secondary_payer IS NULL)
                   THEN 'patient' ELSE 'payer' END AS source
       FROM syn_txr t WHERE t.TYPE = 'PAYMENT')`,
  );
  await db.run(
    `CREATE OR REPLACE TABLE syn_line AS
     SELECT t.CLAIMID AS claim_id, t.line_no,
            any_value(${amountSql('t.AMOUNT')}) FILTER (WHERE t.TYPE = 'CHARGE') AS charge,
            any_value(${amountSql('t.UNITS')}) FILTER (WHERE t.TYPE = 'CHARGE') AS units,
            any_value(${dateSql('t.FROMDATE')}) FILTER (WHERE t.TYPE = 'CHARGE') AS line_start,
            any_value(${dateSql('t.TODATE')}) FILTER (WHERE t.TYPE = 'CHARGE') AS line_end,
            coalesce(sum(${amountSql('p.PAYMENTS')}) FILTER (WHERE p.source = 'payer'), 0) AS payer_paid,
            sum(${amountSql('p.PAYMENTS')}) FILTER (WHERE upper(p.METHOD) = 'COPAY') AS copay,
            sum(${amountSql('t.AMOUNT')}) FILTER (
              WHERE lower(t.TRANSFERTYPE) = 'p' AND t.TYPE IN ('CHARGE', 'TRANSFERIN')) AS patient_share,
            coalesce(sum(${amountSql('t.ADJUSTMENTS')}) FILTER (WHERE t.TYPE = 'ADJUSTMENT'), 0) AS adjustments
     FROM syn_txr t LEFT JOIN syn_payment p ON p.ID = t.ID
     GROUP BY t.CLAIMID, t.line_no`,
  );
}

const PAYER_SQL = `
  SELECT payer, min(payer_uid) AS payer_id, min(payer_type) AS payer_type, '${DATA_SOURCE}' AS data_source
  FROM (SELECT payer, payer_uid, payer_type FROM syn_payer
        UNION ALL
        SELECT payer, NULL, 'self_pay' FROM syn_no_insurance WHERE payer NOT IN (SELECT payer FROM syn_payer))
  GROUP BY payer`;

const ELIGIBILITY_SQL = `
  SELECT s.person_id, s.member_id, ${genderSql('p.GENDER')} AS gender, lower(p.RACE) AS race,
         ${dateSql('p.BIRTHDATE')} AS birth_date, ${dateSql('p.DEATHDATE')} AS death_date,
         p.DEATHDATE IS NOT NULL AS death_flag,
         s.start_date AS enrollment_start_date, s.end_date AS enrollment_end_date,
         s.payer, s.payer_type, s.payer AS plan,
         p.FIRST AS first_name, p.LAST AS last_name, p.SSN AS social_security_number,
         ${subscriberRelationSql('s.ownership')} AS subscriber_relation,
         p.ADDRESS AS address, p.CITY AS city, ${stateCodeSql('p.STATE')} AS state,
         CASE WHEN regexp_full_match(trim(p.ZIP), '[0-9]{5}') THEN trim(p.ZIP) END AS zip_code,
         '${DATA_SOURCE}' AS data_source
  FROM syn_span s JOIN syn_patients p ON p.Id = s.person_id
  WHERE s.end_date >= s.start_date
  ORDER BY s._record`;

const ENCOUNTER_SQL = `
  SELECT Id AS encounter_id, PATIENT AS person_id, ${encounterTypeSql('ENCOUNTERCLASS')} AS encounter_type,
         ${dateSql('START')} AS encounter_start_date, ${dateSql('STOP')} AS encounter_end_date,
         '${DATA_SOURCE}' AS data_source
  FROM syn_encounters ORDER BY _record`;

const MEDICAL_CLAIM_SQL = `
  SELECT c.claim_id, l.line_no AS claim_line_number, c.claim_type, c.person_id,
         coalesce(m.member_id, c.person_id) AS member_id, c.payer, c.payer AS plan,
         c.start_date AS claim_start_date, c.end_date AS claim_end_date,
         l.line_start AS claim_line_start_date,
         CASE WHEN l.line_end >= l.line_start THEN l.line_end END AS claim_line_end_date,
         CASE WHEN c.claim_type = 'institutional' AND c.encounter_class = 'inpatient' THEN c.encounter_start END AS admission_date,
         CASE WHEN c.claim_type = 'institutional' AND c.encounter_class = 'inpatient' THEN c.encounter_end END AS discharge_date,
         CASE WHEN c.claim_type = 'professional' THEN ${placeOfServiceSql('c.encounter_class')} END AS place_of_service_code,
         CASE WHEN c.claim_type = 'institutional' THEN ${billTypeSql('c.encounter_class')} END AS bill_type_code,
         l.units AS service_unit_quantity,
         l.payer_paid AS paid_amount, l.charge AS charge_amount, l.copay AS copayment_amount,
         l.patient_share AS coinsurance_amount,
         -- No principal diagnosis: Synthea's are SNOMED-CT, and the icd10_diagnoses gap waives the column.
         CASE WHEN c.status = 'CLOSED' THEN 'paid' ELSE 'pending' END AS claim_status,
         c.submission_date,
         '${DATA_SOURCE}' AS data_source
  FROM syn_line l
  JOIN syn_claim c ON c.claim_id = l.claim_id
  LEFT JOIN syn_claim_member m ON m.claim_id = c.claim_id
  ORDER BY c._record, l.line_no`;

const PAYMENT_SQL = `
  SELECT ID AS payment_id, CLAIMID AS claim_id, PATIENTID AS person_id, payer,
         source AS payment_source, ${dateSql('FROMDATE')} AS payment_date,
         ${amountSql('PAYMENTS')} AS payment_amount, ${paymentMethodSql('METHOD')} AS payment_method,
         '${DATA_SOURCE}' AS data_source
  FROM syn_payment ORDER BY _record`;

/** Maps the read Synthea files into input-layer parts. */
export async function mapSynthea(ctx: ConvertContext, part: string): Promise<MapResult> {
  await prepare(ctx);
  const warnings: string[] = [];
  const tables: Record<string, number> = {};

  ctx.progress('mapping payers, coverage spans and encounters');
  tables.payer = await writeTable(ctx, 'payer', part, PAYER_SQL);
  tables.eligibility = await writeTable(ctx, 'eligibility', part, ELIGIBILITY_SQL);
  const dropped = await recordList(ctx, 'syn_span', 'end_date < start_date');
  if (dropped) {
    warnings.push(
      `payer_transitions.csv ${dropped}: no eligibility span (the transition ends when it starts, or starts after the date of death)`,
    );
  }
  const badZip = await recordList(
    ctx,
    'syn_patients',
    `ZIP IS NOT NULL AND NOT regexp_full_match(trim(ZIP), '[0-9]{5}')`,
  );
  if (badZip) warnings.push(`patients.csv ${badZip}: ZIP is not 5 digits; zip_code left blank`);
  tables.encounter = await writeTable(ctx, 'encounter', part, ENCOUNTER_SQL);

  ctx.progress('mapping claims and claim transactions');
  tables.medical_claim = await writeTable(ctx, 'medical_claim', part, MEDICAL_CLAIM_SQL);
  tables.payment = await writeTable(ctx, 'payment', part, PAYMENT_SQL);

  const noEncounter = await recordList(ctx, 'syn_claim', 'encounter_id IS NULL');
  if (noEncounter) {
    warnings.push(
      `claims.csv ${noEncounter}: APPOINTMENTID is not an encounter of encounters.csv; no place of service, bill type or end date`,
    );
  }
  const noMember = await recordList(
    ctx,
    'syn_claim',
    `primary_type IS NOT NULL AND primary_type <> 'self_pay' AND claim_id NOT IN (SELECT claim_id FROM syn_claim_member)`,
  );
  if (noMember) {
    warnings.push(
      `claims.csv ${noMember}: no payer transition of the claim's payer covers its SERVICEDATE; member_id is the patient id`,
    );
  }
  const totals = await ctx.db.one<SyntheaTotals>(
    `SELECT coalesce(sum(${amountSql('AMOUNT')}) FILTER (WHERE TYPE = 'CHARGE'), 0)::DOUBLE AS charges,
            coalesce((SELECT sum(${amountSql('PAYMENTS')}) FROM syn_payment WHERE source = 'payer'), 0)::DOUBLE AS "payerPayments",
            coalesce((SELECT sum(${amountSql('PAYMENTS')}) FROM syn_payment WHERE source = 'patient'), 0)::DOUBLE AS "patientPayments",
            coalesce(sum(${amountSql('ADJUSTMENTS')}) FILTER (WHERE TYPE = 'ADJUSTMENT'), 0)::DOUBLE AS adjustments,
            coalesce(sum(${amountSql('AMOUNT')}) FILTER (WHERE TYPE = 'TRANSFERIN' AND lower(TRANSFERTYPE) = 'p'), 0)::DOUBLE AS "transfersToPatient"
     FROM syn_tx`,
  );
  const adjustments = await count(ctx, `syn_tx WHERE TYPE = 'ADJUSTMENT'`);
  if (adjustments > 0) {
    warnings.push(
      `claims_transactions.csv: ${adjustments} ADJUSTMENT transactions (${totals!.adjustments.toFixed(2)} in all) are not loaded as claim_adjustment rows: Synthea gives them no CARC group or reason code`,
    );
  }
  return { tables, warnings, totals: totals! };
}
