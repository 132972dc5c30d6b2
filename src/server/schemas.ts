// JSON schemas of the API's answers (the shapes of api.ts), referenced by the routes and published in
// the OpenAPI description, so clients other than the dashboard know what they get.
import type { JsonSchema } from './routes/route.ts';

const nullable = (schema: JsonSchema): JsonSchema => ({ anyOf: [schema, { type: 'null' }] });

export const SUPPRESSED_CELL: JsonSchema = {
  type: 'object',
  description: 'A value withheld by small-cell suppression.',
  required: ['suppressed'],
  properties: { suppressed: { const: true }, reason: { type: 'string' } },
};

const CELL: JsonSchema = {
  anyOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }, { type: 'null' }, SUPPRESSED_CELL],
};

export const PERIOD: JsonSchema = {
  type: 'object',
  required: ['kind', 'from', 'to', 'label'],
  properties: {
    kind: { enum: ['month', 'quarter', 'year', 'range'] },
    from: { type: 'string', format: 'date' },
    to: { type: 'string', format: 'date' },
    label: { type: 'string' },
  },
};

export const ROW: JsonSchema = { type: 'object', additionalProperties: CELL };

export const KPI_RESULT: JsonSchema = {
  type: 'object',
  required: ['domain', 'period', 'payer', 'plan', 'state', 'headline', 'sections', 'notes'],
  properties: {
    domain: { type: 'string' },
    period: nullable(PERIOD),
    payer: nullable({ type: 'string' }),
    plan: nullable({ type: 'string', description: 'The plan filter applied.' }),
    state: nullable({ type: 'string', description: 'The state filter applied.' }),
    headline: { type: 'object', additionalProperties: CELL, description: 'Headline numbers of the domain.' },
    sections: {
      type: 'array',
      items: {
        type: 'object',
        required: ['title', 'rows'],
        properties: {
          title: { type: 'string' },
          rows: { type: 'array', items: ROW },
          columns: { type: 'array', items: { type: 'string' }, description: 'Display order of the columns.' },
        },
      },
    },
    notes: { type: 'array', items: { type: 'string' }, description: 'Definitions and assumptions.' },
    unavailable: {
      type: 'array',
      description:
        'What the loaded source does not carry (docs/sources/README.md): the capability, why, and the metrics, sections or whole domain (*) shown as not available.',
      items: {
        type: 'object',
        required: ['capability', 'reason', 'affects'],
        properties: {
          capability: { type: 'string' },
          reason: { type: 'string' },
          affects: { type: 'array', items: { type: 'string' } },
        },
      },
    },
  },
};

export const PMPM_TREND: JsonSchema = {
  type: 'object',
  required: ['period', 'payer', 'plan', 'state', 'rows'],
  properties: {
    period: nullable(PERIOD),
    payer: nullable({ type: 'string' }),
    plan: nullable({ type: 'string' }),
    state: nullable({ type: 'string' }),
    rows: {
      type: 'array',
      items: {
        type: 'object',
        required: ['month', 'service_category', 'member_months', 'paid', 'pmpm_paid'],
        properties: {
          month: { type: 'string', format: 'date' },
          service_category: { type: 'string' },
          member_months: { type: 'number' },
          paid: { type: 'number' },
          pmpm_paid: { type: 'number' },
        },
      },
    },
  },
};

export const META: JsonSchema = {
  type: 'object',
  required: ['role', 'warehouse', 'build', 'loads', 'last_load_at', 'data', 'domains'],
  properties: {
    role: { type: 'string', description: 'Role the request was served as.' },
    warehouse: {
      type: 'object',
      properties: {
        file: { type: 'string' },
        modified_at: { type: 'string', format: 'date-time' },
        size_bytes: { type: 'number' },
        generation: { type: 'integer', description: 'Increases with each build the server picks up.' },
      },
    },
    build: nullable({
      type: 'object',
      description: 'The latest build in meta.build_log.',
      properties: {
        build_id: { type: 'string' },
        started_at: { type: 'string' },
        finished_at: { type: 'string' },
        models: { type: 'integer' },
      },
    }),
    loads: {
      type: 'array',
      description: 'The latest load of each input table (input.load_log).',
      items: {
        type: 'object',
        properties: {
          table_name: { type: 'string' },
          files: { type: 'integer' },
          rows_read: { type: 'number' },
          rows_loaded: { type: 'number' },
          rows_quarantined: { type: 'number' },
          loaded_at: { type: 'string' },
        },
      },
    },
    last_load_at: nullable({ type: 'string' }),
    data: {
      type: 'object',
      properties: {
        first_service_date: nullable({ type: 'string', format: 'date' }),
        last_service_date: nullable({ type: 'string', format: 'date' }),
        payers: { type: 'array', items: { type: 'string' } },
        plans: {
          type: 'array',
          items: { type: 'string' },
          description: 'Plans in eligibility and claims: the values of the plan filter.',
        },
        states: {
          type: 'array',
          items: { type: 'string' },
          description:
            "Members' states of residence on their latest enrollment span: the values of the state filter.",
        },
      },
    },
    domains: {
      type: 'array',
      items: {
        type: 'object',
        properties: { name: { type: 'string' }, description: { type: 'string' } },
      },
    },
  },
};

export const QUALITY_REPORT: JsonSchema = {
  type: 'object',
  required: ['generated_at', 'summary', 'checks', 'ehr_match', 'ledger_variance'],
  properties: {
    generated_at: { type: 'string', format: 'date-time' },
    summary: {
      type: 'object',
      properties: Object.fromEntries(
        ['checks', 'passed', 'failed', 'skipped', 'failed_errors', 'failed_warnings', 'failed_info'].map(
          (k) => [k, { type: 'integer' }],
        ),
      ),
    },
    checks: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          check_id: { type: 'string' },
          table: { type: 'string' },
          severity: { enum: ['error', 'warning', 'info'] },
          category: { type: 'string' },
          description: { type: 'string' },
          action: { type: 'string' },
          failing_rows: { type: 'number' },
          checked_rows: { type: 'number' },
          failing_pct: nullable({ type: 'number' }),
          status: { enum: ['pass', 'fail', 'skipped'] },
          examples: { type: 'array', items: { type: 'string' } },
        },
      },
    },
    ehr_match: {
      type: 'object',
      description: 'Claims-to-EHR match on member and service date, overall and by month.',
    },
    ledger_variance: { type: 'object', description: 'Claims payments against the finance ledger.' },
  },
};

export const HEALTH: JsonSchema = {
  type: 'object',
  required: ['status', 'warehouse', 'generation', 'uptime_seconds'],
  properties: {
    status: { enum: ['ok', 'degraded'] },
    warehouse: { enum: ['open', 'missing', 'error'] },
    message: { type: 'string' },
    generation: { type: 'integer' },
    uptime_seconds: { type: 'number' },
  },
};

export const ERROR: JsonSchema = {
  type: 'object',
  required: ['error', 'status', 'message'],
  properties: {
    error: { type: 'string', description: 'Error code (usage, warehouse, internal, ...).' },
    status: { type: 'integer' },
    message: { type: 'string' },
    parameter: { type: 'string', description: 'The parameter at fault, when one is.' },
  },
};
