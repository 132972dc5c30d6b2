// 837P / 837I samples read end to end, with the claims, lines, charges and diagnoses read off the
// files by hand, and two small inline claims for what the samples lack (ICD-10, prior
// authorization, line-level rendering provider, COB loops, inpatient procedures, DRG, POA).
import { afterAll, describe, expect, it } from 'vitest';
import { readX12File, type X12Record } from '../../../src/sources/x12/index.ts';
import { join12, sample, tempDir, total } from './fixtures.ts';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const dx = (row: X12Record) =>
  Array.from({ length: 25 }, (_, i) => row[`diagnosis_code_${i + 1}`]).filter((d) => d !== undefined);

describe('837P samples', () => {
  it('oopfactory Example1_HealthInsurance: 4 lines, $100, a dependent patient', async () => {
    const { tables, report } = await readX12File(
      sample('oopfactory-x12parser/837P_5010_Example1_HealthInsurance.txt'),
    );
    expect(report.transactions).toEqual({ '837P': 1 });
    expect(report.claims).toBe(1);
    const rows = tables.medical_claim;
    expect(
      rows.map((r) => [
        r.claim_line_number,
        r.hcpcs_code,
        r.charge_amount,
        r.service_unit_quantity,
        r.claim_line_start_date,
        r.claim_line_end_date,
      ]),
    ).toEqual([
      [1, '99213', 40, 1, '2006-10-03', '2006-10-03'],
      [2, '87070', 15, 1, '2006-10-03', '2006-10-03'],
      [3, '99214', 35, 1, '2006-10-10', '2006-10-10'],
      [4, '86663', 10, 1, '2006-10-10', '2006-10-25'],
    ]);
    expect(total(rows.map((r) => r.charge_amount))).toBe(100); // = CLM02
    expect(rows[0]).toEqual(
      expect.objectContaining({
        claim_id: '26463774',
        claim_type: 'professional',
        member_id: 'JS00111223333',
        person_id: 'JS00111223333:dep:1973-05-01',
        payer: 'KEY INSURANCE COMPANY',
        plan: '2222-SJ',
        claim_start_date: '2006-10-03',
        claim_end_date: '2006-10-25',
        place_of_service_code: '11',
        billing_npi: '9876543210',
        billing_tin: '587654321',
        diagnosis_code_type: 'icd-9-cm',
        diagnosis_code_1: '0340',
        diagnosis_code_2: 'V7389',
        paid_amount: 0,
        claim_status: 'pending',
        submission_date: '2006-10-15',
        data_source: 'x12:837P_5010_Example1_HealthInsurance.txt',
      }),
    );
    expect(tables.payer).toEqual([
      {
        payer: 'KEY INSURANCE COMPANY',
        payer_id: '999996666',
        payer_type: 'commercial',
        data_source: 'x12:837P_5010_Example1_HealthInsurance.txt',
      },
    ]);
    expect(tables.provider).toMatchObject([
      {
        npi: '9876543210',
        entity_type: 'organization',
        provider_name: 'BEN KILDARE SERVICE',
        taxonomy_code: '203BF0100Y',
        tin: '587654321',
        practice_state: 'FL',
        practice_zip_code: '33111',
      },
    ]);
  });

  it('oopfactory Example1_2_And_3_Combined: 2 transactions, 3 claims, 11 lines; COB loop payer and subscriber ignored', async () => {
    const { tables, report } = await readX12File(
      sample('oopfactory-x12parser/837P_5010_Example1_2_And_3_Combined.txt'),
    );
    expect(report.transactions).toEqual({ '837P': 2 });
    const claims = [...new Set(tables.medical_claim.map((r) => r.claim_id))];
    expect(claims).toEqual(['26463774', '26407789', '26462967']);
    const cob = tables.medical_claim.filter((r) => r.claim_id === '26407789');
    expect(total(cob.map((r) => r.charge_amount))).toBe(79.04);
    expect(cob.map((r) => r.hcpcs_code)).toEqual(['99213', '90782', 'J3301']);
    expect(dx(cob[0]!)).toEqual(['4779', '2724', '2780', '53081']);
    // 2310B rendering provider; the 2330A/B subscriber and payer (SMITH JACK, second KEY INSURANCE) do not override.
    expect(cob[0]).toMatchObject({
      rendering_npi: '1999996666',
      billing_npi: '1999996666',
      member_id: '111223333',
    });
    expect(total(tables.medical_claim.map((r) => r.charge_amount))).toBe(279.04);
    expect(tables.medical_claim).toHaveLength(11);
  });

  it('oopfactory 837P 4010 Cms1500Test: 8 lines, four modifiers, line-level POS 12', async () => {
    const { tables } = await readX12File(sample('oopfactory-x12parser/837P_4010_Cms1500Test.txt'));
    const rows = tables.medical_claim;
    expect(rows).toHaveLength(8);
    expect(total(rows.map((r) => r.charge_amount))).toBe(200.2);
    expect(rows[1]).toMatchObject({
      hcpcs_code: '87072',
      hcpcs_modifier_1: 'AA',
      hcpcs_modifier_2: 'BB',
      hcpcs_modifier_3: 'CC',
      hcpcs_modifier_4: 'DD',
    });
    expect(rows.map((r) => r.place_of_service_code)).toEqual([
      '11',
      '11',
      '12',
      '11',
      '11',
      '11',
      '11',
      '11',
    ]);
    // 4010 patients carry their own id in NM1*QC.
    expect(rows[0]).toMatchObject({
      person_id: 'JS01111223333',
      member_id: '11223333',
      claim_start_date: '1998-10-03',
      claim_end_date: '1998-10-10',
    });
  });

  it('linuxforhealth 5010 professional samples: one claim each, charges and diagnoses', async () => {
    const cases: [string, number, number, string[]][] = [
      ['837_005010X222A2_demo.ambulance.example5.837', 4, 766.5, ['8628', 'E8888', '9592', '8540']],
      ['837_005010X222A2_demo.autoaccident.837', 2, 185, ['8540']],
      ['837_005010X222A2_demo.cob.2ndary.example4.837', 1, 145.5, ['7215']],
      ['837_005010X222A2_demo.cob.example3.A.837', 3, 79.04, ['4779', '2724', '2780', '53081']],
      ['837_005010X222A2_demo.drug.example10.2.837', 6, 2232.93, ['4659']],
      ['837_005010X222A2_demo.example7.837', 2, 520.24, ['496', '51881', '2859']],
      ['837_005010X222A2_demo.example9.837', 1, 827, ['36616']],
      ['demo-file_demo.837', 4, 100, ['0340', 'V7389']],
    ];
    for (const [f, lines, charge, codes] of cases) {
      const { tables, report } = await readX12File(sample(`linuxforhealth-x12/${f}`));
      expect(report.claims, f).toBe(1);
      expect(tables.medical_claim, f).toHaveLength(lines);
      expect(total(tables.medical_claim.map((r) => r.charge_amount)), f).toBe(charge);
      expect(dx(tables.medical_claim[0]!), f).toEqual(codes);
    }
  });

  it('reads composites written with ">" although ISA16 declares ":" (linuxforhealth example9), with a warning', async () => {
    const { tables, report } = await readX12File(
      sample('linuxforhealth-x12/837_005010X222A2_demo.example9.837'),
    );
    expect(tables.medical_claim[0]).toMatchObject({
      place_of_service_code: '22',
      hcpcs_code: '00142',
      hcpcs_modifier_1: 'QK',
      hcpcs_modifier_2: 'QS',
      service_unit_quantity: 61,
      rendering_npi: '5678912345',
    });
    expect(report.warnings.map((w) => w.message)).toEqual([
      'segment 20: composite "22>B>1" does not use the component separator ":" declared in ISA16; read with the separator it uses',
    ]);
  });
});

