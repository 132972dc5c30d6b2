// The governed service boundary on a small cost warehouse: roles and domains, small-cell and
// complementary suppression for aggregate-only roles, identifier columns never reaching an analyst,
// SQL filters refused before any query, free SQL by role, and an audit entry for each call.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/program.ts';
import { type Config, configSchema } from '../../src/config.ts';
import { Warehouse } from '../../src/engine/duckdb.ts';
import { UsageError } from '../../src/errors.ts';
import type { AuditEntry } from '../../src/governance/audit.ts';
import { AccessDeniedError } from '../../src/governance/errors.ts';
import { governKpiResult } from '../../src/governance/kpi-guard.ts';
import { findRole, loadPolicy } from '../../src/governance/policy.ts';
import { type Caller, governedKpi, governedQuery } from '../../src/services/governed.ts';
import type { KpiResult } from '../../src/services/kpi.ts';
import { costWarehouse, type InputRow, medical, span } from '../marts/cost/fixture.ts';

let dir: string;
let path: string;
let auditLog: string;
let config: Config;

const pad = (n: number) => String(n).padStart(2, '0');

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'claimlens-governed-'));
  path = join(dir, 'wh.duckdb');
  auditLog = join(dir, 'audit.jsonl');
  // January 2024: Acme Gold 25 members, Acme Silver 4, Beta Basic 14 (43 member months).
  const eligibility: InputRow[] = [];
  const claims: InputRow[] = [];
  const add = (id: string, payer: string, plan: string, paid: number) => {
    eligibility.push(span(id, '2024-01-01', '2024-01-31', { payer, plan }));
    claims.push(medical(id, '2024-01-15', paid, { payer, plan }));
  };
  for (let i = 1; i <= 25; i++) add(`G${pad(i)}`, 'Acme', 'Gold', i * 10);
  for (let i = 1; i <= 4; i++) add(`S${i}`, 'Acme', 'Silver', 1000);
  for (let i = 1; i <= 14; i++) add(`B${pad(i)}`, 'Beta', 'Basic', 20);
  const wh = await costWarehouse({ eligibility, medical: claims }, path);
  await wh.close();
  config = configSchema.parse({ warehouse: path, governance: { auditLog } });
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

afterEach(() => {
  vi.restoreAllMocks();
});

const as = (role: string): Caller => ({ subject: `${role}-user`, role, via: 'test' });

function audit(): AuditEntry[] {
  return readFileSync(auditLog, 'utf8')
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as AuditEntry);
}

function section(r: KpiResult, title: string) {
  const s = r.sections.find((x) => x.title.startsWith(title));
  if (!s) throw new Error(`no section ${title}`);
  return s;
}

async function denied(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a refusal');
}

const COUNT_COLUMNS = ['members', 'member_months', 'prior_year_member_months'];

