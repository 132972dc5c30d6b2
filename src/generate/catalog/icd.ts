// Every ICD-10-CM code the catalogs can put on a claim, and the 3-character category codes that a
// truncated (non-billable) diagnosis turns into: the basis of the invalid-diagnosis denial mechanism.
import { ACUTE_REASONS, ADMIT_REASONS, CONDITIONS } from './conditions.ts';
import { DX } from './diagnoses.ts';
import { GENERAL_EXAM_DX, UNSPECIFIED_DX } from './procedures.ts';

/** All diagnosis codes of the catalogs (no dots). */
export function catalogDiagnoses(extra: readonly string[] = []): string[] {
  const all = new Set<string>();
  for (const c of CONDITIONS) for (const code of c.codes) all.add(code);
  for (const r of ACUTE_REASONS) all.add(r.dx);
  for (const r of ADMIT_REASONS) for (const code of r.dx) all.add(code);
  for (const code of Object.values(DX)) all.add(code);
  for (const code of [...UNSPECIFIED_DX, ...GENERAL_EXAM_DX, ...extra]) all.add(code);
  return [...all].sort();
}

/**
 * Category codes (first 3 characters) of the catalog's longer codes, minus any 3-character code
 * the catalog bills as is: a claim whose principal diagnosis is one of these was truncated.
 */
export const TRUNCATED_DX: ReadonlySet<string> = (() => {
  const codes = catalogDiagnoses();
  const whole = new Set(codes.filter((c) => c.length === 3));
  return new Set(codes.filter((c) => c.length > 3 && !whole.has(c.slice(0, 3))).map((c) => c.slice(0, 3)));
})();
