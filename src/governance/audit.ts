// The audit log: append-only JSON lines, each entry carrying the SHA-256 of the one before over a
// canonical serialization (a hash chain), written whole under a cross-process lock; `verify` checks it.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { appendFile, open, rename, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { ClaimlensError } from '../errors.ts';
import { withFileLock } from './lock.ts';

export const AUDIT_FILE = 'claimlens.audit.jsonl';
export const GENESIS = '0'.repeat(64);

export type AuditOutcome = 'ok' | 'refused' | 'error';

/** One thing that happened: who did what, with which parameters, what came back. */
export interface AuditEvent {
  /** Who: an OIDC subject, a local token subject, or the OS user of a CLI run. */
  actor: string;
  role?: string;
  /** How the caller was identified: cli, oidc, local-token, or none when refused before that. */
  via?: string;
  /** What: a CLI command (`kpi`, `sql`, `export`) or an API route. */
  action: string;
  params?: Record<string, unknown>;
  /** Rows returned or written. */
  rows?: number;
  /** Whether identifier columns were in what was returned. */
  identifiers?: boolean;
  outcome: AuditOutcome;
  /** Why a request was refused or failed. */
  reason?: string;
}

export interface AuditEntry extends AuditEvent {
  /** 1 for the first entry, then +1: a gap or a repeat shows a deleted or moved line. */
  seq: number;
  /** ISO time of writing. */
  ts: string;
  /** Hash of the previous entry (64 zeros for the first). */
  prev: string;
  /** SHA-256 of this entry's canonical form without `hash`. */
  hash: string;
}

/** The audit log beside a warehouse, unless configured elsewhere. */
export function auditPathFor(warehousePath: string, configured?: string): string {
  if (configured) return resolve(configured);
  // A server warehouse (postgres://...) has no folder: the log goes to the working directory.
  if (warehousePath === ':memory:' || /^postgres(ql)?:\/\//i.test(warehousePath)) return resolve(AUDIT_FILE);
  return join(dirname(resolve(warehousePath)), AUDIT_FILE);
}

/** JSON with object keys sorted at every level and undefined members left out: one text per value. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    const text = JSON.stringify(value);
    return text === undefined ? 'null' : text;
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}

export function entryHash(entry: Omit<AuditEntry, 'hash'> | AuditEntry): string {
  const { hash: _ignored, ...rest } = entry as AuditEntry;
  return createHash('sha256').update(canonicalJson(rest)).digest('hex');
}

const MAX_PARAM_TEXT = 2_000;

/** Long texts (a big SQL query) are cut so one entry stays one short line. */
function trimParams(value: unknown): unknown {
  if (typeof value === 'string')
    return value.length > MAX_PARAM_TEXT ? `${value.slice(0, MAX_PARAM_TEXT)}...` : value;
  if (Array.isArray(value)) return value.map(trimParams);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, trimParams(v)]));
  }
  return value;
}

interface Pending {
  event: AuditEvent;
  resolve: (e: AuditEntry) => void;
  reject: (err: unknown) => void;
}

/** The last entry's sequence number and hash, read from the end of the file. */
async function tail(path: string): Promise<{ seq: number; hash: string }> {
  if (!existsSync(path)) return { seq: 0, hash: GENESIS };
  const fh = await open(path, 'r');
  try {
    const size = (await fh.stat()).size;
    if (size === 0) return { seq: 0, hash: GENESIS };
    let chunk = 64 * 1024;
    for (;;) {
      const len = Math.min(chunk, size);
      const buf = Buffer.alloc(len);
      await fh.read(buf, 0, len, size - len);
      const text = buf.toString('utf8');
      if (!text.endsWith('\n')) {
        throw new ClaimlensError(
          'config',
          `the audit log ${path} ends with a partial line; run \`claimlens audit verify\` and repair it before anything else is logged`,
        );
      }
      const start = text.lastIndexOf('\n', text.length - 2);
      if (start >= 0 || len === size) {
        const line = text.slice(start + 1, -1);
        const last = JSON.parse(line) as AuditEntry;
        return { seq: last.seq, hash: last.hash };
      }
      chunk *= 4;
    }
  } finally {
    await fh.close();
  }
}

/**
 * One writer per log file per process: appends queue up and are written in batches, each batch under
 * the cross-process lock, as whole lines in one write, chained to whatever the file ends with then.
 */
class Writer {
  private pending: Pending[] = [];
  private running = false;

  constructor(private readonly path: string) {}

