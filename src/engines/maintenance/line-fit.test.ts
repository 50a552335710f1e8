import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SlidingLineFit } from './line-fit.js';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 0, 5);

/** Textbook least squares over explicit points, to check the running sums against. */
function batchFit(points: Array<[number, number]>) {
  const n = points.length;
  const xs = points.map(([ts]) => (ts - T0) / HOUR);
  const ys = points.map(([, y]) => y);
  const meanX = xs.reduce((a, b) => a + b, 0) / n;
  const meanY = ys.reduce((a, b) => a + b, 0) / n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  xs.forEach((x, i) => {
    sxx += (x - meanX) ** 2;
    sxy += (x - meanX) * (ys[i]! - meanY);
    syy += (ys[i]! - meanY) ** 2;
  });
  const slope = sxy / sxx;
  return { n, slope, sxx, syy, sse: syy - slope * sxy, meanValue: meanY, meanAt: T0 + meanX * HOUR };
}

function close(actual: number, expected: number, tolerance: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= tolerance * Math.max(1, Math.abs(expected)), `${what}: ${actual} vs ${expected}`);
}

describe('sliding least-squares line', () => {
  it('recovers an exact line', () => {
    const fit = new SlidingLineFit(24 * HOUR, 1441);
    for (let minute = 0; minute < 120; minute += 1) fit.add(T0 + minute * 60_000, 3 + 0.5 * (minute / 60));
    const line = fit.fit()!;
    close(line.slope, 0.5, 1e-12, 'slope');
    close(line.sse, 0, 1e-12, 'sse');
    close(line.meanValue + line.slope * ((T0 + 2 * HOUR - line.meanAt) / HOUR), 4, 1e-12, 'value at 2 h');
  });

  it('matches a batch fit of the points still in the window, through evictions and re-anchoring', () => {
    const windowMs = 2 * HOUR;
    const fit = new SlidingLineFit(windowMs, 121);
    const points: Array<[number, number]> = [];
    let seed = 7;
    const uniform = () => {
      seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0;
      return seed / 4_294_967_296;
    };
    for (let minute = 0; minute < 2000; minute += 1) {
      const ts = T0 + minute * 60_000 + (minute % 3) * 1000;
      const y = 1000 + 0.01 * minute + Math.sin(minute / 50) + (uniform() - 0.5);
      fit.add(ts, y);
      points.push([ts, y]);
      if (minute % 97 !== 0 || minute < 10) continue;
      const inWindow = points.filter(([at]) => ts - at < windowMs);
      const expected = batchFit(inWindow);
      const actual = fit.fit()!;
      assert.equal(actual.n, expected.n, `points in the window at minute ${minute}`);
      close(actual.slope, expected.slope, 1e-9, `slope at minute ${minute}`);
      close(actual.sse, expected.sse, 1e-7, `sse at minute ${minute}`);
      close(actual.meanValue, expected.meanValue, 1e-12, `mean at minute ${minute}`);
      close(actual.meanAt, expected.meanAt, 1e-12, `mean time at minute ${minute}`);
    }
  });

  it('keeps at most its capacity and needs three points at distinct times', () => {
    const fit = new SlidingLineFit(HOUR, 10);
    fit.add(T0, 1);
    fit.add(T0 + 60_000, 2);
    assert.equal(fit.fit(), undefined);
    for (let minute = 2; minute < 30; minute += 1) fit.add(T0 + minute * 60_000, minute + 1);
    assert.equal(fit.size, 10);
    close(fit.fit()!.slope, 60, 1e-9, 'one per minute is 60 per hour');
    fit.clear();
    assert.equal(fit.size, 0);
    assert.throws(() => new SlidingLineFit(0, 10), RangeError);
  });
});
