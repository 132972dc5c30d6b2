// Minimal RFC 4180 reading and writing for the code-set build: the source files are small and
// irregular (BOMs, CRLF, quoted codes), so a strict hand parser is simpler than a dependency.

/** Parses CSV text into rows of fields; strips a leading BOM and accepts LF or CRLF line ends. */
export function parseCsv(text: string): string[][] {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let inQuotes = false;
  let i = 0;
  while (i < src.length) {
    const ch = src[i];
    if (inQuotes) {
      if (ch === '"') {
        if (src[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        inQuotes = false;
      } else {
        field += ch;
      }
      i++;
      continue;
    }
    if (ch === '"' && field === '') {
      inQuotes = true;
    } else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      if (ch === '\r' && src[i + 1] === '\n') i++;
    } else {
      field += ch;
    }
    i++;
  }
  if (inQuotes) throw new Error('unterminated quoted field at end of CSV');
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** Turns a header into snake_case: `Place of Service Code` -> `place_of_service_code`. */
export function snakeCase(name: string): string {
  return name
    .trim()
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toLowerCase();
}

/**
 * Reads CSV text into records keyed by snake_case header, every value trimmed.
 * Fails on ragged rows, because a shifted column in a code list silently mislabels codes.
 */
export function readRecords(text: string, source: string): Record<string, string>[] {
  const rows = parseCsv(text).filter((r) => !(r.length === 1 && r[0].trim() === ''));
  if (rows.length === 0) throw new Error(`${source}: empty CSV`);
  const header = rows[0].map(snakeCase);
  return rows.slice(1).map((r, i) => {
    if (r.length !== header.length) {
      throw new Error(`${source}: line ${i + 2} has ${r.length} fields, header has ${header.length}`);
    }
    const rec: Record<string, string> = {};
    header.forEach((h, j) => {
      rec[h] = r[j].trim();
    });
    return rec;
  });
}

export type CsvValue = string | number | boolean | null | undefined;

function formatField(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  const s = typeof value === 'string' ? value : String(value);
  return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** Writes rows as CSV with a header, LF line ends and quotes only where needed; null becomes empty. */
export function formatCsv(columns: readonly string[], rows: readonly CsvValue[][]): string {
  const lines = [columns.map(formatField).join(',')];
  for (const row of rows) {
    if (row.length !== columns.length)
      throw new Error(`row has ${row.length} fields, expected ${columns.length}`);
    lines.push(row.map(formatField).join(','));
  }
  return `${lines.join('\n')}\n`;
}
