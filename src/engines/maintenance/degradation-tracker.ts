/**
 * Follows one degradation signal: aggregates its readings to one point per minute (the mean of the transformed
 * readings, which cuts the noise by the square root of the readings per minute), fits the trend over the sliding
 * window, and at every closed minute estimates the remaining life to the threshold. It reports a prediction once per
 * `updateEveryMinutes` (aligned to the epoch, so a restart reports at the same instants) and a predicted failure
 * once per episode: when the earliest plausible failure comes inside the horizon. The episode ends when the trend
 * no longer heads for the threshold or the earliest failure moves a quarter beyond the horizon again. A repair shows
 * as readings far on the healthy side of the trend: after RESET_RUN such minutes in a row the fit starts afresh from
 * them, so the new component is not judged by the old one's trend.
 * Constant time per reading; memory is the window's ring of one-minute points.
 */
import { SlidingLineFit, type LineFit } from './line-fit.js';
import type { PredictionSettings } from './maintenance-config.js';
import { estimateRul, type RulEstimate } from './rul.js';

const MINUTE_MS = 60_000;
/** An episode ends when the earliest plausible failure is this many horizons away again (hysteresis). */
export const EPISODE_CLEAR_FACTOR = 1.25;
/** A one-minute point this many prediction standard deviations on the healthy side of the trend counts as renewed. */
export const RESET_SIGMAS = 8;
/** Consecutive renewed-looking minutes that restart the fit (one stray minute never throws away a day of trend). */
export const RESET_RUN = 5;

/**
 * Whether an estimate is firm enough to act on its lower bound: the trend heads for the threshold at the confidence
 * level, and the interval is no wider than the larger of the estimate and the horizon. A fit over a short history
 * extrapolated far ahead has a wide interval whose lower end can fall inside the horizon while the truth lies days
 * away; waiting until it narrows costs little (it narrows fast as history builds up) and avoids that early alarm.
 */
export function settled(estimate: RulEstimate, horizonHours: number): boolean {
  if (!estimate.degrading || estimate.rulHours === null || estimate.lowerHours === null || estimate.upperHours === null) return false;
  return estimate.upperHours - estimate.lowerHours <= Math.max(estimate.rulHours, horizonHours);
}

/** What one evaluation found. */
export interface PredictionSnapshot {
  /** Epoch ms of the reading that closed the minute. */
  at: number;
  /** Mean reading of the minute just closed. */
  value: number;
  /** The fitted trend at `at`, in reading units. */
  trendValue: number;
  estimate: RulEstimate;
  fit: LineFit;
}

/** What an evaluation reports: the periodic prediction, or the start of a predicted-failure episode. */
export type TrackerOutput = { kind: 'updated'; prediction: PredictionSnapshot } | { kind: 'failure-predicted'; prediction: PredictionSnapshot };

/** The remaining-life tracker of one series. */
export class DegradationTracker {
  readonly settings: PredictionSettings;
  readonly #fit: SlidingLineFit;
  readonly #target: number;
  #minute: number | undefined;
  #sumFitted = 0;
  #sumValue = 0;
  #count = 0;
  #lastBucket: number | undefined;
  #episode = false;
  /** The latest one-minute points on the healthy side of the trend, in a row: [time, fitted value]. */
  #healthyRun: Array<[number, number]> = [];

  constructor(settings: PredictionSettings) {
    this.settings = settings;
    this.#fit = new SlidingLineFit(settings.windowMs, Math.ceil(settings.windowMs / MINUTE_MS) + 1);
    this.#target = this.#toFitted(settings.failureAt);
  }

  /** True while a predicted failure has been reported and not cleared. */
  get inEpisode(): boolean {
    return this.#episode;
  }

