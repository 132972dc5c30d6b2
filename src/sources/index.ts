// Every source adapter, registered on import: import this module (not the adapters one by one)
// wherever `--format` is parsed or a folder is recognized.
import './synthea/adapter.ts';
import './x12/adapter.ts';
import './fhir/adapter.ts';
import './synpuf/adapter.ts';

export type { Capability, SourceAdapter, SourceGap, SourceReport } from './adapter.ts';
export { CAPABILITIES } from './adapter.ts';
export { loadSource, type SourceLoadReport } from './load.ts';
export { findSource, recognize, sourceAdapters, sourceFormats } from './registry.ts';
