// Query parameters of the data routes: their JSON schemas (validation and OpenAPI) and their parsing
// into service parameters by the same functions the CLI uses, with errors that name the parameter.
import { UsageError } from '../errors.ts';
import type { KpiParams } from '../services/kpi.ts';
import { parseDate, parsePeriod } from '../services/period.ts';
import type { JsonSchema } from './routes/route.ts';

/** A usage error caused by one request parameter; the API answers 400 and names it. */
export class ParameterError extends UsageError {
  readonly parameter: string;

  constructor(parameter: string, message: string) {
    super(`${parameter}: ${message}`);
    this.parameter = parameter;
  }
}

const CLI_TO_QUERY: Record<string, string> = {
  period: 'period',
  from: 'from',
  to: 'to',
  payer: 'payer',
  plan: 'plan',
  state: 'state',
  'as-of': 'asOf',
};

/**
 * Re-words a service's usage error (written for CLI flags) for a query parameter:
 * `--period '2024Q5' is not a period...` becomes `period: '2024Q5' is not a period...`.
 */
export function parameterError(parameter: string, err: unknown): unknown {
  if (!(err instanceof UsageError) || err instanceof ParameterError) return err;
  let message = err.message.replace(/--([a-z-]+)/g, (m, flag: string) => CLI_TO_QUERY[flag] ?? m);
  if (message.startsWith(`${parameter} `)) message = message.slice(parameter.length + 1);
  return new ParameterError(parameter, message);
}

export interface FilterQuery {
  period?: string;
  from?: string;
  to?: string;
  payer?: string;
  plan?: string;
  state?: string;
  asOf?: string;
}

export const FILTER_QUERY_SCHEMA: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    period: {
      type: 'string',
      description: 'A month (2025-03), a quarter (2025Q1) or a year (2025); not with from/to.',
      examples: ['2025Q1'],
    },
    from: { type: 'string', description: 'First day of a custom range, YYYY-MM-DD (with to).' },
    to: { type: 'string', description: 'Last day of a custom range, YYYY-MM-DD (with from).' },
    payer: { type: 'string', description: 'Only this payer (as in input.eligibility.payer).' },
    plan: {
      type: 'string',
      description:
        'Only this health plan (as in input.eligibility.plan and the claims): claims billed to it, member months enrolled in it, member-level measures by the plan their mart names. An unknown plan is a 400 listing the known ones (GET /api/meta: data.plans).',
    },
    state: {
      type: 'string',
      description:
        "Only members living in this state: two-letter code of the member's state of residence on their latest enrollment span (intermediate.rcm_person). An unknown state is a 400 listing the known ones (GET /api/meta: data.states).",
      examples: ['OH'],
    },
    asOf: {
      type: 'string',
      description: 'As-of date for point-in-time views (provider recency, A/R), YYYY-MM-DD.',
    },
  },
};

/** The period and as-of date of a query, parsed as the CLI parses its flags. Payer, plan and state are checked later, against the warehouse. */
export function filterParams(q: FilterQuery): KpiParams {
  let period: KpiParams['period'];
  try {
    period = parsePeriod({
      period: blankToUndefined(q.period),
      from: blankToUndefined(q.from),
      to: blankToUndefined(q.to),
    });
  } catch (err) {
    const which = periodParameter(q, (err as Error).message);
    throw parameterError(which, err);
  }
  let asOf: string | undefined;
  const rawAsOf = blankToUndefined(q.asOf);
  if (rawAsOf !== undefined) {
    try {
      asOf = parseDate(rawAsOf, '--as-of');
    } catch (err) {
      throw parameterError('asOf', err);
    }
  }
  const params: KpiParams = { period, payer: blankToUndefined(q.payer), asOf };
  const plan = blankToUndefined(q.plan);
  const state = blankToUndefined(q.state);
  if (plan !== undefined) params.plan = plan;
  if (state !== undefined) params.state = state.toUpperCase();
  return params;
}

/** Which parameter a parsePeriod error is about, from its message and the query. */
function periodParameter(q: FilterQuery, message: string): string {
  if (blankToUndefined(q.period) !== undefined) return 'period';
  if (message.startsWith('--from and --to')) return blankToUndefined(q.from) === undefined ? 'from' : 'to';
  return message.startsWith('--to') ? 'to' : 'from';
}

function blankToUndefined(v: string | undefined): string | undefined {
  return v === undefined || v.trim() === '' ? undefined : v;
}
