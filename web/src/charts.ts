// Chart specs (which section of a KpiResult to draw, and how) and the ECharts options they become.
// Pages declare specs; domains without declared specs get charts chosen from their sections' columns.
import type {
  BarSeriesOption,
  FunnelSeriesOption,
  HeatmapSeriesOption,
  LineSeriesOption,
  TreemapSeriesOption,
} from 'echarts/charts';
import type {
  GridComponentOption,
  LegendComponentOption,
  MarkLineComponentOption,
  TooltipComponentOption,
  VisualMapComponentOption,
} from 'echarts/components';
import type { ComposeOption } from 'echarts/core';
import type { ApiKpiSection, ApiRow, Cell } from '../../src/server/api.ts';
import {
  columnKind,
  displayLabel,
  formatAxis,
  formatValue,
  humanize,
  numeric,
  type ValueKind,
} from './format.ts';

export type ChartOption = ComposeOption<
  | BarSeriesOption
  | LineSeriesOption
  | HeatmapSeriesOption
  | TreemapSeriesOption
  | FunnelSeriesOption
  | GridComponentOption
  | LegendComponentOption
  | TooltipComponentOption
  | VisualMapComponentOption
  | MarkLineComponentOption
>;

interface SpecBase {
  /** Picks the section by title. */
  section: RegExp;
  title: string;
  note?: string;
  where?: (row: ApiRow) => boolean;
}

export type ChartSpec =
  | (SpecBase & {
      type: 'bar';
      /** Column(s) naming each bar; several are joined (payer · plan). */
      category: string | string[];
      values: string[];
      horizontal?: boolean;
      stacked?: boolean;
      limit?: number;
      /** How the values read when their names do not say (aging buckets named `0-30`). */
      kind?: ValueKind;
    })
  | (SpecBase & { type: 'line'; x: string; values: string[]; area?: boolean })
  | (SpecBase & { type: 'lorenz'; x: string; y: string })
  | (SpecBase & { type: 'pareto'; pct: string; share: string })
  | (SpecBase & { type: 'heatmap'; rowKey: string })
  | (SpecBase & { type: 'treemap'; name: string; value: string })
  | (SpecBase & { type: 'funnel'; name: string; value: string })
  | (SpecBase & { type: 'grouped'; category: string; series: string; value: string });

export interface BuiltChart {
  title: string;
  option: ChartOption;
  points: number;
  note?: string;
}

export const PALETTE = [
  '#2f6fb5',
  '#e8833a',
  '#3a9d6b',
  '#c8423b',
  '#7a5cb8',
  '#8c6d46',
  '#d06fb0',
  '#7f7f7f',
];

function label(row: ApiRow, cols: string | string[]): string {
  const list = Array.isArray(cols) ? cols : [cols];
  return list.map((c) => displayLabel(formatCellText(row[c]))).join(' · ');
}

function formatCellText(v: Cell | undefined): string {
  if (v === null || v === undefined) return '(none)';
  return typeof v === 'object' ? 'suppressed' : String(v);
}

function kindOf(rows: ApiRow[], col: string): ValueKind {
  const sample = rows.find((r) => r[col] !== null && r[col] !== undefined)?.[col];
  return columnKind(col, sample ?? undefined);
}

function axisFormatter(kind: ValueKind): (v: number) => string {
  return (v: number) => formatAxis(v, kind);
}

/**
 * Drops leading rows where every charted value is zero or blank: enrollment can start years before
 * the first claim, and a flat line over those years hides the months that have data.
 */
export function trimLeadingEmpty(rows: ApiRow[], values: string[]): { rows: ApiRow[]; dropped: number } {
  const first = rows.findIndex((r) => values.some((v) => (numeric(r[v]) ?? 0) !== 0));
  if (first <= 0) return { rows, dropped: 0 };
  return { rows: rows.slice(first), dropped: first };
}

function tooltip(kind: ValueKind): TooltipComponentOption {
  return {
    trigger: 'axis',
    valueFormatter: (v) => (typeof v === 'number' ? formatValue(v, kind) : String(v ?? '–')),
  };
}