describe('837I samples', () => {
  it('oopfactory 3.1.2 two claims for the same provider: bill type, revenue codes, attending as rendering', async () => {
    const { tables, report } = await readX12File(
      sample('oopfactory-x12parser/837I_5010_Spec_3.1.2_TwoClaimsForTheSameProvider.txt'),
    );
    expect(report.transactions).toEqual({ '837I': 1 });
    expect(
      tables.medical_claim.map((r) => [
        r.claim_id,
        r.claim_line_number,
        r.revenue_center_code,
        r.hcpcs_code,
        r.charge_amount,
        r.service_unit_quantity,
        r.rendering_npi,
      ]),
    ).toEqual([
      ['756048Q', 1, '0305', '85025', 13.39, 1, '1122334455'],
      ['756048Q', 2, '0730', '93010', 76.56, 3, '1122334455'],
      ['756049Q', 1, '0300', '85087', 50, 1, '9999999999'],
    ]);
    expect(tables.medical_claim[0]).toMatchObject({
      claim_type: 'institutional',
      bill_type_code: '131',
      claim_start_date: '2005-03-15',
      claim_end_date: '2005-03-15',
      facility_npi: '1234567890',
      billing_npi: '1234567890',
      diagnosis_code_1: '3669',
      diagnosis_code_2: '4019',
      diagnosis_code_3: '79431',
      plan: 'CH',
      payer: 'TRICARE',
    });
    expect(tables.medical_claim[0]!.place_of_service_code).toBeUndefined();
    expect(tables.payer).toMatchObject([{ payer: 'TRICARE', payer_type: 'other' }]);
  });

  it('oopfactory 837I 4010 Example1: ICD-9 procedure with its date, CL1 codes', async () => {
    const { tables } = await readX12File(sample('oopfactory-x12parser/837I_4010_Example1.txt'));
    expect(tables.medical_claim).toHaveLength(3);
    expect(total(tables.medical_claim.map((r) => r.charge_amount))).toBe(200);
    expect(tables.medical_claim[0]).toMatchObject({
      procedure_code_type: 'icd-9-pcs',
      procedure_code_1: '4491',
      procedure_date_1: '2007-07-30',
      admit_type_code: '1',
      admit_source_code: '9',
      discharge_disposition_code: '01',
      diagnosis_code_1: '25000',
      diagnosis_code_2: '78901',
    });
  });

  it('linuxforhealth 4010 institutional-ppo-repriced: an inpatient stay (bill type 111) with admission and discharge', async () => {
    const { tables } = await readX12File(
      sample('linuxforhealth-x12/837_004010X096A1_institutional-ppo-repriced.837'),
    );
    expect(tables.medical_claim.map((r) => r.revenue_center_code)).toEqual([
      '0120',
      '0250',
      '0258',
      '0270',
      '0300',
    ]);
    expect(total(tables.medical_claim.map((r) => r.charge_amount))).toBe(2593.69);
    expect(tables.medical_claim[0]).toMatchObject({
      bill_type_code: '111',
      admission_date: '1996-12-22',
      discharge_date: '1996-12-24',
      claim_start_date: '1996-12-22',
      claim_end_date: '1996-12-24',
    });
  });

  it('linuxforhealth automobile-accident: repeated HI codes kept once, external cause (BN) after the principal', async () => {
    const { tables } = await readX12File(
      sample('linuxforhealth-x12/837_004010X096A1_automobile-accident.837'),
    );
    expect(dx(tables.medical_claim[0]!)).toEqual(['884.2', 'E986.0']);
  });

  it('dental 837s (SV3 lines) are skipped with a reason', async () => {
    const { tables, report } = await readX12File(
      sample('oopfactory-x12parser/837D_4010_Spec_4.1.1_PatientIsNotSubscriber.txt'),
    );
    expect(tables.medical_claim).toEqual([]);
    expect(report.skipped).toMatchObject([
      {
        claimId: '26403774',
        segment: 23,
        reason: 'dental claim (SV3 lines): dental claims are not part of medical_claim',
      },
    ]);
  });
});

