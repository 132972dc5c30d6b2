// Governance of ad-hoc SQL (`claimlens sql`): admin runs free read-only SQL; an allowlist role runs one
// SELECT over its allowed relations inside a sandbox of views without identifier columns; others none.
import { randomBytes } from 'node:crypto';
import { DuckDBWarehouse, ident, isPostgresUrl, literal, Warehouse } from '../engine/duckdb.ts';
import { ClaimlensError } from '../errors.ts';
import { appendAudit } from './audit.ts';
import { AccessDeniedError } from './errors.ts';
import { deniedColumns, identifierColumnNames, mayReadRelation, type Role } from './policy.ts';
import { type Caller, type Governance, roleOf } from './runtime.ts';

export interface RelationRef {
  schema: string;
  table: string;
}

export interface SqlShape {
  relations: RelationRef[];
  /** Names of common table expressions: unqualified references to them are not relations. */
  ctes: string[];
  unqualified: string[];
  catalogQualified: string[];
  tableFunctions: string[];
}

/**
 * Parses one statement with DuckDB's own parser (json_serialize_sql) and lists what it reads. Only a
 * SELECT serializes; anything else is reported as not a query, so it is refused.
 */
export async function sqlShape(sql: string): Promise<SqlShape | undefined> {
  const wh = await Warehouse.open(':memory:', { threads: 1 });
  try {
    // The parser wants a constant: the text goes in as a quoted literal, parsed, never executed.
    const row = await wh.one<{ j: string }>(`SELECT json_serialize_sql(${literal(sql)}) AS j`);
    const tree = JSON.parse(row!.j) as { error?: boolean; statements?: unknown[] };
    if (tree.error || !tree.statements || tree.statements.length !== 1) return undefined;
    const shape: SqlShape = {
      relations: [],
      ctes: [],
      unqualified: [],
      catalogQualified: [],
      tableFunctions: [],
    };
    walk(tree.statements, shape);
    return shape;
  } finally {
    await wh.close();
  }
}