const GRID: GridComponentOption = { left: 8, right: 16, top: 36, bottom: 8, containLabel: true };

function barOption(
  categories: string[],
  series: { name: string; data: (number | null)[] }[],
  kind: ValueKind,
  horizontal: boolean,
  stacked: boolean,
): ChartOption {
  const catAxis = {
    type: 'category' as const,
    data: categories,
    // Horizontal bars truncate long names; vertical ones wrap them onto two lines so none is dropped.
    axisLabel: horizontal
      ? { interval: 0, width: 160, overflow: 'truncate' as const }
      : categories.length > 12
        ? { interval: 'auto' as const, hideOverlap: true }
        : {
            interval: 0,
            width: categories.length <= 3 ? 150 : 84,
            overflow: 'break' as const,
            lineHeight: 13,
          },
    inverse: horizontal,
  };
  const valAxis = { type: 'value' as const, axisLabel: { formatter: axisFormatter(kind) } };
  return {
    color: PALETTE,
    grid: GRID,
    legend: series.length > 1 ? { top: 0, type: 'scroll' } : { show: false },
    tooltip: { ...tooltip(kind), axisPointer: { type: 'shadow' } },
    xAxis: horizontal ? valAxis : catAxis,
    yAxis: horizontal ? catAxis : valAxis,
    series: series.map((s) => ({
      type: 'bar',
      name: s.name,
      data: s.data,
      ...(stacked ? { stack: 'total' } : {}),
      barMaxWidth: 36,
    })),
  };
}

function lineOption(
  x: string[],
  series: { name: string; data: (number | null)[] }[],
  kind: ValueKind,
  area: boolean,
): ChartOption {
  return {
    color: PALETTE,
    grid: GRID,
    legend: series.length > 1 ? { top: 0, type: 'scroll' } : { show: false },
    tooltip: tooltip(kind),
    xAxis: { type: 'category', data: x, boundaryGap: false },
    yAxis: { type: 'value', axisLabel: { formatter: axisFormatter(kind) } },
    series: series.map((s) => ({
      type: 'line',
      name: s.name,
      data: s.data,
      showSymbol: x.length <= 36,
      connectNulls: false,
      ...(area ? { areaStyle: { opacity: 0.15 } } : {}),
    })),
  };
}

