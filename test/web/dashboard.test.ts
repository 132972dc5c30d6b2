// The dashboard in headless Chromium (the system's, driven by playwright-core) against a real server
// on loopback: every page draws charts and tables from a built warehouse, filters change numbers and
// URL, states show, and the offline report opens from disk with the API's numbers. Screenshots go
// to test-output/screenshots/.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/program.ts';
import { createLocalToken } from '../../src/governance/auth.ts';
import { createKeyFile, loadKey } from '../../src/governance/key.ts';
import { loadPolicy } from '../../src/governance/policy.ts';
import { type ApiKpiResult, type ApiMeta, isSuppressed } from '../../src/server/api.ts';
import { type ClaimlensServer, createServer } from '../../src/server/app.ts';
import { CHROMIUM_ARGS, chromiumPath, pageSettled } from '../../src/server/pdf.ts';
import { buildTestWarehouse, testConfig } from '../server/fixture.ts';
import { ensureWebBuild } from './build.ts';

const SHOTS = join(process.cwd(), 'test-output', 'screenshots');

/** Every page of the nav, with the KPI domain behind it (none for the overview and data quality). */
const PAGES = [
  ['overview', ''],
  ['cost', 'cost'],
  ['denials', 'denials'],
  ['rcm', 'rcm'],
  ['patients', 'patients'],
  ['readmissions', 'readmissions'],
  ['adherence', 'adherence'],
  ['providers', 'providers'],
  ['payers', 'payers'],
  ['programs', 'programs'],
  ['quality', ''],
] as const;

let dir: string;
let warehouse: string;
let server: ClaimlensServer;
let base: string;
let browser: Browser;

async function open(url: string, viewport = { width: 1366, height: 768 }): Promise<Page> {
  const page = await browser.newPage({ viewport });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url);
  await page.waitForFunction(pageSettled, undefined, { timeout: 30_000 });
  expect(errors).toEqual([]);
  return page;
}

async function settle(page: Page): Promise<void> {
  await page.waitForFunction(pageSettled, undefined, { timeout: 30_000 });
}

async function api<T>(path: string): Promise<T> {
  const res = await server.app.inject(path);
  return JSON.parse(res.body) as T;
}

