// The dashboard on public data instead of the generator: each real-world sample loaded through its
// adapter and built, then every page opened in headless Chromium. Pages render without errors; what
// the source lacks is said above the numbers (and on the overview cards), never shown as zeros.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ClaimlensServer, createServer } from '../../src/server/app.ts';
import { CHROMIUM_ARGS, chromiumPath, pageSettled } from '../../src/server/pdf.ts';
import { buildProduct } from '../../src/services/pipeline.ts';
import { loadSource } from '../../src/sources/index.ts';
import { testConfig } from '../server/fixture.ts';
import { ensureWebBuild } from './build.ts';

const SHOTS = join(process.cwd(), 'test-output', 'screenshots', 'sources');

/** Samples with the pages to open and a page whose whole domain the source cannot support. */
const SOURCES = [
  { name: 'synthea', dir: '../shared/datasets/synthea-csv', lacking: 'denials' },
  { name: 'fhir', dir: 'test/fixtures/fhir-synthea', lacking: 'denials' },
  { name: 'synpuf', dir: '../shared/datasets/cms-desynpuf', lacking: 'rcm' },
] as const;
const PAGES = ['', 'cost', 'denials', 'rcm', 'readmissions', 'payers'];

let dir: string;
let browser: Browser;

beforeAll(async () => {
  ensureWebBuild();
  dir = mkdtempSync(join(tmpdir(), 'claimlens-web-sources-'));
  browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
  mkdirSync(SHOTS, { recursive: true });
}, 300_000);

afterAll(async () => {
  await browser?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe.each(SOURCES)('the dashboard on the $name sample', ({ name, dir: source, lacking }) => {
  let server: ClaimlensServer;
  let base: string;

  beforeAll(async () => {
    const warehouse = join(dir, `${name}.duckdb`);
    await loadSource(warehouse, source, { format: name }, { threads: 1 });
    await buildProduct(warehouse, { open: { threads: 1 } });
    server = await createServer({ config: testConfig(warehouse) });
    base = await server.app.listen({ host: '127.0.0.1', port: 0 });
  }, 300_000);

  afterAll(async () => {
    await server?.app.close();
  });

  it.each(PAGES)('page /%s renders', async (path) => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    try {
      await page.goto(`${base}/${path}`);
      await page.waitForFunction(pageSettled, undefined, { timeout: 30_000 });
      expect(errors).toEqual([]);
      expect(await page.locator('[data-state="error"]').count()).toBe(0);
      if (path === '') {
        // The overview card of a domain the source cannot support says so instead of showing numbers.
        const card = page.locator(`[data-domain-card="${lacking}"] [data-state="not-available"]`);
        expect(await card.textContent()).toMatch(/^Not available from this source/);
      } else if (path === lacking) {
        expect(await page.locator('[data-testid="source-gaps"]').textContent()).toContain(
          'this page has nothing to show without it',
        );
      } else if (path === 'cost') {
        // Cost works from claims and eligibility: its numbers are there.
        expect(await page.locator('[data-headline="cost"] [data-metric="paid"]').count()).toBe(1);
        expect(await page.locator('tbody tr').count()).toBeGreaterThan(0);
      }
      await page.screenshot({ path: join(SHOTS, `${name}-${path || 'overview'}.png`), fullPage: true });
    } finally {
      await page.close();
    }
  });
});
