/**
 * The streaming, per-signal anomaly detector: an ensemble of small online detectors over one signal (spike, jump,
 * level shift, variance change, new extreme), measured against a baseline that learns a daily or weekly profile when
 * the signal has one; each statistic is calibrated against its own history, the strongest becomes the score, and
 * repeated alarms are damped.
 * Pure: no I/O, no clock, no randomness. The state is a fixed-size plain object (`snapshot()` / `restore()`), and
 * each sample costs the same few dozen arithmetic operations however long the stream has run.
 */
import { InputError } from '../../core/errors.js';
import { resolveDetectorConfig, type AnomalyDetectorConfig } from './config.js';
import { explain, type AnomalyKind, type AnomalyResult } from './explain.js';
import { COMPONENTS, emptyState, isDetectorState, type DetectorState } from './state.js';

export type { AnomalyExplanation, AnomalyKind, AnomalyResult } from './explain.js';
export type { DetectorState } from './state.js';

export interface AnomalyDetector {
  /** Scores one sample and learns from it. Samples come in time order; a non-finite value scores 0 and is not learnt. */
  update(ts: number, value: number): AnomalyResult;
  /** A deep copy of the state as plain JSON, for checkpoints. */
  snapshot(): DetectorState;
  /**
   * Replaces the state with a snapshot from a detector of the same configuration.
   * @throws PF_ERR_CONFIG_INVALID when the snapshot does not fit this configuration.
   */
  restore(state: DetectorState): void;
  readonly config: AnomalyDetectorConfig;
}

const DAY_MS = 86_400_000;
const TINY = 1e-12;
/** Samples before the components' calibration starts, and twice that before they may report. */
const CALIBRATION_START = 20;
/** Statistics are clipped at the running mean plus this many deviations when learnt, so anomalies teach little. */
const CALIBRATION_CLIP = 8;
/** Residuals are clipped at this many typical deviations when learnt, for the same reason. */
const BASELINE_CLIP = 6;
const KIND_OF: Record<(typeof COMPONENTS)[number], AnomalyKind> = {
  spike: 'spike',
  jump: 'spike',
  levelShift: 'level-shift',
  variance: 'variance-change',
  extreme: 'spike',
};

/**
 * Teaches one bucket of a profile the current deviation from the level (and the size of the residual, as its usual
 * spread, which rises fast and falls slowly); returns the squared miss of the profile before this lesson.
 */
function teach(
  offsets: number[],
  spreads: number[],
  visits: number[],
  bucket: number,
  deviation: number,
  residual: number,
  scale: number,
  memory: number,
  spreadFall: number,
): number {
  const offset = offsets[bucket]!;
  const alpha = Math.max(1 / memory, 1 / (visits[bucket]! + 1));
  offsets[bucket] = offset + alpha * (deviation - offset);
  visits[bucket]!++;
  const spread = spreads[bucket]!;
  const observed = Math.min(Math.abs(residual), BASELINE_CLIP * Math.max(scale, spread));
  spreads[bucket] = spread + (observed > spread ? alpha : alpha * spreadFall) * (observed - spread);
  return (deviation - offset) * (deviation - offset);
}

/**
 * Creates a detector for one signal; `config` is checked against the schema and completed with defaults.
 * @throws PF_ERR_CONFIG_INVALID when the configuration does not fit the schema.
 */
export function createDetector(config: unknown = {}): AnomalyDetector {
  return new EnsembleDetector(resolveDetectorConfig(config));
}

class EnsembleDetector implements AnomalyDetector {
  readonly config: AnomalyDetectorConfig;
  #s: DetectorState;
  readonly #floors: Float64Array;
  readonly #stats = new Float64Array(COMPONENTS.length);
  readonly #surprises = new Float64Array(COMPONENTS.length);
  readonly #envelopeDecay: number;
  readonly #releaseDecay: number;
  /** Index of the component that gave the last sample's strength (scratch, not state). */
  #strongest = 0;

  constructor(config: AnomalyDetectorConfig) {
    this.config = config;
    this.#s = emptyState(config);
    const { spike, jump, levelShift, variance, extreme } = config.floors;
    this.#floors = Float64Array.from([spike, jump, levelShift, variance, extreme]);
    this.#envelopeDecay = Math.exp(-1 / config.suppression.memory);
    this.#releaseDecay = Math.exp(-1 / config.suppression.releaseMemory);
  }