beforeAll(async () => {
  ensureWebBuild();
  dir = mkdtempSync(join(tmpdir(), 'claimlens-web-'));
  warehouse = await buildTestWarehouse(join(dir, 'w'));
  server = await createServer({ config: testConfig(warehouse) });
  base = await server.app.listen({ host: '127.0.0.1', port: 0 });
  browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
  mkdirSync(SHOTS, { recursive: true });
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await server?.app.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('every page renders from the warehouse', () => {
  it.each(PAGES)('%s', async (id, domain) => {
    const page = await open(`${base}/${id === 'overview' ? '' : id}`);
    try {
      expect(await page.locator('[data-state="error"]').count()).toBe(0);
      expect(await page.locator('[data-state="absent"]').count()).toBe(0);
      const charts = await page.locator('[data-chart]').count();
      const drawn = await page.locator('[data-chart] canvas').count();
      const empty = await page.locator('[data-chart][data-points="0"]').count();
      expect(charts).toBeGreaterThan(0);
      expect(drawn).toBeGreaterThanOrEqual(charts - empty);
      expect(empty).toBeLessThan(charts);
      if (id !== 'overview') expect(await page.locator('tbody tr').count()).toBeGreaterThan(0);
      if (domain) {
        // The headline cards carry the API's numbers.
        const result = await api<ApiKpiResult>(`/api/kpi/${domain}`);
        const [metric, value] = Object.entries(result.headline).find(([, v]) => typeof v === 'number')!;
        const card = page.locator(`[data-headline="${domain}"] [data-metric="${metric}"]`).first();
        expect(await card.getAttribute('data-value')).toBe(String(value));
      }
      // Readable on a 1366x768 laptop: nothing wider than the window.
      // A string expression: the tests' TypeScript has no DOM library.
      expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(1366);
      await page.screenshot({ path: join(SHOTS, `${id}.png`), fullPage: true });
    } finally {
      await page.close();
    }
  });
});

describe('filters', () => {
  it('a payer and a period change the numbers and the URL', async () => {
    const page = await open(`${base}/cost`);
    try {
      const paid = () =>
        page.locator('[data-headline="cost"] [data-metric="paid"]').getAttribute('data-value');
      const all = await paid();
      const meta = await api<ApiMeta>('/api/meta');
      const payer = meta.data.payers[0]!;
      await page.selectOption('select[name="payer"]', payer);
      await settle(page);
      expect(new URL(page.url()).searchParams.get('payer')).toBe(payer);
      const onePayer = await paid();
      expect(Number(onePayer)).toBeLessThan(Number(all));
      const expected = await api<ApiKpiResult>(`/api/kpi/cost?payer=${encodeURIComponent(payer)}`);
      expect(onePayer).toBe(String(expected.headline.paid));

      await page.selectOption('select[name="period-kind"]', 'quarter');
      await settle(page);
      const period = new URL(page.url()).searchParams.get('period');
      expect(period).toMatch(/^\d{4}Q[1-4]$/);
      expect(await page.locator('[data-scope="cost"]').textContent()).toContain(period!);
      expect(Number(await paid())).toBeLessThan(Number(onePayer));

      // Back restores the previous filters from the URL.
      await page.goBack();
      await settle(page);
      expect(new URL(page.url()).searchParams.get('period')).toBeNull();
      expect(await paid()).toBe(onePayer);
    } finally {
      await page.close();
    }
  });

  it('a plan and a state change the numbers and the URL, and reset clears them', async () => {
    const page = await open(`${base}/denials`);
    try {
      const lines = () =>
        page
          .locator('[data-headline="denials"] [data-metric="adjudicated_lines"]')
          .getAttribute('data-value');
      const all = await lines();
      const meta = await api<ApiMeta>('/api/meta');
      expect(meta.data.plans.length).toBeGreaterThan(1);
      expect(meta.data.states.length).toBeGreaterThan(1);
      const plan = meta.data.plans[0]!;
      await page.selectOption('select[name="plan"]', plan);
      await settle(page);
      expect(new URL(page.url()).searchParams.get('plan')).toBe(plan);
      const onePlan = await lines();
      expect(Number(onePlan)).toBeLessThan(Number(all));
      const expected = await api<ApiKpiResult>(`/api/kpi/denials?plan=${encodeURIComponent(plan)}`);
      expect(expected.plan).toBe(plan);
      expect(onePlan).toBe(String(expected.headline.adjudicated_lines));
      expect(await page.locator('[data-scope="denials"]').textContent()).toContain(`plan ${plan}`);

      const state = meta.data.states[0]!;
      await page.selectOption('select[name="state"]', state);
      await settle(page);
      const url = new URL(page.url());
      expect(url.searchParams.get('plan')).toBe(plan);
      expect(url.searchParams.get('state')).toBe(state);
      const both = await api<ApiKpiResult>(
        `/api/kpi/denials?plan=${encodeURIComponent(plan)}&state=${state}`,
      );
      expect(await lines()).toBe(String(both.headline.adjudicated_lines));
      expect(Number(await lines())).toBeLessThan(Number(onePlan));
      await page.screenshot({ path: join(SHOTS, 'filters-plan-state.png'), fullPage: true });

      // Another page keeps the filters: they live in the URL.
      await page.click('nav a[href^="/cost"]');
      await settle(page);
      expect(new URL(page.url()).searchParams.get('state')).toBe(state);
      const cost = await api<ApiKpiResult>(`/api/kpi/cost?plan=${encodeURIComponent(plan)}&state=${state}`);
      expect(
        await page.locator('[data-headline="cost"] [data-metric="paid"]').getAttribute('data-value'),
      ).toBe(String(cost.headline.paid));

      await page.click('.filters button.link');
      await settle(page);
      expect(new URL(page.url()).search).toBe('');
    } finally {
      await page.close();
    }
  });

  it('a custom range filters the payer scorecard', async () => {
    const page = await open(`${base}/payers?from=2025-02-01&to=2025-04-30`);
    try {
      expect(await page.locator('[data-scope="payers"]').textContent()).toContain('2025-02-01..2025-04-30');
      expect(await page.locator('select[name="period-kind"]').inputValue()).toBe('range');
      expect(await page.locator('input[name="from"]').inputValue()).toBe('2025-02-01');
    } finally {
      await page.close();
    }
  });
});

describe('tables and states', () => {
  it('sorts a column and downloads the table as CSV', async () => {
    const page = await open(`${base}/payers`);
    try {
      const table = page.locator('[data-table^="Payer scorecard"]');
      await table.locator('th', { hasText: 'Claims' }).first().locator('button').click();
      expect(await table.locator('th[aria-sort="descending"]').count()).toBe(1);
      const claims = await table.locator('tbody tr td:nth-child(4)').allTextContents();
      const numbers = claims.map((c) => Number(c.replace(/,/g, '')));
      expect(numbers).toEqual([...numbers].sort((a, b) => b - a));
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        table.getByRole('button', { name: 'Download CSV' }).click(),
      ]);
      const csv = readFileSync((await download.path())!, 'utf8').split('\r\n');
      expect(csv[0]!.startsWith('rank,payer,risk_label,claims,')).toBe(true);
      expect(csv.length - 1).toBe(await table.locator('tbody tr').count());
    } finally {
      await page.close();
    }
  });

  it('shows an error state when the API fails and an absent state for a domain the server lacks', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    try {
      await page.route('**/api/kpi/denials', (route) =>
        route.fulfill({
          status: 503,
          contentType: 'application/json',
          body: JSON.stringify({
            error: 'warehouse',
            status: 503,
            message: 'the warehouse has no marts.denial_monthly',
          }),
        }),
      );
      await page.goto(`${base}/denials`);
      await settle(page);
      expect(await page.locator('[data-state="error"]').textContent()).toContain(
        'the warehouse has no marts.denial_monthly',
      );

      await page.route('**/api/meta', async (route) => {
        const res = await route.fetch();
        const meta = (await res.json()) as ApiMeta;
        await route.fulfill({
          response: res,
          json: { ...meta, domains: meta.domains.filter((d) => d.name !== 'adherence') },
        });
      });
      await page.goto(`${base}/adherence`);
      await settle(page);
      expect(await page.locator('[data-state="absent"]').textContent()).toContain(
        'The adherence domain is not available yet',
      );
      expect(await page.locator('[data-chart]').count()).toBe(0);
    } finally {
      await page.close();
    }
  });

  it('prints without navigation or filter controls', async () => {
    const page = await open(`${base}/cost`);
    try {
      await page.emulateMedia({ media: 'print' });
      expect(await page.locator('nav.sidebar').isVisible()).toBe(false);
      expect(await page.locator('select[name="payer"]').isVisible()).toBe(false);
      expect(await page.locator('.filters .print-only').textContent()).toContain('all payers');
    } finally {
      await page.close();
    }
  });
});

