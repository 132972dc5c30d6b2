// Tiny hand-made input directories for the loader tests: valid eligibility and claim rows by
// default, each test overriding the few values it is about.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export const ELIGIBILITY_CSV = [
  'person_id,member_id,gender,birth_date,enrollment_start_date,enrollment_end_date,payer,payer_type,plan',
  'P1,M1,female,1980-01-02,2023-01-01,2023-12-31,acme,commercial,gold',
  'P2,M2,male,19900315,2023-01-01,2023-12-31,acme,commercial,gold',
].join('\n');

/** Required columns of medical_claim, with a valid value each. */
export const CLAIM_DEFAULTS: Record<string, string> = {
  claim_id: 'C1',
  claim_line_number: '1',
  claim_type: 'professional',
  person_id: 'P1',
  member_id: 'M1',
  payer: 'acme',
  plan: 'gold',
  claim_start_date: '2023-02-01',
  claim_end_date: '2023-02-03',
  paid_amount: '80.00',
  charge_amount: '100.00',
  diagnosis_code_1: 'E11.9',
  claim_status: 'paid',
};

/** A claim CSV: the required columns plus `extra` columns, one line per row (values are not quoted). */
export function claimsCsv(rows: Record<string, string>[], extra: string[] = []): string {
  const columns = [...Object.keys(CLAIM_DEFAULTS), ...extra];
  const lines = rows.map((r) => columns.map((c) => r[c] ?? CLAIM_DEFAULTS[c] ?? '').join(','));
  return [columns.join(','), ...lines].join('\n');
}

/** A CSV of `rows` under the union of their keys, fields quoted where they need it; null is empty. */
export function csvOf(rows: readonly Record<string, string | number | boolean | null>[]): string {
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const field = (v: string | number | boolean | null | undefined) => {
    const text = v === null || v === undefined ? '' : String(v);
    return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  return [columns.join(','), ...rows.map((r) => columns.map((c) => field(r[c])).join(','))].join('\n');
}

/** Writes `files` (relative path → content) into a new temporary directory and returns it. */
export function inputDir(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(join(tmpdir(), 'claimlens-load-'));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return dir;
}
