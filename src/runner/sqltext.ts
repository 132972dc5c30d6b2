// Lexical helpers over model SQL: blank out comments and string literals (keeping every offset and
// line) so references and statement separators can be found with plain regular expressions.

/**
 * Returns `sql` with comments and string literals replaced by spaces; newlines are kept, so offsets
 * and line numbers in the result are those of the original text. Quoted identifiers are kept as
 * they are but skipped, so a `--` inside `"..."` is not taken for a comment.
 *
 * @example blankCommentsAndStrings("SELECT 'a--b' -- note") === "SELECT              "
 */
export function blankCommentsAndStrings(sql: string): string {
  const out: string[] = [];
  const blank = (s: string) => s.replace(/[^\n]/g, ' ');
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    const next = sql[i + 1];
    let end: number;
    if (c === '-' && next === '-') {
      end = sql.indexOf('\n', i);
      if (end < 0) end = sql.length;
      out.push(blank(sql.slice(i, end)));
    } else if (c === '/' && next === '*') {
      end = sql.indexOf('*/', i + 2);
      end = end < 0 ? sql.length : end + 2;
      out.push(blank(sql.slice(i, end)));
    } else if (c === "'" || c === '"') {
      end = closingQuote(sql, i, c);
      const token = sql.slice(i, end);
      out.push(c === "'" ? blank(token) : token);
    } else {
      end = i + 1;
      out.push(c);
    }
    i = end;
  }
  return out.join('');
}

/** Index just past the quote closing the literal opened at `start` (a doubled quote escapes it). */
function closingQuote(sql: string, start: number, quote: string): number {
  let i = start + 1;
  while (i < sql.length) {
    if (sql[i] === quote) {
      if (sql[i + 1] === quote) {
        i += 2;
        continue;
      }
      return i + 1;
    }
    i++;
  }
  return sql.length;
}

/** 1-based line of an offset. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text[i] === '\n') line++;
  return line;
}

export const MODEL_LAYERS = ['staging', 'intermediate', 'marts'] as const;
export type Layer = (typeof MODEL_LAYERS)[number];

export interface Reference {
  /** `layer.name`, lower-cased. */
  target: string;
  line: number;
}

/**
 * Schema-qualified references to models (`staging.x`, `intermediate.x`, `marts.x`) in SQL whose
 * comments and strings were blanked. A layer name used as a table alias would be read as a
 * reference, which is why docs/models.md asks authors not to alias tables that way.
 */
export function findModelReferences(blanked: string): Reference[] {
  const re = /(?<![\w."])(staging|intermediate|marts)\s*\.\s*([A-Za-z_][A-Za-z0-9_]*)/gi;
  const refs: Reference[] = [];
  for (const m of blanked.matchAll(re)) {
    refs.push({ target: `${m[1]!.toLowerCase()}.${m[2]!.toLowerCase()}`, line: lineAt(blanked, m.index) });
  }
  return refs;
}

/**
 * Splits off a final `;` and finds any other statement separator, so a model or a `claimlens sql`
 * query is exactly one statement. Returns the text without its final semicolon and the offsets of
 * separators found before it.
 */
export function singleStatement(sql: string): { body: string; extraSeparators: number[] } {
  const blanked = blankCommentsAndStrings(sql);
  let last = blanked.length - 1;
  while (last >= 0 && /\s/.test(blanked[last]!)) last--;
  let body = sql;
  let scan = blanked;
  if (last >= 0 && blanked[last] === ';') {
    body = `${sql.slice(0, last)} ${sql.slice(last + 1)}`;
    scan = blanked.slice(0, last);
  }
  const extraSeparators: number[] = [];
  for (let i = 0; i < scan.length; i++) if (scan[i] === ';') extraSeparators.push(i);
  return { body, extraSeparators };
}
