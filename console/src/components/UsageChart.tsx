import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { DataUsageDailyItem } from '../types';

const DAY_S = 86_400;

/**
 * The eSIM's daily usage (`dataUsageDailyList`, KB a day) as a bar chart (uPlot, on a canvas).
 * Named for assistive technology by its figures; the list itself is in the table beside it.
 */
export function UsageChart({ days }: { days: DataUsageDailyItem[] }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = box.current;
    if (!element || days.length === 0) return undefined;
    const sorted = [...days].sort((a, b) => a.day.localeCompare(b.day));
    const xs = sorted.map((d) => Date.parse(`${d.day}T00:00:00Z`) / 1000);
    const ys = sorted.map((d) => Number(d.usage));
    const width = Math.max(280, Math.min(element.clientWidth || 640, 900));
    const chart = new uPlot(
      {
        width,
        height: 220,
        tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
        scales: {
          x: { time: true, range: (_u, min, max) => [min - DAY_S / 2, max + DAY_S / 2] },
          y: { range: (_u, _min, max) => [0, Math.max(1, max) * 1.1] },
        },
        axes: [{}, { label: 'KB', size: 70 }],
        legend: { show: false },
        cursor: { show: false },
        series: [
          {},
          {
            label: 'Usage (KB)',
            stroke: '#0b57d0',
            fill: 'rgba(11, 87, 208, 0.35)',
            paths: uPlot.paths.bars!({ size: [0.6, 60] }),
            points: { show: false },
          },
        ],
      },
      [xs, ys],
      element,
    );
    return () => chart.destroy();
  }, [JSON.stringify(days)]);

  if (days.length === 0) return <p class="muted">No usage recorded yet: set a day's usage to see the chart.</p>;
  const total = days.reduce((sum, d) => sum + Number(d.usage), 0);
  return (
    <div
      class="chart"
      ref={box}
      role="img"
      data-testid="usage-chart"
      aria-label={`Bar chart of daily data usage: ${days.length} day${days.length === 1 ? '' : 's'}, ${total} KB in all`}
    />
  );
}
