/**
 * Control-chart constants for subgroup sizes 2 to 25, as published: D. C. Montgomery, "Introduction to Statistical
 * Quality Control" (Wiley), Appendix Table VI "Factors for Constructing Variables Control Charts", which reproduces
 * ASTM Manual on Presentation of Data and Control Chart Analysis (ASTM STP 15D / MNL 7). The table values are used as
 * printed, so limits match a hand computation with the book; control-constants.test.ts checks every entry against
 * its definition (d2, d3 by numerical integration of the range of n normals; c4 from the gamma function; the others
 * from d2, d3 and c4).
 */
import { InputError } from '../../core/errors.js';

/** The constants of one subgroup size. */
export interface ControlConstants {
  n: number;
  /** Expected range of n standard normal values: σ = R̄ / d2. */
  d2: number;
  /** Standard deviation of that range. */
  d3: number;
  /** Expected sample standard deviation of n standard normal values: σ = s̄ / c4. */
  c4: number;
  /** X̄ limits from R̄: X̿ ± A2·R̄ (A2 = 3 / (d2·√n)). */
  A2: number;
  /** X̄ limits from s̄: X̿ ± A3·s̄ (A3 = 3 / (c4·√n)). */
  A3: number;
  /** R chart lower limit D3·R̄ (D3 = max(0, 1 − 3·d3/d2)). */
  D3: number;
  /** R chart upper limit D4·R̄ (D4 = 1 + 3·d3/d2). */
  D4: number;
  /** S chart lower limit B3·s̄ (B3 = max(0, 1 − 3·√(1 − c4²)/c4)). */
  B3: number;
  /** S chart upper limit B4·s̄ (B4 = 1 + 3·√(1 − c4²)/c4). */
  B4: number;
}

// One row per n = 2..25: d2, d3, c4, A2, A3, D3, D4, B3, B4.
const TABLE: ReadonlyArray<readonly [number, number, number, number, number, number, number, number, number]> = [
  [1.128, 0.853, 0.7979, 1.880, 2.659, 0, 3.267, 0, 3.267],
  [1.693, 0.888, 0.8862, 1.023, 1.954, 0, 2.574, 0, 2.568],
  [2.059, 0.880, 0.9213, 0.729, 1.628, 0, 2.282, 0, 2.266],
  [2.326, 0.864, 0.9400, 0.577, 1.427, 0, 2.114, 0, 2.089],
  [2.534, 0.848, 0.9515, 0.483, 1.287, 0, 2.004, 0.030, 1.970],
  [2.704, 0.833, 0.9594, 0.419, 1.182, 0.076, 1.924, 0.118, 1.882],
  [2.847, 0.820, 0.9650, 0.373, 1.099, 0.136, 1.864, 0.185, 1.815],
  [2.970, 0.808, 0.9693, 0.337, 1.032, 0.184, 1.816, 0.239, 1.761],
  [3.078, 0.797, 0.9727, 0.308, 0.975, 0.223, 1.777, 0.284, 1.716],
  [3.173, 0.787, 0.9754, 0.285, 0.927, 0.256, 1.744, 0.321, 1.679],
  [3.258, 0.778, 0.9776, 0.266, 0.886, 0.283, 1.717, 0.354, 1.646],
  [3.336, 0.770, 0.9794, 0.249, 0.850, 0.307, 1.693, 0.382, 1.618],
  [3.407, 0.763, 0.9810, 0.235, 0.817, 0.328, 1.672, 0.406, 1.594],
  [3.472, 0.756, 0.9823, 0.223, 0.789, 0.347, 1.653, 0.428, 1.572],
  [3.532, 0.750, 0.9835, 0.212, 0.763, 0.363, 1.637, 0.448, 1.552],
  [3.588, 0.744, 0.9845, 0.203, 0.739, 0.378, 1.622, 0.466, 1.534],
  [3.640, 0.739, 0.9854, 0.194, 0.718, 0.391, 1.608, 0.482, 1.518],
  [3.689, 0.734, 0.9862, 0.187, 0.698, 0.403, 1.597, 0.497, 1.503],
  [3.735, 0.729, 0.9869, 0.180, 0.680, 0.415, 1.585, 0.510, 1.490],
  [3.778, 0.724, 0.9876, 0.173, 0.663, 0.425, 1.575, 0.523, 1.477],
  [3.819, 0.720, 0.9882, 0.167, 0.647, 0.434, 1.566, 0.534, 1.466],
  [3.858, 0.716, 0.9887, 0.162, 0.633, 0.443, 1.557, 0.545, 1.455],
  [3.895, 0.712, 0.9892, 0.157, 0.619, 0.451, 1.548, 0.555, 1.445],
  [3.931, 0.708, 0.9896, 0.153, 0.606, 0.459, 1.541, 0.565, 1.435],
];

/** Smallest and largest subgroup size the table covers. */
export const MIN_SUBGROUP = 2;
export const MAX_SUBGROUP = 25;

/**
 * The published constants for subgroup size n.
 * @throws PF_ERR_REQUEST_INVALID when n is not an integer from 2 to 25
 */
export function controlConstants(n: number): ControlConstants {
  const row = Number.isInteger(n) ? TABLE[n - MIN_SUBGROUP] : undefined;
  if (row === undefined) throw new InputError('PF_ERR_REQUEST_INVALID', `control-chart constants exist for subgroup sizes ${MIN_SUBGROUP} to ${MAX_SUBGROUP}, not ${n}`);
  const [d2, d3, c4, A2, A3, D3, D4, B3, B4] = row;
  return { n, d2, d3, c4, A2, A3, D3, D4, B3, B4 };
}