/** Builds a spec's chart from the section it names; undefined when the result has no such section. */
export function buildChart(spec: ChartSpec, sections: ApiKpiSection[]): BuiltChart | undefined {
  const section = sections.find((s) => spec.section.test(s.title));
  if (!section) return undefined;
  const rows = spec.where ? section.rows.filter(spec.where) : section.rows;
  const base = { title: spec.title, ...(spec.note ? { note: spec.note } : {}) };
  switch (spec.type) {
    case 'bar': {
      const list = spec.limit ? rows.slice(0, spec.limit) : rows;
      const kind = spec.kind ?? kindOf(list, spec.values[0]!);
      const series = spec.values.map((v) => ({ name: humanize(v), data: list.map((r) => numeric(r[v])) }));
      return {
        ...base,
        option: barOption(
          list.map((r) => label(r, spec.category)),
          series,
          kind,
          spec.horizontal ?? false,
          spec.stacked ?? false,
        ),
        points: list.length,
      };
    }
    case 'line': {
      const kind = kindOf(rows, spec.values[0]!);
      const trimmed = trimLeadingEmpty(rows, spec.values);
      const x = trimmed.rows.map((r) => formatCellText(r[spec.x]).slice(0, 10).replace(/-01$/, ''));
      const series = spec.values.map((v) => ({
        name: humanize(v),
        data: trimmed.rows.map((r) => numeric(r[v])),
      }));
      const note =
        trimmed.dropped > 0
          ? `${trimmed.dropped} earlier months with no values are left out of the chart (the table has them).`
          : undefined;
      return {
        ...base,
        ...(note ? { note: [spec.note, note].filter(Boolean).join(' ') } : {}),
        option: lineOption(x, series, kind, spec.area ?? false),
        points: trimmed.rows.length,
      };
    }
    case 'lorenz': {
      const pts = rows
        .map((r) => [numeric(r[spec.x]), numeric(r[spec.y])] as const)
        .filter((p): p is readonly [number, number] => p[0] !== null && p[1] !== null)
        .map(([a, b]) => [a * 100, b * 100]);
      return {
        ...base,
        points: pts.length,
        option: {
          color: PALETTE,
          grid: { ...GRID, bottom: 24 },
          legend: { top: 0 },
          tooltip: {
            trigger: 'axis',
            valueFormatter: (v) => (typeof v === 'number' ? `${v.toFixed(1)}%` : '–'),
          },
          xAxis: {
            type: 'value',
            min: 0,
            max: 100,
            name: 'members, lowest spend first',
            nameLocation: 'middle',
            nameGap: 24,
            axisLabel: { formatter: '{value}%' },
          },
          yAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
          series: [
            {
              type: 'line',
              name: 'Share of spend',
              data: pts,
              showSymbol: false,
              areaStyle: { opacity: 0.15 },
            },
            {
              type: 'line',
              name: 'Equal spend',
              data: [
                [0, 0],
                [100, 100],
              ],
              showSymbol: false,
              lineStyle: { type: 'dashed', width: 1 },
              color: '#999',
            },
          ],
        },
      };
    }
    case 'pareto': {
      const cats = rows.map((r) => `Top ${formatCellText(r[spec.pct])}%`);
      const shares = rows.map((r) => {
        const s = numeric(r[spec.share]);
        return s === null ? null : Math.round(s * 1000) / 10;
      });
      const equal = rows.map((r) => numeric(r[spec.pct]));
      return {
        ...base,
        points: rows.length,
        option: {
          color: PALETTE,
          grid: GRID,
          legend: { top: 0 },
          tooltip: { trigger: 'axis', valueFormatter: (v) => (typeof v === 'number' ? `${v}%` : '–') },
          xAxis: { type: 'category', data: cats },
          yAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
          series: [
            {
              type: 'bar',
              name: 'Share of paid spend',
              data: shares,
              barMaxWidth: 48,
              label: { show: true, position: 'top', formatter: '{c}%' },
            },
            {
              type: 'line',
              name: 'If spend were equal',
              data: equal,
              lineStyle: { type: 'dashed' },
              color: '#999',
            },
          ],
        },
      };
    }
    case 'heatmap': {
      const cols = (section.columns ?? Object.keys(rows[0] ?? {})).filter((c) => c !== spec.rowKey);
      const ys = rows.map((r) => formatCellText(r[spec.rowKey]));
      const data: [number, number, number][] = [];
      let max = 0;
      rows.forEach((r, y) => {
        cols.forEach((c, x) => {
          const v = numeric(r[c]);
          if (v !== null) {
            data.push([x, y, v]);
            max = Math.max(max, v);
          }
        });
      });
      return {
        ...base,
        points: data.length,
        option: {
          grid: { left: 8, right: 16, top: 8, bottom: 48, containLabel: true },
          tooltip: { position: 'top' },
          xAxis: { type: 'category', data: cols, axisLabel: { interval: 0, rotate: 20 } },
          yAxis: { type: 'category', data: ys, inverse: true },
          visualMap: {
            min: 0,
            max: Math.max(max, 1),
            calculable: false,
            orient: 'horizontal',
            left: 'center',
            bottom: 0,
            itemHeight: 120,
            inRange: { color: ['#f4f8fc', '#2f6fb5'] },
          },
          series: [{ type: 'heatmap', data, label: { show: true, fontSize: 11 } }],
        },
      };
    }
    case 'treemap': {
      const kind = kindOf(rows, spec.value);
      const items = rows
        .map((r) => ({ name: formatCellText(r[spec.name]), value: numeric(r[spec.value]) ?? 0 }))
        .filter((d) => d.value > 0);
      return {
        ...base,
        points: items.length,
        option: {
          color: PALETTE,
          tooltip: {
            formatter: (p) =>
              `${(p as { name: string }).name}: ${formatValue((p as { value: number }).value, kind)}`,
          },
          series: [
            {
              type: 'treemap',
              data: items,
              roam: false,
              nodeClick: false,
              breadcrumb: { show: false },
              width: '100%',
              height: '100%',
              label: {
                show: true,
                formatter: (p) => `${p.name}\n${formatValue(p.value as number, kind, true)}`,
              },
            },
          ],
        },
      };
    }
    case 'funnel': {
      const items = rows
        .map((r) => ({ name: formatCellText(r[spec.name]), value: numeric(r[spec.value]) ?? 0 }))
        .filter((d) => d.value > 0);
      return {
        ...base,
        points: items.length,
        option: {
          color: PALETTE,
          tooltip: { trigger: 'item' },
          series: [{ type: 'funnel', data: items, sort: 'descending', left: '10%', width: '80%' }],
        },
      };
    }
    case 'grouped': {
      const cats = [...new Set(rows.map((r) => formatCellText(r[spec.category])))];
      const names = [...new Set(rows.map((r) => formatCellText(r[spec.series])))];
      const shown = cats.map(displayLabel);
      const kind = kindOf(rows, spec.value);
      const series = names.map((n) => ({
        name: displayLabel(n),
        data: cats.map((c) => {
          const row = rows.find(
            (r) => formatCellText(r[spec.category]) === c && formatCellText(r[spec.series]) === n,
          );
          return row ? numeric(row[spec.value]) : null;
        }),
      }));
      return { ...base, option: barOption(shown, series, kind, false, false), points: rows.length };
    }
  }
}

