// X12 as a source adapter: a folder of 835 remittances and 837 claims. It is partial (claims and
// remittances, no eligibility), so it appends to the book already loaded.
import { closeSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { INPUT_TABLES } from '../../input/contract.ts';
import type { SourceAdapter, SourceReport } from '../adapter.ts';
import { registerSource } from '../registry.ts';
import { x12ToCsv } from './load.ts';
import type { X12Report } from './types.ts';

/** The first `bytes` of a file as latin1 text, BOM and leading whitespace removed; '' if unreadable. */
function fileHead(path: string, bytes: number): string {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const buf = Buffer.alloc(bytes);
    return buf
      .toString('latin1', 0, readSync(fd, buf, 0, bytes, 0))
      .replace(/^\u00ef\u00bb\u00bf/, '')
      .trimStart();
  } catch {
    return '';
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** True when the file starts like an interchange (ISA) or a bare functional group / transaction. */
function looksLikeX12(path: string): boolean {
  return /^(ISA|GS|ST)[^A-Za-z0-9\s]/.test(fileHead(path, 64));
}

/** Whether a file's first 4 KB hold an 835 transaction header (ST*835 with any element separator). */
function holdsRemittances(path: string): boolean {
  return /(^|[^A-Za-z0-9])ST[^A-Za-z0-9\s]835[^0-9]/.test(fileHead(path, 4096));
}

/** X12 files among the folder's entries and their subfolders (as the reader walks them), at most `limit`. */
function x12Files(dir: string, entries: readonly string[], limit = 500): string[] {
  const found: string[] = [];
  const walk = (rel: string[], depth: number) => {
    for (const name of rel) {
      if (found.length >= limit) return;
      const path = join(dir, name);
      const stat = statSync(path, { throwIfNoEntry: false });
      if (stat?.isDirectory() && depth < 3) {
        walk(
          readdirSync(path)
            .filter((e) => !e.startsWith('.'))
            .sort()
            .map((e) => join(name, e)),
          depth + 1,
        );
      } else if (stat?.isFile() && looksLikeX12(path)) found.push(name);
    }
  };
  walk([...entries], 0);
  return found;
}

/** The reader's findings as the generic report's warnings: quarantined transactions, errors, skips. */
export function x12Warnings(x: X12Report): string[] {
  return [
    ...x.quarantined.map((q) => `quarantined: ${q.file} segment ${q.segment}: ${q.reason}`),
    ...x.errors.map((e) => `error: ${e.describe()}`),
    ...x.skipped.map((s) => `skipped: ${s.file} segment ${s.segment}: ${s.reason}`),
  ];
}

export const x12Adapter: SourceAdapter = {
  format: 'x12',
  title: 'X12 835/837',
  docs: 'docs/sources/x12.md',
  partial: true,
  detect(dir, entries) {
    const files = x12Files(dir, entries);
    if (files.length === 0) return undefined;
    return {
      format: 'x12',
      summary: `X12 interchanges (${files.length} file${files.length > 1 ? 's' : ''}: ${files.slice(0, 3).join(', ')}${files.length > 3 ? ', ...' : ''})`,
      files,
    };
  },
  async convert(ctx): Promise<SourceReport> {
    ctx.progress(`reading X12 files in ${ctx.dir}`);
    const x = await x12ToCsv(ctx.dir, ctx.out, `x12-${basename(resolve(ctx.dir))}`);
    const kinds = Object.entries(x.transactions)
      .map(([k, n]) => `${n} ${k}`)
      .join(', ');
    return {
      format: 'x12',
      summary: `X12: ${x.files.length} files, transactions ${kinds || 'none'}; ${x.claims} claims, ${x.remittanceClaims} remittance claims, ${x.adjustments} adjustments`,
      files: x.files.map((f) => ({
        file: f.file,
        records: f.transactions,
        tables: [],
      })),
      tables: Object.fromEntries(
        Object.entries(x.rows).filter(([t, n]) => n > 0 && INPUT_TABLES.some((s) => s.name === t)),
      ),
      gaps: [],
      warnings: x12Warnings(x),
      details: x,
      rejects: [
        ...x.quarantined.map((q) => ({
          // An 835 would have fed remittances (payments and adjustments), an 837 claim lines.
          table: q.transactionSet === '835' ? 'claim_adjustment' : 'medical_claim',
          file: relative(ctx.dir, q.file) || q.file,
          line: q.segment,
          rule: 'source_x12_transaction',
          detail: `${q.transactionSet ? `ST ${q.transactionSet}${q.controlNumber ? ` #${q.controlNumber}` : ''}: ` : ''}${q.reason}`,
        })),
        // Files unreadable as X12 at all (no envelope, broken ISA): nothing of them loaded.
        ...x.errors.map((e) => {
          const file = e.location?.file ?? '';
          return {
            table: holdsRemittances(file) ? 'claim_adjustment' : 'medical_claim',
            file: relative(ctx.dir, file) || file,
            line: e.location?.line ?? 1,
            rule: 'source_x12_file',
            detail: e.message,
          };
        }),
      ],
    };
  },
};

registerSource(x12Adapter);
