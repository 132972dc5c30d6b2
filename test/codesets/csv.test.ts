// The CSV reader/writer behind the code-set build: the quirks of the real source files, by hand.
import { describe, expect, it } from 'vitest';
import { parsePhpCodeArray } from '../../src/codesets/build-data.ts';
import { formatCsv, parseCsv, readRecords, snakeCase } from '../../src/codesets/csv.ts';

describe('parseCsv', () => {
  it('strips a BOM and reads CRLF lines (as in the Tuva CCSR file)', () => {
    expect(parseCsv('\uFEFFccsr,ccsr_description\r\nBLD001,Nutritional anemia\r\n')).toEqual([
      ['ccsr', 'ccsr_description'],
      ['BLD001', 'Nutritional anemia'],
    ]);
  });

  it('keeps quoted commas, doubled quotes, newlines and leading zeros', () => {
    expect(parseCsv('"01","a, b","say ""hi""","two\nlines"\n')).toEqual([
      ['01', 'a, b', 'say "hi"', 'two\nlines'],
    ]);
  });

  it('reads a last line without a newline and empty trailing fields', () => {
    expect(parseCsv('a,b,c\n1,,\n2,x,')).toEqual([
      ['a', 'b', 'c'],
      ['1', '', ''],
      ['2', 'x', ''],
    ]);
  });

  it('rejects an unterminated quote', () => {
    expect(() => parseCsv('a\n"open')).toThrow(/unterminated/);
  });
});

describe('readRecords', () => {
  it('snake_cases headers and trims values', () => {
    expect(readRecords('Place of Service Code, Description \n 01 , Pharmacy \n', 't')).toEqual([
      { place_of_service_code: '01', description: 'Pharmacy' },
    ]);
  });

  it('fails on a ragged row with its line number', () => {
    expect(() => readRecords('a,b\n1,2\n3\n', 'x.csv')).toThrow('x.csv: line 3 has 1 fields, header has 2');
  });

  it('snake_cases camel and spaced names', () => {
    expect(snakeCase('billableFlag')).toBe('billable_flag');
    expect(snakeCase(' MS-DRG Code ')).toBe('ms_drg_code');
  });
});

describe('formatCsv', () => {
  it('quotes only where needed and writes null as empty', () => {
    expect(
      formatCsv(
        ['code', 'description', 'flag', 'n'],
        [
          ['0450', 'Emergency room', true, 3],
          ['A2', 'Use Code 45 with Group Code "CO", or another', false, null],
        ],
      ),
    ).toBe(
      'code,description,flag,n\n0450,Emergency room,true,3\nA2,"Use Code 45 with Group Code ""CO"", or another",false,\n',
    );
  });

  it('round-trips through parseCsv', () => {
    const rows = [['x', 'a "b", c\nd', ' lead']];
    expect(parseCsv(formatCsv(['k', 'v', 'w'], rows)).slice(1)).toEqual(rows);
  });
});

describe('parsePhpCodeArray', () => {
  it('unescapes quotes and keeps code order', () => {
    const php = `const X = array(
        'M11' => 'DME must be billed to the DME carrier who services the patient\\'s zip code.',
        'N1' => 'Alert: You may appeal.',
    );`;
    expect(parsePhpCodeArray(php)).toEqual([
      ['M11', "DME must be billed to the DME carrier who services the patient's zip code."],
      ['N1', 'Alert: You may appeal.'],
    ]);
  });
});
