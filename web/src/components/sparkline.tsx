/**
 * A signal over time as an SVG line with min/max band: enough to see a trend (a bearing's rising vibration) without a
 * charting library.
 */
export interface Bucket {
  ts: number;
  min: number;
  max: number;
  avg: number;
}

export function Sparkline({ buckets, width = 640, height = 120, limit }: { buckets: Bucket[]; width?: number; height?: number; limit?: number }) {
  if (buckets.length < 2) return <p className="muted">not enough data yet</p>;
  const first = buckets[0]!.ts;
  const last = buckets[buckets.length - 1]!.ts;
  const low = Math.min(...buckets.map((bucket) => bucket.min), limit ?? Infinity);
  const high = Math.max(...buckets.map((bucket) => bucket.max), limit ?? -Infinity);
  const span = high - low || 1;
  const x = (ts: number): number => ((ts - first) / (last - first || 1)) * (width - 40) + 36;
  const y = (value: number): number => height - 14 - ((value - low) / span) * (height - 24);
  const band = [...buckets.map((bucket) => `${x(bucket.ts)},${y(bucket.max)}`), ...[...buckets].reverse().map((bucket) => `${x(bucket.ts)},${y(bucket.min)}`)].join(' ');
  const line = buckets.map((bucket) => `${x(bucket.ts)},${y(bucket.avg)}`).join(' ');
  return (
    <svg className="sparkline" viewBox={`0 0 ${width} ${height}`} role="img">
      <polygon points={band} className="band" />
      <polyline points={line} className="avg" />
      {limit !== undefined && <line x1={36} x2={width - 4} y1={y(limit)} y2={y(limit)} className="limit" />}
      <text x={2} y={y(high) + 4}>{high.toPrecision(4)}</text>
      <text x={2} y={y(low)}>{low.toPrecision(4)}</text>
    </svg>
  );
}
