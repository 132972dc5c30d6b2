// The overview: how fresh the data is, the headline numbers of every served domain, and the savings
// model as ranges (low, base, high), each linking to its page.
import { useMemo } from 'react';
import { type ApiKpiResult, type ApiMeta, apiPath, type Filters } from '../../../src/server/api.ts';
import { buildChart } from '../charts.ts';
import { Chart } from '../components/Chart.tsx';
import { Headline } from '../components/Headline.tsx';
import { ErrorBox, Loading } from '../components/States.tsx';
import { useResource } from '../data.ts';
import { humanize } from '../format.ts';
import { type PageDef, SAVINGS_CHART } from '../pages.ts';
import { href } from '../router.ts';

function Freshness({ meta }: { meta: ApiMeta }) {
  const rows: [string, string][] = [
    [
      'Last build',
      meta.build
        ? `${meta.build.finished_at.replace('T', ' ').replace('Z', ' UTC')} (${meta.build.models} models)`
        : 'never built',
    ],
    [
      'Last load',
      meta.last_load_at ? meta.last_load_at.replace('T', ' ').replace('Z', ' UTC') : 'no load recorded',
    ],
    [
      'Service dates',
      meta.data.first_service_date
        ? `${meta.data.first_service_date} to ${meta.data.last_service_date}`
        : 'none',
    ],
    ['Payers', String(meta.data.payers.length)],
    ['Warehouse', `${meta.warehouse.file}, ${(meta.warehouse.size_bytes / 1e6).toFixed(1)} MB`],
  ];
  const quarantined = meta.loads.reduce((a, l) => a + l.rows_quarantined, 0);
  const loaded = meta.loads.reduce((a, l) => a + l.rows_loaded, 0);
  if (meta.loads.length > 0) {
    rows.push([
      'Rows loaded',
      `${loaded.toLocaleString('en-US')} (${quarantined.toLocaleString('en-US')} quarantined)`,
    ]);
  }
  return (
    <section className="freshness" data-freshness>
      <h3>Data freshness</h3>
      <dl>
        {rows.map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

function DomainCard({ page, name, filters }: { page: PageDef | undefined; name: string; filters: Filters }) {
  const res = useResource<ApiKpiResult>(apiPath(`/api/kpi/${name}`, filters));
  const title = page?.title ?? humanize(name);
  return (
    <section className="domain-card" data-domain-card={name}>
      <header>
        <h3>{title}</h3>
        {page ? (
          <a className="link" href={href({ page: page.id, filters })}>
            Open {title.toLowerCase()} →
          </a>
        ) : null}
      </header>
      {res.state === 'loading' ? <Loading what={title} /> : null}
      {res.state === 'error' ? <ErrorBox error={res.error} what={title} /> : null}
      {res.state === 'ok' && res.data.unavailable?.some((u) => u.affects[0] === '*') ? (
        <p className="not-available" data-state="not-available">
          Not available from this source:{' '}
          {res.data.unavailable
            .filter((u) => u.affects[0] === '*')
            .map((u) => u.reason)
            .join('; ')}
        </p>
      ) : res.state === 'ok' ? (
        <Headline
          domain={name}
          headline={res.data.headline}
          only={(page?.headline ?? Object.keys(res.data.headline)).slice(0, 6)}
        />
      ) : null}
    </section>
  );
}

function Savings({ filters }: { filters: Filters }) {
  const res = useResource<ApiKpiResult>(apiPath('/api/kpi/programs', filters));
  const built = useMemo(
    () => (res.state === 'ok' ? buildChart(SAVINGS_CHART, res.data.sections) : undefined),
    [res],
  );
  if (res.state === 'loading') return <Loading what="the savings model" />;
  if (res.state === 'error') return <ErrorBox error={res.error} what="the savings model" />;
  if (!built) return null;
  const h = res.data.headline;
  return (
    <Chart
      {...built}
      note={`Base case, both programs: ${h.base_roi_ratio ?? '–'}:1 ROI, payback ${h.base_payback_months ?? '–'} months. Planning estimates on measured baselines (window ${h.baseline_window ?? ''}), not measured savings.`}
    />
  );
}

export function Overview({ meta, filters, pages }: { meta: ApiMeta; filters: Filters; pages: PageDef[] }) {
  const served = meta.domains.map((d) => d.name);
  return (
    <>
      <div className="overview-top">
        <Freshness meta={meta} />
        {served.includes('programs') ? <Savings filters={filters} /> : null}
      </div>
      <div className="domain-grid">
        {served.map((d) => (
          <DomainCard key={d} name={d} page={pages.find((p) => p.domain === d)} filters={filters} />
        ))}
      </div>
    </>
  );
}
