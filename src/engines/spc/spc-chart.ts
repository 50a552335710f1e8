/**
 * Pure and streaming: one characteristic's control chart on one machine. Measurements arrive in event order and are
 * grouped into subgroups of the configured size (one for I-MR); each completed point is either part of the baseline
 * (until the limits are established), or judged against the limits by the Nelson rules on the location chart (I or
 * X̄) and rule 1 on the dispersion chart (MR, R or S). Memory is bounded: the baseline is kept as running sums, the
 * rules look at fifteen points at most. The engine and the query both drive this class, so they agree point for point.
 */
import type { SpcCharacteristic } from '../../core/spc-config.js';
import { processCapability, withinDegreesOfFreedom, type Capability } from './capability.js';
import { limitsFromBaseline, limitsFromGiven, subgroupStatistics, type ChartLimits, type ChartName, type ControlLimits } from './control-limits.js';
import { RuleMonitor, type RuleInfo, type RuleNumber, type RuleSide } from './nelson-rules.js';

/** One measured value as the chart needs it. */
export interface Measurement {
  value: number;
  /** Epoch ms (the event's occurredAt). */
  at: number;
  workOrder?: string;
  serial?: string;
}

/** waiting: before a time-window baseline (or after it failed); baseline: sets the limits; monitored: judged. */
export type PointPhase = 'waiting' | 'baseline' | 'monitored';

export interface ChartPoint {
  /** 1-based position on this chart. */
  index: number;
  /** The individual value, or the subgroup mean. */
  value: number;
  /** Moving range to the previous point (i-mr, from the second point), subgroup range (xbar-r) or standard deviation (xbar-s). */
  dispersion?: number;
  /** Time of the (last) measurement. */
  at: number;
  /** Time of a subgroup's first measurement. */
  from?: number;
  /** A subgroup's measured values. */
  values?: number[];
  /** Work order and serial of the (last) measurement. */
  workOrder?: string;
  serial?: string;
  phase: PointPhase;
  /** Revision of the limits a monitored point was judged against. */
  limitsRevision?: number;
}

/** A point as a violation reports it: its value on the chart that fired. */
export interface ViolationPoint {
  index: number;
  value: number;
  at: number;
  from?: number;
  workOrder?: string;
  serial?: string;
}

/** The start of a violation episode on one chart. */
export interface ChartViolation {
  rule: RuleInfo;
  side?: RuleSide;
  chart: ChartName;
  points: ViolationPoint[];
  limits: ChartLimits;
  limitsRevision: number;
}

/** What the baseline of established limits was. */
export interface BaselineRecord {
  /** Points (individuals or subgroups) and measurements in it. */
  points: number;
  measurements: number;
  /** Epoch ms of its first and last measurement. */
  from: number;
  to: number;
  /** Mean and sample standard deviation of its individual measurements. */
  mean: number;
  sdOverall: number;
}

export interface EstablishedLimits {
  /** 1 for the first limits, one more at each recompute. */
  revision: number;
  source: 'samples' | 'window' | 'given';
  limits: ControlLimits;
  /** Absent for given limits. */
  baseline?: BaselineRecord;
  /** Cp/Cpk/Pp/Ppk of the baseline (null without spec limits or without a baseline). */
  capability: Capability | null;
  /** Epoch ms of the point at which they were established. */
  at: number;
  /** The first point judged against them. */
  effectiveFromIndex: number;
}

export interface ChartStep {
  /** The point this measurement completed (none while a subgroup fills). */
  point?: ChartPoint;
  /** Limits established at this point. */
  established?: EstablishedLimits;
  /** Violation episodes this point started. */
  violations: ChartViolation[];
}

/** Running sums of a baseline: bounded memory however long it is. */
class BaselineAccumulator {
  points = 0;
  measurements = 0;
  #sumValue = 0;
  #sumDispersion = 0;
  #dispersions = 0;
  #previous: number | undefined;
  #from = 0;
  #to = 0;
  // Welford's running mean and sum of squared deviations of the individual measurements.
  #mean = 0;
  #squares = 0;

  add(point: ChartPoint, individual: boolean): void {
    if (this.points === 0) this.#from = point.from ?? point.at;
    this.#to = point.at;
    this.points += 1;
    this.#sumValue += point.value;
    if (individual) {
      // Moving ranges inside the baseline only: the range into its first point belongs to what came before.
      if (this.#previous !== undefined) {
        this.#sumDispersion += Math.abs(point.value - this.#previous);
        this.#dispersions += 1;
      }
      this.#previous = point.value;
    } else if (point.dispersion !== undefined) {
      this.#sumDispersion += point.dispersion;
      this.#dispersions += 1;
    }
    for (const value of point.values ?? [point.value]) {
      this.measurements += 1;
      const delta = value - this.#mean;
      this.#mean += delta / this.measurements;
      this.#squares += delta * (value - this.#mean);
    }
  }