describe('governance in the dashboard', () => {
  it('shows suppressed cells as suppressed for an aggregate-only role', async () => {
    const exec = await createServer({ config: testConfig(warehouse, { role: 'executive' }) });
    const execBase = await exec.app.listen({ host: '127.0.0.1', port: 0 });
    try {
      // A page whose tables have suppressed cells for this role.
      let target: string | undefined;
      for (const [id, domain] of PAGES) {
        if (!domain) continue;
        const r = JSON.parse((await exec.app.inject(`/api/kpi/${domain}`)).body) as ApiKpiResult;
        if (r.sections.some((s) => s.rows.some((row) => Object.values(row).some(isSuppressed)))) {
          target = id;
          break;
        }
      }
      expect(target).toBeDefined();
      const page = await open(`${execBase}/${target}`);
      try {
        expect(await page.locator('td.suppressed').count()).toBeGreaterThan(0);
        expect(await page.locator('td.suppressed').first().textContent()).toBe('suppressed');
        expect(await page.locator('.scope').first().textContent()).toMatch(
          /Role executive: \d+ cells suppressed/,
        );
        await page.screenshot({ path: join(SHOTS, `suppressed-${target}.png`), fullPage: true });
      } finally {
        await page.close();
      }
    } finally {
      await exec.app.close();
    }
  });

  it('asks for a bearer token and signs in with one', async () => {
    const keyFile = createKeyFile(join(dir, 'keys', 'key'));
    const token = await createLocalToken(loadKey(keyFile).key, loadPolicy(), {
      role: 'finance',
      subject: 'fin',
      days: 1,
      epoch: 1,
    });
    const secure = await createServer({ config: testConfig(warehouse, { auth: 'bearer' }, { keyFile }) });
    const secureBase = await secure.app.listen({ host: '127.0.0.1', port: 0 });
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    try {
      await page.goto(`${secureBase}/payers`);
      await page.waitForSelector('[data-state="unauthenticated"]');
      await page.fill('input[name="token"]', token);
      await page.click('.sign-in button[type="submit"]');
      await page.waitForSelector('[data-headline="payers"]');
      await settle(page);
      expect(await page.locator('.sidebar-foot').textContent()).toContain('Role: finance');
      // A domain outside the finance role is marked absent in the navigation and on its page.
      expect(await page.locator('nav a.absent', { hasText: 'Readmissions' }).count()).toBe(1);
      // A token given in the URL is taken and removed from it.
      await page.goto(`${secureBase}/cost#token=${token}`);
      await settle(page);
      expect(page.url()).toBe(`${secureBase}/cost`);
      expect(await page.locator('[data-state="error"], [data-state="unauthenticated"]').count()).toBe(0);
    } finally {
      await page.close();
      await secure.app.close();
    }
  });
});

