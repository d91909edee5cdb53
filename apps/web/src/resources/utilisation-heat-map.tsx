import { useMemo } from 'react';
import { EChart } from '../charts/echart';
import type { HeatRow } from './utilisation';

/**
 * Rows (resources or roles) by week, coloured by demand over capacity; an over-allocated cell gets a dark border and
 * its percentage written in it, so it does not depend on colour alone.
 */
export function UtilisationHeatMap({ weeks, rows }: { weeks: readonly string[]; rows: readonly HeatRow[] }) {
  const option = useMemo(
    () => ({
      grid: { left: 8, right: 8, top: 8, bottom: 56, containLabel: true },
      xAxis: { type: 'category', data: weeks.map((w) => w.slice(5)), name: 'Week of', nameLocation: 'middle', nameGap: 28, splitArea: { show: true } },
      yAxis: { type: 'category', data: rows.map((r) => r.label), splitArea: { show: true } },
      visualMap: { min: 0, max: 150, calculable: false, orient: 'horizontal', left: 'center', bottom: 0, itemHeight: 80, text: ['150 %', '0 %'], inRange: { color: ['#f0f7f2', '#b7dfc2', '#fde68a', '#9b1c1c'] } },
      tooltip: { formatter: (p: { data: { tip: string } }) => p.data.tip },
      series: [
        {
          type: 'heatmap',
          data: rows.flatMap((r, y) =>
            r.cells.map((c, x) => ({
              value: [x, y, c.percent ?? (c.over ? 150 : 0)],
              tip: `${r.label}, week of ${c.week}: ${c.demandHours} h of ${c.capacityHours} h${c.over ? ' (over-allocated)' : ''}`,
              label: { show: c.over, formatter: `${c.percent ?? '∞'}%`, color: '#fff', fontWeight: 'bold' },
              itemStyle: c.over ? { borderColor: '#1a1a1a', borderWidth: 2 } : { borderColor: '#fff', borderWidth: 1 },
            })),
          ),
        },
      ],
    }),
    [weeks, rows],
  );
  const overCount = rows.reduce((n, r) => n + r.cells.filter((c) => c.over).length, 0);
  return <EChart option={option} height={Math.max(180, 60 + rows.length * 34)} label={`Utilisation by week for ${rows.length} rows; ${overCount} over-allocated cells, listed below`} />;
}
