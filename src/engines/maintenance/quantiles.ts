/**
 * Quantiles of the standard normal and Student's t distributions, for the prediction intervals of the degradation
 * fit. Closed forms, no iteration: Acklam's rational approximation for the normal (relative error below 1.2e-9) and
 * the Cornish–Fisher expansion of t around it (Abramowitz & Stegun 26.7.5), which is within 3e-4 of the exact value from
 * 8 degrees of freedom on; the fit never asks with fewer (minSamples ≥ 10).
 */

const A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
const B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
const C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
const P_LOW = 0.02425;

/** Horner evaluation of a polynomial with coefficients from the highest power down. */
function poly(coefficients: readonly number[], x: number): number {
  let sum = 0;
  for (const coefficient of coefficients) sum = sum * x + coefficient;
  return sum;
}

/**
 * The p-quantile of the standard normal distribution.
 * @throws RangeError when p is not strictly between 0 and 1
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`a quantile needs 0 < p < 1, got ${p}`);
  if (p < P_LOW) {
    const q = Math.sqrt(-2 * Math.log(p));
    return poly(C, q) / (poly(D, q) * q + 1);
  }
  if (p > 1 - P_LOW) {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    return -poly(C, q) / (poly(D, q) * q + 1);
  }
  const q = p - 0.5;
  const r = q * q;
  return (poly(A, r) * q) / (poly(B, r) * r + 1);
}

/**
 * The p-quantile of Student's t distribution with `df` degrees of freedom.
 * @throws RangeError when p is not strictly between 0 and 1 or df is not positive
 */
export function studentTQuantile(p: number, df: number): number {
  if (!(df > 0)) throw new RangeError(`degrees of freedom must be positive, got ${df}`);
  const x = normalQuantile(p);
  if (!Number.isFinite(df)) return x;
  const x2 = x * x;
  const x3 = x2 * x;
  const x5 = x3 * x2;
  const x7 = x5 * x2;
  const x9 = x7 * x2;
  const g1 = (x3 + x) / 4;
  const g2 = (5 * x5 + 16 * x3 + 3 * x) / 96;
  const g3 = (3 * x7 + 19 * x5 + 17 * x3 - 15 * x) / 384;
  const g4 = (79 * x9 + 776 * x7 + 1482 * x5 - 1920 * x3 - 945 * x) / 92_160;
  return x + g1 / df + g2 / df ** 2 + g3 / df ** 3 + g4 / df ** 4;
}
