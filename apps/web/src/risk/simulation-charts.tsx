import { useMemo } from 'react';
import { EChart } from '../charts/echart';
import type { SimulationResult } from './risk.types';

export const percentileDate = (r: SimulationResult, p: number) => r.finish.percentiles.find((x) => x.percentile === p)?.date ?? null;

/** Finish-date histogram, the cumulative curve with P50 and P80 marked, and the tornado of what drives the finish. */
export function SimulationCharts({ result }: { result: SimulationResult }) {
  const p50 = percentileDate(result, 50);
  const p80 = percentileDate(result, 80);
  const dates = useMemo(() => result.finish.histogram.map((b) => b.date), [result]);
  const histogram = useMemo(
    () => ({
      grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: dates },
      yAxis: { type: 'value', name: 'Iterations' },
      series: [{ type: 'bar', data: result.finish.histogram.map((b) => b.count), itemStyle: { color: '#0b4f9c' } }],
    }),
    [dates, result],
  );
  const cumulative = useMemo(() => {
    const mark = (label: string, date: string | null) => (date ? [{ xAxis: dates.find((d) => d >= date) ?? date, label: { formatter: `${label} ${date}` } }] : []);
    return {
      grid: { left: 8, right: 16, top: 24, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: dates },
      yAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value} %' } },
      series: [
        {
          type: 'line',
          data: result.finish.histogram.map((b) => Math.round(b.cumulative * 1000) / 10),
          showSymbol: false,
          lineStyle: { color: '#14213d', width: 2 },
          markLine: { symbol: 'none', lineStyle: { color: '#9b1c1c', type: 'dashed' }, data: [...mark('P50', p50), ...mark('P80', p80)] },
        },
      ],
    };
  }, [dates, result, p50, p80]);
  const tornado = useMemo(() => {
    const bars = [...result.tornado].sort((a, b) => Math.abs(a.sensitivity) - Math.abs(b.sensitivity));
    return {
      grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: 'value', min: -1, max: 1 },
      yAxis: { type: 'category', data: bars.map((b) => (b.kind === 'risk-event' ? `risk ${b.id}` : b.id)) },
      series: [{ type: 'bar', data: bars.map((b) => ({ value: Math.round(b.sensitivity * 100) / 100, itemStyle: { color: b.sensitivity >= 0 ? '#9b1c1c' : '#1e5e2f' } })), label: { show: true, position: 'right' } }],
    };
  }, [result]);
  return (
    <div className="simulation-charts">
      <dl className="figures">
        <div className="figure">
          <dt>Planned finish</dt>
          <dd>{result.planned.finishDate}</dd>
        </div>
        <div className="figure">
          <dt>P50 finish</dt>
          <dd>{p50 ?? '–'}</dd>
        </div>
        <div className="figure">
          <dt>P80 finish</dt>
          <dd>{p80 ?? '–'}</dd>
        </div>
        <div className="figure">
          <dt>Chance of the planned finish</dt>
          <dd>{Math.round(result.finish.probabilityOfPlannedFinish * 100)} %</dd>
        </div>
        <div className="figure">
          <dt>Iterations</dt>
          <dd>{result.iterations}</dd>
        </div>
      </dl>
      <h3>Finish dates</h3>
      <EChart option={histogram} height={240} label={`Histogram of ${result.iterations} simulated finish dates from ${dates[0] ?? ''} to ${dates.at(-1) ?? ''}`} />
      <h3>Cumulative probability</h3>
      <EChart option={cumulative} height={240} label={`Cumulative probability of finishing by each date; P50 ${p50 ?? 'unknown'}, P80 ${p80 ?? 'unknown'}`} />
      <h3>What drives the finish (tornado)</h3>
      <EChart
        option={tornado}
        height={Math.max(140, 40 + result.tornado.length * 28)}
        label={`Sensitivity of the finish to each task or risk event: ${result.tornado.map((b) => `${b.id} ${b.sensitivity.toFixed(2)}`).join(', ') || 'none'}`}
      />
    </div>
  );
}