const TIME_COLUMNS = /^(month|week|day|date|service_month|month_start|quarter|year)$/;

/** Numeric columns worth a chart, rates first (they are the story), then money, then counts. */
function valueColumns(rows: ApiRow[], cols: string[]): string[] {
  const score = (c: string): number => {
    const k = kindOf(rows, c);
    if (k === 'fraction' || k === 'pct100') return 0;
    if (k === 'money') return 1;
    if (k === 'count' || k === 'number') return 2;
    return 9;
  };
  return cols
    .filter((c) => !/(^|_)(rank|id|npi|code|year)$/.test(c))
    .filter((c) => rows.some((r) => typeof r[c] === 'number'))
    .sort((a, b) => score(a) - score(b));
}

/**
 * Charts chosen from a result's sections when a page declares none: a line over time for sections
 * with a month column, a bar per category for small categorical sections. At most `max` charts.
 */
export function autoSpecs(sections: ApiKpiSection[], max = 4): ChartSpec[] {
  const specs: ChartSpec[] = [];
  for (const s of sections) {
    if (specs.length >= max) break;
    if (s.rows.length < 2) continue;
    const cols = s.columns ?? Object.keys(s.rows[0]!);
    const exact = new RegExp(`^${s.title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
    const time = cols.find((c) => TIME_COLUMNS.test(c));
    const values = valueColumns(
      s.rows,
      cols.filter((c) => c !== time),
    );
    if (values.length === 0) continue;
    if (time) {
      const firstKind = kindOf(s.rows, values[0]!);
      const same = values.filter((v) => kindOf(s.rows, v) === firstKind).slice(0, 2);
      specs.push({ type: 'line', section: exact, title: s.title, x: time, values: same });
      continue;
    }
    const textCols = cols.filter((c) => s.rows.every((r) => r[c] === null || typeof r[c] === 'string'));
    if (textCols.length === 0 || s.rows.length > 40) continue;
    specs.push({
      type: 'bar',
      section: exact,
      title: `${s.title}: ${humanize(values[0]!)}`,
      category: textCols[0]!,
      values: [values[0]!],
      horizontal: s.rows.length > 8,
    });
  }
  return specs;
}