describe('governedKpi', () => {
  it('shows an analyst every cell, member counts of 1-10 included', async () => {
    const r = await governedKpi({ config, caller: as('analyst') }, { domain: 'cost', period: '2024-01' });
    expect(section(r, 'PMPM by payer and plan').rows.map((x) => [x.plan, x.member_months, x.paid])).toEqual([
      ['Gold', 25, 3250],
      ['Silver', 4, 4000],
      ['Basic', 14, 280],
    ]);
    expect(r.governance.suppressed).toEqual([]);
  });

  it('never gives an executive a count from 1 to 10, nor what it could be recomputed from', async () => {
    const r = await governedKpi({ config, caller: as('executive') }, { domain: 'cost', period: '2024-01' });
    // Silver (4) is a small cell; Gold is suppressed with it so Acme's total cannot give Silver away;
    // the amounts and PMPM of both go too. Beta stays.
    expect(section(r, 'PMPM by payer and plan').rows).toEqual([
      {
        payer: 'Acme',
        plan: 'Gold',
        member_months: null,
        paid: null,
        allowed: null,
        pmpm_paid: null,
        pmpm_allowed: null,
        suppressed: ['member_months', 'paid', 'allowed', 'pmpm_paid', 'pmpm_allowed'],
      },
      {
        payer: 'Acme',
        plan: 'Silver',
        member_months: null,
        paid: null,
        allowed: null,
        pmpm_paid: null,
        pmpm_allowed: null,
        suppressed: ['member_months', 'paid', 'allowed', 'pmpm_paid', 'pmpm_allowed'],
      },
      {
        payer: 'Beta',
        plan: 'Basic',
        member_months: 14,
        paid: 280,
        allowed: 280,
        pmpm_paid: 20,
        pmpm_allowed: 20,
      },
    ]);
    const pmpmIndex = r.sections.findIndex((s) => s.title.startsWith('PMPM by payer and plan'));
    expect(
      r.governance.suppressed.filter((s) => s.section === pmpmIndex && s.column === 'member_months'),
    ).toEqual([
      { section: pmpmIndex, row: 0, column: 'member_months', reason: 'complementary' },
      { section: pmpmIndex, row: 1, column: 'member_months', reason: 'small_cell' },
    ]);
    // 43 members: the top 1/5/10/20% are 1, 3, 5 and 9 members, every one a small cell.
    expect(
      section(r, 'Spend concentration').rows.map((x) => [x.top_pct, x.members, x.paid, x.share]),
    ).toEqual([
      [1, null, null, null],
      [5, null, null, null],
      [10, null, null, null],
      [20, null, null, null],
    ]);
    expect(r.headline).toMatchObject({ members: 43, member_months: 43 });
    for (const s of r.sections) {
      for (const row of s.rows) {
        for (const c of COUNT_COLUMNS) {
          const v = row[c];
          if (typeof v === 'number') expect(v < 1 || v > 10, `${s.title}.${c} = ${v}`).toBe(true);
        }
      }
    }
    expect(r.notes.some((n) => n.startsWith('Small-cell suppression (role executive)'))).toBe(true);
    const last = audit().at(-1)!;
    expect(last).toMatchObject({ actor: 'executive-user', role: 'executive', action: 'kpi', outcome: 'ok' });
    expect(last.identifiers).toBe(false);
  });

  it('refuses a domain outside the role and an unknown role, with audit entries', async () => {
    const forbidden = await denied(
      governedKpi({ config, caller: as('care_manager') }, { domain: 'payers', period: '2024-01' }),
    );
    expect(forbidden).toBeInstanceOf(AccessDeniedError);
    expect((forbidden as AccessDeniedError).reason).toBe('forbidden_domain');
    const unknown = await denied(governedKpi({ config, caller: as('superuser') }, { domain: 'cost' }));
    expect((unknown as AccessDeniedError).reason).toBe('unknown_role');
    expect(
      audit()
        .slice(-2)
        .map((e) => [e.role, e.outcome, e.reason]),
    ).toEqual([
      ['care_manager', 'refused', 'forbidden_domain'],
      ['superuser', 'refused', 'unknown_role'],
    ]);
  });

  it('rejects a payer carrying SQL before any query runs', async () => {
    const wh = await Warehouse.open(path, { readOnly: true });
    let calls = 0;
    const counting = new Proxy(wh, {
      get(target, prop, receiver) {
        const v = Reflect.get(target, prop, receiver);
        if (typeof v !== 'function') return v;
        return (...args: unknown[]) => {
          if (['run', 'all', 'one', 'tableExists', 'describe'].includes(String(prop))) calls++;
          return (v as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
    try {
      const ctx = { config, caller: as('analyst'), warehouse: counting };
      const err = await denied(
        governedKpi(ctx, { domain: 'cost', period: '2024-01', payer: "x' OR 1=1 --" }),
      );
      expect(err).toBeInstanceOf(UsageError);
      expect(err.message).toBe(`--payer 'x' OR 1=1 --' is not a valid value (it contains "--")`);
      expect(calls).toBe(0);
      const bad = await denied(governedKpi(ctx, { domain: 'cost', from: '2024-02-30', to: '2024-03-01' }));
      expect(bad.message).toBe("--from must be a calendar date as YYYY-MM-DD, got '2024-02-30'");
      expect(calls).toBe(0);
      // A well-formed but unknown payer is refused by the known-values check, itself parameter-free.
      const unknown = await denied(governedKpi(ctx, { domain: 'cost', payer: 'Gamma' }));
      expect(unknown.message).toBe("unknown payer 'Gamma': known payers are Acme, Beta");
      expect(
        audit()
          .slice(-3)
          .map((e) => [e.outcome, e.reason, e.params?.payer ?? e.params?.from]),
      ).toEqual([
        ['refused', 'invalid_filter', "x' OR 1=1 --"],
        ['refused', 'invalid_filter', '2024-02-30'],
        ['refused', 'invalid_filter', 'Gamma'],
      ]);
    } finally {
      await wh.close();
    }
  });

  it('prints suppressed cells as <11 and suppressed in the text output', async () => {
    let out = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      out += String(chunk);
      return true;
    });
    const code = await main([
      '--warehouse',
      path,
      'kpi',
      'cost',
      '--period',
      '2024-01',
      '--role',
      'executive',
    ]);
    expect(code).toBe(0);
    const pmpm = out.slice(
      out.indexOf('== PMPM by payer and plan'),
      out.indexOf('== PMPM by service category'),
    );
    expect(
      pmpm
        .split('\n')
        .slice(3, 6)
        .map((l) => l.split(/\s{2,}/)),
    ).toEqual([
      ['Acme', 'Gold', 'suppressed', 'suppressed', 'suppressed', 'suppressed', 'suppressed'],
      ['Acme', 'Silver', '<11', 'suppressed', 'suppressed', 'suppressed', 'suppressed'],
      ['Beta', 'Basic', '14', '280', '280', '20', '20'],
    ]);
  });
});

describe('governKpiResult on member-level sections', () => {
  const policy = loadPolicy();
  const result: KpiResult = {
    domain: 'cost',
    period: undefined,
    payer: undefined,
    headline: { members: 2 },
    sections: [
      {
        title: 'Members to call',
        rows: [
          { person_id: 'psn_a', first_name: 'Ann', paid: 900, risk: 0.9 },
          { person_id: 'psn_b', first_name: 'Bea', paid: 800, risk: 0.7 },
        ],
        columns: ['person_id', 'first_name', 'paid', 'risk'],
        memberLevel: true,
      },
      // Not declared member-level, but an identifier column gives it away: treated as one.
      { title: 'Undeclared list', rows: [{ member_id: 'mbr_a', paid: 1 }] },
    ],
    notes: [],
  };

  it('strips identifier columns for an analyst and keeps the rows', () => {
    const r = governKpiResult(result, findRole(policy, 'analyst'), policy);
    expect(r.sections[0]).toMatchObject({
      columns: ['paid', 'risk'],
      rows: [
        { paid: 900, risk: 0.9 },
        { paid: 800, risk: 0.7 },
      ],
    });
    expect(r.sections[1]!.rows).toEqual([{ paid: 1 }]);
    expect(r.governance).toMatchObject({
      removedColumns: ['first_name', 'member_id', 'person_id'],
      identifiersReturned: false,
    });
  });

  it('keeps identifiers for a care manager and withholds member rows from an executive', () => {
    const cm = governKpiResult(result, findRole(policy, 'care_manager'), policy);
    expect(cm.sections[0]!.rows[0]).toEqual({ person_id: 'psn_a', first_name: 'Ann', paid: 900, risk: 0.9 });
    expect(cm.governance.identifiersReturned).toBe(true);
    const ex = governKpiResult(result, findRole(policy, 'executive'), policy);
    expect(ex.sections).toEqual([]);
    expect(ex.governance.withheldSections).toEqual(['Members to call', 'Undeclared list']);
    // The headline count of 2 members is a small cell too.
    expect(ex.headline).toEqual({ members: null });
  });
});

describe('governedQuery', () => {
  it('lets admin run free SQL and audits identifiers returned', async () => {
    const r = await governedQuery(
      { config, caller: as('admin') },
      'SELECT person_id FROM input.eligibility LIMIT 1',
    );
    expect(r.columns).toEqual(['person_id']);
    expect(audit().at(-1)).toMatchObject({
      role: 'admin',
      action: 'sql',
      outcome: 'ok',
      rows: 1,
      identifiers: true,
    });
  });

  it('gives an analyst the marts without identifier columns', async () => {
    const r = await governedQuery(
      { config, caller: as('analyst') },
      'WITH m AS (SELECT * FROM marts.cost_member_month) SELECT * FROM m ORDER BY ALL LIMIT 1',
    );
    expect(r.columns).not.toContain('person_id');
    expect(r.columns).toContain('paid');
    const err = await denied(
      governedQuery({ config, caller: as('analyst') }, 'SELECT person_id FROM marts.cost_member_month'),
    );
    expect(err.message).toMatch(/person_id/);
    expect(audit().at(-1)).toMatchObject({ role: 'analyst', outcome: 'error' });
  });

  it('refuses an analyst anything outside the marts, and every other role any SQL', async () => {
    const cases: [string, string, string][] = [
      ['analyst', 'SELECT * FROM input.eligibility', 'forbidden_relation'],
      ['analyst', 'SELECT * FROM restricted.eligibility', 'forbidden_relation'],
      ['analyst', `SELECT * FROM read_csv('${path}')`, 'forbidden_sql'],
      ['analyst', `SELECT * FROM '${path}'`, 'forbidden_relation'],
      ['analyst', 'SELECT * FROM wh.marts.cost_pmpm', 'forbidden_relation'],
      [
        'analyst',
        'SELECT * FROM marts.cost_pmpm WHERE payer IN (SELECT payer FROM input.eligibility)',
        'forbidden_relation',
      ],
      ['analyst', 'DROP TABLE marts.cost_pmpm', 'forbidden_sql'],
      ['executive', 'SELECT 1', 'forbidden_sql'],
      ['finance', 'SELECT count(*) FROM marts.cost_pmpm', 'forbidden_sql'],
    ];
    for (const [role, sql, reason] of cases) {
      const err = await denied(governedQuery({ config, caller: as(role) }, sql));
      expect([sql, (err as AccessDeniedError).reason]).toEqual([sql, reason]);
      expect(audit().at(-1)).toMatchObject({ role, action: 'sql', outcome: 'refused', reason });
    }
  });
});
