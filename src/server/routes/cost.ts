// `GET /api/cost/pmpm-trend`: PMPM by month and service category, which the Cost page charts and the
// cost KpiResult does not carry (it has PMPM by category for the whole period and total PMPM by month).
import { assertKnownPlan, assertKnownState } from '../../services/filters.ts';
import { assertKnownPayer } from '../../services/kpi.ts';
import { governedPmpmTrend } from '../access.ts';
import { FILTER_QUERY_SCHEMA, filterParams, parameterError } from '../params.ts';
import { PMPM_TREND } from '../schemas.ts';
import type { DataRoute } from './route.ts';

export const pmpmTrendRoute: DataRoute = {
  kind: 'data',
  action: 'cost pmpm-trend',
  url: '/api/cost/pmpm-trend',
  tag: 'cost',
  summary: 'PMPM by month and service category',
  description:
    'Member months, paid and paid PMPM per month of service and service category, under the cost domain permission; small member-month counts suppressed for aggregate-only roles.',
  querystring: FILTER_QUERY_SCHEMA,
  response: PMPM_TREND,
  async handler({ wh, query, principal, config }) {
    const kpi = filterParams(query);
    try {
      await assertKnownPayer(wh, kpi.payer);
    } catch (err) {
      throw parameterError('payer', err);
    }
    try {
      await assertKnownPlan(wh, kpi.plan);
    } catch (err) {
      throw parameterError('plan', err);
    }
    try {
      await assertKnownState(wh, kpi.state);
    } catch (err) {
      throw parameterError('state', err);
    }
    return governedPmpmTrend(wh, principal, config, kpi);
  },
};
