// Each documented mechanism of the generator, measured on a generated book with SQL: the statistic is
// computed from the files (never read back from the knobs) and checked against the documented range.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { literal } from '../../src/engine/duckdb.ts';
import { PROCEDURES } from '../../src/generate/catalog/procedures.ts';
import { type Book, ICD_FILE, NDC_CSV, openBook } from './fixture.ts';

let book: Book;
const q = <T = Record<string, number>>(sql: string) => book.one<T>(sql);
const PA_CODES = PROCEDURES.filter((p) => p.pa)
  .map((p) => literal(p.code))
  .join(', ');
const MINOR_CODES = PROCEDURES.filter((p) => p.minor)
  .map((p) => literal(p.code))
  .join(', ');
const EM_CODES = PROCEDURES.filter((p) => p.em)
  .map((p) => literal(p.code))
  .join(', ');

/** Lines with their initial denial (first CO/OA denial adjustment), for the denial tests. */
const DENIAL_VIEW = `
  CREATE TABLE line_denial AS
  WITH d AS (SELECT claim_id, claim_line_number, min(remit_date) AS denied_on, first(adjustment_group_code || '-' || carc_code ORDER BY remit_date) AS reason, first(rarc_code ORDER BY remit_date) AS rarc
             FROM claim_adjustment WHERE adjustment_group_code IN ('CO', 'OA') AND carc_code NOT IN ('45', '151') GROUP BY 1, 2)
  SELECT m.*, d.reason, d.rarc, d.denied_on, d.reason IS NOT NULL AS denied, p.timely_filing_days, p.contract_allowed_pct,
    (m.submission_date - m.claim_end_date) AS lag
  FROM medical_claim m JOIN payer p USING (payer) LEFT JOIN d USING (claim_id, claim_line_number)
  WHERE m.claim_status <> 'pending' AND m.payer <> 'Self Pay'`;

beforeAll(async () => {
  book = await openBook({ members: 10000, seed: 3 });
  await book.wh.run(DENIAL_VIEW);
  await book.wh.run(`CREATE TABLE person AS SELECT person_id, any_value(payer_type ORDER BY enrollment_start_date) AS payer_type, any_value(birth_date) AS birth_date,
      any_value(gender) AS gender, any_value(zip_code) AS zip_code, any_value(household_income) AS income, any_value(household_size) AS hh, any_value(death_date) AS death_date,
      date_diff('year', any_value(birth_date), DATE '2024-01-01') AS age FROM eligibility GROUP BY 1`);
  await book.wh.run(`CREATE TABLE stay AS SELECT claim_id, person_id, facility_npi, admission_date AS a, discharge_date AS d, discharge_disposition_code AS disp, drg_code, diagnosis_code_1 AS dx1,
      any_value(prior_authorization_number) AS auth FROM medical_claim WHERE bill_type_code = '111' GROUP BY ALL`);
});

afterAll(async () => {
  await book?.close();
});

