/**
 * The few distribution functions SPC needs, implemented here rather than pulled in as a dependency: the standard
 * normal CDF and quantile, and the chi-square quantile by the Wilson–Hilferty approximation (for Cp and Pp
 * confidence intervals).
 */

/**
 * The complementary error function, W. J. Cody's rational Chebyshev approximation as given in Numerical Recipes
 * (`erfcc`): fractional error below 1.2e-7 everywhere, ample for limits printed to four digits.
 */
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? r : 2 - r;
}

/** P(Z ≤ x) for a standard normal Z. */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x / Math.SQRT2);
}

// P. J. Acklam's rational approximation of the normal quantile: relative error below 1.15e-9 on (0, 1).
const A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
const B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
const C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
const P_LOW = 0.02425;

/**
 * The p-quantile of the standard normal distribution (Acklam's algorithm).
 * @returns ±Infinity at p = 0 or 1, NaN outside [0, 1]
 */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) return Number.NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (p < P_LOW) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((C[0]! * q + C[1]!) * q + C[2]!) * q + C[3]!) * q + C[4]!) * q + C[5]!) / ((((D[0]! * q + D[1]!) * q + D[2]!) * q + D[3]!) * q + 1);
  }
  if (p > 1 - P_LOW) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return ((((((A[0]! * r + A[1]!) * r + A[2]!) * r + A[3]!) * r + A[4]!) * r + A[5]!) * q) / (((((B[0]! * r + B[1]!) * r + B[2]!) * r + B[3]!) * r + B[4]!) * r + 1);
}

/**
 * The p-quantile of the chi-square distribution with ν degrees of freedom, by the Wilson–Hilferty approximation
 * (E. B. Wilson, M. M. Hilferty 1931: (χ²/ν)^(1/3) is close to normal with mean 1 − 2/(9ν) and variance 2/(9ν)):
 * χ²_p ≈ ν·(1 − 2/(9ν) + z_p·√(2/(9ν)))³. Within about 1 % of the exact quantile for ν ≥ 5 at the 2.5 % and 97.5 %
 * points, and better as ν grows; ν need not be an integer (Minitab's effective degrees of freedom are not).
 * @returns NaN for ν ≤ 0 or p outside (0, 1)
 */
export function chiSquareQuantile(p: number, nu: number): number {
  if (!(nu > 0) || !(p > 0 && p < 1)) return Number.NaN;
  const a = 2 / (9 * nu);
  const cube = 1 - a + normalQuantile(p) * Math.sqrt(a);
  return cube <= 0 ? 0 : nu * cube * cube * cube;
}
