// Public surface of the server: build it, snapshot it for the offline report, print that to PDF,
// and the API contract the dashboard shares.
export type * from './api.ts';
export { apiPath, isSuppressed, SNAPSHOT_ELEMENT_ID } from './api.ts';
export { type ClaimlensServer, createServer, DEFAULT_WEB_DIR, type ServerOptions } from './app.ts';
export { type ServerConfig, serverConfigSchema } from './config.ts';
export { chromiumPath, pageSettled, printPdf } from './pdf.ts';
export { fillTemplate, governedSnapshot, readTemplate, snapshotPaths } from './snapshot.ts';
