// The governed entry point every consumer (CLI, API, dashboard, report) calls: the caller's role is
// checked, filters validated before any query, results cut to what the role may see, all audited.
import { resolve } from 'node:path';
import type { Config } from '../config.ts';
import { Warehouse } from '../engine/duckdb.ts';
import { ClaimlensError, UsageError } from '../errors.ts';
import { appendAudit } from '../governance/audit.ts';
import { AccessDeniedError } from '../governance/errors.ts';
import { type ExportOptions, type ExportReport, exportDeidentified } from '../governance/export.ts';
import { type GovernedKpiResult, governKpiResult } from '../governance/kpi-guard.ts';
import { mayRunDomain } from '../governance/policy.ts';
import { type Caller, governanceFor, roleOf } from '../governance/runtime.ts';
import { type QueryResult, queryWarehouse } from '../runner/query.ts';
import { KPI_DOMAINS } from './domains.ts';
import { assertKnownPlan, assertKnownState } from './filters.ts';
import { assertKnownPayer, findKpiDomain, type KpiParams, runKpiDomain } from './kpi.ts';
import { parseDate, parsePeriod } from './period.ts';

export type { GovernedKpiResult } from '../governance/kpi-guard.ts';
export type { Caller } from '../governance/runtime.ts';

export interface GovernedContext {
  config: Config;
  caller: Caller;
  /** An open warehouse (the server keeps one); otherwise the configured one is opened read-only. */
  warehouse?: Warehouse;
}

/** A KPI request as it arrives from a command line or a URL: loose strings, validated here. */
export interface KpiRequest {
  domain: string;
  period?: string;
  from?: string;
  to?: string;
  payer?: string;
  plan?: string;
  state?: string;
  asOf?: string;
}

const MAX_FILTER_LENGTH = 200;

/**
 * Refuses filter text that could only be an attack or a mistake (SQL comment or statement tokens,
 * control characters, very long values) before anything is queried. Filters are bound as parameters
 * anyway and must then name a known value; this is the first of those two locks.
 */
export function assertFilterText(option: string, value: string): void {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it looks for
  const bad = /[\u0000-\u001f\u007f;]|--|\/\*|\*\//.exec(value);
  if (value.length > MAX_FILTER_LENGTH || bad) {
    throw new UsageError(
      `${option} '${value.slice(0, 40)}' is not a valid value${bad ? ` (it contains ${JSON.stringify(bad[0])})` : ' (too long)'}`,
    );
  }
}

function kpiParams(req: KpiRequest): KpiParams {
  if (req.payer !== undefined) assertFilterText('--payer', req.payer);
  if (req.plan !== undefined) assertFilterText('--plan', req.plan);
  if (req.state !== undefined) assertFilterText('--state', req.state);
  const period = parsePeriod({ period: req.period, from: req.from, to: req.to });
  const asOf = req.asOf === undefined ? undefined : parseDate(req.asOf, '--as-of');
  const params: KpiParams = { period, payer: req.payer, asOf };
  if (req.plan !== undefined) params.plan = req.plan;
  // USPS codes are upper case; `--state oh` means OH.
  if (req.state !== undefined) params.state = req.state.toUpperCase();
  return params;
}

/**
 * A KPI domain's result as the caller's role may see it.
 *
 * @example await governedKpi({ config, caller: { subject: 'ana', role: 'executive', via: 'cli' } }, { domain: 'cost', period: '2024Q1' })
 */
