// The member filters beside period and payer that every KPI domain obeys (issue 8): plan and state.
//
// - plan: the health plan as the input names it (eligibility.plan, medical_claim.plan,
//   pharmacy_claim.plan). Claim-level figures keep the claims billed to the plan; member-month
//   figures keep the member months of the plan; member-level figures use the plan the mart documents
//   (the plan of the index prescription, of the latest discharge, ...). Plan names can repeat across
//   payers: a plan filter alone keeps every payer's plan of that name, with payer it keeps one.
// - state: the member's two-letter state of residence on their latest enrollment span
//   (intermediate.rcm_person.state), one state per member for all of their history. Latest span
//   rather than the span in force at each service: every member is in exactly one state, so the
//   states of a book add up to the book in every domain (member-level measures such as PDC, cohorts
//   and risk tiers have no single service date to look a span up at), claims outside enrollment keep
//   a state, and the filter is one join on person_id instead of a date-range join per claim line. A
//   member who moved is counted in the new state for earlier months too (the notes say so).
import type { DuckDBValue } from '@duckdb/node-api';
import type { Warehouse } from '../engine/duckdb.ts';
import { UsageError } from '../errors.ts';

export interface MemberFilters {
  plan?: string;
  state?: string;
}

/** How one table carries the filters: the column holding each, or the person column state goes through. */
export interface FilterColumns {
  /** Column (qualified when needed) holding the plan. */
  plan?: string;
  /** Column holding the member's state of residence (intermediate.rcm_person.state). */
  state?: string;
  /** Person column, for tables without a state column: state through intermediate.rcm_person. */
  person?: string;
  /** Claim column, for tables without a plan column: plan through intermediate.payer_claim. */
  claim?: string;
}

/** Binds a value and returns its placeholder (`?` or `$n`, as the caller's SQL numbers them). */
export type Bind = (value: DuckDBValue) => string;

/** A binder for `?` placeholders that appends to `args`. */
export function questionBinder(args: DuckDBValue[]): Bind {
  return (v) => {
    args.push(v);
    return '?';
  };
}

/** A binder for `$n` placeholders that appends to `args` (numbered after what `args` holds). */
export function dollarBinder(args: DuckDBValue[]): Bind {
  return (v) => {
    args.push(v);
    return `$${args.length}`;
  };
}

/**
 * The SQL conditions (to AND together) that keep the rows of a table matching the plan and state
 * filters; none when no filter is set. A filter the table cannot carry is a programming error: every
 * caller names the columns, and domains that cannot apply a filter to a section say so instead.
 */
export function memberConditions(f: MemberFilters, cols: FilterColumns, bind: Bind): string[] {
  const out: string[] = [];
  if (f.plan !== undefined) {
    if (cols.plan) out.push(`${cols.plan} = ${bind(f.plan)}`);
    else if (cols.claim)
      out.push(
        `${cols.claim} IN (SELECT claim_id FROM intermediate.payer_claim WHERE plan = ${bind(f.plan)})`,
      );
    else throw new Error('memberConditions: no plan column named');
  }
  if (f.state !== undefined) {
    if (cols.state) out.push(`${cols.state} = ${bind(f.state)}`);
    else if (cols.person)
      out.push(
        `${cols.person} IN (SELECT person_id FROM intermediate.rcm_person WHERE state = ${bind(f.state)})`,
      );
    else throw new Error('memberConditions: no state column named');
  }
  return out;
}

/** memberConditions as ` AND a AND b` to append to a WHERE clause ('' without filters). */
export function andMember(f: MemberFilters, cols: FilterColumns, bind: Bind): string {
  return memberConditions(f, cols, bind)
    .map((c) => ` AND ${c}`)
    .join('');
}

export function hasMemberFilter(f: MemberFilters): boolean {
  return f.plan !== undefined || f.state !== undefined;
}

/** `plan X, state ST` for notes and titles ('' without filters). */
export function describeMemberFilters(f: MemberFilters): string {
  const parts: string[] = [];
  if (f.plan !== undefined) parts.push(`plan ${f.plan}`);
  if (f.state !== undefined) parts.push(`state ${f.state}`);
  return parts.join(', ');
}

/** The note every filtered result carries: what plan and state mean. */
export function memberFilterNote(f: MemberFilters): string | undefined {
  if (!hasMemberFilter(f)) return undefined;
  const parts: string[] = [];
  if (f.plan !== undefined)
    parts.push(
      `plan ${f.plan}: claims billed to the plan, member months enrolled in it, member-level measures by the plan their mart names`,
    );
  if (f.state !== undefined)
    parts.push(
      `state ${f.state}: members whose latest enrollment span gives that state of residence (all of their history counts there)`,
    );
  return `Filtered to ${parts.join('; ')}.`;
}

/**
 * Title suffix and note of a section a filter cannot narrow (its source has no plan or member), so
 * it is never silently unfiltered: the section title says it and the result notes why.
 */
export function notFiltered(f: MemberFilters, which: readonly ('plan' | 'state')[], why: string) {
  const applied = which.filter((k) => f[k] !== undefined);
  if (applied.length === 0) return undefined;
  const names = applied.join(' and ');
  return {
    suffix: ` (not filtered by ${names})`,
    note: `Not filtered by ${names}: ${why}`,
  };
}

/** The plans in the warehouse (eligibility and claims), sorted. */
export async function knownPlans(wh: Warehouse): Promise<string[]> {
  const hasPharmacy = await wh.tableExists('input', 'pharmacy_claim');
  const rows = await wh.all<{ plan: string }>(
    `SELECT plan FROM (
       SELECT DISTINCT plan FROM input.eligibility
       UNION SELECT DISTINCT plan FROM input.medical_claim
       ${hasPharmacy ? 'UNION SELECT DISTINCT plan FROM input.pharmacy_claim' : ''}
     ) AS p WHERE plan IS NOT NULL ORDER BY 1`,
  );
  return rows.map((r) => r.plan);
}

/** The states of residence members have on their latest enrollment span, sorted. */
export async function knownStates(wh: Warehouse): Promise<string[]> {
  if (!(await wh.tableExists('intermediate', 'rcm_person'))) return [];
  const rows = await wh.all<{ state: string }>(
    'SELECT DISTINCT state FROM intermediate.rcm_person WHERE state IS NOT NULL ORDER BY 1',
  );
  return rows.map((r) => r.state);
}

/** Refuses a plan filter naming no plan in the warehouse, listing the known ones. */
export async function assertKnownPlan(wh: Warehouse, plan: string | undefined): Promise<void> {
  if (plan === undefined) return;
  const known = await knownPlans(wh);
  if (!known.includes(plan)) {
    throw new UsageError(`unknown plan '${plan}': known plans are ${known.join(', ') || '(none loaded)'}`);
  }
}

/** Refuses a state filter naming no member state of residence, listing the known ones. */
export async function assertKnownState(wh: Warehouse, state: string | undefined): Promise<void> {
  if (state === undefined) return;
  const known = await knownStates(wh);
  if (!known.includes(state)) {
    throw new UsageError(
      `unknown state '${state}': members' states of residence are ${known.join(', ') || '(none: run `claimlens build`)'}`,
    );
  }
}
