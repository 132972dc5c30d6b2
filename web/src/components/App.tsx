// The dashboard shell: navigation, the page title and filters, and the page the URL names. `print`
// renders every page one after the other (what `claimlens report --pdf` prints).
import { type MouseEvent, type ReactNode, useEffect } from 'react';
import type { ApiMeta, Filters } from '../../../src/server/api.ts';
import { hasToken, SNAPSHOT, signOut, useResource } from '../data.ts';
import { DomainPage } from '../pages/DomainPage.tsx';
import { Overview } from '../pages/Overview.tsx';
import { QualityPage } from '../pages/Quality.tsx';
import { type PageDef, pagesFor } from '../pages.ts';
import { FROM_DISK, href, navigate, usePlace } from '../router.ts';
import { FilterBar } from './FilterBar.tsx';
import { ErrorBox, Loading, Notice } from './States.tsx';

function PageBody({
  def,
  meta,
  filters,
  pages,
}: {
  def: PageDef;
  meta: ApiMeta;
  filters: Filters;
  pages: PageDef[];
}) {
  switch (def.kind) {
    case 'overview':
      return <Overview meta={meta} filters={filters} pages={pages} />;
    case 'quality':
      return <QualityPage filters={filters} />;
    case 'domain':
      return <DomainPage def={def} meta={meta} filters={filters} />;
  }
}

function PageHead({ def }: { def: PageDef }) {
  return (
    <header className="page-head">
      <h1>{def.title}</h1>
      <p className="intro">{def.intro}</p>
    </header>
  );
}

export function App() {
  const place = usePlace();
  const metaRes = useResource<ApiMeta>('/api/meta');
  const meta = metaRes.state === 'ok' ? metaRes.data : undefined;
  const pages = pagesFor(meta?.domains.map((d) => d.name) ?? []);
  const printAll = place.page === 'print';
  const def = pages.find((p) => p.id === place.page);
  // The offline report was made for one set of filters: its pages use those, whatever the URL says.
  const filters = SNAPSHOT ? SNAPSHOT.filters : place.filters;

  useEffect(() => {
    document.title = `claimlens · ${printAll ? 'report' : (def?.title ?? 'not found')}`;
  }, [def, printAll]);

  const go = (e: MouseEvent<HTMLAnchorElement>, page: string) => {
    if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
    e.preventDefault();
    navigate({ page, filters: place.filters });
    window.scrollTo(0, 0);
  };

  let body: ReactNode;
  if (metaRes.state === 'loading') body = <Loading what="the warehouse description" />;
  else if (metaRes.state === 'error')
    body = <ErrorBox error={metaRes.error} what="the warehouse description" />;
  else if (printAll) {
    body = pages.map((p) => (
      <section key={p.id} className="print-page" data-page={p.id}>
        <PageHead def={p} />
        <PageBody def={p} meta={meta!} filters={filters} pages={pages} />
      </section>
    ));
  } else if (!def) {
    body = (
      <Notice state="not-found">
        There is no page “{place.page}”. <a href={href({ page: 'overview', filters })}>Go to the overview</a>.
      </Notice>
    );
  } else body = <PageBody def={def} meta={meta!} filters={filters} pages={pages} />;

  return (
    <div className="layout" data-page={printAll ? 'print' : place.page}>
      <nav className="sidebar no-print" aria-label="Pages">
        <div className="brand">claimlens</div>
        <ul>
          {pages.map((p) => (
            <li key={p.id}>
              <a
                href={href({ page: p.id, filters: place.filters })}
                aria-current={p.id === place.page ? 'page' : undefined}
                className={
                  meta && p.domain && !meta.domains.some((d) => d.name === p.domain) ? 'absent' : undefined
                }
                onClick={(e) => go(e, p.id)}
              >
                {p.title}
              </a>
            </li>
          ))}
        </ul>
        <div className="sidebar-foot">
          {meta ? <div>Role: {meta.role}</div> : null}
          {!SNAPSHOT && hasToken() ? (
            <button type="button" className="link" onClick={signOut}>
              Sign out
            </button>
          ) : null}
          {SNAPSHOT ? <div>Offline report</div> : null}
          {!FROM_DISK && !SNAPSHOT ? (
            <a href="/api/docs" className="link">
              API (OpenAPI)
            </a>
          ) : null}
          <a href={href({ page: 'print', filters: place.filters })} className="link">
            All pages (print)
          </a>
        </div>
      </nav>
      <main>
        {printAll ? (
          <header className="page-head">
            <h1>claimlens report</h1>
          </header>
        ) : def ? (
          <PageHead def={def} />
        ) : null}
        <FilterBar place={place} meta={meta} />
        {body}
      </main>
    </div>
  );
}
