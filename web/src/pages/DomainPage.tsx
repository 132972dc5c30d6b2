// A KPI domain as a page: headline cards, the declared (or chosen) charts, every section as a sortable
// table, and the domain's notes. A domain the server does not serve is named as absent, never faked.
import { useMemo } from 'react';
import {
  type ApiKpiResult,
  type ApiMeta,
  type ApiPmpmTrend,
  apiPath,
  type Filters,
} from '../../../src/server/api.ts';
import { autoSpecs, type BuiltChart, buildChart, type ChartOption, PALETTE } from '../charts.ts';
import { Chart } from '../components/Chart.tsx';
import { DataTable, slug } from '../components/DataTable.tsx';
import { Headline } from '../components/Headline.tsx';
import { ErrorBox, Loading, Notice } from '../components/States.tsx';
import { useResource } from '../data.ts';
import { formatAxis, formatValue, humanize } from '../format.ts';
import type { PageDef } from '../pages.ts';

function orderedHeadline(result: ApiKpiResult, first: string[] | undefined): string[] {
  const keys = Object.keys(result.headline);
  if (!first) return keys;
  return [...first.filter((k) => keys.includes(k)), ...keys.filter((k) => !first.includes(k))];
}

function scopeText(r: ApiKpiResult): string {
  const period = r.period ? `${r.period.label} (${r.period.from} to ${r.period.to})` : 'all dates';
  const who = [r.payer ? `payer ${r.payer}` : 'all payers'];
  // Older snapshots (offline reports made before plan and state existed) have no such fields.
  if (r.plan) who.push(`plan ${r.plan}`);
  if (r.state) who.push(`state ${r.state}`);
  return `${period}; ${who.join(', ')}`;
}

/** What governance did for the viewer's role, said next to the scope so nobody misreads a gap. */
function governanceText(r: ApiKpiResult): string {
  const g = r.governance;
  if (!g) return '';
  const parts: string[] = [];
  if (g.suppressed_cells > 0)
    parts.push(`${g.suppressed_cells} cells suppressed (counts 1-10 and what would recompute them)`);
  if (g.withheld_sections.length > 0)
    parts.push(`${g.withheld_sections.length} member-level sections withheld`);
  if (g.removed_columns.length > 0) parts.push(`columns removed: ${g.removed_columns.join(', ')}`);
  return parts.length > 0 ? `. Role ${g.role}: ${parts.join('; ')}.` : '';
}

/** PMPM by month, one line per service category, from the typed cost route. */
function PmpmTrend({ filters }: { filters: Filters }) {
  const res = useResource<ApiPmpmTrend>(apiPath('/api/cost/pmpm-trend', filters));
  const built = useMemo((): BuiltChart | undefined => {
    if (res.state !== 'ok') return undefined;
    const all = [...new Set(res.data.rows.map((r) => r.month))].sort();
    const paidIn = new Set(
      res.data.rows.filter((r) => typeof r.paid === 'number' && r.paid !== 0).map((r) => r.month),
    );
    // Enrollment can start years before the first claim; a flat stack over those years hides the rest.
    const firstPaid = all.findIndex((m) => paidIn.has(m));
    const months = firstPaid > 0 ? all.slice(firstPaid) : all;
    const cats = [...new Set(res.data.rows.map((r) => r.service_category))];
    // Suppressed cells (a small member-month count for an aggregate-only role) are left out of the stack.
    const at = new Map(
      res.data.rows.map((r) => [
        `${r.month}|${r.service_category}`,
        typeof r.pmpm_paid === 'number' ? r.pmpm_paid : null,
      ]),
    );
    const option: ChartOption = {
      color: PALETTE,
      grid: { left: 8, right: 16, top: 56, bottom: 8, containLabel: true },
      legend: { top: 0, type: 'scroll' },
      tooltip: {
        trigger: 'axis',
        valueFormatter: (v) => (typeof v === 'number' ? formatValue(v, 'money') : '–'),
      },
      xAxis: { type: 'category', data: months.map((m) => m.slice(0, 7)), boundaryGap: false },
      yAxis: { type: 'value', axisLabel: { formatter: (v: number) => formatAxis(v, 'money') } },
      series: cats.map((c) => ({
        type: 'line',
        name: humanize(c),
        stack: 'pmpm',
        areaStyle: { opacity: 0.5 },
        showSymbol: false,
        data: months.map((m) => at.get(`${m}|${c}`) ?? null),
      })),
    };
    return {
      title: 'PMPM trend by service category (stacked)',
      option,
      points: res.data.rows.length,
      ...(firstPaid > 0
        ? { note: `${firstPaid} earlier months of enrollment with no paid claims are left out of the chart.` }
        : {}),
    };
  }, [res]);
  if (res.state === 'loading') return <Loading what="the PMPM trend" />;
  if (res.state === 'error') return <ErrorBox error={res.error} what="the PMPM trend" />;
  return <Chart {...built!} height={320} />;
}