function walk(node: unknown, shape: SqlShape): void {
  if (Array.isArray(node)) {
    for (const n of node) walk(n, shape);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const o = node as Record<string, unknown>;
  if (o.type === 'BASE_TABLE') {
    const catalog = String(o.catalog_name ?? '');
    const schema = String(o.schema_name ?? '');
    const table = String(o.table_name ?? '');
    if (catalog !== '') shape.catalogQualified.push(`${catalog}.${schema}.${table}`);
    else if (schema === '') shape.unqualified.push(table);
    else shape.relations.push({ schema: schema.toLowerCase(), table: table.toLowerCase() });
  }
  if (o.type === 'TABLE_FUNCTION') {
    const fn = o.function as { function_name?: string } | undefined;
    shape.tableFunctions.push(fn?.function_name ?? '?');
  }
  const cteMap = o.cte_map as { map?: { key?: string }[] } | undefined;
  for (const entry of cteMap?.map ?? []) if (entry.key) shape.ctes.push(entry.key.toLowerCase());
  for (const v of Object.values(o)) walk(v, shape);
}

/** How a permitted query runs: on the warehouse itself, or in a sandbox of the listed views. */
export type SqlGrant = { mode: 'direct' } | { mode: 'sandbox'; relations: RelationRef[] };

/** Decides whether `role` may run `sql`, before anything touches the warehouse. */
export async function authorizeSql(role: Role, sql: string): Promise<SqlGrant> {
  if (role.sql === 'any') return { mode: 'direct' };
  if (role.sql === 'none') {
    throw new AccessDeniedError(
      'forbidden_sql',
      `role ${role.name} may not run SQL; use \`claimlens kpi\` instead`,
    );
  }
  const shape = await sqlShape(sql);
  if (!shape) {
    throw new AccessDeniedError('forbidden_sql', `role ${role.name} may run a single SELECT statement only`);
  }
  if (shape.tableFunctions.length > 0) {
    throw new AccessDeniedError(
      'forbidden_sql',
      `role ${role.name} may not call table functions (${[...new Set(shape.tableFunctions)].join(', ')})`,
    );
  }
  const bad = [
    ...shape.catalogQualified,
    ...shape.unqualified.filter((t) => !shape.ctes.includes(t.toLowerCase())),
    ...shape.relations
      .filter((r) => !mayReadRelation(role, r.schema, r.table))
      .map((r) => `${r.schema}.${r.table}`),
  ];
  if (bad.length > 0) {
    throw new AccessDeniedError(
      'forbidden_relation',
      `role ${role.name} may read only ${role.relations.join(', ') || '(nothing)'}; the query reads ${[...new Set(bad)].join(', ')}`,
    );
  }
  const unique = new Map(shape.relations.map((r) => [`${r.schema}.${r.table}`, r]));
  const relations = [...unique.values()];
  return { mode: 'sandbox', relations };
}

/**
 * An in-memory database that sees the warehouse only through views of the allowed relations, each
 * without the columns the role may not receive. The warehouse is attached under a random name the
 * query cannot know, and catalog-qualified names were refused before.
 */
export async function openSandbox(
  warehousePath: string,
  relations: readonly RelationRef[],
  denied: ReadonlySet<string>,
): Promise<Warehouse> {
  if (warehousePath === ':memory:')
    throw new ClaimlensError('sql', 'an in-memory warehouse cannot be sandboxed');
  if (isPostgresUrl(warehousePath)) return openServerSandbox(warehousePath, relations, denied);
  const wh = await Warehouse.open(':memory:', { threads: 1 });
  try {
    const alias = `wh_${randomBytes(8).toString('hex')}`;
    await wh.run(`ATTACH ${literal(warehousePath)} AS ${ident(alias)} (READ_ONLY)`);
    for (const r of relations) {
      const cols = await wh.all<{ column_name: string }>(
        'SELECT column_name FROM information_schema.columns WHERE table_catalog = ? AND table_schema = ? AND table_name = ? ORDER BY ordinal_position',
        [alias, r.schema, r.table],
      );
      if (cols.length === 0)
        throw new ClaimlensError('sql', `the warehouse has no relation ${r.schema}.${r.table}`);
      const visible = cols.map((c) => c.column_name).filter((c) => !denied.has(c));
      if (visible.length === 0) {
        throw new ClaimlensError('sql', `${r.schema}.${r.table} has no column this role may read`);
      }
      await wh.run(`CREATE SCHEMA IF NOT EXISTS ${ident(r.schema)}`);
      await wh.run(
        `CREATE VIEW ${ident(r.schema)}.${ident(r.table)} AS SELECT ${visible.map(ident).join(', ')} FROM ${ident(alias)}.${ident(r.schema)}.${ident(r.table)}`,
      );
    }
    return wh;
  } catch (err) {
    await wh.close();
    throw err;
  }
}

/**
 * The sandbox for a PostgreSQL warehouse: the same in-memory DuckDB, holding copies of the allowed
 * relations' visible columns instead of views of an attached file. The query itself never reaches
 * the server. That is what makes it safe: run on PostgreSQL, a query naming only allowed relations
 * could still read any other through functions that take SQL text (`query_to_xml`, `xpath` over
 * it, ...), whatever a parser says, unless the server's own privileges fenced it in. Here the
 * server runs only `COPY (SELECT <visible columns> FROM <allowed relation>) TO STDOUT`, written from
 * the parsed and permitted names, in a read-only session. The analyst's SQL is DuckDB SQL on both
 * engines (the gate parses it with DuckDB's parser), and answers the same. The cost is copying each
 * relation the query names, which suits the marts analysts query (docs/engines.md).
 */
async function openServerSandbox(
  url: string,
  relations: readonly RelationRef[],
  denied: ReadonlySet<string>,
): Promise<Warehouse> {
  const { PostgresWarehouse } = await import('../engine/postgres/warehouse.ts');
  const { copyRelationToDuckDB, postgresColumns } = await import('../engine/postgres/copy.ts');
  const server = await PostgresWarehouse.open(url, { readOnly: true });
  const wh = await DuckDBWarehouse.open(':memory:', { threads: 1 });
  try {
    for (const r of relations) {
      const cols = await postgresColumns(server, r.schema, r.table);
      if (cols.length === 0)
        throw new ClaimlensError('sql', `the warehouse has no relation ${r.schema}.${r.table}`);
      const visible = cols.map((c) => c.name).filter((c) => !denied.has(c));
      if (visible.length === 0) {
        throw new ClaimlensError('sql', `${r.schema}.${r.table} has no column this role may read`);
      }
      await wh.run(`CREATE SCHEMA IF NOT EXISTS ${ident(r.schema)}`);
      await copyRelationToDuckDB(server, r, visible, wh, `${ident(r.schema)}.${ident(r.table)}`);
    }
    return wh;
  } catch (err) {
    await wh.close();
    throw err;
  } finally {
    await server.close();
  }
}

export interface GovernedRun<T> {
  result: T;
  rows: number;
  columns: string[];
}

/**
 * Runs a query for a caller: authorizes it, opens the warehouse (or a sandbox), runs `execute`, and
 * audits the outcome with rows returned and whether identifier columns were among them.
 */
export async function governSql<T>(
  gov: Governance,
  caller: Caller,
  warehousePath: string,
  sql: string,
  params: Record<string, unknown>,
  open: () => Promise<Warehouse>,
  execute: (wh: Warehouse) => Promise<GovernedRun<T>>,
): Promise<T> {
  const base = {
    actor: caller.subject,
    role: caller.role,
    via: caller.via,
    action: 'sql',
    params: { sql, ...params },
  };
  let grant: SqlGrant;
  let role: Role;
  try {
    role = roleOf(gov, caller);
    grant = await authorizeSql(role, sql);
  } catch (err) {
    const reason = err instanceof AccessDeniedError ? err.reason : 'error';
    await appendAudit(gov.auditPath, { ...base, outcome: 'refused', reason });
    throw err;
  }
  let run: GovernedRun<T>;
  try {
    const wh =
      grant.mode === 'direct'
        ? await open()
        : await openSandbox(warehousePath, grant.relations, deniedColumns(gov.policy, role));
    try {
      run = await execute(wh);
    } finally {
      await wh.close();
    }
  } catch (err) {
    await appendAudit(gov.auditPath, {
      ...base,
      outcome: 'error',
      reason: (err as Error).message.slice(0, 300),
    });
    throw err;
  }
  const ids = identifierColumnNames(gov.policy);
  await appendAudit(gov.auditPath, {
    ...base,
    outcome: 'ok',
    rows: run.rows,
    identifiers: run.columns.some((c) => ids.has(c)),
  });
  return run.result;
}