describe('population and eligibility', () => {
  it('mixes age by payer: Medicare Advantage 65+, Medicaid young with children, commercial working age with dependents', async () => {
    const rows = await book.all<{
      payer_type: string;
      n: number;
      kids: number;
      seniors: number;
      female: number;
    }>(
      `SELECT payer_type, count(*) AS n, avg((age < 18)::int) AS kids, avg((age >= 65)::int) AS seniors, avg((gender = 'female')::int) AS female FROM person GROUP BY 1`,
    );
    const by = Object.fromEntries(rows.map((r) => [r.payer_type, r]));
    expect(by.medicare_advantage!.seniors).toBeGreaterThan(0.8);
    expect(by.medicaid!.kids).toBeGreaterThan(0.3);
    expect(by.commercial!.kids).toBeGreaterThan(0.1);
    expect(by.commercial!.seniors).toBeLessThan(0.1);
    expect(by.self_pay!.n).toBeGreaterThan(200);
    expect(by.medicare_advantage!.female).toBeGreaterThan(0.5);
    const rel = await q(
      `SELECT count(*) FILTER (WHERE subscriber_relation = 'child' AND subscriber_id <> member_id) AS children, count(*) FILTER (WHERE subscriber_relation = 'spouse') AS spouses FROM eligibility`,
    );
    expect(rel.children).toBeGreaterThan(100);
    expect(rel.spouses).toBeGreaterThan(100);
  });

  it('places members in ZIPs with a deprivation percentile, Medicaid in more deprived areas than commercial', async () => {
    const r =
      await q(`SELECT avg(a.adi_national_percentile) FILTER (WHERE payer_type = 'medicaid') AS medicaid, avg(a.adi_national_percentile) FILTER (WHERE payer_type = 'commercial') AS commercial,
      count(DISTINCT p.zip_code) AS zips, count(DISTINCT a.state) AS states FROM person p JOIN area_deprivation a USING (zip_code)`);
    expect(r.medicaid! - r.commercial!).toBeGreaterThan(8);
    expect(r.zips).toBeGreaterThan(100);
    expect(r.states).toBe(4);
  });

  it('knows household size and income for about 70 % of members, with income lower in Medicaid', async () => {
    const r =
      await q(`SELECT avg((income IS NOT NULL)::int) AS known, median(income) FILTER (WHERE payer_type = 'medicaid') AS medicaid, median(income) FILTER (WHERE payer_type = 'commercial') AS commercial,
      count(*) FILTER (WHERE (income IS NULL) <> (hh IS NULL)) AS mismatched FROM person`);
    expect(r.known).toBeGreaterThan(0.62);
    expect(r.known).toBeLessThan(0.78);
    expect(r.medicaid).toBeLessThan(r.commercial! / 2);
    expect(r.mismatched).toBe(0);
  });

  it('has deaths, and no service after death', async () => {
    const r = await q(`SELECT (SELECT avg((death_date IS NOT NULL)::int) FROM person) AS died,
      (SELECT count(*) FROM eligibility WHERE (death_date IS NOT NULL) <> death_flag) AS flag_mismatch,
      (SELECT count(*) FROM medical_claim m JOIN person p USING (person_id) WHERE m.claim_start_date > p.death_date) AS after_death,
      (SELECT count(*) FROM pharmacy_claim m JOIN person p USING (person_id) WHERE m.dispensing_date > p.death_date) AS rx_after_death`);
    expect(r.died).toBeGreaterThan(0.005);
    expect(r.died).toBeLessThan(0.05);
    expect(r).toMatchObject({ flag_mismatch: 0, after_death: 0, rx_after_death: 0 });
  });

  it('churns: multiple spans, lapses, payer switches, mid-month starts and ends, entrants during the window', async () => {
    const r =
      await q(`WITH s AS (SELECT person_id, payer, enrollment_start_date AS st, enrollment_end_date AS en,
        lag(enrollment_end_date) OVER (PARTITION BY person_id ORDER BY enrollment_start_date) AS prev_end, lag(payer) OVER (PARTITION BY person_id ORDER BY enrollment_start_date) AS prev_payer FROM eligibility)
      SELECT count(DISTINCT person_id) FILTER (WHERE st > prev_end + 1) / (SELECT count(*) FROM person) AS lapsed,
        count(DISTINCT person_id) FILTER (WHERE prev_payer <> payer) / (SELECT count(*) FROM person) AS switched,
        avg((day(st) <> 1)::int) AS mid_start, avg((en <> last_day(en))::int) AS mid_end,
        count(DISTINCT person_id) FILTER (WHERE prev_end IS NULL AND st > DATE '2024-01-01') / (SELECT count(*) FROM person) AS entrants FROM s`);
    expect(r.lapsed).toBeGreaterThan(0.03);
    expect(r.switched).toBeGreaterThan(0.03);
    expect(r.mid_start).toBeGreaterThan(0.02);
    expect(r.mid_end).toBeGreaterThan(0.02);
    expect(r.entrants).toBeGreaterThan(0.08);
  });
});

describe('conditions, utilization and cost', () => {
  it('drives chronic conditions by age: hypertension and heart failure rise with age', async () => {
    const r =
      await q(`WITH dx AS (SELECT DISTINCT person_id, diagnosis_code_1 AS c FROM medical_claim UNION SELECT DISTINCT person_id, diagnosis_code_2 FROM medical_claim UNION SELECT DISTINCT person_id, diagnosis_code_3 FROM medical_claim)
      SELECT avg((EXISTS (SELECT 1 FROM dx WHERE dx.person_id = p.person_id AND dx.c = 'I10'))::int) FILTER (WHERE age >= 65) AS htn_old,
        avg((EXISTS (SELECT 1 FROM dx WHERE dx.person_id = p.person_id AND dx.c = 'I10'))::int) FILTER (WHERE age BETWEEN 18 AND 44) AS htn_young,
        avg((EXISTS (SELECT 1 FROM dx WHERE dx.person_id = p.person_id AND dx.c LIKE 'I50%'))::int) FILTER (WHERE age >= 65) AS chf_old,
        avg((EXISTS (SELECT 1 FROM dx WHERE dx.person_id = p.person_id AND dx.c LIKE 'I50%'))::int) FILTER (WHERE age BETWEEN 18 AND 44) AS chf_young FROM person p`);
    expect(r.htn_old).toBeGreaterThan(2 * r.htn_young!);
    expect(r.htn_old).toBeGreaterThan(0.3);
    expect(r.chf_old).toBeGreaterThan(5 * r.chf_young!);
  });

  it('concentrates paid amounts (medical + pharmacy): top 5 % near half the spend, top 1 % about a quarter', async () => {
    const r =
      await q(`WITH paid AS (SELECT person_id, sum(paid_amount) AS paid FROM (SELECT person_id, paid_amount FROM medical_claim UNION ALL SELECT person_id, paid_amount FROM pharmacy_claim) GROUP BY 1),
      x AS (SELECT coalesce(paid, 0) AS paid FROM person LEFT JOIN paid USING (person_id)),
      r AS (SELECT paid, row_number() OVER (ORDER BY paid DESC) AS rn, count(*) OVER () AS n FROM x)
      SELECT sum(paid) FILTER (WHERE rn <= n * 0.01) / sum(paid) AS top1, sum(paid) FILTER (WHERE rn <= n * 0.05) / sum(paid) AS top5, avg((paid = 0)::int) AS zero FROM r`);
    expect(r.top5).toBeGreaterThan(0.45);
    expect(r.top5).toBeLessThan(0.63);
    expect(r.top1).toBeGreaterThan(0.17);
    expect(r.top1).toBeLessThan(0.33);
    expect(r.zero).toBeLessThan(0.3);
  });

  it('makes about 25-40 medical claim lines per member over 24 months, multi-line claims of every setting', async () => {
    const r =
      await q(`SELECT count(*) / (SELECT count(*) FROM person) AS per_member, count(*) / count(DISTINCT claim_id) AS per_claim,
      count(DISTINCT bill_type_code) FILTER (WHERE bill_type_code IN ('111', '131', '211', '329', '721')) AS tobs,
      count(DISTINCT place_of_service_code) FILTER (WHERE place_of_service_code IN ('11', '21', '22', '23', '81', '02', '10', '12', '20', '24', '41')) AS pos,
      count(*) FILTER (WHERE bill_type_code = '131' AND revenue_center_code = '0450') AS ed_lines,
      count(*) FILTER (WHERE bill_type_code = '111' AND (drg_code IS NULL OR admission_date IS NULL OR discharge_date IS NULL OR discharge_disposition_code IS NULL)) AS incomplete_ip
      FROM medical_claim`);
    expect(r.per_member).toBeGreaterThan(22);
    expect(r.per_member).toBeLessThan(42);
    expect(r.per_claim).toBeGreaterThan(1.5);
    expect(r.tobs).toBe(5);
    expect(r.pos).toBe(11);
    expect(r.ed_lines).toBeGreaterThan(100);
    expect(r.incomplete_ip).toBe(0);
    const fac = await q(
      `SELECT count(*) FILTER (WHERE p.provider_type <> 'hospital') AS not_hospital, count(*) AS n FROM medical_claim m JOIN provider p ON p.npi = m.facility_npi WHERE m.bill_type_code IN ('111', '131')`,
    );
    expect(fac.n).toBeGreaterThan(1000);
    expect(fac.not_hospital).toBe(0);
  });
});

