// Refusals of governance: who was refused and why, with the HTTP status the server answers with
// (401 when the caller is not authenticated, 403 when the role may not do it). CLI exit code 1.
import { ClaimlensError, type ErrorCode } from '../errors.ts';

/** Why a request was refused; written to the audit log as it is. */
export type DenyReason =
  | 'no_token'
  | 'malformed_token'
  | 'expired'
  | 'not_yet_valid'
  | 'wrong_issuer'
  | 'wrong_audience'
  | 'bad_signature'
  | 'alg_not_allowed'
  | 'unknown_role'
  | 'ambiguous_role'
  | 'provider_unreachable'
  | 'sign_in_refused'
  | 'forbidden_domain'
  | 'forbidden_sql'
  | 'forbidden_relation'
  | 'forbidden_export'
  | 'invalid_filter';

const FORBIDDEN: ErrorCode = 'forbidden';

export class AccessDeniedError extends ClaimlensError {
  readonly reason: DenyReason;
  readonly status: 401 | 403;

  constructor(reason: DenyReason, message: string, status: 401 | 403 = 403) {
    super(FORBIDDEN, message);
    this.name = 'AccessDeniedError';
    this.reason = reason;
    this.status = status;
  }
}

/** The audit log failed verification: exit code 1, with the line that breaks the chain. */
export class AuditIntegrityError extends ClaimlensError {
  readonly line: number;

  constructor(file: string, line: number, message: string) {
    super('audit', message, { file, line });
    this.name = 'AuditIntegrityError';
    this.line = line;
  }
}
