import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LineFit } from './line-fit.js';
import { studentTQuantile } from './quantiles.js';
import { estimateRul, quadraticRoots } from './rul.js';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 0, 5);

/** Twelve points at −5.5 … 5.5 h around T0 (Σx² = 143) on a line of slope 1 per hour, residual variance 0.04. */
const FIT: LineFit = { n: 12, from: T0 - 5.5 * HOUR, to: T0 + 5.5 * HOUR, meanAt: T0, meanValue: 0, slope: 1, sxx: 143, syy: 143 + 0.4, sse: 0.4 };

/** The first hour ≥ from where `reached(d)` holds, by bisection on a fine scan: independent of the quadratic. */
function firstHour(reached: (d: number) => boolean, from: number, to: number): number | null {
  let previous = from;
  for (let d = from; d <= to; d += 0.01) {
    if (reached(d)) {
      let low = previous;
      let high = d;
      for (let step = 0; step < 60; step += 1) {
        const middle = (low + high) / 2;
        if (reached(middle)) high = middle;
        else low = middle;
      }
      return high - from;
    }
    previous = d;
  }
  return null;
}

describe('remaining useful life', () => {
  it('solves quadratics stably, including the degenerate ones', () => {
    assert.deepEqual(quadraticRoots(1, -3, 2), [1, 2]);
    assert.deepEqual(quadraticRoots(0, 2, -4), [2]);
    assert.deepEqual(quadraticRoots(1, 0, 1), []);
    assert.deepEqual(quadraticRoots(1, -2, 1), [1]);
    const [small, large] = quadraticRoots(1, -1e8, 1);
    assert.ok(Math.abs(small! - 1e-8) < 1e-20 && Math.abs(large! - 1e8) < 1e-6, 'no cancellation in the small root');
  });

  it('puts the bounds where the prediction band meets the threshold', () => {
    const estimate = estimateRul(FIT, { target: 10, rising: true, now: T0, confidence: 0.9 });
    const q = studentTQuantile(0.95, 10);
    const band = (d: number) => q * 0.2 * Math.sqrt(1 + 1 / 12 + (d * d) / 143);
    assert.equal(estimate.rulHours, 10);
    const lower = firstHour((d) => d + band(d) >= 10, 0, 30)!;
    const upper = firstHour((d) => d - band(d) >= 10, 0, 30)!;
    assert.ok(Math.abs(estimate.lowerHours! - lower) < 1e-9, `lower ${estimate.lowerHours} vs ${lower}`);
    assert.ok(Math.abs(estimate.upperHours! - upper) < 1e-9, `upper ${estimate.upperHours} vs ${upper}`);
    // By hand: roots of 0.999081·d² − 20·d + 99.85765 = 0.
    assert.ok(Math.abs(estimate.lowerHours! - 9.5247) < 1e-3 && Math.abs(estimate.upperHours! - 10.4935) < 1e-3);
    assert.equal(estimate.degrading, true);
    assert.ok(Math.abs(estimate.residualSd - 0.2) < 1e-12);
    assert.ok(Math.abs(estimate.slopeStdErr - 0.2 / Math.sqrt(143)) < 1e-12);
  });

  it('counts from now, and reports zero once the threshold is passed beyond doubt', () => {
    const later = estimateRul(FIT, { target: 10, rising: true, now: T0 + 4 * HOUR, confidence: 0.9 });
    assert.ok(Math.abs(later.rulHours! - 6) < 1e-12);
    const passed = estimateRul(FIT, { target: 10, rising: true, now: T0 + 12 * HOUR, confidence: 0.9 });
    assert.deepEqual([passed.rulHours, passed.lowerHours, passed.upperHours, passed.reached], [0, 0, 0, true]);
  });

  it('mirrors for a signal falling towards its threshold', () => {
    const falling: LineFit = { ...FIT, slope: -1 };
    const estimate = estimateRul(falling, { target: -10, rising: false, now: T0, confidence: 0.9 });
    const rising = estimateRul(FIT, { target: 10, rising: true, now: T0, confidence: 0.9 });
    assert.equal(estimate.rulHours, 10);
    assert.ok(Math.abs(estimate.lowerHours! - rising.lowerHours!) < 1e-12 && Math.abs(estimate.upperHours! - rising.upperHours!) < 1e-12);
  });

  it('predicts no failure for a flat trend, and bounds nothing for one heading away', () => {
    const flat = estimateRul({ ...FIT, slope: 0, syy: 0.4 }, { target: 10, rising: true, now: T0, confidence: 0.9 });
    assert.equal(flat.rulHours, null);
    assert.equal(flat.upperHours, null);
    assert.equal(flat.degrading, false);
    const away = estimateRul({ ...FIT, slope: -1 }, { target: 10, rising: true, now: T0, confidence: 0.9 });
    assert.deepEqual([away.rulHours, away.lowerHours, away.upperHours, away.degrading], [null, null, null, false]);
  });

  it('leaves the latest failure open when the slope is not significant', () => {
    // Slope 0.02 per hour with a standard error of 0.2/√143 ≈ 0.0167: t ≈ 1.2, below t(0.95, 10).
    const weak = estimateRul({ ...FIT, slope: 0.02 }, { target: 1, rising: true, now: T0, confidence: 0.9 });
    assert.equal(weak.degrading, false);
    assert.equal(weak.upperHours, null);
    assert.ok(weak.rulHours !== null && weak.lowerHours !== null && weak.lowerHours < weak.rulHours);
  });
});