describe('payers and denials', () => {
  it('declares commercial, Medicare Advantage, Medicaid and self-pay payers with different contracts', async () => {
    const r =
      await q(`SELECT count(*) FILTER (WHERE payer_type = 'commercial') AS commercial, count(*) FILTER (WHERE payer_type = 'medicare_advantage') AS ma,
      count(*) FILTER (WHERE payer_type = 'medicaid') AS medicaid, count(*) FILTER (WHERE payer_type = 'self_pay') AS self_pay,
      count(DISTINCT timely_filing_days) AS limits, count(DISTINCT contract_allowed_pct) AS pcts FROM payer`);
    expect(r.commercial).toBeGreaterThanOrEqual(2);
    expect(r).toMatchObject({ ma: 1, medicaid: 1, self_pay: 1 });
    expect(r.limits).toBeGreaterThanOrEqual(3);
    expect(r.pcts).toBeGreaterThanOrEqual(4);
  });

  it('denies 8-12 % of lines at first pass, with payers differing', async () => {
    const rows = await book.all<{ payer: string; rate: number }>(
      `SELECT payer, avg(denied::int) AS rate FROM line_denial GROUP BY 1`,
    );
    const all = await q(`SELECT avg(denied::int) AS rate FROM line_denial`);
    expect(all.rate).toBeGreaterThan(0.07);
    expect(all.rate).toBeLessThan(0.13);
    const rates = rows.map((r) => r.rate);
    expect(Math.max(...rates) - Math.min(...rates)).toBeGreaterThan(0.015);
  });

  it('denies late submissions (CO-29) only past the payer timely-filing limit', async () => {
    const r =
      await q(`SELECT avg((reason = 'CO-29')::int) FILTER (WHERE lag > timely_filing_days) AS late, avg((reason = 'CO-29')::int) FILTER (WHERE lag <= timely_filing_days) AS on_time,
      count(*) FILTER (WHERE lag > timely_filing_days) AS n_late FROM line_denial`);
    expect(r.n_late).toBeGreaterThan(200);
    expect(r.late).toBeGreaterThan(0.8);
    expect(r.on_time).toBe(0);
  });

  it('denies services needing prior authorization without a number (CO-197)', async () => {
    const r =
      await q(`SELECT avg((reason = 'CO-197')::int) FILTER (WHERE prior_authorization_number IS NULL) AS missing, avg((reason = 'CO-197')::int) FILTER (WHERE prior_authorization_number IS NOT NULL) AS present,
      count(*) FILTER (WHERE prior_authorization_number IS NULL) AS n FROM line_denial WHERE hcpcs_code IN (${PA_CODES}) AND claim_type = 'professional' AND place_of_service_code NOT IN ('23', '21')`);
    expect(r.n).toBeGreaterThan(30);
    expect(r.missing).toBeGreaterThan(0.5);
    expect(r.present).toBe(0);
  });

  it('denies services outside the payer eligibility span (CO-27 after, CO-26 before coverage)', async () => {
    const r =
      await q(`WITH c AS (SELECT l.*, EXISTS (SELECT 1 FROM eligibility e WHERE e.person_id = l.person_id AND e.payer = l.payer AND l.claim_start_date BETWEEN e.enrollment_start_date AND e.enrollment_end_date) AS covered FROM line_denial l)
      SELECT avg((reason IN ('CO-27', 'CO-26'))::int) FILTER (WHERE NOT covered) AS outside, avg((reason IN ('CO-27', 'CO-26'))::int) FILTER (WHERE covered) AS inside,
        count(*) FILTER (WHERE NOT covered) AS n, count(*) FILTER (WHERE reason = 'CO-26') AS before FROM c`);
    expect(r.n).toBeGreaterThan(100);
    expect(r.outside).toBeGreaterThan(0.7);
    expect(r.inside).toBe(0);
    expect(r.before).toBeGreaterThan(0);
  });

  it('denies resubmitted duplicates (OA-18) and invalid or unspecified diagnoses (CO-16 with RARC M76)', async () => {
    const dup =
      await q(`WITH d AS (SELECT l.*, EXISTS (SELECT 1 FROM medical_claim o WHERE o.person_id = l.person_id AND o.claim_start_date = l.claim_start_date AND o.claim_line_number = l.claim_line_number
        AND o.hcpcs_code IS NOT DISTINCT FROM l.hcpcs_code AND o.revenue_center_code IS NOT DISTINCT FROM l.revenue_center_code AND o.charge_amount = l.charge_amount AND o.claim_id < l.claim_id) AS is_dup FROM line_denial l)
      SELECT avg((reason = 'OA-18')::int) FILTER (WHERE is_dup) AS dup, avg((reason = 'OA-18')::int) FILTER (WHERE NOT is_dup) AS orig, count(*) FILTER (WHERE is_dup) AS n FROM d`);
    expect(dup.n).toBeGreaterThan(200);
    expect(dup.dup).toBeGreaterThan(0.8);
    expect(dup.orig).toBe(0);
    const dx =
      await q(`WITH icd AS (SELECT icd_10_cm_code AS code, billable_flag FROM read_csv(${literal(ICD_FILE)}, header = true, all_varchar = true))
      SELECT avg((reason = 'CO-16' AND rarc = 'M76')::int) FILTER (WHERE i.billable_flag = '0') AS invalid, avg((reason = 'CO-16' AND rarc = 'M76')::int) FILTER (WHERE i.billable_flag = '1' AND diagnosis_code_1 NOT IN ('R69', 'R6889')) AS valid,
        count(*) FILTER (WHERE i.billable_flag = '0') AS n FROM line_denial l JOIN icd i ON i.code = l.diagnosis_code_1`);
    expect(dx.n).toBeGreaterThan(500);
    expect(dx.invalid).toBeGreaterThan(0.7);
    expect(dx.valid).toBeLessThan(0.005);
  });

  it('bundles an E/M billed with a minor procedure and no modifier 25 (CO-97), and checks medical necessity (CO-50)', async () => {
    const r =
      await q(`WITH c AS (SELECT claim_id FROM line_denial WHERE hcpcs_code IN (${MINOR_CODES}) GROUP BY 1)
      SELECT avg((reason = 'CO-97')::int) FILTER (WHERE coalesce(hcpcs_modifier_1, '') <> '25') AS no25, avg((reason = 'CO-97')::int) FILTER (WHERE hcpcs_modifier_1 = '25') AS with25,
        count(*) FILTER (WHERE coalesce(hcpcs_modifier_1, '') <> '25') AS n FROM line_denial JOIN c USING (claim_id) WHERE hcpcs_code IN (${EM_CODES})`);
    expect(r.n).toBeGreaterThan(20);
    expect(r.no25).toBeGreaterThan(0.6);
    expect(r.with25).toBe(0);
    const n =
      await q(`SELECT avg((reason = 'CO-50')::int) FILTER (WHERE diagnosis_code_1 IN ('Z0000', 'Z0001')) AS general, avg((reason = 'CO-50')::int) FILTER (WHERE diagnosis_code_1 NOT IN ('Z0000', 'Z0001')) AS specific,
      count(*) FILTER (WHERE diagnosis_code_1 IN ('Z0000', 'Z0001')) AS n FROM line_denial WHERE hcpcs_code IN ('82306', '93306', '77080', '70553')`);
    expect(n.n).toBeGreaterThan(30);
    expect(n.general).toBeGreaterThan(0.5);
    expect(n.specific).toBe(0);
  });

  it('ties credentialing denials (CO-B7) to billing providers and keeps unexplained noise a minority', async () => {
    const r =
      await q(`WITH pairs AS (SELECT billing_npi, payer, avg((reason = 'CO-B7')::int) AS b7, count(*) AS n FROM line_denial GROUP BY 1, 2)
      SELECT max(b7) AS worst_pair, count(*) FILTER (WHERE b7 > 0.2) AS gap_pairs, count(*) FILTER (WHERE b7 > 0 AND b7 <= 0.2) AS scattered FROM pairs WHERE n >= 40`);
    expect(r.gap_pairs).toBeGreaterThan(0);
    expect(r.scattered).toBe(0);
    const noise = await q(
      `SELECT avg((reason IN ('CO-252') OR rarc = 'MA130')::int) AS noise FROM line_denial WHERE denied`,
    );
    expect(noise.noise).toBeGreaterThan(0.02);
    expect(noise.noise).toBeLessThan(0.25);
  });

  it('overturns some denials on appeal (second remittance) and writes off the rest', async () => {
    const r =
      await q(`SELECT count(*) FILTER (WHERE denied AND claim_status IN ('paid', 'partially_paid') AND paid_date > denied_on) AS overturned,
      count(*) FILTER (WHERE denied AND claim_status = 'denied') AS written_off, count(*) FILTER (WHERE denied) AS n FROM line_denial`);
    expect(r.overturned / r.n!).toBeGreaterThan(0.08);
    expect(r.overturned / r.n!).toBeLessThan(0.5);
    expect(r.written_off / r.n!).toBeGreaterThan(0.4);
  });

  it('underpays a share of paid claims below contract, more for some payers, and pays at payer-specific speeds', async () => {
    const rows = await book.all<{
      payer: string;
      under: number;
      days: number;
    }>(`SELECT payer, avg((allowed_amount < charge_amount * contract_allowed_pct * 0.99)::int) AS under,
      median(paid_date - submission_date) AS days FROM line_denial WHERE claim_status = 'paid' AND NOT denied GROUP BY 1 ORDER BY 1`);
    const by = Object.fromEntries(rows.map((r) => [r.payer, r]));
    for (const r of rows) {
      expect(r.under, r.payer).toBeGreaterThan(0.005);
      expect(r.under, r.payer).toBeLessThan(0.2);
    }
    expect(by['Keystone Shield Commercial']!.under).toBeGreaterThan(by['Liberty Medicare Advantage']!.under);
    expect(by['Liberty Medicare Advantage']!.days).toBeLessThan(by['Lakes State Medicaid']!.days);
  });
});

