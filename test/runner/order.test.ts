import { describe, expect, it } from 'vitest';
import { loadModels } from '../../src/runner/model.ts';
import { orderModels } from '../../src/runner/order.ts';
import { writeModels } from './helpers.ts';

const model = (grain: string, sql: string) => `-- description: test model\n-- grain: ${grain}\n${sql}\n`;

describe('orderModels', () => {
  it('orders a diamond after its dependencies, ties by layer then path', () => {
    // top reads left and right, both read base; a_free reads nothing and waits for the staging layer.
    const dir = writeModels({
      'marts/top.sql': model(
        'id',
        'SELECT l.id FROM intermediate.left_side l JOIN intermediate.right_side r USING (id)',
      ),
      'intermediate/right_side.sql': model('id', 'SELECT id FROM staging.base'),
      'intermediate/left_side.sql': model('id', 'SELECT id FROM staging.base'),
      'staging/base.sql': model('id', 'SELECT 1 AS id'),
      'intermediate/a_free.sql': model('id', 'SELECT 2 AS id'),
    });
    expect(orderModels(loadModels(dir)).map((m) => m.id)).toEqual([
      'staging.base',
      'intermediate.a_free',
      'intermediate.left_side',
      'intermediate.right_side',
      'marts.top',
    ]);
  });

  it('names the cycle', () => {
    const dir = writeModels({
      'marts/a.sql': model('id', 'SELECT id FROM marts.b'),
      'marts/b.sql': model('id', 'SELECT id FROM intermediate.c'),
      'intermediate/c.sql': model('id', 'SELECT id FROM marts.a'),
      'staging/ok.sql': model('id', 'SELECT 1 AS id'),
    });
    expect(() => orderModels(loadModels(dir))).toThrow(
      /models reference each other in a cycle: intermediate\.c -> marts\.a -> marts\.b -> intermediate\.c/,
    );
  });

  it('names the file and line of a reference to an unknown model', () => {
    const dir = writeModels({
      'marts/a.sql': model('id', 'SELECT id\nFROM staging.medical_claims'),
    });
    try {
      orderModels(loadModels(dir));
      expect.unreachable();
    } catch (err) {
      const e = err as { describe(): string; location: { file: string; line: number } };
      expect(e.location.file).toMatch(/marts\/a\.sql$/);
      expect(e.location.line).toBe(4);
      expect(e.describe()).toMatch(/a\.sql:4: unknown model staging\.medical_claims/);
    }
  });
});
