// The one door from a request to the data: who is asking (authorize: a verified bearer token, or the
// configured role on loopback) and what that role may see (the governed services, which check the
// role, suppress small cells and write the audit log). Every data route goes through here.
import type { FastifyRequest } from 'fastify';
import type { Config } from '../config.ts';
import type { Warehouse } from '../engine/duckdb.ts';
import { UsageError } from '../errors.ts';
import { appendAudit } from '../governance/audit.ts';
import { Authenticator } from '../governance/auth.ts';
import { AccessDeniedError } from '../governance/errors.ts';
import { loadKey } from '../governance/key.ts';
import { type GovernedKpiResult, governKpiResult } from '../governance/kpi-guard.ts';
import { mayRunDomain, type Role } from '../governance/policy.ts';
import { type Caller, type Governance, governanceFor, roleOf } from '../governance/runtime.ts';
import { pmpm } from '../services/cost.ts';
import { KPI_DOMAINS } from '../services/domains.ts';
import { type GovernedContext, governedKpi, type KpiRequest } from '../services/governed.ts';
import type { KpiParams, KpiResult } from '../services/kpi.ts';
import { type QualityReport, runQualityChecks } from '../services/quality.ts';
import type {
  ApiDomain,
  ApiKpiGovernance,
  ApiKpiResult,
  ApiPmpmTrend,
  ApiPmpmTrendRow,
  ApiQualityReport,
  ApiRow,
  Cell,
} from './api.ts';
import { ParameterError, parameterError } from './params.ts';

/** Who a request runs as: subject, role and how it was identified (oidc, local-token, cli, none). */
export type Principal = Caller;

export type Authorize = (request: FastifyRequest, action: string) => Promise<Principal>;

/**
 * How this server identifies callers. `fixed` serves everyone as one principal (the offline report,
 * run by whoever holds the warehouse file); auth `none` serves everyone as server.role (loopback
 * only); otherwise bearer tokens are verified as governance.auth says, and every refusal is audited.
 */
export function createAuthorizer(config: Config, fixed?: Principal): Authorize {
  if (fixed) return async () => fixed;
  if (config.server.auth === 'none') {
    const local: Principal = { subject: 'local', role: config.server.role, via: 'none' };
    return async () => local;
  }
  const gov = governance(config);
  const authenticator = new Authenticator(config.governance.auth, gov.policy, {
    auditPath: gov.auditPath,
    localKey: () => loadKey(config.governance.keyFile).key,
  });
  return (request, action) => authenticator.authenticate(request.headers.authorization, action);
}

function governance(config: Config): Governance {
  return governanceFor(config.governance, config.warehouse);
}

/** The principal's role under the policy; an unknown role is refused (403). */
export function roleFor(config: Config, principal: Principal): Role {
  return roleOf(governance(config), principal);
}

async function audit(
  config: Config,
  principal: Principal,
  action: string,
  params: Record<string, unknown>,
  extra: { rows?: number; cached?: boolean } = {},
): Promise<void> {
  await appendAudit(governance(config).auditPath, {
    actor: principal.subject,
    role: principal.role,
    via: principal.via,
    action,
    params: extra.cached ? { ...params, cached: true } : params,
    ...(extra.rows !== undefined ? { rows: extra.rows } : {}),
    outcome: 'ok',
  });
}

/** An answer served from the cache is still an access: it is audited like the first one. */
export function auditCachedAnswer(
  config: Config,
  principal: Principal,
  action: string,
  params: Record<string, unknown>,
): Promise<void> {
  return audit(config, principal, action, params, { cached: true });
}

/** Service usage errors name CLI flags; the API names the query parameter instead. */
function asParameterError(err: unknown): unknown {
  if (!(err instanceof UsageError) || err instanceof ParameterError) return err;
  const m = err.message;
  if (/^unknown KPI domain/.test(m)) return parameterError('domain', err);
  if (/^(unknown payer|--payer|no enrollment for payer)/.test(m)) return parameterError('payer', err);
  if (/^(unknown plan|--plan)/.test(m)) return parameterError('plan', err);
  if (/^(unknown state|--state)/.test(m)) return parameterError('state', err);
  if (/^--as-of/.test(m)) return parameterError('asOf', err);
  if (/^--to/.test(m)) return parameterError('to', err);
  if (/^--from|^the range is inverted/.test(m)) return parameterError('from', err);
  if (/^--period|^give either --period/.test(m)) return parameterError('period', err);
  return err;
}

/**
 * A domain's KPIs as `principal` may see them, through the governed service the CLI uses (role
 * check, filter validation, small-cell suppression, audit).
 */
export async function governedKpiAnswer(
  wh: Warehouse,
  principal: Principal,
  config: Config,
  req: KpiRequest,
): Promise<ApiKpiResult> {
  const ctx: GovernedContext = { config, caller: principal, warehouse: wh };
  try {
    return toApi(await governedKpi(ctx, req));
  } catch (err) {
    throw asParameterError(err);
  }
}