describe('inpatient stays and readmissions', () => {
  const INDEX = `WITH idx AS (SELECT s.*, EXISTS (SELECT 1 FROM stay r WHERE r.person_id = s.person_id AND r.claim_id <> s.claim_id AND r.a > s.d AND r.a <= s.d + 30) AS readmitted,
      EXISTS (SELECT 1 FROM medical_claim m WHERE m.person_id = s.person_id AND m.claim_type = 'professional' AND m.hcpcs_code IN ('99495', '99496', '99212', '99213', '99214', '99215')
        AND m.claim_start_date > s.d AND m.claim_start_date <= s.d + 7) AS followed_up
    FROM stay s WHERE s.disp NOT IN ('02', '20', '50', '51') AND s.d <= DATE '2025-11-30')`;

  it('readmits 12-18 % of live discharges within 30 days, more often without a 7-day follow-up visit', async () => {
    const r = await q(
      `${INDEX} SELECT count(*) AS n, avg(readmitted::int) AS rate, avg(readmitted::int) FILTER (WHERE followed_up) AS with_fu, avg(readmitted::int) FILTER (WHERE NOT followed_up) AS without_fu FROM idx`,
    );
    expect(r.n).toBeGreaterThan(800);
    expect(r.rate).toBeGreaterThan(0.1);
    expect(r.rate).toBeLessThan(0.2);
    expect(r.without_fu! - r.with_fu!).toBeGreaterThan(0.04);
  });

  it('raises readmission risk with age, chronic burden and area deprivation', async () => {
    const r =
      await q(`${INDEX}, x AS (SELECT idx.*, p.age, a.adi_national_percentile AS adi, (SELECT count(DISTINCT c) FROM (SELECT diagnosis_code_2 AS c FROM medical_claim m WHERE m.claim_id = idx.claim_id UNION SELECT diagnosis_code_3 FROM medical_claim m WHERE m.claim_id = idx.claim_id UNION SELECT diagnosis_code_4 FROM medical_claim m WHERE m.claim_id = idx.claim_id UNION SELECT diagnosis_code_5 FROM medical_claim m WHERE m.claim_id = idx.claim_id)) AS dx
      FROM idx JOIN person p USING (person_id) JOIN area_deprivation a USING (zip_code))
      SELECT avg(readmitted::int) FILTER (WHERE age >= 75) AS old, avg(readmitted::int) FILTER (WHERE age < 60) AS young,
        avg(readmitted::int) FILTER (WHERE adi >= 67) AS deprived, avg(readmitted::int) FILTER (WHERE adi < 40) AS affluent,
        avg(readmitted::int) FILTER (WHERE dx >= 4) AS burdened, avg(readmitted::int) FILTER (WHERE dx <= 2) AS light FROM x`);
    expect(r.old).toBeGreaterThan(r.young!);
    expect(r.deprived).toBeGreaterThan(r.affluent!);
    expect(r.burdened).toBeGreaterThan(r.light!);
  });

  it('transfers (02) into another hospital the same or next day, and records in-hospital deaths (20) and AMA (07)', async () => {
    // A receiving hospital that bills late (after the cut-off) leaves a transfer without its second claim.
    const r = await q(`SELECT count(*) FILTER (WHERE disp = '02' AND d <= DATE '2025-11-30') AS transfers,
      count(*) FILTER (WHERE disp = '02' AND d <= DATE '2025-11-30' AND EXISTS (SELECT 1 FROM stay t WHERE t.person_id = s.person_id AND t.a BETWEEN s.d AND s.d + 1 AND t.facility_npi <> s.facility_npi)) AS followed,
      count(*) FILTER (WHERE disp = '20') AS deaths, count(*) FILTER (WHERE disp = '20' AND d = (SELECT death_date FROM person p WHERE p.person_id = s.person_id)) AS death_matches,
      count(*) FILTER (WHERE disp = '07') AS ama FROM stay s`);
    expect(r.transfers).toBeGreaterThan(0);
    expect(r.followed / r.transfers!).toBeGreaterThan(0.85);
    expect(r.deaths).toBeGreaterThan(10);
    expect(r.death_matches).toBe(r.deaths);
    expect(r.ama).toBeGreaterThan(0);
  });

  it('has planned stays (chemotherapy Z51.11, elective joint replacement with authorization) and post-acute care', async () => {
    const r =
      await q(`SELECT count(*) FILTER (WHERE dx1 = 'Z5111' AND drg_code IN ('846', '847', '848')) AS chemo, count(*) FILTER (WHERE drg_code IN ('469', '470')) AS joints,
      count(*) FILTER (WHERE drg_code IN ('469', '470') AND auth IS NOT NULL) AS joints_auth,
      count(*) FILTER (WHERE disp = '03') AS to_snf, count(*) FILTER (WHERE disp = '03' AND EXISTS (SELECT 1 FROM medical_claim m WHERE m.person_id = s.person_id AND m.bill_type_code = '211' AND m.claim_start_date BETWEEN s.d AND s.d + 1)) AS snf,
      count(*) FILTER (WHERE disp = '06') AS to_hh, count(*) FILTER (WHERE disp = '06' AND EXISTS (SELECT 1 FROM medical_claim m WHERE m.person_id = s.person_id AND m.bill_type_code = '329' AND m.claim_start_date BETWEEN s.d AND s.d + 3)) AS hh FROM stay s`);
    expect(r.chemo).toBeGreaterThan(5);
    expect(r.joints_auth).toBeGreaterThan(0);
    expect(r.joints_auth / r.joints!).toBeGreaterThan(0.6);
    expect(r.snf / r.to_snf!).toBeGreaterThan(0.7);
    expect(r.hh / r.to_hh!).toBeGreaterThan(0.6);
  });
});

