// The X12 source adapter's public surface: read 835 remittances and 837 claims into input-layer
// rows (streaming), and the tokenizer for callers that need raw segments.
export { type CountMismatch, EnvelopeWalker, TransactionChecker } from './envelope.ts';
export { remitStatus } from './map835.ts';
export type { ClaimStatus } from './mapper.ts';
export {
  BUFFER_LIMIT,
  openX12Directory,
  openX12File,
  readX12Directory,
  readX12File,
  type X12Result,
  type X12Stream,
} from './reader.ts';
export { parseIsa, readSegments, segmentBatches, type TokenizeOptions, Tokenizer } from './tokenizer.ts';
export {
  type Delimiters,
  type Segment,
  X12_TABLES,
  type X12FileReport,
  type X12Options,
  type X12Problem,
  type X12Record,
  type X12Report,
  type X12Row,
  type X12Table,
  type X12Warning,
} from './types.ts';
