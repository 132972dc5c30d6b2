// The models stay in the portable SQL subset (docs/sql-portability.md): every shipped model is
// scanned, and the checker flags each kind of construct that one engine lacks.
import { describe, expect, it } from 'vitest';
import { DEFAULT_MODELS_DIR, loadModels } from '../../src/runner/index.ts';
import { checkPortability, formatFinding } from '../../src/runner/portability.ts';

const model = (sql: string) => ({ id: 'marts.m', file: 'models/marts/m.sql', sql });

describe('portable SQL subset', () => {
  it('every shipped model is inside it', () => {
    const models = loadModels(DEFAULT_MODELS_DIR);
    expect(models.length).toBeGreaterThan(60);
    const findings = models.flatMap((m) => checkPortability(m)).map(formatFinding);
    expect(findings).toEqual([]);
  });

  it.each([
    ['qualify', 'SELECT a FROM t QUALIFY row_number() OVER (ORDER BY a) = 1'],
    ['group-by-all', 'SELECT a, count(*) FROM t GROUP BY ALL'],
    ['star-modifier', 'SELECT * EXCLUDE (a) FROM t'],
    ['star-modifier', 'SELECT * REPLACE (a + 1 AS a) FROM t'],
    ['columns-expression', "SELECT COLUMNS('^x_') FROM t"],
    ['pivot', 'UNPIVOT t ON a, b INTO NAME k VALUE v'],
    ['asof-join', 'SELECT * FROM a ASOF LEFT JOIN b ON a.k = b.k AND b.d > a.d'],
    ['cast-operator', 'SELECT a::INTEGER FROM t'],
    ['unquoted-interval', 'SELECT d - INTERVAL 1 YEAR FROM t'],
    ['struct-literal', "SELECT arg_min(a, {'d': d}) FROM t"],
    ['list-literal', 'SELECT [1, 2] AS l'],
    ['double-type', 'SELECT CAST(a AS DOUBLE) FROM t'],
    ['count-if', 'SELECT count_if(a > 1) FROM t'],
    ['median', 'SELECT median(a) FROM t'],
    ['quantile', 'SELECT quantile_cont(a, 0.9) FROM t'],
    ['mode-argument', 'SELECT mode(a) FROM t'],
    ['unnest', 'SELECT unnest(generate_series(1, 3))'],
    ['regexp-function', "SELECT regexp_matches(a, 'x') FROM t"],
    ['ifnull', 'SELECT ifnull(a, 0) FROM t'],
    ['first-last', 'SELECT first(a) FROM t'],
    ['today', 'SELECT current_date'],
    ['integer-division-operator', 'SELECT a // 2 FROM t'],
  ])('flags %s', (rule, sql) => {
    const findings = checkPortability(model(`-- description: x\n-- grain: a\n${sql}`));
    expect(findings.map((f) => f.rule)).toContain(rule);
    const f = findings.find((x) => x.rule === rule)!;
    expect(f.line).toBe(3);
    expect(formatFinding(f)).toMatch(
      /^models\/marts\/m\.sql:3: .* outside the portable SQL subset; write .*docs\/sql-portability\.md/,
    );
  });

  it('accepts what the subset allows, and ignores comments and strings', () => {
    const sql = `-- QUALIFY in a comment, DOUBLE too
SELECT
  CAST(a AS DOUBLE PRECISION) AS a,
  percentile_cont(0.5) WITHIN GROUP (ORDER BY b) FILTER (WHERE c) AS m,
  mode() WITHIN GROUP (ORDER BY d) AS d,
  arg_min(e, f) AS e,
  date_diff('day', g, h) AS days,
  'a::b [x] {y}' AS text,
  d - INTERVAL '1 year' AS last_year
FROM t
CROSS JOIN LATERAL (VALUES (t.x), (t.y)) AS u(v)
GROUP BY 1, 2`;
    expect(checkPortability(model(sql))).toEqual([]);
  });
});