  /** The summary limits are computed from, or why there is none. */
  summary(): { meanOfPoints: number; meanDispersion: number } | string {
    if (this.points < 2 || this.#dispersions === 0) return `a baseline needs at least 2 points, it had ${this.points}`;
    const meanDispersion = this.#sumDispersion / this.#dispersions;
    if (!(meanDispersion > 0)) return 'the baseline shows no variation at all (a stuck gauge?): no limits can be set from it';
    return { meanOfPoints: this.#sumValue / this.points, meanDispersion };
  }

  record(): BaselineRecord {
    return { points: this.points, measurements: this.measurements, from: this.#from, to: this.#to, mean: this.#mean, sdOverall: this.measurements > 1 ? Math.sqrt(this.#squares / (this.measurements - 1)) : 0 };
  }
}

function violationPoint(point: ChartPoint, value: number): ViolationPoint {
  return {
    index: point.index,
    value,
    at: point.at,
    ...(point.from === undefined ? {} : { from: point.from }),
    ...(point.workOrder === undefined ? {} : { workOrder: point.workOrder }),
    ...(point.serial === undefined ? {} : { serial: point.serial }),
  };
}

/** One characteristic on one machine; see the module comment. */
export class SpcChart {
  readonly config: SpcCharacteristic;
  readonly #confidence: number;
  #pending: Measurement[] = [];
  #index = 0;
  #previousValue: number | undefined;
  /** The baseline being collected (the first, or the next one after `recomputeAfter`). */
  #collecting: BaselineAccumulator | undefined;
  #established: EstablishedLimits | undefined;
  #location: RuleMonitor<ChartPoint> | undefined;
  #dispersion: RuleMonitor<ChartPoint> | undefined;
  #judged = 0;
  #problem: string | undefined;

  constructor(config: SpcCharacteristic, confidence = 0.95) {
    this.config = config;
    this.#confidence = confidence;
    if (config.baseline.kind !== 'given') this.#collecting = new BaselineAccumulator();
  }

  /** The limits in force, if any. */
  get established(): EstablishedLimits | undefined {
    return this.#established;
  }

  /** Why there are no limits (a baseline that could not set any), if that is so. */
  get problem(): string | undefined {
    return this.#problem;
  }

  /** True while an episode of `rule` is open on `chart` (its condition held on the latest point). */
  isOpen(chart: ChartName, rule: RuleNumber, side?: RuleSide): boolean {
    const monitor = chart === 'i' || chart === 'xbar' ? this.#location : this.#dispersion;
    return monitor?.isOpen(rule, side) ?? false;
  }

  /** Adds the next measurement in event order. */
  add(measurement: Measurement): ChartStep {
    this.#pending.push(measurement);
    if (this.#pending.length < this.config.subgroupSize) return { violations: [] };
    const point = this.#pointOf(this.#pending);
    this.#pending = [];
    const step: ChartStep = { point, violations: [] };
    const baseline = this.config.baseline;

    if (baseline.kind === 'given' && this.#established === undefined) {
      step.established = this.#establish(limitsFromGiven(this.config.chart, this.config.subgroupSize, baseline.mean, baseline.sigma), 'given', point, point.index);
    }
    if (baseline.kind === 'window' && this.#established === undefined && this.#collecting !== undefined && point.at >= baseline.to) {
      // The window has passed: its points set the limits, and this first point after it is the first judged.
      const established = this.#fromBaseline(this.#collecting, 'window', point, point.index);
      if (established !== undefined) step.established = established;
    }

    if (this.#established !== undefined) {
      point.phase = 'monitored';
      point.limitsRevision = this.#established.revision;
      step.violations.push(...this.#judge(point));
      this.#judged += 1;
    } else {
      const inWindow = baseline.kind !== 'window' || (point.at >= baseline.from && point.at < baseline.to);
      point.phase = this.#collecting !== undefined && inWindow ? 'baseline' : 'waiting';
    }

    const collecting = this.#collecting;
    if (collecting !== undefined && point.phase !== 'waiting') {
      if (baseline.kind === 'window') {
        if (point.phase === 'baseline') collecting.add(point, this.config.chart === 'i-mr');
      } else if (baseline.kind === 'samples') {
        collecting.add(point, this.config.chart === 'i-mr');
        if (collecting.points >= baseline.samples) {
          const established = this.#fromBaseline(collecting, 'samples', point, point.index + 1);
          if (established !== undefined) step.established = established;
          // A baseline without variation is dropped; the next points start a fresh one.
          else this.#collecting = new BaselineAccumulator();
        }
      }
    }
    if (baseline.kind === 'samples' && this.config.recomputeAfter !== undefined && this.#collecting === undefined && this.#judged >= this.config.recomputeAfter) {
      this.#collecting = new BaselineAccumulator();
    }
    this.#previousValue = point.value;
    return step;
  }

  #pointOf(measurements: readonly Measurement[]): ChartPoint {
    this.#index += 1;
    const last = measurements[measurements.length - 1]!;
    const meta = { ...(last.workOrder === undefined ? {} : { workOrder: last.workOrder }), ...(last.serial === undefined ? {} : { serial: last.serial }) };
    if (this.config.chart === 'i-mr') {
      return {
        index: this.#index,
        value: last.value,
        ...(this.#previousValue === undefined ? {} : { dispersion: Math.abs(last.value - this.#previousValue) }),
        at: last.at,
        ...meta,
        phase: 'waiting',
      };
    }
    const values = measurements.map((entry) => entry.value);
    const stats = subgroupStatistics(values);
    return {
      index: this.#index,
      value: stats.mean,
      dispersion: this.config.chart === 'xbar-r' ? stats.range : stats.sd,
      at: last.at,
      from: measurements[0]!.at,
      values,
      ...meta,
      phase: 'waiting',
    };
  }

  #fromBaseline(collected: BaselineAccumulator, source: 'samples' | 'window', point: ChartPoint, effectiveFromIndex: number): EstablishedLimits | undefined {
    const summary = collected.summary();
    if (typeof summary === 'string') {
      this.#problem = summary;
      if (source === 'window') this.#collecting = undefined;
      return undefined;
    }
    const limits = limitsFromBaseline(this.config.chart, this.config.subgroupSize, summary);
    return this.#establish(limits, source, point, effectiveFromIndex, collected.record());
  }

  #establish(limits: ControlLimits, source: EstablishedLimits['source'], point: ChartPoint, effectiveFromIndex: number, baseline?: BaselineRecord): EstablishedLimits {
    const capability =
      baseline === undefined
        ? null
        : processCapability({
            count: baseline.measurements,
            mean: baseline.mean,
            sigmaWithin: limits.sigmaWithin,
            withinDf: withinDegreesOfFreedom(this.config.chart, this.config.subgroupSize, baseline.points),
            sigmaOverall: baseline.sdOverall,
            ...(this.config.lsl === undefined ? {} : { lsl: this.config.lsl }),
            ...(this.config.usl === undefined ? {} : { usl: this.config.usl }),
            confidence: this.#confidence,
          });
    const established: EstablishedLimits = {
      revision: (this.#established?.revision ?? 0) + 1,
      source,
      limits,
      ...(baseline === undefined ? {} : { baseline }),
      capability: capability !== null && capability.cpk === null && capability.ppk === null ? null : capability,
      at: point.at,
      effectiveFromIndex,
    };
    this.#established = established;
    this.#collecting = undefined;
    this.#problem = undefined;
    this.#judged = 0;
    // New limits, new zones: open episodes end and the rules start over.
    this.#location = new RuleMonitor<ChartPoint>(limits.location, this.config.rules);
    this.#dispersion = new RuleMonitor<ChartPoint>(limits.dispersion, this.config.rules.filter((rule) => rule === 1));
    return established;
  }

  #judge(point: ChartPoint): ChartViolation[] {
    const established = this.#established!;
    const { location, dispersion } = established.limits;
    const violations: ChartViolation[] = [];
    for (const firing of this.#location!.push(point, point.value)) {
      violations.push({
        rule: firing.rule,
        ...(firing.side === undefined ? {} : { side: firing.side }),
        chart: location.chart,
        points: firing.points.map((entry) => violationPoint(entry, entry.value)),
        limits: location,
        limitsRevision: established.revision,
      });
    }
    if (point.dispersion !== undefined) {
      for (const firing of this.#dispersion!.push(point, point.dispersion)) {
        violations.push({
          rule: firing.rule,
          ...(firing.side === undefined ? {} : { side: firing.side }),
          chart: dispersion.chart,
          points: firing.points.map((entry) => violationPoint(entry, entry.dispersion ?? 0)),
          limits: dispersion,
          limitsRevision: established.revision,
        });
      }
    }
    return violations;
  }
}
