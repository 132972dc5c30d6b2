// Errors a user can fix: a code, a message that says what to do, and where. Internal bugs stay plain Error.
// One place maps errors to CLI exit codes (cli/main.ts) and one to HTTP status (server, later).

export interface Location {
  file?: string;
  line?: number;
  column?: string;
}

export type ErrorCode =
  | 'usage'
  | 'config'
  | 'input_missing'
  | 'input_empty'
  | 'input_header'
  | 'input_format'
  | 'model'
  | 'build'
  | 'sql'
  | 'quality'
  | 'forbidden'
  | 'audit'
  | 'warehouse';

/** An error the user can act on; `usage` errors exit with code 2, all others with 1. */
export class ClaimlensError extends Error {
  readonly code: ErrorCode;
  readonly location: Location | undefined;

  constructor(code: ErrorCode, message: string, location?: Location) {
    super(message);
    this.name = 'ClaimlensError';
    this.code = code;
    this.location = location;
  }

  /** The message with its location in front, as `file:line (column): message`. */
  describe(): string {
    const loc = this.location;
    if (!loc?.file) return this.message;
    const where = `${loc.file}${loc.line !== undefined ? `:${loc.line}` : ''}${loc.column ? ` (column ${loc.column})` : ''}`;
    return `${where}: ${this.message}`;
  }
}

export class UsageError extends ClaimlensError {
  constructor(message: string) {
    super('usage', message);
    this.name = 'UsageError';
  }
}

export function exitCodeFor(err: unknown): number {
  if (err instanceof ClaimlensError) return err.code === 'usage' ? 2 : 1;
  return 1;
}
