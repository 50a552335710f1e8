/**
 * Remaining useful life from a least-squares trend line, with a prediction interval (docs/maintenance.md derives it).
 * With the line ŷ(d) = ȳ + b·d (d = hours from the points' mean time), the residual standard deviation
 * s = √(SSE / (n − 2)), and q the Student-t quantile of the two-sided confidence level (n − 2 degrees of freedom),
 * a reading at time d lies within ŷ(d) ± q·s·√(1 + 1/n + d²/Sxx) — the parameters' uncertainty and the residual
 * variance together. The failure time is where the threshold y* is reached: the point estimate where ŷ meets y*,
 * the earliest plausible time where the bound on the failure side first reaches y*, the latest where the other
 * bound does. Both bounds meet y* where (y* − ŷ(d))² = q²s²(1 + 1/n + d²/Sxx), a quadratic in d:
 *   (b² − q²s²/Sxx)·d² − 2b(y* − ȳ)·d + (y* − ȳ)² − q²s²(1 + 1/n) = 0,
 * the inverse-prediction (Fieller) interval. Its leading coefficient is positive exactly when the slope differs from
 * zero at the confidence level; only then is the latest failure time bounded.
 */
import type { LineFit } from './line-fit.js';
import { studentTQuantile } from './quantiles.js';

const HOUR_MS = 3_600_000;

/** What the remaining life is asked for: to which threshold, from when, at what confidence. */
export interface RulQuery {
  /** The threshold, in the units of the fitted values. */
  target: number;
  /** True when failure lies above the threshold (values grow towards it), false when below. */
  rising: boolean;
  /** Epoch ms the remaining life is counted from. */
  now: number;
  /** Two-sided confidence of the interval, e.g. 0.9. */
  confidence: number;
}

/** The remaining life, its interval and the fit's quality; hours from `RulQuery.now`. */
export interface RulEstimate {
  /** Hours until the fitted trend reaches the threshold; null when the trend does not head towards it. */
  rulHours: number | null;
  /** Hours until the threshold is first plausible (the failure-side bound reaches it); null when never. */
  lowerHours: number | null;
  /** Hours until the threshold is reached beyond doubt (the other bound reaches it); null when that cannot be bounded. */
  upperHours: number | null;
  /** The slope is towards the threshold and differs from zero at the confidence level. */
  degrading: boolean;
  /** The trend has passed the threshold beyond doubt already. */
  reached: boolean;
  /** The trend's value at `now`. */
  fittedNow: number;
  /** Slope per hour, its standard error and the residual standard deviation, in the units of the fitted values. */
  slope: number;
  slopeStdErr: number;
  residualSd: number;
  /** Share of the variance the line explains. */
  r2: number;
  /** The t quantile used. */
  quantile: number;
}

/** Real roots of a·x² + b·x + c, ascending (numerically stable form); a double root appears once. */
export function quadraticRoots(a: number, b: number, c: number): number[] {
  const scale = Math.max(Math.abs(a), Math.abs(b), Math.abs(c));
  if (scale === 0) return [];
  if (Math.abs(a) <= 1e-14 * scale) return b === 0 ? [] : [-c / b];
  const discriminant = b * b - 4 * a * c;
  if (discriminant < 0) return [];
  if (discriminant === 0) return [-b / (2 * a)];
  const half = -0.5 * (b + Math.sign(b || 1) * Math.sqrt(discriminant));
  const first = half / a;
  const second = half === 0 ? first : c / half;
  return first < second ? [first, second] : [second, first];
}

/**
 * Remaining useful life from `fit` to `query.target`, with the interval above.
 * @throws RangeError when the fit has fewer than three points or the confidence is not in (0, 1)
 */
export function estimateRul(fit: LineFit, query: RulQuery): RulEstimate {
  if (fit.n < 3) throw new RangeError('a remaining-life estimate needs at least three points');
  if (!(query.confidence > 0 && query.confidence < 1)) throw new RangeError(`confidence must be in (0, 1), got ${query.confidence}`);
  const direction = query.rising ? 1 : -1;
  const b = fit.slope;
  const residualSd = Math.sqrt(fit.sse / (fit.n - 2));
  const quantile = studentTQuantile((1 + query.confidence) / 2, fit.n - 2);
  const k = quantile * quantile * residualSd * residualSd;
  const gap = query.target - fit.meanValue;
  const d0 = (query.now - fit.meanAt) / HOUR_MS;
  const fittedNow = fit.meanValue + b * d0;
  /** Distance still to go towards the threshold at d, and the half-width of the prediction band there. */
  const ahead = (d: number): number => direction * (gap - b * d);
  const halfWidth = (d: number): number => Math.sqrt(k * (1 + 1 / fit.n + (d * d) / fit.sxx));
  const common = {
    fittedNow,
    slope: b,
    slopeStdErr: residualSd / Math.sqrt(fit.sxx),
    residualSd,
    r2: fit.syy > 0 ? Math.max(0, 1 - fit.sse / fit.syy) : 0,
    quantile,
  };
  const leading = b * b - k / fit.sxx;
  const degrading = direction * b > 0 && leading > 0;
  if (ahead(d0) <= -halfWidth(d0) && (k > 0 || ahead(d0) < 0)) {
    return { ...common, rulHours: 0, lowerHours: 0, upperHours: 0, degrading, reached: true };
  }
  const rulHours = direction * b > 0 ? Math.max(0, gap / b - d0) : null;
  if (k === 0) {
    // A perfect fit: no uncertainty, every bound is the point estimate.
    return { ...common, rulHours, lowerHours: rulHours, upperHours: rulHours, degrading: direction * b > 0, reached: false };
  }
  const roots = quadraticRoots(leading, -2 * b * gap, gap * gap - k * (1 + 1 / fit.n));
  // The plausible failure times are where |y* − ŷ| ≤ the half-width; the first of them from now on is the lower bound.
  const plausibleNow = Math.abs(ahead(d0)) <= halfWidth(d0);
  const next = roots.find((root) => root > d0);
  const lowerHours = plausibleNow ? 0 : next === undefined ? null : next - d0;
  const last = roots[roots.length - 1];
  const upperHours = degrading && last !== undefined ? Math.max(0, last - d0) : null;
  return { ...common, rulHours, lowerHours, upperHours, degrading, reached: false };
}