describe('planned readmissions', () => {
  it('brings members back on purpose within 30 days: a staged PCI after a myocardial infarction, chemotherapy cycles 21 or 28 days apart', async () => {
    const r = await q(`SELECT
      count(*) FILTER (WHERE s.drg_code IN ('321', '322') AND s.dx1 = 'I2510') AS staged_pci,
      count(*) FILTER (WHERE s.drg_code IN ('321', '322') AND s.dx1 = 'I2510' AND EXISTS (SELECT 1 FROM stay p WHERE p.person_id = s.person_id
        AND p.drg_code IN ('280', '281', '282') AND s.a - p.d BETWEEN 10 AND 28)) AS after_ami,
      count(*) FILTER (WHERE s.dx1 = 'Z5111' AND EXISTS (SELECT 1 FROM stay p WHERE p.person_id = s.person_id AND p.dx1 = 'Z5111'
        AND s.a - p.a IN (21, 28))) AS next_cycle,
      count(*) FILTER (WHERE s.drg_code IN ('280', '281', '282')) AS ami FROM stay s`);
    expect(r.staged_pci).toBeGreaterThan(3);
    // Every staged PCI follows an infarction 10-28 days earlier (the mechanism, not a coincidence).
    expect(r.after_ami).toBe(r.staged_pci);
    expect(r.staged_pci / r.ami!).toBeLessThan(0.4);
    expect(r.next_cycle).toBeGreaterThan(5);
  });
});

