/**
 * SPC charts as the API and the UI read them (docs/spc.md), computed by engines/spc from the log. Times are ISO 8601.
 */
import type { SpcChartType } from './spc-config.js';

export interface SpcQueryRequest {
  /** The machine's path. */
  equipment: string;
  /** The characteristic's id in plant.yaml, or the measured name (data.characteristic). */
  characteristic: string;
  /** Epoch ms; points whose (last) measurement lies in [from, to). */
  from: number;
  to: number;
}

/** A point estimate with its confidence interval. */
export interface SpcEstimate {
  value: number;
  lower: number;
  upper: number;
}

export interface SpcCapabilityView {
  /** Individual measurements the figures rest on. */
  count: number;
  mean: number;
  sigmaWithin: number;
  sigmaOverall: number;
  confidence: number;
  cp: SpcEstimate | null;
  cpk: SpcEstimate | null;
  pp: SpcEstimate | null;
  ppk: SpcEstimate | null;
}

export interface SpcChartLimitsView {
  /** i, mr, xbar, r or s. */
  chart: string;
  center: number;
  ucl: number;
  lcl: number;
  /** Width of one zone (location charts). */
  sigma?: number;
}

export interface SpcLimitsView {
  revision: number;
  source: 'samples' | 'window' | 'given';
  /** When they were established. */
  at: string;
  /** The first point judged against them. */
  effectiveFromIndex: number;
  location: SpcChartLimitsView;
  dispersion: SpcChartLimitsView;
  sigmaWithin: number;
  baseline?: { points: number; measurements: number; from: string; to: string; mean: number; sdOverall: number };
  capability: SpcCapabilityView | null;
}

export interface SpcPointView {
  index: number;
  /** Time of the (last) measurement; `from` is a subgroup's first. */
  at: string;
  from?: string;
  /** The individual value or subgroup mean. */
  value: number;
  /** Moving range, range or standard deviation. */
  dispersion?: number;
  /** Measurements in the point. */
  size: number;
  phase: 'waiting' | 'baseline' | 'monitored';
  limitsRevision?: number;
  workOrder?: string;
  serial?: string;
}

export interface SpcViolationView {
  rule: { number: number; id: string; name: string };
  side?: string;
  chart: string;
  /** When the episode started (the time of the point that completed the pattern). */
  at: string;
  points: Array<{ index: number; value: number; at: string; from?: string; workOrder?: string; serial?: string }>;
  /** The last point of the episode so far, and whether its condition still holds at the end of the range. */
  throughIndex: number;
  open: boolean;
  limitsRevision: number;
}

export interface SpcQueryResult {
  equipment: string;
  /** The characteristic's id and measured name. */
  id: string;
  characteristic: string;
  name?: string;
  chartType: SpcChartType;
  subgroupSize: number;
  unit?: string;
  lsl?: number;
  usl?: number;
  target?: number;
  rules: number[];
  from: string;
  to: string;
  /** The limits in force at `to` (null while the baseline is still being collected). */
  limits: SpcLimitsView | null;
  /** Every set of limits established before `to`, oldest first. */
  limitsHistory: SpcLimitsView[];
  /** Why there are no limits, when a baseline could not set any. */
  problem?: string;
  points: SpcPointView[];
  /** Violation episodes that started in the range. */
  violations: SpcViolationView[];
  /** Cp/Cpk/Pp/Ppk of the measurements in the range (null without spec limits or with fewer than two points). */
  capability: SpcCapabilityView | null;
  /** True when the range held more points than are returned (the newest are kept). */
  truncated: boolean;
}

export interface SpcReader {
  /**
   * One characteristic's chart on one machine over a time range, computed from the log.
   * @throws PF_ERR_NOT_FOUND when no SPC characteristic of that id or name is configured for the machine
   */
  query(request: SpcQueryRequest): Promise<SpcQueryResult>;
}
