/**
 * Pure: process capability (Cp, Cpk from the σ within subgroups the chart estimates; Pp, Ppk from the overall sample
 * standard deviation) with two-sided confidence intervals:
 * - Cp and Pp: chi-square, Cp·√(χ²(α/2, ν)/ν) to Cp·√(χ²(1−α/2, ν)/ν), with the quantiles by Wilson–Hilferty
 *   (distributions.ts);
 * - Cpk and Ppk: Bissell's normal approximation (A. F. Bissell, "How reliable is your capability index?", Applied
 *   Statistics 39, 1990), Cpk ± z(1−α/2)·√(1/(9N) + Cpk²/(2ν)).
 * ν is N − 1 for the overall σ; for the σ within, the effective degrees of freedom of its estimator as Minitab
 * documents them ("Methods and formulas for potential capability", Normal Capability Analysis): k − 1 for the average
 * moving range of k individuals, 0.9·k·(n − 1) for R̄ and f(n)·k·(n − 1) for s̄ of k subgroups of n.
 */
import type { ChartType } from './control-limits.js';
import { chiSquareQuantile, normalQuantile } from './distributions.js';

/** A point estimate with its confidence interval. */
export interface Estimate {
  value: number;
  lower: number;
  upper: number;
}

export interface CapabilityInput {
  /** Individual measurements the figures are based on (N). */
  count: number;
  mean: number;
  sigmaWithin: number;
  /** Effective degrees of freedom of sigmaWithin (withinDegreesOfFreedom). */
  withinDf: number;
  /** Sample standard deviation of all measurements (N − 1 degrees of freedom). */
  sigmaOverall: number;
  lsl?: number;
  usl?: number;
  /** Two-sided confidence level; default 0.95. */
  confidence?: number;
}

export interface Capability {
  count: number;
  mean: number;
  sigmaWithin: number;
  sigmaOverall: number;
  confidence: number;
  /** (USL − LSL) / 6σ within; null unless both limits are given. */
  cp: Estimate | null;
  /** min(USL − μ, μ − LSL) / 3σ within, on the limits given; null without any. */
  cpk: Estimate | null;
  pp: Estimate | null;
  ppk: Estimate | null;
}

// Minitab's adjustment f(n) of the degrees of freedom of s̄ / c4, by subgroup size (n ≥ 65: 1).
const SBAR_FACTOR: ReadonlyArray<[number, number]> = [[2, 0.88], [3, 0.92], [4, 0.94], [5, 0.95], [7, 0.96], [9, 0.97], [17, 0.98], [64, 0.99]];

/** Effective degrees of freedom of the within-subgroup σ of a chart with `points` individuals or subgroups. */
export function withinDegreesOfFreedom(type: ChartType, subgroupSize: number, points: number): number {
  if (type === 'i-mr') return points - 1;
  if (type === 'xbar-r') return 0.9 * points * (subgroupSize - 1);
  const factor = SBAR_FACTOR.find(([upTo]) => subgroupSize <= upTo)?.[1] ?? 1;
  return factor * points * (subgroupSize - 1);
}

function chiSquareInterval(value: number, nu: number, alpha: number): Estimate {
  return {
    value,
    lower: value * Math.sqrt(chiSquareQuantile(alpha / 2, nu) / nu),
    upper: value * Math.sqrt(chiSquareQuantile(1 - alpha / 2, nu) / nu),
  };
}

function bissellInterval(value: number, count: number, nu: number, alpha: number): Estimate {
  const half = normalQuantile(1 - alpha / 2) * Math.sqrt(1 / (9 * count) + (value * value) / (2 * nu));
  return { value, lower: value - half, upper: value + half };
}

function potential(lsl: number | undefined, usl: number | undefined, sigma: number, nu: number, alpha: number): Estimate | null {
  if (lsl === undefined || usl === undefined || !(sigma > 0) || !(nu > 0)) return null;
  return chiSquareInterval((usl - lsl) / (6 * sigma), nu, alpha);
}

function centred(input: CapabilityInput, sigma: number, nu: number, alpha: number): Estimate | null {
  if ((input.lsl === undefined && input.usl === undefined) || !(sigma > 0) || !(nu > 0)) return null;
  const upper = input.usl === undefined ? Infinity : (input.usl - input.mean) / (3 * sigma);
  const lower = input.lsl === undefined ? Infinity : (input.mean - input.lsl) / (3 * sigma);
  return bissellInterval(Math.min(upper, lower), input.count, nu, alpha);
}

/** Cp, Cpk, Pp and Ppk with their intervals; an index is null when its spec limits or data are missing. */
export function processCapability(input: CapabilityInput): Capability {
  const confidence = input.confidence ?? 0.95;
  const alpha = 1 - confidence;
  const overallDf = input.count - 1;
  return {
    count: input.count,
    mean: input.mean,
    sigmaWithin: input.sigmaWithin,
    sigmaOverall: input.sigmaOverall,
    confidence,
    cp: potential(input.lsl, input.usl, input.sigmaWithin, input.withinDf, alpha),
    cpk: centred(input, input.sigmaWithin, input.withinDf, alpha),
    pp: potential(input.lsl, input.usl, input.sigmaOverall, overallDf, alpha),
    ppk: centred(input, input.sigmaOverall, overallDf, alpha),
  };
}
