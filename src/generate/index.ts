// Public surface of the synthetic data generator.
export { type GenerateProgress, type GenerateReport, generateBook } from './book.ts';
export {
  DEFAULT_END,
  DEFAULT_KNOBS,
  DEFAULT_MONTHS,
  type GenerateOptions,
  type Knobs,
  type OutputFormat,
} from './options.ts';
