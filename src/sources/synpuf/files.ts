// The files of a CMS DE-SynPUF folder, recognized by their CMS names: DE1_0_<years>_<kind>_Sample_<n>
// with an optional carrier part letter (1A, 1B), an optional suffix of extracts (_subset, _small) and an
// optional numeric download prefix (176541_DE1_0_...), as the CMS zips and the OHDSI ETL fixtures name them.

export type SynpufKind = 'beneficiary' | 'inpatient' | 'outpatient' | 'carrier' | 'pde';

export interface SynpufFile {
  /** Entry name in the load folder. */
  file: string;
  kind: SynpufKind;
  /** Calendar year of a beneficiary summary file (2008, 2009, 2010); undefined for claim files. */
  year?: number;
  /** Sample number and part, e.g. '1', '1A', '0B'. */
  sample: string;
}

const KINDS: Record<string, SynpufKind> = {
  beneficiary_summary_file: 'beneficiary',
  inpatient_claims: 'inpatient',
  outpatient_claims: 'outpatient',
  carrier_claims: 'carrier',
  prescription_drug_events: 'pde',
};

const NAME =
  /^(?:\d+_)?DE1_0_(\d{4})(?:_to_(\d{4}))?_(Beneficiary_Summary_File|Inpatient_Claims|Outpatient_Claims|Carrier_Claims|Prescription_Drug_Events)_Sample_(\d+[A-Z]?)(?:_[A-Za-z0-9]+)*\.csv$/i;

/** The DE-SynPUF file an entry name denotes, or undefined. */
export function parseSynpufName(entry: string): SynpufFile | undefined {
  const m = NAME.exec(entry);
  if (!m) return undefined;
  const kind = KINDS[m[3]!.toLowerCase()]!;
  const file: SynpufFile = { file: entry, kind, sample: m[4]!.toUpperCase() };
  // A beneficiary summary covers one year; a claims file names a range (2008_to_2010).
  if (kind === 'beneficiary' && m[2] === undefined) file.year = Number(m[1]);
  return file;
}

/** DE-SynPUF files among a folder's entries, in name order. */
export function synpufFiles(entries: readonly string[]): SynpufFile[] {
  return entries.flatMap((e) => {
    const f = parseSynpufName(e);
    return f ? [f] : [];
  });
}
