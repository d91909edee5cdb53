import { LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';
import type { SCurve } from './schedule.types';

echarts.use([LineChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

/**
 * PV, EV and AC, cumulative by period: the S-curve. Loaded lazily so echarts never delays the Gantt; drawn on a canvas,
 * its tooltip too, because the page's CSP (`style-src 'self'`) refuses the style attributes an SVG renderer or an HTML
 * tooltip would write.
 */
export default function SCurveChart({ curve }: { curve: SCurve }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!ref.current) return;
    const chart = echarts.init(ref.current, undefined, { renderer: 'canvas' });
    const series = (name: string, key: 'pv' | 'ev' | 'ac') => ({ name, type: 'line' as const, showSymbol: false, data: curve.points.map((p) => p[key]) });
    chart.setOption({
      animation: false,
      // On the canvas, as charts/echart.tsx draws the other charts' tooltips: the default HTML tooltip writes style
      // attributes into its content (each series' colour dot, its rows), which the CSP refuses, and the figures then
      // ran into the names ("Planned value10,000") with a console error per hover.
      tooltip: { trigger: 'axis', renderMode: 'richText' },
      legend: { top: 0 },
      grid: { left: 60, right: 16, top: 32, bottom: 28 },
      xAxis: { type: 'category', data: curve.points.map((p) => p.periodEnd) },
      yAxis: { type: 'value', name: curve.currency ?? '' },
      series: [series('Planned value', 'pv'), series('Earned value', 'ev'), series('Actual cost', 'ac')],
    });
    const resize = () => chart.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      chart.dispose();
    };
  }, [curve]);
  return <div ref={ref} className="s-curve" role="img" aria-label={`S-curve: planned value, earned value and actual cost by ${curve.interval}`} />;
}
