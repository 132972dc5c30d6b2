import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { literal, Warehouse } from '../../src/engine/duckdb.ts';
import type { ColumnSpec, TableSpec } from '../../src/input/spec.ts';
import { cleanText, passesAll, ruleChecks, typedValue } from '../../src/input/validate.ts';

let wh: Warehouse;
beforeAll(async () => {
  wh = await Warehouse.open(':memory:', { threads: 1 });
});
afterAll(async () => {
  await wh.close();
});

/** The typed value of each text, as the loader converts it. */
async function typed(type: ColumnSpec['type'], texts: string[]): Promise<unknown[]> {
  const col: ColumnSpec = { name: 'x', type, description: 'test column' };
  const rows = await wh.all<{ t: unknown }>(
    `SELECT ${typedValue(col, 'v')} AS t FROM (SELECT unnest([${texts.map(literal).join(', ')}]) AS v, generate_subscripts([${texts.map(literal).join(', ')}], 1) AS i) ORDER BY i`,
  );
  return rows.map((r) => r.t);
}

describe('typedValue', () => {
  it('reads integers, refusing fractions and exotic forms', async () => {
    expect(
      await typed('integer', ['3', '+3', '-12', '3.0', '1.5', '1e3', '0x10', 'x', '99999999999']),
    ).toEqual([3, 3, -12, 3, null, null, null, null, null]);
  });

  it('reads dates as YYYY-MM-DD or YYYYMMDD only, real calendar dates', async () => {
    expect(
      await typed('date', [
        '2023-02-01',
        '20230201',
        '2023/02/01',
        '2023-2-1',
        '2023-02-30',
        '20230230',
        '2023-02-01 10:00',
        '02-01-2023',
        '2023-0201-',
        '2023-2-01x',
      ]),
    ).toEqual(['2023-02-01', '2023-02-01', null, null, null, null, null, null, null, null]);
  });

  it('reads money rounded to cents, numbers without NaN or infinity, booleans in the usual spellings', async () => {
    expect(await typed('money', ['12.345', '-0.5', '1200', '$5', '1,000.00'])).toEqual([
      12.35,
      -0.5,
      1200,
      null,
      null,
    ]);
    expect(await typed('number', ['2.5', '1e2', 'NaN', 'inf', 'x'])).toEqual([2.5, 100, null, null, null]);
    expect(await typed('boolean', ['true', 'F', 'yes', 'N', '1', '0', 'maybe'])).toEqual([
      true,
      false,
      true,
      false,
      true,
      false,
      null,
    ]);
  });
});

describe('ruleChecks', () => {
  const spec: TableSpec = {
    name: 't',
    description: 'test table',
    grain: ['id'],
    requiredFile: false,
    columns: [
      { name: 'id', type: 'string', required: true, description: 'identifier' },
      { name: 'kind', type: 'string', allowed: ['a', 'b'], description: 'kind of row' },
      {
        name: 'code',
        type: 'string',
        pattern: '^[0-9]{2}$|^X$',
        patternText: '2 digits or X',
        description: 'a code',
      },
      { name: 'n', type: 'integer', min: 1, max: 20, description: 'a count' },
    ],
  };
  // id, kind, code, n
  const cases: (string | null)[][] = [
    ['r1', 'a', '12', '5'],
    ['r2', null, 'X', null],
    ['  ', 'c', '123', '0'],
    ['r4', 'b', 'x', 'abc'],
    ['r5', 'A', null, '21'],
  ];

  it('lists exactly the broken rules, and the one-expression pass agrees with them row by row', async () => {
    const values = cases
      .map((r, i) => `(${i}, ${r.map((v) => (v === null ? 'NULL' : literal(v))).join(', ')})`)
      .join(', ');
    const v = (c: ColumnSpec) => `v_${c.name}`;
    const checks = ruleChecks(spec, v);
    const rows = await wh.all<{ i: number; broken: string[]; passes: boolean }>(
      `SELECT i, list_filter([${checks.map((c) => `CASE WHEN ${c.broken} THEN ${literal(`${c.rule}:${c.column}`)} END`).join(', ')}], x -> x IS NOT NULL) AS broken,
              ${passesAll(checks)} AS passes
       FROM (SELECT i, ${spec.columns.map((c) => `${cleanText(`c_${c.name}`)} AS ${v(c)}`).join(', ')}
             FROM (VALUES ${values}) AS t(i, ${spec.columns.map((c) => `c_${c.name}`).join(', ')})) ORDER BY i`,
    );
    expect(rows).toEqual([
      { i: 0, broken: [], passes: true },
      { i: 1, broken: [], passes: true },
      { i: 2, broken: ['required:id', 'allowed:kind', 'pattern:code', 'range:n'], passes: false },
      { i: 3, broken: ['pattern:code', 'type:n'], passes: false },
      { i: 4, broken: ['allowed:kind', 'range:n'], passes: false },
    ]);
  });
});
