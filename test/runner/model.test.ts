import { describe, expect, it } from 'vitest';
import { ClaimlensError } from '../../src/errors.ts';
import { loadModels, type ModelSource, parseModel } from '../../src/runner/model.ts';
import { blankCommentsAndStrings, findModelReferences } from '../../src/runner/sqltext.ts';
import { writeModels } from './helpers.ts';

const source: ModelSource = {
  layer: 'marts',
  name: 'm',
  path: 'x/marts/m.sql',
  file: 'marts/m.sql',
  relPath: 'marts/m.sql',
};

function errorOf(work: () => unknown): ClaimlensError {
  try {
    work();
  } catch (err) {
    if (err instanceof ClaimlensError) return err;
    throw err;
  }
  throw new Error('expected a ClaimlensError');
}

describe('model header', () => {
  it('reads description, grain, materialization, docs, tests and a continued line', () => {
    const m = parseModel(
      [
        '-- description: One row per claim',
        '--    with its paid total',
        '-- grain: claim_id, payer',
        '-- materialized: view',
        '-- columns: from input.payer except payer_id, data_source',
        '-- column claim_id: Claim identifier',
        '-- test not_null: claim_id, payer',
        "-- test accepted_values: status in (paid, 'denied')",
        '-- test expression: paid >= 0',
        '',
        '-- free comment: not part of the header',
        'SELECT 1 AS claim_id;',
        '',
      ].join('\n'),
      source,
    );
    expect(m.id).toBe('marts.m');
    expect(m.description).toBe('One row per claim with its paid total');
    expect(m.grain).toEqual(['claim_id', 'payer']);
    expect(m.grainLine).toBe(3);
    expect(m.materialized).toBe('view');
    expect(m.inherits).toEqual([
      { schema: 'input', table: 'payer', except: ['payer_id', 'data_source'], line: 5 },
    ]);
    expect(m.columns).toEqual([{ name: 'claim_id', description: 'Claim identifier', line: 6 }]);
    expect(m.tests).toEqual([
      { kind: 'not_null', columns: ['claim_id', 'payer'], line: 7 },
      { kind: 'accepted_values', column: 'status', values: ['paid', 'denied'], line: 8 },
      { kind: 'expression', expression: 'paid >= 0', line: 9 },
    ]);
    expect(m.sql).not.toContain(';');
  });

  it('spells a single-row grain (one row) and defaults to a table', () => {
    const m = parseModel('-- description: Totals\n-- grain: (one row)\nSELECT 1 AS n', source);
    expect(m.grain).toEqual([]);
    expect(m.materialized).toBe('table');
  });

  it('reports every header problem with its line', () => {
    const err = errorOf(() =>
      parseModel(
        [
          '-- grain: a b',
          '-- materialised: table',
          '-- materialized: tabel',
          '-- This line is prose in the header',
          '-- test unique_combo: a',
          '-- columns: from input.nope',
          'SELECT 1 AS a; SELECT 2',
        ].join('\n'),
        source,
      ),
    );
    expect(err.code).toBe('model');
    expect(err.location).toEqual({ file: 'marts/m.sql', line: 1 });
    const msg = err.message;
    expect(msg).toContain('marts/m.sql:1: grain must be column names');
    expect(msg).toContain('marts/m.sql:2: unknown header key "materialised"');
    expect(msg).toContain('marts/m.sql:3: materialized must be table or view, not "tabel"');
    expect(msg).toContain('marts/m.sql:4: not a model header line');
    expect(msg).toContain('marts/m.sql:5: unknown test "unique_combo"');
    expect(msg).toContain('marts/m.sql:6: no input table nope');
    expect(msg).toContain('marts/m.sql:7: a model is one SELECT statement');
    expect(msg).toContain('marts/m.sql:1: missing `-- description: ...`');
    expect(msg).toContain('8 problems');
  });

  it('requires a grain', () => {
    const err = errorOf(() => parseModel('-- description: x\nSELECT 1', source));
    expect(err.message).toContain('missing `-- grain: col1, col2` (or `-- grain: (one row)`)');
    expect(err.location?.line).toBe(1);
  });

  it('documents a column at most once', () => {
    const err = errorOf(() =>
      parseModel('-- description: x\n-- grain: a\n-- column a: one\n-- column a: two\nSELECT 1 AS a', source),
    );
    expect(err.describe()).toBe('marts/m.sql:4: column a is documented twice');
  });
});

describe('references', () => {
  it('finds layer-qualified names outside comments and strings, with lines', () => {
    const sql = [
      "SELECT s.x, 'marts.not_a_ref' AS t -- intermediate.not_either",
      'FROM staging.medical_claim s',
      '/* marts.hidden */ JOIN Intermediate.Stay i ON i.id = s.id',
      'JOIN input.payer p ON true, codes.carc c, "marts".quoted q',
    ].join('\n');
    expect(findModelReferences(blankCommentsAndStrings(sql))).toEqual([
      { target: 'staging.medical_claim', line: 2 },
      { target: 'intermediate.stay', line: 3 },
    ]);
  });

  it('keeps offsets when blanking', () => {
    const sql = "SELECT 'it''s' -- x\n/* a\nb */ 1";
    const blanked = blankCommentsAndStrings(sql);
    expect(blanked.length).toBe(sql.length);
    expect(blanked).toBe(`SELECT${' '.repeat(13)}\n    \n     1`);
  });
});

describe('loadModels', () => {
  it('reads layered folders with domain subfolders, and keeps paths', () => {
    const dir = writeModels({
      'staging/a.sql': '-- description: A\n-- grain: id\nSELECT 1 AS id',
      'marts/cost/b.sql': '-- description: B\n-- grain: id\nSELECT id FROM staging.a',
      'README.md': 'not a model',
    });
    const models = loadModels(dir);
    expect(models.map((m) => [m.id, m.relPath])).toEqual([
      ['marts.b', 'marts/cost/b.sql'],
      ['staging.a', 'staging/a.sql'],
    ]);
    expect(models[0]!.references).toEqual([{ target: 'staging.a', line: 3 }]);
  });

  it('rejects a basename used twice in a layer, files outside layers, and bad headers, together', () => {
    const dir = writeModels({
      'marts/cost/x.sql': '-- description: X\n-- grain: id\nSELECT 1 AS id',
      'marts/denials/x.sql': '-- description: X again\n-- grain: id\nSELECT 1 AS id',
      'mart/y.sql': '-- description: Y\n-- grain: id\nSELECT 1 AS id',
      'staging/z.sql': '-- grain: id\nSELECT 1 AS id',
    });
    const err = errorOf(() => loadModels(dir));
    expect(err.message).toContain('3 problems');
    expect(err.message).toMatch(/mart\/y\.sql:1: model files live under staging\/, intermediate\/, marts\//);
    expect(err.message).toMatch(
      /marts\/denials\/x\.sql:1: marts\.x is also defined by .*marts\/cost\/x\.sql/,
    );
    expect(err.message).toMatch(/staging\/z\.sql:1: missing `-- description/);
  });

  it('names a missing models directory', () => {
    expect(() => loadModels('/nonexistent/models')).toThrow('no models directory at /nonexistent/models');
  });
});
