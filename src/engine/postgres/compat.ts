// The compatibility schema: the handful of DuckDB functions and semantics the models use that
// PostgreSQL lacks, created as plain SQL functions in schema `claimlens_compat`, which every
// claimlens connection puts first on its search_path. Why functions rather than per-engine model
// text: the models stay one set of files analysts can read, and each difference is written once,
// here, next to its reason (docs/sql-portability.md lists them).
//
// The scalar functions are single-expression SQL functions and deliberately not STRICT: PostgreSQL
// inlines such functions into the query (a STRICT one only when it can prove the body strict), and
// a function that is not inlined costs tens of microseconds per call, seconds over a mart.

export const COMPAT_SCHEMA = 'claimlens_compat';

/** Bump when the statements change, so an existing server gets the new definitions. */
export const COMPAT_VERSION = 5;

/** Value and key types for which arg_min/arg_max exist (PostgreSQL has no polymorphic two-type state). */
const ARG_VALUE_TYPES = ['text', 'date', 'integer', 'bigint', 'numeric', 'double precision', 'boolean'];
const ARG_KEY_TYPES = ['integer', 'bigint', 'numeric', 'double precision', 'date', 'text', 'timestamp'];

function slug(type: string): string {
  return type.replace(/ /g, '_');
}

function argAggregates(): string[] {
  const out: string[] = [];
  for (const v of ARG_VALUE_TYPES) {
    for (const k of ARG_KEY_TYPES) {
      const pair = `${COMPAT_SCHEMA}.argpair_${slug(v)}_${slug(k)}`;
      out.push(`CREATE TYPE ${pair} AS (v ${v}, k ${k})`);
      for (const [name, cmp] of [
        ['arg_min', '<'],
        ['arg_max', '>'],
      ] as const) {
        const step = `${COMPAT_SCHEMA}.${name}_step_${slug(v)}_${slug(k)}`;
        // DuckDB's arg_min/arg_max skip rows whose value or key is NULL; the first row wins a tie.
        out.push(`CREATE FUNCTION ${step}(s ${pair}, v ${v}, k ${k}) RETURNS ${pair}
          LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
          SELECT CASE WHEN v IS NULL OR k IS NULL THEN s
                      WHEN s IS NULL OR k ${cmp} (s).k THEN ROW(v, k)::${pair}
                      ELSE s END $$`);
        out.push(`CREATE FUNCTION ${step}_final(s ${pair}) RETURNS ${v}
          LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT (s).v $$`);
        out.push(`CREATE AGGREGATE ${COMPAT_SCHEMA}.${name}(${v}, ${k}) (
          SFUNC = ${step}, STYPE = ${pair}, FINALFUNC = ${step}_final)`);
      }
    }
  }
  return out;
}

/** Statements that (re)create the compatibility schema; run once per server by `ensureCompat`. */
export function compatStatements(): string[] {
  const s = COMPAT_SCHEMA;
  const intTypes = ['smallint', 'integer', 'bigint'];
  const division: string[] = [];
  for (const a of intTypes) {
    for (const b of intTypes) {
      const fn = `${s}.divide_${a}_${b}`;
      // DuckDB's `/` on integers is floating-point division (`//` is integer division); the models
      // are written for that, so PostgreSQL gets the same operator ahead of pg_catalog's.
      division.push(`CREATE FUNCTION ${fn}(a ${a}, b ${b}) RETURNS double precision
        LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT a::double precision / b $$`);
      division.push(`CREATE OPERATOR ${s}./ (LEFTARG = ${a}, RIGHTARG = ${b}, FUNCTION = ${fn})`);
    }
  }
  return [
    `DROP SCHEMA IF EXISTS ${s} CASCADE`,
    `CREATE SCHEMA ${s}`,
    `CREATE TABLE ${s}.version (version integer NOT NULL)`,
    `INSERT INTO ${s}.version VALUES (${COMPAT_VERSION})`,
    ...division,
    // round(double, n): PostgreSQL rounds only numeric to n digits, and going through numeric
    // rounds 1078.00499999... (a double) up. DuckDB scales in double arithmetic and rounds half away
    // from zero (C++ std::round); this does the same, so money computed in doubles agrees to the cent.
    `CREATE FUNCTION ${s}.round_half_away(v double precision) RETURNS double precision
      LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
      SELECT trunc(v) + CASE WHEN abs(v - trunc(v)) >= 0.5 THEN sign(v) ELSE 0 END $$`,
    `CREATE FUNCTION ${s}.round(x double precision, n integer) RETURNS double precision
      LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
      SELECT CASE WHEN n >= 0
        THEN ${s}.round_half_away(x * power(10::double precision, n)) / power(10::double precision, n)
        ELSE ${s}.round_half_away(x / power(10::double precision, -n)) * power(10::double precision, -n)
      END $$`,
    // year(d): DuckDB's date part function, BIGINT like DuckDB's.
    `CREATE FUNCTION ${s}.year(d date) RETURNS bigint
      LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT extract(year FROM d)::bigint $$`,
    `CREATE FUNCTION ${s}.year(d timestamp) RETURNS bigint
      LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT extract(year FROM d)::bigint $$`,
    `CREATE FUNCTION ${s}.month(d date) RETURNS bigint
      LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT extract(month FROM d)::bigint $$`,
    // make_date with a BIGINT year (DuckDB's year() is BIGINT, so model years are too).
    `CREATE FUNCTION ${s}.make_date(y bigint, m integer, d integer) RETURNS date
      LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT make_date(y::integer, m, d) $$`,
    // date_diff(part, a, b): whole part boundaries crossed from a to b; the models use 'day'.
    `CREATE FUNCTION ${s}.date_diff(part text, a date, b date) RETURNS bigint
      LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
      SELECT CASE lower(part)
        WHEN 'day' THEN (b - a)::bigint
        WHEN 'month' THEN ((extract(year FROM b) - extract(year FROM a)) * 12 + extract(month FROM b) - extract(month FROM a))::bigint
        WHEN 'year' THEN (extract(year FROM b) - extract(year FROM a))::bigint
      END $$`,
    // strftime(d, format) for %Y %m %d %H %M %S: each placeholder is replaced by its value, so the
    // rest of the format stays literal (to_char would read letters such as T or Z as patterns).
    `CREATE FUNCTION ${s}.strftime(d timestamp, format text) RETURNS text
      LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
      SELECT replace(replace(replace(replace(replace(replace(format,
        '%Y', to_char(d, 'YYYY')), '%m', to_char(d, 'MM')), '%d', to_char(d, 'DD')),
        '%H', to_char(d, 'HH24')), '%M', to_char(d, 'MI')), '%S', to_char(d, 'SS')) $$`,
    `CREATE FUNCTION ${s}.strftime(d date, format text) RETURNS text
      LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT ${s}.strftime(d::timestamp, format) $$`,
    ...argAggregates(),
  ];
}
