#!/usr/bin/env node
// Entry point: runs the CLI from its start-up bundle (bin/cli-bundle.js) when one can be had for
// the current sources, else from the TypeScript sources through the tsx loader.
import { bundledCli, bundledWorker } from './cli-bundle.js';

const bundled = await bundledCli();
if (bundled) {
  // Stack traces of internal errors point at the TypeScript sources, not the bundle.
  process.setSourceMapsEnabled(true);
  // Workers started from the bundle load their bundled entries (src/worker.ts looks this up).
  globalThis[Symbol.for('claimlens.bundledWorker')] = (source) => bundledWorker(bundled, source);
  await import(bundled);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