export async function governedKpi(ctx: GovernedContext, req: KpiRequest): Promise<GovernedKpiResult> {
  const gov = governanceFor(ctx.config.governance, ctx.config.warehouse);
  const base = {
    actor: ctx.caller.subject,
    role: ctx.caller.role,
    via: ctx.caller.via,
    action: 'kpi',
    params: { ...req },
  };
  const refuse = async (err: unknown): Promise<never> => {
    const reason =
      err instanceof AccessDeniedError ? err.reason : err instanceof UsageError ? 'invalid_filter' : 'error';
    await appendAudit(gov.auditPath, { ...base, outcome: 'refused', reason });
    throw err;
  };
  let params: KpiParams;
  let role: ReturnType<typeof roleOf>;
  let domain: ReturnType<typeof findKpiDomain>;
  try {
    role = roleOf(gov, ctx.caller);
    domain = findKpiDomain(KPI_DOMAINS, req.domain);
    if (!mayRunDomain(role, domain.name)) {
      throw new AccessDeniedError(
        'forbidden_domain',
        `role ${role.name} may not read the ${domain.name} domain (it may read ${role.domains.join(', ')})`,
      );
    }
    params = kpiParams(req);
  } catch (err) {
    return refuse(err);
  }
  const wh = ctx.warehouse ?? (await Warehouse.open(ctx.config.warehouse, { readOnly: true }));
  try {
    try {
      await assertKnownPayer(wh, params.payer);
      await assertKnownPlan(wh, params.plan);
      await assertKnownState(wh, params.state);
    } catch (err) {
      return await refuse(err);
    }
    let governed: GovernedKpiResult;
    try {
      governed = governKpiResult(await runKpiDomain(domain, wh, params, ctx.config), role, gov.policy);
    } catch (err) {
      const reason = err instanceof ClaimlensError ? err.message : 'internal error';
      await appendAudit(gov.auditPath, { ...base, outcome: 'error', reason: reason.slice(0, 300) });
      throw err;
    }
    await appendAudit(gov.auditPath, {
      ...base,
      outcome: 'ok',
      rows: governed.governance.rows,
      identifiers: governed.governance.identifiersReturned,
    });
    return governed;
  } finally {
    if (!ctx.warehouse) await wh.close();
  }
}

/**
 * One SQL query as the caller's role may run it (admin: free read-only SQL; analyst: SELECT over
 * the marts without identifier columns; others: refused), audited.
 */
export function governedQuery(
  ctx: Omit<GovernedContext, 'warehouse'>,
  sql: string,
  options: { limit?: number } = {},
): Promise<QueryResult> {
  return queryWarehouse(ctx.config.warehouse, sql, {
    limit: options.limit,
    open: { threads: ctx.config.threads, memoryLimit: ctx.config.memoryLimit },
    caller: ctx.caller,
    governance: ctx.config.governance,
  });
}

/**
 * A HIPAA Safe Harbor de-identified export, for roles allowed to export (admin by default), into a
 * folder under governance.exportDir; refused and audited otherwise.
 */
export async function governedExport(
  ctx: GovernedContext,
  options: Omit<ExportOptions, 'allowedDir'>,
): Promise<ExportReport> {
  const gov = governanceFor(ctx.config.governance, ctx.config.warehouse);
  const base = {
    actor: ctx.caller.subject,
    role: ctx.caller.role,
    via: ctx.caller.via,
    action: 'export',
    params: {
      out: options.out,
      format: options.format ?? 'csv',
      tables: options.tables,
      marts: options.marts,
    },
  };
  let report: ExportReport;
  try {
    const role = roleOf(gov, ctx.caller);
    if (!role.export) {
      throw new AccessDeniedError('forbidden_export', `role ${role.name} may not export data`);
    }
    const wh = ctx.warehouse ?? (await Warehouse.open(ctx.config.warehouse, { readOnly: true }));
    try {
      report = await exportDeidentified(wh, {
        ...options,
        allowedDir: resolve(ctx.config.governance.exportDir),
      });
    } finally {
      if (!ctx.warehouse) await wh.close();
    }
  } catch (err) {
    const refused = err instanceof AccessDeniedError || err instanceof UsageError;
    await appendAudit(gov.auditPath, {
      ...base,
      outcome: refused ? 'refused' : 'error',
      reason: err instanceof AccessDeniedError ? err.reason : (err as Error).message.slice(0, 300),
    });
    throw err;
  }
  await appendAudit(gov.auditPath, {
    ...base,
    outcome: 'ok',
    rows: report.files.reduce((a, f) => a + f.rows, 0),
    identifiers: false,
  });
  return report;
}