describe('pharmacy', () => {
  it('fills 30- or 90-day supplies, more 90-day fills in Medicare Advantage than Medicaid', async () => {
    const r = await q(
      `SELECT count(*) FILTER (WHERE days_supply NOT IN (25, 30, 90)) AS odd, avg((days_supply = 90)::int) FILTER (WHERE payer = 'Liberty Medicare Advantage') AS ma, avg((days_supply = 90)::int) FILTER (WHERE payer = 'Lakes State Medicaid') AS medicaid FROM pharmacy_claim`,
    );
    expect(r.odd).toBe(0);
    expect(r.ma! - r.medicaid!).toBeGreaterThan(0.1);
  });

  it('gives PQA proportion of days covered a realistic spread by class, with early refills, gaps and switches', async () => {
    const rows = await book.all<{ pdc_class: string; n: number; pdc: number; adherent: number }>(`
      WITH ndc AS (SELECT * FROM read_csv(${literal(NDC_CSV)}, header = true, all_varchar = true)),
      f AS (SELECT p.person_id, n.pdc_class, p.dispensing_date AS d, p.days_supply AS ds FROM pharmacy_claim p JOIN ndc n ON n.ndc_code = p.ndc_code WHERE p.claim_status = 'paid' AND n.pdc_class IS NOT NULL AND year(p.dispensing_date) = 2025),
      g AS (SELECT person_id, pdc_class, min(d) AS f0, count(*) AS fills, sum(ds) AS supply FROM f GROUP BY 1, 2 HAVING count(*) >= 2)
      SELECT pdc_class, count(*) AS n, avg(least(1.0, supply / (DATE '2025-12-31' - f0 + 1))) AS pdc, avg((least(1.0, supply / (DATE '2025-12-31' - f0 + 1)) >= 0.8)::int) AS adherent FROM g GROUP BY 1`);
    expect(rows.length).toBe(3);
    for (const r of rows) {
      expect(r.n, r.pdc_class).toBeGreaterThan(100);
      expect(r.adherent, r.pdc_class).toBeGreaterThan(0.5);
      expect(r.adherent, r.pdc_class).toBeLessThan(0.92);
    }
    const g =
      await q(`WITH f AS (SELECT person_id, ndc_code, dispensing_date AS d, days_supply AS ds, lead(dispensing_date) OVER (PARTITION BY person_id, ndc_code ORDER BY dispensing_date) AS next FROM pharmacy_claim WHERE claim_status = 'paid')
      SELECT avg((next < d + ds::INTEGER)::int) FILTER (WHERE next IS NOT NULL) AS early, avg((next > d + ds::INTEGER + 30)::int) FILTER (WHERE next IS NOT NULL) AS gaps FROM f`);
    expect(g.early).toBeGreaterThan(0.2);
    expect(g.gaps).toBeGreaterThan(0.03);
    const s =
      await q(`WITH ndc AS (SELECT * FROM read_csv(${literal(NDC_CSV)}, header = true, all_varchar = true))
      SELECT count(*) AS switchers FROM (SELECT person_id FROM pharmacy_claim p JOIN ndc n USING (ndc_code) WHERE n.pdc_class = 'statins' GROUP BY 1 HAVING count(DISTINCT n.drug_name) > 1)`);
    expect(s.switchers).toBeGreaterThan(5);
    const npi = await q(
      `SELECT count(*) FILTER (WHERE d.provider_type <> 'pharmacy') AS not_pharmacy, count(*) FILTER (WHERE r.entity_type IS NULL) AS unknown_prescriber FROM pharmacy_claim p JOIN provider d ON d.npi = p.dispensing_provider_npi LEFT JOIN provider r ON r.npi = p.prescribing_provider_npi`,
    );
    expect(npi).toEqual({ not_pharmacy: 0, unknown_prescriber: 0 });
  });
});