describe('offline report', () => {
  it('opens from disk with no network and shows the API headline numbers', async () => {
    const out = join(dir, 'report.html');
    expect(await main(['report', '--out', out, '--warehouse', warehouse, '--quiet'])).toBe(0);
    const html = readFileSync(out, 'utf8');
    // Only opening tags are checked: the inlined code itself may spell `<script src=` in strings.
    const tags = html.replace(/(<script\b[^>]*>)[\s\S]*?<\/script>/g, '$1');
    expect(tags.match(/<script[^>]*\bsrc=|<link[^>]*\bhref=/g)).toBeNull();
    expect(tags.match(/<script/g)?.length).toBe(2);
    const context = await browser.newContext({ offline: true, viewport: { width: 1366, height: 768 } });
    const requests: string[] = [];
    context.on('request', (r) => {
      if (!r.url().startsWith('file:') && !r.url().startsWith('blob:') && !r.url().startsWith('data:'))
        requests.push(r.url());
    });
    const page = await context.newPage();
    try {
      await page.goto(pathToFileURL(out).href);
      await settle(page);
      for (const domain of ['cost', 'payers', 'providers', 'programs', 'denials', 'rcm']) {
        const result = await api<ApiKpiResult>(`/api/kpi/${domain}`);
        for (const [metric, value] of Object.entries(result.headline).slice(0, 3)) {
          const card = page.locator(`[data-headline="${domain}"] [data-metric="${metric}"]`);
          if ((await card.count()) === 0) continue;
          expect(await card.first().getAttribute('data-value')).toBe(value === null ? '' : String(value));
        }
      }
      await page.screenshot({ path: join(SHOTS, 'offline-overview.png'), fullPage: true });
      await page.goto(`${pathToFileURL(out).href}#/cost`);
      await settle(page);
      expect(await page.locator('[data-chart] canvas').count()).toBeGreaterThan(4);
      expect(await page.locator('[data-state="error"]').count()).toBe(0);
      expect(await page.locator('[data-filters="snapshot"]').textContent()).toContain('Offline report');
      await page.screenshot({ path: join(SHOTS, 'offline-cost.png') });
      expect(requests).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('embeds the plan and state filters it was asked for, with the API numbers for them', async () => {
    const meta = await api<ApiMeta>('/api/meta');
    const plan = meta.data.plans[0]!;
    const state = meta.data.states[0]!;
    const out = join(dir, 'plan-state.html');
    expect(
      await main([
        'report',
        '--out',
        out,
        '--plan',
        plan,
        '--state',
        state,
        '--warehouse',
        warehouse,
        '--quiet',
      ]),
    ).toBe(0);
    const json = /<script type="application\/json" id="[^"]+">([\s\S]*?)<\/script>/.exec(
      readFileSync(out, 'utf8'),
    )![1]!;
    const snapshot = JSON.parse(json) as {
      filters: Record<string, string>;
      responses: Record<string, { status: number; body: ApiKpiResult }>;
    };
    expect(snapshot.filters).toEqual({ plan, state });
    const path = `/api/kpi/denials?plan=${encodeURIComponent(plan)}&state=${state}`;
    const key = Object.keys(snapshot.responses).find(
      (k) => k.startsWith('/api/kpi/denials?') && new URL(k, 'http://x').searchParams.get('plan') === plan,
    )!;
    expect(snapshot.responses[key]!.body.headline).toEqual((await api<ApiKpiResult>(path)).headline);
    expect(
      await main(['report', '--out', out, '--plan', 'No Such Plan', '--warehouse', warehouse, '--quiet']),
    ).toBe(2);
  });

  it('prints every page to PDF with --pdf', async () => {
    const out = join(dir, 'exec.html');
    expect(
      await main([
        'report',
        '--out',
        out,
        '--role',
        'executive',
        '--pdf',
        '--warehouse',
        warehouse,
        '--quiet',
      ]),
    ).toBe(0);
    const pdf = join(dir, 'exec.pdf');
    expect(existsSync(pdf)).toBe(true);
    const bytes = readFileSync(pdf);
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    // Every page of the dashboard: well over one sheet.
    const sheets = (bytes.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
    expect(sheets).toBeGreaterThan(PAGES.length);
    expect(readFileSync(out, 'utf8')).toContain('"role":"executive"');
  });
});
