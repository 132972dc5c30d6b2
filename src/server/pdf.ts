// Prints the offline report to PDF with the system's headless Chromium (playwright-core drives it; no
// browser is downloaded). Every page of the dashboard is printed, one after the other.
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { ClaimlensError } from '../errors.ts';

export const DEFAULT_CHROMIUM = '/usr/bin/chromium';

/** Flags for a headless Chromium that stays quiet on the network (no updates, sync or QUIC probes). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function chromiumPath(): string {
  const path = process.env.CLAIMLENS_CHROMIUM ?? DEFAULT_CHROMIUM;
  if (!existsSync(path)) {
    throw new ClaimlensError(
      'config',
      `no Chromium at ${path}: install it (Debian: apt-get install chromium) or set CLAIMLENS_CHROMIUM to its path`,
    );
  }
  return path;
}

interface PageDocument {
  querySelector(selector: string): unknown;
  querySelectorAll(selector: string): { length: number };
  documentElement: { dataset: Record<string, string | undefined> };
}

/**
 * True in the browser once the dashboard has drawn: the shell is up, nothing is loading, no request or
 * chart is in flight and every chart canvas has finished. Runs in the page (playwright serializes it).
 */
export function pageSettled(): boolean {
  // Typed by hand: the server's TypeScript has no DOM library.
  const doc = (globalThis as unknown as { document: PageDocument }).document;
  return (
    doc.querySelector('.layout') !== null &&
    doc.documentElement.dataset.busy === '0' &&
    doc.querySelectorAll('[data-state="loading"]').length === 0 &&
    doc.querySelectorAll('.chart-canvas:not([data-rendered])').length === 0
  );
}

/** Opens `htmlPath` from disk at its all-pages view, waits for every chart to draw, and writes `pdfPath`. */
export async function printPdf(htmlPath: string, pdfPath: string): Promise<void> {
  const { chromium } = await import('playwright-core');
  // playwright-core gives each launch a fresh temporary profile, removed on close.
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
  try {
    // A landscape Letter page is about 1000 CSS pixels wide: lay the charts out at that width.
    const page = await browser.newPage({ viewport: { width: 1000, height: 1400 }, deviceScaleFactor: 2 });
    // Print media from the start, so charts are drawn at their printed size, not resized afterwards.
    await page.emulateMedia({ media: 'print' });
    await page.goto(`${pathToFileURL(htmlPath).href}#/print`);
    await page.waitForFunction(pageSettled, undefined, { timeout: 60_000 });
    await page.pdf({
      path: pdfPath,
      format: 'Letter',
      landscape: true,
      printBackground: true,
      margin: { top: '12mm', bottom: '12mm', left: '10mm', right: '10mm' },
    });
  } finally {
    await browser.close();
  }
}