/** The data-quality report for any role of the policy: checks and reconciliations are aggregates. */
export async function governedQuality(
  wh: Warehouse,
  principal: Principal,
  config: Config,
): Promise<ApiQualityReport> {
  roleFor(config, principal);
  // Typed as the API contract so a change to the report's shape fails to compile here, not in the browser.
  const report: QualityReport = await runQualityChecks(wh);
  await audit(config, principal, 'quality', {}, { rows: report.checks.length });
  return report;
}

/** PMPM by month and service category, under the cost domain's permission and suppression. */
export async function governedPmpmTrend(
  wh: Warehouse,
  principal: Principal,
  config: Config,
  params: KpiParams,
): Promise<ApiPmpmTrend> {
  const role = roleFor(config, principal);
  if (!mayRunDomain(role, 'cost')) {
    throw new AccessDeniedError('forbidden_domain', `role ${role.name} may not read the cost domain`);
  }
  let rows: Awaited<ReturnType<typeof pmpm>>;
  try {
    rows = await pmpm(
      wh,
      { period: params.period, payer: params.payer, plan: params.plan, state: params.state },
      ['month', 'service_category'],
    );
  } catch (err) {
    throw asParameterError(err);
  }
  const result: KpiResult = {
    domain: 'cost',
    period: params.period,
    payer: params.payer,
    plan: params.plan,
    state: params.state,
    headline: {},
    sections: [
      {
        title: 'PMPM by month and service category',
        rows: rows.map((r) => ({
          month: r.month ?? '',
          service_category: r.service_category ?? '',
          member_months: r.member_months,
          paid: r.paid,
          pmpm_paid: Math.round(r.pmpm_paid * 100) / 100,
        })),
        columns: ['month', 'service_category', 'member_months', 'paid', 'pmpm_paid'],
      },
    ],
    notes: [],
  };
  const governed = toApi(governKpiResult(result, role, governance(config).policy));
  await audit(
    config,
    principal,
    'cost pmpm-trend',
    { period: params.period?.label, payer: params.payer, plan: params.plan, state: params.state },
    { rows: rows.length },
  );
  return {
    period: params.period ?? null,
    payer: params.payer ?? null,
    plan: params.plan ?? null,
    state: params.state ?? null,
    rows: governed.sections[0]!.rows as unknown as ApiPmpmTrendRow[],
  };
}

/** The KPI domains `principal` may read, for the meta route (the dashboard hides the others). */
export function domainsFor(config: Config, principal: Principal): ApiDomain[] {
  const role = roleFor(config, principal);
  return KPI_DOMAINS.filter((d) => mayRunDomain(role, d.name)).map((d) => ({
    name: d.name,
    description: d.description,
  }));
}

export async function auditMeta(config: Config, principal: Principal): Promise<void> {
  await audit(config, principal, 'meta', {});
}

/**
 * The governed result as the API serves it: absent filters as null, each suppressed cell (null in
 * the service's rows) as `{ suppressed: true, reason }`, and a summary of what governance did.
 */
function toApi(r: GovernedKpiResult): ApiKpiResult {
  const marks = new Map<string, string>();
  for (const c of r.governance.suppressed) marks.set(`${c.section}|${c.row}|${c.column}`, c.reason);
  const cell = (section: number, row: number, column: string, v: unknown): Cell => {
    const reason = marks.get(`${section}|${row}|${column}`);
    if (reason !== undefined) return { suppressed: true, reason };
    return v as Cell;
  };
  const headline: Record<string, Cell> = {};
  for (const [k, v] of Object.entries(r.headline)) headline[k] = cell(-1, 0, k, v);
  const gov: ApiKpiGovernance = {
    role: r.governance.role,
    removed_columns: r.governance.removedColumns,
    withheld_sections: r.governance.withheldSections,
    suppressed_cells: r.governance.suppressed.length,
  };
  return {
    domain: r.domain,
    period: r.period ?? null,
    payer: r.payer ?? null,
    plan: r.plan ?? null,
    state: r.state ?? null,
    headline,
    sections: r.sections.map((s, si) => ({
      title: s.title,
      rows: s.rows.map((row, ri) => {
        const out: ApiRow = {};
        for (const [k, v] of Object.entries(row)) {
          // The service lists a row's suppressed columns under `suppressed`; the cells say it here.
          if (k === 'suppressed' && Array.isArray(v)) continue;
          out[k] = cell(si, ri, k, v);
        }
        return out;
      }),
      ...(s.columns ? { columns: s.columns } : {}),
    })),
    notes: r.notes,
    ...(r.unavailable ? { unavailable: r.unavailable } : {}),
    governance: gov,
  };
}