  snapshot(): DetectorState {
    return structuredClone(this.#s);
  }

  restore(state: DetectorState): void {
    if (!isDetectorState(state, this.config)) {
      throw new InputError('PF_ERR_CONFIG_INVALID', 'the anomaly detector snapshot does not fit this detector’s configuration');
    }
    this.#s = structuredClone(state);
  }

  update(ts: number, value: number): AnomalyResult {
    const s = this.#s;
    const config = this.config;
    if (!Number.isFinite(value) || !Number.isFinite(ts)) return this.#quiet(value, s.level, s.scale, false);
    s.n++;
    const buckets = s.season.length;
    const bucket = Math.min(buckets - 1, Math.floor((((ts % DAY_MS) + DAY_MS) % DAY_MS) * (buckets / DAY_MS)));
    if (s.n === 1) {
      this.#start(ts, value);
      return this.#quiet(value, value, 0, false);
    }

    const weekly = config.seasonal.weeklyBucketsPerDay;
    const dayOfWeek = (((Math.floor(ts / DAY_MS) % 7) + 7) % 7) * weekly;
    const weekBucket = dayOfWeek + Math.min(weekly - 1, Math.floor((((ts % DAY_MS) + DAY_MS) % DAY_MS) * (weekly / DAY_MS)));
    const mode = s.seasonActive;
    const seasonal = mode !== 0;
    const offset = mode === 1 ? s.season[bucket]! : mode === 2 ? s.week[weekBucket]! : 0;
    const y = value - offset;
    const floor = Math.max(TINY, 1e-3 * s.absLevel, 0.02 * Math.sqrt(s.errPlain), 0.1 * s.minStep);
    const scale = Math.max(s.scale, floor);
    const residual = y - s.level;
    const step = y - s.prevY;

    // Level shift: the mean of the last few samples against the baseline as it was before them.
    const window = s.ring.length;
    const levelBefore = s.levelRing[s.ringPos]!;
    s.ringSum += y - s.ring[s.ringPos]!;
    s.ring[s.ringPos] = y;
    s.levelRing[s.ringPos] = s.level;
    s.ringPos = (s.ringPos + 1) % window;
    s.varShort += (step * step - s.varShort) / window;

    // A burst that comes at the same time every day widens that time's spread instead of alarming each day.
    const days = (ts - s.firstTs) / DAY_MS;
    const bucketSpread = days >= config.seasonal.minDays ? (mode === 2 ? s.weekSpread[weekBucket]! : s.seasonSpread[bucket]!) : 0;
    const stats = this.#stats;
    stats[0] = Math.abs(residual) / Math.max(scale, bucketSpread);
    stats[1] = Math.abs(step) / Math.max(s.stepScale, floor, config.seasonal.jumpSpread * bucketSpread);
    stats[2] = Math.abs(s.ringSum / window - levelBefore) / scale;
    const varRatio = Math.sqrt((s.varShort + floor * floor) / (s.varLong + floor * floor));
    stats[3] = varRatio >= 1 ? varRatio - 1 : 1 / varRatio - 1;
    // A value beyond everything seen for a long while, as a share of that range.
    const range = Math.max(s.hi - s.lo, floor);
    stats[4] = value > s.hi ? (value - s.hi) / range : value < s.lo ? (s.lo - value) / range : 0;

    const strength = this.#calibrate(stats);
    const strongest = this.#strongest;
    this.#learn(value, y, residual, step, scale, bucket, weekBucket, days);

    if (s.n <= config.warmupSamples) return this.#quiet(value, s.level + offset, scale, seasonal);
    const suppressed = this.#suppress(strength);
    let score = strength / (1 + strength);
    if (suppressed) score *= config.suppression.damping;
    if (score >= config.alarmScore) s.sinceAlarm = 0;
    let kind: AnomalyKind = strength > 0 ? KIND_OF[COMPONENTS[strongest]!] : 'none';
    // A spike also swells the short-window variance; name the change by the value when the value itself is out.
    const surprises = this.#surprises;
    const valueSurprise = Math.max(surprises[0]!, surprises[1]!);
    if (kind === 'variance-change' && Math.max(valueSurprise, surprises[2]!) > 0) kind = surprises[2]! > valueSurprise ? 'level-shift' : 'spike';
    // Off the daily or weekly profile but inside the signal's long-run range: the pattern broke, not the value.
    if (seasonal && kind !== 'variance-change' && kind !== 'none' && value <= s.hi && value >= s.lo) kind = 'pattern-change';
    return explain({ score, kind, value, expected: s.level + offset, scale, strength, seasonal, suppressed, alarmScore: config.alarmScore });
  }

  /**
   * Only the first report of an anomaly is useful (and NAB counts only the first detection in a window): a sample not
   * clearly stronger than the recent-peak envelope is suppressed. Right after an alarm the bar is higher (hold-off),
   * so a change that keeps growing for a few samples is reported once. Once the signal has been calm for a while, the
   * envelope fades faster (release), so a second, separate anomaly soon after the first is not hidden by it.
   * Returns whether this strength is suppressed, and moves the envelope on.
   */
  #suppress(strength: number): boolean {
    const s = this.#s;
    const { margin, holdOff, holdOffMargin, release, releaseLevel } = this.config.suppression;
    const envelope = s.envelope;
    s.sinceAlarm = Math.min(s.sinceAlarm + 1, Number.MAX_SAFE_INTEGER);
    const suppressed = strength > 0 && strength <= envelope * (s.sinceAlarm <= holdOff ? holdOffMargin : margin);
    s.calm = strength <= releaseLevel * envelope ? s.calm + 1 : 0;
    const decay = s.calm >= release ? this.#releaseDecay : this.#envelopeDecay;
    s.envelope = Math.max(envelope * decay, strength);
    return suppressed;
  }

