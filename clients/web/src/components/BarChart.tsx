/**
 * A bar chart in inline SVG: one bar per day, scaled to the largest value, the first and last
 * dates under the axis. Small enough that the example app needs no chart library.
 */
export function BarChart({
  title,
  points,
  format,
  testId,
}: {
  title: string;
  points: { label: string; value: number }[];
  format: (value: number) => string;
  testId: string;
}) {
  const width = 640;
  const height = 180;
  const max = Math.max(1, ...points.map((point) => point.value));
  const slot = width / Math.max(1, points.length);
  return (
    <figure className="chart" data-testid={testId}>
      <figcaption>
        {title} (max {format(max)})
      </figcaption>
      <svg viewBox={`0 0 ${width} ${height + 20}`} role="img" aria-label={title}>
        <line x1={0} y1={height} x2={width} y2={height} stroke="currentColor" />
        {points.map((point, index) => {
          const barHeight = (point.value / max) * height;
          return (
            <rect
              key={point.label}
              data-value={point.value}
              x={index * slot + slot * 0.15}
              y={height - barHeight}
              width={slot * 0.7}
              height={barHeight}
              fill="#e8912d"
            >
              <title>{`${point.label}: ${format(point.value)}`}</title>
            </rect>
          );
        })}
        <text x={0} y={height + 16} fontSize={12}>
          {points[0]?.label}
        </text>
        <text x={width} y={height + 16} fontSize={12} textAnchor="end">
          {points.at(-1)?.label}
        </text>
      </svg>
    </figure>
  );
}