describe('providers, patients, encounters and the ledger', () => {
  it('gives providers heavy-tailed volume, specialties with NUCC taxonomies, valid NPIs, and some who stop billing', async () => {
    const r =
      await q(`WITH v AS (SELECT rendering_npi, count(*) AS n, max(claim_start_date) AS last_day, min(claim_start_date) AS first_day FROM medical_claim GROUP BY 1),
      r AS (SELECT n, row_number() OVER (ORDER BY n DESC) AS rn, count(*) OVER () AS c FROM v)
      SELECT (SELECT sum(n) FILTER (WHERE rn <= c * 0.1) / sum(n) FROM r) AS top10,
        (SELECT count(*) FILTER (WHERE last_day < DATE '2025-06-30' AND first_day < DATE '2024-04-01' AND n >= 5) FROM v) AS stopped,
        (SELECT count(DISTINCT specialty) FROM provider) AS specialties, (SELECT count(*) FROM provider WHERE provider_type = 'hospital' AND bed_count IS NULL) AS hospitals_without_beds`);
    expect(r.top10).toBeGreaterThan(0.35);
    expect(r.stopped).toBeGreaterThan(0);
    expect(r.specialties).toBeGreaterThan(25);
    expect(r.hospitals_without_beds).toBe(0);
    const npi = await book.all<{ npi: string }>(`SELECT CAST(npi AS VARCHAR) AS npi FROM provider`);
    const valid = npi.filter(({ npi: n }) => {
      let sum = 24;
      for (let i = 0; i < 9; i++) {
        let d = Number(n[8 - i]);
        if (i % 2 === 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
        sum += d;
      }
      return (10 - (sum % 10)) % 10 === Number(n[9]);
    }).length;
    expect(valid / npi.length).toBeGreaterThan(0.98);
  });

  it('collects patient balances more from higher-income, less deprived and insured patients', async () => {
    const rows = await book.all<{ band: string; collected: number }>(`
      WITH bal AS (SELECT claim_id, any_value(person_id) AS person_id, any_value(payer) AS payer, sum(coinsurance_amount + copayment_amount + deductible_amount) AS bal FROM medical_claim GROUP BY 1),
      paid AS (SELECT claim_id, sum(payment_amount) AS paid FROM payment WHERE payment_source = 'patient' GROUP BY 1)
      SELECT CASE WHEN b.payer = 'Self Pay' THEN 'self_pay' WHEN p.income IS NULL THEN 'unknown' WHEN p.income / (15060 + 5380 * (p.hh - 1)) < 1.5 THEN 'low' WHEN p.income / (15060 + 5380 * (p.hh - 1)) < 4 THEN 'mid' ELSE 'high' END AS band,
        sum(coalesce(x.paid, 0)) / sum(b.bal) AS collected FROM bal b JOIN person p USING (person_id) LEFT JOIN paid x USING (claim_id) WHERE b.bal > 0 GROUP BY 1`);
    const by = Object.fromEntries(rows.map((r) => [r.band, r.collected]));
    expect(by.high! - by.low!).toBeGreaterThan(0.15);
    expect(by.self_pay).toBeLessThan(by.low!);
    const p = await q(
      `SELECT count(*) FILTER (WHERE payment_source = 'patient' AND payer IS NOT NULL) AS patient_with_payer, count(*) FILTER (WHERE claim_id IS NULL) AS unapplied FROM payment`,
    );
    expect(p.patient_with_payer).toBe(0);
    expect(p.unapplied).toBeGreaterThan(0);
  });

  it('matches EHR encounters to visit claims on person and date except about 1 % either way', async () => {
    const r =
      await q(`WITH c AS (SELECT DISTINCT person_id, claim_start_date AS d FROM medical_claim WHERE place_of_service_code IN ('11', '02', '10', '20', '21', '22', '23', '24') OR bill_type_code IN ('111', '131', '211', '329', '721')),
      e AS (SELECT DISTINCT person_id, encounter_start_date AS d FROM encounter)
      SELECT (SELECT avg((e.person_id IS NULL)::int) FROM c LEFT JOIN e USING (person_id, d)) AS claim_only, (SELECT avg((c.person_id IS NULL)::int) FROM e LEFT JOIN c USING (person_id, d)) AS ehr_only`);
    for (const k of ['claim_only', 'ehr_only']) {
      expect(r[k], k).toBeGreaterThan(0.002);
      expect(r[k], k).toBeLessThan(0.02);
    }
  });

  it('books payer payments in the ledger about 1-2 % away from claims paid by month, varying by month', async () => {
    const r =
      await q(`WITH c AS (SELECT date_trunc('month', paid_date)::DATE AS m, payer, sum(paid_amount) AS paid FROM medical_claim WHERE paid_date IS NOT NULL GROUP BY 1, 2),
      j AS (SELECT l.ledger_month, l.payer_payments, c.paid, l.revenue_cycle_cost FROM finance_ledger l JOIN c ON c.m = l.ledger_month AND c.payer = l.payer WHERE c.paid > 0),
      mo AS (SELECT ledger_month, sum(payer_payments) / sum(paid) - 1 AS v FROM j GROUP BY 1)
      SELECT (SELECT sum(payer_payments) / sum(paid) - 1 FROM j) AS overall, (SELECT stddev(v) FROM mo) AS month_sd, (SELECT count(*) FROM mo) AS months,
        (SELECT count(*) FROM finance_ledger WHERE revenue_cycle_cost <= 0 AND payer <> 'Self Pay') AS no_cost`);
    expect(r.overall).toBeGreaterThan(0.004);
    expect(r.overall).toBeLessThan(0.025);
    expect(r.month_sd).toBeGreaterThan(0.002);
    expect(r.months).toBeGreaterThan(24);
    expect(r.no_cost).toBe(0);
  });

  it('plants a tiny share of data-quality anomalies that still load: paid over allowed, paid duplicates, paid outside eligibility', async () => {
    const r = await q(`SELECT avg((paid_amount > allowed_amount)::int) AS over_allowed,
      (SELECT count(*) FROM line_denial l WHERE NOT denied AND claim_status = 'paid' AND EXISTS (SELECT 1 FROM medical_claim o WHERE o.person_id = l.person_id AND o.claim_start_date = l.claim_start_date
        AND o.hcpcs_code = l.hcpcs_code AND o.claim_line_number = l.claim_line_number AND o.charge_amount = l.charge_amount AND o.claim_id < l.claim_id)) AS paid_duplicates,
      (SELECT count(*) FROM line_denial l WHERE claim_status = 'paid' AND NOT EXISTS (SELECT 1 FROM eligibility e WHERE e.person_id = l.person_id AND e.payer = l.payer AND l.claim_start_date BETWEEN e.enrollment_start_date AND e.enrollment_end_date)) / (SELECT count(*) FROM medical_claim) AS paid_outside
      FROM medical_claim WHERE claim_status = 'paid'`);
    expect(r.over_allowed).toBeGreaterThan(0);
    expect(r.over_allowed).toBeLessThan(0.002);
    expect(r.paid_duplicates).toBeGreaterThan(0);
    expect(r.paid_outside).toBeGreaterThan(0);
    expect(r.paid_outside).toBeLessThan(0.01);
  });
});
