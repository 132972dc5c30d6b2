// Models run in passes over partitions of their keys. A model marks the rows it reads with
// `claimlens_partition(<key>)` in its WHERE clauses; on a large book the runner runs it once per
// partition (`hash(key) % passes = pass`), the first pass creating the table and the others
// inserting into it, so each pass holds a fraction of the model's hash tables in memory. Elsewhere
// (small books, PostgreSQL, views) the calls read TRUE and the model runs whole. docs/models.md.
import { blankCommentsAndStrings, lineAt } from './sqltext.ts';

/** A `claimlens_partition(<key>)` call in a model's SQL. */
export interface PartitionCall {
  /** Offset of the call in the model's SQL. */
  offset: number;
  /** Length of the call's text, `claimlens_partition(` to its `)`. */
  length: number;
  /** The key expression, as written (a column, qualified or not). */
  key: string;
  /** Line of the call in the model file. */
  line: number;
}

const CALL = /\bclaimlens_partition\b(\s*\([^()]*\))?/gi;

/**
 * The partition calls of `sql`, comments and strings ignored (`blanked`: `sql` with them blanked, when
 * the caller has it). A call whose key is not a plain
 * expression without parentheses (or a bare `claimlens_partition`) comes back with an empty key,
 * which the model reader reports.
 */
export function findPartitionCalls(sql: string, blanked = blankCommentsAndStrings(sql)): PartitionCall[] {
  return [...blanked.matchAll(CALL)].map((m) => ({
    offset: m.index,
    length: m[0].length,
    key: m[1] ? sql.slice(m.index + m[0].indexOf('(') + 1, m.index + m[0].length - 1).trim() : '',
    line: lineAt(blanked, m.index),
  }));
}

/**
 * `sql` with each call replaced for pass `pass` of `passes`: `(hash(key) % passes = pass)` in DuckDB
 * (its `hash` is the same in every session and run, so every row falls in one pass), TRUE when the
 * model runs whole. Newlines stay where they were, so engine error lines still map to the file.
 */
export function partitionPass(
  sql: string,
  calls: readonly PartitionCall[],
  passes: number,
  pass: number,
): string {
  let out = '';
  let at = 0;
  for (const call of calls) {
    const text = sql.slice(call.offset, call.offset + call.length);
    const newlines = '\n'.repeat(text.split('\n').length - 1);
    out += sql.slice(at, call.offset);
    out += passes > 1 ? `(hash(${call.key}) % ${passes} = ${pass}${newlines})` : `TRUE${newlines}`;
    at = call.offset + call.length;
  }
  return out + sql.slice(at);
}
