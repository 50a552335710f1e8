/**
 * Pure plane geometry of zones on the hall map (metres): is a point inside a rectangle or polygon, how far outside
 * it is, and how large a zone is. Boundaries count as inside, so a tag standing on a painted line is in the zone.
 */

export interface Point {
  x: number;
  y: number;
  z?: number;
}

export type Shape =
  | { kind: 'rect'; x: readonly [number, number]; y: readonly [number, number] }
  | { kind: 'polygon'; points: ReadonlyArray<readonly [number, number]> };

/** A zone's shape with its optional height band. */
export interface Solid {
  shape: Shape;
  z?: readonly [number, number];
}

/** Distance from p to the segment a–b. */
function distanceToSegment(p: Point, a: readonly [number, number], b: readonly [number, number]): number {
  const [ax, ay] = a;
  const dx = b[0] - ax;
  const dy = b[1] - ay;
  const lengthSquared = dx * dx + dy * dy;
  const t = lengthSquared === 0 ? 0 : Math.max(0, Math.min(1, ((p.x - ax) * dx + (p.y - ay) * dy) / lengthSquared));
  return Math.hypot(p.x - (ax + t * dx), p.y - (ay + t * dy));
}

/** Even-odd ray casting: true strictly inside (points on an edge may fall either way; callers check edges first). */
function crossesOddTimes(points: ReadonlyArray<readonly [number, number]>, p: Point): boolean {
  let inside = false;
  for (let i = 0, j = points.length - 1; i < points.length; j = i, i += 1) {
    const [xi, yi] = points[i]!;
    const [xj, yj] = points[j]!;
    if (yi > p.y !== yj > p.y && p.x < ((xj - xi) * (p.y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

function edgeDistance(points: ReadonlyArray<readonly [number, number]>, p: Point): number {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0, j = points.length - 1; i < points.length; j = i, i += 1) best = Math.min(best, distanceToSegment(p, points[j]!, points[i]!));
  return best;
}

/** How far p lies outside the shape in the plane; 0 when inside or on its boundary. */
export function distanceOutside(shape: Shape, p: Point): number {
  if (shape.kind === 'rect') {
    const dx = Math.max(shape.x[0] - p.x, 0, p.x - shape.x[1]);
    const dy = Math.max(shape.y[0] - p.y, 0, p.y - shape.y[1]);
    return Math.hypot(dx, dy);
  }
  const toEdge = edgeDistance(shape.points, p);
  if (toEdge === 0 || crossesOddTimes(shape.points, p)) return 0;
  return toEdge;
}

/** True when p is inside the shape or on its boundary (plane only). */
export function containsPoint(shape: Shape, p: Point): boolean {
  return distanceOutside(shape, p) === 0;
}

/**
 * How far p lies outside the solid: the plane distance combined with the height distance when both the zone has a
 * height band and the report has a z (a report without z is judged in the plane only).
 */
export function distanceOutsideSolid(solid: Solid, p: Point): number {
  const planar = distanceOutside(solid.shape, p);
  if (solid.z === undefined || p.z === undefined) return planar;
  const dz = Math.max(solid.z[0] - p.z, 0, p.z - solid.z[1]);
  return Math.hypot(planar, dz);
}

/** Area of the shape in square metres (for "the most specific zone": the smallest one containing a tag). */
export function shapeArea(shape: Shape): number {
  if (shape.kind === 'rect') return (shape.x[1] - shape.x[0]) * (shape.y[1] - shape.y[0]);
  let sum = 0;
  shape.points.forEach(([x, y], index) => {
    const [nextX, nextY] = shape.points[(index + 1) % shape.points.length]!;
    sum += x * nextY - nextX * y;
  });
  return Math.abs(sum) / 2;
}