  append(event: AuditEvent): Promise<AuditEntry> {
    return new Promise((resolve, reject) => {
      this.pending.push({ event, resolve, reject });
      if (!this.running) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (this.pending.length > 0) {
        const batch = this.pending.splice(0, 2_000);
        try {
          const entries = await withFileLock(`${this.path}.lock`, () =>
            this.write(batch.map((p) => p.event)),
          );
          for (const [i, p] of batch.entries()) p.resolve(entries[i]!);
        } catch (err) {
          for (const p of batch) p.reject(err);
        }
      }
    } finally {
      this.running = false;
    }
  }

  private async write(events: AuditEvent[]): Promise<AuditEntry[]> {
    let { seq, hash } = await tail(this.path);
    const entries: AuditEntry[] = [];
    const lines: string[] = [];
    for (const event of events) {
      const body = {
        ...event,
        params:
          event.params === undefined ? undefined : (trimParams(event.params) as Record<string, unknown>),
        seq: seq + 1,
        ts: new Date().toISOString(),
        prev: hash,
      };
      const entry: AuditEntry = { ...body, hash: entryHash(body) };
      entries.push(entry);
      lines.push(canonicalJson(entry));
      seq = entry.seq;
      hash = entry.hash;
    }
    // One append of whole lines: O_APPEND writes land after each other, never interleaved.
    await appendFile(this.path, `${lines.join('\n')}\n`, { mode: 0o600 });
    const head = `${this.path}.head`;
    await writeFile(`${head}.tmp`, `${canonicalJson({ seq, hash })}\n`, { mode: 0o600 });
    await rename(`${head}.tmp`, head);
    return entries;
  }
}

const writers = new Map<string, Writer>();

/**
 * Appends one event to the audit log at `path`; resolves once it is on disk.
 *
 * @example await appendAudit('claimlens.audit.jsonl', { actor: 'ana', action: 'kpi', outcome: 'ok' })
 */
export function appendAudit(path: string, event: AuditEvent): Promise<AuditEntry> {
  const abs = resolve(path);
  let w = writers.get(abs);
  if (!w) {
    w = new Writer(abs);
    writers.set(abs, w);
  }
  return w.append(event);
}

export type AuditProblemKind = 'malformed' | 'edited' | 'deleted' | 'reordered' | 'truncated';

export interface AuditProblem {
  /** 1-based line of the log. */
  line: number;
  kind: AuditProblemKind;
  message: string;
}

export interface AuditVerification {
  ok: boolean;
  entries: number;
  problem?: AuditProblem;
  /** Hash of the last entry, to keep outside the machine as an anchor. */
  head?: string;
}

/**
 * Checks every line: well-formed canonical JSON, its hash, its sequence number and its link to the
 * line before; reports the first line that fails and how (edited, deleted, reordered). The `.head`
 * file kept beside the log catches lines cut from the end.
 */
export function verifyAudit(path: string): AuditVerification {
  const abs = resolve(path);
  if (!existsSync(abs)) throw new ClaimlensError('config', `no audit log at ${abs}`);
  const text = readFileSync(abs, 'utf8');
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const parsed: (AuditEntry | undefined)[] = lines.map((l) => {
    try {
      const e = JSON.parse(l) as AuditEntry;
      return e && typeof e === 'object' && canonicalJson(e) === l ? e : undefined;
    } catch {
      return undefined;
    }
  });
  const fail = (line: number, kind: AuditProblemKind, message: string): AuditVerification => ({
    ok: false,
    entries: lines.length,
    problem: { line, kind, message: `line ${line}: ${message}` },
  });
  let prev = GENESIS;
  for (let i = 0; i < lines.length; i++) {
    const n = i + 1;
    const e = parsed[i];
    if (!e) return fail(n, 'malformed', 'not a canonical JSON audit entry (edited by hand or cut short)');
    if (e.hash !== entryHash(e))
      return fail(n, 'edited', `content does not match its hash: the entry was edited`);
    if (e.seq !== n) {
      const movedHere = parsed.findIndex((p, j) => j > i && p?.seq === n);
      if (e.seq < n || movedHere >= 0) {
        return fail(n, 'reordered', `holds entry ${e.seq} where entry ${n} belongs: lines were moved`);
      }
      return fail(
        n,
        'deleted',
        `entry ${n}${e.seq - n > 1 ? `..${e.seq - 1}` : ''} is missing before this line: deleted`,
      );
    }
    if (e.prev !== prev) {
      return fail(
        n,
        'edited',
        `does not chain to line ${n - 1} (its hash changed): line ${n - 1} was edited or replaced`,
      );
    }
    prev = e.hash;
  }
  const headPath = `${abs}.head`;
  if (existsSync(headPath)) {
    const head = JSON.parse(readFileSync(headPath, 'utf8')) as { seq: number; hash: string };
    if (head.seq > lines.length) {
      return fail(
        lines.length + 1,
        'truncated',
        `the log ends at entry ${lines.length} but entry ${head.seq} was written: lines cut from the end`,
      );
    }
    if (head.seq === lines.length && head.hash !== prev) {
      return fail(lines.length, 'edited', 'the last entry differs from the one recorded in the head file');
    }
  }
  return { ok: true, entries: lines.length, head: prev };
}
