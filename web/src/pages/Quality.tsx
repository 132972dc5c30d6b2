// Data quality: the checks (failures first, worst first), the claims-to-EHR match rate and the
// variance against the finance ledger. Checks cover the whole warehouse; monthly rows follow the
// period and payer filters. Plan and state do not apply here, and the page says so when they are set.
import { useMemo } from 'react';
import type { ApiLedgerVarianceRow, ApiQualityReport, ApiRow, Filters } from '../../../src/server/api.ts';
import { buildChart } from '../charts.ts';
import { Chart } from '../components/Chart.tsx';
import { DataTable } from '../components/DataTable.tsx';
import { Headline } from '../components/Headline.tsx';
import { ErrorBox, Loading } from '../components/States.tsx';
import { useResource } from '../data.ts';

const STATUS_ORDER = { fail: 0, pass: 1, skipped: 2 } as const;
const SEVERITY_ORDER = { error: 0, warning: 1, info: 2 } as const;

function lastDay(y: number, m: number): string {
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}

/** The first and last day the filters select; null for all dates. */
export function filterRange(f: Filters): [string, string] | null {
  if (f.from && f.to) return [f.from, f.to];
  const p = f.period ?? '';
  let m = /^(\d{4})-(\d{2})$/.exec(p);
  if (m) return [`${p}-01`, lastDay(Number(m[1]), Number(m[2]))];
  m = /^(\d{4})-?Q([1-4])$/i.exec(p);
  if (m) {
    const first = (Number(m[2]) - 1) * 3 + 1;
    return [`${m[1]}-${String(first).padStart(2, '0')}-01`, lastDay(Number(m[1]), first + 2)];
  }
  if (/^\d{4}$/.test(p)) return [`${p}-01-01`, `${p}-12-31`];
  return null;
}

function inRange(month: string | null, range: [string, string] | null): boolean {
  if (!range || month === null) return true;
  return (
    month.slice(0, 10) <= range[1] &&
    lastDay(Number(month.slice(0, 4)), Number(month.slice(5, 7))) >= range[0]
  );
}

