// One ECharts chart. ECharts because it draws on canvas (long monthly series and big heatmaps stay
// fast), has heatmap, treemap and funnel types built in, and its core is tree-shakable: only these types ship.
import { BarChart, FunnelChart, HeatmapChart, LineChart, TreemapChart } from 'echarts/charts';
import {
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TooltipComponent,
  VisualMapComponent,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';
import type { ChartOption } from '../charts.ts';
import { busyStart } from '../data.ts';

echarts.use([
  BarChart,
  LineChart,
  HeatmapChart,
  TreemapChart,
  FunnelChart,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TooltipComponent,
  VisualMapComponent,
  CanvasRenderer,
]);

const live = new Set<echarts.ECharts>();

// Printing lays the page out at paper width; charts must redraw at that width before the snapshot.
if (typeof window !== 'undefined') {
  const resizeAll = () => {
    for (const c of live) c.resize();
  };
  window.addEventListener('beforeprint', resizeAll);
  window.addEventListener('afterprint', resizeAll);
  window.matchMedia?.('print').addEventListener?.('change', resizeAll);
}

export interface ChartProps {
  title: string;
  option: ChartOption;
  /** Data points drawn, recorded for tests and shown as empty when 0. */
  points: number;
  height?: number;
  note?: string;
}

export function Chart({ title, option, points, height = 280, note }: ChartProps) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el || points === 0) return;
    const done = busyStart();
    const chart = echarts.init(el, undefined, { renderer: 'canvas' });
    live.add(chart);
    chart.on('finished', () => {
      el.dataset.rendered = 'true';
      done();
    });
    chart.setOption({ animationDuration: 250, ...option });
    const observer = new ResizeObserver(() => chart.resize());
    observer.observe(el);
    return () => {
      observer.disconnect();
      live.delete(chart);
      chart.dispose();
      done();
    };
  }, [option, points]);
  return (
    <figure className="chart" data-chart={title} data-points={points}>
      <figcaption>{title}</figcaption>
      {points === 0 ? (
        <div className="empty" data-state="empty" style={{ height }}>
          No data for these filters.
        </div>
      ) : (
        <div ref={ref} className="chart-canvas" style={{ height }} role="img" aria-label={title} />
      )}
      {note ? <p className="chart-note">{note}</p> : null}
    </figure>
  );
}
