// Applies a role to a KPI result: identifier columns removed unless the role sees identifiers,
// member-level sections withheld and small cells suppressed unless it sees member-level rows.
import type { Row } from '../engine/duckdb.ts';
import type { KpiResult, KpiSection } from '../services/kpi.ts';
import { headlineCountsFor, rulesFor } from './kpi-rules.ts';
import { deniedColumns, identifierColumnNames, type Policy, type Role } from './policy.ts';
import { COUNT_NAME, isSmall, type SuppressionReason, suppressRows } from './suppress.ts';

export interface GovernanceSummary {
  role: string;
  /** Columns removed from the output because the role may not see them. */
  removedColumns: string[];
  /** Titles of sections withheld (member-level rows for an aggregate-only role). */
  withheldSections: string[];
  /** Every suppressed cell: section index (-1 for the headline), row, column and why. */
  suppressed: { section: number; row: number; column: string; reason: SuppressionReason }[];
  /** Whether any identifier column is in the output. */
  identifiersReturned: boolean;
  /** Rows returned, all sections together. */
  rows: number;
  /** Largest count suppressed (10: counts 1-10 hidden). */
  maxSmallCount: number;
}

export interface GovernedKpiResult extends KpiResult {
  governance: GovernanceSummary;
}

/**
 * The result as `role` may see it. Member-level sections are recognized by their declaration or,
 * failing that, by an identifier column in their rows (fail closed).
 */
export function governKpiResult(result: KpiResult, role: Role, policy: Policy): GovernedKpiResult {
  const denied = deniedColumns(policy, role);
  const idNames = identifierColumnNames(policy);
  const max = policy.suppression.maxSmallCount;
  const removed = new Set<string>();
  const withheld: string[] = [];
  const suppressed: GovernanceSummary['suppressed'] = [];
  const sections: KpiSection[] = [];
  for (const section of result.sections) {
    const rules = rulesFor(result.domain, section);
    const keys = new Set(section.rows.flatMap((r) => Object.keys(r)));
    const memberLevel = rules?.memberLevel ?? [...keys].some((k) => idNames.has(k));
    if (memberLevel && !role.memberLevel) {
      withheld.push(section.title);
      continue;
    }
    const visible = (c: string) => {
      if (denied.has(c)) {
        removed.add(c);
        return false;
      }
      return true;
    };
    let columns = section.columns?.filter(visible);
    let rows: Row[] = section.rows.map((r) => {
      const shown = !role.memberLevel && section.columns ? section.columns : Object.keys(r);
      return Object.fromEntries(shown.filter(visible).map((k) => [k, r[k] ?? null]));
    });
    if (!role.memberLevel) {
      const declared = rules?.countColumns ?? [];
      const swept = [...keys].filter((k) => COUNT_NAME.test(k) && !declared.includes(k));
      const done = suppressRows(rows, { ...(rules ?? {}), countColumns: [...declared, ...swept] }, max);
      rows = done.rows;
      const index = sections.length;
      for (const c of done.cells) suppressed.push({ section: index, ...c });
      if (columns && done.cells.length > 0) columns = columns.filter((c) => c !== 'suppressed');
    }
    sections.push({ ...section, columns, rows });
  }
  const headline: KpiResult['headline'] = {};
  for (const [k, v] of Object.entries(result.headline)) if (visible(k)) headline[k] = v;
  function visible(k: string): boolean {
    if (denied.has(k)) {
      removed.add(k);
      return false;
    }
    return true;
  }
  if (!role.memberLevel) {
    const counts = new Set([
      ...(headlineCountsFor(result) ?? []),
      ...Object.keys(headline).filter((k) => COUNT_NAME.test(k)),
    ]);
    const small = Object.keys(headline).filter((k) => counts.has(k) && isSmall(headline[k], max));
    if (small.length > 0) {
      // A headline is one row of totals: with a small count every figure computed from it goes too.
      for (const k of Object.keys(headline)) {
        if (small.includes(k)) {
          suppressed.push({ section: -1, row: 0, column: k, reason: 'small_cell' });
          headline[k] = null;
        } else if (typeof headline[k] === 'number') {
          suppressed.push({ section: -1, row: 0, column: k, reason: 'derived' });
          headline[k] = null;
        }
      }
    }
  }
  const notes = [...result.notes];
  if (suppressed.length > 0) {
    notes.push(
      `Small-cell suppression (role ${role.name}): counts from 1 to ${max} are hidden (<${max + 1}), and so are the cells that would let them be recomputed (suppressed); CMS cell size suppression policy.`,
    );
  }
  for (const t of withheld) notes.push(`Withheld for role ${role.name}: "${t}" lists individual members.`);
  const outKeys = new Set([
    ...Object.keys(headline),
    ...sections.flatMap((s) => s.rows.flatMap((r) => Object.keys(r))),
  ]);
  return {
    ...result,
    headline,
    sections,
    notes,
    governance: {
      role: role.name,
      removedColumns: [...removed].sort(),
      withheldSections: withheld,
      suppressed,
      identifiersReturned: [...outKeys].some((k) => idNames.has(k)),
      rows: sections.reduce((a, s) => a + s.rows.length, 0),
      maxSmallCount: max,
    },
  };
}

/** Display rows of a governed section: suppressed cells as `<11` (small count) or `suppressed`. */
export function displayRows(result: GovernedKpiResult, sectionIndex: number): Row[] {
  const section = result.sections[sectionIndex]!;
  const marks = result.governance.suppressed.filter((s) => s.section === sectionIndex);
  const small = `<${result.governance.maxSmallCount + 1}`;
  return section.rows.map((row, i) => {
    const out: Row = { ...row };
    delete out.suppressed;
    for (const m of marks) if (m.row === i) out[m.column] = m.reason === 'small_cell' ? small : 'suppressed';
    return out;
  });
}

/** Display value of a headline metric. */
export function displayHeadline(result: GovernedKpiResult, metric: string): unknown {
  const m = result.governance.suppressed.find((s) => s.section === -1 && s.column === metric);
  if (!m) return result.headline[metric];
  return m.reason === 'small_cell' ? `<${result.governance.maxSmallCount + 1}` : 'suppressed';
}
