import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { absolute, percent } from '../format.js';
import { graphql, type ResultOf } from '../graphql.js';

/** What the uptime bars show of a rollup bucket. */
export const BucketFields = graphql('fragment BucketFields on Rollup { start checks successes ratio latencyP50 latencyP95 }');
export type Bucket = ResultOf<typeof BucketFields>;

const barTone = (r: number | null) => (r == null ? 'none' : r >= 0.99 ? 'ok' : r >= 0.95 ? 'warn' : 'bad');

/** One bar per bucket, coloured by its uptime; the overall figure beside it. */
export function UptimeBars({ title, buckets, ratio }: { title: string; buckets: Bucket[]; ratio: number | null | undefined }) {
  return (
    <figure class="uptime">
      <figcaption>
        <span>{title}</span> <strong>{percent(ratio)}</strong>
      </figcaption>
      {buckets.length === 0 ? (
        <p class="muted">no checks recorded</p>
      ) : (
        <svg
          class="bars"
          viewBox={`0 0 ${buckets.length} 10`}
          preserveAspectRatio="none"
          role="img"
          aria-label={`${title}: ${percent(ratio)}`}
        >
          {buckets.map((b, i) => (
            <rect key={b.start} x={i + 0.1} y={0} width={0.8} height={10} class={barTone(b.ratio)}>
              <title>{`${absolute(b.start)}: ${percent(b.ratio)} of ${b.checks} checks`}</title>
            </rect>
          ))}
        </svg>
      )}
    </figure>
  );
}

const cssVar = (name: string) => getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888';

/** Response time over time (p50 and p95 per bucket), drawn by uPlot. */
export function LatencyChart({ points }: { points: { at: string; p50: number | null; p95: number | null }[] }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el || points.length === 0) return;
    const data: uPlot.AlignedData = [
      points.map((p) => new Date(p.at).getTime() / 1000),
      points.map((p) => p.p50),
      points.map((p) => p.p95),
    ];
    const axis = { stroke: cssVar('--muted'), grid: { stroke: cssVar('--line') }, ticks: { stroke: cssVar('--line') } };
    const plot = new uPlot(
      {
        width: Math.max(300, el.clientWidth),
        height: 220,
        series: [
          {},
          { label: 'p50 ms', stroke: cssVar('--accent'), width: 2, spanGaps: true },
          { label: 'p95 ms', stroke: cssVar('--warn'), width: 1, spanGaps: true },
        ],
        axes: [axis, { ...axis, label: 'ms' }],
      },
      data,
      el,
    );
    const resize = () => plot.setSize({ width: Math.max(300, el.clientWidth), height: 220 });
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      plot.destroy();
    };
  }, [points]);
  if (points.length === 0) return <p class="muted">No response times recorded yet.</p>;
  return <div ref={ref} class="chart" role="img" aria-label="response time chart" />;
}
