// The one place errors become HTTP answers: usage errors 400 (naming the parameter), refused access
// 401/403, an unreadable warehouse 503, other claimlens errors and internal bugs 500 (bugs without details).
import { ClaimlensError, UsageError } from '../errors.ts';
import { AccessDeniedError } from '../governance/errors.ts';
import type { ApiError } from './api.ts';
import { ParameterError } from './params.ts';

interface ValidationIssue {
  keyword: string;
  instancePath: string;
  message?: string;
  params: Record<string, unknown>;
}

/** Fastify's request-validation error (ajv issues plus where they were found). */
interface FastifyValidationError {
  validation: ValidationIssue[];
  validationContext?: string;
}

function isValidationError(err: unknown): err is FastifyValidationError {
  return (
    typeof err === 'object' && err !== null && Array.isArray((err as { validation?: unknown }).validation)
  );
}

function fastifyStatus(err: unknown): number | undefined {
  const s = (err as { statusCode?: unknown } | null)?.statusCode;
  return typeof s === 'number' && s >= 400 && s < 500 ? s : undefined;
}

export function httpStatusFor(err: unknown): number {
  if (isValidationError(err)) return 400;
  if (err instanceof AccessDeniedError) return err.status;
  if (err instanceof UsageError) return 400;
  if (err instanceof ClaimlensError) return err.code === 'warehouse' ? 503 : 500;
  return fastifyStatus(err) ?? 500;
}

/** The answer body for an error; `known` lists a route's query parameters for unknown-parameter messages. */
export function errorBody(err: unknown, known: readonly string[] = []): ApiError {
  const status = httpStatusFor(err);
  if (isValidationError(err)) {
    const issue = err.validation[0]!;
    if (issue.keyword === 'additionalProperties') {
      const name = String(issue.params.additionalProperty);
      return {
        error: 'usage',
        status,
        parameter: name,
        message: `${name}: not a parameter of this route${known.length > 0 ? `; use ${known.join(', ')}` : ''}`,
      };
    }
    const name =
      issue.instancePath.replace(/^\//, '').split('/')[0] || String(issue.params.missingProperty ?? '');
    return {
      error: 'usage',
      status,
      ...(name ? { parameter: name } : {}),
      message: `${name || err.validationContext || 'request'}: ${issue.message ?? 'is not valid'}`,
    };
  }
  if (err instanceof ClaimlensError) {
    return {
      error: err.code,
      status,
      ...(err instanceof ParameterError ? { parameter: err.parameter } : {}),
      ...(err instanceof AccessDeniedError ? { reason: err.reason } : {}),
      message: err.describe(),
    };
  }
  if (status < 500) return { error: 'request', status, message: (err as Error).message };
  return { error: 'internal', status, message: 'internal error: see the server log' };
}
