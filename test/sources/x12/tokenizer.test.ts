import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ClaimlensError } from '../../../src/errors.ts';
import type { Segment } from '../../../src/sources/x12/index.ts';
import { parseIsa, readSegments, readX12File, Tokenizer } from '../../../src/sources/x12/index.ts';
import { readSample, sample, tempDir } from './fixtures.ts';

const ISA_5010 =
  'ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *240105*1200*^*00501*000000001*0*P*:~';

/** Samples are read as latin1, where a UTF-8 byte-order mark shows as three characters. */
function withoutBom(text: string): string {
  return text.replace(/^\u00ef\u00bb\u00bf/, '');
}

function tokenize(text: string, chunk: number): Segment[] {
  const t = new Tokenizer('mem.x12');
  const out: Segment[] = [];
  const bytes = Buffer.from(text, 'utf8');
  for (let i = 0; i < bytes.length; i += chunk) out.push(...t.push(bytes.subarray(i, i + chunk)));
  out.push(...t.end());
  return out;
}

describe('parseIsa', () => {
  it('takes the delimiters from the fixed positions of ISA', () => {
    const { delimiters, elements } = parseIsa(ISA_5010, 'f');
    expect(delimiters).toEqual({ element: '*', component: ':', repetition: '^', segment: '~' });
    expect(elements).toHaveLength(17);
    expect(elements[13]).toBe('000000001');
  });

  it('has no repetition separator in 4010, where ISA11 is the standards identifier', () => {
    const text = withoutBom(readSample('oopfactory-x12parser/835_4010_Example1_GripElements.txt'));
    expect(parseIsa(text.slice(0, 106), 'f').delimiters.repetition).toBeNull();
  });

  it('reads other separators (imsweb sample: ~ elements, ^ components, _ terminator)', () => {
    const text = readSample('imsweb-x12-parser/837_5010_x12_valid_different_separators.txt');
    expect(parseIsa(text, 'f').delimiters).toEqual({
      element: '~',
      component: '^',
      repetition: null,
      segment: '_',
    });
  });

  it('ignores ISA11 when it repeats the component separator (oopfactory 837I 3.1.1)', () => {
    const text = withoutBom(readSample('oopfactory-x12parser/837I_5010_Spec_3.1.1.txt'));
    expect(parseIsa(text, 'f').delimiters).toMatchObject({ component: '^', repetition: null });
  });

  it('names the element that breaks the fixed length (imsweb bad_first_line)', () => {
    const text = readSample('imsweb-x12-parser/837_5010_x12_bad_first_line.txt');
    expect(() => parseIsa(text, 'f')).toThrow(/ISA02 must be 10 characters .* found 9 characters/);
  });

  it('rejects a letter as element separator and a terminator equal to a separator', () => {
    expect(() => parseIsa(`ISAX${ISA_5010.slice(4)}`, 'f')).toThrow(/cannot be the element separator/);
    expect(() => parseIsa(`${ISA_5010.slice(0, 105)}*`, 'f')).toThrow(/cannot be the segment terminator/);
  });
});

