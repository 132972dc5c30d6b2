// The service-category grouper on one hand-made claim per rule: each expected category follows the
// rule order written in docs/marts/cost.md (institutional by claim, professional by line).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../../src/engine/duckdb.ts';
import { costWarehouse, fill, type InputRow, medical, span } from './fixture.ts';

const DAY = '2024-03-05';

/** An institutional line of claim `id` (no POS, no HCPCS unless given). */
function inst(id: string, line: number, extra: InputRow): InputRow {
  return medical('P1', DAY, 100, {
    claim_id: id,
    claim_line_number: line,
    claim_type: 'institutional',
    place_of_service_code: null,
    hcpcs_code: null,
    ...extra,
  });
}

/** A professional line of claim `id`. */
function prof(id: string, pos: string | null, hcpcs: string | null): InputRow {
  return medical('P1', DAY, 100, { claim_id: id, place_of_service_code: pos, hcpcs_code: hcpcs });
}

let wh: Warehouse;

beforeAll(async () => {
  wh = await costWarehouse({
    eligibility: [span('P1', '2024-01-01', '2024-12-31')],
    medical: [
      inst('ip', 1, { bill_type_code: '0111', revenue_center_code: '0120' }),
      // An inpatient stay that came through the ED stays inpatient (bill type outranks the ED line).
      inst('ip', 2, { bill_type_code: '0111', revenue_center_code: '0450' }),
      inst('drg', 1, { bill_type_code: null, drg_code: '470', revenue_center_code: '0120' }),
      // An ED revenue line places every line of the outpatient claim, the lab line too.
      inst('ed', 1, { bill_type_code: '0131', revenue_center_code: '0450', hcpcs_code: '99284' }),
      inst('ed', 2, { bill_type_code: '0131', revenue_center_code: '0300', hcpcs_code: '80053' }),
      inst('ed456', 1, { bill_type_code: '0131', revenue_center_code: '0456' }),
      inst('surg', 1, { bill_type_code: '0131', revenue_center_code: '0360', hcpcs_code: '29881' }),
      inst('surg', 2, { bill_type_code: '0131', revenue_center_code: '0300', hcpcs_code: '80053' }),
      // Without a claim-level setting signal, outpatient lines are grouped one by one.
      inst('opd', 1, { bill_type_code: '0131', revenue_center_code: '0300', hcpcs_code: '80053' }),
      inst('opd', 2, { bill_type_code: '0131', revenue_center_code: '0510', hcpcs_code: 'G0463' }),
      inst('opd', 3, { bill_type_code: '0131', revenue_center_code: '0350', hcpcs_code: '74177' }),
      inst('snf', 1, { bill_type_code: '0211', revenue_center_code: '0191' }),
      inst('hh', 1, { bill_type_code: '0329', revenue_center_code: '0551' }),
      inst('hospice', 1, { bill_type_code: '0811', revenue_center_code: '0651' }),
      inst('nosignal', 1, { bill_type_code: null, revenue_center_code: '0999' }),
      prof('p_ed', '23', '99284'),
      prof('p_ip', '21', '99223'),
      prof('p_office', '11', '99213'),
      prof('p_lab', '11', '80053'),
      prof('p_rad_office', '11', '71046'),
      prof('p_rad_hospital', '22', '71046'),
      prof('p_dme', '12', 'E0601'),
      prof('p_amb', '41', 'A0427'),
      prof('p_snf', '31', '99309'),
      prof('p_asc', '24', '29881'),
      prof('p_cat2', '99', '3074F'),
      prof('p_nopos', null, null),
      medical('P1', DAY, 0, { claim_id: 'denied', claim_status: 'denied', allowed_amount: 80 }),
    ],
    pharmacy: [fill('P1', DAY, 25, { claim_id: 'rx' })],
  });
});

afterAll(async () => {
  await wh.close();
});