  /**
   * Self-calibration: each statistic against its own usual range (running mean + calibrationWidth mean deviations,
   * never below the component's floor), in log units, so a signal that is always jumpy must jump further to count.
   * Returns the strongest surprise and leaves its component in #strongest (no allocation on the hot path).
   */
  #calibrate(stats: Float64Array): number {
    const s = this.#s;
    let strength = 0;
    let strongest = 0;
    const calibrating = s.n > CALIBRATION_START;
    const reporting = s.n > 2 * CALIBRATION_START;
    const alpha = calibrating ? Math.max(1 / this.config.calibrationMemory, 1 / (s.n - CALIBRATION_START)) : 0;
    for (let c = 0; c < stats.length; c++) {
      const stat = stats[c]!;
      const mean = s.calMean[c]!;
      const dev = s.calDev[c]!;
      const reference = Math.max(mean + this.config.calibrationWidth * dev, this.#floors[c]!);
      const surprise = reporting && stat > reference ? Math.log(stat / reference) : 0;
      if (calibrating) {
        const learnt = reporting ? Math.min(stat, mean + CALIBRATION_CLIP * dev) : stat;
        s.calMean[c] = mean + alpha * (learnt - mean);
        s.calDev[c] = dev + alpha * (Math.abs(learnt - mean) - dev);
      }
      this.#surprises[c] = surprise;
      if (surprise > strength) {
        strength = surprise;
        strongest = c;
      }
    }
    this.#strongest = strongest;
    return strength;
  }

  #start(ts: number, value: number): void {
    const s = this.#s;
    s.firstTs = ts;
    s.level = value;
    s.prevY = value;
    s.prevValue = value;
    s.absLevel = Math.abs(value);
    s.hi = value;
    s.lo = value;
    s.ring.fill(value);
    s.levelRing.fill(value);
    s.ringSum = value * s.ring.length;
  }

  #learn(value: number, y: number, residual: number, step: number, scale: number, bucket: number, weekBucket: number, days: number): void {
    const s = this.#s;
    const config = this.config;
    // Running means at first, exponential memories once enough samples have come.
    const a = Math.max(1 / config.baselineMemory, 1 / s.n);
    const clip = s.n > CALIBRATION_START ? BASELINE_CLIP * scale : Number.POSITIVE_INFINITY;
    s.level += a * Math.max(-clip, Math.min(clip, residual));
    s.scale += a * (Math.min(Math.abs(residual), clip) - s.scale);
    s.absLevel += a * (Math.abs(value) - s.absLevel);
    const stepClip = BASELINE_CLIP * Math.max(s.stepScale, scale * 0.1);
    s.stepScale += a * (Math.min(Math.abs(step), stepClip) - s.stepScale);
    s.varLong += a * (Math.min(step * step, stepClip * stepClip) - s.varLong);
    const change = Math.abs(value - s.prevValue);
    if (change > 0 && (s.minStep === 0 || change < s.minStep)) s.minStep = change;
    s.prevValue = value;
    s.prevY = y;
    const rangeFall = 1 / config.rangeMemory;
    s.hi = value > s.hi ? value : s.hi - rangeFall * (s.hi - s.level);
    s.lo = value < s.lo ? value : s.lo + rangeFall * (s.level - s.lo);

    // Daily and weekly profiles: what this time adds to the level. The better one is used while it explains enough
    // of the variance; a signal without a rhythm is compared with its level alone.
    const deviation = value - s.level;
    const seasonal = config.seasonal;
    const { bucketMemory, weeklyBucketMemory, spreadFall } = seasonal;
    const missedDaily = teach(s.season, s.seasonSpread, s.seasonVisits, bucket, deviation, residual, scale, bucketMemory, spreadFall);
    const missedWeekly = teach(s.week, s.weekSpread, s.weekVisits, weekBucket, deviation, residual, scale, weeklyBucketMemory, spreadFall);
    s.errPlain += a * (deviation * deviation - s.errPlain);
    s.errSeasonal += a * (missedDaily - s.errSeasonal);
    s.errWeekly += a * (missedWeekly - s.errWeekly);
    const enough = (1 - seasonal.minGain) * s.errPlain;
    const dailyHelps = days >= seasonal.minDays && s.errSeasonal < enough;
    const weeklyHelps = days >= 7 * seasonal.minWeeks && s.errWeekly < enough && s.errWeekly < s.errSeasonal;
    s.seasonActive = weeklyHelps ? 2 : dailyHelps ? 1 : 0;
  }

  #quiet(value: number, expected: number, scale: number, seasonal: boolean): AnomalyResult {
    return explain({ score: 0, kind: 'none', value, expected, scale, strength: 0, seasonal, suppressed: false, alarmScore: this.config.alarmScore });
  }
}
