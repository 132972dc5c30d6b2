// Malformed FHIR exports: each gives a ClaimlensError naming the file and the record (line).
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ClaimlensError } from '../../../src/errors.ts';
import { ndc11 } from '../../../src/sources/fhir/codes.ts';
import { refKey } from '../../../src/sources/fhir/map.ts';
import { loadSource } from '../../../src/sources/index.ts';
import { fixture } from './helpers.ts';

function folder(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(join(tmpdir(), 'fhir-bad-'));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return dir;
}

async function loadError(dir: string, format = 'fhir'): Promise<ClaimlensError> {
  const warehouse = join(mkdtempSync(join(tmpdir(), 'fhir-bad-wh-')), 'w.duckdb');
  try {
    await loadSource(warehouse, dir, { format });
  } catch (err) {
    expect(err).toBeInstanceOf(ClaimlensError);
    return err as ClaimlensError;
  }
  throw new Error('expected the load to fail');
}

const bb = (name: string) => readFileSync(join(fixture('fhir-carin-bb'), name), 'utf8');
const patient = '{"resourceType":"Patient","id":"p1","gender":"female","birthDate":"1970-01-01"}';

describe('FHIR adapter errors', () => {
  it('names the file and line of a truncated JSON line', async () => {
    const [first, second] = bb('ExplanationOfBenefit.ndjson').split('\n');
    const dir = folder({
      'Patient.ndjson': `${patient}\n`,
      'ExplanationOfBenefit.ndjson': `${first}\n${second!.slice(0, 200)}\n`,
    });
    const err = await loadError(dir, 'auto');
    expect(err.location).toEqual({ file: 'ExplanationOfBenefit.ndjson', line: 2 });
    expect(err.describe()).toMatch(/^ExplanationOfBenefit\.ndjson:2: record 2 is not valid JSON/);
  });

  it('names the file and line of a resource of the wrong type', async () => {
    const dir = folder({
      'Patient.ndjson': `${patient}\n${patient.replace('p1', 'p2')}\n${bb('Coverage.ndjson').split('\n')[0]}\n`,
    });
    const err = await loadError(dir);
    expect(err.location).toEqual({ file: 'Patient.ndjson', line: 3 });
    expect(err.message).toBe('record 3 is a Coverage, but the file name says it holds Patient resources');
  });

  it('names an empty file', async () => {
    const dir = folder({ 'Patient.ndjson': `${patient}\n`, 'Coverage.ndjson': '' });
    const err = await loadError(dir);
    expect(err.location).toEqual({ file: 'Coverage.ndjson', line: 1 });
    expect(err.message).toMatch(/the file is empty/);
  });

  it('names a line that is JSON but no resource', async () => {
    const dir = folder({ 'Patient.ndjson': `${patient}\n\n[1, 2]\n` });
    const err = await loadError(dir);
    expect(err.location).toEqual({ file: 'Patient.ndjson', line: 3 });
    expect(err.message).toBe('record 3 is not a JSON object: expected one FHIR resource');
  });

  it('names the line of a broken Bundle and the entry without a resource', async () => {
    const text = readFileSync(join(fixture('fhir-bundle'), 'searchset.json'), 'utf8');
    const lines = text.split('\n');
    // A doubled comma after the first `"outcome": "complete",`.
    const at = lines.findIndex((l) => l.trim() === '"outcome": "complete",');
    expect(at).toBeGreaterThan(0);
    const broken = [...lines.slice(0, at), `${lines[at]},`, ...lines.slice(at + 1)].join('\n');
    const err = await loadError(folder({ 'bundle.json': broken }), 'auto');
    expect(err.location?.file).toBe('bundle.json');
    expect(err.location?.line).toBe(at + 1);
    expect(err.message).toMatch(/^not valid JSON/);

    const bundle = JSON.parse(text);
    bundle.entry[1] = { fullUrl: 'urn:uuid:x' };
    const err2 = await loadError(folder({ 'bundle.json': JSON.stringify(bundle) }));
    expect(err2.describe()).toBe('bundle.json: Bundle entry 2 has no resource');
  });

  it('says when a folder holds no FHIR files', async () => {
    const err = await loadError(folder({ 'notes.txt': 'hello\n' }));
    expect(err.message).toMatch(/^no FHIR R4 .* files here \(see docs\/sources\/fhir\.md/);
  });

  it('reads gzipped NDJSON and files in a subfolder', async () => {
    const dir = folder({});
    for (const name of ['Patient', 'Coverage', 'Organization', 'Practitioner', 'Claim']) {
      writeFileSync(join(dir, `${name}.ndjson.gz`), gzipSync(bb(`${name}.ndjson`)));
    }
    mkdirSync(join(dir, 'eob'));
    writeFileSync(join(dir, 'eob', 'ExplanationOfBenefit_1.ndjson'), bb('ExplanationOfBenefit.ndjson'));
    const warehouse = join(mkdtempSync(join(tmpdir(), 'fhir-gz-')), 'w.duckdb');
    const report = await loadSource(warehouse, dir, { format: 'auto' });
    expect(report.source?.format).toBe('fhir');
    expect(report.source?.tables).toMatchObject({ medical_claim: 4, pharmacy_claim: 1, eligibility: 2 });
    expect(report.load.rowsQuarantined).toBe(0);
  });
});

describe('FHIR code helpers', () => {
  it('puts NDCs in the 11-digit 5-4-2 form', () => {
    expect(ndc11('0002-8215-01')).toBe('00002821501');
    expect(ndc11('50090-3470-1')).toBe('50090347001');
    expect(ndc11('12345-678-90')).toBe('12345067890');
    expect(ndc11('00002821501')).toBe('00002821501');
    expect(ndc11('0002821501')).toBeUndefined();
  });

  it('reads references by type and id, through Bundle aliases', () => {
    expect(refKey({ reference: 'Patient/abc' })).toBe('Patient/abc');
    expect(refKey({ reference: 'https://fhir.example.org/r4/Coverage/c-1/_history/3' })).toBe('Coverage/c-1');
    expect(refKey({ reference: 'urn:uuid:1' }, new Map([['urn:uuid:1', 'Patient/p9']]))).toBe('Patient/p9');
    expect(refKey({ display: 'no reference' })).toBeUndefined();
  });
});