const ISA =
  'ISA*00*          *00*          *ZZ*SUBMITTER      *ZZ*PAYER          *240301*0900*^*00501*000000042*0*P*:';

function interchange(body: string[], version: string): string {
  const st = [`ST*837*0001*${version}`, ...body];
  return join12([
    ISA,
    `GS*HC*SUBMITTER*PAYER*20240301*0900*42*X*${version}`,
    ...st,
    `SE*${st.length + 1}*0001`,
    'GE*1*42',
    'IEA*1*000000042',
  ]);
}

describe('inline 837s', () => {
  it('837P: ICD-10, prior authorization, line-level rendering, and 2320/2330 loops that must not leak', async () => {
    const path = tmp.write(
      'p.837',
      interchange(
        [
          'BHT*0019*00*B1*20240301*0900*CH',
          'HL*1**20*1',
          'PRV*BI*PXC*207Q00000X',
          'NM1*85*2*NORTH CLINIC*****XX*1234567893',
          'N4*SPRINGFIELD*IL*627011234',
          'REF*EI*371234567',
          'HL*2*1*22*0',
          'SBR*P*18*GRP77*ACME EMPLOYEES*****CI',
          'NM1*IL*1*DOE*JANE****MI*W100200300',
          'NM1*PR*2*ACME HEALTH*****PI*60054',
          'CLM*PCN-1*250***11:B:1*Y*A*Y*Y',
          'REF*G1*AUTH-99',
          'HI*ABK:E119*ABF:I10*ABF:Z794',
          'NM1*82*1*SMITH*ANNA****XX*1111111112',
          'SBR*S*18*******MB',
          'NM1*IL*1*DOE*JANE****MI*OTHERID',
          'NM1*PR*2*MEDICARE*****PI*00120',
          'NM1*82*1******G2*OTHERPROV',
          'LX*1',
          'SV1*HC:99214:25*150*UN*1*11**1:2',
          'DTP*472*D8*20240215',
          'LX*2',
          'SV1*HC:83036*100*UN*2***1',
          'DTP*472*D8*20240216',
          'REF*G1*AUTH-LINE',
          'NM1*82*1*LEE*TOM****XX*2222222223',
          'SVD*00120*80*HC:83036**2',
          'CAS*CO*45*20',
        ],
        '005010X222A1',
      ),
    );
    const { tables, report } = await readX12File(path);
    expect(report.quarantined).toEqual([]);
    expect(
      tables.medical_claim.map((r) => [
        r.claim_line_number,
        r.hcpcs_code,
        r.hcpcs_modifier_1,
        r.charge_amount,
        r.service_unit_quantity,
        r.rendering_npi,
        r.prior_authorization_number,
      ]),
    ).toEqual([
      [1, '99214', '25', 150, 1, '1111111112', 'AUTH-99'],
      [2, '83036', undefined, 100, 2, '2222222223', 'AUTH-LINE'],
    ]);
    expect(tables.medical_claim[0]).toMatchObject({
      member_id: 'W100200300',
      person_id: 'W100200300',
      payer: 'ACME HEALTH',
      plan: 'ACME EMPLOYEES',
      diagnosis_code_type: 'icd-10-cm',
      diagnosis_code_1: 'E119',
      diagnosis_code_2: 'I10',
      diagnosis_code_3: 'Z794',
      claim_start_date: '2024-02-15',
      claim_end_date: '2024-02-16',
      submission_date: '2024-03-01',
      billing_tin: '371234567',
    });
    expect(tables.payer.map((p) => p.payer)).toEqual(['ACME HEALTH']);
    expect(tables.provider.map((p) => [p.npi, p.entity_type, p.provider_name])).toEqual([
      ['1234567893', 'organization', 'NORTH CLINIC'],
      ['1111111112', 'individual', 'ANNA SMITH'],
      ['2222222223', 'individual', 'TOM LEE'],
    ]);
    expect(tables.provider[0]).toMatchObject({
      taxonomy_code: '207Q00000X',
      practice_city: 'SPRINGFIELD',
      practice_zip_code: '62701',
    });
    expect(tables.claim_adjustment).toEqual([]);
  });

  it('837I inpatient: ICD-10-PCS procedures with dates, DRG, POA, admission and discharge', async () => {
    const path = tmp.write(
      'i.837',
      interchange(
        [
          'BHT*0019*00*B2*20240310*0900*CH',
          'HL*1**20*1',
          'NM1*85*2*GENERAL HOSPITAL*****XX*1234567893',
          'HL*2*1*22*0',
          'SBR*P*18*******MA',
          'NM1*IL*1*ROE*RICHARD****MI*1EG4TE5MK72',
          'NM1*PR*2*MEDICARE A*****PI*00120',
          'CLM*IP-77*12000***11:A:1**A*Y*Y',
          'DTP*434*RD8*20240301-20240305',
          'DTP*435*DT*202403010730',
          'CL1*1*7*06',
          'HI*ABK:I214:::::::Y',
          'HI*ABF:E119:::::::N*ABF:I10:::::::Y',
          'HI*BBR:02703ZZ:D8:20240302*BBQ:B2111ZZ:D8:20240301',
          'HI*DR:281',
          'NM1*71*1*HART*ELLEN****XX*3333333334',
          'NM1*77*2*GENERAL HOSPITAL EAST*****XX*4444444445',
          'LX*1',
          'SV2*0120**8000*DA*4',
          'LX*2',
          'SV2*0360*HC:92920*4000*UN*1',
        ],
        '005010X223A2',
      ),
    );
    const { tables, report } = await readX12File(path);
    expect(report.transactions).toEqual({ '837I': 1 });
    const [first, second] = tables.medical_claim;
    expect(first).toMatchObject({
      claim_type: 'institutional',
      bill_type_code: '111',
      admission_date: '2024-03-01',
      discharge_date: '2024-03-05',
      admit_type_code: '1',
      admit_source_code: '7',
      discharge_disposition_code: '06',
      drg_code_type: 'ms-drg',
      drg_code: '281',
      diagnosis_code_type: 'icd-10-cm',
      diagnosis_code_1: 'I214',
      diagnosis_poa_1: 'Y',
      diagnosis_code_2: 'E119',
      diagnosis_poa_2: 'N',
      diagnosis_code_3: 'I10',
      procedure_code_type: 'icd-10-pcs',
      procedure_code_1: '02703ZZ',
      procedure_date_1: '2024-03-02',
      procedure_code_2: 'B2111ZZ',
      procedure_date_2: '2024-03-01',
      facility_npi: '4444444445',
      rendering_npi: '3333333334',
      revenue_center_code: '0120',
      service_unit_quantity: 4,
      plan: 'MA',
    });
    expect(first!.hcpcs_code).toBeUndefined();
    expect(second).toMatchObject({ revenue_center_code: '0360', hcpcs_code: '92920', charge_amount: 4000 });
    expect(tables.payer).toMatchObject([{ payer: 'MEDICARE A', payer_type: 'medicare' }]);
  });
});
