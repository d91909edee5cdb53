import { useEffect, useRef } from 'react';
import { BarChart, HeatmapChart, LineChart } from 'echarts/charts';
import { AriaComponent, GridComponent, MarkLineComponent, TooltipComponent, VisualMapComponent } from 'echarts/components';
import { init, use } from 'echarts/core';
import type { EChartsCoreOption, EChartsType } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

// Only what the screens draw, so the bundle carries five chart parts instead of all of echarts.
use([HeatmapChart, BarChart, LineChart, GridComponent, TooltipComponent, VisualMapComponent, MarkLineComponent, AriaComponent, CanvasRenderer]);

export interface ChartClick {
  readonly dataIndex: number;
  readonly value: unknown;
}

/**
 * One echarts canvas that follows its container's width (a ResizeObserver, so 390 px never overflows). The canvas is an
 * image to assistive technology: `label` says what it shows, and each screen puts the figures in words beside it.
 * Tooltips draw on the canvas (`richText`): an HTML tooltip would carry inline styles the page's CSP refuses.
 */
export function EChart({ option, label, height = 320, onClick }: { option: EChartsCoreOption; label: string; height?: number; onClick?: (click: ChartClick) => void }) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<EChartsType | null>(null);
  const clicked = useRef(onClick);
  clicked.current = onClick;
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const instance = init(el, undefined, { renderer: 'canvas' });
    chart.current = instance;
    instance.on('click', (p) => clicked.current?.({ dataIndex: p.dataIndex, value: p.value }));
    const resize = new ResizeObserver(() => instance.resize());
    resize.observe(el);
    return () => {
      resize.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);
  useEffect(() => {
    chart.current?.setOption({ animation: false, aria: { enabled: true, label: { description: label } }, ...option, tooltip: { renderMode: 'richText', ...(option['tooltip'] as object | undefined) } }, true);
  }, [option, label]);
  return <div ref={box} className="echart" role="img" aria-label={label} style={{ height }} />;
}
