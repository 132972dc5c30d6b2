// Segment ids each transaction set may contain (4010 and 5010 guides, all 837 variants): a segment
// outside its set means a corrupted or mislabelled transaction, which is quarantined.

/** Syntax of a segment id: a letter and one or two letters or digits. */
export const SEGMENT_ID = /^[A-Z][A-Z0-9]{1,2}$/;

const SEGMENTS_835 =
  'ST SE BPR TRN CUR REF DTM N1 N2 N3 N4 PER RDM LX TS3 TS2 CLP CAS NM1 MIA MOA AMT QTY SVC LQ PLB'.split(
    ' ',
  );

const SEGMENTS_837 =
  'ST SE BHT REF NM1 N2 N3 N4 PER HL PRV SBR PAT DMG CUR CLM DTP CL1 PWK CN1 AMT K3 NTE CR1 CR2 CR3 CR4 CR5 CR6 CR7 CR8 CRC HI HCP QTY MEA LX SV1 SV2 SV3 SV4 SV5 SV6 SV7 TOO PS1 HSD LIN CTP SVD CAS OI MIA MOA LQ FRM DN1 DN2 DSB UR IMM INS'.split(
    ' ',
  );

/** Transaction sets claimlens maps, with their segment dictionaries. Other sets are skipped. */
export const KNOWN_SEGMENTS: Readonly<Record<string, ReadonlySet<string>>> = {
  '835': new Set(SEGMENTS_835),
  '837': new Set(SEGMENTS_837),
};

/** 837 variant from the implementation guide in ST03 or GS08 (P professional, I institutional, D dental). */
export function transactionKind(setId: string, version: string): string {
  if (setId !== '837') return setId;
  if (/X222|X098/.test(version)) return '837P';
  if (/X223|X096/.test(version)) return '837I';
  if (/X224|X097/.test(version)) return '837D';
  return '837';
}