export function QualityPage({ filters }: { filters: Filters }) {
  const res = useResource<ApiQualityReport>('/api/quality');
  const view = useMemo(() => {
    if (res.state !== 'ok') return undefined;
    const q = res.data;
    const range = filterRange(filters);
    const ehrMonths = q.ehr_match.by_month.filter((r) => r.claim_type === 'all' && inRange(r.month, range));
    const ledgerMonths = filters.payer
      ? q.ledger_variance.by_month_payer.filter((r) => r.payer === filters.payer && inRange(r.month, range))
      : q.ledger_variance.by_month.filter((r) => inRange(r.month, range));
    const checks = [...q.checks].sort(
      (a, b) =>
        STATUS_ORDER[a.status] - STATUS_ORDER[b.status] ||
        SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity],
    );
    const overallEhr = q.ehr_match.overall.find((r) => r.claim_type === 'all');
    const sum = (rows: ApiLedgerVarianceRow[], k: 'claims_paid' | 'ledger_payer_payments') =>
      rows.reduce((a, r) => a + r[k], 0);
    const claimsPaid = sum(ledgerMonths, 'claims_paid');
    const ledger = sum(ledgerMonths, 'ledger_payer_payments');
    const headline = {
      checks: q.summary.checks,
      passed: q.summary.passed,
      failed_errors: q.summary.failed_errors,
      failed_warnings: q.summary.failed_warnings,
      failed_info: q.summary.failed_info,
      skipped: q.summary.skipped,
      ehr_claim_match_rate: overallEhr?.claim_match_rate ?? null,
      ledger_variance_pct:
        claimsPaid > 0 ? Math.round(((ledger - claimsPaid) / claimsPaid) * 10000) / 100 : null,
    };
    const ehrRows = ehrMonths.map(({ claim_type: _all, ...r }) => r) as unknown as ApiRow[];
    // The reconciliation's variance_pct is a fraction (0.02 = 2%); named as the dashboard reads fractions.
    const ledgerRows = ledgerMonths.map((r) => ({
      month: r.month,
      ...(filters.payer ? { payer: r.payer } : {}),
      claims_paid: r.claims_paid,
      ledger_payer_payments: r.ledger_payer_payments,
      variance_amount: r.variance_amount,
      variance_share: r.variance_pct,
    })) as ApiRow[];
    const sections: { title: string; rows: ApiRow[] }[] = [
      { title: 'EHR match by month', rows: ehrRows },
      { title: 'Ledger variance by month', rows: ledgerRows },
      {
        title: 'Failed checks',
        rows: checks
          .filter((c) => c.status === 'fail')
          .map((c) => ({ check_id: c.check_id, failing_share: c.failing_pct })),
      },
    ];
    const charts = [
      buildChart(
        {
          type: 'line',
          section: /^EHR match/,
          title: 'Claims-to-EHR match rate by month',
          x: 'month',
          values: ['claim_match_rate', 'encounter_match_rate'],
        },
        sections,
      ),
      buildChart(
        {
          type: 'bar',
          section: /^Ledger variance/,
          title: `Finance ledger against claims payments by month${filters.payer ? ` (${filters.payer})` : ''}`,
          category: 'month',
          values: ['claims_paid', 'ledger_payer_payments'],
        },
        sections.map((s) =>
          s.title === 'Ledger variance by month'
            ? { ...s, rows: s.rows.map((r) => ({ ...r, month: String(r.month ?? '').slice(0, 7) })) }
            : s,
        ),
      ),
      buildChart(
        {
          type: 'bar',
          section: /^Failed checks/,
          title: 'Failing share of checked units, failed checks',
          category: 'check_id',
          values: ['failing_share'],
          horizontal: true,
        },
        sections,
      ),
    ];
    return { q, checks, headline, ehrRows, ledgerRows, charts, range };
  }, [res, filters]);

  if (res.state === 'loading') return <Loading what="the data-quality report" />;
  if (res.state === 'error') return <ErrorBox error={res.error} what="the data-quality report" />;
  const v = view!;
  const csv = ['quality', filters.period, filters.payer].filter(Boolean).join('-');
  return (
    <>
      <p className="scope">
        Checks ran {v.q.generated_at.slice(0, 16).replace('T', ' ')} UTC over the whole warehouse; monthly
        match and ledger rows follow the period{filters.payer ? ' and payer' : ''} filter
        {v.range ? ` (${v.range[0]} to ${v.range[1]})` : ''}.
        {filters.plan || filters.state ? (
          <span data-not-filtered="plan-state">
            {' '}
            Not filtered by{' '}
            {[filters.plan ? 'plan' : '', filters.state ? 'state' : ''].filter(Boolean).join(' or ')}: checks,
            the EHR match and the ledger reconciliation are kept per warehouse, month and payer.
          </span>
        ) : null}
      </p>
      <Headline domain="quality" headline={v.headline} />
      <div className="chart-grid">{v.charts.map((c) => (c ? <Chart key={c.title} {...c} /> : null))}</div>
      <DataTable
        title="Checks"
        rows={v.checks.map((c) => ({
          severity: c.severity,
          status: c.status,
          check_id: c.check_id,
          table: c.table,
          category: c.category,
          failing_rows: c.failing_rows,
          checked_rows: c.checked_rows,
          failing_share: c.failing_pct,
          description: c.description,
          action: c.action,
          examples: c.examples.join(', '),
        }))}
        columns={[
          'severity',
          'status',
          'check_id',
          'table',
          'failing_rows',
          'checked_rows',
          'failing_share',
          'description',
        ]}
        csvName={`${csv}-checks`}
        limit={60}
      />
      {v.q.ehr_match.status === 'ok' ? (
        <DataTable
          title="Claims-to-EHR match by month (all claim types)"
          rows={v.ehrRows}
          csvName={`${csv}-ehr-match`}
        />
      ) : (
        <p className="notice">EHR match skipped: {v.q.ehr_match.reason}</p>
      )}
      {v.q.ledger_variance.status === 'ok' ? (
        <DataTable title="Finance ledger variance by month" rows={v.ledgerRows} csvName={`${csv}-ledger`} />
      ) : (
        <p className="notice">Ledger reconciliation skipped: {v.q.ledger_variance.reason}</p>
      )}
      <section className="notes">
        <h3>Definitions</h3>
        <ul>
          <li>{v.q.ledger_variance.basis}</li>
          <li>
            Match: a claim matches an EHR encounter of the same person on its service date (inpatient:
            admission date); rates over {v.q.ehr_match.months_compared} months both sources cover.
          </li>
        </ul>
      </section>
    </>
  );
}
