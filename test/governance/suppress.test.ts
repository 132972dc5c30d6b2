// Small-cell and complementary suppression on hand-made tables, and the policy file's validation.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  deniedColumns,
  findRole,
  loadPolicy,
  mayReadRelation,
  mayRunDomain,
} from '../../src/governance/policy.ts';
import { suppressRows } from '../../src/governance/suppress.ts';

const dir = mkdtempSync(join(tmpdir(), 'claimlens-policy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('suppressRows', () => {
  it('hides counts 1-10 (not 0, not 11) and the smallest other count so the total cannot give them away', () => {
    const rows = [
      { plan: 'A', members: 4, paid: 400 },
      { plan: 'B', members: 40, paid: 4000 },
      { plan: 'C', members: 90, paid: 9000 },
      { plan: 'D', members: 0, paid: 0 },
      { plan: 'E', members: 11, paid: 1100 },
    ];
    const r = suppressRows(rows, { countColumns: ['members'] }, 10);
    expect(r.rows).toEqual([
      { plan: 'A', members: null, paid: null, suppressed: ['members', 'paid'] },
      { plan: 'B', members: 40, paid: 4000 },
      { plan: 'C', members: 90, paid: 9000 },
      { plan: 'D', members: 0, paid: 0 },
      // E (11) is the smallest other positive count: hidden so that A = total - B - C - E cannot be done.
      { plan: 'E', members: null, paid: null, suppressed: ['members', 'paid'] },
    ]);
    expect(r.cells).toEqual([
      { row: 0, column: 'members', reason: 'small_cell' },
      { row: 0, column: 'paid', reason: 'derived' },
      { row: 4, column: 'members', reason: 'complementary' },
      { row: 4, column: 'paid', reason: 'derived' },
    ]);
    expect(rows[0]!.members).toBe(4);
  });

  it('needs no complementary cell when several are already hidden, and hides fractional small counts', () => {
    const r = suppressRows(
      [
        { k: 'a', n: 2.5 },
        { k: 'b', n: 7 },
        { k: 'c', n: 10.9 },
        { k: 'd', n: 30 },
      ],
      { countColumns: ['n'] },
      10,
    );
    expect(r.rows.map((x) => x.n)).toEqual([null, null, null, 30]);
    expect(r.cells.map((c) => c.reason)).toEqual(['small_cell', 'small_cell', 'small_cell']);
  });

  it('complements inside each group, then across the table', () => {
    const rows = [
      { payer: 'X', plan: 'x1', n: 3 },
      { payer: 'X', plan: 'x2', n: 50 },
      { payer: 'X', plan: 'x3', n: 70 },
      { payer: 'Y', plan: 'y1', n: 20 },
      { payer: 'Y', plan: 'y2', n: 25 },
    ];
    const r = suppressRows(rows, { countColumns: ['n'], groupBy: ['payer'] }, 10);
    // x2 (smallest other in payer X) covers both X's subtotal and the table total: Y is untouched.
    expect(r.rows.map((x) => x.n)).toEqual([null, null, 70, 20, 25]);
  });

  it('hides only the columns derived from the hidden count when told which', () => {
    const r = suppressRows(
      [
        { month: '2024-01', mm: 5, paid: 50, prior_mm: 100, prior_paid: 900 },
        { month: '2024-02', mm: 80, paid: 800, prior_mm: 100, prior_paid: 1000 },
      ],
      { countColumns: ['mm', 'prior_mm'], derived: { mm: ['paid'], prior_mm: ['prior_paid'] } },
      10,
    );
    expect(r.rows).toEqual([
      { month: '2024-01', mm: null, paid: null, prior_mm: 100, prior_paid: 900, suppressed: ['mm', 'paid'] },
      { month: '2024-02', mm: null, paid: null, prior_mm: 100, prior_paid: 1000, suppressed: ['mm', 'paid'] },
    ]);
  });

  it('treats only the declared rows of a metric/value table as counts', () => {
    const r = suppressRows(
      [
        { metric: 'members', value: 6 },
        { metric: 'pmpm', value: 7.5 },
      ],
      { countColumns: ['value'], countCell: (row) => row.metric === 'members', derived: [] },
      10,
    );
    expect(r.rows).toEqual([
      { metric: 'members', value: null, suppressed: ['value'] },
      { metric: 'pmpm', value: 7.5 },
    ]);
  });
});

describe('policy', () => {
  const policy = loadPolicy();

  it('ships the five roles with what each may see', () => {
    expect(Object.keys(policy.roles)).toEqual(['admin', 'analyst', 'care_manager', 'finance', 'executive']);
    const table = Object.keys(policy.roles).map((name) => {
      const r = findRole(policy, name);
      return [name, r.memberLevel, r.identifiers, r.sql, r.export];
    });
    expect(table).toEqual([
      ['admin', true, true, 'any', true],
      ['analyst', true, false, 'allowlist', false],
      ['care_manager', true, true, 'none', false],
      ['finance', false, false, 'none', false],
      ['executive', false, false, 'none', false],
    ]);
    const analyst = findRole(policy, 'analyst');
    expect(mayReadRelation(analyst, 'marts', 'cost_pmpm')).toBe(true);
    expect(mayReadRelation(analyst, 'input', 'eligibility')).toBe(false);
    expect(mayRunDomain(findRole(policy, 'finance'), 'payers')).toBe(true);
    expect(mayRunDomain(findRole(policy, 'care_manager'), 'payers')).toBe(false);
    expect([...deniedColumns(policy, analyst)].sort()).toEqual([
      'address',
      'email',
      'first_name',
      'last_name',
      'member_id',
      'person_id',
      'phone',
      'social_security_number',
      'subscriber_id',
    ]);
    expect(deniedColumns(policy, findRole(policy, 'admin')).size).toBe(0);
  });

  it('refuses a policy that weakens suppression or gives SQL to an aggregate-only role, listing every problem', () => {
    const file = join(dir, 'weak.json');
    const base = loadPolicy();
    writeFileSync(
      file,
      JSON.stringify({
        ...base,
        suppression: { maxSmallCount: 5 },
        roles: { ...base.roles, executive: { ...base.roles.executive, sql: 'allowlist' } },
      }),
    );
    expect(() => loadPolicy(file)).toThrow(
      /invalid policy: suppression\.maxSmallCount: .*; roles\.executive: sql "allowlist" returns rows as stored/,
    );
  });
});
