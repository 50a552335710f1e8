/**
 * Ordinary least squares of a straight line over a sliding time window, updated one point at a time: the running
 * sums of the points in the window are kept, a point leaving the window is subtracted, and the line comes from the
 * sums in constant time. Memory is a ring of at most `capacity` points. Times and values are taken relative to an
 * anchor (the oldest point) so the sums stay small, and the sums are recomputed from the ring once per `capacity`
 * points, which removes the rounding an add-and-subtract stream accumulates (amortised constant time).
 */

const HOUR_MS = 3_600_000;

/** The line through the window's points and what its uncertainty needs. Times in hours where a unit is implied. */
export interface LineFit {
  /** Points in the window. */
  n: number;
  /** Time of the first and last point, epoch ms. */
  from: number;
  to: number;
  /** Mean time of the points (epoch ms) and mean value: the line passes through both. */
  meanAt: number;
  meanValue: number;
  /** Slope, value units per hour. */
  slope: number;
  /** Σ(t − t̄)² in hours². */
  sxx: number;
  /** Σ(y − ȳ)², the total sum of squares. */
  syy: number;
  /** Residual sum of squares. */
  sse: number;
}

/** A least-squares line over the points of the last `windowMs`; points must come in time order. */
export class SlidingLineFit {
  readonly #windowMs: number;
  readonly #capacity: number;
  readonly #ts: Float64Array;
  readonly #values: Float64Array;
  #oldest = 0;
  #count = 0;
  #anchorTs = 0;
  #anchorValue = 0;
  #sumX = 0;
  #sumY = 0;
  #sumXX = 0;
  #sumXY = 0;
  #sumYY = 0;
  #sinceRebase = 0;

  /** @throws RangeError when the window or capacity is not positive */
  constructor(windowMs: number, capacity: number) {
    if (!(windowMs > 0) || !(capacity >= 3) || !Number.isInteger(capacity)) throw new RangeError(`a line fit needs a positive window and capacity ≥ 3, got ${windowMs} ms, ${capacity}`);
    this.#windowMs = windowMs;
    this.#capacity = capacity;
    this.#ts = new Float64Array(capacity);
    this.#values = new Float64Array(capacity);
  }

  /** Points in the window. */
  get size(): number {
    return this.#count;
  }

  /** Adds a point at `ts` (epoch ms, after the last one) and drops those older than the window before it. */
  add(ts: number, value: number): void {
    while (this.#count > 0 && (ts - this.#ts[this.#oldest]! >= this.#windowMs || this.#count === this.#capacity)) this.#dropOldest();
    if (this.#count === 0) {
      this.#anchorTs = ts;
      this.#anchorValue = value;
      this.#sinceRebase = 0;
    }
    const slot = (this.#oldest + this.#count) % this.#capacity;
    this.#ts[slot] = ts;
    this.#values[slot] = value;
    this.#count += 1;
    this.#accumulate(ts, value, 1);
    this.#sinceRebase += 1;
    if (this.#sinceRebase >= this.#capacity) this.#rebase();
  }

  /** Forgets every point. */
  clear(): void {
    this.#count = 0;
    this.#oldest = 0;
    this.#sumX = this.#sumY = this.#sumXX = this.#sumXY = this.#sumYY = 0;
  }

  /** The line through the window's points; undefined with fewer than three points or all at one time. */
  fit(): LineFit | undefined {
    const n = this.#count;
    if (n < 3) return undefined;
    const meanX = this.#sumX / n;
    const meanY = this.#sumY / n;
    const sxx = this.#sumXX - this.#sumX * meanX;
    if (!(sxx > 0)) return undefined;
    const sxy = this.#sumXY - this.#sumX * meanY;
    const syy = Math.max(0, this.#sumYY - this.#sumY * meanY);
    const slope = sxy / sxx;
    return {
      n,
      from: this.#ts[this.#oldest]!,
      to: this.#ts[(this.#oldest + n - 1) % this.#capacity]!,
      meanAt: this.#anchorTs + meanX * HOUR_MS,
      meanValue: this.#anchorValue + meanY,
      slope,
      sxx,
      syy,
      sse: Math.max(0, syy - slope * sxy),
    };
  }

  #accumulate(ts: number, value: number, sign: 1 | -1): void {
    const x = (ts - this.#anchorTs) / HOUR_MS;
    const y = value - this.#anchorValue;
    this.#sumX += sign * x;
    this.#sumY += sign * y;
    this.#sumXX += sign * x * x;
    this.#sumXY += sign * x * y;
    this.#sumYY += sign * y * y;
  }

  #dropOldest(): void {
    this.#accumulate(this.#ts[this.#oldest]!, this.#values[this.#oldest]!, -1);
    this.#oldest = (this.#oldest + 1) % this.#capacity;
    this.#count -= 1;
    if (this.#count === 0) this.clear();
  }

  /** Re-anchors at the oldest point and recomputes the sums exactly from the ring. */
  #rebase(): void {
    this.#anchorTs = this.#ts[this.#oldest]!;
    this.#anchorValue = this.#values[this.#oldest]!;
    this.#sumX = this.#sumY = this.#sumXX = this.#sumXY = this.#sumYY = 0;
    for (let index = 0; index < this.#count; index += 1) {
      const slot = (this.#oldest + index) % this.#capacity;
      this.#accumulate(this.#ts[slot]!, this.#values[slot]!, 1);
    }
    this.#sinceRebase = 0;
  }
}
