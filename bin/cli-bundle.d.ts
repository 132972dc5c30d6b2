// Types of bin/cli-bundle.js (plain JavaScript, so it runs before any TypeScript loader).
export function fingerprint(dir?: string): string;
export function bundledCli(): Promise<string | undefined>;
export function bundledWorker(main: string, source: URL): URL | undefined;