describe('Tokenizer', () => {
  const text = `${ISA_5010}\r\nGS*HP*S*R*20240105*1200*1*X*005010X221A1~\r\n  ST*835*0001~BPR*I*10*C*CHK************20240105~\nSE*3*0001~GE*1*1~IEA*1*000000001~`;

  it('gives the same segments whatever the chunk size, with ordinals and byte offsets', () => {
    const whole = tokenize(text, 1 << 16);
    expect(whole.map((s) => s.id)).toEqual(['ISA', 'GS', 'ST', 'BPR', 'SE', 'GE', 'IEA']);
    expect(whole.map((s) => s.ordinal)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    for (const s of whole) expect(text.slice(s.offset, s.offset + s.id.length)).toBe(s.id);
    for (const chunk of [1, 2, 3, 7, 105, 106, 107]) {
      const parts = tokenize(text, chunk);
      expect(parts.map((s) => [s.id, s.ordinal, s.offset, s.elements.join('|')])).toEqual(
        whole.map((s) => [s.id, s.ordinal, s.offset, s.elements.join('|')]),
      );
    }
    expect(whole[3]!.elements[16]).toBe('20240105');
  });

  it('tolerates a byte-order mark, CR/LF and indentation between segments (oopfactory 835)', async () => {
    const ids: string[] = [];
    for await (const seg of readSegments(sample('oopfactory-x12parser/835_5010_Example1.txt')))
      ids.push(seg.id);
    expect(ids.slice(0, 4)).toEqual(['ISA', 'GS', 'ST', 'BPR']);
    expect(ids).toHaveLength(102);
    expect(ids.at(-1)).toBe('IEA');
  });

  it('keeps UTF-8 text and byte offsets right after multi-byte characters', () => {
    const utf = `${ISA_5010}GS*HP*S*R*20240105*1200*1*X*005010X221A1~N1*PR*SALUD MÉDICA~N1*PE*X~`;
    const segs = tokenize(utf, 5);
    expect(segs[2]!.elements[2]).toBe('SALUD MÉDICA');
    expect(Buffer.from(utf, 'utf8').toString('utf8', segs[3]!.offset, segs[3]!.offset + 2)).toBe('N1');
  });

  it('flags a final segment without terminator as incomplete', () => {
    const segs = tokenize(`${ISA_5010}GS*HP*S*R*20240105*1200*1*X*005010X221A1~ST*835*00`, 8);
    expect(segs.at(-1)).toMatchObject({ id: 'ST', incomplete: true });
  });

  it('refuses a file that does not start with ISA (imsweb no_isa_line, edi-835-parser blue_cross)', async () => {
    for (const f of [
      'imsweb-x12-parser/837_5010_x12_no_isa_line.txt',
      'edi-835-parser/blue_cross_nc_sample.835.txt',
    ]) {
      const err = await (async () => {
        for await (const _ of readSegments(sample(f))) void _;
      })().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ClaimlensError);
      expect((err as ClaimlensError).message).toMatch(
        /^segment 1: the file does not start with an ISA segment/,
      );
      expect((err as ClaimlensError).location).toEqual({ file: sample(f), line: 1 });
    }
  });

  it('stops with an error when no terminator shows up within 1 MiB (wrong terminator in a big file)', async () => {
    const tmp = tempDir();
    try {
      const body = `GS*HP*S*R*20240105*1200*1*X*005010X221A1|${'CLP*1*1*10*10|'.repeat(90_000)}`;
      const path = tmp.write('big.x12', ISA_5010 + body);
      const run = async () => {
        for await (const _ of readSegments(path)) void _;
      };
      await expect(run()).rejects.toThrow(/no segment terminator "~" .* within 1048576 bytes/);
    } finally {
      tmp.cleanup();
    }
  });

  it('takes new delimiters from each interchange of a file', async () => {
    const tmp = tempDir();
    try {
      const path = tmp.write(
        'two.x12',
        readSample('linuxforhealth-x12/835_005010X221A1_managed-care.835') +
          readSample('imsweb-x12-parser/837_5010_x12_valid_different_separators.txt'),
      );
      const r = await readX12File(path, { countMismatch: 'warn' });
      expect(r.report.transactions).toEqual({ '835': 1, '837P': 1 });
      expect(r.report.files[0]!.interchanges).toBe(2);
      expect(r.tables.medical_claim.map((m) => m.claim_id)).toEqual(['A37YH556', 'A37YH667']);
      expect(r.tables.remittance_claim).toHaveLength(2);
    } finally {
      tmp.cleanup();
    }
  });

  it('reads the raw bytes of the samples without loss', () => {
    const raw = readFileSync(sample('linuxforhealth-x12/835_005010X221A1_managed-care.835'));
    const segs = tokenize(raw.toString('utf8'), 64);
    expect(segs.filter((s) => s.id === 'CLP').map((s) => s.elements[1])).toEqual([
      '5554555444',
      '8765432112',
    ]);
  });
});