export function DomainResult({
  def,
  result,
  filters,
}: {
  def: PageDef;
  result: ApiKpiResult;
  filters: Filters;
}) {
  const charts = useMemo(() => {
    const specs = def.charts ?? autoSpecs(result.sections);
    return specs.map((s) => buildChart(s, result.sections)).filter((c): c is BuiltChart => c !== undefined);
  }, [def, result]);
  const tables = result.sections.filter((s) => !def.noTable?.some((re) => re.test(s.title)));
  const csvBase = [
    def.domain,
    filters.period ?? (filters.from ? `${filters.from}_${filters.to}` : ''),
    filters.payer,
    filters.plan,
    filters.state,
  ]
    .filter(Boolean)
    .join('-');
  return (
    <>
      <p className="scope" data-scope={def.domain}>
        {scopeText(result)}
        {governanceText(result)}
      </p>
      <SourceGaps result={result} />
      <Headline
        domain={result.domain}
        headline={result.headline}
        only={orderedHeadline(result, def.headline)}
      />
      <div className="chart-grid">
        {def.extra === 'cost-pmpm-trend' ? (
          <div className="wide">
            <PmpmTrend filters={filters} />
          </div>
        ) : null}
        {charts.map((c) => (
          <Chart key={c.title} {...c} />
        ))}
      </div>
      {tables.map((s) => (
        <DataTable
          key={s.title}
          title={s.title}
          rows={s.rows}
          columns={s.columns}
          csvName={`${csvBase}-${slug(s.title)}`}
          kinds={def.kinds}
        />
      ))}
      {result.notes.length > 0 ? (
        <section className="notes">
          <h3>Definitions and assumptions</h3>
          <ul>
            {result.notes.map((n) => (
              <li key={n}>{n}</li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}

/** What the loaded source does not carry: shown above the numbers, which read "n/a" where it matters. */
function SourceGaps({ result }: { result: ApiKpiResult }) {
  const list = result.unavailable ?? [];
  if (list.length === 0) return null;
  return (
    <section className="source-gaps" data-testid="source-gaps">
      <strong>Not available from this source</strong>
      <ul>
        {list.map((u) => (
          <li key={u.capability}>
            {u.reason}{' '}
            <span className="affects">
              {u.affects[0] === '*'
                ? '(this page has nothing to show without it)'
                : `(shown as n/a: ${u.affects.map(humanize).join(', ')})`}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function DomainPage({ def, filters, meta }: { def: PageDef; filters: Filters; meta: ApiMeta }) {
  const domain = def.domain!;
  const served = meta.domains.some((d) => d.name === domain);
  const res = useResource<ApiKpiResult>(served ? apiPath(`/api/kpi/${domain}`, filters) : null);
  if (!served) {
    return (
      <Notice>
        <strong>The {domain} domain is not available yet.</strong> This server's claimlens serves{' '}
        {meta.domains.map((d) => d.name).join(', ')}; the page fills in as soon as a release adds {domain} to
        its KPI domains. Nothing is shown rather than made-up numbers.
      </Notice>
    );
  }
  if (res.state === 'loading') return <Loading what={`${def.title.toLowerCase()} KPIs`} />;
  if (res.state === 'error') return <ErrorBox error={res.error} what={`${def.title.toLowerCase()} KPIs`} />;
  return <DomainResult def={def} result={res.data} filters={filters} />;
}
