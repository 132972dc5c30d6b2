// A domain's headline numbers as cards; each card carries its raw value so tests can compare the
// dashboard, the API and the offline report number for number.
import { type Cell, isSuppressed } from '../../../src/server/api.ts';
import { columnKind, formatValue, humanize } from '../format.ts';

export interface HeadlineProps {
  domain: string;
  headline: Record<string, Cell>;
  /** Show only these metrics, in this order; all by default. */
  only?: string[];
}

export function Headline({ domain, headline, only }: HeadlineProps) {
  const keys = (only ?? Object.keys(headline)).filter((k) => k in headline);
  return (
    <div className="cards" data-headline={domain}>
      {keys.map((k) => {
        const v = headline[k] ?? null;
        const kind = columnKind(k, v === null || isSuppressed(v) ? undefined : v);
        return (
          <div
            key={k}
            className={`card${isSuppressed(v) ? ' suppressed' : ''}`}
            data-metric={k}
            data-value={v === null ? '' : isSuppressed(v) ? 'suppressed' : String(v)}
          >
            <div
              className={typeof v === 'string' ? 'card-value card-text' : 'card-value'}
              title={formatValue(v, kind)}
            >
              {formatValue(v, kind, true)}
            </div>
            <div className="card-label">{humanize(k)}</div>
          </div>
        );
      })}
    </div>
  );
}
