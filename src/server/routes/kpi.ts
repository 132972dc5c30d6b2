// `GET /api/kpi/:domain`: every KPI domain of KPI_DOMAINS through one route, as `claimlens kpi` serves them.
import { KPI_DOMAINS } from '../../services/domains.ts';
import { governedKpiAnswer } from '../access.ts';
import { FILTER_QUERY_SCHEMA, filterParams } from '../params.ts';
import { KPI_RESULT } from '../schemas.ts';
import type { DataRoute } from './route.ts';

export const kpiRoute: DataRoute = {
  kind: 'data',
  action: 'kpi',
  url: '/api/kpi/:domain',
  tag: 'kpi',
  summary: 'KPIs of one domain for a period, payer, plan and state',
  description:
    "Headline numbers, titled sections of rows and notes of a KPI domain as the caller's role may see them (the same governed result as `claimlens kpi <domain> --json --role ROLE`); 403 for a domain the role may not read.",
  params: {
    type: 'object',
    required: ['domain'],
    properties: {
      domain: {
        type: 'string',
        description: `KPI domain: ${KPI_DOMAINS.map((d) => d.name).join(', ')}.`,
        examples: KPI_DOMAINS.map((d) => d.name),
      },
    },
  },
  querystring: FILTER_QUERY_SCHEMA,
  response: KPI_RESULT,
  async handler({ wh, params, query, principal, config }) {
    // Parsed here first so a bad period names its query parameter; the governed service checks again.
    filterParams(query);
    return governedKpiAnswer(wh, principal, config, {
      domain: params.domain ?? '',
      period: blank(query.period),
      from: blank(query.from),
      to: blank(query.to),
      payer: blank(query.payer),
      plan: blank(query.plan),
      state: blank(query.state),
      asOf: blank(query.asOf),
    });
  },
};

function blank(v: string | undefined): string | undefined {
  return v === undefined || v.trim() === '' ? undefined : v;
}