  /** Takes one reading (in time order); returns what to report, usually nothing. */
  update(ts: number, value: number): TrackerOutput[] {
    const minute = Math.floor(ts / MINUTE_MS) * MINUTE_MS;
    let outputs: TrackerOutput[] = [];
    if (this.#minute !== undefined && minute > this.#minute) {
      if (this.#count > 0) outputs = this.#closeMinute(this.#minute, ts);
      this.#sumFitted = this.#sumValue = this.#count = 0;
    }
    this.#minute = minute;
    if (this.#usable(value)) {
      this.#sumFitted += this.#toFitted(value);
      this.#sumValue += value;
      this.#count += 1;
    }
    return outputs;
  }

  #usable(value: number): boolean {
    const { ignoreBelow, ignoreAbove, model, baseline } = this.settings;
    if (!Number.isFinite(value)) return false;
    if (ignoreBelow !== undefined && value < ignoreBelow) return false;
    if (ignoreAbove !== undefined && value > ignoreAbove) return false;
    return model === 'linear' || value > baseline;
  }

  #toFitted(value: number): number {
    return this.settings.model === 'exponential' ? Math.log(value - this.settings.baseline) : value;
  }

  #fromFitted(fitted: number): number {
    return this.settings.model === 'exponential' ? Math.exp(fitted) + this.settings.baseline : fitted;
  }

  #closeMinute(minute: number, now: number): TrackerOutput[] {
    const point: [number, number] = [minute + MINUTE_MS / 2, this.#sumFitted / this.#count];
    if (this.#renewed(point)) {
      this.#fit.clear();
      for (const [ts, fitted] of this.#healthyRun) this.#fit.add(ts, fitted);
      this.#healthyRun = [];
      this.#episode = false;
    } else {
      this.#fit.add(point[0], point[1]);
      // While a possible renewal is under way, the old trend is in doubt: estimate again once it is settled.
      if (this.#healthyRun.length > 0) return [];
    }
    const fit = this.#fit.fit();
    if (fit === undefined || fit.n < this.settings.minSamples) return [];
    const { rising, confidence, horizonHours, updateEveryMinutes } = this.settings;
    const estimate = estimateRul(fit, { target: this.#target, rising, now, confidence });
    const prediction: PredictionSnapshot = { at: now, value: this.#sumValue / this.#count, trendValue: this.#fromFitted(estimate.fittedNow), estimate, fit };
    const outputs: TrackerOutput[] = [];
    const bucket = Math.floor(minute / (updateEveryMinutes * MINUTE_MS));
    if (bucket !== this.#lastBucket) {
      this.#lastBucket = bucket;
      outputs.push({ kind: 'updated', prediction });
    }
    const lower = estimate.lowerHours;
    const inHorizon = estimate.reached || (settled(estimate, horizonHours) && lower !== null && lower < horizonHours);
    if (!this.#episode && inHorizon) {
      this.#episode = true;
      outputs.push({ kind: 'failure-predicted', prediction });
    } else if (this.#episode && !estimate.reached && (!estimate.degrading || lower === null || lower >= EPISODE_CLEAR_FACTOR * horizonHours)) {
      this.#episode = false;
    }
    return outputs;
  }

  /**
   * Whether this point completes a run of RESET_RUN points far on the healthy side of the current trend (a repair or
   * a replacement). Judged against the fit before the point joins it, and only once the fit has minSamples points.
   */
  #renewed(point: [number, number]): boolean {
    const fit = this.#fit.fit();
    if (fit === undefined || fit.n < this.settings.minSamples) return false;
    const d = (point[0] - fit.meanAt) / 3_600_000;
    const residualSd = Math.sqrt(fit.sse / (fit.n - 2));
    const spread = residualSd * Math.sqrt(1 + 1 / fit.n + (d * d) / fit.sxx);
    const towardsFailure = (this.settings.rising ? 1 : -1) * (point[1] - (fit.meanValue + fit.slope * d));
    if (!(towardsFailure < -RESET_SIGMAS * spread)) {
      this.#healthyRun = [];
      return false;
    }
    this.#healthyRun.push(point);
    return this.#healthyRun.length >= RESET_RUN;
  }
}
