interface Point {
  latitude: number;
  longitude: number;
}

const WIDTH = 360;
const HEIGHT = 240;
const MARGIN = 28;

/**
 * The shop, the customer and the rider on a plain SVG: an equirectangular projection of the
 * bounding box is exact enough across a few kilometres and needs no map tiles (or internet).
 */
export function RouteMap({
  pickup,
  dropoff,
  rider,
  track,
}: {
  pickup: Point;
  dropoff: Point;
  rider: Point | null;
  track: Point[];
}) {
  const points = [pickup, dropoff, ...track, ...(rider ? [rider] : [])];
  const latitudes = points.map((p) => p.latitude);
  const longitudes = points.map((p) => p.longitude);
  const [south, north] = [Math.min(...latitudes), Math.max(...latitudes)];
  const [west, east] = [Math.min(...longitudes), Math.max(...longitudes)];
  // A degree of longitude is shorter than one of latitude away from the equator.
  const squash = Math.cos((((south + north) / 2) * Math.PI) / 180);
  const spanX = Math.max((east - west) * squash, 1e-4);
  const spanY = Math.max(north - south, 1e-4);
  const scale = Math.min((WIDTH - 2 * MARGIN) / spanX, (HEIGHT - 2 * MARGIN) / spanY);
  const offsetX = (WIDTH - spanX * scale) / 2;
  const offsetY = (HEIGHT - spanY * scale) / 2;
  const project = (p: Point) => ({
    x: offsetX + (p.longitude - west) * squash * scale,
    y: HEIGHT - (offsetY + (p.latitude - south) * scale),
  });
  const shop = project(pickup);
  const home = project(dropoff);
  const riderAt = rider ? project(rider) : null;
  return (
    <svg
      className="route-map"
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      role="img"
      aria-label={
        rider ? 'Map with the rider, the shop and your address' : 'Map of the shop and your address'
      }
      data-testid="route-map"
    >
      <rect width={WIDTH} height={HEIGHT} className="land" />
      <line x1={shop.x} y1={shop.y} x2={home.x} y2={home.y} className="route" />
      {track.length > 1 && (
        <polyline
          className="track"
          points={track
            .map(project)
            .map(({ x, y }) => `${x},${y}`)
            .join(' ')}
        />
      )}
      <g transform={`translate(${shop.x},${shop.y})`}>
        <rect x={-7} y={-7} width={14} height={14} className="shop" />
        <text y={-11}>Shop</text>
      </g>
      <g transform={`translate(${home.x},${home.y})`}>
        <circle r={7} className="home" />
        <text y={-11}>You</text>
      </g>
      {riderAt && rider && (
        <g
          transform={`translate(${riderAt.x},${riderAt.y})`}
          data-testid="rider-marker"
          data-latitude={rider.latitude}
          data-longitude={rider.longitude}
        >
          <circle r={8} className="rider" />
          <text y={20}>Rider</text>
        </g>
      )}
    </svg>
  );
}
