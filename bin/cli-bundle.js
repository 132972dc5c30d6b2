// The CLI's start-up cache: the TypeScript sources bundled once into plain JavaScript, so a
// command does not pay tsx's on-the-fly transform of every module (about 0.2 s per call, a fifth of
// a KPI answer on the 1M book). Plain JS so that it runs before any loader is registered.
//
// The bundle lives in node_modules/.cache/claimlens-cli/<fingerprint>/, where the fingerprint is
// taken over the path, size and modification time of every source file: any edit, checkout or
// pull gives a new fingerprint, so a stale bundle is never run. Building takes about 0.2 s with
// esbuild (which tsx itself depends on), into a temporary folder renamed into place, so processes
// starting together never see half a bundle. Anything unexpected returns undefined and the caller
// falls back to tsx: the cache can make the CLI faster, never break it.
//
// Worker thread entries (src/**/*-worker.ts) are bundled too, each under workers/ with its path in
// src, so a worker the bundled CLI starts loads plain JavaScript instead of registering tsx and
// transforming its modules again (at 1M, 0.08-0.10 s from the main shard's start to the worker's
// first member, against 0.34-0.39 s with tsx).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const SRC = join(ROOT, 'src');
const ENTRY = join(SRC, 'cli', 'main.ts');
const CACHE = join(ROOT, 'node_modules', '.cache', 'claimlens-cli');
/** Bump when the bundling below changes, so bundles built the old way are not reused. */
const RECIPE = '2';
/**
 * Bundles kept besides the current one: the newest few, and any younger than ten minutes (a process
 * started from one may still load a lazy chunk of it), so edits do not pile bundles up.
 */
const KEEP_NEWEST = 8;
const KEEP_MS = 10 * 60 * 1000;

/** Path, size and mtime of every file under `dir` (src: about 270 stats, a few milliseconds). */
export function fingerprint(dir = SRC) {
  const hash = createHash('sha256').update(`${RECIPE}\0${process.version}\0${dir}\0`);
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true }).sort(byPath)) {
    if (!entry.isFile()) continue;
    const file = join(entry.parentPath ?? entry.path, entry.name);
    const st = statSync(file);
    hash.update(`${file}\0${st.size}\0${st.mtimeMs}\0`);
  }
  return hash.digest('hex').slice(0, 16);
}

function byPath(a, b) {
  const pa = join(a.parentPath ?? a.path, a.name);
  const pb = join(b.parentPath ?? b.path, b.name);
  return pa < pb ? -1 : pa > pb ? 1 : 0;
}

/**
 * esbuild plugin: `import.meta.url` becomes the URL of the source file it is written in, so paths
 * the code resolves next to itself (models, policy, web assets, worker modules) stay the sources'.
 */
const sourceUrls = {
  name: 'claimlens-source-urls',
  setup(build) {
    build.onLoad({ filter: /\.tsx?$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      return {
        contents: text.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)),
        loader: args.path.endsWith('.tsx') ? 'tsx' : 'ts',
      };
    });
  },
};

/** The source files of worker thread entries: every `*-worker.ts` under src. */
function workerSources() {
  return readdirSync(SRC, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('-worker.ts'))
    .map((e) => join(e.parentPath ?? e.path, e.name))
    .sort();
}

/** The bundle's entry name of a worker source: workers/ and its path in src, without extension. */
function workerEntry(source) {
  return join('workers', relative(SRC, source)).replace(/\.ts$/, '');
}

async function bundle(outdir) {
  const { build } = await import('esbuild');
  const workers = Object.fromEntries(workerSources().map((file) => [workerEntry(file), file]));
  await build({
    entryPoints: { main: ENTRY, ...workers },
    bundle: true,
    // Chunks keep commands (and their packages, such as the PostgreSQL driver) loaded on demand.
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    outdir,
    sourcemap: 'linked',
    sourcesContent: false,
    logLevel: 'silent',
    plugins: [sourceUrls],
  });
}

function removeOld(keep) {
  const others = [];
  for (const name of readdirSync(CACHE)) {
    if (name === keep) continue;
    try {
      others.push({ dir: join(CACHE, name), mtime: statSync(join(CACHE, name)).mtimeMs });
    } catch {
      // Another process removed it first.
    }
  }
  others.sort((a, b) => b.mtime - a.mtime);
  for (const { dir, mtime } of others.slice(KEEP_NEWEST)) {
    if (Date.now() - mtime > KEEP_MS) rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The bundled entry of a worker module (a `*-worker.ts` source URL) in the bundle whose main entry is
 * `main` (a file URL from `bundledCli`), or undefined when the bundle has none.
 */
export function bundledWorker(main, source) {
  const file = join(dirname(fileURLToPath(main)), `${workerEntry(fileURLToPath(source))}.js`);
  return existsSync(file) ? pathToFileURL(file) : undefined;
}

/** The bundled CLI entry for the current sources (built when missing), or undefined to use tsx. */
export async function bundledCli() {
  if (process.env.CLAIMLENS_TSX === '1' || !existsSync(ENTRY)) return undefined;
  try {
    const key = fingerprint();
    const dir = join(CACHE, key);
    const main = join(dir, 'main.js');
    if (!existsSync(main)) {
      mkdirSync(CACHE, { recursive: true });
      const tmp = `${dir}.tmp-${process.pid}`;
      await bundle(tmp);
      try {
        renameSync(tmp, dir);
      } catch {
        // Another process renamed its identical bundle into place first.
        rmSync(tmp, { recursive: true, force: true });
        if (!existsSync(main)) return undefined;
      }
      removeOld(key);
    }
    return pathToFileURL(main).href;
  } catch {
    return undefined;
  }
}