describe('intermediate.service_category', () => {
  it('assigns each claim line the category of the first matching rule', async () => {
    const rows = await wh.all<{ line: string; category: string; detail: string; rule: string }>(
      `SELECT claim_id || '#' || claim_line_number AS line, service_category AS category,
              service_category_detail AS detail, category_rule AS rule
       FROM intermediate.service_category ORDER BY claim_id, claim_line_number`,
    );
    const got = Object.fromEntries(rows.map((r) => [r.line, `${r.category} / ${r.detail} / ${r.rule}`]));
    expect(got).toEqual({
      'denied#1': 'professional / office or clinic / pos_office_or_clinic',
      'drg#1': 'inpatient / acute inpatient / drg',
      'ed#1': 'emergency_department / emergency department / ed_revenue_or_visit',
      'ed#2': 'emergency_department / emergency department / ed_revenue_or_visit',
      'ed456#1': 'emergency_department / emergency department / ed_revenue_or_visit',
      'hh#1': 'post_acute / home health / bill_type_home_health',
      'hospice#1': 'post_acute / hospice / bill_type_hospice',
      'ip#1': 'inpatient / acute inpatient / bill_type_inpatient',
      'ip#2': 'inpatient / acute inpatient / bill_type_inpatient',
      'nosignal#1': 'other / other / no_institutional_signal',
      'opd#1': 'ancillary / lab / lab_line',
      'opd#2': 'outpatient / outpatient hospital or clinic / bill_type_outpatient',
      'opd#3': 'ancillary / radiology / radiology_line',
      'p_amb#1': 'ancillary / ambulance / ambulance',
      'p_asc#1': 'outpatient / outpatient surgery / pos_asc',
      'p_cat2#1': 'other / other / no_professional_signal',
      'p_dme#1': 'ancillary / durable medical equipment / dme_code',
      'p_ed#1': 'emergency_department / emergency department / pos_emergency_room',
      'p_ip#1': 'inpatient / inpatient professional / pos_inpatient',
      'p_lab#1': 'ancillary / lab / lab_code',
      'p_nopos#1': 'other / other / no_professional_signal',
      'p_office#1': 'professional / office or clinic / pos_office_or_clinic',
      'p_rad_hospital#1': 'outpatient / outpatient hospital or clinic / pos_outpatient_hospital',
      'p_rad_office#1': 'ancillary / radiology / radiology_code',
      'p_snf#1': 'post_acute / skilled nursing / pos_nursing_facility',
      'snf#1': 'post_acute / skilled nursing / bill_type_snf',
      'surg#1': 'outpatient / outpatient surgery / surgery_procedure',
      'surg#2': 'outpatient / outpatient surgery / surgery_procedure',
    });
  });

  it('adds pharmacy fills as pharmacy and keeps denied lines out of spend', async () => {
    const rows = await wh.all<{ claim_id: string; service_category: string; paid_amount: number }>(
      `SELECT claim_id, service_category, paid_amount FROM intermediate.cost_claim_line
       WHERE claim_id IN ('rx', 'denied', 'ip') ORDER BY claim_id, claim_line_number`,
    );
    // 'denied' is not spend; 'ip' has two paid lines of 100; the fill is 25.
    expect(rows).toEqual([
      { claim_id: 'ip', service_category: 'inpatient', paid_amount: 100 },
      { claim_id: 'ip', service_category: 'inpatient', paid_amount: 100 },
      { claim_id: 'rx', service_category: 'pharmacy', paid_amount: 25 },
    ]);
  });

  it('covers every category in the PMPM mart, pharmacy included', async () => {
    const rows = await wh.all<{ service_category: string; claim_lines: number; paid: number }>(
      `SELECT service_category, claim_lines, paid FROM marts.cost_pmpm
       WHERE month_start = DATE '2024-03-01' ORDER BY service_category`,
    );
    // Lines per category from the first test (the denied line excluded), 100 each, the fill 25:
    // ancillary opd#1, opd#3, p_amb, p_dme, p_lab, p_rad_office = 6; ED ed#1, ed#2, ed456, p_ed = 4;
    // inpatient drg, ip#1, ip#2, p_ip = 4; other nosignal, p_cat2, p_nopos = 3;
    // outpatient opd#2, p_asc, p_rad_hospital, surg#1, surg#2 = 5; post_acute hh, hospice, p_snf, snf = 4;
    // professional p_office = 1; pharmacy 1 fill.
    expect(rows).toEqual([
      { service_category: 'ancillary', claim_lines: 6, paid: 600 },
      { service_category: 'emergency_department', claim_lines: 4, paid: 400 },
      { service_category: 'inpatient', claim_lines: 4, paid: 400 },
      { service_category: 'other', claim_lines: 3, paid: 300 },
      { service_category: 'outpatient', claim_lines: 5, paid: 500 },
      { service_category: 'pharmacy', claim_lines: 1, paid: 25 },
      { service_category: 'post_acute', claim_lines: 4, paid: 400 },
      { service_category: 'professional', claim_lines: 1, paid: 100 },
    ]);
  });
});
