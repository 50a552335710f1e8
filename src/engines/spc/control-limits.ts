/**
 * Pure: control limits of the three chart pairs (I-MR, X̄-R, X̄-S), either from a baseline's summary statistics
 * (phase I: MR̄/d2, R̄/d2, s̄/c4 with the published constants) or from a given mean and σ ("standard given").
 */
import type { SpcChartType } from '../../core/spc-config.js';
import { controlConstants } from './control-constants.js';

/** The chart pairs a characteristic can be watched with (plant.yaml `chart`). */
export type ChartType = SpcChartType;

/** One chart of a pair: individuals or subgroup means (location), moving ranges, ranges or standard deviations. */
export type ChartName = 'i' | 'mr' | 'xbar' | 'r' | 's';

export interface ChartLimits {
  chart: ChartName;
  center: number;
  ucl: number;
  lcl: number;
  /** σ of the plotted statistic (location charts): the width of one zone for the run rules. */
  sigma?: number;
}

export interface ControlLimits {
  type: ChartType;
  subgroupSize: number;
  /** The individuals (i) or subgroup-mean (xbar) chart. */
  location: ChartLimits & { sigma: number };
  /** The moving-range (mr), range (r) or standard-deviation (s) chart. */
  dispersion: ChartLimits;
  /** The process σ within subgroups (short term), as the chart estimates it. */
  sigmaWithin: number;
}

/** What a baseline contributes: the mean of its plotted points and of their dispersion statistics. */
export interface BaselineSummary {
  /** Mean of the individuals (i-mr) or of the subgroup means (X̿). */
  meanOfPoints: number;
  /** MR̄ (i-mr: of the moving ranges between consecutive baseline points), R̄ or s̄. */
  meanDispersion: number;
}

function locationName(type: ChartType): 'i' | 'xbar' {
  return type === 'i-mr' ? 'i' : 'xbar';
}

function dispersionName(type: ChartType): 'mr' | 'r' | 's' {
  return type === 'i-mr' ? 'mr' : type === 'xbar-r' ? 'r' : 's';
}

/** The size the constants are looked up for: moving ranges of two for individuals. */
function constantsSize(type: ChartType, subgroupSize: number): number {
  return type === 'i-mr' ? 2 : subgroupSize;
}

/**
 * Limits from a baseline: I-MR x̄ ± 3·MR̄/d2 and MR̄·[D3, D4]; X̄-R X̿ ± A2·R̄ and R̄·[D3, D4]; X̄-S X̿ ± A3·s̄ and
 * s̄·[B3, B4] (n = 2 for the moving range).
 * @throws PF_ERR_REQUEST_INVALID for a subgroup size without constants
 */
export function limitsFromBaseline(type: ChartType, subgroupSize: number, summary: BaselineSummary): ControlLimits {
  const k = controlConstants(constantsSize(type, subgroupSize));
  const center = summary.meanOfPoints;
  const spread = summary.meanDispersion;
  const halfWidth = type === 'i-mr' ? (3 * spread) / k.d2 : type === 'xbar-r' ? k.A2 * spread : k.A3 * spread;
  const sigmaWithin = type === 'xbar-s' ? spread / k.c4 : spread / k.d2;
  const [lower, upper] = type === 'xbar-s' ? [k.B3, k.B4] : [k.D3, k.D4];
  return {
    type,
    subgroupSize: type === 'i-mr' ? 1 : subgroupSize,
    location: { chart: locationName(type), center, ucl: center + halfWidth, lcl: center - halfWidth, sigma: halfWidth / 3 },
    dispersion: { chart: dispersionName(type), center: spread, ucl: upper * spread, lcl: lower * spread },
    sigmaWithin,
  };
}

/**
 * Limits for a known process mean and σ: location μ ± 3σ/√n; moving range or range d2σ within [D1σ, D2σ]
 * (D1 = max(0, d2 − 3d3), D2 = d2 + 3d3); standard deviation c4σ within [B5σ, B6σ].
 * @throws PF_ERR_REQUEST_INVALID for a subgroup size without constants
 */
export function limitsFromGiven(type: ChartType, subgroupSize: number, mean: number, sigma: number): ControlLimits {
  const n = type === 'i-mr' ? 1 : subgroupSize;
  const k = controlConstants(constantsSize(type, subgroupSize));
  const pointSigma = sigma / Math.sqrt(n);
  let dispersion: ChartLimits;
  if (type === 'xbar-s') {
    const spread = 3 * Math.sqrt(1 - k.c4 * k.c4);
    dispersion = { chart: 's', center: k.c4 * sigma, ucl: (k.c4 + spread) * sigma, lcl: Math.max(0, k.c4 - spread) * sigma };
  } else {
    dispersion = { chart: dispersionName(type), center: k.d2 * sigma, ucl: (k.d2 + 3 * k.d3) * sigma, lcl: Math.max(0, k.d2 - 3 * k.d3) * sigma };
  }
  return {
    type,
    subgroupSize: n,
    location: { chart: locationName(type), center: mean, ucl: mean + 3 * pointSigma, lcl: mean - 3 * pointSigma, sigma: pointSigma },
    dispersion,
    sigmaWithin: sigma,
  };
}

/** Mean, range and sample standard deviation of one subgroup (sd 0 for a single value). */
export function subgroupStatistics(values: readonly number[]): { mean: number; range: number; sd: number } {
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const value of values) {
    sum += value;
    if (value < min) min = value;
    if (value > max) max = value;
  }
  const mean = sum / values.length;
  let squares = 0;
  for (const value of values) squares += (value - mean) ** 2;
  return { mean, range: max - min, sd: values.length > 1 ? Math.sqrt(squares / (values.length - 1)) : 0 };
}
