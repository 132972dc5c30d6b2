// NPI check-digit validation as a SQL expression, so it runs set-based over millions of claim lines.
// Rule: CMS "Requirements for NPI Check Digit" (NPI final rule, 69 FR 3434; ISO/IEC 7812 Luhn).

/**
 * SQL that is true when `col` is 10 digits whose last digit is the Luhn check digit of the first
 * nine computed as if prefixed by 80840. The prefix contributes a constant 24 to the Luhn sum, so
 * the rule is: 24 + Luhn sum of the 10 digits (doubling the 1st, 3rd, 5th, 7th, 9th) ends in 0.
 * Digits are read with ascii() rather than a cast so a malformed value cannot raise an error.
 *
 * @example npiValidSql('r.npi') -- true for '1234567893' (the CMS example), false for '1234567890'
 */
export function npiValidSql(col: string): string {
  const digit = (i: number) => `(ascii(substr(${col}, ${i}, 1)) - 48)`;
  const terms: string[] = [];
  for (let i = 1; i <= 10; i++) {
    // Doubling starts at the rightmost digit of the 9-digit base (the 9th), so odd positions double.
    terms.push(
      i % 2 === 1 && i < 10
        ? `(CASE WHEN ${digit(i)} >= 5 THEN 2 * ${digit(i)} - 9 ELSE 2 * ${digit(i)} END)`
        : digit(i),
    );
  }
  return `(${col} SIMILAR TO '[0-9]{10}' AND (24 + ${terms.join(' + ')}) % 10 = 0)`;
}
